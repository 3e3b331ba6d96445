"""The feedstock chains: drivers × sampled factors -> amount, methane and primary energy.

One array per feedstock of shape (municipalities, samples) (see docs/METHOD.md, section Biomass):

- ``forest_wood``: forest area [ha] × usable energy wood [m³/ha·a] × [MWh/m³];
- ``landscape_wood``: woody area outside forest (Gehölz) [ha] × [m³/ha·a] × [MWh/m³];
- ``straw``: arable area × cereal share × straw yield [t/ha·a] × usable share × [MWh/t];
- ``energy_crops``: arable area × energy-crop share × yield [t FM/ha·a] × oDM share ×
  [m³ CH₄/t oDM] × [kWh/m³ CH₄];
- ``grassland``: grassland area × surplus share × yield × oDM share × [m³ CH₄/t oDM] × …;
- ``manure``: head counts per animal group × [t/head·a] (× collectable share for cattle and
  other animals) × oDM share × [m³ CH₄/t oDM] × …;
- ``biowaste`` / ``green_waste``: population × [kg/cap·a] split by the bio-bin share; biowaste
  is digested, the woody fraction of green waste burnt.

Every factor is drawn once per sample for the whole region, so within a feedstock the
municipality values are one random variable scaled by a fixed driver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from potenzial.biomass.drivers import Drivers
from potenzial.biomass.feedstocks import CHP_EFFICIENCY, COLLECTABLE_SHARE, LIVESTOCK_GROUPS, Feedstock
from potenzial.units import KG_PER_T, KWH_PER_MWH


@dataclass(frozen=True)
class FeedstockSamples:
    """Samples of one feedstock, shape (municipalities, samples)."""

    amount: np.ndarray  #: [t/a] or [m³/a] (see Feedstock.amount_unit)
    primary_mwh: np.ndarray  #: primary energy [MWh/a]
    methane_m3: np.ndarray | None = None  #: [m³ CH₄/a] for biogas feedstocks


def as_column(values: np.ndarray) -> np.ndarray:
    """Values per municipality as a column (shape (n, 1)) that broadcasts against samples (n_samples,)."""
    return np.asarray(values, dtype=float)[:, None]


def feedstock_samples(d: Drivers, f: Mapping[str, np.ndarray]) -> dict[str, FeedstockSamples]:
    """Every chain evaluated for all municipalities × samples (driver × product of factors)."""
    kwh = f["methane_energy_kwh_per_m3"] / KWH_PER_MWH  # [MWh per m³ CH₄]

    def biogas(mass_t: np.ndarray, prefix: str) -> FeedstockSamples:
        methane = mass_t * f[f"{prefix}_odm_share_of_fm"] * f[f"{prefix}_methane_m3_per_t_odm"]
        return FeedstockSamples(amount=mass_t, primary_mwh=methane * kwh, methane_m3=methane)

    forest_m3 = as_column(d.forest_ha) * f["forest_energy_wood_m3_per_ha_a"]
    woody_m3 = as_column(d.woody_ha) * f["woody_area_energy_wood_m3_per_ha_a"]
    straw_t = (as_column(d.arable_ha) * f["cereal_area_share_of_arable"]) * f["straw_yield_t_per_ha_a"] \
        * f["straw_usable_share"]
    crops_t = (as_column(d.arable_ha) * f["energy_crop_area_share_of_arable"]) * f["energy_crop_yield_t_per_ha_a"]
    grass_t = (as_column(d.grassland_ha) * f["grassland_surplus_share"]) * f["grass_yield_t_per_ha_a"]

    manure_t = np.zeros((len(d.ags), len(kwh)))
    manure_ch4 = np.zeros_like(manure_t)
    for col, group in LIVESTOCK_GROUPS.items():
        mass = as_column(d.heads[col].to_numpy()) * f[f"manure_{group}_t_per_head_a"]
        if group in COLLECTABLE_SHARE:
            mass = mass * f[COLLECTABLE_SHARE[group]]
        manure_t += mass
        manure_ch4 += mass * f[f"manure_{group}_odm_share_of_fm"] * f[f"manure_{group}_methane_m3_per_t_odm"]

    waste_t = as_column(d.population) * f["bio_and_green_waste_kg_per_capita_a"] / KG_PER_T
    bio_t = waste_t * f["biowaste_share_of_bio_and_green_waste"]
    green_t = waste_t * (1.0 - f["biowaste_share_of_bio_and_green_waste"])

    return {
        "forest_wood": FeedstockSamples(forest_m3, forest_m3 * f["wood_energy_mwh_per_m3"]),
        "landscape_wood": FeedstockSamples(woody_m3, woody_m3 * f["wood_energy_mwh_per_m3"]),
        "straw": FeedstockSamples(straw_t, straw_t * f["straw_energy_mwh_per_t"]),
        "energy_crops": biogas(crops_t, "energy_crop"),
        "grassland": biogas(grass_t, "grass"),
        "manure": FeedstockSamples(manure_t, manure_ch4 * kwh, manure_ch4),
        "biowaste": biogas(bio_t, "biowaste"),
        "green_waste": FeedstockSamples(
            green_t, green_t * f["green_waste_woody_share"] * f["green_waste_wood_energy_mwh_per_t"]),
    }


def converted(fs: Feedstock, primary: np.ndarray, f: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Electricity and heat [MWh/a] of ``primary`` energy [MWh/a] in the CHP plant of the feedstock's conversion."""
    el, heat = CHP_EFFICIENCY[fs.conversion]
    return primary * f[el], primary * f[heat]
