"""Results of the base step: municipalities with base figures, and the run's inputs."""

from potenzial.results import ResultSchema
from potenzial.results.vocabulary import ColumnLabel as L

MUNICIPALITIES = ResultSchema(
    name="municipalities",
    title_de="Gemeindegrenzen",
    title_en="Municipal boundaries",
    geometry_type="MULTIPOLYGON",
    key=("ags",),
    per_municipality=True,
    description="One row per municipality: identity, area, population, buildings, land cover, installed capacity.",
    columns=(
        ("ags", "text"),
        ("name", "text"),
        ("area_km2", "float"),
        ("population", "int"),
        ("buildings", "int"),
        ("residential_buildings", "int"),
        ("arable_ha", "float"),
        ("grassland_ha", "float"),
        ("forest_ha", "float"),
        ("water_ha", "float"),
        ("settlement_ha", "float"),
        ("traffic_ha", "float"),
        ("pv_installed_mw", "float"),
        ("wind_installed_mw", "float"),
        ("biomass_installed_mw", "float"),
        ("hydro_installed_mw", "float"),
    ),
    units=(
        ("area_km2", "km²"), ("population", "persons"), ("buildings", "count"),
        ("residential_buildings", "count"), ("arable_ha", "ha"), ("grassland_ha", "ha"), ("forest_ha", "ha"),
        ("water_ha", "ha"), ("settlement_ha", "ha"), ("traffic_ha", "ha"), ("pv_installed_mw", "MW"),
        ("wind_installed_mw", "MW"), ("biomass_installed_mw", "MW"), ("hydro_installed_mw", "MW"),
    ),
    labels=(
        L("area_km2", "Fläche", "Area", "Gemeindefläche", "area of the municipality"),
        L("population", "Einwohner", "Population", "Einwohnerzahl laut Statistik", "population from the statistics"),
        L("buildings", "Gebäude", "Buildings", "Gebäude in der Gemeinde", "buildings in the municipality"),
        L("residential_buildings", "Wohngebäude", "Residential buildings", "Gebäude mit Wohnnutzung",
          "buildings used for housing"),
        L("arable_ha", "Ackerland", "Arable land", "Fläche Ackerland", "area of arable land"),
        L("grassland_ha", "Grünland", "Grassland", "Fläche Grünland", "area of grassland"),
        L("forest_ha", "Wald", "Forest", "Waldfläche", "forest area"),
        L("water_ha", "Gewässer", "Water", "Wasserfläche (Seen, Flüsse)", "water area (lakes, rivers)"),
        L("settlement_ha", "Siedlung", "Settlement", "Siedlungsfläche", "settlement area"),
        L("traffic_ha", "Verkehr", "Traffic", "Verkehrsfläche", "traffic area"),
        L("pv_installed_mw", "PV installiert", "PV installed", "installierte PV-Leistung (MaStR)",
          "installed PV capacity (MaStR)"),
        L("wind_installed_mw", "Wind installiert", "Wind installed", "installierte Windleistung (MaStR)",
          "installed wind capacity (MaStR)"),
        L("biomass_installed_mw", "Biomasse installiert", "Biomass installed",
          "installierte Biomasseleistung (MaStR)", "installed biomass capacity (MaStR)"),
        L("hydro_installed_mw", "Wasserkraft installiert", "Hydropower installed",
          "installierte Wasserkraftleistung", "installed hydropower capacity"),
    ),
    # the boundaries and the statistics' figures; the building counts and land-cover areas are counted
    # from the buildings and land-cover layers
    inputs=("municipalities", "statistics"),
    column_inputs=(("buildings", ("buildings",)), ("residential_buildings", ("buildings",)),
                   *((c, ("landcover",)) for c in ("arable_ha", "grassland_ha", "forest_ha", "water_ha",
                                                    "settlement_ha", "traffic_ha"))),
)

RUN_INPUTS = ResultSchema(
    name="run_inputs",
    title_de="Eingangsdaten des Laufs",
    title_en="Inputs of the run",
    key=("layer_id",),
    description="Every input layer a run read: file hash, provenance, licence, attribution.",
    columns=(
        ("layer_id", "text"),
        ("title", "text"),
        ("kind", "text"),
        ("provenance", "text"),
        ("source", "text"),
        ("sha256", "text"),
        ("licence", "text"),
        ("attribution", "text"),
    ),
    inputs=(),
    labels=(
        L("layer_id", "Ebene (Kennung)", "Layer (id)", "Kennung der Eingangsebene im Katalog",
          "id of the input layer in the catalog"),
        L("title", "Bezeichnung", "Title", "Name der Eingangsebene", "name of the input layer"),
        L("kind", "Art", "Kind", "Vektor, Raster oder Tabelle", "vector, raster or table"),
        L("provenance", "Herkunft", "Provenance", "real oder synthetisch (Platzhalter)",
          "real or synthetic (stand-in)"),
        L("source", "Datei", "File", "Dateiname der Eingabe", "file name of the input"),
        L("sha256", "Prüfsumme (SHA-256)", "Checksum (SHA-256)", "Prüfsumme der gelesenen Datei",
          "checksum of the file read"),
        L("licence", "Lizenz", "Licence", "Lizenz der Daten", "licence of the data"),
        L("attribution", "Namensnennung", "Attribution", "geforderte Quellenangabe", "attribution required"),
    ),
)

SCHEMAS = (MUNICIPALITIES, RUN_INPUTS)
