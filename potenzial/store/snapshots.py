"""Monitoring snapshots in a store: written whole or not at all, one per source, read back identically.

Snapshots are not runs: an import neither takes the run lock nor becomes the current run. Both
backends promise:

- :meth:`SnapshotStore.put` writes a snapshot's record, units, sums and report atomically and returns
  True; a snapshot of the same id (the same export for the same region) is already there: False, and
  nothing changes;
- :meth:`SnapshotStore.records` lists the region's snapshots by date; :meth:`SnapshotStore.read`
  returns a snapshot with exactly the columns and row order it was written with.

GeoPackage: one file per snapshot in ``<store>/monitoring/``, written as ``tmp/<id>.partial.gpkg`` and
renamed. PostGIS: one transaction over the tables of migration 0011. A unit's position is ``x_m``/``y_m`` in
EPSG:25833 (empty where the export has none).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyogrio

from potenzial.errors import NotFoundError
from potenzial.monitoring.mastr import REPORT_COLUMNS, UNIT_COLUMNS
from potenzial.monitoring.snapshot import SUM_COLUMNS, Snapshot

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

RECORD_FIELDS = ("snapshot_id", "region_id", "kind", "as_of", "title", "source", "sha256", "schema_version",
                 "read_count", "outside_count")
_TEXT_UNITS = [c for c in UNIT_COLUMNS if not c.endswith(("_kw", "_m"))]


@dataclass(frozen=True)
class SnapshotRecord:
    snapshot_id: str
    region_id: str
    kind: str
    as_of: str
    title: str
    source: str
    sha256: str
    schema_version: str
    read_count: int
    outside_count: int
    units_count: int = 0
    report_count: int = 0


class SnapshotStore(ABC):
    @abstractmethod
    def put(self, snapshot: Snapshot, region_id: str) -> bool:
        """Write ``snapshot`` whole (True) or, when it is there already, leave the store unchanged (False)."""

    @abstractmethod
    def records(self, region_id: str) -> list[SnapshotRecord]:
        """The region's snapshots, oldest first (by date, then id)."""

    @abstractmethod
    def read(self, snapshot_id: str) -> Snapshot:
        """One snapshot with its units, sums and report."""

    def sums(self, region_id: str) -> pd.DataFrame:
        """Every snapshot's sums with its date and kind: snapshot_id, as_of, kind, SUM_COLUMNS."""
        frames = []
        for rec in self.records(region_id):
            sums = self.read(rec.snapshot_id).sums.copy()
            sums.insert(0, "kind", rec.kind)
            sums.insert(0, "as_of", rec.as_of)
            sums.insert(0, "snapshot_id", rec.snapshot_id)
            frames.append(sums)
        if not frames:
            return pd.DataFrame(columns=["snapshot_id", "as_of", "kind", *SUM_COLUMNS])
        return pd.concat(frames, ignore_index=True)


def _conform_units(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({c: frame[c] for c in UNIT_COLUMNS})
    for c in UNIT_COLUMNS:
        out[c] = out[c].fillna("").astype(str).astype(object) if c in _TEXT_UNITS else out[c].astype("float64")
    return out.sort_values("unit_id", kind="stable").reset_index(drop=True)


def _conform_sums(frame: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({c: frame[c] for c in SUM_COLUMNS})
    out["ags"] = out["ags"].astype(str).astype(object)
    out["technology"] = out["technology"].astype(str).astype(object)
    out["capacity_kw"] = out["capacity_kw"].astype("float64")
    out["units_count"] = out["units_count"].astype("int64")
    return out.sort_values(["ags", "technology"], kind="stable").reset_index(drop=True)


def _conform_report(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({c: frame[c].fillna("").astype(str).astype(object) for c in REPORT_COLUMNS}).reset_index(
        drop=True)


def _snapshot(rec: SnapshotRecord, units: pd.DataFrame, sums: pd.DataFrame, report: pd.DataFrame) -> Snapshot:
    return Snapshot(snapshot_id=rec.snapshot_id, kind=rec.kind, as_of=rec.as_of, title=rec.title, source=rec.source,
                    sha256=rec.sha256, schema_version=rec.schema_version, units=_conform_units(units),
                    sums=_conform_sums(sums), report=_conform_report(report), read_count=rec.read_count,
                    outside_count=rec.outside_count)


def _record_of(snapshot: Snapshot, region_id: str) -> dict[str, object]:
    return {"snapshot_id": snapshot.snapshot_id, "region_id": region_id, "kind": snapshot.kind,
            "as_of": snapshot.as_of, "title": snapshot.title, "source": snapshot.source, "sha256": snapshot.sha256,
            "schema_version": snapshot.schema_version, "read_count": int(snapshot.read_count),
            "outside_count": int(snapshot.outside_count)}


# -- GeoPackage ----------------------------------------------------------------------------------

class GeoPackageSnapshots(SnapshotStore):
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder) / "monitoring"
        self.tmp = Path(folder) / "tmp"

    def _path(self, snapshot_id: str) -> Path:
        return self.folder / f"{snapshot_id}.gpkg"

    def put(self, snapshot: Snapshot, region_id: str) -> bool:
        final = self._path(snapshot.snapshot_id)
        if final.is_file():
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        partial = self.tmp / f"{snapshot.snapshot_id}.partial.gpkg"
        partial.unlink(missing_ok=True)
        try:
            pyogrio.write_dataframe(pd.DataFrame([_record_of(snapshot, region_id)]), partial, layer="record",
                                    driver="GPKG")
            pyogrio.write_dataframe(_conform_units(snapshot.units), partial, layer="units", driver="GPKG")
            pyogrio.write_dataframe(_conform_sums(snapshot.sums), partial, layer="sums", driver="GPKG")
            pyogrio.write_dataframe(_conform_report(snapshot.report), partial, layer="report", driver="GPKG")
            os.replace(partial, final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return True

    def _record(self, path: Path) -> SnapshotRecord:
        raw = pyogrio.read_dataframe(path, layer="record", read_geometry=False).iloc[0]
        info = dict(_layer_counts(path))
        return SnapshotRecord(
            snapshot_id=str(raw["snapshot_id"]), region_id=str(raw["region_id"]), kind=str(raw["kind"]),
            as_of=str(raw["as_of"]), title=str(raw["title"]), source=str(raw["source"]), sha256=str(raw["sha256"]),
            schema_version=str(raw["schema_version"]), read_count=int(raw["read_count"]),
            outside_count=int(raw["outside_count"]), units_count=info.get("units", 0),
            report_count=info.get("report", 0))

    def records(self, region_id: str) -> list[SnapshotRecord]:
        if not self.folder.is_dir():
            return []
        out = [self._record(p) for p in self.folder.glob("*.gpkg")]
        return sorted((r for r in out if r.region_id == region_id), key=lambda r: (r.as_of, r.snapshot_id))

    def read(self, snapshot_id: str) -> Snapshot:
        path = self._path(snapshot_id)
        if not path.is_file():
            raise NotFoundError(f"snapshot {snapshot_id!r} is not in the store; `potenzial monitoring status` "
                                "lists the snapshots.")
        rec = self._record(path)
        units = pyogrio.read_dataframe(path, layer="units", read_geometry=False)
        sums = pyogrio.read_dataframe(path, layer="sums", read_geometry=False)
        report = pyogrio.read_dataframe(path, layer="report", read_geometry=False)
        return _snapshot(rec, units if len(units) else _empty(UNIT_COLUMNS), sums if len(sums) else
                         _empty(SUM_COLUMNS), report if len(report) else _empty(REPORT_COLUMNS))


def _layer_counts(path: Path) -> list[tuple[str, int]]:
    return [(str(name), int(pyogrio.read_info(path, layer=str(name))["features"]))
            for name, _ in pyogrio.list_layers(path)]


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c.endswith(("_kw", "_m")) else
                                      ("int64" if c.endswith("_count") else "object")) for c in columns})


# -- PostGIS -------------------------------------------------------------------------------------

class PostgisSnapshots(SnapshotStore):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def put(self, snapshot: Snapshot, region_id: str) -> bool:
        from potenzial.store import snapshots_sql as sql

        with self.engine.begin() as conn:
            inserted = conn.execute(sql.INSERT_SNAPSHOT, _record_of(snapshot, region_id)).rowcount
            if not inserted:
                return False
            units = _conform_units(snapshot.units)
            rows = units.to_dict("records")
            for row in rows:
                row["snapshot_id"] = snapshot.snapshot_id
                row["x_m"] = None if np.isnan(row["x_m"]) else float(row["x_m"])
                row["y_m"] = None if np.isnan(row["y_m"]) else float(row["y_m"])
            if rows:
                conn.execute(sql.INSERT_UNIT, rows)
            sums = [{**r, "snapshot_id": snapshot.snapshot_id} for r in _conform_sums(snapshot.sums).to_dict("records")]
            if sums:
                conn.execute(sql.INSERT_SUM, sums)
            report = [{**r, "snapshot_id": snapshot.snapshot_id, "seq": i}
                      for i, r in enumerate(_conform_report(snapshot.report).to_dict("records"))]
            if report:
                conn.execute(sql.INSERT_REPORT, report)
        return True

    def records(self, region_id: str) -> list[SnapshotRecord]:
        from potenzial.store import snapshots_sql as sql

        with self.engine.connect() as conn:
            rows = conn.execute(sql.RECORDS, {"region_id": region_id}).mappings().all()
        return [SnapshotRecord(**dict(r)) for r in rows]

    def read(self, snapshot_id: str) -> Snapshot:
        from potenzial.store import snapshots_sql as sql

        with self.engine.connect() as conn:
            rec = conn.execute(sql.RECORD, {"snapshot_id": snapshot_id}).mappings().first()
            if rec is None:
                raise NotFoundError(f"snapshot {snapshot_id!r} is not in the store; `potenzial monitoring status` "
                                    "lists the snapshots.")
            units = pd.DataFrame(conn.execute(sql.UNITS, {"snapshot_id": snapshot_id}).mappings().all(),
                                 columns=list(UNIT_COLUMNS))
            sums = pd.DataFrame(conn.execute(sql.SUMS, {"snapshot_id": snapshot_id}).mappings().all(),
                                columns=list(SUM_COLUMNS))
            report = pd.DataFrame(conn.execute(sql.REPORT, {"snapshot_id": snapshot_id}).mappings().all(),
                                  columns=list(REPORT_COLUMNS))
        units[["x_m", "y_m"]] = units[["x_m", "y_m"]].astype("float64")
        return _snapshot(SnapshotRecord(**dict(rec)), units, sums, report)
