"""The map's classes and colours, declared once for the web map and the QGIS styles.

Each served result layer gets one :class:`LayerStyle`, keyed by the class codes of its result
schema (``ResultSchema.classes``) where the schema declares them:

- ``categorised``: a feature's class is the value of ``field`` (roof suitability, feedstock);
- ``first_match``: ``field`` holds a comma-separated list (the rule ids of an exclusion, the legal
  categories of a PV area); the class is the first declared class one of whose ``members`` is in
  the list, so the order of the classes is their precedence;
- ``graduated``: numbers of ``field`` in classes ``[low, high)`` (turbines by full-load hours).

``flag_field`` (wind exclusions: ``hard``) splits each class into a solid (true) and a light,
dashed or hatched (false) variant. Categories are coloured with the Okabe–Ito palette (safe with
every common colour-vision deficiency, Okabe & Ito 2008, https://jfly.uni-koeln.de/color/),
numbers with viridis samples (perceptually uniform and readable in grey and with deuteranopia,
van der Walt & Smith 2015). Nothing here reads data: the map page and the GeoPackage styles
(:mod:`potenzial.serving.styles`) both read these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from potenzial.results import ResultSchema

#: Okabe & Ito (2008), "Color Universal Design": eight colours told apart with every common CVD
OKABE_ITO = {
    "orange": "#e69f00", "sky_blue": "#56b4e9", "bluish_green": "#009e73", "yellow": "#f0e442",
    "blue": "#0072b2", "vermillion": "#d55e00", "reddish_purple": "#cc79a7", "black": "#000000",
}
#: five viridis samples (matplotlib's viridis at 0, 0.25, 0.5, 0.75, 1)
VIRIDIS_5 = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
#: the colour of a feature no class takes
OTHER_COLOUR = "#999999"

StyleKind = Literal["categorised", "first_match", "graduated"]


@dataclass(frozen=True)
class StyleClass:
    """One class of a layer's style: its code, what a person reads, its colour and what it takes."""

    code: str
    title_de: str
    title_en: str
    colour: str  #: #rrggbb
    members: tuple[str, ...] = ()  #: first_match: list items that put a feature in this class
    low: float | None = None  #: graduated: lower limit (inclusive) in the field's unit
    high: float | None = None  #: graduated: upper limit (exclusive); None = no upper limit

    @property
    def titles(self) -> dict[str, str]:
        return {"de": self.title_de, "en": self.title_en}


@dataclass(frozen=True)
class FlagTitles:
    """What the two variants of a flagged style mean (``True`` solid, ``False`` light)."""

    true_de: str
    true_en: str
    false_de: str
    false_en: str


@dataclass(frozen=True)
class LayerStyle:
    """How one result layer is drawn: a classification of ``field`` and a colour per class."""

    layer: str
    kind: StyleKind
    field: str
    classes: tuple[StyleClass, ...]
    other_de: str = "sonstige"
    other_en: str = "other"
    flag_field: str | None = None
    flag_titles: FlagTitles | None = None
    unit: str = ""  #: graduated: the unit of the limits

    def class_of(self, value: object) -> StyleClass | None:
        """The class of a feature whose ``field`` is ``value`` (None: the 'other' class)."""
        if value is None:
            return None
        if self.kind == "categorised":
            return next((c for c in self.classes if c.code == str(value)), None)
        if self.kind == "first_match":
            items = {v.strip() for v in str(value).split(",")}
            return next((c for c in self.classes if items.intersection(c.members)), None)
        number = float(value)  # type: ignore[arg-type]
        return next((c for c in self.classes if (c.low is None or number >= c.low)
                     and (c.high is None or number < c.high)), None)

    def describe(self) -> dict[str, object]:
        """The style as the map page reads it (``/api/layers`` ``style``)."""
        return {
            "kind": self.kind, "field": self.field, "unit": self.unit,
            "classes": [{"code": c.code, "titles": c.titles, "colour": c.colour, "members": list(c.members),
                         "low": c.low, "high": c.high} for c in self.classes],
            "other": {"titles": {"de": self.other_de, "en": self.other_en}, "colour": OTHER_COLOUR},
            "flag_field": self.flag_field,
            "flag_titles": None if self.flag_titles is None else {
                "true": {"de": self.flag_titles.true_de, "en": self.flag_titles.true_en},
                "false": {"de": self.flag_titles.false_de, "en": self.flag_titles.false_en}},
        }


def _from_schema(layer: str, schema: ResultSchema, column: str, colours: Mapping[str, str]) -> LayerStyle:
    """A categorised style of a class column whose codes and titles the schema declares."""
    declared = schema.classes_of(column)
    if {c.code for c in declared} != set(colours):
        raise RuntimeError(f"the colours of {layer}.{column} ({sorted(colours)}) do not match the schema's "
                           f"classes ({sorted(c.code for c in declared)}); declare both in one change.")
    return LayerStyle(layer, "categorised", column,
                      tuple(StyleClass(c.code, c.title_de, c.title_en, colours[c.code]) for c in declared))


# ------------------------------------------------------------------ the declarations

#: roof suitability, best first: warm to pale (ordered lightness, Okabe–Ito), unsuitable grey
SUITABILITY_COLOURS = {"very_good": OKABE_ITO["vermillion"], "good": OKABE_ITO["orange"],
                       "suitable": OKABE_ITO["yellow"], "unsuitable": "#bbbbbb"}
#: biomass feedstocks: wood in greens and blues, farmland in yellow/orange, waste in red/purple
FEEDSTOCK_COLOURS = {
    "forest_wood": OKABE_ITO["bluish_green"], "landscape_wood": OKABE_ITO["blue"],
    "straw": OKABE_ITO["yellow"], "energy_crops": OKABE_ITO["orange"], "grassland": OKABE_ITO["sky_blue"],
    "manure": OKABE_ITO["reddish_purple"], "biowaste": OKABE_ITO["vermillion"], "green_waste": OKABE_ITO["black"],
}

#: heat density classes (district-heating suitability, KEA-BW 2020), low to high: viridis, light to dark
#: (a sequential scale that stays ordered in grey and for colour-blind readers)
DH_CLASS_COLOURS = {"no_potential": VIRIDIS_5[4], "new_development": VIRIDIS_5[3], "low_temperature": VIRIDIS_5[2],
                    "conventional": VIRIDIS_5[1], "very_high": VIRIDIS_5[0]}

#: open-field PV: a site in several legal categories takes the first (strongest) of them
PV_CATEGORY_CLASSES = (
    StyleClass("post_mining", "Konversion: Bergbaufolgeflächen", "Conversion land: post-mining",
               OKABE_ITO["reddish_purple"], members=("post_mining",)),
    StyleClass("baugb_privileged", "BauGB § 35: privilegiert (200 m an Autobahn/Bahn)",
               "BauGB § 35: privileged (200 m along motorway/railway)", OKABE_ITO["blue"],
               members=("baugb_privileged",)),
    StyleClass("eeg_corridor", "EEG: Seitenrandstreifen an Autobahn/Bahn", "EEG: corridor along motorway/railway",
               OKABE_ITO["sky_blue"], members=("eeg_2023_corridor", "eeg_2021_corridor")),
    StyleClass("pvfvo_less_favoured", "PVFVO: Acker/Grünland in benachteiligten Gebieten",
               "PVFVO: farmland in less-favoured areas", OKABE_ITO["orange"], members=("pvfvo_less_favoured",)),
)

#: wind exclusions: the first group one of whose rules hits a piece of land is its main reason
WIND_REASON_CLASSES = (
    StyleClass("residential", "Wohngebäude (SächsBO § 84)", "Residential buildings (SächsBO § 84)",
               OKABE_ITO["vermillion"], members=("residential_sachsbo84",)),
    StyleClass("settlement", "Siedlung, Verkehr, Bebauungspläne", "Settlement, traffic, development plans",
               OKABE_ITO["black"], members=("settlement_traffic_land", "development_plans",
                                            "regional_priority_other_uses")),
    StyleClass("infrastructure", "Straßen, Bahn, Leitungen, Luftfahrt, Militär",
               "Roads, railways, power lines, aviation, military", OKABE_ITO["reddish_purple"],
               members=("motorways", "federal_roads", "railways", "power_lines", "airport_protection", "airfields",
                        "navaid_dvor", "military")),
    StyleClass("mining", "Aktiver Tagebau", "Active open-cast mine", OKABE_ITO["orange"], members=("active_mine",)),
    StyleClass("water", "Gewässer und Wasserschutzgebiete", "Water bodies and water protection zones",
               OKABE_ITO["blue"], members=("water", "water_protection_1_2", "water_protection_3")),
    StyleClass("nature", "Naturschutz, Natura 2000, Vogelschutz", "Nature protection, Natura 2000, birds",
               OKABE_ITO["bluish_green"], members=("nsg", "natura2000_spa", "natura2000_ffh", "birds_near_zone",
                                                    "birds_central_red_kite", "birds_central_1000",
                                                    "birds_central_sea_eagle")),
    StyleClass("landscape", "Wald und Landschaftsschutz", "Forest and landscape protection",
               OKABE_ITO["yellow"], members=("forest", "lsg")),
    StyleClass("outer_dwellings", "Einzelne Wohngebäude im Außenbereich", "Single dwellings in the outer area",
               OKABE_ITO["sky_blue"], members=("residential_outer_single",)),
    StyleClass("heritage", "Denkmalumgebung", "Surroundings of heritage sites", "#8c6d31",
               members=("heritage_surroundings",)),
)
#: open-field PV exclusions (rule set pv_exclusions): the first group one of whose rules hits is the main reason
PV_REASON_CLASSES = (
    StyleClass("settlement", "Siedlung, Gebäude, Bebauungspläne", "Settlement, buildings, development plans",
               OKABE_ITO["black"], members=("settlement_traffic_land", "buildings", "builtup_areas",
                                            "development_plans")),
    StyleClass("residential", "Abstand zu Wohngebäuden", "Distance to residential buildings",
               OKABE_ITO["vermillion"], members=("residential_distance",)),
    StyleClass("traffic", "Fahrbahnen, Gleise, Anbauverbotszonen", "Carriageways, tracks, no-build zones",
               OKABE_ITO["reddish_purple"], members=("road_body", "motorway_building_ban", "federal_road_building_ban",
                                                     "railway_body")),
    StyleClass("mining", "Aktiver Tagebau", "Active open-cast mine", OKABE_ITO["orange"], members=("active_mine",)),
    StyleClass("water", "Gewässer, Ufer, Überschwemmung, Wasserschutz",
               "Water, shores, flood areas, water protection", OKABE_ITO["blue"],
               members=("water", "water_shore_strip", "flood_hq100", "water_protection_1_2", "water_protection_3")),
    StyleClass("nature", "Naturschutz, Natura 2000, Biotope", "Nature protection, Natura 2000, biotopes",
               OKABE_ITO["bluish_green"], members=("nsg", "natura2000_ffh", "natura2000_spa", "protected_biotopes")),
    StyleClass("landscape", "Wald und Landschaftsschutz", "Forest and landscape protection", OKABE_ITO["yellow"],
               members=("forest", "lsg")),
    StyleClass("soil", "Böden hoher Bodengüte", "High-quality soils", "#8c6d31", members=("soil_quality",)),
)
HARD_SOFT = FlagTitles(true_de="hart: immer ausgeschlossen", true_en="hard: always excluded",
                       false_de="weich: abschaltbares Planungskriterium",
                       false_en="soft: switchable planning criterion")

#: turbines by full-load hours [h/a]: the county's 2021 fleet ran about 1,880 h, a modern turbine at
#: 150–165 m hub height 2,000–3,000 h (docs/METHOD.md, section Wind); none can exceed the 8,760 h of a year
HOURS_PER_YEAR = 8760.0
FULL_LOAD_HOURS_CLASSES = (
    StyleClass("flh_lt_1800", "unter 1.800 h/a", "below 1,800 h/a", VIRIDIS_5[0], low=0.0, high=1800.0),
    StyleClass("flh_1800", "1.800 – 2.100 h/a", "1,800 – 2,100 h/a", VIRIDIS_5[1], low=1800.0, high=2100.0),
    StyleClass("flh_2100", "2.100 – 2.400 h/a", "2,100 – 2,400 h/a", VIRIDIS_5[2], low=2100.0, high=2400.0),
    StyleClass("flh_2400", "2.400 – 2.700 h/a", "2,400 – 2,700 h/a", VIRIDIS_5[3], low=2400.0, high=2700.0),
    StyleClass("flh_ge_2700", "ab 2.700 h/a", "2,700 h/a and more", VIRIDIS_5[4], low=2700.0,
               high=HOURS_PER_YEAR),
)


def layer_styles(schemas: Mapping[str, ResultSchema]) -> dict[str, LayerStyle]:
    """The style of every result layer that has one, by layer name (only layers in ``schemas``)."""
    styles: dict[str, LayerStyle] = {}
    if "solar_roof" in schemas:
        styles["solar_roof"] = _from_schema("solar_roof", schemas["solar_roof"], "suitability",
                                            SUITABILITY_COLOURS)
    if "biomass_map" in schemas:
        styles["biomass_map"] = _from_schema("biomass_map", schemas["biomass_map"], "feedstock", FEEDSTOCK_COLOURS)
    if "demand_grid" in schemas:
        styles["demand_grid"] = _from_schema("demand_grid", schemas["demand_grid"], "dh_class", DH_CLASS_COLOURS)
    if "pv_ground_areas" in schemas:
        styles["pv_ground_areas"] = LayerStyle("pv_ground_areas", "first_match", "categories", PV_CATEGORY_CLASSES)
    if "wind_exclusions" in schemas:
        styles["wind_exclusions"] = LayerStyle("wind_exclusions", "first_match", "reason", WIND_REASON_CLASSES,
                                               flag_field="hard", flag_titles=HARD_SOFT)
    if "pv_ground_exclusions" in schemas:
        styles["pv_ground_exclusions"] = LayerStyle("pv_ground_exclusions", "first_match", "reason",
                                                    PV_REASON_CLASSES, flag_field="hard", flag_titles=HARD_SOFT)
    if "wind_turbines" in schemas:
        styles["wind_turbines"] = LayerStyle("wind_turbines", "graduated", "full_load_hours",
                                             FULL_LOAD_HOURS_CLASSES, unit="h/a")
    return styles


__all__ = ["FULL_LOAD_HOURS_CLASSES", "OKABE_ITO", "OTHER_COLOUR", "PV_REASON_CLASSES", "LayerStyle", "StyleClass",
           "layer_styles"]
