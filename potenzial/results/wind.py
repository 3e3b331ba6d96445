"""Results of the wind step: areas, turbines, exclusions, per-municipality figures, setback bands, rules.

Geometry EPSG:25833. PostGIS tables: migration 0003_wind.py.
"""

from potenzial.results import ResultSchema

WIND_AREAS = ResultSchema(
    name="wind_areas",
    title_de="Wind: Potenzialflächen",
    title_en="Wind: potential areas",
    geometry_type="MULTIPOLYGON",
    key=("area_id",),
    description="Eligible wind areas after all exclusions and area filters, cut by municipality "
                "(an area crossing a border is one feature per municipality; park_id joins them).",
    columns=(
        ("area_id", "int"),
        ("ags", "text"),
        ("park_id", "int"),
        ("area_ha", "float"),
        ("turbines", "int"),
    ),
    units=(("area_id", "id"), ("park_id", "id"), ("area_ha", "ha"), ("turbines", "count")),
)

WIND_TURBINES = ResultSchema(
    name="wind_turbines",
    title_de="Wind: mögliche Anlagen",
    title_en="Wind: possible turbines",
    geometry_type="POINT",
    key=("turbine_id",),
    description="Reference turbines placed in the eligible areas (mast-foot centre), with yield.",
    columns=(
        ("turbine_id", "int"),
        ("ags", "text"),
        ("area_id", "int"),
        ("turbine_type", "text"),
        ("hub_height_m", "float"),
        ("rotor_diameter_m", "float"),
        ("capacity_mw", "float"),
        ("wind_speed_hub_m_per_s", "float"),
        ("yield_mwh_per_a", "float"),
        ("full_load_hours", "float"),
    ),
    units=(("turbine_id", "id"), ("area_id", "id"), ("hub_height_m", "m"), ("rotor_diameter_m", "m"),
           ("capacity_mw", "MW"), ("wind_speed_hub_m_per_s", "m/s"), ("yield_mwh_per_a", "MWh/a"),
           ("full_load_hours", "h/a")),
)

WIND_EXCLUSIONS = ResultSchema(
    name="wind_exclusions",
    title_de="Wind: Ausschlussflächen",
    title_en="Wind: excluded land",
    geometry_type="MULTIPOLYGON",
    key=("ags", "rule_mask"),
    description="Excluded land inside the region: one feature per municipality and combination of rules; "
                "`reason` lists every rule that hits these cells (comma-separated rule ids), `rule_mask` the same "
                "as bits (see wind_rules).",
    columns=(
        ("ags", "text"),
        ("rule_mask", "int"),
        ("reason", "text"),
        ("hard", "bool"),
        ("area_ha", "float"),
    ),
    units=(("rule_mask", "bitmask of wind_rules.bit"), ("area_ha", "ha")),
)

WIND_MUNICIPALITIES = ResultSchema(
    name="wind_municipalities",
    key=("ags",),
    per_municipality=True,
    description="Wind potential per municipality: eligible area and share, gap to the area targets due in 2027 "
                "and 2032 (the largest share the rule set's targets ask for that year, WindBG Anlage 1 and "
                "§ 4a SächsLPlG; positive: hectares missing; negative: surplus; each target: wind_targets), "
                "turbines, capacity, yield, installed wind.",
    columns=(
        ("ags", "text"),
        ("wind_area_ha", "float"),
        ("wind_area_share_pct", "float"),
        ("wind_area_gap_2027_ha", "float"),
        ("wind_area_gap_2032_ha", "float"),
        ("wind_turbines", "int"),
        ("wind_capacity_mw", "float"),
        ("wind_yield_gwh_per_a", "float"),
        ("wind_full_load_hours", "float"),
        ("wind_installed_2024_mw", "float"),
    ),
    units=(("wind_area_ha", "ha"), ("wind_area_share_pct", "%"), ("wind_area_gap_2027_ha", "ha"),
           ("wind_area_gap_2032_ha", "ha"), ("wind_turbines", "count"), ("wind_capacity_mw", "MW"),
           ("wind_yield_gwh_per_a", "GWh/a"), ("wind_full_load_hours", "h/a"), ("wind_installed_2024_mw", "MW")),
)

WIND_SETBACK_BANDS = ResultSchema(
    name="wind_setback_bands",
    key=("ags", "setback_m"),
    description="Eligible area per municipality if the residential setback (SächsBO §84 classes 1–3) were "
                "setback_m, all other exclusions unchanged (before the area filters): the what-if table. "
                "Exact at the run's own setback; at other setbacks each cell's distance is known to within "
                "resolution/√2 (about 7 m at 10 m cells), so the areas are within about 1 %.",
    columns=(
        ("ags", "text"),
        ("setback_m", "float"),
        ("eligible_ha", "float"),
        ("eligible_share_pct", "float"),
    ),
    units=(("setback_m", "m"), ("eligible_ha", "ha"), ("eligible_share_pct", "%")),
)

WIND_RULES = ResultSchema(
    name="wind_rules",
    key=("rule_id",),
    description="The exclusion rules of the run: bit in rule_mask (-1 when switched off), layer, attribute filter, "
                "buffer, hard/soft, legal source, rule set and its date.",
    columns=(
        ("rule_id", "text"),
        ("bit", "int"),
        ("title", "text"),
        ("layer", "text"),
        ("attribute_filter", "text"),
        ("buffer_m", "float"),
        ("effective_buffer_m", "float"),
        ("kind", "text"),
        ("effect", "text"),
        ("switchable", "bool"),
        ("enabled", "bool"),
        ("features", "int"),
        ("source", "text"),
        ("rule_set", "text"),
        ("valid_from", "text"),
    ),
    units=(("bit", "bit number"), ("buffer_m", "m"), ("effective_buffer_m", "m"), ("features", "count")),
)

WIND_TECHNICAL = ResultSchema(
    name="wind_technical",
    key=("ags",),
    description="The technical stage of wind per municipality: cells that no hard exclusion rule hits (soft "
                "rules not applied; the same rule bitmask as the run), without pieces below min_area_ha; the "
                "run's turbines stay and more are placed on the land only soft rules exclude. Feeds "
                "cascade_municipalities.",
    columns=(
        ("ags", "text"),
        ("wind_technical_area_ha", "float"),
        ("wind_technical_turbines", "int"),
        ("wind_technical_capacity_mw", "float"),
        ("wind_technical_yield_gwh_per_a", "float"),
    ),
    units=(("wind_technical_area_ha", "ha"), ("wind_technical_turbines", "count"),
           ("wind_technical_capacity_mw", "MW"), ("wind_technical_yield_gwh_per_a", "GWh/a")),
)

WIND_TARGETS = ResultSchema(
    name="wind_targets",
    title_de="Wind: Flächenziele je Gemeinde",
    title_en="Wind: area targets per municipality",
    key=("ags", "target_id"),
    description="Each area target of the wind rule set (share of the area to be designated for wind by a "
                "deadline, with the law that sets it) beside the municipality's eligible share. The targets "
                "apply to the state (WindBG) or the planning region (§ 4a SächsLPlG); per municipality they are "
                "a yardstick, not an obligation. gap_ha positive: hectares missing; negative: surplus. in_force false: "
                "a replaced target, kept for comparison.",
    columns=(
        ("ags", "text"),
        ("target_id", "text"),
        ("title", "text"),
        ("scope", "text"),
        ("target_share_pct", "float"),
        ("deadline", "text"),
        ("enacted", "text"),
        ("wind_area_share_pct", "float"),
        ("target_area_ha", "float"),
        ("gap_ha", "float"),
        ("met", "bool"),
        ("in_force", "bool"),
        ("source", "text"),
    ),
    units=(("target_share_pct", "%"), ("deadline", "date"), ("enacted", "date"), ("wind_area_share_pct", "%"),
           ("target_area_ha", "ha"), ("gap_ha", "ha")),
)

SCHEMAS = (WIND_AREAS, WIND_TURBINES, WIND_EXCLUSIONS, WIND_MUNICIPALITIES, WIND_SETBACK_BANDS, WIND_RULES,
           WIND_TECHNICAL, WIND_TARGETS)
