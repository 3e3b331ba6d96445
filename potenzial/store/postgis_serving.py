"""The PostGIS store's pool for the API: read-only sessions, a short statement timeout, a bounded
size. The serving reads of :class:`potenzial.store.postgis.PostgisStore` (``read_bbox``,
``vector_tile``, ``run_layers``) go through it."""

from __future__ import annotations

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine

#: serving reads: statement timeout [s], pool size and acquire timeout [s]
SERVING_STATEMENT_TIMEOUT_S = 5.0
SERVING_POOL_SIZE = 4
SERVING_POOL_OVERFLOW = 4
SERVING_POOL_TIMEOUT_S = 2.0
SERVING_CONNECT_TIMEOUT_S = 3


def serving_engine(url: URL) -> Engine:
    """A pool on ``url`` whose sessions are read-only, with a short statement timeout; no JIT (it
    compiled for ~150 ms per tile query) and no parallel workers (tiles are many small queries)."""
    connect_args: dict[str, object] = {"application_name": "potenzial-serve"}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = SERVING_CONNECT_TIMEOUT_S
    if "options" not in url.query:
        connect_args["options"] = (f"-c statement_timeout={int(SERVING_STATEMENT_TIMEOUT_S * 1000)} "
                                   "-c default_transaction_read_only=on -c jit=off "
                                   "-c max_parallel_workers_per_gather=0")
    return create_engine(url, pool_size=SERVING_POOL_SIZE, max_overflow=SERVING_POOL_OVERFLOW,
                         pool_timeout=SERVING_POOL_TIMEOUT_S, pool_pre_ping=True, connect_args=connect_args)
