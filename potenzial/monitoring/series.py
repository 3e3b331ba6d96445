"""Installed capacity and estimated generation over time, per municipality, technology and group.

Two kinds of points: ``snapshot`` (what a snapshot says was installed on its date: a unit-level
snapshot's units in operation then, a sum-level snapshot's sums) and ``curve`` (the year-end
commissioning curve of the newest unit-level snapshot: units commissioned by 31 December and not yet
decommissioned). Generation [MWh_el/a] = capacity [kW] × full-load hours [h/a] / 1000 (storage has none).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from potenzial.monitoring.groups import Group
from potenzial.monitoring.params import MonitoringParams
from potenzial.monitoring.snapshot import PV_PARTS, TECHNOLOGIES, Snapshot, active_on
from potenzial.units import KWH_PER_MWH, MWH_PER_GWH

SERIES_COLUMNS = ("ags", "technology", "date", "point", "snapshot_id", "capacity_kw", "generation_mwh_per_a")
GENERATING = ("pv", "wind", "biomass", "hydro")  #: technologies whose generation adds up to the electricity


def snapshot_points(sums: pd.DataFrame, region_ags: Iterable[str]) -> pd.DataFrame:
    """One ``snapshot`` point per snapshot, municipality and technology the snapshot covers (0 where it
    lists nothing for a municipality). ``sums``: snapshot_id, as_of, kind, ags, technology, capacity_kw."""
    ags = sorted(set(region_ags))
    out = []
    for (sid, as_of, kind), part in sums.groupby(["snapshot_id", "as_of", "kind"], sort=True):
        covered = [t for t in TECHNOLOGIES if t != "storage"] if kind == "units" else sorted(set(part["technology"]))
        full = pd.MultiIndex.from_product([ags, covered], names=["ags", "technology"])
        values = part.set_index(["ags", "technology"])["capacity_kw"].reindex(full, fill_value=0.0).reset_index()
        values["date"], values["point"], values["snapshot_id"] = as_of, "snapshot", sid
        out.append(values)
    if not out:
        return pd.DataFrame(columns=[c for c in SERIES_COLUMNS if c != "generation_mwh_per_a"])
    return pd.concat(out, ignore_index=True)


def curve_points(snapshot: Snapshot, region_ags: Iterable[str]) -> pd.DataFrame:
    """Year-end points of a unit-level snapshot's commissioning curve, from its first commissioning year
    to the year before its date (the snapshot's own point closes the curve)."""
    units = snapshot.units
    dated = units[units["commissioned"] != ""]
    if dated.empty:
        return pd.DataFrame(columns=["ags", "technology", "capacity_kw", "date", "point", "snapshot_id"])
    first, last = int(dated["commissioned"].str[:4].min()), int(snapshot.as_of[:4]) - 1
    ags = sorted(set(region_ags))
    techs = [t for t in TECHNOLOGIES if t != "storage"]
    full = pd.MultiIndex.from_product([ags, techs], names=["ags", "technology"])
    out = []
    for year in range(first, last + 1):
        day = f"{year}-12-31"
        on = units[active_on(units, day)]
        parts = on.groupby(["ags", "technology"])["capacity_net_kw"].sum()
        pv = on[on["technology"].isin(PV_PARTS)].groupby("ags")["capacity_net_kw"].sum()
        both = pd.concat([parts, pd.Series(pv.values, index=pd.MultiIndex.from_arrays(
            [pv.index, ["pv"] * len(pv)], names=["ags", "technology"]))])
        values = both.reindex(full, fill_value=0.0).rename("capacity_kw").reset_index()
        values["date"], values["point"], values["snapshot_id"] = day, "curve", snapshot.snapshot_id
        out.append(values)
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(
        columns=["ags", "technology", "capacity_kw", "date", "point", "snapshot_id"])


def with_generation(points: pd.DataFrame, params: MonitoringParams) -> pd.DataFrame:
    """Add the generation estimate [MWh_el/a] and order the columns and rows."""
    out = points.copy()
    hours = out["technology"].map(lambda t: params.full_load_h_per_a(t))
    out["generation_mwh_per_a"] = out["capacity_kw"].astype(float) * hours.astype(float) / KWH_PER_MWH
    out["capacity_kw"] = out["capacity_kw"].astype(float)
    return out[list(SERIES_COLUMNS)].sort_values(["ags", "technology", "date", "point"], kind="stable").reset_index(
        drop=True)


def group_series(series: pd.DataFrame, groups: Iterable[Group]) -> pd.DataFrame:
    """Each group's series: the sums over its members (``ags`` holds the group id)."""
    out = []
    for group in groups:
        members = series[series["ags"].isin(group.members)]
        summed = members.groupby(["technology", "date", "point", "snapshot_id"], sort=True)[
            ["capacity_kw", "generation_mwh_per_a"]].sum(min_count=1).reset_index()
        summed.insert(0, "ags", group.id)
        out.append(summed)
    if not out:
        return pd.DataFrame(columns=list(SERIES_COLUMNS))
    return pd.concat(out, ignore_index=True)[list(SERIES_COLUMNS)]


def latest_snapshot(series: pd.DataFrame) -> pd.DataFrame:
    """Per area and technology the newest ``snapshot`` point."""
    points = series[series["point"] == "snapshot"].sort_values("date", kind="stable")
    return points.groupby(["ags", "technology"], sort=True).tail(1).reset_index(drop=True)


def watts_per_inhabitant(latest: pd.DataFrame, population: Mapping[str, float], technology: str = "pv"
                         ) -> pd.DataFrame:
    """Installed watts per inhabitant of a technology and the rank (1 = most) among the areas given."""
    rows = latest[latest["technology"] == technology][["ags", "technology", "capacity_kw"]].copy()
    rows["population"] = rows["ags"].map(population).astype(float)
    rows["w_per_inhabitant"] = rows["capacity_kw"] * 1000.0 / rows["population"]
    rows["rank"] = rows["w_per_inhabitant"].rank(ascending=False, method="min").astype("int64")
    return rows.sort_values(["rank", "ags"], kind="stable").reset_index(drop=True)


def target_path(milestones: Mapping[int, float], years: Iterable[int]) -> pd.Series:
    """The target share [%] per year: the milestones, linear between them, the last one held after it;
    NaN before the first."""
    known = sorted((int(y), float(v)) for y, v in milestones.items())
    xs, ys = [y for y, _ in known], [v for _, v in known]
    out = {}
    for year in years:
        out[year] = float("nan") if year < xs[0] else float(np.interp(year, xs, ys))
    return pd.Series(out, name="target_share_pct", dtype=float)


def electricity_share(generation_mwh_per_a: pd.DataFrame, use_gwh_per_a: Mapping[str, float]) -> pd.DataFrame:
    """Renewable electricity [GWh_el/a] of the generating technologies against the electricity use, per area
    and date: ``generation_mwh_per_a`` holds ags, date, technology, generation_mwh_per_a (snapshot points of
    one technology set: all PV as ``pv``, never its parts as well)."""
    gen = generation_mwh_per_a[generation_mwh_per_a["technology"].isin(GENERATING)]
    total = gen.groupby(["ags", "date"], sort=True)["generation_mwh_per_a"].sum(min_count=1).reset_index()
    total["renewable_electricity_gwh_per_a"] = total.pop("generation_mwh_per_a") / MWH_PER_GWH
    total["electricity_use_gwh_per_a"] = total["ags"].map(use_gwh_per_a).astype(float)
    total["renewable_share_pct"] = 100.0 * total["renewable_electricity_gwh_per_a"] / total[
        "electricity_use_gwh_per_a"]
    return total
