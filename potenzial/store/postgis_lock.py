"""The PostGIS store's run lock and run journal (see :mod:`potenzial.store.runlock`).

The lock is a session advisory lock on :data:`RUN_LOCK_KEY`, held by one connection of its own
for the whole run (autocommit: no transaction stays open while the run computes). The holder
names itself in ``application_name`` (``potenzial run <run_id>``), so a second run can say who
holds it. The session ending (the process died, the connection broke) releases the lock; the
connection is closed, never returned to the pool, because its settings were changed. The journal
is the table ``run_journal`` (migration 0006).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy.engine import Engine

from potenzial.errors import StoreBusyError
from potenzial.runs import RunAttempt
from potenzial.store import postgis_sql as sql
from potenzial.store.runlock import LockHolder, OnWait, busy_message

#: key of the run lock (any fixed bigint, distinct from the init lock's)
RUN_LOCK_KEY = 7_361_102_026
#: what the holder's session is called (PostgreSQL keeps 63 characters of it)
APPLICATION_PREFIX = "potenzial run "


class PostgisRunLock:
    """The run lock and the journal of a PostGIS store, on the store's engine and error guard."""

    def __init__(self, engine: Engine, guard: Callable[[str], AbstractContextManager[None]]) -> None:
        self._engine = engine
        self._guard = guard

    @contextmanager
    def hold(self, holder: LockHolder, store: str, wait: bool, on_wait: OnWait | None) -> Iterator[None]:
        with self._guard("taking the run lock"):
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            with self._guard("taking the run lock"):
                conn.execute(sql.SET_APPLICATION_NAME, {"name": APPLICATION_PREFIX + holder.run_id})
                if not conn.execute(sql.TRY_RUN_LOCK, {"key": RUN_LOCK_KEY}).scalar():
                    current = self._holder(conn) or LockHolder()
                    if not wait:
                        raise StoreBusyError(busy_message(current, store))
                    if on_wait is not None:
                        on_wait(current.describe())
                    conn.execute(sql.NO_STATEMENT_TIMEOUT)  # waiting may take longer than any statement
                    conn.execute(sql.RUN_LOCK, {"key": RUN_LOCK_KEY})
            yield
        finally:
            try:
                conn.execute(sql.RUN_UNLOCK, {"key": RUN_LOCK_KEY})
            except Exception:  # the session is gone, and the lock with it
                pass
            conn.invalidate()
            conn.close()

    def holder(self) -> LockHolder | None:
        with self._guard("asking who holds the run lock"), self._engine.connect() as conn:
            return self._holder(conn)

    @staticmethod
    def _holder(conn) -> LockHolder | None:
        row = conn.execute(sql.RUN_LOCK_HOLDER, {"hi": RUN_LOCK_KEY >> 32, "lo": RUN_LOCK_KEY & 0xFFFFFFFF}).first()
        if row is None:
            return None
        name, pid, since = row
        run_id = name[len(APPLICATION_PREFIX):] if name and name.startswith(APPLICATION_PREFIX) else ""
        return LockHolder(run_id=run_id, process=f"database session {pid}", since=since or "")

    # -- the journal
    def read(self) -> list[RunAttempt]:
        with self._guard("reading the run journal"), self._engine.connect() as conn:
            return [RunAttempt(run_id=r, started_at=t, status=s, message=m)
                    for r, t, s, m in conn.execute(sql.JOURNAL_ALL).all()]

    def write(self, attempt: RunAttempt) -> None:
        with self._guard("writing the run journal"), self._engine.begin() as conn:
            conn.execute(sql.JOURNAL_WRITE, {"run_id": attempt.run_id, "started_at": attempt.started_at,
                                             "status": attempt.status, "message": attempt.message})

    def forget(self, run_id: str) -> None:
        with self._guard("writing the run journal"), self._engine.begin() as conn:
            conn.execute(sql.JOURNAL_FORGET, {"run_id": run_id})


__all__ = ["RUN_LOCK_KEY", "PostgisRunLock"]
