"""Do a layer's coordinates fit its CRS and the region? Checks at the boundary, with the fix.

A file whose CRS is missing or wrong is read with the wrong units without any error from GDAL:
degrees read as metres put a county into a few square metres near the origin, metres read as
degrees lie far outside the globe. These checks catch both, and a layer that lies wholly outside
the region (a wrong file, a wrong CRS).
"""

from __future__ import annotations

from pyproj import CRS
from pyproj.transformer import Transformer

from potenzial.crs import ANALYSIS_CRS, crs_name
from potenzial.errors import CRSError

Bounds = tuple[float, float, float, float]

#: a layer must come at least this close to the region's bounding box [m]
REGION_MARGIN_M = 5_000.0
#: a region's municipalities span more than this in a metric CRS [m] (a county: tens of km)
MIN_REGION_SPAN_M = 100.0


def _fits_degrees(bounds: Bounds) -> bool:
    xmin, ymin, xmax, ymax = bounds
    return -180.0 <= xmin <= xmax <= 180.0 and -90.0 <= ymin <= ymax <= 90.0


def _span(bounds: Bounds) -> str:
    xmin, ymin, xmax, ymax = bounds
    return f"x {xmin:.6g} to {xmax:.6g}, y {ymin:.6g} to {ymax:.6g}"


def check_coordinates_fit_crs(bounds: Bounds, crs: CRS, what: str) -> None:
    """Refuse coordinates in metres under a geographic CRS (they exceed ±180°/±90°)."""
    if crs.is_geographic and not _fits_degrees(bounds):
        raise CRSError(f"{what}: the coordinates ({_span(bounds)}) are not degrees, but the CRS is "
                       f"{crs_name(crs)} (longitude/latitude). State the file's real CRS in the catalog entry "
                       "(e.g. crs = \"EPSG:25833\") or assign it (ogr2ogr -a_srs / gdal_edit.py -a_srs).")


def check_region_span(bounds: Bounds, what: str) -> None:
    """Refuse municipalities in EPSG:25833 that span a few units only: degrees read as metres."""
    xmin, ymin, xmax, ymax = bounds
    if _fits_degrees(bounds) and max(xmax - xmin, ymax - ymin) < MIN_REGION_SPAN_M:
        raise CRSError(f"{what}: the municipalities span only {_span(bounds)} m in {crs_name(ANALYSIS_CRS)}: "
                       "these are degrees read as metres. Set crs = \"EPSG:4326\" (or the file's real CRS) in "
                       "the catalog entry, or give the file its CRS (a .prj beside the shapefile).")


def to_analysis_bounds(bounds: Bounds, crs: CRS) -> Bounds:
    """``bounds`` in ``crs`` -> the enclosing box in EPSG:25833 [m]."""
    if crs.equals(ANALYSIS_CRS):
        return bounds
    transformer = Transformer.from_crs(crs, ANALYSIS_CRS, always_xy=True)
    return tuple(float(v) for v in transformer.transform_bounds(*bounds, densify_pts=21))  # type: ignore[return-value]


def check_within_region(bounds_m: Bounds, region_bounds_m: Bounds, what: str,
                        margin_m: float = REGION_MARGIN_M) -> None:
    """Refuse a layer whose box [EPSG:25833, m] does not come within ``margin_m`` of the region's.

    Degrees read as metres end up here too (a few units from the origin): the message says so."""
    xmin, ymin, xmax, ymax = bounds_m
    rxmin, rymin, rxmax, rymax = region_bounds_m
    if xmax < rxmin - margin_m or xmin > rxmax + margin_m or ymax < rymin - margin_m or ymin > rymax + margin_m:
        region = _span(region_bounds_m)
        if _fits_degrees(bounds_m):
            raise CRSError(f"{what}: the coordinates ({_span(bounds_m)}) look like degrees read as metres of "
                           f"{crs_name(ANALYSIS_CRS)}; the region lies at {region}. State the file's CRS in the "
                           "catalog entry (crs = \"EPSG:4326\") or give the file its CRS (a .prj, gdal_edit.py "
                           "-a_srs).")
        raise CRSError(f"{what}: lies outside the region (layer {_span(bounds_m)}, region {region}, "
                       f"{crs_name(ANALYSIS_CRS)}). Check that the file covers this region and that its CRS "
                       "is the one stated in the catalog entry.")
