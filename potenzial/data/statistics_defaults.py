"""Statistics for municipalities that have no real table yet: area-driven defaults, labelled.

The stand-in generators need, per municipality, the land-use areas of the Flächenerhebung and
the building counts of the Zensus (``potenzial.synth.context.REQUIRED_STAT_COLUMNS``); the
potentials need the population. Where a region has no table for them, each municipality gets
the shares of a reference county (by default the county row of Landkreis Leipzig, AGS
14729000, in the shipped statistics) applied to its own area:

- every ``area_ha_*`` column = municipality area [ha] × (reference column / reference land area);
- building counts and population = settlement area [ha] × (reference count / reference
  settlement area), so they scale with the settled land, not with fields and forest;
- installed capacity (``mastr*``) is not guessed: left empty (unknown), which the figures
  show as 0 until a real table is given.

The result is synthetic and says so (``basis`` column, catalog provenance).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.errors import InputDataError
from potenzial.units import M2_PER_HA

#: land-use columns scaled by the municipality's area
AREA_COLUMNS = ("area_ha_land_settlement", "area_ha_land_traffic", "area_ha_veg_agri", "area_ha_veg_forrest",
                "area_ha_veg_wood", "area_ha_veg_heath", "area_ha_veg_moor", "area_ha_veg_marsh",
                "area_ha_veg_plant_uncover_com", "area_ha_water_total", "area_ha_settlement_ghd")
#: counts scaled by the municipality's settlement area
SETTLEMENT_COLUMNS = ("population_2021", "zensus2011_buildings_total", "zensus2011_flats_total",
                      "zensus2011_residential_buildings_total", "zensus2011_buildings_1flat",
                      "zensus2011_buildings_2flats", "zensus2011_buildings_3flats")
INSTALLED_COLUMNS = ("mastr2021_kw_pv", "mastr2021_kw_wind_on", "mastr2021_kw_biomass", "mastr2021_kw_water",
                     "mastr2024_kw_pv", "mastr2024_kw_wind_on", "mastr2024_kw_biomass", "mastr2024_kw_water")
BASIS = "area-driven default: shares of the reference county {ref} applied to the municipality's area"


def area_driven_statistics(municipalities: gpd.GeoDataFrame, reference: pd.Series) -> pd.DataFrame:
    """One row per municipality (columns ``ags``, ``name``, the land-use areas [ha], counts,
    empty installed capacity, ``basis``) from ``reference``, a county row of the statistics."""
    needed = ("area_ha_land_total",) + AREA_COLUMNS + SETTLEMENT_COLUMNS
    missing = [c for c in needed if c not in reference.index or pd.isna(reference[c])]
    if missing:
        raise InputDataError(f"reference statistics row {reference.get('ags', '?')}: lacks {', '.join(missing)}; "
                             "use a county row of the shipped statistics (e.g. 14729000).")
    land_ha = float(reference["area_ha_land_total"])
    settlement_ha = float(reference["area_ha_land_settlement"])
    if land_ha <= 0 or settlement_ha <= 0:
        raise InputDataError(f"reference statistics row {reference.get('ags', '?')}: land or settlement area is 0.")
    area_ha = municipalities.geometry.area.to_numpy() / M2_PER_HA
    rows = pd.DataFrame({"ags": municipalities["ags"].astype(str).to_numpy(),
                         "name": municipalities["name"].astype(str).to_numpy(),
                         "area_ha_land_total": np.round(area_ha)})
    for col in AREA_COLUMNS:
        rows[col] = np.round(area_ha * float(reference[col]) / land_ha)
    settled = area_ha * float(reference["area_ha_land_settlement"]) / land_ha
    for col in SETTLEMENT_COLUMNS:
        rows[col] = np.round(settled * float(reference[col]) / settlement_ha).astype(np.int64)
    for col in INSTALLED_COLUMNS:
        rows[col] = np.nan
    rows["ort_verwaltung"] = rows["name"]
    rows["ortsteile"] = rows["name"]
    rows["basis"] = BASIS.format(ref=str(reference.get("ags", "")))
    return rows
