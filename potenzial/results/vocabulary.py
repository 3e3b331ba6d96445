"""The words a person reads instead of the data's names: units and the columns many results share.

Every result schema declares its columns' units by the English unit string (``units=``); the German
form and the number of decimals a table rounds a value of that unit to are declared here, once
(``UNITS``). Columns that mean the same in every table (``ags``, ``name``, ``area_ha`` …) are
labelled once in ``COMMON_LABELS``; a schema's own ``labels`` take precedence.
"""

from __future__ import annotations

from dataclasses import dataclass

#: the languages every label is declared in; the first is the default
LANGUAGES = ("de", "en")
#: what a person sees where a column has no unit (text, yes/no, a class)
NO_UNIT = "–"


@dataclass(frozen=True)
class Unit:
    """A unit as a person reads it, per language, and the decimals a table rounds it to."""

    de: str
    en: str
    decimals: int | None = None  #: None: not rounded (text, identifiers)


@dataclass(frozen=True)
class ColumnLabel:
    """What a person reads instead of a column name: title and a short description per language."""

    column: str
    title_de: str
    title_en: str
    description_de: str = ""
    description_en: str = ""


#: declared unit (English, as in a schema's ``units``) -> the unit per language and its decimals
UNITS: dict[str, Unit] = {
    "%": Unit("%", "%", 1),
    "GWh/a": Unit("GWh/a", "GWh/a", 2),
    "GWh/a (primary energy)": Unit("GWh/a (Primärenergie)", "GWh/a (primary energy)", 2),
    "GWh_el/a": Unit("GWh_el/a", "GWh_el/a", 2),
    "GWh_th/a": Unit("GWh_th/a", "GWh_th/a", 2),
    "MW": Unit("MW", "MW", 2),
    "MWp": Unit("MWp", "MWp", 2),
    "MWh/a": Unit("MWh/a", "MWh/a", 0),
    "MWh/(ha·a)": Unit("MWh/(ha·a)", "MWh/(ha·a)", 1),
    "kW": Unit("kW", "kW", 0),
    "kWp": Unit("kWp", "kWp", 1),
    "kWh/a": Unit("kWh/a", "kWh/a", 0),
    "kWh/kWp·a": Unit("kWh/kWp·a", "kWh/kWp·a", 0),
    "h/a": Unit("h/a", "h/a", 0),
    "ha": Unit("ha", "ha", 1),
    "km²": Unit("km²", "km²", 2),
    "m²": Unit("m²", "m²", 1),
    "m": Unit("m", "m", 0),
    "m/s": Unit("m/s", "m/s", 2),
    "m³ CH₄/a (STP)": Unit("m³ CH₄/a (Normzustand)", "m³ CH₄/a (STP)", 0),
    "m³/a (solid wood)": Unit("m³/a (Festmeter)", "m³/a (solid wood)", 0),
    "t/a (fresh mass)": Unit("t/a (Frischmasse)", "t/a (fresh mass)", 0),
    "count": Unit("Anzahl", "count", 0),
    "persons": Unit("Personen", "persons", 0),
    "W/inhabitant": Unit("W/Einwohner", "W/inhabitant", 1),
    "MWh_el/a": Unit("MWh_el/a", "MWh_el/a", 0),
    "MWh_th/a": Unit("MWh_th/a", "MWh_th/a", 0),
    "kWh/(m²·a)": Unit("kWh/(m²·a)", "kWh/(m²·a)", 0),
    "MW (biomass: GWh/a primary energy)": Unit("MW (Biomasse: GWh/a Primärenergie)",
                                               "MW (biomass: GWh/a primary energy)", 2),
    "rank": Unit("Rang", "rank", 0),
    "pp": Unit("Prozentpunkte", "percentage points", 1),
    "ISO date": Unit("Datum (ISO)", "date (ISO)", None),
    "year": Unit("Jahr", "year", 0),
    "date": Unit("Datum", "date"),
    "id": Unit("Nummer", "number", 0),
    "bit number": Unit("Bitnummer", "bit number", 0),
    "bitmask of wind_rules.bit": Unit("Bitmaske der Regeln", "bitmask of the rules", 0),
    "bitmask: bit i = i-th rule of the exclusion rule set": Unit("Bitmaske der Regeln", "bitmask of the rules", 0),
    "bitmask of scenario_parameters.bit": Unit("Bitmaske der Szenariokriterien", "bitmask of the scenario criteria", 0),
    "bitmask: bit i = i-th of [pv_ground] categories": Unit("Bitmaske der Kategorien", "bitmask of the categories",
                                                            0),
    "° from horizontal": Unit("° gegen die Waagerechte", "° from horizontal", 0),
    "° clockwise from north (180 = south)": Unit("° im Uhrzeigersinn ab Nord (180 = Süd)",
                                                 "° clockwise from north (180 = south)", 0),
    "share of the best orientation": Unit("Anteil der besten Ausrichtung", "share of the best orientation", 2),
    "share of irradiation left": Unit("verbleibender Anteil der Einstrahlung", "share of irradiation left", 2),
    "the row's unit": Unit("Einheit der Zeile", "the row's unit", 3),
    # class columns: the classes carry the meaning, there is no unit
    "very_good|good|suitable|unsuitable": Unit(NO_UNIT, NO_UNIT),
    "technical|restricted|realisable": Unit(NO_UNIT, NO_UNIT),
    "wind_first|pv_first": Unit(NO_UNIT, NO_UNIT),
    "table|estimate": Unit(NO_UNIT, NO_UNIT),
    "grade A|B|C|D": Unit(NO_UNIT, NO_UNIT),
    "true = listed building (Kulturdenkmal)": Unit("ja/nein", "yes/no"),
}

#: columns that mean the same wherever they occur
COMMON_LABELS: dict[str, ColumnLabel] = {c.column: c for c in (
    ColumnLabel("ags", "Gemeindeschlüssel (AGS)", "Municipality key (AGS)",
                "Amtlicher Gemeindeschlüssel, 8 Ziffern", "official municipality key, 8 digits"),
    ColumnLabel("name", "Gemeinde", "Municipality", "Name der Gemeinde", "name of the municipality"),
    ColumnLabel("area_ha", "Fläche", "Area", "Fläche in der Gemeinde", "area inside the municipality"),
    ColumnLabel("feedstock", "Biomasseart", "Feedstock", "Art der Biomasse", "kind of biomass"),
    ColumnLabel("conversion", "Umwandlung", "Conversion",
                "Biogas (Gasmotor) oder Festbrennstoff (Heizkraftwerk)", "biogas (gas engine) or solid fuel (CHP)"),
    ColumnLabel("rule_id", "Regel (Kennung)", "Rule (id)", "Kennung der Regel im Regelwerk",
                "id of the rule in its rule set"),
    ColumnLabel("rule_set", "Regelwerk", "Rule set", "datiertes Regelwerk, aus dem die Regel stammt",
                "dated rule set the rule comes from"),
    ColumnLabel("valid_from", "Gültig ab", "Valid from", "Datum, ab dem das Regelwerk gilt",
                "date from which the rule set applies"),
    ColumnLabel("title", "Bezeichnung", "Title", "Bezeichnung, wie sie eine Person liest", "name as a person reads it"),
    ColumnLabel("layer", "Eingangsebene", "Input layer", "Ebene des Katalogs, die die Regel liest",
                "catalog layer the rule reads"),
    ColumnLabel("attribute_filter", "Attributfilter", "Attribute filter",
                "Auswahl von Objekten der Ebene (leer: alle)", "selection of the layer's features (empty: all)"),
    ColumnLabel("buffer_m", "Abstand", "Buffer", "Pufferabstand um die Objekte", "buffer distance around the features"),
    ColumnLabel("kind", "Art", "Kind", "hart (Ausschluss) oder weich (planerisch abwägbar)",
                "hard (exclusion) or soft (a planning criterion)"),
    ColumnLabel("switchable", "Abschaltbar", "Switchable", "die Regel kann abgeschaltet werden",
                "the rule can be switched off"),
    ColumnLabel("enabled", "Angewendet", "Applied", "die Regel war im Lauf eingeschaltet",
                "the rule was switched on in the run"),
    ColumnLabel("features", "Objekte", "Features", "Objekte der Ebene, die die Regel verwendet hat",
                "features of the layer the rule used"),
    ColumnLabel("source", "Quelle", "Source", "Rechtsgrundlage bzw. Quelle", "legal basis or source"),
    ColumnLabel("category", "Kategorie", "Category", "Flächenkategorie", "land category"),
)}

__all__ = ["COMMON_LABELS", "LANGUAGES", "NO_UNIT", "UNITS", "ColumnLabel", "Unit"]
