"""Results of the cascade step: the stages per municipality, and the assumptions of the run.

PostGIS tables: migration 0006_cascade.py (with wind_technical and pv_ground_technical).
"""

from potenzial.results import ResultSchema
from potenzial.results.biomass import BIOMASS_INPUTS
from potenzial.results.pv_ground import PV_GROUND_INPUTS
from potenzial.results.solar_roof import ROOF_INPUTS
from potenzial.results.vocabulary import ColumnLabel as L
from potenzial.results.wind import WIND_INPUTS

_STAGE_DE = {"technical": "technisch", "restricted": "planerisch eingeschränkt", "realisable": "realisierbar"}
_STAGE_EN = {"technical": "technical", "restricted": "restricted", "realisable": "realisable"}
_TECH_DE = {"solar_roof": "Dach-PV", "pv_ground": "Freiflächen-PV", "wind": "Wind", "biomass": "Biomasse"}
_TECH_EN = {"solar_roof": "Roof PV", "pv_ground": "Open-field PV", "wind": "Wind", "biomass": "Biomass"}
_QUANTITY = {  # suffix -> (type, unit, German, English)
    "area_ha": ("ha", "Fläche", "area"),
    "capacity_mwp": ("MWp", "Leistung", "capacity"),
    "capacity_mw": ("MW", "Leistung", "capacity"),
    "electricity_gwh_per_a": ("GWh_el/a", "Stromertrag", "electricity"),
    "primary_energy_gwh_per_a": ("GWh/a (primary energy)", "Primärenergie", "primary energy"),
}
#: technology -> stage -> the quantities reported
_ALL = ("technical", "restricted", "realisable")
_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "solar_roof": dict.fromkeys(_ALL, ("capacity_mwp", "electricity_gwh_per_a")),
    "pv_ground": dict.fromkeys(_ALL, ("area_ha", "capacity_mwp", "electricity_gwh_per_a")),
    "wind": {"technical": ("area_ha", "capacity_mw", "electricity_gwh_per_a"),
             "restricted": ("area_ha", "capacity_mw", "electricity_gwh_per_a"),
             "realisable": ("capacity_mw", "electricity_gwh_per_a")},
    "biomass": dict.fromkeys(_ALL, ("primary_energy_gwh_per_a",)),
}
#: what each stage means, per technology (the glossary's definition of every column)
STAGE_DEFINITIONS = {
    ("solar_roof", "technical"): "every roof plane the run rates suitable (orientation, tilt, size, shading)",
    ("solar_roof", "restricted"): "= technical: the run applies no planning criterion to roofs",
    ("solar_roof", "realisable"): "restricted × (1 − roof_heritage_share) × roof_uptake_share of the horizon year",
    ("pv_ground", "technical"): "land of any PV category that no hard exclusion rule hits (soft and switchable "
                                "rules not applied), after the small-piece filter",
    ("pv_ground", "restricted"): "land after every enabled rule (= pv_ground_municipalities, PV alone)",
    ("pv_ground", "realisable"): "restricted land minus the part also eligible for wind (wind first), in sites of at "
                                 "least pv_ground_min_plant_mwp, at most pv_ground_max_farmland_share of the "
                                 "farmland, and the county's area share of Saxony's PVFVO cap × years to the horizon",
    ("wind", "technical"): "cells no hard exclusion rule hits, without pieces below min_area_ha; the run's turbines "
                           "plus those that fit on the land only soft rules exclude",
    ("wind", "restricted"): "the run's eligible areas and turbines after every enabled rule (= wind_municipalities)",
    ("wind", "realisable"): "the run's turbines in parks of at least wind_min_turbines_per_park turbines, times the "
                            "share wind_build_turbines_per_a × years to the horizon allows",
    ("biomass", "technical"): "sustainably usable feedstock over all feedstocks (P50), as primary energy",
    ("biomass", "restricted"): "= technical: no planning criterion applies to feedstock",
    ("biomass", "realisable"): "restricted minus the feedstock existing plants already use (their electricity P50 / "
                               "biomass_existing_electrical_efficiency), at least 0",
}

#: the same in German (what a person reads as each stage column's description)
STAGE_DEFINITIONS_DE = {
    ("solar_roof", "technical"): "alle Dachflächen, die der Lauf als geeignet einstuft (Ausrichtung, Neigung, Größe, "
                                 "Verschattung)",
    ("solar_roof", "restricted"): "= technisch: auf Dächer wendet der Lauf kein Planungskriterium an",
    ("solar_roof", "realisable"): "eingeschränkt × (1 − Denkmalanteil) × Ausbauanteil des Zieljahrs",
    ("pv_ground", "technical"): "Fläche jeder PV-Kategorie, die keine harte Ausschlussregel trifft, nach dem "
                                "Filter kleiner Teilflächen",
    ("pv_ground", "restricted"): "Fläche nach allen eingeschalteten Regeln (= Freiflächen-PV je Gemeinde)",
    ("pv_ground", "realisable"): "eingeschränkte Fläche ohne die Windflächen, in Anlagen ab Mindestgröße, höchstens "
                                 "der Agrarflächenanteil und der Anteil am sächsischen PVFVO-Deckel bis zum Zieljahr",
    ("wind", "technical"): "Zellen, die keine harte Ausschlussregel trifft, ohne zu kleine Teilflächen; die Anlagen "
                           "des Laufs und die, die auf nur weich ausgeschlossene Flächen passen",
    ("wind", "restricted"): "die Potenzialflächen und Anlagen des Laufs nach allen eingeschalteten Regeln",
    ("wind", "realisable"): "die Anlagen in Parks ab Mindestanlagenzahl, mal dem Anteil, den der jährliche Zubau bis "
                            "zum Zieljahr erlaubt",
    ("biomass", "technical"): "nachhaltig nutzbare Biomasse aller Arten (Median) als Primärenergie",
    ("biomass", "restricted"): "= technisch: für Biomasse gilt kein Planungskriterium",
    ("biomass", "realisable"): ("eingeschränkt abzüglich der Biomasse, die bestehende Anlagen schon nutzen, "
                              "mindestens 0"),
}


def stage_columns() -> list[tuple[str, str, str, str, str, str]]:
    """(column, technology, stage, unit, German title, English title) of every stage column, in table order."""
    out = []
    for tech, stages in _FIELDS.items():
        for stage, quantities in stages.items():
            for q in quantities:
                unit, q_de, q_en = _QUANTITY[q]
                out.append((f"{tech}_{stage}_{q}", tech, stage, unit,
                            f"{_TECH_DE[tech]}: {q_de}, {_STAGE_DE[stage]}",
                            f"{_TECH_EN[tech]}: {q_en}, {_STAGE_EN[stage]}"))
    return out


CASCADE_MUNICIPALITIES = ResultSchema(
    name="cascade_municipalities",
    title_de="Potenzialkaskade je Gemeinde",
    title_en="Potential cascade per municipality",
    key=("ags",),
    per_municipality=True,
    description="The potential cascade per municipality and technology: technical (hard rules only) ≥ restricted "
                "(every enabled rule: what the potentials report) ≥ realisable (what can plausibly be built by "
                "horizon_year; parameters in cascade_assumptions). Electricity (GWh_el/a) for PV and wind, "
                "primary energy for biomass: never added together. Open-field PV and wind are each shown on their "
                "own land; only their realisable stages can be added (PV gives the land it shares with wind to "
                "wind).",
    columns=(("ags", "text"), ("horizon_year", "int"), *((c[0], "float") for c in stage_columns())),
    units=(("horizon_year", "year"), *((c[0], c[3]) for c in stage_columns())),
    labels=(L("horizon_year", "Zieljahr", "Horizon year", "Jahr, auf das die realisierbare Stufe gerechnet ist",
              "year the realisable stage is reckoned to"),
            *(L(c[0], c[4], c[5], STAGE_DEFINITIONS_DE[(c[1], c[2])], STAGE_DEFINITIONS[(c[1], c[2])])
              for c in stage_columns())),
    inputs=tuple(dict.fromkeys((*ROOF_INPUTS, *PV_GROUND_INPUTS, *WIND_INPUTS, *BIOMASS_INPUTS))),
    definitions=(("horizon_year", "the year the realisable stage is reckoned to ([cascade] horizon_year)"),
                 *((c[0], STAGE_DEFINITIONS[(c[1], c[2])]) for c in stage_columns())),
)

CASCADE_ASSUMPTIONS = ResultSchema(
    name="cascade_assumptions",
    title_de="Annahmen der realisierbaren Stufe",
    title_en="Assumptions of the realisable stage",
    key=("parameter",),
    description="The parameters of the realisable stage in the run: value, low/central/high range, unit, source; "
                "`used` = false for the uptake shares of the other horizon years.",
    columns=(
        ("parameter", "text"),
        ("technology", "text"),
        ("title_de", "text"),
        ("title_en", "text"),
        ("unit", "text"),
        ("value", "float"),
        ("low", "float"),
        ("central", "float"),
        ("high", "float"),
        ("used", "bool"),
        ("source", "text"),
    ),
    units=(("value", "the row's unit"), ("low", "the row's unit"), ("central", "the row's unit"),
           ("high", "the row's unit")),
    labels=(
        L("parameter", "Parameter (Kennung)", "Parameter (id)", "Name des Parameters in der Parameterdatei",
          "name of the parameter in the parameter file"),
        L("technology", "Technologie", "Technology", "Technologie, für die er gilt", "technology it applies to"),
        L("title_de", "Bezeichnung (deutsch)", "Title (German)", "Bezeichnung auf Deutsch", "title in German"),
        L("title_en", "Bezeichnung (englisch)", "Title (English)", "Bezeichnung auf Englisch", "title in English"),
        L("unit", "Einheit", "Unit", "Einheit des Werts", "unit of the value"),
        L("value", "Wert", "Value", "im Lauf verwendeter Wert", "value used in the run"),
        L("low", "Unterer Wert", "Low", "untere Grenze der Spanne aus der Literatur",
          "low end of the literature range"),
        L("central", "Mittlerer Wert", "Central", "zentraler Wert der Spanne", "central value of the range"),
        L("high", "Oberer Wert", "High", "obere Grenze der Spanne", "high end of the range"),
        L("used", "Verwendet", "Used", "der Parameter ging in den Lauf ein", "the parameter entered the run"),
        L("source", "Quelle", "Source", "Quelle des Werts", "source of the value"),
    ),
    inputs=(),
)

SCHEMAS = (CASCADE_MUNICIPALITIES, CASCADE_ASSUMPTIONS)
