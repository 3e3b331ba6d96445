"""The reader of the Marktstammdatenregister bulk export: streamed, filtered to the region while reading.

The unit files are read with ``xml.etree.ElementTree.iterparse``; every unit element is turned into a
plain record and cleared, and the root is cleared after it, so memory holds only the region's units,
never a file (the solar files of the real export are several GB). A unit is kept when its municipality
key starts with the region's prefix, its postcode is one of the region's, or its coordinates fall in the
region's box; then its municipality is matched, best evidence first:

1. ``coordinates``: the point (EPSG:4326 → EPSG:25833) lies in a municipality (point in polygon);
2. ``municipality_key``: the export's ``Gemeindeschluessel`` is one of the region's AGS;
3. ``postcode``: the postcode lookup (``Postleitzahl`` → AGS) names one municipality.

Every check (:mod:`potenzial.monitoring.checks`) leaves a finding in the report; a truncated zip or XML
refuses the whole export (InputDataError), so a snapshot is imported completely or not at all.
"""

from __future__ import annotations

import hashlib
import math
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import InputDataError
from potenzial.monitoring.catalog import (
    KNOWN_VERSIONS,
    READ,
    REQUIRED,
    export_date_and_version,
    is_catalog_file,
    unit_file,
)
from potenzial.monitoring.checks import FLAGGED, REJECTED, REPAIRED, Finding, RejectedRowError, UnitRow, check_record
from potenzial.monitoring.params import MonitoringParams

UNIT_COLUMNS = ("unit_id", "technology", "location", "capacity_gross_kw", "capacity_net_kw", "commissioned",
                "decommissioned", "status", "ags", "match_method", "replaces_unit_id", "x_m", "y_m")
REPORT_COLUMNS = ("file", "unit_id", "check", "action", "detail")
#: degrees added around the region's box when filtering by coordinates (≈ 3.5 km)
BOX_MARGIN_DEG = 0.05
_CHUNK = 1 << 20


class SchemaVersionError(InputDataError):
    """The export is of a schema version whose elements differ from what the reader knows."""


@dataclass(frozen=True)
class RegionFilter:
    """What the reader needs of a region: municipality polygons (EPSG:25833, ``ags``), the AGS prefix
    and a postcode lookup (postcode → AGS; only postcodes that name one municipality)."""

    municipalities: gpd.GeoDataFrame
    ags_prefix: str
    postcodes: dict[str, str] = field(default_factory=dict)

    @property
    def ags(self) -> set[str]:
        return set(self.municipalities["ags"].astype(str))

    def box_deg(self) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = self.municipalities.to_crs("EPSG:4326").total_bounds
        return x0 - BOX_MARGIN_DEG, y0 - BOX_MARGIN_DEG, x1 + BOX_MARGIN_DEG, y1 + BOX_MARGIN_DEG


@dataclass
class MastrExport:
    """One export read for a region: its units, the report of every check, and what identifies it."""

    source: str
    sha256: str
    as_of: str
    schema_version: str
    units: pd.DataFrame  #: UNIT_COLUMNS, one row per unit (planned and decommissioned ones too)
    report: pd.DataFrame  #: REPORT_COLUMNS
    read_count: int  #: unit records read in all files
    outside_count: int  #: records outside the region (not kept; counted)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_export(path: Path, region: RegionFilter, params: MonitoringParams, as_of: str | None = None
                ) -> MastrExport:
    """Read a bulk export zip for ``region``. ``as_of`` (ISO date) overrides the date in the file name."""
    path = Path(path)
    if not path.is_file():
        raise InputDataError(f"MaStR export {path} does not exist. Give the path of the downloaded "
                             "Gesamtdatenexport_<YYYYMMDD>_<version>.zip.")
    name_date, version = export_date_and_version(path.name)
    as_of = as_of or name_date
    if not as_of:
        raise InputDataError(f"{path.name}: the export's date is not in its name (Gesamtdatenexport_YYYYMMDD_…); "
                             "name it with --as-of YYYY-MM-DD.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputDataError(f"{path.name} is not a complete zip file ({exc}); download it again. "
                             "Nothing was imported.") from None
    reader = _Reader(path.name, region, params, as_of, version or "unknown")
    with archive:
        members = archive.namelist()
        unit_members = [m for m in members if unit_file(m)]
        if not unit_members:
            raise InputDataError(f"{path.name} holds no unit file (EinheitenSolar*.xml, EinheitenWind.xml, …); "
                                 "is it a MaStR Gesamtdatenexport?")
        for member in members:
            if is_catalog_file(member):
                reader.catalog = _catalog(archive, member, path.name)
        for member in sorted(unit_members):
            reader.read_member(archive, member)
    return reader.result(file_sha256(path))


def _open_errors(source: str, member: str, exc: BaseException) -> InputDataError:
    return InputDataError(f"{source}: {member} is truncated or damaged ({type(exc).__name__}: {exc}); the whole "
                          "export is refused and the store is unchanged. Download it again.")


def _records(archive: zipfile.ZipFile, member: str, element: str, source: str) -> Iterator[dict[str, str]]:
    """The unit records of one member, streamed: element name -> text of each child."""
    try:
        with archive.open(member) as fh:
            context = ET.iterparse(fh, events=("start", "end"))
            root = None
            for event, elem in context:
                if root is None:
                    root = elem
                if event == "end" and elem.tag == element:
                    yield {child.tag: (child.text or "") for child in elem}
                    elem.clear()
                    root.clear()
    except (ET.ParseError, zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        raise _open_errors(source, member, exc) from None


def _catalog(archive: zipfile.ZipFile, member: str, source: str) -> dict[str, str]:
    """Katalogwerte.xml: catalog id -> text."""
    out = {}
    for record in _records(archive, member, "Katalogwert", source):
        if record.get("Id"):
            out[record["Id"].strip()] = (record.get("Wert") or "").strip()
    return out


class _Reader:
    def __init__(self, source: str, region: RegionFilter, params: MonitoringParams, as_of: str, version: str) -> None:
        self.source, self.region, self.params, self.as_of, self.version = source, region, params, as_of, version
        self.catalog: dict[str, str] = {}
        self.box = region.box_deg()
        self.postcodes = region.postcodes
        self.rows: dict[str, UnitRow] = {}
        self.findings: list[Finding] = []
        self.read_count = 0
        self.outside_count = 0

    def _in_region(self, record: dict[str, str]) -> bool:
        if (record.get("Gemeindeschluessel") or "").strip().startswith(self.region.ags_prefix):
            return True
        if (record.get("Postleitzahl") or "").strip() in self.postcodes:
            return True
        try:
            lon, lat = float(record.get("Laengengrad") or "nan"), float(record.get("Breitengrad") or "nan")
        except ValueError:
            return False
        x0, y0, x1, y1 = self.box
        return x0 <= lon <= x1 and y0 <= lat <= y1

    def read_member(self, archive: zipfile.ZipFile, member: str) -> None:
        described = unit_file(member)
        if described is None:  # pragma: no cover - members are filtered by the caller
            return
        _, element, technology = described
        first = True
        for record in _records(archive, member, element, self.source):
            self.read_count += 1
            if first:
                self._check_schema(member, record)
                first = False
            if not self._in_region(record):
                self.outside_count += 1
                continue
            unit_id = (record.get("EinheitMastrNummer") or "").strip()
            try:
                row = check_record(record, technology, self.catalog, self.params, self.as_of)
            except RejectedRowError as rej:
                self.findings.append(Finding(rej.check, REJECTED, rej.detail, unit_id, member))
                continue
            if row.unit_id in self.rows:
                self.findings.append(Finding("duplicate_id", REJECTED, f"{row.unit_id} appears again; the first "
                                             "entry is kept", row.unit_id, member))
                continue
            for finding in row.findings:
                finding.unit_id, finding.file = row.unit_id, member
            self.findings.extend(row.findings)
            self.rows[row.unit_id] = row

    def _check_schema(self, member: str, record: dict[str, str]) -> None:
        missing = [e for e in REQUIRED if e not in record]
        if self.version not in KNOWN_VERSIONS or missing:
            unread = sorted(set(record) - set(READ))
            if missing:
                raise SchemaVersionError(
                    f"{self.source}: schema version {self.version} ({member}) lacks the elements "
                    f"{', '.join(missing)} the reader needs; known versions: {', '.join(KNOWN_VERSIONS)}. "
                    "Nothing was imported; the reader must be adapted to this version.")
            self.findings.append(Finding(
                "unknown_schema_version", FLAGGED,
                f"schema version {self.version} is not one the reader was checked against "
                f"({', '.join(KNOWN_VERSIONS)}); the elements it reads are present; elements not read: "
                f"{', '.join(unread) or 'none'}", "", member))

    def result(self, sha256: str) -> MastrExport:
        self._replacements()
        units = self._match()
        report = pd.DataFrame([(f.file, f.unit_id, f.check, f.action, f.detail) for f in self.findings],
                              columns=list(REPORT_COLUMNS))
        return MastrExport(source=self.source, sha256=sha256, as_of=self.as_of, schema_version=self.version,
                           units=units, report=report, read_count=self.read_count,
                           outside_count=self.outside_count)

    def _replacements(self) -> None:
        """A unit naming the unit it replaced: the old one counts until the new one's commissioning."""
        for row in self.rows.values():
            old = self.rows.get(row.replaces_unit_id) if row.replaces_unit_id else None
            if old is None or old.unit_id == row.unit_id:
                continue
            if not old.decommissioned and row.commissioned:
                old.decommissioned = row.commissioned
                self.findings.append(Finding("replaced_unit", REPAIRED, f"replaced by {row.unit_id}: counted until "
                                             f"{row.commissioned}", old.unit_id, ""))

    def _match(self) -> pd.DataFrame:
        rows = list(self.rows.values())
        known = self.region.ags
        lon = np.array([r.lon for r in rows], dtype=float)
        lat = np.array([r.lat for r in rows], dtype=float)
        x = np.full(len(rows), math.nan)
        y = np.full(len(rows), math.nan)
        has = ~(np.isnan(lon) | np.isnan(lat))
        hit = np.full(len(rows), "", dtype=object)
        if has.any():
            tx = Transformer.from_crs("EPSG:4326", ANALYSIS_CRS, always_xy=True)
            x[has], y[has] = tx.transform(lon[has], lat[has])
            points = gpd.GeoDataFrame({"i": np.flatnonzero(has)}, geometry=gpd.points_from_xy(x[has], y[has]),
                                      crs=ANALYSIS_CRS)
            joined = gpd.sjoin(points, self.region.municipalities[["ags", "geometry"]], predicate="within",
                               how="inner")
            for i, ags in zip(joined["i"], joined["ags"], strict=True):
                hit[i] = str(ags)
        out = []
        for i, row in enumerate(rows):
            ags, method = self._assign(row, str(hit[i]), bool(has[i]), known)
            if not ags:
                continue
            out.append((row.unit_id, row.technology, row.location, row.capacity_gross_kw, row.capacity_net_kw,
                        row.commissioned, row.decommissioned, row.status, ags, method, row.replaces_unit_id,
                        x[i], y[i]))
        return pd.DataFrame(out, columns=list(UNIT_COLUMNS))

    def _assign(self, row: UnitRow, hit: str, has_point: bool, known: set[str]) -> tuple[str, str]:
        def note(check: str, action: str, detail: str) -> None:
            self.findings.append(Finding(check, action, detail, row.unit_id, ""))

        if hit:
            if row.export_ags and row.export_ags != hit:
                note("coordinates_disagree_key", FLAGGED, f"coordinates in {hit}, Gemeindeschluessel "
                     f"{row.export_ags}: the coordinates are used")
            return hit, "coordinates"
        if row.export_ags in known:
            if has_point:
                note("coordinates_outside_boundaries", FLAGGED, f"coordinates outside the region's boundaries; "
                     f"assigned by Gemeindeschluessel {row.export_ags}")
            return row.export_ags, "municipality_key"
        if row.export_ags.startswith(self.region.ags_prefix):
            note("unknown_municipality_key", REJECTED, f"Gemeindeschluessel {row.export_ags} is no municipality "
                 "of the region")
            return "", ""
        if row.postcode in self.postcodes and not (row.export_ags or has_point):
            return self.postcodes[row.postcode], "postcode"
        if has_point or row.export_ags:
            self.outside_count += 1  # in the box, but outside every municipality and keyed elsewhere
            return "", ""
        note("no_location", REJECTED, f"no coordinates, no Gemeindeschluessel, postcode {row.postcode or '-'} "
             f"({row.place or '-'}) not in the postcode lookup")
        return "", ""
