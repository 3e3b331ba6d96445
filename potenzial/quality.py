"""Quality grades of the headline figures: per municipality and technology, from the run's input
provenance and the method that produced each figure. Pure calculation (no store, no files).

The grades (:data:`potenzial.results.quality.GRADES`, defined once with their titles) follow one
rule, applied per technology:

- **D** when any *main* input of the technology is a synthetic stand-in (the figure describes the
  stand-in, not the municipality);
- **C** when the main inputs are real but another input is synthetic;
- **B** when every input is real but the method rests on estimated parameters;
- **A** when every input is real and the method is exact for that municipality.

Which inputs a technology reads, which of them are its main inputs, the stage its figures belong
to and whether its method is exact are declared once in :data:`TECHNOLOGIES`. A layer the catalog
does not have (e.g. no DSM) is not an input. For roofs the method depends on the municipality:
exact only when every roof plane there comes from LoD2 or a surface model, estimated where the
footprint heuristic filled in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from potenzial.results.quality import GRADE_CODES, QUALITY

EXACT_ROOF_METHODS = ("lod2", "dsm")


@dataclass(frozen=True)
class InputLayer:
    """One catalog layer of the run: its id, whether it is a synthetic stand-in, its titles."""

    layer_id: str
    synthetic: bool
    title_de: str
    title_en: str


@dataclass(frozen=True)
class Technology:
    """What a technology's figures rest on."""

    key: str  #: result-table prefix
    result: str  #: its per-municipality result table (present when the run computed it)
    main: tuple[str, ...]  #: inputs the figures rest on (synthetic -> D)
    other: tuple[str, ...]  #: further inputs (synthetic -> C)
    stage_de: str
    stage_en: str
    method_de: str
    method_en: str
    exact: bool  #: the method is exact on real data (no estimated parameters)


TECHNOLOGIES = (
    Technology("solar_roof", "solar_roof_municipalities", main=("buildings",),
               other=("ghi", "statistics", "terrain", "dsm", "listed_buildings"),
               stage_de="planerisch eingeschränktes Potenzial", stage_en="restricted potential",
               method_de="Dachflächen aus Grundriss-Heuristik (Neigung, Ausrichtung geschätzt)",
               method_en="roof planes from the footprint heuristic (tilt and orientation estimated)",
               exact=False),
    Technology("pv_ground", "pv_ground_municipalities", main=("landcover",),
               other=("ghi", "protected_areas", "less_favoured_areas", "post_mining", "roads", "railways",
                      "buildings", "builtup_areas", "development_plans", "plants_pv_open_field_2015",
                      "flood_areas", "water_protection_zones", "protected_biotopes", "soil_quality"),
               stage_de="planerisch eingeschränktes Potenzial", stage_en="restricted potential",
               method_de="Flächen nach den Regelwerken, Leistungsdichte geschätzt (MWp/ha)",
               method_en="areas by the rule sets, estimated power density (MWp/ha)", exact=False),
    Technology("wind", "wind_municipalities", main=("wind_speed_150m", "buildings"),
               other=("landcover", "protected_areas", "roads", "railways", "power_lines", "development_plans",
                      "builtup_areas", "post_mining", "aviation_areas", "navigation_aids", "water_protection_zones",
                      "heritage_sites", "bird_breeding_sites", "regional_plan_areas", "wind_energy_areas",
                      "residential_plots"),
               stage_de="planerisch eingeschränktes Potenzial", stage_en="restricted potential",
               method_de="Abstände nach SächsBO §84, Ertrag mit geschätzter Windverteilung und Verlusten",
               method_en="setbacks by SächsBO §84, yield with an estimated wind distribution and losses",
               exact=False),
    Technology("biomass", "biomass", main=("statistics",),
               other=("landcover", "livestock_state", "plants_bioenergy_2015"),
               stage_de="planerisch eingeschränktes Potenzial", stage_en="restricted potential",
               method_de="Flächen- und Tierstatistik mal geschätzte Erträge (P10–P90)",
               method_en="area and livestock statistics times estimated yields (P10–P90)", exact=False),
)
EXACT_ROOFS_DE = "Dachflächen aus LoD2 bzw. Oberflächenmodell"
EXACT_ROOFS_EN = "roof planes from LoD2 or a surface model"


def grade(synthetic_main: bool, synthetic_other: bool, exact: bool) -> str:
    """The grade letter of the rule in the module docstring."""
    if synthetic_main:
        return GRADE_CODES[3]
    if synthetic_other:
        return GRADE_CODES[2]
    return GRADE_CODES[0] if exact else GRADE_CODES[1]


def roof_method_exact(solar_roof: pd.DataFrame) -> pd.Series:
    """Per AGS: True when every roof plane there comes from LoD2 or a surface model."""
    if len(solar_roof) == 0:
        return pd.Series(dtype=bool)
    exact = solar_roof["method"].isin(EXACT_ROOF_METHODS)
    return exact.groupby(solar_roof["ags"].astype(str)).all()


def quality_grades(ags: Iterable[str], inputs: Iterable[InputLayer], computed: Iterable[str],
                   roof_exact: Mapping[str, bool] | None = None) -> pd.DataFrame:
    """The ``quality`` table: per AGS and technology in ``computed`` the grade and its reason in
    German and English; technologies not computed get empty cells.

    ``inputs`` are the catalog layers of the run; ``roof_exact`` (per AGS, from
    :func:`roof_method_exact`) says where the roof method is exact."""
    layers = {layer.layer_id: layer for layer in inputs}
    done = set(computed)
    codes = [str(a) for a in ags]
    table: dict[str, list[str]] = {"ags": codes}
    for tech in TECHNOLOGIES:
        grades, reasons_de, reasons_en = [], [], []
        main = [layers[i] for i in tech.main if i in layers]
        other = [layers[i] for i in tech.other if i in layers]
        synthetic_main = [layer for layer in main if layer.synthetic]
        synthetic_other = [layer for layer in other if layer.synthetic]
        for code in codes:
            if tech.key not in done:
                grades.append("")
                reasons_de.append("in diesem Lauf nicht berechnet")
                reasons_en.append("not computed in this run")
                continue
            exact = tech.exact
            if tech.key == "solar_roof":
                exact = exact or bool((roof_exact or {}).get(code, False))
            letter = grade(bool(synthetic_main), bool(synthetic_other), exact)
            de, en = _reason(tech, letter, synthetic_main, synthetic_other, exact)
            grades.append(letter)
            reasons_de.append(de)
            reasons_en.append(en)
        table[f"{tech.key}_grade"] = grades
        table[f"{tech.key}_grade_reason_de"] = reasons_de
        table[f"{tech.key}_grade_reason_en"] = reasons_en
    return pd.DataFrame(table)[QUALITY.column_names]


def _reason(tech: Technology, letter: str, synthetic_main: list[InputLayer], synthetic_other: list[InputLayer],
            exact: bool) -> tuple[str, str]:
    method_de, method_en = ((EXACT_ROOFS_DE, EXACT_ROOFS_EN) if exact and tech.key == "solar_roof"
                            else (tech.method_de, tech.method_en))
    de = [f"{letter}: {tech.stage_de}", f"Methode: {method_de}"]
    en = [f"{letter}: {tech.stage_en}", f"method: {method_en}"]
    if synthetic_main:
        de.append("synthetische Hauptgrundlage: " + ", ".join(layer.title_de for layer in synthetic_main))
        en.append("synthetic main input: " + ", ".join(layer.title_en for layer in synthetic_main))
    if synthetic_other:
        de.append("weitere synthetische Eingaben: " + ", ".join(layer.title_de for layer in synthetic_other))
        en.append("other synthetic inputs: " + ", ".join(layer.title_en for layer in synthetic_other))
    if not synthetic_main and not synthetic_other:
        de.append("alle Eingaben reale Daten")
        en.append("all inputs real data")
    return "; ".join(de) + ".", "; ".join(en) + "."


__all__ = ["TECHNOLOGIES", "InputLayer", "Technology", "grade", "quality_grades", "roof_method_exact"]
