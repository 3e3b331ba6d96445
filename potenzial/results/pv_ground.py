"""Results of the open-field PV step: areas, per-municipality figures, figures by category, rules.

Geometry EPSG:25833. PostGIS tables: migration 0005_pv_ground.py.
"""

from potenzial.results import ResultSchema, ValueClass
from potenzial.results.vocabulary import ColumnLabel as L
from potenzial.results.wind import RULE_KINDS

#: the legal categories of the default rule sets (layers/rules/pv_*.toml ``[category] name``) and the union row
CATEGORIES = (
    ValueClass("eeg_2023_corridor", "EEG 2023: 500 m längs Autobahnen und Schienenwegen",
               "EEG 2023: 500 m along motorways and railways"),
    ValueClass("eeg_2021_corridor", "EEG 2021: 200 m längs Autobahnen und Schienenwegen (15 m frei)",
               "EEG 2021: 200 m along motorways and railways (15 m kept free)"),
    ValueClass("baugb_privileged", "BauGB § 35 (1) Nr. 8 b: privilegiert 200 m",
               "BauGB § 35 (1) no. 8 b: privileged within 200 m"),
    ValueClass("pvfvo_less_favoured", "PVFVO Sachsen: Acker/Grünland in benachteiligten Gebieten",
               "Saxony PVFVO: arable land and grassland in less-favoured areas"),
    ValueClass("post_mining", "Konversion: Bergbaufolgeflächen (Kippen)", "Conversion land: post-mining dumps"),
    ValueClass("total", "alle Kategorien (jeder Hektar einmal)", "all categories (every hectare once)"),
)
#: the catalog inputs of the open-field PV results: the rule sets' layers, irradiation, installed plants
PV_GROUND_INPUTS = ("municipalities", "ghi", "buildings", "builtup_areas", "development_plans", "landcover", "roads",
                    "railways", "protected_areas", "post_mining", "less_favoured_areas", "flood_areas",
                    "protected_biotopes", "soil_quality", "water_protection_zones", "plants_pv_open_field_2015")

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
    classes=(("categories", CATEGORIES[:-1]),),
    labels=(
        L("area_id", "Fläche Nr.", "Area no.", "Nummer der Potenzialfläche", "number of the eligible area"),
        L("site_id", "Standort Nr.", "Site no.", "verbindet die Teile eines zusammenhängenden Standorts",
          "joins the pieces of one coherent site"),
        L("categories", "Kategorien", "Categories", "rechtliche Kategorien, zu denen die Fläche gehört",
          "legal categories the land belongs to"),
        L("category_mask", "Kategorien (Bitmaske)", "Categories (bitmask)",
          "die Kategorien als Bits (nur in den Daten)",
          "the categories as bits (data only)"),
        L("area_ha", "Fläche", "Area", "Größe der Potenzialfläche", "size of the eligible area"),
        L("capacity_mwp", "Leistung", "Capacity", "Fläche × Leistungsdichte", "area × power density"),
        L("wind_overlap_ha", "Auch für Wind geeignet", "Also eligible for wind",
          "Teil der Fläche, der auch Windpotenzialfläche ist", "part of the area that is also eligible for wind"),
        L("specific_yield_kwh_per_kwp", "Spezifischer Ertrag", "Specific yield", "Jahresertrag je kWp (fest, Süd)",
          "annual yield per kWp (fixed, south)"),
        L("yield_mwh_per_a", "Ertrag", "Yield", "Stromertrag im Jahr", "electricity per year"),
    ),
    inputs=PV_GROUND_INPUTS,
)

PV_GROUND_MUNICIPALITIES = ResultSchema(
    name="pv_ground_municipalities",
    title_de="Freiflächen-PV je Gemeinde",
    title_en="Ground-mounted PV per municipality",
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
    labels=(
        L("pv_ground_area_ha", "Freiflächen-PV: Fläche", "Ground-mounted PV: area",
          "Potenzialfläche, jeder Hektar einmal", "eligible area, every hectare once"),
        L("pv_ground_capacity_mwp", "Freiflächen-PV: Leistung", "Ground-mounted PV: capacity",
          "mögliche Leistung", "possible capacity"),
        L("pv_ground_yield_gwh_per_a", "Freiflächen-PV: Ertrag", "Ground-mounted PV: yield",
          "Stromertrag im Jahr", "electricity per year"),
        L("pv_ground_specific_yield_kwh_per_kwp", "Freiflächen-PV: spezifischer Ertrag",
          "Ground-mounted PV: specific yield", "Jahresertrag je kWp", "annual yield per kWp"),
        L("pv_ground_wind_overlap_ha", "Freiflächen-PV: auch für Wind geeignet",
          "Ground-mounted PV: also eligible for wind",
          "Fläche, die auch Windpotenzialfläche ist", "area that is also eligible for wind"),
        L("pv_ground_area_wind_first_ha", "Freiflächen-PV: Fläche bei Vorrang Wind",
          "Ground-mounted PV: area if wind first", "Fläche ohne die Windflächen", "area without the wind land"),
        L("pv_ground_capacity_wind_first_mwp", "Freiflächen-PV: Leistung bei Vorrang Wind",
          "Ground-mounted PV: capacity if wind first", "Leistung ohne die Windflächen",
          "capacity without the wind land"),
        L("pv_ground_yield_wind_first_gwh_per_a", "Freiflächen-PV: Ertrag bei Vorrang Wind",
          "Ground-mounted PV: yield if wind first", "Ertrag ohne die Windflächen", "yield without the wind land"),
        L("pv_ground_installed_2015_plants", "Freiflächen-PV: Anlagen 2015", "Ground-mounted PV: plants 2015",
          "bestehende Freiflächenanlagen (UFZ 2015)", "existing solar parks (UFZ 2015)"),
        L("pv_ground_installed_2015_mwp", "Freiflächen-PV: installiert 2015", "Ground-mounted PV: installed 2015",
          "Leistung der Anlagen 2015", "capacity of the 2015 plants"),
        L("pv_ground_installed_2015_ha", "Freiflächen-PV: belegte Fläche 2015", "Ground-mounted PV: land used 2015",
          "Fläche der Anlagen 2015", "area of the 2015 plants"),
    ),
    inputs=PV_GROUND_INPUTS,
)

PV_GROUND_CATEGORIES = ResultSchema(
    name="pv_ground_categories",
    title_de="Freiflächen-PV je Kategorie",
    title_en="Ground-mounted PV per category",
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
    classes=(("category", CATEGORIES),),
    labels=(
        L("category_title", "Kategorie (Bezeichnung)", "Category (title)", "Bezeichnung der Kategorie im Regelwerk",
          "name of the category in its rule set"),
        L("area_ha", "Fläche", "Area", "Potenzialfläche der Kategorie", "eligible area of the category"),
        L("capacity_mwp", "Leistung", "Capacity", "Fläche × Leistungsdichte", "area × power density"),
        L("wind_overlap_ha", "Auch für Wind geeignet", "Also eligible for wind",
          "Teil der Fläche, der auch Windpotenzialfläche ist", "part of the area that is also eligible for wind"),
        L("yield_gwh_per_a", "Ertrag", "Yield", "Stromertrag im Jahr", "electricity per year"),
        L("area_wind_first_ha", "Fläche bei Vorrang Wind", "Area if wind first", "Fläche ohne die Windflächen",
          "area without the wind land"),
        L("capacity_wind_first_mwp", "Leistung bei Vorrang Wind", "Capacity if wind first",
          "Leistung ohne die Windflächen", "capacity without the wind land"),
        L("yield_wind_first_gwh_per_a", "Ertrag bei Vorrang Wind", "Yield if wind first",
          "Ertrag ohne die Windflächen", "yield without the wind land"),
    ),
    inputs=PV_GROUND_INPUTS,
)

PV_GROUND_RULES = ResultSchema(
    name="pv_ground_rules",
    title_de="Freiflächen-PV: Regeln des Laufs",
    title_en="Ground-mounted PV: rules of the run",
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
    classes=(("kind", RULE_KINDS),),
    labels=(
        L("role", "Rolle", "Role", "Ausschluss oder Fläche der Kategorie", "exclusion or land of the category"),
        L("title", "Regel", "Rule", "Bezeichnung der Regel", "name of the rule"),
        L("width_column", "Breitenspalte", "Width column", "Spalte mit der Breite von Fahrbahn bzw. Gleiskörper",
          "column with the width of carriageway or track bed"),
        L("source", "Rechtsgrundlage", "Legal source", "Gesetz oder Quelle der Regel", "law or source of the rule"),
    ),
    inputs=PV_GROUND_INPUTS,
)

PV_GROUND_TECHNICAL = ResultSchema(
    name="pv_ground_technical",
    title_de="Freiflächen-PV: technisches Potenzial",
    title_en="Ground-mounted PV: technical potential",
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
    labels=(
        L("pv_ground_technical_area_ha", "Freiflächen-PV: technische Fläche", "Ground-mounted PV: technical area",
          "Fläche nur nach harten Ausschlüssen", "area after hard exclusions only"),
        L("pv_ground_technical_capacity_mwp", "Freiflächen-PV: Leistung, technisch",
          "Ground-mounted PV: capacity, technical", "Leistung auf der technischen Fläche",
          "capacity on the technical area"),
        L("pv_ground_technical_yield_gwh_per_a", "Freiflächen-PV: Ertrag, technisch",
          "Ground-mounted PV: yield, technical", "Stromertrag auf der technischen Fläche",
          "electricity on the technical area"),
    ),
    inputs=PV_GROUND_INPUTS,
)

PV_GROUND_EXCLUSIONS = ResultSchema(
    name="pv_ground_exclusions",
    title_de="Freiflächen-PV: Ausschlussflächen",
    title_en="Ground-mounted PV: excluded land",
    geometry_type="MULTIPOLYGON",
    key=("ags", "rule_mask"),
    description="Land inside the region that the exclusions of every category exclude (the rule set "
                "pv_exclusions): one feature per municipality and combination of rules; `reason` lists every "
                "rule that hits these cells (comma-separated rule ids), `rule_mask` the same as bits (bit i = "
                "i-th rule of the rule set), `hard` whether a hard rule is among them.",
    columns=(
        ("ags", "text"),
        ("rule_mask", "int"),
        ("reason", "text"),
        ("hard", "bool"),
        ("area_ha", "float"),
    ),
    units=(("rule_mask", "bitmask: bit i = i-th rule of the exclusion rule set"), ("area_ha", "ha")),
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
    inputs=PV_GROUND_INPUTS,
)

SCHEMAS = (PV_GROUND_AREAS, PV_GROUND_MUNICIPALITIES, PV_GROUND_CATEGORIES, PV_GROUND_RULES, PV_GROUND_TECHNICAL,
           PV_GROUND_EXCLUSIONS)
