"""Results of the wind step: areas, turbines, exclusions, per-municipality figures, setback bands, rules.

Geometry EPSG:25833. PostGIS tables: migration 0003_wind.py.
"""

from potenzial.results import ResultSchema, ValueClass
from potenzial.results.vocabulary import ColumnLabel as L

#: hard or soft exclusion (layers/rules/*.toml ``kind``)
RULE_KINDS = (
    ValueClass("hard", "harter Ausschluss", "hard exclusion", "rechtlich oder tatsächlich ausgeschlossen"),
    ValueClass("soft", "weiches Kriterium", "soft criterion", "planerisch abwägbar, abschaltbar"),
)
#: what a rule does with the land it hits
RULE_EFFECTS = (
    ValueClass("exclude", "schließt aus", "excludes"),
    ValueClass("include", "schließt ein", "includes"),
)
#: the catalog inputs of the wind results: the rule set's layers, the wind speed and the statistics
WIND_INPUTS = ("municipalities", "statistics", "wind_speed_150m", "buildings", "builtup_areas", "development_plans",
               "residential_plots", "landcover", "roads", "railways", "power_lines", "protected_areas",
               "post_mining", "aviation_areas", "navigation_aids", "water_protection_zones", "heritage_sites",
               "bird_breeding_sites", "regional_plan_areas", "wind_energy_areas")
_TARGET_INPUTS = ("municipalities", *WIND_INPUTS[2:])

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
    labels=(
        L("area_id", "Fläche Nr.", "Area no.", "Nummer der Potenzialfläche", "number of the eligible area"),
        L("park_id", "Windpark Nr.", "Park no.", "verbindet die Teile einer Fläche über Gemeindegrenzen",
          "joins the parts of an area across municipal borders"),
        L("area_ha", "Fläche", "Area", "Größe der Potenzialfläche in der Gemeinde",
          "size of the eligible area in the municipality"),
        L("turbines", "Anlagen", "Turbines", "Referenzanlagen auf der Fläche", "reference turbines on the area"),
    ),
    inputs=WIND_INPUTS,
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
    labels=(
        L("turbine_id", "Anlage Nr.", "Turbine no.", "Nummer der möglichen Anlage", "number of the possible turbine"),
        L("area_id", "Fläche Nr.", "Area no.", "Potenzialfläche der Anlage", "eligible area of the turbine"),
        L("turbine_type", "Anlagentyp", "Turbine type", "Referenzanlage (Leistungskennlinie)",
          "reference turbine (power curve)"),
        L("hub_height_m", "Nabenhöhe", "Hub height", "Höhe der Nabe über Grund", "height of the hub above ground"),
        L("rotor_diameter_m", "Rotordurchmesser", "Rotor diameter", "Durchmesser des Rotors", "diameter of the rotor"),
        L("capacity_mw", "Leistung", "Capacity", "Nennleistung der Anlage", "rated power of the turbine"),
        L("wind_speed_hub_m_per_s", "Windgeschwindigkeit in Nabenhöhe", "Wind speed at hub height",
          "mittlere Windgeschwindigkeit in Nabenhöhe", "mean wind speed at hub height"),
        L("yield_mwh_per_a", "Ertrag", "Yield", "Stromertrag im Jahr nach Verlusten",
          "electricity per year after losses"),
        L("full_load_hours", "Volllaststunden", "Full-load hours", "Jahresertrag geteilt durch Nennleistung",
          "annual yield divided by rated power"),
    ),
    inputs=WIND_INPUTS,
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
    classes=(("hard", (ValueClass("True", "harter Ausschluss", "hard exclusion"),
                       ValueClass("False", "weiches Kriterium", "soft criterion"))),),
    labels=(
        L("rule_mask", "Regeln (Bitmaske)", "Rules (bitmask)", "die treffenden Regeln als Bits (nur in den Daten)",
          "the rules that hit, as bits (data only)"),
        L("reason", "Ausschlussgründe", "Exclusion reasons", "die Regeln, die diese Fläche ausschließen",
          "the rules that exclude this land"),
        L("hard", "Harter Ausschluss", "Hard exclusion", "mindestens eine harte Regel trifft",
          "at least one hard rule hits"),
        L("area_ha", "Fläche", "Area", "ausgeschlossene Fläche", "excluded area"),
    ),
    inputs=WIND_INPUTS,
)

WIND_MUNICIPALITIES = ResultSchema(
    name="wind_municipalities",
    title_de="Wind je Gemeinde",
    title_en="Wind per municipality",
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
    labels=(
        L("wind_area_ha", "Wind: Potenzialfläche", "Wind: eligible area", "Fläche nach allen Ausschlüssen",
          "area after every exclusion"),
        L("wind_area_share_pct", "Wind: Flächenanteil", "Wind: area share", "Potenzialfläche je Gemeindefläche",
          "eligible area per municipal area"),
        L("wind_area_gap_2027_ha", "Wind: Lücke zum Flächenziel 2027", "Wind: gap to the 2027 area target",
          "fehlende Hektar (negativ: Überschuss)", "hectares missing (negative: surplus)"),
        L("wind_area_gap_2032_ha", "Wind: Lücke zum Flächenziel 2032", "Wind: gap to the 2032 area target",
          "fehlende Hektar (negativ: Überschuss)", "hectares missing (negative: surplus)"),
        L("wind_turbines", "Wind: mögliche Anlagen", "Wind: possible turbines", "Referenzanlagen auf den Flächen",
          "reference turbines on the areas"),
        L("wind_capacity_mw", "Wind: Leistung", "Wind: capacity", "Nennleistung der möglichen Anlagen",
          "rated power of the possible turbines"),
        L("wind_yield_gwh_per_a", "Wind: Ertrag", "Wind: yield", "Stromertrag der möglichen Anlagen",
          "electricity of the possible turbines"),
        L("wind_full_load_hours", "Wind: Volllaststunden", "Wind: full-load hours", "Ertrag je Nennleistung",
          "yield per rated power"),
        L("wind_installed_2024_mw", "Wind: installiert 2024", "Wind: installed 2024",
          "installierte Windleistung (MaStR 2024)", "installed wind capacity (MaStR 2024)"),
    ),
    inputs=WIND_INPUTS,
)

WIND_SETBACK_BANDS = ResultSchema(
    name="wind_setback_bands",
    title_de="Wind: Fläche je Abstand zu Wohngebäuden",
    title_en="Wind: area per setback from homes",
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
    labels=(
        L("setback_m", "Abstand zu Wohngebäuden", "Setback from homes", "angenommener Mindestabstand (§ 84 SächsBO)",
          "assumed minimum distance (§ 84 SächsBO)"),
        L("eligible_ha", "Potenzialfläche", "Eligible area", "Fläche bei diesem Abstand", "area at this setback"),
        L("eligible_share_pct", "Flächenanteil", "Area share", "Anteil an der Gemeindefläche",
          "share of the municipal area"),
    ),
    inputs=WIND_INPUTS,
)

WIND_RULES = ResultSchema(
    name="wind_rules",
    title_de="Wind: Regeln des Laufs",
    title_en="Wind: rules of the run",
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
    classes=(("kind", RULE_KINDS), ("effect", RULE_EFFECTS)),
    labels=(
        L("bit", "Bit", "Bit", "Stelle der Regel in der Bitmaske (−1: abgeschaltet)",
          "position of the rule in the bitmask (−1: switched off)"),
        L("title", "Regel", "Rule", "Bezeichnung der Regel", "name of the rule"),
        L("effective_buffer_m", "Wirksamer Abstand", "Effective buffer", "Abstand, wie er im Lauf wirkte",
          "buffer as applied in the run"),
        L("effect", "Wirkung", "Effect", "schließt Fläche aus oder ein", "excludes or includes land"),
        L("source", "Rechtsgrundlage", "Legal source", "Gesetz oder Quelle der Regel", "law or source of the rule"),
    ),
    inputs=WIND_INPUTS,
)

WIND_TECHNICAL = ResultSchema(
    name="wind_technical",
    title_de="Wind: technisches Potenzial",
    title_en="Wind: technical potential",
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
    labels=(
        L("wind_technical_area_ha", "Wind: technische Fläche", "Wind: technical area",
          "Fläche nur nach harten Ausschlüssen", "area after hard exclusions only"),
        L("wind_technical_turbines", "Wind: Anlagen, technisch", "Wind: turbines, technical",
          "Anlagen auf der technischen Fläche", "turbines on the technical area"),
        L("wind_technical_capacity_mw", "Wind: Leistung, technisch", "Wind: capacity, technical",
          "Nennleistung auf der technischen Fläche", "rated power on the technical area"),
        L("wind_technical_yield_gwh_per_a", "Wind: Ertrag, technisch", "Wind: yield, technical",
          "Stromertrag auf der technischen Fläche", "electricity on the technical area"),
    ),
    inputs=WIND_INPUTS,
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
    labels=(
        L("target_id", "Ziel (Kennung)", "Target (id)", "Kennung des Flächenziels", "id of the area target"),
        L("title", "Flächenziel", "Area target", "Bezeichnung des Ziels", "name of the target"),
        L("scope", "Geltungsbereich", "Scope", "Land oder Planungsregion", "state or planning region"),
        L("target_share_pct", "Zielanteil", "Target share", "geforderter Flächenanteil", "area share required"),
        L("deadline", "Frist", "Deadline", "bis wann das Ziel erreicht sein soll", "date the target is due"),
        L("enacted", "Beschlossen", "Enacted", "Datum des Gesetzes", "date of the law"),
        L("wind_area_share_pct", "Flächenanteil der Gemeinde", "Municipality's area share",
          "Potenzialfläche je Gemeindefläche", "eligible area per municipal area"),
        L("target_area_ha", "Zielfläche", "Target area", "Fläche, die der Zielanteil verlangt",
          "area the target share asks for"),
        L("gap_ha", "Lücke", "Gap", "fehlende Hektar (negativ: Überschuss)", "hectares missing (negative: surplus)"),
        L("met", "Erreicht", "Met", "die Potenzialfläche erreicht das Ziel", "the eligible area meets the target"),
        L("in_force", "In Kraft", "In force", "das Ziel gilt noch (sonst zum Vergleich)",
          "the target still applies (else for comparison)"),
        L("source", "Rechtsgrundlage", "Legal source", "Gesetz, das das Ziel setzt", "law that sets the target"),
    ),
    inputs=_TARGET_INPUTS,
)

SCHEMAS = (WIND_AREAS, WIND_TURBINES, WIND_EXCLUSIONS, WIND_MUNICIPALITIES, WIND_SETBACK_BANDS, WIND_RULES,
           WIND_TECHNICAL, WIND_TARGETS)
