"""The result schemas as a person reads them: every table's and column's title, unit, description
and classes in German and English (``/api/schemas``), declared once in :mod:`potenzial.results`.

The map, the panel and the popups label figures from this document instead of column names.
"""

from __future__ import annotations

from collections.abc import Mapping

from potenzial.errors import ConfigError
from potenzial.results import ResultSchema, collect
from potenzial.results.vocabulary import LANGUAGES


def check_lang(lang: str) -> str:
    """``lang`` if it is a declared language (de, en); ConfigError naming the choices otherwise."""
    if lang not in LANGUAGES:
        raise ConfigError(f"language {lang!r} is not offered; choose one of {', '.join(LANGUAGES)}.")
    return lang


def schemas_document(schemas: Mapping[str, ResultSchema]) -> dict[str, dict[str, object]]:
    """``{schema name: {"title": {de, en}, "columns": {column: {"title", "unit", "description",
    "classes"}}}}`` for ``schemas`` and the tables computed when served (``DERIVED``)."""
    every = {**schemas, **{n: s for n, s in collect("DERIVED").items() if n not in schemas}}
    return {name: sch.describe() for name, sch in every.items()}


__all__ = ["check_lang", "schemas_document"]
