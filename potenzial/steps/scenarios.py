"""Step `scenarios`: the fast path's tables for what-if scenarios (issue 14).

Wiring only. :func:`check` loads the ``[scenarios]`` parameters and the wind rule set (the same as
the wind step's) and checks that every scenario criterion is a switchable rule of it. :func:`run`
reads what the wind step wrote into this run's raster folder (the rule bitmask and the distance to
the residential buildings), evaluates with the exclusion engine only the scenario criteria the run
left switched off (e.g. landscape protection areas), counts the histograms
(:func:`potenzial.scenarios.setback_histograms`) and returns ``scenario_bands`` and
``scenario_parameters``. Runs after the wind step (order 25).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import rasterio

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import ConfigError, InputDataError
from potenzial.exclusions import RuleSet, select_features, within_mask, zone_raster
from potenzial.grid import Grid
from potenzial.scenarios import BandTable, ScenarioParams, load_scenario_params, setback_histograms
from potenzial.scenarios.cells import CELLS_RASTER, NODATA, CellEncoding, encoding_for, pack_cells
from potenzial.steps import Step
from potenzial.steps.context import StepContext
from potenzial.steps.wind import load_wind_rules
from potenzial.wind import WindParams, reference_turbine

#: the PV power density's key in [pv_ground] (its range in [pv_ground.ranges])
PV_DENSITY_KEY = "power_density_mwp_per_ha"


@dataclass(frozen=True)
class ScenarioInputs:
    params: ScenarioParams
    wind: WindParams
    rule_set: RuleSet  #: switches applied, as in the wind step
    extra_m: float  #: rotor radius with rotor_in, else 0 [m]
    pv_density: tuple[float, float, float]  #: run value, low, high [MWp/ha]


def check(ctx: StepContext) -> ScenarioInputs:
    params = load_scenario_params(ctx.params.values.get("scenarios", {}))
    wind, rule_set = load_wind_rules(ctx)
    for name in params.criteria:
        rule = next((r for r in rule_set.rules if r.id == name), None)
        if rule is None or not rule.switchable or rule.effect != "exclude":
            raise ConfigError(f"parameter [scenarios] criteria: {name!r} is not a switchable exclusion rule of rule "
                              f"set {rule_set.id!r}; switchable: "
                              f"{', '.join(r.id for r in rule_set.rules if r.switchable)}.")
    if wind.setback_rule in params.criteria:
        raise ConfigError(f"parameter [scenarios] criteria: {wind.setback_rule!r} is the residential setback "
                          "itself (the slider); remove it from criteria.")
    extra = reference_turbine(wind.turbine_type, wind.hub_height_m).rotor_radius_m if wind.rotor_in else 0.0
    pv = ctx.params.values.get("pv_ground", {})
    value = float(pv.get(PV_DENSITY_KEY, 1.0))
    low, _, high = (float(v) for v in pv.get("ranges", {}).get(PV_DENSITY_KEY, (value, value, value)))
    return ScenarioInputs(params=params, wind=wind, rule_set=rule_set, extra_m=extra, pv_density=(value, low, high))


def _read(ctx: StepContext, name: str) -> rasterio.DatasetReader:
    path = ctx.raster_dir / name
    if not path.exists():
        raise InputDataError(f"{name} is missing from this run's raster folder: the scenarios step reads what the "
                             "wind step wrote. Run the wind step in the same run (no --only without wind).")
    return rasterio.open(path)


def run(ctx: StepContext, inputs: ScenarioInputs) -> dict[str, pd.DataFrame]:
    params, wind, rule_set = inputs.params, inputs.wind, inputs.rule_set
    setback = rule_set.rule(wind.setback_rule)
    if not setback.enabled:
        return {"scenario_bands": BandTable(ags=(), criteria=params.criteria, thresholds_m=params.thresholds_m(),
                                            restricted=np.zeros((0, 1, 0)), technical=np.zeros((0, 0))).to_frame(),
                "scenario_parameters": _parameters(inputs, {})}
    with _read(ctx, "wind_exclusion_bits.tif") as src:
        bitmask = src.read(1)
        bits = {rule_id: int(bit) for bit, rule_id in json.loads(src.tags()["bits"]).items()}
        t = src.transform
        grid = Grid(x0=t.c, y0=t.f, res_m=t.a, width=src.width, height=src.height, crs=ANALYSIS_CRS)
    with _read(ctx, "wind_setback_distance.tif") as src:
        distance = src.read(1).astype(np.float32) - np.float32(inputs.extra_m)
    munis = ctx.municipalities.to_crs(ANALYSIS_CRS).assign(ags=lambda f: f["ags"].astype(str))
    munis = munis.sort_values("ags", kind="stable").reset_index(drop=True)
    ctx.progress(f"scenario bands: {len(params.criteria)} criteria, {grid.width} x {grid.height} cells")
    zones = zone_raster(grid, list(munis.geometry))

    def mask_of(rule_ids) -> int:
        value = 0
        for rid in rule_ids:
            value |= 1 << bits[rid]
        return value

    exclude = [r for r in rule_set.rules if r.id in bits and r.effect == "exclude"]
    others = [r.id for r in exclude if r.id != setback.id and r.id not in params.criteria]
    hard = [r.id for r in exclude if r.id != setback.id and r.kind == "hard"]
    dtype = bitmask.dtype.type
    free = (bitmask & dtype(mask_of(others))) == 0
    free_hard = (bitmask & dtype(mask_of(hard))) == 0
    include = [r.id for r in rule_set.rules if r.id in bits and r.effect == "include"]
    if include:
        has_include = (bitmask & dtype(mask_of(include))) != 0
        free &= has_include
        free_hard &= has_include
    hits = []
    for name in params.criteria:
        if name in bits:  # evaluated by the wind step
            hits.append((bitmask & dtype(1 << bits[name])) != 0)
        else:  # switched off in the run: the engine evaluates it here, once
            rule = rule_set.rule(name)
            ctx.progress(f"criterion {name}: evaluated for the scenarios (off in the run)")
            geoms = select_features(ctx.vector(rule.layer).to_crs(ANALYSIS_CRS), rule)
            hit = within_mask(grid, geoms, rule.buffer_m + inputs.extra_m)
            if rule.not_within is not None:
                hit &= ~within_mask(grid, np.asarray(ctx.vector(rule.not_within).to_crs(ANALYSIS_CRS).geometry.values,
                                                     dtype=object), 0.0)
            hits.append(hit)
    del bitmask
    exempt = None
    if setback.not_within is not None:
        frame = ctx.vector(setback.not_within).to_crs(ANALYSIS_CRS)
        exempt = within_mask(grid, np.asarray(frame.geometry.values, dtype=object), 0.0)
    thresholds = params.thresholds_m()
    restricted = setback_histograms(distance, free, hits, zones, len(munis), thresholds, exempt)
    technical = setback_histograms(distance, free_hard, [], zones, len(munis), thresholds, exempt)
    table = BandTable.from_counts(munis["ags"].tolist(), params.criteria, thresholds, restricted, technical,
                                  grid.cell_area_m2)
    encoding = encoding_for(params.criteria, params.residential_setback_max_m)
    write_cells(ctx.raster_dir, grid, pack_cells(encoding, distance, free, hits, zones > 0, exempt), encoding)
    return {"scenario_bands": table.to_frame(), "scenario_parameters": _parameters(inputs, bits)}


def write_cells(raster_dir: Path, grid: Grid, cells: np.ndarray, encoding: CellEncoding) -> Path:
    """``scenario_cells.tif`` in the run's raster folder (EPSG:25833, the wind grid): the what-if map's
    packed cells (:mod:`potenzial.scenarios.cells`; tag ``encoding``). No sidecar: it is data for the
    map's eligible-land layer, not a layer of its own; the pipeline builds its display COG (nearest)."""
    raster_dir.mkdir(parents=True, exist_ok=True)
    path = raster_dir / f"{CELLS_RASTER}.tif"
    profile = {"driver": "GTiff", "width": grid.width, "height": grid.height, "count": 1, "crs": grid.crs,
               "transform": grid.transform, "tiled": True, "blockxsize": 512, "blockysize": 512,
               "compress": "deflate", "zlevel": 1, "predictor": 2, "dtype": "uint16", "nodata": NODATA}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(cells, 1)
        dst.update_tags(units="packed", layer=CELLS_RASTER, encoding=json.dumps(encoding.as_dict()))
    return path


def _parameters(inputs: ScenarioInputs, bits: dict[str, int]) -> pd.DataFrame:
    params, rule_set = inputs.params, inputs.rule_set
    setback = rule_set.rule(inputs.wind.setback_rule)
    density, d_low, d_high = inputs.pv_density
    rows = [{"parameter": "residential_setback_m", "kind": "number",
             "title_de": "Abstand zu Wohngebäuden (§ 84 SächsBO)", "title_en": "Setback from homes (§ 84 SächsBO)",
             "unit": "m", "value": float(setback.buffer_m), "low": params.residential_setback_min_m,
             "high": params.residential_setback_max_m, "bit": -1, "source": setback.source},
            {"parameter": "pv_ground_power_density_mwp_per_ha", "kind": "number",
             "title_de": "Freiflächen-PV: Leistungsdichte", "title_en": "Open-field PV: power density",
             "unit": "MWp/ha", "value": density, "low": d_low, "high": d_high, "bit": -1,
             "source": "layers/params/default/pv_ground.toml [pv_ground.ranges] power_density_mwp_per_ha"}]
    for i, name in enumerate(params.criteria):
        rule = rule_set.rule(name)
        rows.append({"parameter": name, "kind": "switch", "title_de": rule.title or name,
                     "title_en": rule.title_en or rule.title or name, "unit": "on/off",
                     "value": 1.0 if rule.enabled else 0.0, "low": 0.0, "high": 1.0, "bit": i, "source": rule.source})
    return pd.DataFrame(rows)


STEP: Step[ScenarioInputs] = Step(name="scenarios", order=25, check=check, run=run,
                                  title="scenarios: setback histograms per criteria combination (fast what-if)",
                                  produces=("scenario_bands", "scenario_parameters"))
