"""The monitoring as served: time series, used share of the potential, ranking and targets, per
municipality or group (``GET /api/monitoring``, ``GET /api/targets``, ``potenzial monitoring status``).

Columns, titles, units and classes come from :mod:`potenzial.results.monitoring`; the numbers from the
store's snapshots (:mod:`potenzial.store.snapshots`) and, for the used share, from the current run's
cascade table.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from potenzial.errors import NotFoundError
from potenzial.monitoring.groups import Group, GroupSet, load_groups
from potenzial.monitoring.params import MonitoringParams, load_monitoring_params
from potenzial.monitoring.series import (
    GENERATING,
    SERIES_COLUMNS,
    curve_points,
    electricity_share,
    group_series,
    latest_snapshot,
    snapshot_points,
    target_path,
    watts_per_inhabitant,
    with_generation,
)
from potenzial.params import load_params
from potenzial.region import Region
from potenzial.results import ResultSchema
from potenzial.results.monitoring import MONITORING_RANKING, MONITORING_SERIES, MONITORING_STATUS, MONITORING_TARGETS
from potenzial.serving.headline import USE_TABLE_COLUMNS, electricity_use
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector
from potenzial.store.base import Store
from potenzial.units import KW_PER_MW, MWH_PER_GWH

#: installed technology -> (cascade column prefix, unit of the comparison)
POTENTIAL_OF = {"pv_roof": ("solar_roof", "capacity_mwp"), "pv_ground": ("pv_ground", "capacity_mwp"),
                "wind": ("wind", "capacity_mw"), "biomass": ("biomass", "primary_energy_gwh_per_a")}
STAGES = ("technical", "restricted", "realisable")


@dataclass(frozen=True)
class MonitoringContext:
    region: Region
    params: MonitoringParams
    sets: dict[str, GroupSet]
    groups: dict[str, Group]
    names: dict[str, str]
    population: dict[str, float]
    electricity_use_gwh_per_a: dict[str, float]  #: per AGS: the region's table, else the county's use by population
    use_estimated: dict[str, bool]  #: per AGS: True where the use is the population split
    biomass_efficiency: float


def monitoring_context(region: Region, params_dir: Path) -> MonitoringContext:
    municipalities = read_vector(region.layer(region.municipalities_layer))
    names = dict(zip(municipalities["ags"].astype(str), municipalities["name"].astype(str), strict=True))
    stats = read_table(region.layer(region.statistics_layer))
    stats["ags"] = stats["ags"].astype(str)
    stats = stats[stats["ags"].isin(names)]
    population = dict(zip(stats["ags"], pd.to_numeric(stats["population_2021"]).astype(float), strict=True))
    values = load_params(params_dir)
    headline = values.section("headline")
    layer = str(headline.get("electricity_use_layer", "electricity_use"))
    table = read_table(region.layer(layer), required=USE_TABLE_COLUMNS) if layer in region.layers else None
    merged = pd.DataFrame({"ags": list(population), "population": list(population.values())})
    use, basis = electricity_use(merged, float(headline["county_electricity_use_gwh_per_a"]), table)
    sets, groups = load_groups(region.root / "region.toml", set(names))
    efficiency = float(values.section("cascade").get("biomass_existing_electrical_efficiency", 0.39))
    return MonitoringContext(region, load_monitoring_params(params_dir), sets, groups, names, population,
                             dict(zip(merged["ags"], use.astype(float), strict=True)),
                             dict(zip(merged["ags"], basis == "estimate", strict=True)), efficiency)


def municipality_series(store: Store, ctx: MonitoringContext) -> pd.DataFrame:
    """The series of every municipality: snapshot points of all snapshots, the curve of the newest
    unit-level one, with generation."""
    snapshots = store.snapshots()
    sums = snapshots.sums(ctx.region.id)
    points = [snapshot_points(sums, ctx.names)]
    units = [r for r in snapshots.records(ctx.region.id) if r.kind == "units"]
    if units:
        points.append(curve_points(snapshots.read(units[-1].snapshot_id), ctx.names))
    filled = [p for p in points if len(p)]
    if not filled:  # no snapshot yet: an empty series with every column
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("capacity_kw", "generation_mwh_per_a") else
                                          "object") for c in SERIES_COLUMNS})
    return with_generation(pd.concat(filled, ignore_index=True), ctx.params)


def _area(ctx: MonitoringContext, ags: str | None, group: str | None) -> tuple[dict[str, object], tuple[str, ...]]:
    if bool(ags) == bool(group):
        raise NotFoundError("name one area: ?ags=<8-digit AGS> or ?group=<group id> (not both).")
    if ags:
        if ags not in ctx.names:
            raise NotFoundError(f"municipality {ags!r} is not in region {ctx.region.id!r}.")
        return {"kind": "municipality", "id": ags, "title_de": ctx.names[ags], "title_en": ctx.names[ags]}, (ags,)
    if group not in ctx.groups:
        raise NotFoundError(f"group {group!r} is not declared in the region file; known groups: "
                            f"{', '.join(sorted(ctx.groups))}.")
    g = ctx.groups[str(group)]
    return ({"kind": "group", "id": g.id, "title_de": g.title_de, "title_en": g.title_en, "set": g.set,
             "members": list(g.members), "source": g.source, "verified": g.verified, "placeholder": g.placeholder},
            g.members)


def _columns(schema: ResultSchema) -> list[dict[str, object]]:
    units = dict(schema.units)
    out = []
    for name in schema.column_names:
        title = schema.column_title(name)
        classes: list[dict[str, str]] = [{"code": c.code, "title_de": c.title_de, "title_en": c.title_en}
                                         for c in schema.classes_of(name)]
        column: dict[str, object] = {"name": name, "title_de": title["de"], "title_en": title["en"],
                                     "unit": units.get(name, "")}
        if classes:
            column["classes"] = classes
        out.append(column)
    return out


def _rows(frame: pd.DataFrame, schema: ResultSchema) -> list[dict[str, object]]:
    out = []
    for rec in frame[schema.column_names].to_dict("records"):
        plain = {k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items()}  # numpy -> Python
        out.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in plain.items()})
    return out


def area_series(series: pd.DataFrame, ctx: MonitoringContext, area_id: str, members: tuple[str, ...],
                is_group: bool) -> pd.DataFrame:
    if not is_group:
        return series[series["ags"] == area_id].reset_index(drop=True)
    return group_series(series, [ctx.groups[area_id]])


def used_shares(latest: pd.DataFrame, cascade: pd.DataFrame | None, members: tuple[str, ...], area_id: str,
                ctx: MonitoringContext) -> pd.DataFrame:
    """Installed against each stage of the cascade, summed over ``members``."""
    rows = []
    if cascade is None:
        return pd.DataFrame(columns=MONITORING_STATUS.column_names)
    cas = cascade[cascade["ags"].isin(members)]
    lat = latest[latest["ags"].isin(members)]
    for tech, (prefix, quantity) in POTENTIAL_OF.items():
        kw = float(lat.loc[lat["technology"] == tech, "capacity_kw"].sum()) if (lat["technology"] == tech).any() \
            else math.nan
        if tech == "biomass":  # the primary energy the plants use [GWh/a] = generation / electrical efficiency
            installed = kw * ctx.params.biomass_full_load_h_per_a / 1000.0 / MWH_PER_GWH / ctx.biomass_efficiency
            unit = "GWh/a (primary energy)"
        else:
            installed, unit = kw / KW_PER_MW, "MW"
        for stage in STAGES:
            column = f"{prefix}_{stage}_{quantity}"
            if column not in cas.columns:
                continue
            potential = float(cas[column].sum())
            share = 100.0 * installed / potential if potential > 0 else math.nan
            rows.append((area_id, tech, stage, installed, potential, max(potential - installed, 0.0), share, unit))
    return pd.DataFrame(rows, columns=MONITORING_STATUS.column_names)


def _current_cascade(store: Store) -> pd.DataFrame | None:
    if store.current_run() is None:
        return None
    try:
        return store.read("cascade_municipalities")
    except NotFoundError:
        return None


def monitoring_view(store: Store, ctx: MonitoringContext, ags: str | None = None, group: str | None = None
                    ) -> dict[str, Any]:
    """Everything the monitoring shows for one municipality or group."""
    area, members = _area(ctx, ags, group)
    series = municipality_series(store, ctx)
    mine = area_series(series, ctx, str(area["id"]), members, area["kind"] == "group")
    latest_all = latest_snapshot(series) if len(series) else series
    ranking = watts_per_inhabitant(latest_all, ctx.population) if len(series) else pd.DataFrame(
        columns=MONITORING_RANKING.column_names)
    ranking = ranking[ranking["ags"].isin(members)]
    status = used_shares(latest_all, _current_cascade(store), members, str(area["id"]), ctx) if len(series) else \
        pd.DataFrame(columns=MONITORING_STATUS.column_names)
    records = store.snapshots().records(ctx.region.id)
    return {
        "area": area,
        "snapshots": [{"snapshot_id": r.snapshot_id, "as_of": r.as_of, "title": r.title, "kind": r.kind,
                       "source": r.source} for r in records],
        "series": {"title_de": MONITORING_SERIES.titles["de"], "title_en": MONITORING_SERIES.titles["en"],
                   "columns": _columns(MONITORING_SERIES), "rows": _rows(mine, MONITORING_SERIES)},
        "status": {"title_de": MONITORING_STATUS.titles["de"], "title_en": MONITORING_STATUS.titles["en"],
                   "columns": _columns(MONITORING_STATUS), "rows": _rows(status, MONITORING_STATUS)},
        "ranking": {"title_de": MONITORING_RANKING.titles["de"], "title_en": MONITORING_RANKING.titles["en"],
                    "columns": _columns(MONITORING_RANKING), "rows": _rows(ranking, MONITORING_RANKING)},
    }


def targets_frame(series: pd.DataFrame, ctx: MonitoringContext, area_id: str, members: tuple[str, ...],
                  is_group: bool) -> pd.DataFrame:
    """Target path per year from the first milestone to the last, with the share where a snapshot covers
    all generating technologies (PV in total, wind, biomass, hydro)."""
    milestones = ctx.params.targets.get("renewable_electricity_share_pct", {})
    years = range(min(milestones), max(milestones) + 1) if milestones else range(0)
    path = target_path(milestones, years) if milestones else pd.Series(dtype=float)
    mine = area_series(series, ctx, area_id, members, is_group) if len(series) else series
    snaps = mine[mine["point"] == "snapshot"] if len(mine) else mine
    complete = [d for d, part in snaps.groupby("date")
                if set(GENERATING) <= set(part["technology"])] if len(snaps) else []
    use = {area_id: sum(ctx.electricity_use_gwh_per_a[m] for m in members)}
    estimated = any(ctx.use_estimated[m] for m in members)
    share = electricity_share(snaps[snaps["date"].isin(complete)], use) if complete else pd.DataFrame(
        columns=["ags", "date", "renewable_electricity_gwh_per_a", "electricity_use_gwh_per_a", "renewable_share_pct"])
    by_year = {int(str(d)[:4]): r for d, r in share.set_index("date").iterrows()} if len(share) else {}
    all_years = sorted(set(years) | set(by_year))
    rows = []
    for year in all_years:
        target = float(path.get(year, math.nan)) if len(path) else math.nan
        got = by_year.get(year)
        actual = float(got["renewable_share_pct"]) if got is not None else math.nan
        gen = float(got["renewable_electricity_gwh_per_a"]) if got is not None else math.nan
        rows.append((area_id, year, target, actual, target - actual, gen, use[area_id], estimated))
    return pd.DataFrame(rows, columns=MONITORING_TARGETS.column_names)


def _wind_targets(store: Store, members: tuple[str, ...]) -> list[dict[str, object]]:
    if store.current_run() is None:
        return []
    try:
        frame = store.read("wind_targets")
    except NotFoundError:
        return []
    mine = frame[frame["ags"].isin(members)]
    out = []
    for target_id, part in mine.groupby("target_id", sort=True):
        target_ha = float(part["target_area_ha"].sum())
        gap_ha = float(part["gap_ha"].clip(lower=0).sum())
        out.append({"target_id": str(target_id), "title": str(part["title"].iloc[0]),
                    "target_share_pct": float(part["target_share_pct"].iloc[0]),
                    "deadline": str(part["deadline"].iloc[0]), "target_area_ha": target_ha,
                    "gap_ha": gap_ha, "source": str(part["source"].iloc[0])})
    return out


def targets_view(store: Store, ctx: MonitoringContext, ags: str | None = None, group: str | None = None
                 ) -> dict[str, Any]:
    """The Leitbild share against the estimated generation, the target path and the gap; the wind-area
    targets of the current run."""
    area, members = _area(ctx, ags, group)
    series = municipality_series(store, ctx)
    frame = targets_frame(series, ctx, str(area["id"]), members, area["kind"] == "group")
    return {
        "area": area,
        "electricity_use_note": ({"de": "Stromverbrauch geschätzt: Verbrauch des Landkreises (≈ 1,6 TWh/a) nach "
                                        "Einwohnern aufgeteilt",
                                  "en": "electricity use estimated: the county's use (≈ 1.6 TWh/a) split by population"}
                                 if any(ctx.use_estimated[m] for m in members) else
                                 {"de": "Stromverbrauch aus der Verbrauchstabelle der Region",
                                  "en": "electricity use from the region's table"}),
        "targets": {"title_de": MONITORING_TARGETS.titles["de"], "title_en": MONITORING_TARGETS.titles["en"],
                    "columns": _columns(MONITORING_TARGETS), "rows": _rows(frame, MONITORING_TARGETS)},
        "wind_area_targets": _wind_targets(store, members),
    }


def table_csv(table: dict[str, Any], schema: ResultSchema, lang: str = "de") -> bytes:
    """A table of :func:`monitoring_view` or :func:`targets_view` as UTF-8 CSV for a person: the columns'
    titles with their units in ``lang`` and class values by their titles (the codes stay in the data)."""
    lang = lang if lang in ("de", "en") else "de"
    units = dict(schema.units)
    headers, titles = [], {}
    for name in schema.column_names:
        title = schema.column_title(name)[lang]
        headers.append(f"{title} [{units[name]}]" if units.get(name) else title)
        titles[name] = {c.code: (c.title_de if lang == "de" else c.title_en) for c in schema.classes_of(name)}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    for row in table["rows"]:
        writer.writerow(["" if row[n] is None else titles[n].get(str(row[n]), row[n]) for n in schema.column_names])
    return buffer.getvalue().encode("utf-8")
