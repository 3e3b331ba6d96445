"""Results of the scenarios step (issue 14): the fast path's tables, and what a scenario answers with.

PostGIS tables: migration 0014_scenarios.py. ``scenario_municipalities`` is not stored: it is
computed for each scenario (:mod:`potenzial.scenarios.evaluate`); its columns carry the titles and
units of the run's own tables.
"""

from potenzial.results import ResultSchema
from potenzial.results.cascade import CASCADE_MUNICIPALITIES
from potenzial.results.demand import DEMAND_HORIZONS, DEMAND_INPUTS, DEMAND_MUNICIPALITIES
from potenzial.results.pv_ground import PV_GROUND_INPUTS, PV_GROUND_MUNICIPALITIES
from potenzial.results.vocabulary import ColumnLabel as L
from potenzial.results.wind import WIND_INPUTS, WIND_MUNICIPALITIES
from potenzial.scenarios.evaluate import COLUMNS

SCENARIO_BANDS = ResultSchema(
    name="scenario_bands",
    title_de="Szenarien: Windfläche je Abstand und Kriterienkombination",
    title_en="Scenarios: wind area per setback and combination of criteria",
    key=("ags", "stage", "criteria_code", "setback_m"),
    description="The fast path of the what-if scenarios: per municipality, the wind-eligible area (before the area "
                "filters) outside a residential setback of setback_m (SächsBO §84 classes 1–3), over the land no "
                "other rule hits, split by which scenario criteria (criteria, bits in criteria_code) hit it. A "
                "scenario keeps the combinations none of its switched-on criteria hit. stage technical: over the "
                "land no hard rule hits (no criteria).",
    columns=(
        ("ags", "text"),
        ("stage", "text"),
        ("criteria_code", "int"),
        ("criteria", "text"),
        ("setback_m", "float"),
        ("eligible_ha", "float"),
    ),
    units=(("criteria_code", "bitmask of scenario_parameters.bit"), ("setback_m", "m"), ("eligible_ha", "ha")),
    labels=(
        L("stage", "Stufe", "Stage", "technisch (nur harte Regeln) oder planerisch eingeschränkt",
          "technical (hard rules only) or restricted"),
        L("criteria_code", "Kriterien (Bitmaske)", "Criteria (bitmask)",
          "die Szenariokriterien, die diese Fläche treffen, als Bits (nur in den Daten)",
          "the scenario criteria that hit this land, as bits (data only)"),
        L("criteria", "Treffende Kriterien", "Criteria that hit",
          "die Szenariokriterien, die diese Fläche ausschließen, wenn sie eingeschaltet sind",
          "the scenario criteria that exclude this land when switched on"),
        L("setback_m", "Abstand zu Wohngebäuden", "Setback from homes", "angenommener Mindestabstand (§ 84 SächsBO)",
          "assumed minimum distance (§ 84 SächsBO)"),
        L("eligible_ha", "Potenzialfläche", "Eligible area", "Fläche außerhalb dieses Abstands",
          "area outside this setback"),
    ),
    inputs=WIND_INPUTS,
)

SCENARIO_PARAMETERS = ResultSchema(
    name="scenario_parameters",
    title_de="Szenarien: veränderbare Parameter",
    title_en="Scenarios: parameters a scenario may change",
    key=("parameter",),
    description="What a scenario on this run may change: the residential setback, each scenario criterion (a "
                "switchable wind rule; value 1: on in the run) and the open-field PV power density, with the run's "
                "value, the allowed range and the source. bit: the criterion's bit in scenario_bands.criteria_code.",
    columns=(
        ("parameter", "text"),
        ("kind", "text"),
        ("title_de", "text"),
        ("title_en", "text"),
        ("unit", "text"),
        ("value", "float"),
        ("low", "float"),
        ("high", "float"),
        ("bit", "int"),
        ("source", "text"),
    ),
    units=(("bit", "bit number"), ("value", "the row's unit"), ("low", "the row's unit"), ("high", "the row's unit")),
    labels=(
        L("parameter", "Parameter", "Parameter", "Name des Parameters im Szenario",
          "name of the parameter in a scenario"),
        L("kind", "Art", "Kind", "Zahl oder Schalter", "number or switch"),
        L("title_de", "Bezeichnung (deutsch)", "Title (German)", "Bezeichnung auf Deutsch", "title in German"),
        L("title_en", "Bezeichnung (englisch)", "Title (English)", "Bezeichnung auf Englisch", "title in English"),
        L("unit", "Einheit", "Unit", "Einheit des Werts", "unit of the value"),
        L("value", "Wert im Lauf", "Value in the run", "Wert des Basislaufs (Schalter: 1 an, 0 aus)",
          "value of the base run (switch: 1 on, 0 off)"),
        L("low", "Kleinster Wert", "Lowest value", "kleinster Wert, den ein Szenario setzen darf",
          "lowest value a scenario may set"),
        L("high", "Größter Wert", "Highest value", "größter Wert, den ein Szenario setzen darf",
          "highest value a scenario may set"),
        L("bit", "Bit", "Bit", "Stelle des Kriteriums in der Bitmaske (−1: kein Kriterium)",
          "position of the criterion in the bitmask (−1: not a criterion)"),
    ),
    inputs=WIND_INPUTS,
)

_SOURCES = (WIND_MUNICIPALITIES, PV_GROUND_MUNICIPALITIES, CASCADE_MUNICIPALITIES, DEMAND_MUNICIPALITIES,
            DEMAND_HORIZONS)
_OWN_LABELS = {
    "wind_eligible_ha": L("wind_eligible_ha", "Wind: Fläche vor Flächenfiltern", "Wind: area before the area filters",
                          "Fläche nach allen Ausschlüssen, vor Mindestfläche und Parkfilter",
                          "area after every exclusion, before the minimum-area and park filters"),
    "wind_turbines_estimated": L("wind_turbines_estimated", "Wind: mögliche Anlagen (Schätzung)",
                                 "Wind: possible turbines (estimate)",
                                 "Fläche mal Anlagen je Hektar, wie sie der Basislauf platziert hat",
                                 "area times the turbines per hectare the base run placed"),
}
_OWN_UNITS = {"wind_eligible_ha": "ha", "wind_turbines_estimated": "count"}


def _label(column: str) -> L:
    if column in _OWN_LABELS:
        return _OWN_LABELS[column]
    for schema in _SOURCES:
        for label in schema.labels:
            if label.column == column:
                return label
    raise KeyError(column)


def _unit(column: str) -> str:
    if column in _OWN_UNITS:
        return _OWN_UNITS[column]
    for schema in _SOURCES:
        units = dict(schema.units)
        if column in units:
            return units[column]
    raise KeyError(column)


SCENARIO_MUNICIPALITIES = ResultSchema(
    name="scenario_municipalities",
    title_de="Szenario je Gemeinde",
    title_en="Scenario per municipality",
    key=("ags",),
    description="What a scenario changes per municipality, on the fast path (POST /api/scenarios/evaluate): wind "
                "areas from the scenario bands, turbines from the base run's turbines per eligible hectare, "
                "capacity and yield per turbine of the base run; open-field PV capacity and electricity scaled by "
                "the power density. Roof PV and biomass do not change. Electricity use at the scenario's horizon: "
                "today's use plus heat pumps and e-mobility at the scenario's shares, and the coverage of that use "
                "by the scenario's realisable electricity (heat is never added).",
    columns=tuple((c, "text" if c == "ags" else "float") for c in COLUMNS),
    units=tuple((c, _unit(c)) for c in COLUMNS if c != "ags"),
    labels=tuple(_label(c) for c in COLUMNS if c != "ags"),
    inputs=tuple(dict.fromkeys((*WIND_INPUTS, *PV_GROUND_INPUTS, *DEMAND_INPUTS))),
)

SCHEMAS = (SCENARIO_BANDS, SCENARIO_PARAMETERS)
DERIVED = (SCENARIO_MUNICIPALITIES,)
