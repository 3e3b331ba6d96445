"""A run that kills itself (SIGKILL) at a chosen point, for the tests of the publish's ordering.

``python -m tests.support.kill_run <store url> <raster cache> <run id> <kill at> [pointer-first]`` takes
the run lock as a run does (:func:`potenzial.pipeline.locked_run`), writes a raster into the run's
folder and publishes :func:`tests.support.hand_run.hand_result`. Every operation that changes a file
(opening one for writing, renaming, removing, creating or truncating, locking) and every layer the
store reports written is a *point*, counted from 1 as the run reaches it, the kill happening just
before that point's operation. ``kill at`` 0 kills nowhere: the run prints ``points <n>`` and one
line per point (what the sweep iterates over). A negative ``kill at`` waits on stdin after printing
``ready`` (imports and store opened), so that a caller can kill it after a chosen time.

:func:`forked` does the same in a forked child, much faster than a new interpreter.
``pointer-first`` publishes with a deliberately wrong order (``CURRENT`` switched before the run's
file is renamed into ``runs/``), so that a test can show the sweep finds the hazard.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

#: audit events that change the file system (https://docs.python.org/3/library/audit_events.html)
_CHANGING = {"os.rename", "os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree", "os.truncate", "fcntl.flock",
             "sqlite3.connect", "os.utime"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _changes_a_file(event: str, args: tuple) -> bool:
    if event in _CHANGING:
        return True
    if event == "open" and len(args) >= 3:
        _path, mode, flags = args[:3]
        if isinstance(mode, str):
            return any(c in mode for c in "wax+")
        return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)
    return False


class _Points:
    def __init__(self, kill_at: int) -> None:
        self.kill_at = kill_at
        self.seen: list[str] = []
        self.armed = False
        self._busy = False

    def reach(self, what: str) -> None:
        if not self.armed:
            return
        self.seen.append(what)
        if len(self.seen) == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def audit(self, event: str, args: tuple) -> None:
        if self.armed and not self._busy and _changes_a_file(event, args):
            self._busy = True  # no point inside the point's own bookkeeping
            try:
                self.reach(f"{event} {args[0] if args else ''}")
            finally:
                self._busy = False


def _pointer_first(store):
    """The embedded store with CURRENT switched before the rename into runs/ (the hazard)."""
    import pandas as pd
    import pyogrio

    from potenzial.store.base import conform
    from potenzial.store.gpkg import RUN_TABLE, GeoPackageStore

    class PointerFirst(GeoPackageStore):
        def publish(self, result, on_layer_written=None):
            run_id = result.record.run_id
            partial = self._tmp / f"{run_id}.partial.gpkg"
            for name, frame in result.frames.items():
                self._write(partial, name, conform(name, frame))
                if on_layer_written:
                    on_layer_written(name)
            record = pd.DataFrame({"run_id": [run_id], "record_json": [result.record.to_json()]})
            pyogrio.write_dataframe(record, partial, layer=RUN_TABLE, driver="GPKG")
            tmp_pointer = self._tmp / f"CURRENT.{run_id}.tmp"
            tmp_pointer.write_text(run_id + "\n", encoding="utf-8")
            os.replace(tmp_pointer, self._pointer)
            os.replace(partial, self.run_path(run_id))

    return PointerFirst(store.folder)


def publish_with_points(url: str, cache: Path, run_id: str, kill_at: int, pointer_first: bool = False,
                        ready=None) -> list[str]:
    """Run as described above in this process; returns the points reached (when not killed)."""
    from potenzial.pipeline import locked_run
    from potenzial.store import open_store
    from tests.support.hand_run import hand_result

    store = open_store(url)
    store.init()
    if pointer_first:
        store = _pointer_first(store)
    result = hand_result(run_id)
    points = _Points(kill_at)
    sys.addaudithook(points.audit)
    if ready is not None:
        ready()
    points.armed = True
    with locked_run(store, cache, run_id):
        (cache / run_id).mkdir(parents=True, exist_ok=True)
        (cache / run_id / "wind_speed.tif").write_bytes(b"a raster of the run")
        store.publish(result, on_layer_written=lambda name: points.reach(f"layer {name} written"))
    points.armed = False
    return points.seen


def forked(url: str, cache: Path, run_id: str, kill_at: int, pointer_first: bool = False
           ) -> tuple[int, list[str]]:
    """:func:`publish_with_points` in a forked child (a process of its own, without the start-up of a
    new interpreter); returns its wait status as ``subprocess`` does (``-9``: killed) and the points
    it reached."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into the caller's code
        code = 0
        try:
            os.close(read_end)
            seen = publish_with_points(url, cache, run_id, kill_at, pointer_first)
            os.write(write_end, "\n".join(seen).encode())
        except BaseException:
            import traceback

            os.write(write_end, traceback.format_exc().encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        text = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return code, text.splitlines()


def main(argv: list[str]) -> None:
    url, cache, run_id, kill_at = argv[0], Path(argv[1]), argv[2], int(argv[3])

    def ready() -> None:
        print("ready", flush=True)
        sys.stdin.readline()

    seen = publish_with_points(url, cache, run_id, kill_at, "pointer-first" in argv[4:],
                               ready if kill_at < 0 else None)
    print(f"points {len(seen)}")
    for what in seen:
        print(what)
    print("published", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
