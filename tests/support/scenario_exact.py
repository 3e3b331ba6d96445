"""The exact answer to a scenario's wind-eligible area: the exclusion engine evaluated again on the whole
default region, with the scenario's setback buffer and switches (no histogram, no distance raster).

One evaluation of every rule (each scenario criterion switched on, so each has its bit), then per
scenario one evaluation of the residential setback alone at the scenario's buffer (exact Euclidean
masks, :func:`potenzial.exclusions.within_mask` through :func:`potenzial.exclusions.evaluate`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from potenzial.crs import ANALYSIS_CRS
from potenzial.exclusions import Exclusions, evaluate, zone_raster
from potenzial.grid import Grid
from potenzial.params import load_params
from potenzial.region import load_region
from potenzial.settings import Settings
from potenzial.steps.context import StepContext
from potenzial.steps.wind import BASE_LAYERS, OPTIONAL_LAYERS, load_wind_rules
from potenzial.units import M2_PER_HA
from potenzial.wind import PLOTS_LAYER, RESIDENTIAL_LAYER
from potenzial.wind.residential import classify_residential


class ExactWind:
    """The default region's wind rules evaluated once; :meth:`eligible_ha` per scenario."""

    def __init__(self, settings: Settings, criteria: Iterable[str], tmp: Path) -> None:
        region = load_region(settings.region, settings.regions_dir, settings.data_dir)
        params = load_params(settings.params_dir)
        ctx = StepContext(region=region, params=params, run_id="exact", raster_dir=tmp, rules_dir=settings.rules_dir)
        wind, rule_set = load_wind_rules(ctx)
        self.criteria = tuple(criteria)
        self.setback = rule_set.rule(wind.setback_rule)
        all_on = rule_set.with_switches(dict.fromkeys(self.criteria, True))
        needed = sorted({r.layer for r in all_on.enabled_rules if r.layer != RESIDENTIAL_LAYER}
                        | {r.not_within for r in all_on.enabled_rules if r.not_within is not None} | set(BASE_LAYERS)
                        | {lid for lid in OPTIONAL_LAYERS if lid in region.layers})
        layers = {lid: ctx.vector(lid) for lid in needed}
        residential = classify_residential(
            layers["buildings"], layers["builtup_areas"], layers["development_plans"],
            residential_use=wind.residential_use, plan_uses_with_housing=wind.plan_uses_with_housing,
            group_distance_m=wind.residential_group_distance_m,
            group_min_buildings=wind.residential_group_min_buildings, plots=layers.get(PLOTS_LAYER))
        self.layers = {**layers, RESIDENTIAL_LAYER: residential}
        munis = ctx.municipalities.to_crs(ANALYSIS_CRS).assign(ags=lambda f: f["ags"].astype(str))
        munis = munis.sort_values("ags", kind="stable").reset_index(drop=True)
        self.ags = munis["ags"].tolist()
        self.grid = Grid.from_bounds(munis.total_bounds, wind.resolution_m)
        self.zones = zone_raster(self.grid, list(munis.geometry))
        self.rule_set = all_on
        self.all: Exclusions = evaluate(all_on, self.layers, self.grid)

    def eligible_ha(self, setback_m: float, switches: Mapping[str, bool]) -> np.ndarray:
        """Eligible area [ha] per municipality (ags order) before the area filters."""
        only = self.setback.model_copy(update={"buffer_m": float(setback_m)})
        alone = evaluate(self.rule_set.model_copy(update={"rules": (only,)}), self.layers, self.grid)
        off = [c for c in self.criteria if not switches.get(c, False)]
        free = self.all.eligible(ignore=[self.setback.id, *off]) & (alone.bitmask == 0) & (self.zones > 0)
        cells = np.bincount(self.zones[free].astype(np.int64), minlength=len(self.ags) + 1)[1:]
        return cells * self.grid.cell_area_m2 / M2_PER_HA
