"""What the registry needs to know about an analysis raster before serving it: extent, native zoom
and a display range (from a decimated read, so a large raster is not read whole)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from rasterio.errors import RasterioError
from rasterio.warp import transform_bounds

from potenzial.crs import WEB_MERCATOR_EPSG, WGS84_EPSG
from potenzial.errors import InputDataError
from potenzial.tiles.display import AUTO_RANGE_PERCENTILES
from potenzial.tiles.grid import DENSIFY_PTS, zoom_for_ground_resolution

#: pixels read from an analysis raster (along its longer side) to estimate its display range
STATS_SAMPLE_PX = 1024
#: length of one degree of latitude [m]: the pixel size of a raster in degrees, roughly
M_PER_DEGREE = 111_320.0

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class RasterFacts:
    bounds_lonlat: BBox  #: west, south, east, north [degrees]
    bounds_3857: BBox  #: [m, EPSG:3857]
    native_zoom: int  #: first zoom whose pixels are no coarser on the ground than the raster's
    auto_range: tuple[float, float]  #: display range: 2nd..98th percentile of the sampled values


def raster_facts(path: Path, what: str) -> RasterFacts:
    """Extent, native zoom and a display range of an analysis raster; InputDataError naming ``what``
    for a raster without CRS or a file that is not a raster."""
    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise InputDataError(f"{what}: the raster has no CRS. Write it with a CRS (EPSG:25833).")
            factor = max(1, math.ceil(max(src.width, src.height) / STATS_SAMPLE_PX))
            data = src.read(1, out_shape=(max(1, src.height // factor), max(1, src.width // factor)), masked=True)
            lonlat = transform_bounds(src.crs, f"EPSG:{WGS84_EPSG}", *src.bounds, densify_pts=DENSIFY_PTS)
            merc = transform_bounds(src.crs, f"EPSG:{WEB_MERCATOR_EPSG}", *src.bounds, densify_pts=DENSIFY_PTS)
            res_m = abs(src.transform.a) if src.crs.is_projected else abs(src.transform.a) * M_PER_DEGREE
    except RasterioError as exc:
        raise InputDataError(f"{what}: not a readable raster ({str(exc).splitlines()[0][:120]}).") from None
    values = data.compressed().astype(np.float64)
    values = values[np.isfinite(values)]
    if values.size:
        lo, hi = (float(v) for v in np.percentile(values, AUTO_RANGE_PERCENTILES))
        if hi <= lo:
            lo, hi = float(values.min()), float(values.max()) + 1.0
    else:
        lo, hi = 0.0, 1.0
    centre_lat = (lonlat[1] + lonlat[3]) / 2
    return RasterFacts(tuple(lonlat), tuple(merc), zoom_for_ground_resolution(res_m, centre_lat),
                       (lo, hi))


__all__ = ["RasterFacts", "raster_facts"]
