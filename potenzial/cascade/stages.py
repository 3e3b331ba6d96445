"""The stages of each technology per municipality, from the figures of the four potentials.

Pure calculation: result frames of the run in, one wide frame out (one row per AGS). Every
realisable figure is a restricted figure times factors in [0, 1] or a part of it, so
realisable <= restricted <= technical holds by construction (the technical stages of wind and
open-field PV are supersets of the restricted land, see :mod:`potenzial.wind.potential` and
:mod:`potenzial.solar_ground`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from potenzial.cascade.params import CascadeParams
from potenzial.units import MWH_PER_GWH

STAGES = ("technical", "restricted", "realisable")
#: the open-field PV category Saxony's PVFVO opens and caps ([category] of layers/rules/pv_sn_pvfvo_2021.toml)
PVFVO_CATEGORY = "pvfvo_less_favoured"


def _by_ags(frame: pd.DataFrame, ags: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """The columns of a per-municipality frame in the order of ``ags`` (0 where a municipality is missing)."""
    indexed = frame.assign(ags=frame["ags"].astype(str)).set_index("ags")
    return indexed.reindex(list(ags))[list(columns)].astype(float).fillna(0.0)


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole, 0 where whole is 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / np.where(whole > 0, whole, 1.0), 0.0)


def roof_stages(ags: Sequence[str], roof: pd.DataFrame, params: CascadeParams) -> pd.DataFrame:
    """Roof PV: technical = every suitable roof plane of the run; restricted = technical (the run
    applies no planning criterion to roofs); realisable = restricted × (1 − listed share) × the
    uptake share of the horizon year."""
    r = _by_ags(roof, ags, ["roof_capacity_mwp", "roof_yield_gwh_per_a"])
    keep = (1.0 - params.roof_heritage_share) * params.roof_uptake_share
    cap, el = r["roof_capacity_mwp"].to_numpy(), r["roof_yield_gwh_per_a"].to_numpy()
    return pd.DataFrame({
        "solar_roof_technical_capacity_mwp": cap, "solar_roof_technical_electricity_gwh_per_a": el,
        "solar_roof_restricted_capacity_mwp": cap, "solar_roof_restricted_electricity_gwh_per_a": el,
        "solar_roof_realisable_capacity_mwp": cap * keep, "solar_roof_realisable_electricity_gwh_per_a": el * keep,
    })


def pv_ground_stages(ags: Sequence[str], technical: pd.DataFrame, restricted: pd.DataFrame, areas: pd.DataFrame,
                     farmland_ha: np.ndarray, region_area_ha: float, params: CascadeParams) -> pd.DataFrame:
    """Open-field PV per municipality.

    technical = the land no hard rule excludes (``pv_ground_technical``); restricted = the run's
    land after every enabled rule (``pv_ground_municipalities``, PV alone); realisable, in this
    order: (1) the land also eligible for wind goes to wind (wind first: no hectare counted twice
    when wind and PV are shown together), (2) sites below ``pv_ground_min_plant_mwp`` are dropped,
    (3) at most ``pv_ground_max_farmland_share`` of the municipality's farmland, (4) the pace to
    the horizon, shared in proportion: land that is only in the PVFVO category (farmland in
    less-favoured areas) is built at most at the county's part (by area) of Saxony's yearly PVFVO
    cap; all open-field PV together at most at the county's part (by area) of the federal EEG
    tender volume for open-field plants, the rest of which goes to the other categories
    (corridors, conversion land), which the PVFVO cap does not bind.
    """
    t = _by_ags(technical, ags, ["pv_ground_technical_area_ha", "pv_ground_technical_capacity_mwp",
                                 "pv_ground_technical_yield_gwh_per_a"])
    r = _by_ags(restricted, ags, ["pv_ground_area_ha", "pv_ground_capacity_mwp", "pv_ground_yield_gwh_per_a"])
    a = areas.assign(ags=areas["ags"].astype(str))
    free = 1.0 - np.clip(_share(a["wind_overlap_ha"].to_numpy(float), a["area_ha"].to_numpy(float)), 0.0, 1.0)
    a = a.assign(area_wf=a["area_ha"] * free, cap_wf=a["capacity_mwp"] * free,
                 gwh_wf=a["yield_mwh_per_a"] * free / MWH_PER_GWH)
    site_mwp = a.groupby("site_id")["cap_wf"].transform("sum")
    a = a[site_mwp >= params.pv_ground_min_plant_mwp]
    capped = a["categories"].astype(str).map(lambda c: set(filter(None, c.split(","))) == {PVFVO_CATEGORY}).astype(bool)
    sums = {part: a[mask].groupby("ags")[["area_wf", "cap_wf", "gwh_wf"]].sum().reindex(list(ags)).fillna(0.0)
            for part, mask in (("capped", capped), ("free", ~capped))}
    area_s = sums["capped"]["area_wf"].to_numpy(float) + sums["free"]["area_wf"].to_numpy(float)
    farm = np.minimum(area_s, params.pv_ground_max_farmland_share * np.asarray(farmland_ha, dtype=float))
    scale = _share(farm, area_s)
    capped_mwp = float((sums["capped"]["cap_wf"].to_numpy(float) * scale).sum())
    free_mwp = float((sums["free"]["cap_wf"].to_numpy(float) * scale).sum())
    pvfvo_mwp = params.pv_ground_state_cap_mwp_per_a * region_area_ha / params.state_area_ha * params.years
    tender_mwp = params.pv_ground_tender_mwp_per_a * region_area_ha / params.germany_area_ha * params.years
    capped_take = min(capped_mwp, pvfvo_mwp, tender_mwp)
    free_take = min(free_mwp, tender_mwp - capped_take)
    pace = {"capped": capped_take / capped_mwp if capped_mwp > 0 else 0.0,
            "free": free_take / free_mwp if free_mwp > 0 else 0.0}
    real = {c: sum(sums[part][c].to_numpy(float) * scale * pace[part] for part in sums)
            for c in ("area_wf", "cap_wf", "gwh_wf")}
    return pd.DataFrame({
        "pv_ground_technical_area_ha": t["pv_ground_technical_area_ha"].to_numpy(),
        "pv_ground_technical_capacity_mwp": t["pv_ground_technical_capacity_mwp"].to_numpy(),
        "pv_ground_technical_electricity_gwh_per_a": t["pv_ground_technical_yield_gwh_per_a"].to_numpy(),
        "pv_ground_restricted_area_ha": r["pv_ground_area_ha"].to_numpy(),
        "pv_ground_restricted_capacity_mwp": r["pv_ground_capacity_mwp"].to_numpy(),
        "pv_ground_restricted_electricity_gwh_per_a": r["pv_ground_yield_gwh_per_a"].to_numpy(),
        "pv_ground_realisable_area_ha": real["area_wf"],
        "pv_ground_realisable_capacity_mwp": real["cap_wf"],
        "pv_ground_realisable_electricity_gwh_per_a": real["gwh_wf"],
    })


def wind_stages(ags: Sequence[str], technical: pd.DataFrame, restricted: pd.DataFrame, turbines: pd.DataFrame,
                areas: pd.DataFrame, params: CascadeParams) -> pd.DataFrame:
    """Wind per municipality.

    technical = the run's turbines plus those that fit on the land only soft rules exclude
    (``wind_technical``); restricted = the run's turbines (``wind_municipalities``); realisable =
    the run's turbines in parks of at least ``wind_min_turbines_per_park`` turbines (a park: the
    turbines of one connected eligible area, across municipal borders), times the share the
    county's build rate allows by the horizon (the same share in every municipality).
    """
    t = _by_ags(technical, ags, ["wind_technical_area_ha", "wind_technical_capacity_mw",
                                 "wind_technical_yield_gwh_per_a"])
    r = _by_ags(restricted, ags, ["wind_area_ha", "wind_capacity_mw", "wind_yield_gwh_per_a"])
    park_of_area = areas.set_index("area_id")["park_id"]
    tb = turbines.assign(ags=turbines["ags"].astype(str), park=turbines["area_id"].map(park_of_area))
    in_park = tb.groupby("park")["turbine_id"].transform("size")
    whole = tb[in_park >= params.wind_min_turbines_per_park]
    w = whole.groupby("ags").agg(n=("turbine_id", "size"), mw=("capacity_mw", "sum"), mwh=("yield_mwh_per_a", "sum"))
    w = w.reindex(list(ags)).fillna(0.0)
    allowed = params.wind_build_turbines_per_a * params.years
    n_total = float(w["n"].sum())
    pace = min(1.0, allowed / n_total) if n_total > 0 else 0.0
    return pd.DataFrame({
        "wind_technical_area_ha": t["wind_technical_area_ha"].to_numpy(),
        "wind_technical_capacity_mw": t["wind_technical_capacity_mw"].to_numpy(),
        "wind_technical_electricity_gwh_per_a": t["wind_technical_yield_gwh_per_a"].to_numpy(),
        "wind_restricted_area_ha": r["wind_area_ha"].to_numpy(),
        "wind_restricted_capacity_mw": r["wind_capacity_mw"].to_numpy(),
        "wind_restricted_electricity_gwh_per_a": r["wind_yield_gwh_per_a"].to_numpy(),
        "wind_realisable_capacity_mw": w["mw"].to_numpy(float) * pace,
        "wind_realisable_electricity_gwh_per_a": w["mwh"].to_numpy(float) / MWH_PER_GWH * pace,
    })


def biomass_stages(ags: Sequence[str], totals: pd.DataFrame, params: CascadeParams) -> pd.DataFrame:
    """Biomass per municipality, as primary energy only (the feedstock, not electricity or heat).

    technical = the sustainably usable feedstock of the run (P50 over all feedstocks);
    restricted = technical (no planning criterion applies to feedstock); realisable = restricted
    minus the feedstock the existing plants already burn (their electricity, P50, divided by
    their electrical efficiency), never below 0."""
    b = _by_ags(totals, ags, ["biomass_primary_energy_mwh_per_a_p50", "biomass_existing_electricity_mwh_per_a_p50"])
    tech = b["biomass_primary_energy_mwh_per_a_p50"].to_numpy() / MWH_PER_GWH
    used = b["biomass_existing_electricity_mwh_per_a_p50"].to_numpy() / params.biomass_existing_electrical_efficiency
    return pd.DataFrame({
        "biomass_technical_primary_energy_gwh_per_a": tech,
        "biomass_restricted_primary_energy_gwh_per_a": tech,
        "biomass_realisable_primary_energy_gwh_per_a": np.maximum(0.0, tech - used / MWH_PER_GWH),
    })


def cascade_table(ags: Sequence[str], parts: Sequence[pd.DataFrame], params: CascadeParams) -> pd.DataFrame:
    """The wide table ``cascade_municipalities``: AGS, horizon year, then every technology's stages."""
    head = pd.DataFrame({"ags": [str(a) for a in ags], "horizon_year": np.full(len(ags), params.horizon_year)})
    return pd.concat([head, *(p.reset_index(drop=True) for p in parts)], axis=1)
