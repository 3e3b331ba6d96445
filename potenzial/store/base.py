"""The store interface: a run's results go in atomically and come back identically.

Two backends implement it: :mod:`potenzial.store.gpkg` (embedded, a folder of GeoPackages) and
:mod:`potenzial.store.postgis` (PostGIS); :func:`potenzial.store.open_store` picks one. The run
record lives in :mod:`potenzial.runs` (re-exported here for the backends).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS, ANALYSIS_EPSG
from potenzial.errors import StoreError
from potenzial.runs import RunRecord
from potenzial.store.schema import PANDAS_DTYPES, ResultSchema, schema

LayerWritten = Callable[[str], None]


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


def _to_multi(geoms):
    arr = shapely.from_wkb(shapely.to_wkb(geoms))  # plain ndarray copy
    out: list[shapely.Geometry | None] = []
    for g in arr:
        if g is None:
            out.append(None)
        elif g.geom_type == "Polygon":
            out.append(shapely.MultiPolygon([g]))
        elif g.geom_type == "LineString":
            out.append(shapely.MultiLineString([g]))
        elif g.geom_type == "Point":
            out.append(shapely.MultiPoint([g]))
        else:
            out.append(g)
    return out


class Store(ABC):
    """A place where runs are published atomically and read back."""

    kind: str = ""
    url: str = ""

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
    def read(self, name: str, run_id: str | None = None) -> pd.DataFrame:
        """A result layer or table of ``run_id`` (default: the current run), in schema order."""

    def close(self) -> None:  # noqa: B027 - a store without connections has nothing to release
        """Release connections."""

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
        envelope (plus ``buffer``) is transformed into EPSG:25833 for the bounding-box read.
        """
        from potenzial.tiles.grid import tile_bounds_in
        from potenzial.tiles.mvt import encode_layer

        bbox = tile_bounds_in(z, x, y, ANALYSIS_EPSG, margin=buffer / extent)
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
