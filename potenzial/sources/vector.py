"""Read a vector layer of the catalog: checked against its entry, renamed, in EPSG:25833."""

from __future__ import annotations

import logging

import geopandas as gpd
import pyogrio
import shapely
from pyproj import CRS

from potenzial.crs import ANALYSIS_CRS, parse_crs
from potenzial.errors import CRSError, InputDataError
from potenzial.region import LayerEntry
from potenzial.sources.extent import check_coordinates_fit_crs

log = logging.getLogger(__name__)

#: where a repaired layer notes what was repaired (``frame.attrs``): counts by kind of repair
REPAIRS_ATTR = "geometry_repairs"

_GEOM_FAMILIES = {
    "point": {"Point", "MultiPoint"},
    "line": {"LineString", "MultiLineString", "LinearRing"},
    "polygon": {"Polygon", "MultiPolygon"},
}


def read_vector(entry: LayerEntry, target_crs: CRS = ANALYSIS_CRS) -> gpd.GeoDataFrame:
    """Read ``entry`` and return it in ``target_crs`` with canonical column names.

    Fails with an InputDataError/CRSError that names the layer, the value found and the fix
    when the file is missing or unreadable, empty, of another geometry type than the entry
    says, without CRS, or lacks a canonical column.
    """
    what = f"layer {entry.id!r} ({entry.path})"
    if entry.kind != "vector":
        raise InputDataError(f"{what}: catalog kind is {entry.kind!r}, not vector.")
    special = _special_format(entry)
    if special is None and not entry.path.is_file():
        raise InputDataError(f"{what}: file not found. Put the file there or fix `source` in the catalog.")
    if special is not None:
        frame = special(entry, what)
    else:
        layer = _pick_layer(entry, what)
        try:
            frame = pyogrio.read_dataframe(entry.path, layer=layer)
        except Exception as exc:  # GDAL raises a variety of DataSourceError / DataLayerError
            raise InputDataError(f"{what}: cannot be read as a vector file ({_short(exc)}). "
                                 "Check that it is a GeoPackage/shapefile/GeoJSON and not truncated.") from None
    if len(frame) == 0 and not entry.synthetic:
        raise InputDataError(f"{what}: the layer is empty (0 features). Point `source` at a file with data.")
    # a stand-in may be empty: a region without, say, mining land or named heritage sites
    if not isinstance(frame, gpd.GeoDataFrame) or (len(frame) and frame.geometry.isna().all()):
        raise InputDataError(f"{what}: has no geometry. The catalog says it is a vector layer; "
                             "point `source` at a spatial file or set kind = \"table\".")
    if special is None:
        frame = _with_crs(frame, entry, what)
    _check_geometry_type(frame, entry, what)
    if entry.geometry == "polygon":
        frame = repair_polygons(frame, what)
    frame = _rename(frame, entry, what)
    if frame.crs != target_crs:
        frame = frame.to_crs(target_crs)
    return frame


def _special_format(entry: LayerEntry):
    """A reader for formats GDAL does not read as plain features: OSM extracts and LoD2 CityGML
    (buildings only), or None for everything else."""
    suffix = entry.path.suffix.lower()
    if suffix in (".pbf", ".osm"):
        return _read_osm
    if suffix in (".gml", ".xml") or (entry.path.is_dir() and any(entry.path.glob("*.gml"))):
        return _read_citygml
    return None


def _buildings_only(entry: LayerEntry, what: str, fmt: str) -> None:
    if entry.geometry != "polygon" or "building_id" not in entry.columns:
        raise InputDataError(f"{what}: {fmt} files are read as building footprints only; use them for the "
                             "buildings layer, or convert other layers to GeoPackage (ogr2ogr).")


def _read_osm(entry: LayerEntry, what: str) -> gpd.GeoDataFrame:
    from potenzial.sources.osm import read_osm_buildings

    _buildings_only(entry, what, "OpenStreetMap")
    frame, _ = read_osm_buildings(entry.path)
    return frame


def _read_citygml(entry: LayerEntry, what: str) -> gpd.GeoDataFrame:
    """Footprints of LoD2 buildings: the union of each building's roof-plane footprints."""
    from potenzial.sources.citygml import read_citygml_roofs

    _buildings_only(entry, what, "CityGML")
    planes, buildings, _ = read_citygml_roofs(entry.path, crs=entry.crs)
    if len(planes) == 0:
        return gpd.GeoDataFrame({"building_id": []}, geometry=[], crs=ANALYSIS_CRS)
    footprints = planes[["building_id", "geometry"]].dissolve(by="building_id").reset_index()
    attrs = buildings.drop_duplicates("building_id").set_index("building_id")[["use", "function"]]
    return footprints.join(attrs, on="building_id")


def _pick_layer(entry: LayerEntry, what: str) -> str | None:
    try:
        layers = [row[0] for row in pyogrio.list_layers(entry.path)]
    except Exception as exc:
        raise InputDataError(f"{what}: cannot be opened ({_short(exc)}). Is it a vector file, and complete?") from None
    if entry.layer is None:
        if len(layers) > 1:
            raise InputDataError(f"{what}: holds {len(layers)} layers ({', '.join(layers)}); "
                                 "name one with `layer = \"…\"` in the catalog entry.")
        return layers[0] if layers else None
    if entry.layer not in layers:
        raise InputDataError(f"{what}: has no layer {entry.layer!r}; it has {', '.join(layers)}. "
                             "Fix `layer` in the catalog entry.")
    return entry.layer


def _with_crs(frame: gpd.GeoDataFrame, entry: LayerEntry, what: str) -> gpd.GeoDataFrame:
    declared = parse_crs(entry.crs, what) if entry.crs else None
    if frame.crs is None:
        if declared is None:
            raise CRSError(f"{what}: the file has no CRS and the catalog entry gives none. State the "
                           "file's CRS in the entry (crs = \"EPSG:25833\" for Saxony's official data, "
                           "\"EPSG:4326\" for degrees) or give the file one (a .prj, ogr2ogr -a_srs).")
        frame = frame.set_crs(declared)
        check_coordinates_fit_crs(tuple(frame.total_bounds), declared, what)
        return frame
    check_coordinates_fit_crs(tuple(frame.total_bounds), CRS(frame.crs), what)
    if declared is not None and not CRS(frame.crs).equals(declared, ignore_axis_order=True):
        raise CRSError(f"{what}: the file is in {CRS(frame.crs).to_string()} but the catalog says "
                       f"{declared.to_string()}. Fix `crs` in the entry (the file is reprojected "
                       "automatically) or reproject the file.")
    return frame


def _check_geometry_type(frame: gpd.GeoDataFrame, entry: LayerEntry, what: str) -> None:
    if not entry.geometry:
        return
    found = set(frame.geom_type.dropna().unique())
    allowed = _GEOM_FAMILIES[entry.geometry]
    if not found <= allowed:
        raise InputDataError(f"{what}: the catalog says {entry.geometry} geometry but the file has "
                             f"{', '.join(sorted(found))}. Point `source` at the right file or fix `geometry`.")


def repair_polygons(frame: gpd.GeoDataFrame, what: str) -> gpd.GeoDataFrame:
    """Drop empty geometries and make self-intersecting polygons valid (their polygonal part), counted
    in ``frame.attrs[REPAIRS_ATTR]`` (``empty_dropped``, ``invalid_made_valid``) and logged."""
    geoms = frame.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    invalid = ~empty & ~shapely.is_valid(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = [_polygonal(shapely.make_valid(g)) for g in geoms[invalid]]
        empty |= shapely.is_empty(geoms)  # a polygon that was only a line has no area left
        frame = frame.set_geometry(gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs))
    repairs = {"empty_dropped": int(empty.sum()), "invalid_made_valid": int((invalid & ~empty).sum())}
    if any(repairs.values()):
        frame = frame.loc[~empty].copy()
        log.warning("%s: %d empty geometries dropped, %d self-intersecting polygons made valid", what,
                    repairs["empty_dropped"], repairs["invalid_made_valid"])
    frame.attrs[REPAIRS_ATTR] = repairs
    return frame


def _polygonal(geom):
    """The polygons of a geometry that ``make_valid`` returned (it may add lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _rename(frame: gpd.GeoDataFrame, entry: LayerEntry, what: str) -> gpd.GeoDataFrame:
    mapping = {src: dst for dst, src in entry.fields.items() if src in frame.columns}
    frame = frame.rename(columns=mapping)
    missing = [c for c in entry.columns if c not in frame.columns]
    if missing:
        have = ", ".join(c for c in frame.columns if c != frame.geometry.name)
        raise InputDataError(f"{what}: lacks column(s) {', '.join(missing)} (it has: {have}). Map them "
                             "with fields = {{ canonical = \"column_in_file\" }} in the catalog entry.")
    return frame


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
