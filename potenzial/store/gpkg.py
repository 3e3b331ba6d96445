"""Embedded store: one GeoPackage per run in a folder, and a ``CURRENT`` pointer file.

A run is written to ``tmp/<run_id>.partial.gpkg``, renamed into ``runs/`` when complete, and
only then does ``CURRENT`` switch (an atomic ``os.replace``). A run that fails or is killed
leaves at most a stray partial file; the previous run stays complete and served.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pyogrio
import pyogrio.errors

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import NotFoundError, StoreUnavailableError
from potenzial.runs import RunRecord
from potenzial.store.base import LayerWritten, RunResult, Store, conform
from potenzial.store.schema import schema

RUN_TABLE = "_run"
_OGR_TYPES = {"MULTIPOLYGON": "MultiPolygon", "MULTILINESTRING": "MultiLineString", "MULTIPOINT": "MultiPoint",
              "POLYGON": "Polygon", "LINESTRING": "LineString", "POINT": "Point"}
KEEP_RUNS = 3


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

    def run_path(self, run_id: str) -> Path:
        return self._runs / f"{run_id}.gpkg"

    def init(self) -> None:
        try:
            self._runs.mkdir(parents=True, exist_ok=True)
            self._tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailableError(f"cannot create the store folder {self.folder}: {exc.strerror}. "
                                        "Choose a writable folder with POTENZIAL_DATA_DIR or --store.") from None
        for stray in self._tmp.glob("*.partial.gpkg"):
            stray.unlink(missing_ok=True)

    def ping(self) -> None:
        if not self.folder.is_dir():
            raise StoreUnavailableError(f"store folder {self.folder} does not exist. Run `potenzial db init` "
                                        "or `potenzial run` first.")

    def publish(self, result: RunResult, on_layer_written: LayerWritten | None = None) -> None:
        self.init()
        run_id = result.record.run_id
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
        tmp_pointer = self._tmp / "CURRENT.tmp"
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
        self._require_geometry_layer(name)
        run_id = self._require_run(run_id)
        path = self.run_path(run_id)
        if not path.is_file():
            raise NotFoundError(f"run {run_id!r} is not in the store {self.folder}.")
        try:
            frame = pyogrio.read_dataframe(path, layer=name, bbox=tuple(float(b) for b in bbox))
        except pyogrio.errors.DataLayerError:
            raise NotFoundError(f"run {run_id} has no result {name!r}.") from None
        frame = conform(name, frame.set_crs(ANALYSIS_CRS, allow_override=True))
        return frame.head(limit) if limit is not None else frame

    def delete(self) -> None:
        """Remove the whole store folder (tests)."""
        shutil.rmtree(self.folder, ignore_errors=True)
