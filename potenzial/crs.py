"""Named coordinate reference systems and checks for them.

Areas and distances are computed in ``ANALYSIS_CRS`` (ETRS89 / UTM 33N), never in degrees.
"""

from pyproj import CRS

from potenzial.errors import CRSError

ANALYSIS_CRS = CRS.from_epsg(25833)  #: ETRS89 / UTM zone 33N, metres
WGS84 = CRS.from_epsg(4326)  #: longitude/latitude, degrees (GeoJSON, RFC 7946)
WEB_MERCATOR = CRS.from_epsg(3857)  #: web tiles

ANALYSIS_EPSG = 25833
WGS84_EPSG = 4326
WEB_MERCATOR_EPSG = 3857


def crs_name(crs: CRS) -> str:
    """``EPSG:25833`` where the CRS has an EPSG code, else its name (for messages)."""
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def require_crs(crs: CRS, wanted: CRS, what: str, computed_in: str = "the calculation") -> CRS:
    """Return ``crs`` if it equals ``wanted``, else raise a CRSError naming both and the fix (gdalwarp)."""
    if not crs.equals(wanted):
        raise CRSError(f"{what}: the raster is in {crs_name(crs)}, but {computed_in} is computed in "
                       f"{crs_name(wanted)}. Reproject the raster (gdalwarp -t_srs {crs_name(wanted)} in.tif "
                       "out.tif) and point the catalog entry at the result.")
    return crs


def parse_crs(value: object, what: str) -> CRS:
    """Parse ``value`` (``"EPSG:25833"``, an int, a CRS) or raise a CRSError naming ``what``."""
    if value is None or value == "":
        raise CRSError(
            f"{what}: no CRS given. Set it explicitly, e.g. crs = \"EPSG:25833\" in the catalog "
            "entry, or assign one to the file (ogr2ogr -a_srs EPSG:25833)."
        )
    try:
        return CRS.from_user_input(value)
    except Exception as exc:  # pyproj raises CRSError of its own with a long text
        raise CRSError(f"{what}: {value!r} is not a CRS pyproj understands ({exc}). "
                       "Use an EPSG code such as \"EPSG:25833\".") from None


def require_metric(crs: CRS | None, what: str) -> CRS:
    """Return ``crs`` if it is projected in metres, else raise with the fix."""
    if crs is None:
        raise CRSError(
            f"{what}: the data has no CRS. Assign the right one (e.g. EPSG:25833 for Saxony's "
            "official data) with ogr2ogr -a_srs or in the catalog entry's crs field."
        )
    if not crs.is_projected:
        raise CRSError(
            f"{what}: CRS {crs.to_string()} is in degrees, but areas and distances need metres. "
            "Reproject to EPSG:25833 (ogr2ogr -t_srs EPSG:25833) or let the catalog do it."
        )
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if unit not in ("metre", "meter"):
        raise CRSError(f"{what}: CRS {crs.to_string()} has axis unit {unit!r}, not metres. "
                       "Reproject to EPSG:25833.")
    return crs
