"""The result schemas: every table's and column's title, unit, description and classes (de, en)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import ServingDep
from api.models import SchemaInfo

router = APIRouter(prefix="/api", tags=["catalog"])


@router.get("/schemas", response_model=dict[str, SchemaInfo])
def schemas(serving: ServingDep) -> dict:
    """Per result schema: its title, and per column the title, unit and description in German and
    English and the titles of a class column's values (``classes``). What a person reads instead of
    a column name comes from here."""
    return serving.results.schemas_document()
