"""Embedded store: one GeoPackage per run in a folder, and a ``CURRENT`` pointer file.

A run is written to ``tmp/<run_id>.partial.gpkg``, renamed into ``runs/`` when complete, and
only then does ``CURRENT`` switch (an atomic ``os.replace`` of ``tmp/CURRENT.<run_id>.tmp``). A
run that fails or is killed leaves at most its own partial file; the previous run stays complete
and served. One run writes at a time: ``run.lock`` is the run lock (``fcntl.flock``), and only
its holder removes what dead runs left in ``tmp/``. ``journal/<run_id>.json`` remembers the runs
that are running, failed or died (:class:`potenzial.runs.RunAttempt`).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pyogrio
import pyogrio.errors

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import NotFoundError, StoreUnavailableError
from potenzial.runs import RunAttempt, RunRecord
from potenzial.store.base import LayerWritten, RunResult, Store, conform
from potenzial.store.runlock import FileRunLock, LockHolder, OnWait
from potenzial.store.saved_scenarios import FileScenarios
from potenzial.store.schema import schema
from potenzial.store.snapshots import GeoPackageSnapshots

RUN_TABLE = "_run"
_OGR_TYPES = {"MULTIPOLYGON": "MultiPolygon", "MULTILINESTRING": "MultiLineString", "MULTIPOINT": "MultiPoint",
              "POLYGON": "Polygon", "LINESTRING": "LineString", "POINT": "Point"}
KEEP_RUNS = 3
#: the temporary files a run writes into tmp/ (``*`` is its run id)
TEMPORARY_PATTERNS = ("*.partial.gpkg", "CURRENT.*.tmp", "*.journal.tmp")


class GeoPackageStore(Store):
    kind = "gpkg"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.url = f"gpkg:{self.folder}"

    # -- layout
    @property
    def _runs(self) -> Path:
        return self.folder / "runs"

    @property
    def _tmp(self) -> Path:
        return self.folder / "tmp"

    @property
    def _pointer(self) -> Path:
        return self.folder / "CURRENT"

    @property
    def _journal(self) -> Path:
        return self.folder / "journal"

    @property
    def _lock_file(self) -> FileRunLock:
        return FileRunLock(self.folder / "run.lock")

    def run_path(self, run_id: str) -> Path:
        return self._runs / f"{run_id}.gpkg"

    def init(self) -> None:
        try:
            for folder in (self._runs, self._tmp, self._journal):
                folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(f"cannot create the store folder {self.folder}: {exc.strerror}. "
                                        "Choose a writable folder with POTENZIAL_DATA_DIR or --store.") from None

    def ping(self) -> None:
        if not self.folder.is_dir():
            raise StoreUnavailableError(f"store folder {self.folder} does not exist. Run `potenzial db init` "
                                        "or `potenzial run` first.")

    def publish(self, result: RunResult, on_layer_written: LayerWritten | None = None) -> None:
        self.init()
        run_id = result.record.run_id
        with self.run_lock(run_id, wait=True):
            partial = self._tmp / f"{run_id}.partial.gpkg"
            partial.unlink(missing_ok=True)
            try:
                for name, frame in result.frames.items():
                    self._write(partial, name, conform(name, frame))
                    if on_layer_written:
                        on_layer_written(name)
                record = pd.DataFrame({"run_id": [run_id], "record_json": [result.record.to_json()]})
                pyogrio.write_dataframe(record, partial, layer=RUN_TABLE, driver="GPKG")
                os.replace(partial, self.run_path(run_id))
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            tmp_pointer = self._tmp / f"CURRENT.{run_id}.tmp"
            tmp_pointer.write_text(run_id + "\n", encoding="utf-8")
            os.replace(tmp_pointer, self._pointer)
            self._prune(keep=run_id)

    @staticmethod
    def _write(path: Path, name: str, frame: pd.DataFrame) -> None:
        sch = schema(name)
        kwargs: dict[str, str | bool] = {"driver": "GPKG", "layer": name}
        if sch.geometry_type:
            kwargs["geometry_type"] = _OGR_TYPES[sch.geometry_type]
            kwargs["promote_to_multi"] = sch.geometry_type.startswith("MULTI")
        pyogrio.write_dataframe(frame, path, **kwargs)

    def _prune(self, keep: str) -> None:
        runs = sorted(self._runs.glob("*.gpkg"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in runs[KEEP_RUNS:]:
            if old.stem != keep:
                old.unlink(missing_ok=True)

    # -- the run lock and the journal
    def _hold_run_lock(self, holder: LockHolder, wait: bool, on_wait: OnWait | None):
        self.init()
        return self._lock_file.hold(holder, self.url, wait, on_wait)

    def run_lock_holder(self) -> LockHolder | None:
        return self._lock_file.holder()

    def _attempt_path(self, run_id: str) -> Path:
        return self._journal / f"{run_id}.json"

    def _read_attempts(self) -> list[RunAttempt]:
        if not self._journal.is_dir():
            return []
        out = []
        for path in sorted(self._journal.glob("*.json")):
            try:
                out.append(RunAttempt.from_json(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue  # a journal entry half-written by a killed run: nothing to remember
        return out

    def _write_attempt(self, attempt: RunAttempt) -> None:
        self._journal.mkdir(parents=True, exist_ok=True)
        tmp = self._tmp / f"{attempt.run_id}.journal.tmp"
        tmp.write_text(attempt.to_json() + "\n", encoding="utf-8")
        os.replace(tmp, self._attempt_path(attempt.run_id))

    def _forget_attempt(self, run_id: str) -> None:
        self._attempt_path(run_id).unlink(missing_ok=True)

    def _remove_temporary_files(self, keep: str) -> None:
        if not self._tmp.is_dir():
            return
        own = {f"{keep}.partial.gpkg", f"CURRENT.{keep}.tmp", f"{keep}.journal.tmp"}
        for pattern in TEMPORARY_PATTERNS:
            for stray in self._tmp.glob(pattern):
                if stray.name not in own:
                    stray.unlink(missing_ok=True)

    def current_run(self) -> RunRecord | None:
        if not self._pointer.is_file():
            return None
        run_id = self._pointer.read_text(encoding="utf-8").strip()
        return self._record(run_id)

    def _record(self, run_id: str) -> RunRecord:
        path = self.run_path(run_id)
        if not path.is_file():
            raise NotFoundError(f"run {run_id!r} is not in the store {self.folder}.")
        table = pyogrio.read_dataframe(path, layer=RUN_TABLE, read_geometry=False)
        return RunRecord.from_json(str(table["record_json"].iloc[0]))

    def record_preparation(self, run_id: str, prepared: dict) -> RunRecord:
        """Updates the run's ``_run`` row in place (one SQLite transaction); the file keeps its
        modification time, by which the store orders and prunes its runs."""
        record = self._record(run_id)
        raw = json.loads(record.to_json())
        raw["prepared"] = prepared
        updated = RunRecord.from_json(json.dumps(raw))
        path = self.run_path(run_id)
        stat = path.stat()
        try:
            with sqlite3.connect(path) as conn:
                conn.execute(f'UPDATE "{RUN_TABLE}" SET record_json = ? WHERE run_id = ?', (updated.to_json(), run_id))
            conn.close()
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"run {run_id}: its preparation could not be recorded ({exc}).") from None
        finally:
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        return updated

    def list_runs(self) -> list[RunRecord]:
        if not self._runs.is_dir():
            return []
        runs = sorted(self._runs.glob("*.gpkg"), key=lambda p: p.stat().st_mtime, reverse=True)
        return [self._record(p.stem) for p in runs]

    def read(self, name: str, run_id: str | None = None) -> pd.DataFrame:
        sch = schema(name)
        run_id = self._require_run(run_id)
        path = self.run_path(run_id)
        if not path.is_file():
            raise NotFoundError(f"run {run_id!r} is not in the store {self.folder}.")
        layers = {row[0] for row in pyogrio.list_layers(path)}
        if name not in layers:
            raise NotFoundError(f"run {run_id} has no result {name!r}.")
        if sch.geometry_type:
            frame = pyogrio.read_dataframe(path, layer=name)
            frame = frame.set_crs(ANALYSIS_CRS, allow_override=True)
        else:
            frame = pyogrio.read_dataframe(path, layer=name, read_geometry=False)
        return conform(name, frame)

    def run_layers(self, run_id: str) -> list[str]:
        """Names of the result layers and tables in the run's GeoPackage."""
        path = self.run_path(run_id)
        if not path.is_file():
            raise NotFoundError(f"run {run_id!r} is not in the store {self.folder}.")
        return [str(row[0]) for row in pyogrio.list_layers(path) if str(row[0]) != RUN_TABLE]

    def read_bbox(self, name: str, bbox: tuple[float, float, float, float], run_id: str | None = None,
                  limit: int | None = None):
        """Rows whose geometry meets ``bbox`` (EPSG:25833), read through the GeoPackage's R-tree."""
        sch = self._require_geometry_layer(name)
        run_id = self._require_run(run_id)
        path = self.run_path(run_id)
        if not path.is_file():
            raise NotFoundError(f"run {run_id!r} is not in the store {self.folder}.")
        try:
            frame = pyogrio.read_dataframe(path, layer=name, bbox=tuple(float(b) for b in bbox))
        except pyogrio.errors.DataLayerError:
            raise NotFoundError(f"run {run_id} has no result {name!r}.") from None
        frame = conform(name, frame.set_crs(ANALYSIS_CRS, allow_override=True))
        if sch.key:  # key order, as PostGIS reads: a limit cuts the same rows on every request
            frame = frame.sort_values(list(sch.key), kind="stable", ignore_index=True)
        return frame.head(limit) if limit is not None else frame

    def snapshots(self) -> GeoPackageSnapshots:
        self.init()
        return GeoPackageSnapshots(self.folder)

    def saved_scenarios(self) -> FileScenarios:
        return FileScenarios(self.folder)

    def delete(self) -> None:
        """Remove the whole store folder (tests)."""
        shutil.rmtree(self.folder, ignore_errors=True)
