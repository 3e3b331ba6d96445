"""Results of the solar_roof step: roof planes, the sums per municipality, and the input report."""

from potenzial.results import ResultSchema, ValueClass

#: the suitability classes of a roof plane, by its irradiation relative to the best orientation
#: (thresholds: ``layers/params/default/solar_roof.toml``; defaults 90 / 80 / 70 %)
SUITABILITY = (
    ValueClass("very_good", "sehr gut", "very good", "at least the very-good share of the best orientation"),
    ValueClass("good", "gut", "good", "between the good and the very-good share"),
    ValueClass("suitable", "geeignet", "suitable", "between the suitable and the good share"),
    ValueClass("unsuitable", "ungeeignet", "unsuitable", "below the suitable share"),
)

SOLAR_ROOF = ResultSchema(
    name="solar_roof",
    title_de="Dach-PV: Dachflächen",
    title_en="Rooftop PV: roof planes",
    geometry_type="MULTIPOLYGON",
    key=("building_id", "plane_no"),
    description=("One row per roof plane: orientation, areas, capacity, yield, suitability, shading by the "
                 "surroundings and whether the building is listed; geometry is the plane's footprint (its "
                 "projection on the ground)."),
    columns=(
        ("building_id", "text"),
        ("plane_no", "int"),
        ("ags", "text"),
        ("method", "text"),
        ("tilt_deg", "float"),
        ("azimuth_deg", "float"),
        ("plane_area_m2", "float"),
        ("usable_area_m2", "float"),
        ("capacity_kwp", "float"),
        ("yield_kwh_per_a", "float"),
        ("specific_yield_kwh_per_kwp", "float"),
        ("relative_irradiation", "float"),
        ("shading_factor", "float"),
        ("suitability", "text"),
        ("listed", "bool"),
    ),
    units=(
        ("plane_no", "count"), ("tilt_deg", "° from horizontal"),
        ("azimuth_deg", "° clockwise from north (180 = south)"), ("plane_area_m2", "m²"),
        ("usable_area_m2", "m²"), ("capacity_kwp", "kWp"), ("yield_kwh_per_a", "kWh/a"),
        ("specific_yield_kwh_per_kwp", "kWh/kWp·a"), ("relative_irradiation", "share of the best orientation"),
        ("shading_factor", "share of irradiation left"),
        ("suitability", "very_good|good|suitable|unsuitable"),
        ("listed", "true = listed building (Kulturdenkmal)"),
    ),
    classes=(("suitability", SUITABILITY),),
)

SOLAR_ROOF_MUNICIPALITIES = ResultSchema(
    name="solar_roof_municipalities",
    key=("ags",),
    per_municipality=True,
    description=("Roof PV per municipality: assessed buildings, buildings with usable planes, capacity, yield, "
                 "installed roof PV (MaStR 2024 PV without the open-field plants: by the MaStR location type where "
                 "the statistics have it, else without the open-field plants of the 2015 UFZ list) and the "
                 "remaining roof potential (roof potential − installed roof PV; solar parks do not lower it) and "
                 "the listed buildings (Kulturdenkmale) among the assessed ones."),
    columns=(
        ("ags", "text"),
        ("roof_buildings", "int"),
        ("roof_suitable_buildings", "int"),
        ("roof_capacity_mwp", "float"),
        ("roof_yield_gwh_per_a", "float"),
        ("roof_installed_mw", "float"),
        ("roof_remaining_mwp", "float"),
        ("roof_listed_buildings", "int"),
    ),
    units=(
        ("roof_buildings", "count"), ("roof_suitable_buildings", "count"), ("roof_capacity_mwp", "MWp"),
        ("roof_yield_gwh_per_a", "GWh/a"), ("roof_installed_mw", "MW"), ("roof_remaining_mwp", "MWp"),
        ("roof_listed_buildings", "count"),
    ),
    column_titles=(
        ("roof_capacity_mwp", "Dach-PV: Leistung", "Rooftop PV: capacity"),
        ("roof_yield_gwh_per_a", "Dach-PV: Ertrag", "Rooftop PV: yield"),
        ("roof_installed_mw", "Dach-PV: installiert", "Rooftop PV: installed"),
        ("roof_remaining_mwp", "Dach-PV: noch offen (Potenzial − installiert)",
         "Rooftop PV: remaining (potential − installed)"),
        ("roof_listed_buildings", "Dach-PV: Baudenkmale unter den Gebäuden", "Rooftop PV: listed buildings among them"),
    ),
)

SOLAR_ROOF_REPORT = ResultSchema(
    name="solar_roof_report",
    key=("item",),
    description=("What the solar_roof step did with its inputs: buildings read, skipped or repaired, planes "
                 "per method, fallbacks."),
    columns=(
        ("item", "text"),
        ("count", "int"),
        ("detail", "text"),
    ),
    units=(("count", "count"),),
)

SCHEMAS = (SOLAR_ROOF, SOLAR_ROOF_MUNICIPALITIES, SOLAR_ROOF_REPORT)
