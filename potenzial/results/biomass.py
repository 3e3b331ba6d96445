"""Results of the biomass step (issue 6): feedstock potential per municipality with uncertainty.

Primary energy is given as P10/P50/P90 (and mean) over seeded Monte Carlo samples of the
factors in ``layers/params/default/biomass.toml``; amounts, methane, electricity and heat are
sample medians (P50). Electricity and heat assume conversion in a CHP plant: gas engine for
biogas feedstocks, solid-fuel CHP for wood, straw and green waste.
"""

from potenzial.results import ResultSchema, ValueClass
from potenzial.results.vocabulary import ColumnLabel as L

#: the feedstocks (potenzial.biomass.feedstocks) and the region's total row
FEEDSTOCKS = (
    ValueClass("forest_wood", "Waldholz", "Forest wood", "Energieholz aus dem Wald"),
    ValueClass("landscape_wood", "Landschaftspflegeholz", "Landscape wood", "Gehölze außerhalb des Waldes"),
    ValueClass("straw", "Getreidestroh", "Cereal straw", "nachhaltig nutzbarer Teil des Strohs"),
    ValueClass("energy_crops", "Energiepflanzen", "Energy crops", "Anbau für Biogas"),
    ValueClass("grassland", "Grünlandaufwuchs", "Grassland surplus", "Grasschnitt für Biogas"),
    ValueClass("manure", "Gülle und Mist", "Manure", "Wirtschaftsdünger aus der Tierhaltung"),
    ValueClass("biowaste", "Bioabfall", "Biowaste", "getrennt gesammelter Bioabfall"),
    ValueClass("green_waste", "Grünschnitt", "Green waste", "Grünabfall aus Gärten und Pflege"),
)
FEEDSTOCKS_AND_TOTAL = (*FEEDSTOCKS, ValueClass("total", "alle Biomassearten", "all feedstocks"))
CONVERSIONS = (
    ValueClass("biogas", "Biogas (Gasmotor-BHKW)", "biogas (gas-engine CHP)"),
    ValueClass("solid", "Festbrennstoff (Heizkraftwerk)", "solid fuel (CHP plant)"),
)
#: the catalog inputs of the biomass results
BIOMASS_INPUTS = ("municipalities", "statistics", "landcover", "livestock_state", "plants_bioenergy_2015")

_ENERGY_LABELS = (
    L("amount_t_per_a", "Menge", "Amount", "Frischmasse im Jahr (Median)", "fresh mass per year (median)"),
    L("amount_m3_per_a", "Menge (Holz)", "Amount (wood)", "Festmeter im Jahr (Median)",
      "solid cubic metres per year (median)"),
    L("methane_m3_per_a_p50", "Methan", "Methane", "Methanertrag im Jahr (Median)", "methane per year (median)"),
    L("primary_energy_mwh_per_a_p10", "Primärenergie P10", "Primary energy P10",
      "10 % der Stichproben liegen darunter", "10 % of the samples lie below"),
    L("primary_energy_mwh_per_a_p50", "Primärenergie (Median)", "Primary energy (median)",
      "Median der Stichproben", "median of the samples"),
    L("primary_energy_mwh_per_a_p90", "Primärenergie P90", "Primary energy P90",
      "90 % der Stichproben liegen darunter", "90 % of the samples lie below"),
    L("primary_energy_mwh_per_a_mean", "Primärenergie (Mittel)", "Primary energy (mean)",
      "Mittelwert der Stichproben", "mean of the samples"),
    L("electricity_mwh_per_a_p50", "Strom (KWK)", "Electricity (CHP)", "Strom bei Umwandlung im BHKW (Median)",
      "electricity if converted in a CHP plant (median)"),
    L("heat_mwh_per_a_p50", "Wärme (KWK)", "Heat (CHP)", "Wärme bei Umwandlung im BHKW (Median)",
      "heat if converted in a CHP plant (median)"),
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
    title_de="Biomasse je Gemeinde und Art",
    title_en="Biomass per municipality and feedstock",
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
    classes=(("feedstock", FEEDSTOCKS), ("conversion", CONVERSIONS)),
    labels=(
        L("basis", "Grundlage", "Basis", "Eingangsgröße, die die Menge bestimmt", "input that drives the amount"),
        L("land_area_ha", "Herkunftsfläche", "Source area", "Fläche, von der die Biomasse stammt",
          "area the feedstock is drawn from"),
        *_ENERGY_LABELS,
    ),
    inputs=BIOMASS_INPUTS,
)

BIOMASS_TOTALS = ResultSchema(
    name="biomass_totals",
    title_de="Biomasse je Gemeinde",
    title_en="Biomass per municipality",
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
    labels=(
        L("biomass_primary_energy_mwh_per_a_p10", "Biomasse: Primärenergie P10", "Biomass: primary energy P10",
          "10 % der Stichproben liegen darunter", "10 % of the samples lie below"),
        L("biomass_primary_energy_mwh_per_a_p50", "Biomasse: Primärenergie", "Biomass: primary energy",
          "Median über alle Biomassearten", "median over all feedstocks"),
        L("biomass_primary_energy_mwh_per_a_p90", "Biomasse: Primärenergie P90", "Biomass: primary energy P90",
          "90 % der Stichproben liegen darunter", "90 % of the samples lie below"),
        L("biomass_primary_energy_mwh_per_a_mean", "Biomasse: Primärenergie (Mittel)", "Biomass: primary energy (mean)",
          "Mittelwert der Stichproben", "mean of the samples"),
        L("biomass_electricity_mwh_per_a_p50", "Biomasse: Strom (KWK)", "Biomass: electricity (CHP)",
          "Strom bei Umwandlung im BHKW (Median)", "electricity if converted in a CHP plant (median)"),
        L("biomass_heat_mwh_per_a_p50", "Biomasse: Wärme (KWK)", "Biomass: heat (CHP)",
          "Wärme bei Umwandlung im BHKW (Median)", "heat if converted in a CHP plant (median)"),
        L("biomass_plants_2015_count", "Biomasse: Anlagen 2015", "Biomass: plants 2015",
          "Bioenergieanlagen der UFZ-Liste 2015", "bioenergy plants of the UFZ list of 2015"),
        L("biomass_plants_2015_kw", "Biomasse: Leistung der Anlagen 2015", "Biomass: capacity of the 2015 plants",
          "Leistung der Anlagen 2015", "capacity of the 2015 plants"),
        L("biomass_mastr2021_kw", "Biomasse: installiert 2021", "Biomass: installed 2021",
          "Biomasseleistung laut MaStR 2021", "biomass capacity per MaStR 2021"),
        L("biomass_mastr2024_kw", "Biomasse: installiert 2024", "Biomass: installed 2024",
          "Biomasseleistung laut MaStR 2024", "biomass capacity per MaStR 2024"),
        L("biomass_existing_electricity_mwh_per_a_p50", "Biomasse: Strom der bestehenden Anlagen",
          "Biomass: electricity of existing plants",
          "geschätzt über Volllaststunden (Median)", "estimated with full-load hours (median)"),
    ),
    inputs=BIOMASS_INPUTS,
)

BIOMASS_REGION = ResultSchema(
    name="biomass_region",
    title_de="Biomasse im Landkreis",
    title_en="Biomass in the region",
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
    classes=(("feedstock", FEEDSTOCKS_AND_TOTAL), ("conversion", CONVERSIONS)),
    labels=_ENERGY_LABELS,
    inputs=BIOMASS_INPUTS,
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
    classes=(("feedstock", FEEDSTOCKS),),
    labels=(
        L("landcover_classes", "Landbedeckung", "Land cover", "Landbedeckungsklassen, aus denen die Biomasse stammt",
          "land-cover classes the feedstock comes from"),
        L("area_ha", "Fläche", "Area", "Herkunftsfläche in der Gemeinde", "source area in the municipality"),
        L("primary_energy_mwh_per_ha_a_p50", "Energiedichte", "Energy density", "Primärenergie je Hektar (Median)",
          "primary energy per hectare (median)"),
        *_ENERGY_LABELS,
    ),
    inputs=BIOMASS_INPUTS,
)

SCHEMAS = (BIOMASS, BIOMASS_TOTALS, BIOMASS_REGION, BIOMASS_MAP)
