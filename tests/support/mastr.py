"""Small Marktstammdatenregister bulk exports written by the tests: zipped UTF-16 XML with the export's
real element names (EinheitenSolar_1.xml, EinheitenWind.xml, …, Katalogwerte.xml)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

#: catalog ids as in the export's Katalogwerte.xml
CATALOG = {"35": "In Betrieb", "31": "In Planung", "37": "Vorübergehend stillgelegt", "38": "Endgültig stillgelegt",
           "852": "Freifläche", "853": "Bauliche Anlagen (Hausdach, Gebäude und Fassade)",
           "2484": "Bauliche Anlagen (Sonstige)"}


def unit_xml(root: str, element: str, units: list[dict[str, object]]) -> str:
    """The XML text of one unit file (to be encoded as UTF-16)."""
    parts = ['<?xml version="1.0" encoding="UTF-16"?>', f"<{root}>"]
    for unit in units:
        parts.append(f"<{element}>")
        for name, value in unit.items():
            if value is None:
                continue
            parts.append(f"<{name}>{escape(str(value))}</{name}>")
        parts.append(f"</{element}>")
    parts.append(f"</{root}>")
    return "\n".join(parts)


def catalog_xml(values: dict[str, str] = CATALOG) -> str:
    rows = "".join(f"<Katalogwert><Id>{k}</Id><Wert>{escape(v)}</Wert></Katalogwert>" for k, v in values.items())
    return f'<?xml version="1.0" encoding="UTF-16"?>\n<Katalogwerte>{rows}</Katalogwerte>'


def write_export(path: Path, files: dict[str, str], *, catalog: bool = True) -> Path:
    """A zip of ``files`` (member name -> XML text), each encoded UTF-16 (with BOM) as the export is."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, xml in files.items():
            zf.writestr(name, xml.encode("utf-16"))
        if catalog:
            zf.writestr("Katalogwerte.xml", catalog_xml().encode("utf-16"))
    return path


def solar(unit_id: str, kw: float, *, lage: str = "853", status: str = "35", commissioned: str = "2020-05-01",
          lon: float | None = None, lat: float | None = None, ags: str | None = None, postcode: str = "04000",
          place: str = "Ort", end: str | None = None, modules: int | None = None, net: float | None = None,
          replaces: str | None = None) -> dict[str, object]:
    """One EinheitSolar with the export's element names (capacities in kW)."""
    return {"EinheitMastrNummer": unit_id, "DatumLetzteAktualisierung": "2024-01-01T00:00:00",
            "Land": "84", "Bundesland": "1413", "Gemeindeschluessel": ags, "Postleitzahl": postcode, "Ort": place,
            "Laengengrad": lon, "Breitengrad": lat, "Inbetriebnahmedatum": commissioned,
            "DatumEndgueltigeStilllegung": end, "EinheitBetriebsstatus": status,
            "BestandsanlageMastrNummer": replaces, "NameStromerzeugungseinheit": "PV", "Energietraeger": "2495",
            "Bruttoleistung": kw, "Nettonennleistung": kw if net is None else net, "AnzahlModule": modules,
            "Lage": lage}


def wind(unit_id: str, kw: float, *, lon: float | None = None, lat: float | None = None, ags: str | None = None,
         commissioned: str = "2010-01-01", status: str = "35", end: str | None = None) -> dict[str, object]:
    return {"EinheitMastrNummer": unit_id, "Gemeindeschluessel": ags, "Postleitzahl": "04000", "Ort": "Ort",
            "Laengengrad": lon, "Breitengrad": lat, "Inbetriebnahmedatum": commissioned,
            "DatumEndgueltigeStilllegung": end, "EinheitBetriebsstatus": status, "Energietraeger": "2497",
            "Bruttoleistung": kw, "Nettonennleistung": kw, "Lage": "888"}
