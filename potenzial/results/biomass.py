"""Results of the biomass step (issue 6): feedstock potential per municipality with uncertainty.

Primary energy is given as P10/P50/P90 (and mean) over seeded Monte Carlo samples of the
factors in ``layers/params/default/biomass.toml``; amounts, methane, electricity and heat are
sample medians (P50). Electricity and heat assume conversion in a CHP plant: gas engine for
biogas feedstocks, solid-fuel CHP for wood, straw and green waste.
"""

from potenzial.results import ResultSchema, ValueClass

#: the feedstocks (codes as in ``potenzial.biomass.feedstocks.FEEDSTOCK_IDS``) and what a person reads
FEEDSTOCK_CLASSES = (
    ValueClass("forest_wood", "Waldholz (Energieholz)", "Forest wood (energy wood)"),
    ValueClass("landscape_wood", "Landschaftspflegeholz (Gehölze)", "Landscape wood (woody areas)"),
    ValueClass("straw", "Getreidestroh", "Cereal straw"),
    ValueClass("energy_crops", "Energiepflanzen (Biogas)", "Energy crops (biogas)"),
    ValueClass("grassland", "Grünlandaufwuchs", "Grassland surplus"),
    ValueClass("manure", "Gülle und Mist", "Manure"),
    ValueClass("biowaste", "Bioabfall", "Biowaste"),
    ValueClass("green_waste", "Grünschnitt", "Green waste"),
)

_ENERGY_UNITS = (
    ("land_area_ha", "ha"), ("amount_t_per_a", "t/a (fresh mass)"), ("amount_m3_per_a", "m³/a (solid wood)"),
    ("methane_m3_per_a_p50", "m³ CH₄/a (STP)"), ("primary_energy_mwh_per_a_p10", "MWh/a"),
    ("primary_energy_mwh_per_a_p50", "MWh/a"), ("primary_energy_mwh_per_a_p90", "MWh/a"),
    ("primary_energy_mwh_per_a_mean", "MWh/a"), ("electricity_mwh_per_a_p50", "MWh/a"),
    ("heat_mwh_per_a_p50", "MWh/a"),
)

BIOMASS = ResultSchema(
    name="biomass",
    key=("ags", "feedstock"),
    description=(
        "Biomass potential per municipality and feedstock (forest_wood, landscape_wood, straw, energy_crops, "
        "grassland, manure, biowaste, green_waste): amount (median; t/a, or m³/a solid wood for the wood "
        "feedstocks), primary energy P10/P50/P90 and mean, electricity and heat (P50) in a CHP plant. "
        "conversion = biogas|solid; basis = the input that drives the feedstock (for manure: local or "
        "scaled state livestock); land_area_ha = the area it is drawn from (empty for waste)."
    ),
    columns=(
        ("ags", "text"),
        ("name", "text"),
        ("feedstock", "text"),
        ("conversion", "text"),
        ("basis", "text"),
        ("land_area_ha", "float"),
        ("amount_t_per_a", "float"),
        ("amount_m3_per_a", "float"),
        ("methane_m3_per_a_p50", "float"),
        ("primary_energy_mwh_per_a_p10", "float"),
        ("primary_energy_mwh_per_a_p50", "float"),
        ("primary_energy_mwh_per_a_p90", "float"),
        ("primary_energy_mwh_per_a_mean", "float"),
        ("electricity_mwh_per_a_p50", "float"),
        ("heat_mwh_per_a_p50", "float"),
    ),
    units=_ENERGY_UNITS,
)

BIOMASS_TOTALS = ResultSchema(
    name="biomass_totals",
    key=("ags",),
    per_municipality=True,
    description=(
        "Biomass potential per municipality over all feedstocks (P10/P50/P90 of the summed samples, mean; "
        "electricity and heat P50), beside the existing bioenergy plants: UFZ plants of 2015 inside the "
        "municipality (count, kW), MaStR 2021/2024 biomass capacity sums (kW) and their electricity "
        "estimated with full-load hours (P50)."
    ),
    columns=(
        ("ags", "text"),
        ("biomass_primary_energy_mwh_per_a_p10", "float"),
        ("biomass_primary_energy_mwh_per_a_p50", "float"),
        ("biomass_primary_energy_mwh_per_a_p90", "float"),
        ("biomass_primary_energy_mwh_per_a_mean", "float"),
        ("biomass_electricity_mwh_per_a_p50", "float"),
        ("biomass_heat_mwh_per_a_p50", "float"),
        ("biomass_plants_2015_count", "int"),
        ("biomass_plants_2015_kw", "float"),
        ("biomass_mastr2021_kw", "float"),
        ("biomass_mastr2024_kw", "float"),
        ("biomass_existing_electricity_mwh_per_a_p50", "float"),
    ),
    units=(
        ("biomass_primary_energy_mwh_per_a_p10", "MWh/a"), ("biomass_primary_energy_mwh_per_a_p50", "MWh/a"),
        ("biomass_primary_energy_mwh_per_a_p90", "MWh/a"), ("biomass_primary_energy_mwh_per_a_mean", "MWh/a"),
        ("biomass_electricity_mwh_per_a_p50", "MWh/a"), ("biomass_heat_mwh_per_a_p50", "MWh/a"),
        ("biomass_plants_2015_count", "count"), ("biomass_plants_2015_kw", "kW"), ("biomass_mastr2021_kw", "kW"),
        ("biomass_mastr2024_kw", "kW"), ("biomass_existing_electricity_mwh_per_a_p50", "MWh/a"),
    ),
)

BIOMASS_REGION = ResultSchema(
    name="biomass_region",
    key=("feedstock",),
    description=(
        "Biomass potential of the whole region per feedstock and in total (feedstock = total): quantiles of "
        "the summed samples, so the uncertainty of the county figure is not overstated by adding P10s or P90s."
    ),
    columns=(
        ("feedstock", "text"),
        ("conversion", "text"),
        ("amount_t_per_a", "float"),
        ("amount_m3_per_a", "float"),
        ("methane_m3_per_a_p50", "float"),
        ("primary_energy_mwh_per_a_p10", "float"),
        ("primary_energy_mwh_per_a_p50", "float"),
        ("primary_energy_mwh_per_a_p90", "float"),
        ("primary_energy_mwh_per_a_mean", "float"),
        ("electricity_mwh_per_a_p50", "float"),
        ("heat_mwh_per_a_p50", "float"),
    ),
    units=_ENERGY_UNITS[1:],
)

BIOMASS_MAP = ResultSchema(
    name="biomass_map",
    title_de="Biomasse: Herkunftsflächen",
    title_en="Biomass: source land",
    geometry_type="MULTIPOLYGON",
    key=("ags", "feedstock"),
    description=(
        "Where each feedstock grows: per municipality and feedstock, the land-cover polygons it comes from "
        "(forest for wood, arable for straw and energy crops, grassland, arable+grassland for manure, "
        "settlement for waste), with its amount and primary energy and the energy density over that area. "
        "landcover_classes = municipality where the municipality has none of those classes."
    ),
    columns=(
        ("ags", "text"),
        ("feedstock", "text"),
        ("landcover_classes", "text"),
        ("area_ha", "float"),
        ("amount_t_per_a", "float"),
        ("amount_m3_per_a", "float"),
        ("primary_energy_mwh_per_a_p10", "float"),
        ("primary_energy_mwh_per_a_p50", "float"),
        ("primary_energy_mwh_per_a_p90", "float"),
        ("primary_energy_mwh_per_ha_a_p50", "float"),
    ),
    units=(
        ("area_ha", "ha"), ("amount_t_per_a", "t/a (fresh mass)"), ("amount_m3_per_a", "m³/a (solid wood)"),
        ("primary_energy_mwh_per_a_p10", "MWh/a"), ("primary_energy_mwh_per_a_p50", "MWh/a"),
        ("primary_energy_mwh_per_a_p90", "MWh/a"), ("primary_energy_mwh_per_ha_a_p50", "MWh/(ha·a)"),
    ),
    classes=(("feedstock", FEEDSTOCK_CLASSES),),
)

SCHEMAS = (BIOMASS, BIOMASS_TOTALS, BIOMASS_REGION, BIOMASS_MAP)
