"""The run record after the publish, in PostGIS: what publishing prepared is added to the stored
record (``runs.record``, jsonb) in one statement; nothing else of the run changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy.engine import Engine

from potenzial.errors import NotFoundError
from potenzial.runs import RunRecord
from potenzial.store import postgis_sql as sql


class PreparationRecord:
    """:meth:`potenzial.store.base.Store.record_preparation` of the PostGIS store."""

    _engine: Engine
    _guard: Callable[[str], AbstractContextManager[None]]

    def record_preparation(self, run_id: str, prepared: dict) -> RunRecord:
        with self._guard(f"recording the preparation of run {run_id}"), self._engine.begin() as conn:
            raw = conn.execute(sql.RECORD_PREPARATION,
                               {"run_id": run_id, "prepared": json.dumps(prepared, sort_keys=True)}).scalar()
        if raw is None:
            raise NotFoundError(f"run {run_id!r} is not in the store; its preparation is not recorded.")
        return RunRecord.from_json(raw)
