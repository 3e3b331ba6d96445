"""Sums per municipality and the balance of use against the realisable potential.

Electricity use is set against the realisable electricity potential, heat demand against the
realisable heat potential; the two are never added together. Coverage [%] = potential / use × 100
(None where the use is 0).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from potenzial.demand.density import DH_CLASSES
from potenzial.demand.params import DemandParams

#: classes from which a cell counts as suitable for a heat network in existing buildings
DH_SUITABLE = DH_CLASSES[2:]


def _pct(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    whole = np.asarray(whole, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, 100.0 * np.asarray(part, dtype=float) / whole, np.nan)


def municipality_balance(ags: list[str], buildings: pd.DataFrame, building_class: pd.Series,
                         electricity: pd.DataFrame, electricity_potential_mwh: pd.Series,
                         heat_potential_mwh: pd.Series, zensus: pd.DataFrame,
                         params: DemandParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(one row per municipality, one row per municipality and horizon; the latter with the residential
    heat demand at the horizon, which the heat-pump add-on of :mod:`potenzial.demand.add_ons` reads).

    ``buildings``: the per-building result; ``building_class``: the district-heating class of each
    building's grid cell; ``zensus``: per AGS ``living_area_m2`` and ``heatnet_buildings``,
    ``buildings`` (Zensus 2011)."""
    b = buildings.assign(dh_class=building_class.to_numpy())
    g = b.groupby("ags")
    residential = b["building_type"].isin(list(params.residential))
    suitable = b["dh_class"].isin(DH_SUITABLE)
    idx = pd.Index(ags, name="ags")

    def total(values: pd.Series) -> np.ndarray:
        return values.groupby(b["ags"]).sum().reindex(idx, fill_value=0.0).to_numpy(float)

    heat = total(b["heat_demand_mwh_th_per_a"])
    el = electricity.reindex(idx)
    el_use = el["electricity_use_mwh_el_per_a"].to_numpy(float)
    el_pot = electricity_potential_mwh.reindex(idx).fillna(0.0).to_numpy(float)
    heat_pot = heat_potential_mwh.reindex(idx).fillna(0.0).to_numpy(float)
    z = zensus.reindex(idx)
    muni = pd.DataFrame({
        "ags": ags,
        "buildings_heated": g["heat_demand_mwh_th_per_a"].apply(lambda s: int((s > 0).sum()))
        .reindex(idx, fill_value=0).to_numpy(np.int64),
        "heated_area_m2": total(b["heated_area_m2"]),
        "residential_area_m2": total(b["heated_area_m2"].where(residential, 0.0)),
        "zensus_living_area_m2": z["living_area_m2"].to_numpy(float),
        "types_drawn": total((b["type_basis"] == "drawn").astype(float)).astype(np.int64),
        "ages_drawn": total((b["age_basis"] == "drawn").astype(float)).astype(np.int64),
        "heat_demand_mwh_th_per_a": heat,
        "heat_residential_mwh_th_per_a": total(b["heat_demand_mwh_th_per_a"].where(residential, 0.0)),
        "heat_dh_suitable_share_pct": _pct(total(b["heat_demand_mwh_th_per_a"].where(suitable, 0.0)), heat),
        "zensus_heatnet_share_pct": _pct(z["heatnet_buildings"].to_numpy(float), z["buildings"].to_numpy(float)),
        "households": el["households"].to_numpy(float),
        "electricity_households_mwh_el_per_a": el["electricity_households_mwh_el_per_a"].to_numpy(float),
        "electricity_commerce_mwh_el_per_a": el["electricity_commerce_mwh_el_per_a"].to_numpy(float),
        "electricity_industry_mwh_el_per_a": el["electricity_industry_mwh_el_per_a"].to_numpy(float),
        "electricity_use_mwh_el_per_a": el_use,
        "electricity_basis": el["electricity_basis"].to_numpy(object),
        "electricity_potential_mwh_el_per_a": el_pot,
        "heat_potential_mwh_th_per_a": heat_pot,
        "electricity_coverage_pct": _pct(el_pot, el_use),
        "heat_coverage_pct": _pct(heat_pot, heat),
    })
    rows = []
    for year in params.horizons:
        h = total(b[f"heat_{year}_mwh_th_per_a"])
        rows.append(pd.DataFrame({
            "ags": ags, "horizon_year": year, "refurbished_share_pct": 100.0 * params.refurbished_share(year),
            "heat_demand_mwh_th_per_a": h, "heat_saving_pct": 100.0 - _pct(h, heat),
            "heat_coverage_pct": _pct(heat_pot, h), "electricity_coverage_pct": _pct(el_pot, el_use),
            "heat_residential_mwh_th_per_a": total(b[f"heat_{year}_mwh_th_per_a"].where(residential, 0.0))}))
    horizons = pd.concat(rows, ignore_index=True)
    return muni, horizons
