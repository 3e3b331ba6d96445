"""The wind potential of a region: eligible areas, turbines, yield, per-municipality figures.

Pure calculation: loaded frames (EPSG:25833), the wind-speed field (:class:`WindField`, which carries
its CRS), a rule set and a parameter object in; frames and rasters out. The pipeline step (potenzial/steps/wind.py)
does the reading and writing.

Chain: residential buildings classified for SächsBO §84 -> the rule set evaluated on a grid
(exact buffers, a bitmask of the rules that hit each cell, the distance to the residential
buildings of classes 1–3) -> eligible cells -> connected areas (4-connected) without the
pieces below ``min_area_ha`` -> areas without room for ``min_turbines_per_area`` turbines (each
packed on its own) dropped -> turbines placed greedily over all areas -> areas cut by
municipality and polygonised ->
yield per turbine -> sums per municipality. The eligible area by setback band is computed
from the distance raster among the cells free of every other exclusion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import ndimage

from potenzial.crs import ANALYSIS_CRS, require_metric
from potenzial.errors import ConfigError
from potenzial.exclusions import (
    Exclusions,
    RuleSet,
    Target,
    area_by_distance,
    evaluate,
    excluded_land,
    polygons,
    zone_raster,
)
from potenzial.grid import Grid
from potenzial.units import M2_PER_HA, MWH_PER_GWH
from potenzial.wind.field import WindField
from potenzial.wind.params import WindParams
from potenzial.wind.placement import place_turbines, spacing_mask
from potenzial.wind.residential import classify_residential
from potenzial.wind.turbine import ReferenceTurbine, hub_wind_speed, net_yield_mwh_per_a

RESIDENTIAL_LAYER = "residential_buildings"  #: the layer this module derives for the rules
RESIDENTIAL_COLUMNS = ("sachsbo84_class", "group_size")
PLOTS_LAYER = "residential_plots"  #: optional: buildable but still empty residential plots (SächsBO §84 (2))
_FOUR = ndimage.generate_binary_structure(2, 1)


@dataclass
class WindResult:
    """Frames for the store and rasters for the raster cache."""

    frames: dict[str, pd.DataFrame]
    grid: Grid
    exclusion_bitmask: np.ndarray  #: bit i = rule i of ``rules`` (see frames['wind_rules'])
    #: distance [m] to the features of the setback rule (params.setback_rule; default the residential
    #: buildings of SächsBO §84 classes 1–3); None when that rule is switched off
    setback_distance_m: np.ndarray | None
    eligible: np.ndarray  #: final eligible cells (after area filters)
    exclusions: Exclusions
    zones: np.ndarray  #: municipality index per cell (1-based in AGS order, 0 = outside)


def wind_potential(*, municipalities: gpd.GeoDataFrame, layers: Mapping[str, gpd.GeoDataFrame],
                   rule_set: RuleSet, params: WindParams, turbine: ReferenceTurbine, wind: WindField,
                   installed_mw: Mapping[str, float] | None = None, progress=None) -> WindResult:
    """The wind potential (see module docstring). ``layers`` holds the catalog layers the rules use
    plus ``buildings``, ``builtup_areas`` and ``development_plans`` for the residential classes.

    ``params`` come from :func:`potenzial.wind.load_wind_params` with this ``rule_set`` (which checks
    that ``setback_rule`` is one of its rules); ``wind`` must be in EPSG:25833 like the grid."""
    say = progress or (lambda message: None)
    require_metric(municipalities.crs, "municipalities")
    wind.require_crs(ANALYSIS_CRS)
    munis = municipalities.to_crs(ANALYSIS_CRS)[["ags", "geometry"]].copy()
    munis["ags"] = munis["ags"].astype(str)
    munis = munis.sort_values("ags", kind="stable").reset_index(drop=True)
    for needed in ("buildings", "builtup_areas", "development_plans"):
        if needed not in layers:
            raise ConfigError(f"the wind potential needs layer {needed!r} for the SächsBO §84 classes; "
                              "it was not loaded.")

    say("classifying residential buildings (SächsBO §84)")
    residential = classify_residential(
        layers["buildings"], layers["builtup_areas"], layers["development_plans"],
        residential_use=params.residential_use, plan_uses_with_housing=params.plan_uses_with_housing,
        group_distance_m=params.residential_group_distance_m,
        group_min_buildings=params.residential_group_min_buildings, plots=layers.get(PLOTS_LAYER))
    all_layers = {**layers, RESIDENTIAL_LAYER: residential}

    grid = Grid.from_bounds(munis.total_bounds, params.resolution_m)
    extra_m = turbine.rotor_radius_m if params.rotor_in else 0.0
    enabled = {r.id for r in rule_set.enabled_rules}
    # the residential setback: the rule whose distance raster gives the what-if bands (none when switched off)
    setback_rule = params.setback_rule if rule_set.rule(params.setback_rule).enabled else None
    say(f"evaluating {len(enabled)} rules on {grid.width} x {grid.height} cells of {grid.res_m:g} m")
    excl = evaluate(rule_set, all_layers, grid, extra_buffer_m=extra_m,
                    keep_distance=[setback_rule] if setback_rule else [],
                    distance_max_m=params.setback_band_max_m + extra_m + grid.res_m, progress=say)
    zones = zone_raster(grid, list(munis.geometry))
    say("setback bands")
    bands = _setback_bands(excl, setback_rule, zones, munis, params, extra_m)

    eligible = excl.eligible() & (zones > 0)
    eligible, labels = drop_small_areas(eligible, params.min_area_ha * M2_PER_HA / grid.cell_area_m2)
    spacing: dict[str, Any] = {"rotor_diameter_m": turbine.rotor_diameter_m,
                               "along_diameters": params.spacing_along_rotor_diameters,
                               "across_diameters": params.spacing_across_rotor_diameters,
                               "direction_deg": params.main_wind_direction_deg}
    if params.min_turbines_per_area > 1:
        say(f"keeping areas with room for {params.min_turbines_per_area} turbines")
        r_alone, c_alone = place_turbines(eligible, grid, labels=labels, **spacing)
        room = np.bincount(labels[r_alone, c_alone], minlength=int(labels.max()) + 1)
        too_few = room < params.min_turbines_per_area
        too_few[0] = True
        eligible &= ~too_few[labels]

    say("placing turbines")
    rows, cols = place_turbines(eligible, grid, **spacing)
    say("technical stage: the land the hard rules alone leave")
    technical = _technical_stage(excl, zones, munis, rows, cols, grid, params, spacing, turbine, wind)

    say("polygonising areas")
    areas, piece_of_turbine = _areas(grid, eligible, labels, zones, munis, rows, cols)
    del labels
    turbines = _turbines(grid, rows, cols, zones, munis, piece_of_turbine, turbine, wind, params)
    say("polygonising exclusions")
    exclusions = excluded_land(excl, zones, list(munis["ags"]))
    rules = excl.describe()
    per_muni = _per_municipality(munis, areas, turbines, rule_set.targets, installed_mw or {})
    frames = {"wind_areas": areas, "wind_turbines": turbines, "wind_exclusions": exclusions,
              "wind_municipalities": per_muni, "wind_setback_bands": bands, "wind_rules": rules,
              "wind_technical": technical,
              "wind_targets": target_table(per_muni, munis, rule_set.targets)}
    return WindResult(frames=frames, grid=grid, exclusion_bitmask=excl.bitmask,
                      setback_distance_m=excl.distances.get(setback_rule) if setback_rule else None,
                      eligible=eligible, exclusions=excl, zones=zones)


def drop_small_areas(eligible: np.ndarray, min_cells: float) -> tuple[np.ndarray, np.ndarray]:
    """Eligible cells without the 4-connected areas of fewer than ``min_cells`` cells, and the area
    label of every cell (0 = none). A subset of the eligible cells never keeps more: each of its
    areas lies inside an area of the larger set, which is at least as large."""
    labels, n = ndimage.label(eligible, structure=_FOUR)
    cells = np.bincount(labels.ravel(), minlength=n + 1)
    small = cells < min_cells
    small[0] = True
    kept = eligible & ~small[labels]
    labels[~kept] = 0
    return kept, labels


def _technical_stage(excl: Exclusions, zones: np.ndarray, munis: gpd.GeoDataFrame, rows: np.ndarray,
                     cols: np.ndarray, grid: Grid, params: WindParams, spacing: Mapping[str, Any],
                     turbine: ReferenceTurbine, wind: WindField) -> pd.DataFrame:
    """Per municipality, the technical stage of the cascade: the cells that no *hard* exclusion rule
    hits (the same bitmask, no geometry evaluated again), without the pieces below ``min_area_ha``.
    The run's turbines (the restricted stage) stay where they are and more are placed on the land
    that only soft rules exclude, so no municipality has fewer technical than restricted turbines."""
    hard = excl.eligible(kinds=("hard",)) & (zones > 0)
    hard, _ = drop_small_areas(hard, params.min_area_ha * M2_PER_HA / grid.cell_area_m2)
    hard_free = hard & ~spacing_mask(grid.shape, rows, cols, res_m=grid.res_m, **spacing)
    more_r, more_c = place_turbines(hard_free, grid, **spacing)
    del hard_free
    all_r, all_c = np.concatenate([rows, more_r]), np.concatenate([cols, more_c])
    turbines = _turbines(grid, all_r, all_c, zones, munis, np.zeros(len(all_r), dtype=np.int64), turbine, wind,
                         params)
    ags = munis["ags"].astype(str)
    t = turbines.groupby("ags").agg(n=("turbine_id", "size"), mw=("capacity_mw", "sum"),
                                    mwh=("yield_mwh_per_a", "sum")).reindex(ags, fill_value=0)
    cells = np.bincount(zones[hard].astype(np.int64), minlength=len(munis) + 1)[1:]
    return pd.DataFrame({
        "ags": ags.to_numpy(),
        "wind_technical_area_ha": cells * grid.cell_area_m2 / M2_PER_HA,
        "wind_technical_turbines": t["n"].to_numpy(dtype=np.int64),
        "wind_technical_capacity_mw": t["mw"].to_numpy(dtype=float),
        "wind_technical_yield_gwh_per_a": t["mwh"].to_numpy(dtype=float) / MWH_PER_GWH,
    })


def _setback_bands(excl: Exclusions, setback_rule: str | None, zones: np.ndarray, munis: gpd.GeoDataFrame,
                   params: WindParams, extra_m: float) -> pd.DataFrame:
    """Per municipality and setback s: eligible area [ha] if the setback rule used s instead."""
    thresholds = params.setback_thresholds_m
    columns: dict[str, list] = {"ags": [], "setback_m": [], "eligible_ha": [], "eligible_share_pct": []}
    if setback_rule is None:
        return pd.DataFrame(columns)
    free = excl.eligible(ignore=[setback_rule]) & (zones > 0)
    exempt = excl.exempt.get(setback_rule)
    if exempt is not None:  # inside the exception areas the setback applies at no distance
        free_exempt = free & exempt
        free &= ~exempt
    area_m2 = area_by_distance(excl.distances[setback_rule], free, zones, len(munis),
                               [t + extra_m for t in thresholds], excl.grid.cell_area_m2)
    if exempt is not None:
        cells = np.bincount(zones[free_exempt].astype(np.int64), minlength=len(munis) + 1)[1:]
        area_m2 = area_m2 + (cells * excl.grid.cell_area_m2)[:, None]
    muni_ha = munis.geometry.area.to_numpy() / M2_PER_HA
    for i, ags in enumerate(munis["ags"]):
        for j, t in enumerate(thresholds):
            ha = area_m2[i, j] / M2_PER_HA
            columns["ags"].append(ags)
            columns["setback_m"].append(float(t))
            columns["eligible_ha"].append(ha)
            columns["eligible_share_pct"].append(100.0 * ha / muni_ha[i])
    return pd.DataFrame(columns)


def _areas(grid: Grid, eligible: np.ndarray, labels: np.ndarray, zones: np.ndarray, munis: gpd.GeoDataFrame,
           rows: np.ndarray, cols: np.ndarray) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Eligible areas cut by municipality: one (multi)polygon per (area, municipality)."""
    idx = np.flatnonzero(eligible.ravel())
    n_z = len(munis) + 1
    key = labels.ravel()[idx].astype(np.int64) * n_z + zones.ravel()[idx]
    uniq, piece = np.unique(key, return_inverse=True)
    pieces = np.zeros(grid.shape, dtype=np.int32)
    pieces.ravel()[idx] = piece.astype(np.int32) + 1
    frame = polygons(grid, pieces)
    piece_of_turbine = pieces[rows, cols]
    del pieces
    zone_of_piece = (uniq % n_z).astype(np.int64)
    ags = munis["ags"].to_numpy()
    count = np.bincount(piece_of_turbine, minlength=len(uniq) + 1)
    value = frame["value"].to_numpy()
    out = gpd.GeoDataFrame({
        "area_id": value,
        "ags": ags[zone_of_piece[value - 1] - 1] if len(value) else np.array([], dtype=object),
        "park_id": np.unique(uniq[value - 1] // n_z, return_inverse=True)[1].astype(np.int64) + 1
        if len(value) else np.array([], dtype=np.int64),
        "area_ha": shapely.area(np.asarray(frame.geometry.values, dtype=object)) / M2_PER_HA,
        "turbines": count[value].astype(np.int64) if len(value) else np.array([], dtype=np.int64),
    }, geometry=frame.geometry.values, crs=ANALYSIS_CRS)
    return out, piece_of_turbine


def _turbines(grid: Grid, rows: np.ndarray, cols: np.ndarray, zones: np.ndarray, munis: gpd.GeoDataFrame,
              piece_of_turbine: np.ndarray, turbine: ReferenceTurbine, wind: WindField,
              params: WindParams) -> gpd.GeoDataFrame:
    x, y = grid.centers(rows, cols)
    v_ref = wind.sample(x, y) if len(x) else np.array([], dtype=float)
    v_hub = hub_wind_speed(v_ref, wind.height_m, turbine.hub_height_m, params.hellmann_exponent)
    yield_mwh = net_yield_mwh_per_a(turbine, v_hub, weibull_k=params.weibull_k,
                                    wake_loss_share=params.wake_loss_share,
                                    availability_share=params.availability_share) if len(x) else np.array([])
    ags = munis["ags"].to_numpy()
    n = len(x)
    return gpd.GeoDataFrame({
        "turbine_id": np.arange(1, n + 1, dtype=np.int64),
        "ags": ags[zones[rows, cols].astype(np.int64) - 1] if n else np.array([], dtype=object),
        "area_id": piece_of_turbine.astype(np.int64),
        "turbine_type": np.full(n, turbine.turbine_type, dtype=object),
        "hub_height_m": np.full(n, turbine.hub_height_m),
        "rotor_diameter_m": np.full(n, turbine.rotor_diameter_m),
        "capacity_mw": np.full(n, turbine.capacity_mw),
        "wind_speed_hub_m_per_s": v_hub,
        "yield_mwh_per_a": yield_mwh,
        "full_load_hours": yield_mwh / turbine.capacity_mw if n else np.array([]),
    }, geometry=shapely.points(x, y) if n else [], crs=ANALYSIS_CRS)


def _due_share_pct(targets: tuple[Target, ...], year: int) -> float:
    """The largest share [%] a target in force asks for by ``year`` (NaN when none falls due then)."""
    shares = [t.share_pct for t in targets if t.in_force and t.deadline.year == year]
    return max(shares) if shares else float("nan")


def target_table(per_muni: pd.DataFrame, munis: gpd.GeoDataFrame, targets: tuple[Target, ...]) -> pd.DataFrame:
    """One row per municipality and area target of the rule set: the eligible share beside the target."""
    area_ha = munis.geometry.area.to_numpy() / M2_PER_HA
    wind_ha = per_muni["wind_area_ha"].to_numpy(dtype=float)
    parts = []
    for t in targets:
        target_ha = t.share_pct / 100.0 * area_ha
        parts.append(pd.DataFrame({
            "ags": per_muni["ags"].to_numpy(), "target_id": t.id, "title": t.title or t.id, "scope": t.scope,
            "target_share_pct": t.share_pct, "deadline": t.deadline.isoformat(), "enacted": t.enacted.isoformat(),
            "wind_area_share_pct": per_muni["wind_area_share_pct"].to_numpy(dtype=float),
            "target_area_ha": target_ha, "gap_ha": target_ha - wind_ha, "met": wind_ha >= target_ha,
            "in_force": t.in_force, "source": t.source}))
    columns = ["ags", "target_id", "title", "scope", "target_share_pct", "deadline", "enacted",
               "wind_area_share_pct", "target_area_ha", "gap_ha", "met", "in_force", "source"]
    if not parts:
        return pd.DataFrame({c: [] for c in columns})
    return pd.concat(parts, ignore_index=True)[columns]


def _per_municipality(munis: gpd.GeoDataFrame, areas: gpd.GeoDataFrame, turbines: gpd.GeoDataFrame,
                      targets: tuple[Target, ...], installed_mw: Mapping[str, float]) -> pd.DataFrame:
    ags = munis["ags"]
    area_ha = pd.Series(munis.geometry.area.to_numpy() / M2_PER_HA, index=ags.to_numpy())
    wind_ha = areas.groupby("ags")["area_ha"].sum().reindex(area_ha.index, fill_value=0.0)
    t = turbines.groupby("ags").agg(n=("turbine_id", "size"), mw=("capacity_mw", "sum"),
                                    mwh=("yield_mwh_per_a", "sum")).reindex(area_ha.index, fill_value=0)
    out = pd.DataFrame({
        "ags": area_ha.index.astype(str),
        "wind_area_ha": wind_ha.to_numpy(dtype=float),
        "wind_area_share_pct": 100.0 * wind_ha.to_numpy(dtype=float) / area_ha.to_numpy(),
        "wind_area_gap_2027_ha": _due_share_pct(targets, 2027) / 100.0 * area_ha.to_numpy() - wind_ha.to_numpy(),
        "wind_area_gap_2032_ha": _due_share_pct(targets, 2032) / 100.0 * area_ha.to_numpy() - wind_ha.to_numpy(),
        "wind_turbines": t["n"].to_numpy(dtype=np.int64),
        "wind_capacity_mw": t["mw"].to_numpy(dtype=float),
        "wind_yield_gwh_per_a": t["mwh"].to_numpy(dtype=float) / MWH_PER_GWH,
        "wind_installed_2024_mw": [float(installed_mw.get(a, np.nan)) for a in area_ha.index],
    })
    with np.errstate(invalid="ignore", divide="ignore"):
        out["wind_full_load_hours"] = np.where(out["wind_capacity_mw"] > 0,
                                               out["wind_yield_gwh_per_a"] * MWH_PER_GWH / out["wind_capacity_mw"],
                                               np.nan)
    return out
