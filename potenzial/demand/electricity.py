"""Electricity use per municipality: households bottom-up, commerce and industry from the county total.

Households [MWh/a] = population / persons per household × mean use per household (both weighted by
the shares of household sizes in ``[demand.electricity]``). The rest of the county's use is
commerce/services and industry: split by ``commerce_share_of_non_household`` and distributed by
population (commerce) and by commercial/industrial land (industry). A table with a row per
municipality (``sector_table_layer``) replaces that split.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from potenzial.demand.params import ElectricityParams
from potenzial.errors import InputDataError
from potenzial.units import KWH_PER_MWH, MWH_PER_GWH

BASIS_TABLE, BASIS_ESTIMATE = "table", "estimate"


def _key(values: pd.Series, fallback: pd.Series) -> np.ndarray:
    v = values.fillna(0.0).to_numpy(float)
    return v / v.sum() if v.sum() > 0 else fallback.to_numpy(float) / fallback.sum()


def electricity_use(population: pd.Series, industry_land_ha: pd.Series, county_use_gwh_el_per_a: float,
                    params: ElectricityParams, sector_table: pd.DataFrame | None = None,
                    table_id: str = "") -> pd.DataFrame:
    """Per AGS (the index of ``population``): households, commerce, industry and total [MWh_el/a], households
    [count], and the basis of the commerce/industry figures (``table`` or ``estimate``)."""
    pop = population.astype(float)
    households = pop / params.persons_per_household
    household_mwh = households * params.kwh_el_per_household / KWH_PER_MWH
    if sector_table is not None:
        table = sector_table.assign(ags=sector_table["ags"].astype(str)).set_index("ags")
        for column in ("commerce_mwh_el_per_a", "industry_mwh_el_per_a"):
            if column not in table.columns:
                raise InputDataError(f"layer {table_id!r}: no column {column!r}; it needs ags, commerce_mwh_el_per_a "
                                     "and industry_mwh_el_per_a.")
        missing = [a for a in pop.index if a not in table.index]
        if missing:
            raise InputDataError(f"layer {table_id!r}: no row for municipality {', '.join(missing[:5])}"
                                 f"{' …' if len(missing) > 5 else ''}. Add a row for every municipality of the region.")
        commerce = table.loc[pop.index, "commerce_mwh_el_per_a"].astype(float)
        industry = table.loc[pop.index, "industry_mwh_el_per_a"].astype(float)
        basis = BASIS_TABLE
    else:
        rest = county_use_gwh_el_per_a * MWH_PER_GWH - float(household_mwh.sum())
        if rest < 0:
            households_gwh = household_mwh.sum() / MWH_PER_GWH
            raise InputDataError(f"electricity: the households alone use {households_gwh:.0f} GWh/a, "
                                 f"more than the county total of {county_use_gwh_el_per_a:.0f} GWh/a. Check "
                                 "[headline] county_electricity_use_gwh_per_a and [demand.electricity].")
        share = params.commerce_share_of_non_household
        commerce = pd.Series(rest * share * _key(pop, pop), index=pop.index)
        industry = pd.Series(rest * (1.0 - share) * _key(industry_land_ha.reindex(pop.index), pop), index=pop.index)
        basis = BASIS_ESTIMATE
    return pd.DataFrame({
        "households": households.to_numpy(),
        "electricity_households_mwh_el_per_a": household_mwh.to_numpy(),
        "electricity_commerce_mwh_el_per_a": commerce.to_numpy(),
        "electricity_industry_mwh_el_per_a": industry.to_numpy(),
        "electricity_use_mwh_el_per_a": (household_mwh + commerce + industry).to_numpy(),
        "electricity_basis": basis,
    }, index=pop.index)
