"""The run lock of a store: one run writes into a store at a time.

A run takes the lock before it reads anything and keeps it until it has published or failed
(:meth:`potenzial.store.base.Store.run_lock`). A second run on the same store refuses at once
with :class:`~potenzial.errors.StoreBusyError` naming the run that holds the lock, or, asked to
wait, queues behind it. The embedded store locks a file (``fcntl.flock`` on ``<store>/run.lock``,
released by the kernel when the process dies); PostGIS holds a session advisory lock
(:mod:`potenzial.store.postgis_lock`, released when the session ends).

Whoever holds the lock may reclaim what dead runs left behind (temporary files, raster folders):
no other run can be writing them.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from potenzial.errors import PotenzialError, StoreBusyError, StoreUnavailableError

#: called with the holder's description when a run starts waiting for the lock
OnWait = Callable[[str], None]
#: longest failure message kept in the run journal [characters]
MESSAGE_MAX_CHARS = 300
#: how long a run tries for a lock that seems taken before it refuses [s], and in how many tries
PROBE_GRACE_S = 0.5
PROBE_TRIES = 5


@dataclass(frozen=True)
class RunLease:
    """The run lock, held: the run's id and the runs found dead (``failed`` or ``incomplete``) in the
    store's journal when it was taken, whose leftovers the holder may reclaim."""

    run_id: str
    dead_runs: tuple[str, ...] = ()


@dataclass(frozen=True)
class LockHolder:
    """Who holds a run lock, as far as the lock tells: the run id, the process and since when."""

    run_id: str = ""
    process: str = ""  #: e.g. "process 4711 on host-a", "database session 812"
    since: str = ""  #: ISO 8601, UTC

    def describe(self) -> str:
        parts = [p for p in (self.process, f"since {self.since}" if self.since else "") if p]
        who = f"run {self.run_id}" if self.run_id else "a run"
        return f"{who} ({', '.join(parts)})" if parts else who


def busy_message(holder: LockHolder, store: str) -> str:
    return (f"{holder.describe()} is writing into the store {store}, so this run did not start. Wait for it to "
            "finish, or start this run with --wait to queue behind it.")


def failure_line(exc: BaseException) -> str:
    """The one line a failed run is remembered by in the journal."""
    if isinstance(exc, KeyboardInterrupt):
        return "interrupted"
    text = str(exc) if isinstance(exc, PotenzialError) else f"{type(exc).__name__}: {exc}"
    line = " ".join(text.split())
    return line[:MESSAGE_MAX_CHARS]


class FileRunLock:
    """An exclusive ``flock`` on one file; the holder writes who it is into the file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreUnavailableError(f"cannot open the run lock {self.path}: {exc.strerror}. Choose a writable "
                                        "store folder with POTENZIAL_DATA_DIR or --store.") from None

    @contextmanager
    def hold(self, holder: LockHolder, store: str, wait: bool = False, on_wait: OnWait | None = None
             ) -> Iterator[None]:
        fd = self._open()
        try:
            if not self._try(fd):
                current = self._read(fd)
                if not wait:
                    raise StoreBusyError(busy_message(current, store))
                if on_wait is not None:
                    on_wait(current.describe())
                fcntl.flock(fd, fcntl.LOCK_EX)
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps({"run_id": holder.run_id, "pid": os.getpid(), "host": socket.gethostname(),
                                       "since": holder.since}) + "\n").encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    @staticmethod
    def _try(fd: int) -> bool:
        """Take the lock without waiting; a few tries over PROBE_GRACE_S, because :meth:`holder` takes
        it for an instant to find out whether it is free."""
        for attempt in range(PROBE_TRIES):
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if attempt + 1 < PROBE_TRIES:
                    time.sleep(PROBE_GRACE_S / PROBE_TRIES)
        return False

    def holder(self) -> LockHolder | None:
        """Who holds the lock now, or None when it is free (it is taken and released to find out)."""
        if not self.path.is_file():
            return None
        fd = self._open()
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return self._read(fd)
            return None
        finally:
            os.close(fd)

    @staticmethod
    def _read(fd: int) -> LockHolder:
        try:
            raw = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
        except (ValueError, UnicodeDecodeError):
            return LockHolder()
        pid, host = raw.get("pid"), raw.get("host")
        process = f"process {pid}" + (f" on {host}" if host else "") if isinstance(pid, int) else ""
        return LockHolder(run_id=str(raw.get("run_id", "")), process=process, since=str(raw.get("since", "")))


__all__ = ["FileRunLock", "LockHolder", "OnWait", "RunLease", "busy_message", "failure_line"]
