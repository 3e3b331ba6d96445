"""Roof planes from LoD2 CityGML 1.0 / 2.0 (``bldg:RoofSurface``), e.g. GeoSN's LoD2 tiles.

Each ``bldg:RoofSurface`` becomes one plane. Its polygons' 3-D rings give the plane normal by
Newell's method (summed over the surface's polygons, holes subtracted): the real (sloped) area is
half the normal's length, the tilt the angle between the upward normal and the vertical, the
azimuth the compass direction of the normal's horizontal part (0 = north, 90 = east,
180 = south; 180 by convention for flat surfaces). The plane's footprint is the projection of its
polygons on the ground. Surfaces of ``bldg:BuildingPart``s belong to their building.

The file is streamed (``iterparse``), so large tiles do not need to fit in memory as a tree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from pyproj import CRS

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import CRSError, InputDataError
from potenzial.sources.footprints import alkis_use

GML = "http://www.opengis.net/gml"
BLDG = ("http://www.opengis.net/citygml/building/1.0", "http://www.opengis.net/citygml/building/2.0")
CORE = ("http://www.opengis.net/citygml/1.0", "http://www.opengis.net/citygml/2.0")
FLAT_TOLERANCE_DEG = 1e-6
PLANE_COLUMNS = ("building_id", "method", "tilt_deg", "azimuth_deg", "plane_area_m2", "shading_factor")


@dataclass(frozen=True)
class CityGmlReport:
    """Counts of a read, for the run report."""

    files: int
    buildings: int
    roof_surfaces: int
    buildings_without_roof: int
    crs: str


def plane_from_rings(exterior: np.ndarray, holes: list[np.ndarray] | None = None) -> tuple[float, float, float]:
    """(area_m2, tilt_deg, azimuth_deg) of one planar polygon from its 3-D exterior ring and holes,
    each an (n, 3) array of x, y, z in metres."""
    normal, area = _surface_normal([(exterior, holes or [])])
    tilt, azimuth = orientation(normal)
    return area, tilt, azimuth


def newell_normal(ring: np.ndarray) -> np.ndarray:
    """Newell's normal of a closed or open 3-D ring; its length is twice the enclosed area."""
    p = np.asarray(ring, dtype=float)
    q = np.roll(p, -1, axis=0)
    return np.array([
        np.sum((p[:, 1] - q[:, 1]) * (p[:, 2] + q[:, 2])),
        np.sum((p[:, 2] - q[:, 2]) * (p[:, 0] + q[:, 0])),
        np.sum((p[:, 0] - q[:, 0]) * (p[:, 1] + q[:, 1])),
    ])


def orientation(normal: np.ndarray) -> tuple[float, float]:
    """(tilt_deg, azimuth_deg) of a plane with normal ``normal`` (either sense)."""
    n = np.asarray(normal, dtype=float)
    length = float(np.linalg.norm(n))
    if length == 0.0:
        return 90.0, 180.0
    if n[2] < 0:
        n = -n
    tilt = float(np.degrees(np.arccos(np.clip(n[2] / length, -1.0, 1.0))))
    if tilt < FLAT_TOLERANCE_DEG:
        return 0.0, 180.0
    azimuth = float(np.degrees(np.arctan2(n[0], n[1])) % 360.0)
    return tilt, azimuth


def _surface_normal(polygons: list[tuple[np.ndarray, list[np.ndarray]]]) -> tuple[np.ndarray, float]:
    """Summed upward normal and area [m²] of the polygons (exterior, holes) of one surface."""
    total = np.zeros(3)
    area = 0.0
    for exterior, holes in polygons:
        n = newell_normal(_open(exterior))
        if n[2] < 0:
            n = -n
        a = float(np.linalg.norm(n)) / 2.0
        for hole in holes:
            a -= float(np.linalg.norm(newell_normal(_open(hole)))) / 2.0
        length = np.linalg.norm(n)
        if length > 0:
            total += n / length * max(a, 0.0) * 2.0
        area += max(a, 0.0)
    return total, area


def _open(ring: np.ndarray) -> np.ndarray:
    ring = np.asarray(ring, dtype=float)
    if len(ring) > 1 and np.allclose(ring[0], ring[-1]):
        return ring[:-1]
    return ring


def srs_to_crs(srs_name: str) -> CRS | None:
    """The horizontal CRS of a GML ``srsName`` (EPSG URNs/URLs, ``EPSG:n``, AdV ``ETRS89_UTM32/33``)."""
    text = srs_name.strip()
    adv = re.search(r"ETRS89_UTM(32|33)", text, re.IGNORECASE)
    if adv:
        return CRS.from_epsg(25800 + int(adv.group(1)))
    codes = re.findall(r"EPSG(?::|::|/0/|/)(?:\d*:)?(\d{4,5})", text, re.IGNORECASE)
    if codes:
        crs = CRS.from_epsg(int(codes[0]))
        return crs
    try:
        return CRS.from_user_input(text)
    except pyproj.exceptions.CRSError:
        return None


def read_citygml_roofs(path: Path | str, crs: str | None = None,
                       target_crs=ANALYSIS_CRS) -> tuple[gpd.GeoDataFrame, pd.DataFrame, CityGmlReport]:
    """Roof planes of every building in a CityGML file (or every ``*.gml``/``*.xml`` file of a folder).

    Returns ``(planes, buildings, report)``: ``planes`` with ``building_id``, ``method = "lod2"``,
    ``tilt_deg``, ``azimuth_deg``, ``plane_area_m2``, ``shading_factor`` (1) and the plane footprint;
    ``buildings`` with ``building_id``, ``function`` and ``use`` of every building read (also those
    without roof surfaces, which the caller gives to the next method).
    """
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".gml", ".xml")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise InputDataError(f"CityGML {path}: no .gml/.xml file found. Point at a CityGML file or a folder of them.")
    rows: list[dict] = []
    buildings: list[dict] = []
    file_crs: CRS | None = None
    for file in files:
        found_crs, file_rows, file_buildings = _read_file(file)
        if found_crs is not None:
            file_crs = file_crs or found_crs
        rows.extend(file_rows)
        buildings.extend(file_buildings)
    source_crs = file_crs or (CRS.from_user_input(crs) if crs else None)
    if source_crs is None:
        raise CRSError(f"CityGML {path}: no srsName in the file and no CRS given. Pass the CRS "
                       "(e.g. crs = \"EPSG:25833\" for Saxony's LoD2 data).")
    if not source_crs.is_projected:
        raise CRSError(f"CityGML {path}: coordinates are in {source_crs.to_string()} (degrees), but tilt "
                       "and area need metres. Use the projected (UTM) LoD2 files, e.g. EPSG:25833.")
    frame = pd.DataFrame(rows, columns=[*PLANE_COLUMNS, "geometry"])
    planes = gpd.GeoDataFrame(frame.drop(columns="geometry"),
                              geometry=gpd.GeoSeries(frame["geometry"].to_numpy(dtype=object), crs=source_crs),
                              crs=source_crs)
    if planes.crs != target_crs:
        planes = planes.to_crs(target_crs)
    table = pd.DataFrame(buildings, columns=["building_id", "function", "use", "roof_surfaces"])
    report = CityGmlReport(files=len(files), buildings=len(table), roof_surfaces=len(planes),
                           buildings_without_roof=int((table["roof_surfaces"] == 0).sum()),
                           crs=source_crs.to_string())
    return planes, table, report


def _read_file(file: Path) -> tuple[CRS | None, list[dict], list[dict]]:
    rows: list[dict] = []
    buildings: list[dict] = []
    crs: CRS | None = None
    members = {f"{{{ns}}}cityObjectMember" for ns in CORE}
    building_tags = {f"{{{ns}}}Building" for ns in BLDG}
    try:
        for event, elem in ET.iterparse(file, events=("start", "end")):
            if event == "start":
                if crs is None and "srsName" in elem.attrib:
                    crs = srs_to_crs(elem.attrib["srsName"])
                continue
            if elem.tag not in members:
                continue
            for building in elem:
                if building.tag in building_tags:
                    _building(building, rows, buildings)
            elem.clear()
    except ET.ParseError as exc:
        raise InputDataError(f"CityGML {file}: not well-formed XML ({exc}). Check the file is complete.") from None
    return crs, rows, buildings


def _building(building: ET.Element, rows: list[dict], buildings: list[dict]) -> None:
    ns = building.tag[1:].split("}")[0]
    building_id = building.attrib.get(f"{{{GML}}}id") or f"building_{len(buildings) + 1}"
    function_el = building.find(f"{{{ns}}}function")
    function = function_el.text.strip() if function_el is not None and function_el.text else ""
    surfaces = list(building.iter(f"{{{ns}}}RoofSurface"))
    n = 0
    for surface in surfaces:
        rings = [_polygon_rings(p) for p in surface.iter(f"{{{GML}}}Polygon")]
        polygons = [r for r in rings if r is not None]
        if not polygons:
            continue
        normal, area = _surface_normal(polygons)
        if area <= 0:
            continue
        tilt, azimuth = orientation(normal)
        footprint = shapely.union_all([shapely.make_valid(shapely.Polygon(ext[:, :2], [h[:, :2] for h in holes]))
                                       for ext, holes in polygons])
        footprint = _polygonal(footprint)
        rows.append({"building_id": building_id, "method": "lod2", "tilt_deg": tilt, "azimuth_deg": azimuth,
                     "plane_area_m2": area, "shading_factor": 1.0, "geometry": footprint})
        n += 1
    buildings.append({"building_id": building_id, "function": function, "use": alkis_use(function),
                      "roof_surfaces": n})


def _polygonal(geom):
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _polygon_rings(polygon: ET.Element) -> tuple[np.ndarray, list[np.ndarray]] | None:
    exterior = polygon.find(f"{{{GML}}}exterior")
    if exterior is None:
        exterior = polygon.find(f"{{{GML}}}outerBoundaryIs")
    if exterior is None:
        return None
    ext = _ring_coords(exterior)
    if ext is None or len(ext) < 3:
        return None
    holes = []
    for tag in ("interior", "innerBoundaryIs"):
        for interior in polygon.findall(f"{{{GML}}}{tag}"):
            ring = _ring_coords(interior)
            if ring is not None and len(ring) >= 3:
                holes.append(ring)
    return ext, holes


def _ring_coords(boundary: ET.Element) -> np.ndarray | None:
    pos_list = boundary.find(f".//{{{GML}}}posList")
    if pos_list is not None and pos_list.text:
        dim = int(pos_list.attrib.get("srsDimension", "3"))
        values = np.array(pos_list.text.split(), dtype=float)
        if dim != 3 or len(values) % 3:
            return None
        return values.reshape(-1, 3)
    positions = boundary.findall(f".//{{{GML}}}pos")
    if positions:
        points = [np.array(p.text.split(), dtype=float) for p in positions if p.text]
        if not points or any(len(v) != 3 for v in points):
            return None
        return np.vstack(points)
    coordinates = boundary.find(f".//{{{GML}}}coordinates")
    if coordinates is not None and coordinates.text:
        points = [np.array(t.split(","), dtype=float) for t in coordinates.text.split()]
        if any(len(v) != 3 for v in points):
            return None
        return np.vstack(points)
    return None
