"""A snapshot: what was installed at one date, per unit (a MaStR export) or per municipality (sums).

A snapshot's id is derived from what it was made of (the file's sha256 and, for a sum-level snapshot
of a table, the column it was read from), so importing the same export twice gives one snapshot.
Sum-level snapshots come from the region's statistics file (MaStR sums per AGS of 2021 and 2024,
aggregated by GermanZero/LocalZero) and from the UFZ plant list of 2015; they give the default region
a time series from the start.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from potenzial.errors import InputDataError
from potenzial.monitoring.mastr import REPORT_COLUMNS, UNIT_COLUMNS, MastrExport

SUM_COLUMNS = ("ags", "technology", "capacity_kw", "units_count")
#: technologies of the monitoring; ``pv`` is all PV (sum-level snapshots often know only the total)
TECHNOLOGIES = ("pv", "pv_roof", "pv_ground", "pv_other", "wind", "biomass", "hydro", "storage")
PV_PARTS = ("pv_roof", "pv_ground", "pv_other")
#: statistics file column -> technology (``mastr<year>_kw_<suffix>``)
STATISTICS_COLUMNS = {"pv": "pv", "wind_on": "wind", "biomass": "biomass", "water": "hydro"}
#: UFZ 2015 layer (catalog id) -> technology
UFZ_LAYERS = {"plants_wind_2015": "wind", "plants_pv_open_field_2015": "pv_ground",
              "plants_bioenergy_2015": "biomass", "plants_hydro_2015": "hydro"}


@dataclass
class Snapshot:
    snapshot_id: str
    kind: str  #: "units" (a MaStR export) or "sums" (per municipality and technology)
    as_of: str  #: ISO date the snapshot describes
    title: str
    source: str  #: file name it was read from
    sha256: str  #: of that file
    schema_version: str
    units: pd.DataFrame  #: UNIT_COLUMNS (empty for a sum-level snapshot)
    sums: pd.DataFrame  #: SUM_COLUMNS: installed at ``as_of`` per municipality and technology
    report: pd.DataFrame  #: REPORT_COLUMNS
    read_count: int = 0
    outside_count: int = 0


def snapshot_id(sha256: str, part: str = "") -> str:
    return hashlib.sha256(f"{sha256}:{part}".encode()).hexdigest()[:16]


def active_on(units: pd.DataFrame, day: str) -> pd.Series:
    """Which units count on ``day`` (ISO): commissioned on or before it, not ended by then, not planned.
    A unit decommissioned without an end date never counts; one without a commissioning date counts
    only on the snapshot's own date (see :func:`sums_of_units`)."""
    started = (units["commissioned"] != "") & (units["commissioned"] <= day)
    ended = (units["decommissioned"] != "") & (units["decommissioned"] <= day)
    undated_end = (units["status"] == "decommissioned") & (units["decommissioned"] == "")
    return started & ~ended & ~undated_end & (units["status"] != "planned")


def sums_of_units(units: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Installed capacity [kW] and unit count per municipality and technology on ``as_of``, PV parts
    and their total ``pv``. Units without a commissioning date count here (they are in operation on
    the export's date), not in the commissioning curve."""
    undated = (units["commissioned"] == "") & units["status"].isin(["in_operation", "temporarily_shut_down"])
    on = units[active_on(units, as_of) | undated]
    return _sum_frame(on)


def _sum_frame(on: pd.DataFrame) -> pd.DataFrame:
    grouped = on.groupby(["ags", "technology"], sort=True).agg(
        capacity_kw=("capacity_net_kw", "sum"), units_count=("unit_id", "count")).reset_index()
    pv = grouped[grouped["technology"].isin(PV_PARTS)].groupby("ags", sort=True)[
        ["capacity_kw", "units_count"]].sum().reset_index()
    pv["technology"] = "pv"
    out = pd.concat([grouped, pv[list(grouped.columns)]], ignore_index=True)
    out["units_count"] = out["units_count"].astype("int64")
    return out.sort_values(["ags", "technology"], kind="stable").reset_index(drop=True)[list(SUM_COLUMNS)]


def from_export(export: MastrExport, region_id: str) -> Snapshot:
    """The snapshot of a read MaStR export."""
    return Snapshot(
        snapshot_id=snapshot_id(export.sha256, region_id), kind="units", as_of=export.as_of,
        title=f"Marktstammdatenregister {export.as_of}", source=export.source, sha256=export.sha256,
        schema_version=export.schema_version, units=export.units, sums=sums_of_units(export.units, export.as_of),
        report=export.report, read_count=export.read_count, outside_count=export.outside_count)


def _empty_units() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c.endswith(("_kw", "_m")) else "object")
                         for c in UNIT_COLUMNS})


def _empty_report() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in REPORT_COLUMNS})


def from_statistics(table: pd.DataFrame, year: int, source: Path, sha256: str, region_ags: set[str]) -> Snapshot:
    """The sum-level snapshot of the statistics file's ``mastr<year>_kw_*`` columns (one row per AGS;
    the county row is left out)."""
    columns = {f"mastr{year}_kw_{suffix}": tech for suffix, tech in STATISTICS_COLUMNS.items()}
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputDataError(f"{source.name}: columns {missing} are missing; the statistics file has no MaStR "
                             f"sums of {year}.")
    rows = table[table["ags"].astype(str).isin(region_ags)]
    sums = []
    for column, tech in columns.items():
        values = pd.to_numeric(rows[column], errors="coerce")
        if values.isna().any():
            bad = rows.loc[values.isna(), "ags"].astype(str).tolist()
            raise InputDataError(f"{source.name}: {column} is empty or not a number for {bad}.")
        sums += [(str(a), tech, float(v), 0) for a, v in zip(rows["ags"], values, strict=True)]
    frame = pd.DataFrame(sums, columns=list(SUM_COLUMNS)).sort_values(["ags", "technology"], kind="stable")
    return Snapshot(
        snapshot_id=snapshot_id(sha256, f"statistics:{year}"), kind="sums", as_of=f"{year}-12-31",
        title=f"MaStR-Summen je Gemeinde {year} (GermanZero/LocalZero)", source=source.name, sha256=sha256,
        schema_version="", units=_empty_units(), sums=frame.reset_index(drop=True), report=_empty_report())


def from_plant_list(layers: dict[str, pd.DataFrame], source: Path, sha256: str, region_ags: set[str]) -> Snapshot:
    """The sum-level snapshot of the UFZ plant list of 2015 (wind, open-field PV, bioenergy, hydro; roof PV
    is not in it). Plants outside the county (``in_lk_vg5000`` false) are left out."""
    sums = []
    for layer_id, tech in UFZ_LAYERS.items():
        frame = layers[layer_id]
        inside = frame[frame["in_lk_vg5000"].astype(bool) & frame["ags_vg5000"].astype(str).isin(region_ags)]
        grouped = inside.groupby(inside["ags_vg5000"].astype(str), sort=True)["Power_kW"].agg(["sum", "count"])
        sums += [(str(a), tech, float(s), int(n)) for a, (s, n) in grouped.iterrows()]
    frame = pd.DataFrame(sums, columns=list(SUM_COLUMNS)).sort_values(["ags", "technology"], kind="stable")
    return Snapshot(
        snapshot_id=snapshot_id(sha256, "ufz2015"), kind="sums", as_of="2015-12-31",
        title="Anlagen Stand 2015 (UFZ, Eichhorn et al. 2019)", source=source.name, sha256=sha256,
        schema_version="", units=_empty_units(), sums=frame.reset_index(drop=True), report=_empty_report())
