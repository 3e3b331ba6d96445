"""Results of the solar_roof step: roof planes, the sums per municipality, and the input report."""

from potenzial.results import ResultSchema, ValueClass
from potenzial.results.vocabulary import ColumnLabel as L

#: the suitability classes of a roof plane (thresholds: layers/params/default/solar_roof.toml)
SUITABILITY = (
    ValueClass("very_good", "sehr gut geeignet", "very good", "≥ 90 % der Einstrahlung der besten Ausrichtung"),
    ValueClass("good", "gut geeignet", "good", "80–90 % der Einstrahlung der besten Ausrichtung"),
    ValueClass("suitable", "geeignet", "suitable", "70–80 % der Einstrahlung der besten Ausrichtung"),
    ValueClass("unsuitable", "nicht geeignet", "unsuitable", "unter 70 % der Einstrahlung oder zu klein"),
)
#: how a roof plane was found
METHODS = (
    ValueClass("lod2", "LoD2-Gebäudemodell", "LoD2 building model"),
    ValueClass("dsm", "aus dem Oberflächenmodell", "from the surface model (DSM)"),
    ValueClass("footprint_gable", "Grundriss: angenommenes Satteldach", "footprint: assumed gable roof"),
    ValueClass("footprint_flat", "Grundriss: angenommenes Flachdach", "footprint: assumed flat roof"),
)
#: the catalog inputs of the roof results
ROOF_INPUTS = ("municipalities", "buildings", "dsm", "terrain", "ghi", "listed_buildings", "statistics",
               "plants_pv_open_field_2015")

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
    classes=(("suitability", SUITABILITY), ("method", METHODS)),
    labels=(
        L("building_id", "Gebäude (Kennung)", "Building (id)", "Kennung des Gebäudes in den Eingangsdaten",
          "id of the building in the input data"),
        L("plane_no", "Dachfläche Nr.", "Roof plane no.", "Nummer der Dachfläche am Gebäude",
          "number of the plane on its building"),
        L("method", "Methode", "Method", "wie die Dachfläche ermittelt wurde", "how the roof plane was found"),
        L("tilt_deg", "Neigung", "Tilt", "Neigung der Dachfläche", "tilt of the roof plane"),
        L("azimuth_deg", "Ausrichtung", "Azimuth", "Himmelsrichtung, in die die Fläche zeigt",
          "direction the plane faces"),
        L("plane_area_m2", "Dachfläche", "Plane area", "Fläche der geneigten Dachfläche", "area of the tilted plane"),
        L("usable_area_m2", "Nutzbare Fläche", "Usable area", "für Module nutzbarer Teil der Dachfläche",
          "part of the plane usable for modules"),
        L("capacity_kwp", "Leistung", "Capacity", "mögliche PV-Leistung", "possible PV capacity"),
        L("yield_kwh_per_a", "Ertrag", "Yield", "Stromertrag im Jahr", "electricity per year"),
        L("specific_yield_kwh_per_kwp", "Spezifischer Ertrag", "Specific yield", "Jahresertrag je kWp",
          "annual yield per kWp"),
        L("relative_irradiation", "Relative Einstrahlung", "Relative irradiation",
          "Einstrahlung im Verhältnis zur besten Ausrichtung", "irradiation relative to the best orientation"),
        L("shading_factor", "Verschattungsfaktor", "Shading factor",
          "Anteil der Einstrahlung, der nach Verschattung bleibt", "share of irradiation left after shading"),
        L("suitability", "Eignung", "Suitability", "Eignungsklasse der Dachfläche", "suitability class of the plane"),
        L("listed", "Baudenkmal", "Listed building", "das Gebäude ist ein Kulturdenkmal",
          "the building is a listed monument"),
    ),
    inputs=ROOF_INPUTS,
)

SOLAR_ROOF_MUNICIPALITIES = ResultSchema(
    name="solar_roof_municipalities",
    title_de="Dach-PV je Gemeinde",
    title_en="Rooftop PV per municipality",
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
    labels=(
        L("roof_buildings", "Dach-PV: bewertete Gebäude", "Rooftop PV: buildings assessed",
          "Gebäude, deren Dächer bewertet wurden", "buildings whose roofs were assessed"),
        L("roof_suitable_buildings", "Dach-PV: Gebäude mit geeigneten Flächen",
          "Rooftop PV: buildings with usable planes",
          "Gebäude mit mindestens einer geeigneten Dachfläche", "buildings with at least one suitable plane"),
        L("roof_capacity_mwp", "Dach-PV: Leistung", "Rooftop PV: capacity",
          "mögliche Leistung auf den geeigneten Dachflächen", "possible capacity on the suitable planes"),
        L("roof_yield_gwh_per_a", "Dach-PV: Ertrag", "Rooftop PV: yield",
          "Stromertrag der geeigneten Dachflächen", "electricity of the suitable planes"),
        L("roof_installed_mw", "Dach-PV: installiert", "Rooftop PV: installed",
          "installierte Dach-PV (MaStR 2024 ohne Freiflächenanlagen)",
          "installed roof PV (MaStR 2024 without solar parks)"),
        L("roof_remaining_mwp", "Dach-PV: noch offen (Potenzial − installiert)",
          "Rooftop PV: remaining (potential − installed)", "Potenzial abzüglich installierter Dach-PV",
          "potential minus installed roof PV"),
        L("roof_listed_buildings", "Dach-PV: Baudenkmale unter den Gebäuden", "Rooftop PV: listed buildings among them",
          "Kulturdenkmale unter den bewerteten Gebäuden", "listed monuments among the assessed buildings"),
    ),
    inputs=ROOF_INPUTS,
)

SOLAR_ROOF_REPORT = ResultSchema(
    name="solar_roof_report",
    title_de="Dach-PV: Bericht über die Eingangsdaten",
    title_en="Rooftop PV: input report",
    key=("item",),
    description=("What the solar_roof step did with its inputs: buildings read, skipped or repaired, planes "
                 "per method, fallbacks."),
    columns=(
        ("item", "text"),
        ("count", "int"),
        ("detail", "text"),
    ),
    units=(("count", "count"),),
    labels=(
        L("item", "Posten", "Item", "was gezählt wurde", "what was counted"),
        L("count", "Anzahl", "Count", "wie oft", "how many"),
        L("detail", "Erläuterung", "Detail", "Einzelheiten", "details"),
    ),
    inputs=ROOF_INPUTS,
)

SCHEMAS = (SOLAR_ROOF, SOLAR_ROOF_MUNICIPALITIES, SOLAR_ROOF_REPORT)

#: what a roof-plane tile holds below the zoom of single planes (:mod:`potenzial.tiles.density`)
SOLAR_ROOF_DENSITY = ResultSchema(
    name="solar_roof_density",
    title_de="Dach-PV: Leistungsdichte (Raster)",
    title_en="Rooftop PV: capacity density (grid)",
    geometry_type="POLYGON",
    key=("cell_y_m", "cell_x_m"),
    description=("The roof planes at low zoom levels of the map: square cells in EPSG:25833 (100 m at zoom 12, "
                 "doubling per zoom level out) with the planes whose bounding-box centre lies in the cell and the "
                 "sums of their capacity, yield and usable area; from zoom 13 the tiles hold the single planes."),
    columns=(
        ("cell_x_m", "float"),
        ("cell_y_m", "float"),
        ("cell_size_m", "float"),
        ("planes", "int"),
        ("capacity_kwp", "float"),
        ("yield_kwh_per_a", "float"),
        ("usable_area_m2", "float"),
    ),
    units=(
        ("cell_x_m", "m"), ("cell_y_m", "m"), ("cell_size_m", "m"), ("planes", "count"),
        ("capacity_kwp", "kWp"), ("yield_kwh_per_a", "kWh/a"), ("usable_area_m2", "m²"),
    ),
    labels=(
        L("cell_x_m", "Rasterzelle: Rechtswert", "Grid cell: easting",
          "Westkante der Zelle (EPSG:25833)", "west edge of the cell (EPSG:25833)"),
        L("cell_y_m", "Rasterzelle: Hochwert", "Grid cell: northing",
          "Südkante der Zelle (EPSG:25833)", "south edge of the cell (EPSG:25833)"),
        L("cell_size_m", "Zellengröße", "Cell size", "Seitenlänge der Zelle", "side of the cell"),
        L("planes", "Dachflächen", "Roof planes", "Dachflächen mit Mittelpunkt in der Zelle",
          "roof planes whose centre lies in the cell"),
        L("capacity_kwp", "Leistung", "Capacity", "mögliche PV-Leistung der Dachflächen der Zelle",
          "possible PV capacity of the cell's roof planes"),
        L("yield_kwh_per_a", "Ertrag", "Yield", "Stromertrag der Dachflächen der Zelle im Jahr",
          "electricity per year of the cell's roof planes"),
        L("usable_area_m2", "Nutzbare Fläche", "Usable area", "für Module nutzbare Dachfläche der Zelle",
          "roof area of the cell usable for modules"),
    ),
    inputs=ROOF_INPUTS,
)

DERIVED = (SOLAR_ROOF_DENSITY,)
