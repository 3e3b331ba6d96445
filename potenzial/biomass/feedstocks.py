"""The biomass vocabulary: the feedstocks, the input columns that drive them, the factors they need.

Data only, no calculation. The chains that turn drivers and factors into amounts and energy
are in :mod:`potenzial.biomass.chains`; the method and every factor's source in docs/METHOD.md
(section Biomass) and ``layers/params/default/biomass.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LANDCOVER_CLASSES = ("arable", "grassland", "forest", "water", "settlement", "traffic")

#: statistics columns used (Flächenerhebung [ha], population [persons], MaStR sums [kW])
STAT_FOREST_HA = "area_ha_veg_forrest"
STAT_WOODY_HA = "area_ha_veg_wood"
STAT_AGRI_HA = "area_ha_veg_agri"
STAT_POPULATION = "population_2021"
STAT_MASTR_2021_KW = "mastr2021_kw_biomass"
STAT_MASTR_2024_KW = "mastr2024_kw_biomass"
STAT_REQUIRED = (STAT_FOREST_HA, STAT_WOODY_HA, STAT_AGRI_HA, STAT_POPULATION)

#: livestock table column -> animal group used in factor names
LIVESTOCK_GROUPS = {
    "cows": "dairy_cows",
    "cattle": "other_cattle",
    "pigs": "pigs",
    "poultry": "poultry",
    "other_animals": "other_animals",
}
#: animal group -> factor with the collectable share (groups not listed are fully housed)
COLLECTABLE_SHARE = {
    "dairy_cows": "manure_cattle_collectable_share",
    "other_cattle": "manure_cattle_collectable_share",
    "other_animals": "manure_other_animals_collectable_share",
}

Conversion = Literal["biogas", "solid"]


@dataclass(frozen=True)
class Feedstock:
    """A feedstock: how its energy is converted and which land-cover classes it comes from."""

    id: str
    conversion: Conversion
    amount_unit: Literal["t", "m3"]  #: amount_t_per_a or amount_m3_per_a
    landcover_classes: tuple[str, ...]  #: polygons the map layer spreads it over
    basis: str  #: what drives it (for the result table)


FEEDSTOCKS: tuple[Feedstock, ...] = (
    Feedstock("forest_wood", "solid", "m3", ("forest",), f"statistics {STAT_FOREST_HA}"),
    # Gehölz has no class of its own in the land cover; woody areas sit mostly at forest edges
    Feedstock("landscape_wood", "solid", "m3", ("forest",), f"statistics {STAT_WOODY_HA}"),
    Feedstock("straw", "solid", "t", ("arable",), f"statistics {STAT_AGRI_HA} × arable share (landcover)"),
    Feedstock("energy_crops", "biogas", "t", ("arable",), f"statistics {STAT_AGRI_HA} × arable share (landcover)"),
    Feedstock("grassland", "biogas", "t", ("grassland",),
              f"statistics {STAT_AGRI_HA} × grassland share (landcover)"),
    Feedstock("manure", "biogas", "t", ("arable", "grassland"), "livestock"),
    Feedstock("biowaste", "biogas", "t", ("settlement",), f"statistics {STAT_POPULATION}"),
    Feedstock("green_waste", "solid", "t", ("settlement",), f"statistics {STAT_POPULATION}"),
)
FEEDSTOCK_IDS = tuple(f.id for f in FEEDSTOCKS)
FEEDSTOCKS_BY_ID = {f.id: f for f in FEEDSTOCKS}

_MANURE_FACTORS = tuple(
    f"manure_{group}_{part}" for group in LIVESTOCK_GROUPS.values()
    for part in ("t_per_head_a", "odm_share_of_fm", "methane_m3_per_t_odm")
)
#: every factor the chains need
REQUIRED_FACTORS: tuple[str, ...] = (
    "forest_energy_wood_m3_per_ha_a", "woody_area_energy_wood_m3_per_ha_a", "wood_energy_mwh_per_m3",
    "cereal_area_share_of_arable", "straw_yield_t_per_ha_a", "straw_usable_share", "straw_energy_mwh_per_t",
    "energy_crop_area_share_of_arable", "energy_crop_yield_t_per_ha_a", "energy_crop_odm_share_of_fm",
    "energy_crop_methane_m3_per_t_odm",
    "grassland_surplus_share", "grass_yield_t_per_ha_a", "grass_odm_share_of_fm", "grass_methane_m3_per_t_odm",
    *_MANURE_FACTORS, "manure_cattle_collectable_share", "manure_other_animals_collectable_share",
    "bio_and_green_waste_kg_per_capita_a", "biowaste_share_of_bio_and_green_waste", "biowaste_odm_share_of_fm",
    "biowaste_methane_m3_per_t_odm", "green_waste_woody_share", "green_waste_wood_energy_mwh_per_t",
    "methane_energy_kwh_per_m3",
    "biogas_chp_electrical_efficiency_share", "biogas_chp_heat_efficiency_share",
    "solid_chp_electrical_efficiency_share", "solid_chp_heat_efficiency_share",
    "existing_full_load_hours_h_per_a",
)
#: conversion -> (electrical, heat) efficiency factor of its CHP plant
CHP_EFFICIENCY: dict[Conversion, tuple[str, str]] = {
    "biogas": ("biogas_chp_electrical_efficiency_share", "biogas_chp_heat_efficiency_share"),
    "solid": ("solid_chp_electrical_efficiency_share", "solid_chp_heat_efficiency_share"),
}
