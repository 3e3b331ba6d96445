"""The registry of result layers and tables the stores hold (see :mod:`potenzial.results`).

Both stores write exactly these columns, in this order, so that the same run reads back
identically from either.
"""

from __future__ import annotations

from potenzial.errors import UnknownLayerError
from potenzial.results import PANDAS_DTYPES, ResultSchema, collect
from potenzial.results.base import MUNICIPALITIES, RUN_INPUTS

RESULTS: dict[str, ResultSchema] = collect()

__all__ = ["MUNICIPALITIES", "PANDAS_DTYPES", "RESULTS", "RUN_INPUTS", "ResultSchema", "schema"]


def schema(name: str) -> ResultSchema:
    try:
        return RESULTS[name]
    except KeyError:
        raise UnknownLayerError(f"result {name!r} is not a known result layer or table "
                                f"({', '.join(sorted(RESULTS))}).") from None
