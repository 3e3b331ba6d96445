"""The store interface: a run's results go in atomically and come back identically.

Two backends implement it: :mod:`potenzial.store.gpkg` (embedded, a folder of GeoPackages) and
:mod:`potenzial.store.postgis` (PostGIS); :func:`potenzial.store.open_store` picks one. The run
record lives in :mod:`potenzial.runs` (re-exported here for the backends).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS, ANALYSIS_EPSG
from potenzial.errors import StoreError
from potenzial.provenance import utc_now
from potenzial.runs import RunAttempt, RunRecord
from potenzial.store.runlock import LockHolder, OnWait, RunLease, failure_line
from potenzial.store.saved_scenarios import ScenarioStore
from potenzial.store.schema import PANDAS_DTYPES, ResultSchema, schema
from potenzial.store.snapshots import SnapshotStore

LayerWritten = Callable[[str], None]
#: failed and incomplete runs remembered in a store's journal (older ones are forgotten)
ATTEMPTS_KEPT = 20


@dataclass
class RunResult:
    """Everything one run produces: the record, result layers (with geometry) and tables."""

    record: RunRecord
    frames: dict[str, pd.DataFrame]  #: name -> GeoDataFrame (EPSG:25833) or DataFrame


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with exactly the schema's columns, order, dtypes and row order.

    Raises StoreError naming the missing columns: a result must never be half-written.
    """
    sch = schema(name)
    missing = [c for c in sch.column_names if c not in frame.columns]
    if missing:
        raise StoreError(f"result {name!r} lacks columns {missing}; the pipeline must produce them.")
    out = pd.DataFrame({c: _cast(frame[c], t) for c, t in sch.columns})
    if sch.geometry_type:
        if not isinstance(frame, gpd.GeoDataFrame):
            raise StoreError(f"result {name!r} needs geometry but got a plain table.")
        if frame.crs is None or frame.crs.to_epsg() != ANALYSIS_CRS.to_epsg():
            raise StoreError(f"result {name!r} must be in EPSG:25833, got {frame.crs}.")
        geoms = frame.geometry.values
        if sch.geometry_type.startswith("MULTI"):
            geoms = _to_multi(geoms)
        out = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=ANALYSIS_CRS),
                               crs=ANALYSIS_CRS)
    if sch.key:
        out = out.sort_values(list(sch.key), kind="stable")
    return out.reset_index(drop=True)


def _cast(series: pd.Series, type_name: str) -> pd.Series:
    dtype = PANDAS_DTYPES[type_name]
    if type_name == "text":
        return series.astype(str).astype(object)
    return series.astype(dtype)


#: shapely type id of a single part -> the constructor of its multi-part type
_MULTI_OF = ((shapely.GeometryType.POLYGON, shapely.multipolygons),
             (shapely.GeometryType.LINESTRING, shapely.multilinestrings),
             (shapely.GeometryType.POINT, shapely.multipoints))


def _to_multi(geoms) -> np.ndarray:
    """Each polygon, line string and point as a one-part multi geometry; the rest (multi parts, None)
    unchanged. Vectorised: one constructor call per type, not a Python loop over the geometries."""
    arr = np.asarray(shapely.from_wkb(shapely.to_wkb(geoms)), dtype=object)  # plain ndarray copy
    types = shapely.get_type_id(arr)
    for single, multi in _MULTI_OF:
        sel = np.flatnonzero(types == single)
        if len(sel):
            arr[sel] = multi(arr[sel], indices=np.arange(len(sel)))
    return arr


class Store(ABC):
    """A place where runs are published atomically and read back."""

    kind: str = ""
    url: str = ""
    #: the run lock while this store object holds it
    _lease: RunLease | None = None

    @abstractmethod
    def init(self) -> None:
        """Create or migrate the schema. Idempotent."""

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailableError when the store cannot be reached."""

    @abstractmethod
    def publish(self, result: RunResult, on_layer_written: LayerWritten | None = None) -> None:
        """Write every frame of ``result`` and make it the current run, all or nothing.

        ``on_layer_written(name)`` is called after each frame is written (before the switch).
        """

    @abstractmethod
    def current_run(self) -> RunRecord | None:
        """The record of the run that is served now, or None before the first run."""

    @abstractmethod
    def list_runs(self) -> list[RunRecord]:
        """Every complete run still kept, newest first."""

    @abstractmethod
    def record_preparation(self, run_id: str, prepared: dict) -> RunRecord:
        """Add what publishing prepared (:attr:`RunRecord.prepared`) to the stored record of the
        complete run ``run_id`` and return the record; nothing else of the run changes.
        NotFoundError for a run the store does not keep."""

    @abstractmethod
    def read(self, name: str, run_id: str | None = None) -> pd.DataFrame:
        """A result layer or table of ``run_id`` (default: the current run), in schema order."""

    @abstractmethod
    def snapshots(self) -> SnapshotStore:
        """The store's monitoring snapshots (:mod:`potenzial.store.snapshots`)."""

    @abstractmethod
    def saved_scenarios(self) -> ScenarioStore:
        """The store's saved what-if scenarios (:mod:`potenzial.store.saved_scenarios`)."""

    def close(self) -> None:  # noqa: B027 - a store without connections has nothing to release
        """Release connections."""

    def check_role(self) -> None:  # noqa: B027 - a store without roles has nothing to check
        """Raise SuperuserRefusedError when the store was opened without ``allow_superuser`` and its
        sessions are a superuser's (PostGIS); an unreachable store is checked on first connection."""

    # -- the run lock and the run journal ------------------------------------------------------

    @contextmanager
    def run_lock(self, run_id: str, *, wait: bool = False, on_wait: OnWait | None = None) -> Iterator[RunLease]:
        """Hold the store's run lock while the run ``run_id`` reads, computes and publishes.

        Another run holding it: StoreBusyError naming that run (``wait=False``), or wait for it
        (``on_wait(holder)`` is called first). Taken, the lock marks the journal's runs that died
        while running ``incomplete``, removes the temporary files other runs left behind, and
        records this run as ``running``; a failure marks it ``failed`` with its one-line message,
        success removes it from the journal (it is a complete run now). Re-entrant for this store
        object, so that :meth:`publish` inside a held lock does not take it again.
        """
        if self._lease is not None:
            yield self._lease
            return
        holder = LockHolder(run_id=run_id, since=utc_now())
        with self._hold_run_lock(holder, wait, on_wait):
            dead = self._reclaim(run_id)
            self._write_attempt(RunAttempt(run_id=run_id, started_at=holder.since, status="running"))
            self._lease = RunLease(run_id=run_id, dead_runs=dead)
            try:
                yield self._lease
            except BaseException as exc:
                self._lease = None
                self._record_failure(run_id, holder.since, exc)
                raise
            self._lease = None
            self._forget_attempt(run_id)

    def attempts(self) -> list[RunAttempt]:
        """Runs of the journal that are not complete, newest first: ``running`` when the run holds the
        lock now, ``incomplete`` when it was running but its process is gone, ``failed``."""
        holder = self.run_lock_holder()
        complete = {r.run_id for r in self.list_runs()}
        out = []
        for attempt in self._read_attempts():
            if attempt.run_id in complete:
                continue
            if attempt.status == "running" and (holder is None or holder.run_id != attempt.run_id):
                attempt = replace(attempt, status="incomplete")
            out.append(attempt)
        return sorted(out, key=lambda a: (a.started_at, a.run_id), reverse=True)

    def _reclaim(self, run_id: str) -> tuple[str, ...]:
        """Under the lock: runs left ``running`` died (mark them incomplete), runs now complete leave
        the journal, the oldest dead runs beyond ATTEMPTS_KEPT are forgotten, and the temporary files
        of every other run are removed. Returns the dead runs' ids."""
        complete = {r.run_id for r in self.list_runs()}
        dead = []
        for attempt in self._read_attempts():
            if attempt.run_id in complete or attempt.run_id == run_id:
                self._forget_attempt(attempt.run_id)
                continue
            if attempt.status == "running":
                attempt = replace(attempt, status="incomplete")
                self._write_attempt(attempt)
            dead.append(attempt)
        dead.sort(key=lambda a: (a.started_at, a.run_id), reverse=True)
        for old in dead[ATTEMPTS_KEPT:]:
            self._forget_attempt(old.run_id)
        self._remove_temporary_files(keep=run_id)
        return tuple(a.run_id for a in dead)

    def _record_failure(self, run_id: str, started_at: str, exc: BaseException) -> None:
        try:
            self._write_attempt(RunAttempt(run_id=run_id, started_at=started_at, status="failed",
                                           message=failure_line(exc)))
        except Exception:  # the store may be what failed: the run stays "running", then "incomplete"
            return

    @abstractmethod
    def _hold_run_lock(self, holder: LockHolder, wait: bool, on_wait: OnWait | None
                       ) -> AbstractContextManager[None]:
        """The backend's lock (file lock, advisory lock), held for the ``with`` block."""

    @abstractmethod
    def run_lock_holder(self) -> LockHolder | None:
        """Who holds the run lock now (None: nobody)."""

    @abstractmethod
    def _read_attempts(self) -> list[RunAttempt]:
        """Every entry of the run journal."""

    @abstractmethod
    def _write_attempt(self, attempt: RunAttempt) -> None:
        """Create or replace a journal entry."""

    @abstractmethod
    def _forget_attempt(self, run_id: str) -> None:
        """Remove a journal entry (no error when there is none)."""

    def _remove_temporary_files(self, keep: str) -> None:  # noqa: B027 - PostGIS writes no temporary files
        """Remove the temporary files of every run but ``keep`` (called only under the run lock)."""

    # -- serving reads (used by the API; stores may override them with faster versions) --------

    def read_bbox(self, name: str, bbox: tuple[float, float, float, float], run_id: str | None = None,
                  limit: int | None = None) -> gpd.GeoDataFrame:
        """Rows of the result layer ``name`` whose geometry's bounding box meets ``bbox``.

        ``bbox`` is (minx, miny, maxx, maxy) in EPSG:25833 [m]. Schema order, at most ``limit``
        rows. This generic version reads the whole layer; both stores override it with an
        index-backed read.
        """
        self._require_geometry_layer(name)
        frame = self.read(name, run_id)
        hits = frame.sindex.query(shapely.box(*bbox), predicate="intersects")
        out = frame.iloc[sorted(hits)].reset_index(drop=True)
        return out.head(limit) if limit is not None else out

    def vector_tile(self, name: str, z: int, x: int, y: int, run_id: str | None = None, *,
                    extent: int = 4096, buffer: int = 64, max_features: int = 20_000) -> bytes:
        """A Mapbox Vector Tile (one layer called ``name``) of a result layer; ``b""`` when empty.

        The tile address must already be checked (``potenzial.tiles.grid.check_tile``). The tile
        envelope (plus ``buffer``), cut to where EPSG:25833 is defined, is transformed into
        EPSG:25833 for the bounding-box read: at most ``max_features`` rows in key order (the same
        bytes on every request). Below the zoom of a dense layer's single features, its density
        grid (:mod:`potenzial.tiles.density`).
        """
        from potenzial.tiles.density import cell_size_m, density_cells, density_grid, read_box
        from potenzial.tiles.grid import tile_bounds_in
        from potenzial.tiles.mvt import encode_layer

        bbox = tile_bounds_in(z, x, y, ANALYSIS_EPSG, margin=buffer / extent)
        if bbox is None:  # the tile lies where EPSG:25833 has no coordinates: no feature can be there
            return b""
        grid = density_grid(name, z)
        if grid is not None:
            cell_m = cell_size_m(grid, z)
            rows = self.read_bbox(name, read_box(bbox, cell_m), run_id=run_id)
            frame = density_cells(rows, grid, cell_m, bbox)
        else:
            frame = self.read_bbox(name, bbox, run_id=run_id, limit=max_features)
        return encode_layer(frame, name, z, x, y, extent=extent, buffer=buffer, max_features=max_features)

    def run_layers(self, run_id: str) -> list[str]:
        """Names of the result layers and tables ``run_id`` holds (generic: tries each schema)."""
        from potenzial.errors import NotFoundError
        from potenzial.store.schema import RESULTS

        found = []
        for name in RESULTS:
            try:
                self.read(name, run_id)
            except NotFoundError:
                continue
            found.append(name)
        return found

    @staticmethod
    def _require_geometry_layer(name: str) -> ResultSchema:
        from potenzial.errors import UnknownLayerError

        sch = schema(name)
        if not sch.geometry_type:
            raise UnknownLayerError(f"result {name!r} is a table without geometry; it has no map tiles.")
        return sch

    def _require_run(self, run_id: str | None) -> str:
        from potenzial.errors import NotFoundError

        if run_id:
            return run_id
        current = self.current_run()
        if current is None:
            raise NotFoundError("the store holds no run yet. Run `potenzial run` first.")
        return current.run_id


def frame_schema(name: str) -> ResultSchema:
    return schema(name)


__all__ = ["LayerWritten", "RunRecord", "RunResult", "Store", "conform", "frame_schema"]
