"""What the Marktstammdatenregister bulk export holds: files, elements and catalog values.

The export (``Gesamtdatenexport_<YYYYMMDD>_<version>.zip``, published daily by the Bundesnetzagentur at
https://www.marktstammdatenregister.de/MaStR/Datendownload) is a zip of UTF-16 XML files, one or more per
data type: ``EinheitenSolar_1.xml`` … ``EinheitenSolar_N.xml``, ``EinheitenWind.xml``,
``EinheitenBiomasse.xml``, ``EinheitenWasser.xml``, ``EinheitenStromSpeicher_*.xml``, and
``Katalogwerte.xml`` (the catalog: id → text). Each unit file is ``<EinheitenSolar><EinheitSolar>…``.
The schema version (``24.2``: second release of 2024) changes twice a year, on 1 April and 1 October
(MaStR "Release-Termine"); element names are those of the export's XSD ("Dokumentation MaStR
Gesamtdatenexport", MaStR Hilfe, Dokumentendownload), e.g. ``EinheitMastrNummer``, ``Bruttoleistung``,
``Nettonennleistung`` [kW], ``Inbetriebnahmedatum``, ``DatumEndgueltigeStilllegung``,
``EinheitBetriebsstatus``, ``Lage``, ``Laengengrad``/``Breitengrad`` [° WGS84], ``Postleitzahl``, ``Ort``,
``Gemeindeschluessel`` (8-digit AGS).
"""

from __future__ import annotations

import re

#: data type (the file name before ``_N.xml``) -> (unit element, technology; solar is split by Lage)
UNIT_FILES: dict[str, tuple[str, str]] = {
    "EinheitenSolar": ("EinheitSolar", "pv"),
    "EinheitenWind": ("EinheitWind", "wind"),
    "EinheitenBiomasse": ("EinheitBiomasse", "biomass"),
    "EinheitenWasser": ("EinheitWasser", "hydro"),
    "EinheitenStromSpeicher": ("EinheitStromSpeicher", "storage"),
}
CATALOG_FILE = "Katalogwerte"
_FILE = re.compile(r"^(?:.*/)?(?P<type>[A-Za-z]+?)(?:_\d+)?\.xml$", re.IGNORECASE)
_EXPORT_NAME = re.compile(r"(?P<date>\d{8})(?:_+(?P<version>\d{2}\.\d))?")

#: the elements the reader needs in every unit file (a file without them is of an unknown schema)
REQUIRED = ("EinheitMastrNummer", "Bruttoleistung", "Nettonennleistung", "EinheitBetriebsstatus")
#: the elements the reader reads (all others are counted as unused, never an error)
READ = REQUIRED + ("Inbetriebnahmedatum", "DatumEndgueltigeStilllegung", "Lage", "Laengengrad", "Breitengrad",
                   "Postleitzahl", "Ort", "Gemeindeschluessel", "AnzahlModule", "BestandsanlageMastrNummer",
                   "Energietraeger")
#: schema versions whose element names the reader was checked against (the XSD of 2021-2025 releases)
KNOWN_VERSIONS = ("21.1", "21.2", "22.1", "22.2", "23.1", "23.2", "24.1", "24.2", "25.1", "25.2")

#: EinheitBetriebsstatus (catalog category "Betriebsstatus"): id -> status key. Ids as in Katalogwerte.xml
#: (35 In Betrieb, 31 In Planung, 37 Vorübergehend stillgelegt, 38 Endgültig stillgelegt); the texts in the
#: export's own Katalogwerte.xml take precedence when the zip carries it.
STATUS_BY_ID = {"35": "in_operation", "31": "planned", "37": "temporarily_shut_down", "38": "decommissioned"}
#: Lage of a solar unit: id -> location (852 Freifläche; 853 Bauliche Anlagen (Hausdach, Gebäude und
#: Fassade); 2484 Bauliche Anlagen (Sonstige); 2961 Steckerfertige Erzeugungsanlage; others: other)
LOCATION_BY_ID = {"852": "ground", "853": "roof", "2484": "other", "2961": "roof"}


def status_from_text(text: str) -> str | None:
    """The status key of a catalog text (``In Betrieb`` …), None when the text is none of them."""
    low = text.strip().lower()
    if low.startswith("in betrieb"):
        return "in_operation"
    if low.startswith("in planung"):
        return "planned"
    if "vorübergehend" in low:
        return "temporarily_shut_down"
    if "endgültig" in low or "dauerhaft" in low:
        return "decommissioned"
    return None


def location_from_text(text: str) -> str | None:
    """The location of a Lage text: roof (buildings, plug-in units), ground (Freifläche), other."""
    low = text.strip().lower()
    if "freifläche" in low:
        return "ground"
    if "hausdach" in low or "gebäude" in low or "steckerfertig" in low or "balkon" in low:
        return "roof"
    if low:
        return "other"
    return None


def unit_file(name: str) -> tuple[str, str, str] | None:
    """``(data type, unit element, technology)`` of a zip member, None for files the reader skips."""
    match = _FILE.match(name)
    if not match:
        return None
    for data_type, (element, technology) in UNIT_FILES.items():
        if match.group("type").lower() == data_type.lower():
            return data_type, element, technology
    return None


def is_catalog_file(name: str) -> bool:
    match = _FILE.match(name)
    return match is not None and match.group("type").lower() == CATALOG_FILE.lower()


def export_date_and_version(file_name: str) -> tuple[str | None, str | None]:
    """The export's date (ISO) and schema version from ``Gesamtdatenexport_20240101_23.2.zip``."""
    match = _EXPORT_NAME.search(file_name)
    if not match:
        return None, None
    raw = match.group("date")
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}", match.group("version")
