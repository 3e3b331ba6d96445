"""Step `pv_ground`: open-field PV land by dated legal category, capacity and yield (issue 5).

Wiring only. :func:`check` checks everything that needs no geometry, so a mistake fails before
anything is computed: the ``[pv_ground]`` and ``[irradiation]`` parameters, the exclusion and
category rule sets (from the context's rules folder) against the region's catalog (unknown
layers, impossible buffers, filter values the catalog cannot map), then the input layers'
categorical codes; it returns all of it as :class:`PvGroundInputs`. :func:`run` receives them,
builds the yield lookup of the shared irradiation chain for the fixed-tilt rows, takes the wind
step's ``wind_areas`` for the overlap and calls the pure calculation
(:func:`potenzial.solar_ground.solar_ground_potential`).

Runs after the wind step (order 30 > 20): it needs ``wind_areas`` of this run (or, with
``--only pv_ground``, of the previous run).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from potenzial.errors import InputDataError
from potenzial.exclusions import (
    Category,
    LayerSpec,
    RuleSet,
    catalog_value_sets,
    check_layer_values,
    load_category,
    load_exclusion_set,
)
from potenzial.irradiation import IrradiationParams, cells_from_points, irradiation_params
from potenzial.solar_ground import (
    PvGroundParams,
    check_rule_sets,
    fixed_orientation_params,
    load_pv_ground_params,
    solar_ground_potential,
)
from potenzial.steps import Step
from potenzial.steps.context import StepContext
from potenzial.yield_lookups import LOOKUP_FOLDER, cached_lookup

GHI_LAYER = "ghi"
WIND_AREAS = "wind_areas"


@dataclass(frozen=True)
class PvGroundInputs:
    """What :func:`check` prepares for :func:`run`: parameters, checked rule sets, the layers they name."""

    params: PvGroundParams
    irradiation: IrradiationParams
    exclusions: RuleSet  #: switches applied
    categories: tuple[Category, ...]
    layers: dict[str, gpd.GeoDataFrame]  #: every layer an enabled rule names, its codes checked


def layer_specs(ctx: StepContext) -> dict[str, LayerSpec]:
    return {lid: LayerSpec(columns=tuple(e.columns), geometry=e.geometry) for lid, e in ctx.region.layers.items()}


def value_sets(ctx: StepContext) -> dict[tuple[str, str], frozenset[str]]:
    """Categorical values the catalog documents (``units = "class: arable|grassland|…"``)."""
    return catalog_value_sets({lid: e.units for lid, e in ctx.region.layers.items()})


def load_rules(ctx: StepContext, params: PvGroundParams) -> tuple[RuleSet, list[Category]]:
    """The exclusion rule set (switches applied) and the category rule sets from the context's
    rules folder, checked."""
    specs = layer_specs(ctx)
    values = value_sets(ctx)
    exclusions = load_exclusion_set(ctx.rule_set_path(params.exclusions), specs, values)
    exclusions = exclusions.with_switches(params.switches)
    categories = [load_category(ctx.rule_set_path(name), specs, values) for name in params.categories]
    check_rule_sets(exclusions, categories)
    return exclusions, categories


def check(ctx: StepContext) -> PvGroundInputs:
    """Every check that needs no computing: parameters, rule sets against the catalog (unknown
    layers, impossible buffers, codes the catalog cannot map), and the codes in the input layers
    (read once per run by the context). The pipeline hands the result to :func:`run`."""
    params = load_pv_ground_params(ctx.section("pv_ground"))
    irr = irradiation_params(ctx.section("irradiation"))
    exclusions, categories = load_rules(ctx, params)
    layers = read_layers(ctx, exclusions, categories)
    return PvGroundInputs(params=params, irradiation=irr, exclusions=exclusions, categories=tuple(categories),
                          layers=layers)


def read_layers(ctx: StepContext, exclusions: RuleSet, categories: Sequence[Category]
                ) -> dict[str, gpd.GeoDataFrame]:
    """The layers the enabled rules name, their documented codes checked (unknown codes fail)."""
    rules = list(exclusions.enabled_rules) + [r for c in categories for r in c.rule_set.enabled_rules]
    needed = sorted({r.layer for r in rules})
    layers = {lid: ctx.vector(lid) for lid in needed}
    for (lid, column), allowed in value_sets(ctx).items():
        if lid in layers and any(r.layer == lid and column in r.where for r in rules):
            check_layer_values(layers[lid], lid, column, allowed)
    return layers


def _cells_near(cells: pd.DataFrame, bounds, margin_m: float) -> pd.DataFrame:
    xmin, ymin, xmax, ymax = bounds
    near = cells[(cells["x"] >= xmin - margin_m) & (cells["x"] <= xmax + margin_m)
                 & (cells["y"] >= ymin - margin_m) & (cells["y"] <= ymax + margin_m)]
    return near if len(near) else cells


def run(ctx: StepContext, inputs: PvGroundInputs) -> dict[str, pd.DataFrame]:
    params, irr = inputs.params, inputs.irradiation
    wind_areas = ctx.result(WIND_AREAS)
    if not isinstance(wind_areas, gpd.GeoDataFrame):
        raise InputDataError(f"result {WIND_AREAS!r} of the wind step has no geometry; the open-field PV step needs "
                             "its polygons for the overlap. Run the full pipeline (without --only) once.")
    installed = ctx.vector(params.installed_layer) if params.installed_layer in ctx.region.layers else None

    cells = _cells_near(cells_from_points(ctx.vector(GHI_LAYER)), ctx.municipalities.total_bounds,
                        params.irradiation_margin_m)
    ctx.progress(f"yield lookup for {len(cells)} irradiation cells ({params.tilt_deg:g}°, {params.azimuth_deg:g}°)")
    lookup = cached_lookup(cells, fixed_orientation_params(irr, params.tilt_deg, params.azimuth_deg),
                           ctx.raster_dir.parent / LOOKUP_FOLDER)

    result = solar_ground_potential(municipalities=ctx.municipalities, layers=inputs.layers,
                                    exclusions=inputs.exclusions, categories=inputs.categories, params=params,
                                    lookup=lookup, wind_areas=wind_areas, installed=installed,
                                    progress=ctx.progress)
    return result.frames


STEP: Step[PvGroundInputs] = Step(
    name="pv_ground", order=30, check=check, run=run, title="open-field PV: legal categories, capacity, yield",
    produces=("pv_ground_areas", "pv_ground_municipalities", "pv_ground_categories", "pv_ground_rules",
              "pv_ground_technical", "pv_ground_exclusions"))
