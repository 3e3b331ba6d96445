"""Results of the base step: municipalities with base figures, and the run's inputs."""

from potenzial.results import ResultSchema

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
)

RUN_INPUTS = ResultSchema(
    name="run_inputs",
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
)

SCHEMAS = (MUNICIPALITIES, RUN_INPUTS)
