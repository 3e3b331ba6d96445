"""Liveness and store reachability."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.errors import error_responses
from api.models import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses=error_responses(503))
def healthz(store: StoreDep) -> Health:
    """``ok`` with the store kind and the served run; 503 when the store cannot be reached."""
    store.ping()
    record = store.current_run()
    return Health(store=store.kind, run_id=record.run_id if record else None)
