"""The WebMercatorQuad tile matrix set (OGC TMS 2.0, EPSG:3857, 256 px tiles, origin top-left).

Every tile address is checked here before any I/O (:func:`check_tile`).
"""

from __future__ import annotations

import math
from functools import lru_cache

from pyproj import Transformer

from potenzial.crs import ANALYSIS_EPSG, WEB_MERCATOR_EPSG, WGS84_EPSG
from potenzial.tiles import TileMatrixError, TileRequestError

TMS_ID = "WebMercatorQuad"
TILE_SIZE_PX = 256
#: deepest zoom level any layer is served at (z22 ≈ 0.04 m/px at the equator)
MAX_ZOOM = 22
#: half the side of the square EPSG:3857 world [m]
ORIGIN_M = 20037508.342789244
WORLD_M = 2 * ORIGIN_M
#: the densification of tile edges when a tile is transformed into another CRS [points per edge]
DENSIFY_PTS = 21


def check_tile(z: int, x: int, y: int, max_zoom: int = MAX_ZOOM) -> None:
    """Raise TileRequestError (400) or TileMatrixError (404) for an address outside the matrix."""
    if z < 0:
        raise TileRequestError(f"zoom {z} is negative; zoom levels start at 0.")
    if z > max_zoom:
        raise TileMatrixError(f"zoom {z} is beyond the deepest level served ({max_zoom}).")
    n = 1 << z
    if not (0 <= x < n and 0 <= y < n):
        raise TileRequestError(f"tile x={x}, y={y} is outside the tile matrix of zoom {z} "
                               f"(both must be in 0..{n - 1}).")


def tile_size_m(z: int) -> float:
    """Side of a tile at zoom ``z`` [m, EPSG:3857]."""
    return WORLD_M / (1 << z)


def tile_bounds_3857(z: int, x: int, y: int, margin: float = 0.0) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of a tile in EPSG:3857 [m]; ``margin`` in tile widths (0.015625 = 64/4096)."""
    size = tile_size_m(z)
    minx = -ORIGIN_M + x * size
    maxy = ORIGIN_M - y * size
    pad = margin * size
    return minx - pad, maxy - size - pad, minx + size + pad, maxy + pad


@lru_cache(maxsize=8)
def _transformer(src: int, dst: int) -> Transformer:
    return Transformer.from_crs(src, dst, always_xy=True)


def tile_bounds_in(z: int, x: int, y: int, epsg: int = ANALYSIS_EPSG,
                   margin: float = 0.0) -> tuple[float, float, float, float]:
    """The bounding box in ``epsg`` of a tile (edges densified, so the box covers the whole tile)."""
    bounds = tile_bounds_3857(z, x, y, margin)
    if epsg == WEB_MERCATOR_EPSG:
        return bounds
    return _transformer(WEB_MERCATOR_EPSG, epsg).transform_bounds(*bounds, densify_pts=DENSIFY_PTS)


def bounds_to_3857(bounds: tuple[float, float, float, float], epsg: int) -> tuple[float, float, float, float]:
    """A bounding box in ``epsg`` as a bounding box in EPSG:3857 (densified)."""
    if epsg == WEB_MERCATOR_EPSG:
        return tuple(bounds)  # type: ignore[return-value]
    return _transformer(epsg, WEB_MERCATOR_EPSG).transform_bounds(*bounds, densify_pts=DENSIFY_PTS)


def bounds_to_lonlat(bounds: tuple[float, float, float, float], epsg: int) -> tuple[float, float, float, float]:
    """A bounding box in ``epsg`` as (west, south, east, north) in degrees."""
    if epsg == WGS84_EPSG:
        return tuple(bounds)  # type: ignore[return-value]
    return _transformer(epsg, WGS84_EPSG).transform_bounds(*bounds, densify_pts=DENSIFY_PTS)


def lonlat_to(lon: float, lat: float, epsg: int = ANALYSIS_EPSG) -> tuple[float, float]:
    """A point in degrees (EPSG:4326, lon/lat order) in ``epsg``."""
    return _transformer(WGS84_EPSG, epsg).transform(lon, lat)


def intersects(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    """Whether two (minx, miny, maxx, maxy) boxes overlap (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def zoom_for_resolution(res_m: float) -> int:
    """The zoom level whose pixel size [m, EPSG:3857] is closest to ``res_m`` from below."""
    if res_m <= 0:
        return MAX_ZOOM
    z = math.log2(WORLD_M / (TILE_SIZE_PX * res_m))
    return max(0, min(MAX_ZOOM, int(round(z))))
