"""The fact sheet's own words in German and English, numbers as each language writes them, and the
titles and units of result columns as the sheet shows them.

Titles and units of result columns come from the result schemas (:mod:`potenzial.results`); a column
whose schema declares no title is not shown (a person never reads a raw column name). The sheet's own
words (headings, chart labels, notes) are declared once here, in :data:`TEXTS`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

import numpy as np

from potenzial.errors import NotFoundError
from potenzial.results import ResultSchema, collect

Lang = Literal["de", "en"]
LANGS: tuple[Lang, ...] = ("de", "en")

#: the sheet's own words: key -> (German, English)
TEXTS: dict[str, tuple[str, str]] = {
    "sheet": ("Steckbrief erneuerbare Energien", "Renewable energy fact sheet"),
    "municipality": ("Gemeinde", "Municipality"),
    "group": ("Gebiet aus", "Area of"),
    "municipalities": ("Gemeinden", "municipalities"),
    "warning": ("Synthetische Demodaten – die Zahlen sind nicht real",
                "Synthetic demo data – the figures are not real"),
    "warning_inputs": ("{n} von {m} Eingangsdaten dieses Laufs sind synthetische Platzhalter; welche, steht bei den "
                       "Quellen auf der letzten Seite.",
                       "{n} of this run's {m} inputs are synthetic stand-ins; the sources on the last page say which."),
    "page": ("Seite", "Page"),
    "of": ("von", "of"),
    "run": ("Lauf", "run"),
    "headline": ("Auf einen Blick", "At a glance"),
    "figure": ("Kennzahl", "Figure"),
    "value": ("Wert", "Value"),
    "electricity_chart": ("Strom: Potenzial und Verbrauch", "Electricity: potential and use"),
    "heat_chart": ("Wärme: Potenzial", "Heat: potential"),
    "capacity_chart": ("Leistung: installiert und Potenzial", "Capacity: installed and potential"),
    "potential": ("Potenzial", "potential"),
    "installed": ("installiert", "installed"),
    "use": ("Verbrauch", "use"),
    "not_computed": ("nicht berechnet", "not computed"),
    "installed_total": ("Installiert (Strom)", "Installed (electricity)"),
    "never_added": ("Strom, Wärme und Primärenergie werden nie addiert.",
                    "Electricity, heat and primary energy are never added."),
    "quality": ("Datenqualität", "Data quality"),
    "technology": ("Technik", "Technology"),
    "grade": ("Bewertung", "Grade"),
    "reason": ("Begründung", "Reason"),
    "cascade": ("Potenzialkaskade", "Potential cascade"),
    "cascade_note": ("technisch ≥ planerisch eingeschränkt ≥ realisierbar; jede Stufe mit eigener Definition "
                     "(Methodenbericht).",
                     "technical ≥ restricted ≥ realisable; each stage has its own definition (method report)."),
    "key_figures": ("Weitere Kennzahlen", "Further figures"),
    "map": ("Karte", "Map"),
    "legend": ("Legende", "Legend"),
    "outline": ("Gemeindegrenze", "Municipal boundary"),
    "neighbours": ("Nachbargemeinden", "Neighbouring municipalities"),
    "cells": ("je Rasterzelle zusammengefasst", "aggregated to grid cells"),
    "no_features": ("keine Flächen in diesem Gebiet", "no features in this area"),
    "targets": ("Flächenziele Wind", "Wind area targets"),
    "target": ("Ziel", "Target"),
    "target_share": ("Zielanteil", "Target share"),
    "share_now": ("Anteil Potenzialfläche", "Share of eligible land"),
    "gap": ("Lücke (+) / Überschuss (−)", "Gap (+) / surplus (−)"),
    "target_gap": ("Flächenziel Wind", "Wind area target"),
    "gap_short": ("Lücke (+) / Überschuss (−)", "gap (+) / surplus (−)"),
    "see_sources": ("siehe Quellen und Lizenzen, letzte Seite", "see sources and licences, last page"),
    "sources": ("Quellen und Lizenzen", "Sources and licences"),
    "layer": ("Daten", "Data"),
    "licence": ("Lizenz", "Licence"),
    "attribution": ("Namensnennung", "Attribution"),
    "synthetic": ("synthetisch", "synthetic"),
    "real": ("real", "real"),
    "provenance": ("Herkunft", "Provenance"),
    "run_facts": ("Lauf", "Run"),
    "run_id": ("Lauf-ID", "Run id"),
    "finished": ("abgeschlossen", "finished"),
    "parameters": ("Parameter", "parameters"),
    "code": ("Code", "code"),
    "north": ("Norden", "North"),
    "map_of": ("Karte", "Map"),
    "scale": ("Maßstab", "Scale"),
    "boundaries": ("Grenzen", "Boundaries"),
    "stage": ("Stufe", "Stage"),
}


def text(key: str, lang: Lang) -> str:
    """The sheet's word ``key`` in ``lang``."""
    de, en = TEXTS[key]
    return de if lang == "de" else en


def check_lang(lang: str) -> Lang:
    """``lang`` if the sheet is written in it; NotFoundError naming the languages otherwise."""
    if lang not in LANGS:
        raise NotFoundError(f"the fact sheet has no language {lang[:16]!r}; use lang=de (default) or lang=en.")
    return "de" if lang == "de" else "en"


def number(value: float, lang: Lang, digits: int | None = None) -> str:
    """``value`` rounded to meaningful digits (1 decimal from 10 on, 2 below; ``digits`` to force), with
    the thousands separator and decimal mark of ``lang`` (German 1.234,5; English 1,234.5)."""
    if digits is None:
        digits = 0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
    written = f"{value:,.{digits}f}"
    if lang == "de":
        written = written.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return written


def format_value(value: object, unit: str, lang: Lang) -> str:
    """``value`` with its unit as the sheet shows it; "–" for a missing value (plain text)."""
    if value is None or isinstance(value, str) or not np.isfinite(float(value)):  # type: ignore[arg-type]
        return "–"
    if isinstance(value, bool):
        return "–"
    whole = isinstance(value, int | np.integer)
    shown = number(float(value), lang, 0 if whole else None)  # type: ignore[arg-type]
    return f"{shown} {unit}".strip()


#: units as a person reads them, where the schema's unit is a word: unit -> (German, English)
_UNIT_WORDS: dict[str, tuple[str, str]] = {
    "count": ("", ""),
    "persons": ("Einw.", "inhabitants"),
    "year": ("", ""),
    "GWh/a (primary energy)": ("GWh/a Primärenergie", "GWh/a primary energy"),
}


@lru_cache(maxsize=1)
def schemas() -> dict[str, ResultSchema]:
    """Every result schema by name, stored and derived (the headline)."""
    return {**collect("SCHEMAS"), **collect("DERIVED")}


def column_unit(table: str, column: str, lang: Lang) -> str:
    """The unit of ``column`` of result ``table`` as the sheet shows it ("" for counts and unknowns)."""
    sch = schemas().get(table)
    unit = dict(sch.units).get(column, "") if sch else ""
    de, en = _UNIT_WORDS.get(unit, (unit, unit))
    return de if lang == "de" else en


def column_label(table: str, column: str, lang: Lang) -> str | None:
    """The title of ``column`` of result ``table`` in ``lang``; None where the schema declares none."""
    sch = schemas().get(table)
    if sch is None:
        return None
    title = sch.column_title(column)[lang]
    return None if title == column else title


__all__ = ["LANGS", "TEXTS", "Lang", "check_lang", "column_label", "column_unit", "format_value", "number",
           "schemas", "text"]
