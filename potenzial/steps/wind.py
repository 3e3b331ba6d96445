"""Step `wind`: eligible areas under SächsBO §84, turbines and yield (issue 4).

Wiring only. :func:`check` reads and checks what needs no geometry: the rule set (from the
context's rules folder) against the catalog, the ``[wind]`` parameters against that rule set,
the turbine type, and the wind layer (units, height, CRS, values; its pixels are read here, once
per run). It returns them as :class:`WindInputs`; :func:`run` receives them, reads the vector
layers through the context, calls the pure calculation (:func:`potenzial.wind.wind_potential`)
and writes the exclusion bitmask and the setback distance as GeoTIFFs into the run's raster
folder for tile serving.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import rasterio
import rasterio.windows

from potenzial.crs import ANALYSIS_CRS, parse_crs, require_crs
from potenzial.errors import ConfigError, InputDataError, NotFoundError
from potenzial.exclusions import LayerSpec, Rule, RuleSet, load_rule_set
from potenzial.grid import Grid
from potenzial.steps import Step
from potenzial.steps.context import StepContext
from potenzial.tiles.display import RasterSidecar, write_sidecar
from potenzial.units import KW_PER_MW
from potenzial.wind import (
    PLOTS_LAYER,
    RESIDENTIAL_COLUMNS,
    RESIDENTIAL_LAYER,
    ReferenceTurbine,
    WindField,
    WindParams,
    load_wind_params,
    reference_turbine,
    rule_set_name,
    wind_potential,
)

#: layers the wind step needs besides those its rules name
BASE_LAYERS = ("buildings", "builtup_areas", "development_plans")
#: layers the wind step uses when the catalog has them (buildable empty plots, SächsBO §84 (2))
OPTIONAL_LAYERS = (PLOTS_LAYER,)
_SPEED_UNITS = {"m/s", "m s-1", "m s^-1", "m·s-1", "m·s⁻¹", "m s⁻¹"}
#: plausible range of a long-term mean wind speed at 50–200 m above ground [m/s]
PLAUSIBLE_MEAN_SPEED_M_PER_S = (1.0, 20.0)
NODATA_U8 = 255
NODATA_U16 = 65_535


@dataclass(frozen=True)
class WindInputs:
    """What :func:`check` prepares for :func:`run`: everything checked, nothing computed yet."""

    params: WindParams
    rule_set: RuleSet  #: switches applied
    turbine: ReferenceTurbine
    wind: WindField


@dataclass(frozen=True)
class SetbackRaster:
    """The residential setback's distance raster and what its map description says."""

    distance_m: np.ndarray  #: distance [m] from each cell centre to the setback rule's features
    rule: Rule
    buffer_m: float  #: the rule's effective setback [m] (incl. the rotor radius with rotor_in): exact
    display_max_m: float  #: top of the colour range [m] (the largest what-if setback)
    inputs: tuple[str, ...]  #: catalog layers the distance derives from


def wind_layer_specs(ctx: StepContext) -> dict[str, LayerSpec]:
    """What the rule loader may know of the layers: the catalog's, plus the residential layer the step derives."""
    specs = {lid: LayerSpec(columns=tuple(e.columns), geometry=e.geometry) for lid, e in ctx.region.layers.items()}
    buildings = ctx.region.layers.get("buildings")
    specs[RESIDENTIAL_LAYER] = LayerSpec(
        columns=(tuple(buildings.columns) if buildings else ()) + RESIDENTIAL_COLUMNS, geometry="polygon")
    return specs


def load_wind_rules(ctx: StepContext) -> tuple[WindParams, RuleSet]:
    """The ``[wind]`` parameters and the rule set they name (from the context's rules folder), each
    checked against the other (``setback_rule`` must be a rule of the set), switches applied."""
    section = ctx.section("wind")
    rule_set = load_rule_set(ctx.rule_set_path(rule_set_name(section)), wind_layer_specs(ctx))
    params = load_wind_params(section, rule_ids=[r.id for r in rule_set.rules])
    return params, rule_set.with_switches(params.switches)


def wind_field(ctx: StepContext, layer_id: str) -> WindField:
    """The wind-speed raster, checked at the boundary: units m/s, a height, EPSG:25833, plausible values."""
    entry, info = ctx.raster(layer_id)
    what = f"layer {layer_id!r} ({entry.path})"
    units = entry.units.strip()
    if units not in _SPEED_UNITS:
        raise ConfigError(f"{what}: units = {units!r}, but the wind step needs the mean wind speed in m/s. Convert "
                          "the raster (km/h: divide by 3.6; knots: multiply by 0.514) and set units = \"m/s\" in "
                          "the catalog entry.")
    height = entry.extra.get("height_m")
    if not isinstance(height, (int, float)) or isinstance(height, bool) or not 2 <= float(height) <= 300:
        raise ConfigError(f"{what}: height_m = {height!r}; give the height above ground of the wind speeds in "
                          "metres, e.g. height_m = 150 in the catalog entry.")
    # the CRS at the boundary, before a pixel is read: a raster in degrees would not "cover the region"
    require_crs(parse_crs(info.crs, what), ANALYSIS_CRS, what, "the wind potential")
    low, high = PLAUSIBLE_MEAN_SPEED_M_PER_S
    if not (low <= info.max_value <= high) or info.min_value < 0:
        hint = " It looks like km/h (divide by 3.6)." if info.max_value > high else ""
        raise InputDataError(f"{what}: values {info.min_value:.2f}–{info.max_value:.2f} are not plausible mean wind "
                             f"speeds in m/s ({low:g}–{high:g} expected).{hint} Fix the raster or its units.")
    band = ctx.raster_band(layer_id)
    return WindField(speed_m_per_s=np.asarray(band.values, dtype=np.float32), transform=band.transform,
                     crs=band.crs, height_m=float(height), nodata=band.nodata)


def installed_wind_mw(ctx: StepContext) -> dict[str, float]:
    """Installed wind per AGS [MW], Marktstammdatenregister 2024 (from the base step's figures)."""
    try:
        base = ctx.result("municipalities")
        return dict(zip(base["ags"].astype(str), base["wind_installed_mw"].astype(float), strict=True))
    except (NotFoundError, KeyError):  # no base figures: take the statistics table
        stats = ctx.statistics
        if "mastr2024_kw_wind_on" not in stats.columns:
            return {}
        return dict(zip(stats["ags"].astype(str), stats["mastr2024_kw_wind_on"].fillna(0.0) / KW_PER_MW,
                        strict=True))


def write_rasters(raster_dir: Path, grid: Grid, bitmask: np.ndarray, setback: SetbackRaster | None,
                  zones: np.ndarray, rules: pd.DataFrame, inputs: tuple[str, ...]) -> None:
    """GeoTIFFs in the run's raster folder (the grid's CRS, EPSG:25833; nodata outside the region).

    - ``wind_exclusion_bits.tif``: the rule bitmask (tag ``bits``: bit -> rule id), for analysis;
    - ``wind_exclusion_count.tif`` + sidecar: how many rules hit each cell (0 = free), for the map;
    - ``wind_setback_distance.tif`` + sidecar: distance [m] to the features of the setback rule
      (by default the residential buildings of §84 classes 1–3), whole metres, capped at
      65,534 m, for the map; title, range and description come from the rule and the parameters.
    """
    raster_dir.mkdir(parents=True, exist_ok=True)
    outside = zones == 0
    profile = {"driver": "GTiff", "width": grid.width, "height": grid.height, "count": 1, "crs": grid.crs,
               "transform": grid.transform, "tiled": True, "blockxsize": 512, "blockysize": 512,
               "compress": "deflate", "zlevel": 1, "predictor": 2}
    bits = {str(int(r.bit)): r.rule_id for r in rules.itertuples() if r.bit >= 0}
    with rasterio.open(raster_dir / "wind_exclusion_bits.tif", "w", dtype=bitmask.dtype.name,
                       nodata=None, **profile) as dst:
        dst.write(bitmask, 1)
        dst.update_tags(units="bitmask", bits=json.dumps(bits), layer="wind_exclusion_bits")
    if bitmask.dtype.itemsize <= 2:  # popcount by table lookup
        table = np.array([bin(v).count("1") for v in range(1 << (8 * bitmask.dtype.itemsize))], dtype=np.uint8)
        count = table[bitmask]
    else:
        count = np.zeros(grid.shape, dtype=np.uint8)
        for bit in range(len(bits)):
            count += ((bitmask >> bit) & 1).astype(np.uint8)
    count[outside] = NODATA_U8
    path = raster_dir / "wind_exclusion_count.tif"
    with rasterio.open(path, "w", dtype="uint8", nodata=NODATA_U8, **profile) as dst:
        dst.write(count, 1)
        dst.update_tags(units="count", layer="wind_exclusion_count")
    del count
    write_sidecar(path, RasterSidecar(
        title="Wind: number of exclusion rules per cell", title_de="Wind: Zahl der Ausschlussregeln je Zelle",
        units="count", colormap="ylorrd",
        range=(0.0, float(max(1, len(bits)))), inputs=inputs, resampling="nearest",
        description="How many rules of the wind rule set exclude the cell (0 = free of all exclusions, before "
                    "the minimum-area filter). Which rules: layer wind_exclusions, column reason."))
    if setback is None:
        return
    distance = setback.distance_m
    path = raster_dir / "wind_setback_distance.tif"
    with rasterio.open(path, "w", dtype="uint16", nodata=NODATA_U16, **profile) as dst:
        step = 512
        for r in range(0, grid.height, step):  # row blocks: no full-size copy
            block = np.minimum(np.round(distance[r:r + step]), np.float32(NODATA_U16 - 1)).astype(np.uint16)
            block[outside[r:r + step]] = NODATA_U16
            dst.write(block, 1, window=rasterio.windows.Window(0, r, grid.width, block.shape[0]))
        dst.update_tags(units="m", layer="wind_setback_distance")
    rule = setback.rule
    write_sidecar(path, RasterSidecar(
        title=f"Wind: distance to the setback features ({rule.title or rule.id})",
        title_de=f"Wind: Abstand zu den Abstandsobjekten ({rule.title or rule.id})", units="m", colormap="viridis",
        range=(0.0, float(setback.display_max_m)), inputs=setback.inputs, resampling="average",
        description=f"Distance from the cell centre to the nearest feature of rule {rule.id} "
                    f"({rule.title or rule.layer}), rounded to whole metres; the {setback.buffer_m:,g} m line "
                    "(the setback of the run) is exact. The what-if table is wind_setback_bands."))


def check(ctx: StepContext) -> WindInputs:
    """Every check that needs no geometry: rule set against the catalog, parameters against the
    rule set, turbine type, wind layer (units, height, CRS, values). A mistake fails here, before
    anything is computed; the pipeline hands the result to :func:`run`."""
    params, rule_set = load_wind_rules(ctx)
    turbine = reference_turbine(params.turbine_type, params.hub_height_m)
    wind = wind_field(ctx, params.wind_speed_layer)
    return WindInputs(params=params, rule_set=rule_set, turbine=turbine, wind=wind)


def run(ctx: StepContext, inputs: WindInputs) -> dict[str, pd.DataFrame]:
    params, rule_set = inputs.params, inputs.rule_set
    needed = sorted({r.layer for r in rule_set.enabled_rules if r.layer != RESIDENTIAL_LAYER}
                    | {r.not_within for r in rule_set.enabled_rules if r.not_within is not None} | set(BASE_LAYERS)
                    | {lid for lid in OPTIONAL_LAYERS if lid in ctx.region.layers})
    layers = {lid: ctx.vector(lid) for lid in needed}
    result = wind_potential(municipalities=ctx.municipalities, layers=layers, rule_set=rule_set, params=params,
                            turbine=inputs.turbine, wind=inputs.wind, installed_mw=installed_wind_mw(ctx),
                            progress=ctx.progress)
    ctx.progress("writing rasters")
    setback = None
    if result.setback_distance_m is not None:
        rule = rule_set.rule(params.setback_rule)
        setback = SetbackRaster(
            distance_m=result.setback_distance_m, rule=rule, buffer_m=result.exclusions.buffers_m[rule.id],
            display_max_m=params.setback_band_max_m,
            inputs=tuple(lid for lid in BASE_LAYERS + OPTIONAL_LAYERS if lid in needed)
            if rule.layer == RESIDENTIAL_LAYER else (rule.layer,))
    write_rasters(ctx.raster_dir, result.grid, result.exclusion_bitmask, setback, result.zones,
                  result.frames["wind_rules"], inputs=tuple(sorted(set(needed) | {params.wind_speed_layer})))
    return result.frames


STEP: Step[WindInputs] = Step(name="wind", order=20, check=check, run=run,
                              title="wind: SächsBO §84 areas, turbines, yield",
                              produces=("wind_areas", "wind_turbines", "wind_exclusions", "wind_municipalities",
                                        "wind_setback_bands", "wind_rules", "wind_technical", "wind_targets"))
