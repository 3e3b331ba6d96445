"""Results of the cascade step: the stages per municipality, and the assumptions of the run.

PostGIS tables: migration 0006_cascade.py (with wind_technical and pv_ground_technical).
"""

from potenzial.results import ResultSchema

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
                                 "farmland, paced to the horizon by the county's area share of Saxony's PVFVO cap "
                                 "(land only in the PVFVO category) and of the federal EEG tender volume (all land)",
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
    column_titles=(("horizon_year", "Zieljahr", "Horizon year"), *((c[0], c[4], c[5]) for c in stage_columns())),
    definitions=(("horizon_year", "the year the realisable stage is reckoned to ([cascade] horizon_year)"),
                 *((c[0], STAGE_DEFINITIONS[(c[1], c[2])]) for c in stage_columns())),
)

CASCADE_ASSUMPTIONS = ResultSchema(
    name="cascade_assumptions",
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
)

SCHEMAS = (CASCADE_MUNICIPALITIES, CASCADE_ASSUMPTIONS)
