"""The WebMercatorQuad tile matrix set (OGC TMS 2.0, EPSG:3857, 256 px tiles, origin top-left).

Every piece of tile maths of the project is here, built on :mod:`morecantile` (the OGC
TileMatrixSet library rio-tiler uses): tile bounds, the tile holding a point, the zoom level of
a resolution, the ground area of a tile. Every tile address is checked here before any I/O
(:func:`check_tile`).
"""

from __future__ import annotations

import math
from functools import lru_cache

import morecantile
from pyproj import CRS, Transformer

from potenzial.crs import ANALYSIS_EPSG, WEB_MERCATOR_EPSG, WGS84_EPSG
from potenzial.tiles import TileMatrixError, TileRequestError
from potenzial.units import M2_PER_KM2

TMS_ID = "WebMercatorQuad"
#: the tile matrix set itself (morecantile's definition of the OGC standard)
TMS = morecantile.tms.get(TMS_ID)
TILE_SIZE_PX = int(TMS.matrix(0).tileWidth)
#: deepest zoom level any layer is served at (z22 ≈ 0.04 m/px at the equator)
MAX_ZOOM = 22
#: half the side of the square EPSG:3857 world [m]
ORIGIN_M = float(TMS.xy_bbox.right)
#: the side of the square EPSG:3857 world [m] (the equator's length on the WebMercator sphere)
WORLD_M = float(TMS.xy_bbox.right - TMS.xy_bbox.left)
#: the densification of tile edges when a tile is transformed into another CRS [points per edge]
DENSIFY_PTS = 21

#: how far from its central meridian a transverse Mercator CRS (EPSG:25833) is transformed into
#: [degrees of longitude]: it has no value 90° away on the equator and folds back beyond, so a
#: tile is cut to this band before it is transformed (Germany lies within 10° of 15° E)
TMERC_HALF_WIDTH_DEG = 80.0

BBox = tuple[float, float, float, float]


def check_tile(z: int, x: int, y: int, max_zoom: int = MAX_ZOOM) -> None:
    """Raise TileRequestError (400) for a negative zoom, column or row, TileMatrixError (404) for a
    tile beyond the matrix (OGC API - Tiles: "400 or 404" for a tile out of range)."""
    if z < 0 or x < 0 or y < 0:
        raise TileRequestError(f"tile z={z}, x={x}, y={y} has a negative number; zoom, column and row start at 0.")
    if z > max_zoom:
        raise TileMatrixError(f"zoom {z} is beyond the deepest level served ({max_zoom}).")
    n = matrix_size(z)
    if not (x < n and y < n):
        raise TileMatrixError(f"tile x={x}, y={y} is outside the tile matrix of zoom {z} "
                              f"(both must be in 0..{n - 1}).")


@lru_cache(maxsize=64)
def matrix_size(z: int) -> int:
    """Tiles per row (and per column) of the matrix at zoom ``z``."""
    return int(TMS.matrix(z).matrixWidth)


@lru_cache(maxsize=64)
def resolution_m(z: int) -> float:
    """Pixel size at zoom ``z`` [m, EPSG:3857] (true ground size at the equator)."""
    return float(TMS.matrix(z).cellSize)


def tile_size_m(z: int) -> float:
    """Side of a tile at zoom ``z`` [m, EPSG:3857]."""
    return resolution_m(z) * TILE_SIZE_PX


def tile_bounds_3857(z: int, x: int, y: int, margin: float = 0.0) -> BBox:
    """(minx, miny, maxx, maxy) of a tile in EPSG:3857 [m]; ``margin`` in tile widths (0.015625 = 64/4096)."""
    b = TMS.xy_bounds(morecantile.Tile(x, y, z))
    pad = margin * (b.right - b.left)
    return b.left - pad, b.bottom - pad, b.right + pad, b.top + pad


def tiles_covering(bounds_3857: BBox, z: int) -> list[tuple[int, int]]:
    """(x, y) of every tile at zoom ``z`` that :func:`intersects` ``bounds_3857`` [m, EPSG:3857],
    row by row from the north-west; empty for empty bounds."""
    minx, miny, maxx, maxy = bounds_3857
    if not (maxx > minx and maxy > miny):
        return []
    size, last = tile_size_m(z), matrix_size(z) - 1
    x0 = max(0, math.floor((minx + ORIGIN_M) / size))
    x1 = min(last, math.ceil((maxx + ORIGIN_M) / size) - 1)
    y0 = max(0, math.floor((ORIGIN_M - maxy) / size))
    y1 = min(last, math.ceil((ORIGIN_M - miny) / size) - 1)
    return [(x, y) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)
            if intersects(tile_bounds_3857(z, x, y), bounds_3857)]


def tile_bounds_lonlat(z: int, x: int, y: int) -> BBox:
    """(west, south, east, north) of a tile [degrees, EPSG:4326]."""
    b = TMS.bounds(morecantile.Tile(x, y, z))
    return b.left, b.bottom, b.right, b.top


def tile_for_lonlat(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """(z, x, y) of the tile holding a point given in degrees (EPSG:4326, lon/lat order)."""
    tile = TMS.tile(lon, lat, z)
    return tile.z, tile.x, tile.y


@lru_cache(maxsize=8)
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def tile_bounds_in(z: int, x: int, y: int, epsg: int = ANALYSIS_EPSG, margin: float = 0.0) -> BBox | None:
    """The bounding box in ``epsg`` of a tile (edges densified, so the box covers the whole tile), of
    the part of the tile where the transform into ``epsg`` is defined; None when there is no such part
    (:func:`tile_bounds_3857_within`)."""
    bounds = tile_bounds_3857_within(z, x, y, epsg, margin)
    if bounds is None or epsg == WEB_MERCATOR_EPSG:
        return bounds
    return _transformer(WEB_MERCATOR_EPSG, epsg).transform_bounds(*bounds, densify_pts=DENSIFY_PTS)


def tile_bounds_3857_within(z: int, x: int, y: int, epsg: int = ANALYSIS_EPSG, margin: float = 0.0) -> BBox | None:
    """The tile (plus ``margin`` tile widths) in EPSG:3857 [m], cut to the world square and, for a
    transverse Mercator ``epsg``, to within TMERC_HALF_WIDTH_DEG of its central meridian; None when
    nothing is left. A tile of zoom 0 or 1, or one on the grid's edge, reaches where EPSG:25833 has
    no coordinates (PostGIS: "Point outside of projection domain")."""
    minx, miny, maxx, maxy = tile_bounds_3857(z, x, y, margin)
    west, east = _domain_3857(epsg)
    minx, maxx = max(minx, west), min(maxx, east)
    miny, maxy = max(miny, -ORIGIN_M), min(maxy, ORIGIN_M)
    if minx >= maxx or miny >= maxy:
        return None
    return minx, miny, maxx, maxy


@lru_cache(maxsize=8)
def _domain_3857(epsg: int) -> tuple[float, float]:
    """(west, east) [m, EPSG:3857] of where a tile may be transformed into ``epsg``."""
    operation = CRS.from_epsg(epsg).coordinate_operation
    if operation is None or operation.method_name != "Transverse Mercator":
        return -ORIGIN_M, ORIGIN_M
    meridian = float(next(p.value for p in operation.params if p.name == "Longitude of natural origin"))
    west = max(-180.0, meridian - TMERC_HALF_WIDTH_DEG)
    east = min(180.0, meridian + TMERC_HALF_WIDTH_DEG)
    return ORIGIN_M * west / 180.0, ORIGIN_M * east / 180.0


def bounds_to_3857(bounds: BBox, epsg: int) -> BBox:
    """A bounding box in ``epsg`` as a bounding box in EPSG:3857 (densified)."""
    if epsg == WEB_MERCATOR_EPSG:
        return tuple(bounds)  # type: ignore[return-value]
    return _transformer(epsg, WEB_MERCATOR_EPSG).transform_bounds(*bounds, densify_pts=DENSIFY_PTS)


def bounds_to_lonlat(bounds: BBox, epsg: int) -> BBox:
    """A bounding box in ``epsg`` as (west, south, east, north) in degrees."""
    if epsg == WGS84_EPSG:
        return tuple(bounds)  # type: ignore[return-value]
    return _transformer(epsg, WGS84_EPSG).transform_bounds(*bounds, densify_pts=DENSIFY_PTS)


def lonlat_to(lon: float, lat: float, epsg: int = ANALYSIS_EPSG) -> tuple[float, float]:
    """A point in degrees (EPSG:4326, lon/lat order) in ``epsg``."""
    return _transformer(WGS84_EPSG, epsg).transform(lon, lat)


def intersects(a: BBox, b: BBox) -> bool:
    """Whether two (minx, miny, maxx, maxy) boxes overlap (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def zoom_for_resolution(res_m: float) -> int:
    """The zoom level whose pixel size [m, EPSG:3857] is closest to ``res_m`` (closest on a log
    scale, GDAL's ``AUTO`` strategy), within 0..MAX_ZOOM; MAX_ZOOM for ``res_m <= 0``."""
    if res_m <= 0:
        return MAX_ZOOM
    return int(TMS.zoom_for_res(res_m, min_z=0, max_z=MAX_ZOOM, zoom_level_strategy="auto"))


def zoom_for_ground_resolution(res_m: float, lat_deg: float) -> int:
    """The first zoom level whose pixels are no coarser on the ground than ``res_m`` [m] at latitude
    ``lat_deg`` [degrees] (GDAL's ``UPPER`` strategy), within 0..MAX_ZOOM.

    A WebMercator pixel of ``r`` m (EPSG:3857) covers ``r · cos(lat)`` m on the ground, so a raster
    of ``res_m`` needs EPSG:3857 pixels of at most ``res_m / cos(lat)``.
    """
    if res_m <= 0:
        return MAX_ZOOM
    res_3857 = res_m / max(math.cos(math.radians(lat_deg)), 1e-6)
    return int(TMS.zoom_for_res(res_3857, min_z=0, max_z=MAX_ZOOM, zoom_level_strategy="upper"))


def tile_area_km2(z: int, lat_deg: float) -> float:
    """Ground area of one WebMercator tile at zoom ``z`` and latitude ``lat_deg`` [km²]."""
    side_m = tile_size_m(z) * math.cos(math.radians(lat_deg))
    return side_m * side_m / M2_PER_KM2
