"""Step `demand`: heat demand per building and on a 100 m grid, the saving by refurbishment per
horizon, electricity use (heat pumps and e-mobility as add-ons per horizon) and the balance against the
realisable potential (issue 16).

Wiring only. :func:`check` validates ``[demand]`` (layers/params/default/demand.toml) and reads the
county's electricity use from ``[headline]``; :func:`run` reads the buildings, the statistics and
the cascade of this run (or of the previous one with ``--only demand``) and calls
:mod:`potenzial.demand`. Runs after the cascade (order 60).

A real commerce/industry electricity table replaces the estimate: a table layer with the id
``[demand.electricity] sector_table_layer`` (default ``electricity_use_sectors``), columns ``ags``,
``commerce_mwh_el_per_a``, ``industry_mwh_el_per_a``, one row per municipality.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS, require_metric
from potenzial.demand import (
    DemandParams,
    add_on_horizons,
    building_demand,
    dh_class,
    electricity_use,
    heat_density_grid,
    load_demand_params,
    municipality_balance,
)
from potenzial.steps import Step
from potenzial.steps.context import StepContext
from potenzial.units import MWH_PER_GWH

BUILDINGS_LAYER = "buildings"
#: realisable electricity of the cascade [GWh_el/a] that the balance sets against the use
CASCADE_ELECTRICITY = ("solar_roof_realisable_electricity_gwh_per_a", "pv_ground_realisable_electricity_gwh_per_a",
                       "wind_realisable_electricity_gwh_per_a")
THOUSAND_M2 = 1_000.0  #: the statistics give the Zensus living area in 1,000 m²


@dataclass(frozen=True)
class DemandInputs:
    params: DemandParams
    county_electricity_gwh_el_per_a: float


def check(ctx: StepContext) -> DemandInputs:
    """The [demand] parameters and the county's electricity use from [headline]."""
    return DemandInputs(load_demand_params(ctx.section("demand")),
                        float(ctx.section("headline")["county_electricity_use_gwh_per_a"]))


def _biomass(ctx: StepContext, ags: list[str]) -> tuple[pd.Series, pd.Series]:
    """Realisable biomass electricity and heat [MWh/a]: the CHP figures (P50) scaled by the cascade's
    realisable / technical primary energy."""
    totals = ctx.result("biomass_totals").assign(ags=lambda f: f["ags"].astype(str)).set_index("ags").reindex(ags)
    cascade = ctx.result("cascade_municipalities").assign(ags=lambda f: f["ags"].astype(str)).set_index("ags")
    cascade = cascade.reindex(ags)
    tech = cascade["biomass_technical_primary_energy_gwh_per_a"].to_numpy(float)
    real = cascade["biomass_realisable_primary_energy_gwh_per_a"].to_numpy(float)
    ratio = pd.Series(np.where(tech > 0, real / np.where(tech > 0, tech, 1.0), 0.0), index=ags)
    return (totals["biomass_electricity_mwh_per_a_p50"].fillna(0.0) * ratio,
            totals["biomass_heat_mwh_per_a_p50"].fillna(0.0) * ratio)


def _in_municipalities(buildings: gpd.GeoDataFrame, munis: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The buildings whose representative point lies in a municipality, with its ``ags`` (the rule of the
    base figures and the roofs; the layer's own ``ags``, if any, is replaced)."""
    points = gpd.GeoDataFrame({"_row": np.arange(len(buildings))},
                              geometry=buildings.geometry.representative_point().to_numpy(), crs=ANALYSIS_CRS)
    joined = gpd.sjoin(points, munis[["ags", "geometry"]], predicate="within", how="inner").drop_duplicates("_row")
    out = buildings.iloc[np.sort(joined["_row"].to_numpy())].copy()
    out["ags"] = joined.set_index("_row").loc[np.sort(joined["_row"].to_numpy()), "ags"].astype(str).to_numpy()
    return out


def run(ctx: StepContext, inputs: DemandInputs) -> dict[str, pd.DataFrame]:
    params = inputs.params
    munis = ctx.municipalities
    require_metric(munis.crs, "municipalities")
    ags = sorted(munis["ags"].astype(str))
    munis = munis.to_crs(ANALYSIS_CRS).assign(ags=lambda f: f["ags"].astype(str))
    buildings = _in_municipalities(ctx.vector(BUILDINGS_LAYER).to_crs(ANALYSIS_CRS), munis)
    stats = ctx.statistics.assign(ags=lambda f: f["ags"].astype(str))
    ctx.progress(f"heat demand of {len(buildings)} buildings")
    stat_rows = stats.set_index("ags").reindex(ags)
    living_m2 = stat_rows["zensus2011_residential_buildings_area_total"].astype(float) * THOUSAND_M2
    synthetic = ctx.region.layer(BUILDINGS_LAYER).synthetic
    target = living_m2 * params.reference_per_living_area if synthetic and params.scale_synthetic_to_zensus else None
    if target is not None:
        ctx.progress("synthetic buildings: residential floor area scaled to the Zensus 2011 living area")
    per_building = building_demand(buildings, stats, params, target)
    grid = heat_density_grid(per_building, "heat_demand_mwh_th_per_a", params.grid_cell_m,
                             params.density_bounds_mwh_per_ha_a)
    # the class of each building's cell (the same point and cell the grid used)
    xy = shapely.get_coordinates(shapely.point_on_surface(per_building.geometry.to_numpy()))
    cell_m = params.grid_cell_m
    cell_id = [f"E{int(x)}N{int(y)}" for x, y in zip(np.floor(xy[:, 0] / cell_m) * cell_m,
                                                      np.floor(xy[:, 1] / cell_m) * cell_m, strict=True)]
    density = pd.Series(cell_id).map(grid.set_index("cell_id")["heat_density_mwh_th_per_ha_a"]).fillna(0.0)
    building_class = pd.Series(dh_class(density.to_numpy(), params.density_bounds_mwh_per_ha_a))

    table_id = params.electricity.sector_table_layer
    table = ctx.table(table_id) if table_id in ctx.region.layers else None
    electricity = electricity_use(stat_rows["population_2021"], stat_rows["area_ha_settlement_ghd"],
                                  inputs.county_electricity_gwh_el_per_a, params.electricity, table, table_id)
    cascade = ctx.result("cascade_municipalities").assign(ags=lambda f: f["ags"].astype(str)).set_index("ags")
    el_pot = cascade.reindex(ags)[list(CASCADE_ELECTRICITY)].fillna(0.0).sum(axis=1) * MWH_PER_GWH
    bio_el, bio_heat = _biomass(ctx, ags)
    zensus = pd.DataFrame({
        "living_area_m2": living_m2,
        "heatnet_buildings": stat_rows["zensus2011_buildings_heatnet"].astype(float),
        "buildings": stat_rows["zensus2011_buildings_total"].astype(float)}, index=ags)
    muni, horizons = municipality_balance(ags, per_building, building_class, electricity, el_pot + bio_el,
                                          bio_heat, zensus, params)
    m = muni.set_index("ags")
    horizons = add_on_horizons(horizons, stat_rows["population_2021"].astype(float),
                               m["electricity_use_mwh_el_per_a"], m["electricity_potential_mwh_el_per_a"],
                               params.add_ons)
    ctx.progress("electricity add-ons per horizon: heat pumps and e-mobility")
    ctx.progress(f"heat density: {len(grid)} cells of {cell_m:.0f} m")
    keep = ["building_id", "ags", "building_type", "age_class", "type_basis", "age_basis", "heated_area_m2",
            "specific_heat_kwh_per_m2_a", "heat_demand_mwh_th_per_a", "geometry"]
    return {"demand_buildings": per_building[per_building["heat_demand_mwh_th_per_a"] > 0][keep]
            .reset_index(drop=True),
            "demand_grid": grid, "demand_municipalities": muni, "demand_horizons": horizons}


STEP: Step[DemandInputs] = Step(name="demand", order=60, check=check, run=run,
                                title="heat and electricity use, savings and balance",
                                produces=("demand_buildings", "demand_grid", "demand_municipalities",
                                          "demand_horizons"))
