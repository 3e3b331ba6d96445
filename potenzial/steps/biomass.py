"""Step `biomass`: feedstock potential per municipality with uncertainty (issue 6).

Reads the statistics, the land cover, the state livestock table and the existing bioenergy
plants of 2015, and calls :func:`potenzial.biomass.biomass_potential` with the ``[biomass]``
parameters (``layers/params/default/biomass.toml``).

Real local livestock counts: add a table layer with the id given by ``[biomass.livestock]
local_layer`` (default ``livestock_local``) to the region catalog, e.g. in
``layers/regions/lk-leipzig/region.local.toml``::

    [layers.livestock_local]
    title = "Tierbestand je Gemeinde"
    kind = "table"
    source = "/data/viehbestand_gemeinden.csv"
    provenance = "real"
    licence = "dl-de/by-2-0"
    attribution = "…"
    fields = { ags = "AGS", cows = "Milchkuehe", cattle = "Rinder_sonstige" }

Columns (canonical names): ``ags`` and any of ``cows``, ``cattle``, ``pigs``, ``poultry``,
``other_animals`` [head]. Where the layer has a row and a value, it replaces the state herd
scaled by agricultural area; everything else keeps the scaled value. The ``basis`` column of
the ``biomass`` table says which was used.
"""

from __future__ import annotations

import pandas as pd

from potenzial.biomass import BiomassParams, biomass_potential, load_biomass_params
from potenzial.steps import Step
from potenzial.steps.context import StepContext

LANDCOVER_LAYER = "landcover"
LIVESTOCK_STATE_LAYER = "livestock_state"
PLANTS_LAYER = "plants_bioenergy_2015"


def run(ctx: StepContext, params: BiomassParams) -> dict[str, pd.DataFrame]:
    local_id = params.livestock.local_layer
    local = ctx.table(local_id) if local_id in ctx.region.layers else None
    if local is not None:
        ctx.progress(f"livestock from {local_id}")
    result = biomass_potential(
        ctx.municipalities,
        ctx.statistics,
        ctx.vector(LANDCOVER_LAYER),
        ctx.table(LIVESTOCK_STATE_LAYER),
        params,
        plants=ctx.vector(PLANTS_LAYER) if PLANTS_LAYER in ctx.region.layers else None,
        livestock_local=local,
    )
    return result.frames()


def check(ctx: StepContext) -> BiomassParams:
    """The [biomass] parameters (every factor with unit, source and a valid distribution)."""
    return load_biomass_params(ctx.section("biomass"))


STEP: Step[BiomassParams] = Step(
    name="biomass",
    check=check,
    order=40,
    produces=("biomass", "biomass_totals", "biomass_region", "biomass_map"),
    run=run,
    title="biomass feedstock potential",
)
