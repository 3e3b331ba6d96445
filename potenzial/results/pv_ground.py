"""Results of the open-field PV step: areas, per-municipality figures, figures by category, rules.

Geometry EPSG:25833. PostGIS tables: migration 0005_pv_ground.py.
"""

from potenzial.results import ResultSchema

PV_GROUND_AREAS = ResultSchema(
    name="pv_ground_areas",
    title_de="Freiflächen-PV: Potenzialflächen",
    title_en="Ground-mounted PV: potential areas",
    geometry_type="MULTIPOLYGON",
    key=("area_id",),
    description="Land eligible for open-field PV after all exclusions and the minimum-area filter, one feature "
                "per site, municipality and combination of legal categories: `categories` lists every category "
                "the land belongs to (a hectare in two categories is one feature, counted once). Capacity = area × "
                "power density; yield of fixed-tilt south rows from the roofs' irradiation chain; wind_overlap_ha "
                "= part that is also wind-eligible (wind_areas). site_id joins the features of one coherent site "
                "(pieces within the merge distance).",
    columns=(
        ("area_id", "int"),
        ("ags", "text"),
        ("site_id", "int"),
        ("categories", "text"),
        ("category_mask", "int"),
        ("area_ha", "float"),
        ("capacity_mwp", "float"),
        ("specific_yield_kwh_per_kwp", "float"),
        ("yield_mwh_per_a", "float"),
        ("wind_overlap_ha", "float"),
    ),
    units=(("area_id", "id"), ("site_id", "id"), ("category_mask", "bitmask: bit i = i-th of [pv_ground] categories"),
           ("area_ha", "ha"), ("capacity_mwp", "MWp"), ("specific_yield_kwh_per_kwp", "kWh/kWp·a"),
           ("yield_mwh_per_a", "MWh/a"), ("wind_overlap_ha", "ha")),
)

PV_GROUND_MUNICIPALITIES = ResultSchema(
    name="pv_ground_municipalities",
    key=("ags",),
    per_municipality=True,
    description="Open-field PV per municipality, every hectare counted once (union of the categories): area, "
                "capacity, yield; the part also eligible for wind and the figures 'if wind first' (PV alone minus "
                "that overlap, so that PV and wind add up without double counting); installed open-field PV of "
                "2015 (UFZ, where known). By category: pv_ground_categories.",
    columns=(
        ("ags", "text"),
        ("pv_ground_area_ha", "float"),
        ("pv_ground_capacity_mwp", "float"),
        ("pv_ground_yield_gwh_per_a", "float"),
        ("pv_ground_specific_yield_kwh_per_kwp", "float"),
        ("pv_ground_wind_overlap_ha", "float"),
        ("pv_ground_area_wind_first_ha", "float"),
        ("pv_ground_capacity_wind_first_mwp", "float"),
        ("pv_ground_yield_wind_first_gwh_per_a", "float"),
        ("pv_ground_installed_2015_plants", "int"),
        ("pv_ground_installed_2015_mwp", "float"),
        ("pv_ground_installed_2015_ha", "float"),
    ),
    units=(("pv_ground_area_ha", "ha"), ("pv_ground_capacity_mwp", "MWp"), ("pv_ground_yield_gwh_per_a", "GWh/a"),
           ("pv_ground_specific_yield_kwh_per_kwp", "kWh/kWp·a"), ("pv_ground_wind_overlap_ha", "ha"),
           ("pv_ground_area_wind_first_ha", "ha"), ("pv_ground_capacity_wind_first_mwp", "MWp"),
           ("pv_ground_yield_wind_first_gwh_per_a", "GWh/a"), ("pv_ground_installed_2015_plants", "count"),
           ("pv_ground_installed_2015_mwp", "MWp"), ("pv_ground_installed_2015_ha", "ha")),
)

PV_GROUND_CATEGORIES = ResultSchema(
    name="pv_ground_categories",
    key=("ags", "category"),
    description="Open-field PV per municipality and legal category. A hectare in several categories counts in "
                "each of them, so the category rows of a municipality may add up to more than its `total` row "
                "(the union, every hectare once, = pv_ground_municipalities).",
    columns=(
        ("ags", "text"),
        ("category", "text"),
        ("category_title", "text"),
        ("area_ha", "float"),
        ("capacity_mwp", "float"),
        ("yield_gwh_per_a", "float"),
        ("wind_overlap_ha", "float"),
        ("area_wind_first_ha", "float"),
        ("capacity_wind_first_mwp", "float"),
        ("yield_wind_first_gwh_per_a", "float"),
    ),
    units=(("area_ha", "ha"), ("capacity_mwp", "MWp"), ("yield_gwh_per_a", "GWh/a"), ("wind_overlap_ha", "ha"),
           ("area_wind_first_ha", "ha"), ("capacity_wind_first_mwp", "MWp"), ("yield_wind_first_gwh_per_a", "GWh/a")),
)

PV_GROUND_RULES = ResultSchema(
    name="pv_ground_rules",
    key=("rule_set", "rule_id"),
    description="The rules of the run: dated rule set, category (empty: exclusions of all categories), role, layer, "
                "attribute filter, buffer (from the carriageway / track-bed edge when width_column is set), "
                "hard/soft, switch state, features used (0 when switched off) and the legal source.",
    columns=(
        ("rule_set", "text"),
        ("rule_id", "text"),
        ("category", "text"),
        ("role", "text"),
        ("valid_from", "text"),
        ("title", "text"),
        ("layer", "text"),
        ("attribute_filter", "text"),
        ("buffer_m", "float"),
        ("width_column", "text"),
        ("kind", "text"),
        ("switchable", "bool"),
        ("enabled", "bool"),
        ("features", "int"),
        ("source", "text"),
    ),
    units=(("buffer_m", "m"), ("features", "count")),
)

PV_GROUND_TECHNICAL = ResultSchema(
    name="pv_ground_technical",
    key=("ags",),
    description="The technical stage of open-field PV per municipality: land of any category that no hard "
                "exclusion rule hits (soft and switchable rules not applied; the same rule bitmask as the run), "
                "after the same small-piece filter; capacity = area × power density, yield from the same "
                "irradiation chain. Feeds cascade_municipalities.",
    columns=(
        ("ags", "text"),
        ("pv_ground_technical_area_ha", "float"),
        ("pv_ground_technical_capacity_mwp", "float"),
        ("pv_ground_technical_yield_gwh_per_a", "float"),
    ),
    units=(("pv_ground_technical_area_ha", "ha"), ("pv_ground_technical_capacity_mwp", "MWp"),
           ("pv_ground_technical_yield_gwh_per_a", "GWh/a")),
)

SCHEMAS = (PV_GROUND_AREAS, PV_GROUND_MUNICIPALITIES, PV_GROUND_CATEGORIES, PV_GROUND_RULES, PV_GROUND_TECHNICAL)
