"""Open-field (ground-mounted) PV: eligible land by dated legal category, capacity and yield.

Pure calculation: loaded frames (EPSG:25833), the rule sets, a yield lookup of the shared irradiation
chain and a frozen parameter object in; frames out. The step (potenzial/steps/pv_ground.py) reads.

Chain:

1. The shared exclusions (``pv_exclusions_2023``) and each category's rule set are evaluated
   by the exclusion engine (:func:`potenzial.exclusions.evaluate`) on one grid (default 10 m
   cells, exact Euclidean buffers at cell centres, corridors measured from the carriageway /
   track-bed edge through the lines' ``width_m``).
2. Category land = its include rules (:func:`potenzial.exclusions.category_mask`) minus
   the shared exclusions, inside the region. Each cell carries a bitmask of its categories, so
   a hectare in two categories is one hectare with both listed.
3. Pieces of the union below ``min_area_ha`` are dropped unless they lie within
   ``merge_distance_m`` of other pieces with which they reach it (eGon-data practice).
4. Capacity = area × ``power_density_mwp_per_ha``; specific yield of fixed-tilt south rows
   from :mod:`potenzial.irradiation` (the roofs' chain), sampled every ``yield_sampling_m``.
5. Wind overlap: cells that are also wind-eligible (the wind step's ``wind_areas``) are
   counted per area; "PV if wind first" per municipality is PV alone minus that overlap.

Outputs: ``pv_ground_areas`` (one polygon per merged area, municipality and category
combination), ``pv_ground_municipalities`` (one row per AGS), ``pv_ground_categories`` (long:
AGS × category, plus ``total`` = the union) and ``pv_ground_rules`` (every rule with its date).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from potenzial.crs import ANALYSIS_CRS, require_metric
from potenzial.errors import ConfigError, InputDataError
from potenzial.exclusions.categories import Category, category_mask, drop_small_pieces
from potenzial.exclusions.evaluate import Exclusions, evaluate
from potenzial.exclusions.excluded_land import excluded_land
from potenzial.exclusions.polygons import polygons, zone_raster
from potenzial.exclusions.rules import RuleSet
from potenzial.grid import Grid
from potenzial.ground_pv_installed import installed_per_municipality
from potenzial.irradiation import IrradiationParams, YieldLookup
from potenzial.params import check_ranges, validate_section
from potenzial.units import M2_PER_HA, MWH_PER_GWH

TOTAL = "total"  #: category name of the union row in pv_ground_categories
HARD = ("hard",)  #: rule kinds of the technical stage
MAX_CATEGORIES = 31  #: bits of the category mask (int64 keys stay exact)


# ================================================================================ parameters

class PvGroundParams(BaseModel):
    """The ``[pv_ground]`` section (layers/params/default/pv_ground.toml); units in every name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exclusions: str = "pv_exclusions_2023"  #: rule set of the exclusions shared by all categories
    categories: tuple[str, ...] = ("pv_eeg_2023", "pv_eeg_2021", "pv_baugb_2023", "pv_sn_pvfvo_2021",
                                   "pv_post_mining_2023")  #: category rule sets (file stems in layers/rules/)
    switches: dict[str, bool] = Field(default_factory=dict)  #: switchable exclusion rule id -> on/off
    resolution_m: float = Field(10.0, ge=1.0, le=100.0)
    min_area_ha: float = Field(1.0, ge=0.0, le=1000.0)
    merge_distance_m: float = Field(10.0, ge=0.0, le=500.0)
    power_density_mwp_per_ha: float = Field(1.0, gt=0.0, le=3.0)
    tilt_deg: float = Field(20.0, ge=0.0, le=60.0)
    azimuth_deg: float = Field(180.0, ge=0.0, lt=360.0)
    yield_sampling_m: float = Field(1000.0, ge=10.0, le=20_000.0)
    irradiation_margin_m: float = Field(25_000.0, ge=0.0, le=200_000.0)
    installed_layer: str = "plants_pv_open_field_2015"
    installed_power_column: str = "Power_kW"  #: [kW]
    ranges: dict[str, tuple[float, float, float]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _checks(self) -> PvGroundParams:
        if not self.categories:
            raise ValueError("categories is empty; name at least one category rule set (e.g. pv_eeg_2023)")
        if len(set(self.categories)) != len(self.categories):
            raise ValueError("categories names a rule set twice")
        if len(self.categories) > MAX_CATEGORIES:
            raise ValueError(f"at most {MAX_CATEGORIES} categories")
        if self.resolution_m > self.yield_sampling_m:
            raise ValueError("yield_sampling_m must not be finer than resolution_m")
        check_ranges(self)
        return self


def load_pv_ground_params(section: Mapping[str, Any], where: str = "[pv_ground]") -> PvGroundParams:
    """Validate the ``[pv_ground]`` section; a ConfigError names the field, the value and the fix."""
    return validate_section(PvGroundParams, section, where, "pv_ground.toml")


def fixed_orientation_params(irr: IrradiationParams, tilt_deg: float, azimuth_deg: float) -> IrradiationParams:
    """The irradiation parameters with an orientation grid on which ``tilt_deg`` and
    ``azimuth_deg`` are nodes: :func:`potenzial.irradiation.build_lookup` then computes the
    fixed-tilt rows exactly (no interpolation between orientations) and on a few planes only."""
    tilt_step = tilt_deg / np.ceil(tilt_deg / 30.0) if tilt_deg > 0 else 30.0
    az_step = azimuth_deg / np.ceil(azimuth_deg / 90.0) if azimuth_deg > 0 else 90.0
    return irr.model_copy(update={"tilt_step_deg": float(tilt_step), "azimuth_step_deg": float(az_step)})


# ================================================================================ the potential

def check_rule_sets(exclusions: RuleSet, categories: Sequence[Category]) -> None:
    """At least one category; category names and rule-set ids each used once (they key the results)."""
    if not categories:
        raise ConfigError("no PV category given; name at least one in [pv_ground] categories.")
    for what, values in (("category name", [c.name for c in categories]),
                         ("rule set id", [exclusions.id] + [c.rule_set.id for c in categories])):
        dup = sorted({v for v in values if values.count(v) > 1})
        if dup:
            raise ConfigError(f"{what}(s) {', '.join(dup)} used by more than one rule set file; give each file "
                              "its own [rule_set] id and [category] name.")


@dataclass
class PvGroundResult:
    frames: dict[str, pd.DataFrame]
    grid: Grid
    category_bits: np.ndarray  #: per cell: bit i = categories[i] (after the area filter), 0 = not eligible
    categories: tuple[Category, ...]


def solar_ground_potential(*, municipalities: gpd.GeoDataFrame, layers: Mapping[str, gpd.GeoDataFrame],
                           exclusions: RuleSet, categories: Sequence[Category], params: PvGroundParams,
                           lookup: YieldLookup, wind_areas: gpd.GeoDataFrame | None = None,
                           installed: gpd.GeoDataFrame | None = None,
                           progress: Callable[[str], None] | None = None) -> PvGroundResult:
    """The open-field PV potential (see the module docstring).

    ``layers`` holds every layer the rules name (EPSG:25833). ``lookup`` is the yield lookup of
    :func:`potenzial.irradiation.build_lookup` (best with :func:`fixed_orientation_params`).
    ``wind_areas`` are the wind-eligible polygons (None: no wind result, overlap 0).
    ``installed`` are existing ground PV plants (polygons with ``installed_power_column`` [kW]).
    """
    say = progress or (lambda message: None)
    require_metric(municipalities.crs, "municipalities")
    check_rule_sets(exclusions, categories)
    munis = municipalities.to_crs(ANALYSIS_CRS)[["ags", "geometry"]].copy()
    munis["ags"] = munis["ags"].astype(str)
    munis = munis.sort_values("ags", kind="stable").reset_index(drop=True)
    grid = Grid.from_bounds(munis.total_bounds, params.resolution_m)
    zones = zone_raster(grid, list(munis.geometry))

    say(f"exclusions: {len(exclusions.enabled_rules)} rules on {grid.width} x {grid.height} cells of "
        f"{grid.res_m:g} m")
    shared = evaluate(exclusions, layers, grid, progress=say)
    free = ~shared.excluded() & (zones > 0)
    free_hard = ~shared.excluded(kinds=HARD) & (zones > 0)  # technical stage: same bitmask, hard rules only
    rule_tables = [_rule_table(shared, None)]
    say("polygonising excluded land")
    excluded = excluded_land(shared, zones, list(munis["ags"]))
    del shared
    technical = np.zeros(grid.shape, dtype=bool)
    cat_dtype = np.uint8 if len(categories) <= 8 else np.uint16 if len(categories) <= 16 else np.uint32
    bits = np.zeros(grid.shape, dtype=cat_dtype)
    for i, category in enumerate(categories):
        say(f"category {category.name}")
        result = evaluate(category.rule_set, layers, grid, progress=say)
        technical |= category_mask(result, category, kinds=HARD) & free_hard
        mask = category_mask(result, category)
        mask &= free
        bits[mask] |= cat_dtype(1 << i)
        rule_tables.append(_rule_table(result, category))
        del result, mask
    del free, free_hard

    say("dropping small pieces")
    kept, pieces, area_of_piece = drop_small_pieces(
        bits != 0, grid, min_area_m2=params.min_area_ha * M2_PER_HA, merge_distance_m=params.merge_distance_m)
    bits[~kept] = 0
    del kept

    wind = _wind_mask(grid, wind_areas)
    say("specific yield")
    spec = _YieldSampler(grid, lookup, params)

    say("polygonising areas")
    areas = _areas(grid, bits, pieces, area_of_piece, zones, wind, spec, munis, categories, params)
    del pieces
    by_category = _by_category(grid, bits, zones, wind, spec, munis, categories, params)
    say("technical stage: the land the hard rules alone leave")
    technical_frame = _technical_stage(grid, technical, zones, spec, munis, params)
    del technical
    per_muni = _per_municipality(munis, by_category, installed, params)
    rules = pd.concat(rule_tables, ignore_index=True)[list(_RULE_COLUMNS)]
    frames = {"pv_ground_areas": areas, "pv_ground_municipalities": per_muni, "pv_ground_categories": by_category,
              "pv_ground_rules": rules, "pv_ground_technical": technical_frame, "pv_ground_exclusions": excluded}
    return PvGroundResult(frames=frames, grid=grid, category_bits=bits, categories=tuple(categories))


# ================================================================================ pieces of the chain

def _wind_mask(grid: Grid, wind_areas: gpd.GeoDataFrame | None) -> np.ndarray:
    """Cells whose centre lies in a wind-eligible area."""
    if wind_areas is None or len(wind_areas) == 0:
        return np.zeros(grid.shape, dtype=bool)
    require_metric(wind_areas.crs, "wind areas (result wind_areas)")
    geoms = wind_areas.to_crs(ANALYSIS_CRS).geometry
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        return np.zeros(grid.shape, dtype=bool)
    return zone_raster(grid, geoms) > 0


class _YieldSampler:
    """Specific yield [kWh/kWp·a] at cells, from a coarse grid of samples of the lookup."""

    def __init__(self, grid: Grid, lookup: YieldLookup, params: PvGroundParams):
        self.block = max(1, int(round(params.yield_sampling_m / grid.res_m)))
        rows = np.arange(0, grid.height, self.block)
        cols = np.arange(0, grid.width, self.block)
        # sample at the centre of each block of cells
        rc = (rows + np.minimum(rows + self.block, grid.height)) / 2.0  # in cell edges from the top
        cc = (cols + np.minimum(cols + self.block, grid.width)) / 2.0
        cy, cx = np.meshgrid(grid.y0 - rc * grid.res_m, grid.x0 + cc * grid.res_m, indexing="ij")
        n = cx.size
        values = lookup.interpolate(cx.ravel(), cy.ravel(), np.full(n, params.tilt_deg),
                                    np.full(n, params.azimuth_deg))["specific_yield_kwh_per_kwp"].to_numpy()
        if not np.isfinite(values).all() or (values <= 0).any():
            raise InputDataError("the irradiation chain gave no positive specific yield for some of the region; "
                                 "check the ghi layer (monthly GHI columns) covers the region.")
        self.coarse = values.reshape(cx.shape)

    def at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        return self.coarse[rows // self.block, cols // self.block]


def _technical_stage(grid: Grid, technical: np.ndarray, zones: np.ndarray, spec: _YieldSampler,
                     munis: gpd.GeoDataFrame, params: PvGroundParams) -> pd.DataFrame:
    """Per AGS: land of any category that no hard rule excludes, after the same small-piece filter."""
    kept, _, _ = drop_small_pieces(technical, grid, min_area_m2=params.min_area_ha * M2_PER_HA,
                                   merge_distance_m=params.merge_distance_m)
    idx = np.flatnonzero(kept.ravel())
    del kept
    rows, cols = np.divmod(idx, grid.width)
    zone = zones.ravel()[idx].astype(np.int64) - 1
    cell_ha = grid.cell_area_m2 / M2_PER_HA
    area = np.bincount(zone, minlength=len(munis)) * cell_ha
    spec_sum = np.bincount(zone, weights=spec.at(rows, cols) if len(idx) else None, minlength=len(munis))
    return pd.DataFrame({  # yield [MWh/a] = density [MWp/ha] × cell area [ha] × Σ specific yield [MWh/MWp·a]
        "ags": munis["ags"].to_numpy(), "pv_ground_technical_area_ha": area,
        "pv_ground_technical_capacity_mwp": area * params.power_density_mwp_per_ha,
        "pv_ground_technical_yield_gwh_per_a": params.power_density_mwp_per_ha * cell_ha * spec_sum / MWH_PER_GWH})


def _category_text(mask: int, names: Sequence[str]) -> str:
    return ",".join(n for i, n in enumerate(names) if mask >> i & 1)


def _areas(grid: Grid, bits: np.ndarray, pieces: np.ndarray, area_of_piece: np.ndarray, zones: np.ndarray,
           wind: np.ndarray, spec: _YieldSampler, munis: gpd.GeoDataFrame, categories: Sequence[Category],
           params: PvGroundParams) -> gpd.GeoDataFrame:
    """One (multi)polygon per merged area × municipality × category combination."""
    names = [c.name for c in categories]
    idx = np.flatnonzero(bits.ravel())
    columns = ("area_id", "ags", "site_id", "categories", "category_mask", "area_ha", "capacity_mwp",
               "specific_yield_kwh_per_kwp", "yield_mwh_per_a", "wind_overlap_ha")
    if len(idx) == 0:
        empty: dict[str, list] = {c: [] for c in columns}
        return gpd.GeoDataFrame(empty, geometry=[], crs=ANALYSIS_CRS).astype({
            "area_id": "int64", "ags": "object", "site_id": "int64", "categories": "object",
            "category_mask": "int64", "area_ha": "float64", "capacity_mwp": "float64",
            "specific_yield_kwh_per_kwp": "float64", "yield_mwh_per_a": "float64", "wind_overlap_ha": "float64"})
    n_zones = len(munis) + 1
    n_bits = len(categories)
    site = area_of_piece[pieces.ravel()[idx]].astype(np.int64)
    key = (site * n_zones + zones.ravel()[idx].astype(np.int64)) << n_bits | bits.ravel()[idx].astype(np.int64)
    uniq, code = np.unique(key, return_inverse=True)
    raster = np.zeros(grid.shape, dtype=np.int32)
    raster.ravel()[idx] = code.astype(np.int32) + 1
    frame = polygons(grid, raster)
    del raster
    value = frame["value"].to_numpy() - 1  # index into uniq (every code has cells, so all appear)
    rows, cols = np.divmod(idx, grid.width)
    cell_ha = grid.cell_area_m2 / M2_PER_HA
    cells = np.bincount(code, minlength=len(uniq)).astype(float)
    spec_sum = np.bincount(code, weights=spec.at(rows, cols), minlength=len(uniq))
    wind_cells = np.bincount(code, weights=wind.ravel()[idx].astype(float), minlength=len(uniq))
    mask_of = uniq & ((1 << n_bits) - 1)
    zone_of = (uniq >> n_bits) % n_zones
    site_of = (uniq >> n_bits) // n_zones
    area_ha = cells * cell_ha
    capacity = area_ha * params.power_density_mwp_per_ha
    spec_mean = spec_sum / cells
    ags = munis["ags"].to_numpy()
    out = gpd.GeoDataFrame({
        "area_id": np.arange(1, len(value) + 1, dtype=np.int64),
        "ags": ags[zone_of[value] - 1],
        "site_id": site_of[value].astype(np.int64),
        "categories": [_category_text(int(m), names) for m in mask_of[value]],
        "category_mask": mask_of[value].astype(np.int64),
        "area_ha": area_ha[value],
        "capacity_mwp": capacity[value],
        "specific_yield_kwh_per_kwp": spec_mean[value],
        # [MWp] × [kWh/kWp·a] = [MWh/a]
        "yield_mwh_per_a": capacity[value] * spec_mean[value],
        "wind_overlap_ha": wind_cells[value] * cell_ha,
    }, geometry=frame.geometry.values, crs=ANALYSIS_CRS)
    return out


def _by_category(grid: Grid, bits: np.ndarray, zones: np.ndarray, wind: np.ndarray, spec: _YieldSampler,
                 munis: gpd.GeoDataFrame, categories: Sequence[Category], params: PvGroundParams) -> pd.DataFrame:
    """Long table: per AGS and category (a cell counts in every category it belongs to) and the
    ``total`` row (the union: each cell once)."""
    idx = np.flatnonzero(bits.ravel())
    rows, cols = np.divmod(idx, grid.width)
    zone = zones.ravel()[idx].astype(np.int64) - 1
    b = bits.ravel()[idx].astype(np.int64)
    s = spec.at(rows, cols) if len(idx) else np.zeros(0)
    w = wind.ravel()[idx].astype(float)
    n = len(munis)
    cell_ha = grid.cell_area_m2 / M2_PER_HA
    names = [c.name for c in categories] + [TOTAL]
    records = []
    for j, name in enumerate(names):
        sel = np.ones(len(idx), dtype=bool) if name == TOTAL else (b >> j & 1).astype(bool)
        z = zone[sel]
        cells = np.bincount(z, minlength=n).astype(float)
        spec_sum = np.bincount(z, weights=s[sel], minlength=n)
        wind_cells = np.bincount(z, weights=w[sel], minlength=n)
        area = cells * cell_ha
        cap = area * params.power_density_mwp_per_ha
        # yield [MWh/a] = density [MWp/ha] × cell area [ha] × Σ specific yield [kWh/kWp·a = MWh/MWp·a]
        mwh = params.power_density_mwp_per_ha * cell_ha * spec_sum
        wind_mwh = params.power_density_mwp_per_ha * cell_ha * np.bincount(z, weights=s[sel] * w[sel], minlength=n)
        title = categories[j].title if name != TOTAL else "alle Kategorien (Vereinigung, jede Fläche einmal)"
        for k, ags in enumerate(munis["ags"]):
            records.append({
                "ags": ags, "category": name, "category_title": title,
                "area_ha": area[k], "capacity_mwp": cap[k], "yield_gwh_per_a": mwh[k] / MWH_PER_GWH,
                "wind_overlap_ha": wind_cells[k] * cell_ha,
                "area_wind_first_ha": area[k] - wind_cells[k] * cell_ha,
                "capacity_wind_first_mwp": cap[k] - wind_cells[k] * cell_ha * params.power_density_mwp_per_ha,
                "yield_wind_first_gwh_per_a": (mwh[k] - wind_mwh[k]) / MWH_PER_GWH,
            })
    return pd.DataFrame.from_records(records, columns=list(_CATEGORY_COLUMNS))


_CATEGORY_COLUMNS = ("ags", "category", "category_title", "area_ha", "capacity_mwp", "yield_gwh_per_a",
                     "wind_overlap_ha", "area_wind_first_ha", "capacity_wind_first_mwp", "yield_wind_first_gwh_per_a")


def _per_municipality(munis: gpd.GeoDataFrame, by_category: pd.DataFrame, installed: gpd.GeoDataFrame | None,
                      params: PvGroundParams) -> pd.DataFrame:
    total = by_category[by_category["category"] == TOTAL].set_index("ags").reindex(munis["ags"])
    inst = installed_per_municipality(installed, munis, params.installed_power_column)
    with np.errstate(invalid="ignore", divide="ignore"):
        spec = np.where(total["capacity_mwp"] > 0,
                        total["yield_gwh_per_a"] * MWH_PER_GWH / total["capacity_mwp"], np.nan)
    return pd.DataFrame({
        "ags": munis["ags"].to_numpy(),
        "pv_ground_area_ha": total["area_ha"].to_numpy(dtype=float),
        "pv_ground_capacity_mwp": total["capacity_mwp"].to_numpy(dtype=float),
        "pv_ground_yield_gwh_per_a": total["yield_gwh_per_a"].to_numpy(dtype=float),
        "pv_ground_specific_yield_kwh_per_kwp": spec.astype(float),
        "pv_ground_wind_overlap_ha": total["wind_overlap_ha"].to_numpy(dtype=float),
        "pv_ground_area_wind_first_ha": total["area_wind_first_ha"].to_numpy(dtype=float),
        "pv_ground_capacity_wind_first_mwp": total["capacity_wind_first_mwp"].to_numpy(dtype=float),
        "pv_ground_yield_wind_first_gwh_per_a": total["yield_wind_first_gwh_per_a"].to_numpy(dtype=float),
        "pv_ground_installed_2015_plants": inst["plants"].to_numpy(dtype=np.int64),
        "pv_ground_installed_2015_mwp": inst["mwp"].to_numpy(dtype=float),
        "pv_ground_installed_2015_ha": inst["ha"].to_numpy(dtype=float),
    })


_RULE_COLUMNS = ("rule_set", "rule_id", "category", "role", "valid_from", "title", "layer", "attribute_filter",
                 "buffer_m", "width_column", "kind", "switchable", "enabled", "features", "source")


def _rule_table(result: Exclusions, category: Category | None) -> pd.DataFrame:
    """The engine's description of an evaluated rule set, with the category and each rule's role."""
    table = result.describe()
    width = {r.id: r.width_column or "" for r in result.rule_set.rules}
    roles = []
    for rule_id, effect in zip(table["rule_id"], table["effect"], strict=True):
        if category is None:
            roles.append("exclusion (all categories)")
        elif effect == "include":
            roles.append("land of the category (all of)" if rule_id in category.require_all
                         else "land of the category")
        else:
            roles.append("exclusion (this category)")
    table["category"] = category.name if category else ""
    table["role"] = roles
    table["width_column"] = [width[r] for r in table["rule_id"]]
    table["features"] = table["features"].astype(np.int64)
    table["buffer_m"] = table["buffer_m"].astype(float)
    table["switchable"] = table["switchable"].astype(bool)
    table["enabled"] = table["enabled"].astype(bool)
    return table
