"""Step `cascade`: technical, restricted and realisable stage per technology and municipality (issue 12).

Wiring only. :func:`check` validates the ``[cascade]`` parameters (layers/params/default/cascade.toml)
before anything is computed. :func:`run` reads the results of the four potentials of this run (or,
with ``--only cascade``, of the previous run) and the base figures, and calls the pure calculation
(:mod:`potenzial.cascade`). Runs after the four potentials (order 50).
"""

from __future__ import annotations

import pandas as pd

from potenzial.cascade import (
    CascadeParams,
    assumption_rows,
    biomass_stages,
    cascade_table,
    load_cascade_params,
    pv_ground_stages,
    roof_stages,
    wind_stages,
)
from potenzial.crs import ANALYSIS_CRS, require_metric
from potenzial.steps import Step
from potenzial.steps.context import StepContext
from potenzial.units import M2_PER_HA


def check(ctx: StepContext) -> CascadeParams:
    """The [cascade] parameters: known keys, values inside their ranges, a source for each."""
    return load_cascade_params(ctx.section("cascade"))


def run(ctx: StepContext, params: CascadeParams) -> dict[str, pd.DataFrame]:
    munis = ctx.municipalities
    require_metric(munis.crs, "municipalities")
    munis = munis.to_crs(ANALYSIS_CRS)
    ags = sorted(munis["ags"].astype(str))
    region_area_ha = float(munis.geometry.area.sum()) / M2_PER_HA
    base = ctx.result("municipalities").assign(ags=lambda f: f["ags"].astype(str)).set_index("ags").reindex(ags)
    farmland_ha = (base["arable_ha"].fillna(0.0) + base["grassland_ha"].fillna(0.0)).to_numpy(float)
    ctx.progress(f"cascade to {params.horizon_year} for {len(ags)} municipalities")
    parts = [
        roof_stages(ags, ctx.result("solar_roof_municipalities"), params),
        pv_ground_stages(ags, ctx.result("pv_ground_technical"), ctx.result("pv_ground_municipalities"),
                         ctx.result("pv_ground_areas"), farmland_ha, region_area_ha, params),
        wind_stages(ags, ctx.result("wind_technical"), ctx.result("wind_municipalities"),
                    ctx.result("wind_turbines"), ctx.result("wind_areas"), params),
        biomass_stages(ags, ctx.result("biomass_totals"), params),
    ]
    return {"cascade_municipalities": cascade_table(ags, parts, params),
            "cascade_assumptions": pd.DataFrame(assumption_rows(params))}


STEP: Step[CascadeParams] = Step(name="cascade", order=50, check=check, run=run,
                                 title="potential cascade: technical, restricted, realisable",
                                 produces=("cascade_municipalities", "cascade_assumptions"))
