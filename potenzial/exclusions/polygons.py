"""From rasters to figures and shapes: zones, area by distance band, polygons."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely

from potenzial.grid import Grid

# ================================================================================ zones, bands, polygons

def zone_raster(grid: Grid, geoms: Sequence) -> np.ndarray:
    """Index (1-based, 0 = none) of the polygon that holds each cell centre (uint8/uint16)."""
    n = len(geoms)
    dtype = "uint8" if n < 255 else "uint16" if n < 65_535 else "int32"
    shapes = [(g, i + 1) for i, g in enumerate(geoms)]
    return rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                       all_touched=False, dtype=dtype)


def area_by_distance(distance: np.ndarray, free: np.ndarray, zones: np.ndarray, n_zones: int,
                     thresholds_m: Sequence[float], cell_area_m2: float) -> np.ndarray:
    """Area [m²] per zone (rows 1..n_zones -> index 0..n-1) of the ``free`` cells whose
    distance is greater than each threshold (columns): the eligible area if the setback were t.

    One pass over the raster: a histogram of distance per zone, accumulated from the top.
    Monotone by construction (a larger setback never gives more area).
    """
    thr = np.asarray(sorted(thresholds_m), dtype=np.float32)
    width = len(thr) + 1
    counts = np.zeros(n_zones * width, dtype=np.int64)
    step = max(1, 4_000_000 // max(1, distance.shape[1]))
    for r in range(0, distance.shape[0], step):  # row blocks bound the memory
        sel = free[r:r + step] & (zones[r:r + step] > 0)
        z = zones[r:r + step][sel].astype(np.int64) - 1
        # number of thresholds strictly below d: the cell counts for all of them
        k = np.searchsorted(thr, distance[r:r + step][sel], side="left")
        counts += np.bincount(z * width + k, minlength=n_zones * width)
    per_zone = counts.reshape(n_zones, width)
    # cells with k = j count for thresholds 0..j-1 -> area(t_i) = sum_{j > i} counts[:, j]
    above = np.cumsum(per_zone[:, ::-1], axis=1)[:, ::-1]
    return above[:, 1:].astype(np.float64) * cell_area_m2


def polygons(grid: Grid, values: np.ndarray, mask: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """Polygonise an integer raster (4-connected regions of equal value; cells outside ``mask``
    or with value 0 left out), dissolved to one (multi)polygon per value. Columns ``value``,
    ``geometry`` (EPSG:25833), sorted by value. Areas are exact multiples of the cell area."""
    if values.dtype == np.uint32 or values.dtype == np.int64 or values.dtype == np.uint64:
        if values.size and values.max() > np.iinfo(np.int32).max:
            raise ValueError("values exceed int32; factorize them first")
        values = values.astype(np.int32)
    m = values != 0 if mask is None else (mask & (values != 0))
    if not m.any():
        return gpd.GeoDataFrame({"value": np.array([], dtype=np.int64)}, geometry=[], crs=grid.crs)
    vals, ring_arrays, ring_poly = [], [], []
    for k, (geom, value) in enumerate(rasterio.features.shapes(values, mask=m, connectivity=4,
                                                                transform=grid.transform)):
        vals.append(int(value))
        for ring in geom["coordinates"]:
            ring_arrays.append(np.asarray(ring, dtype=np.float64))
            ring_poly.append(k)
    lengths = np.fromiter((len(r) for r in ring_arrays), dtype=np.int64, count=len(ring_arrays))
    rings = np.asarray(shapely.linearrings(np.concatenate(ring_arrays),
                                           indices=np.repeat(np.arange(len(lengths)), lengths)), dtype=object)
    del ring_arrays
    # the first ring of each polygon is its shell, the others its holes
    polys = np.asarray(shapely.polygons(rings, indices=np.asarray(ring_poly, dtype=np.int64)), dtype=object)
    vals_arr = np.asarray(vals, dtype=np.int64)
    order = np.argsort(vals_arr, kind="stable")
    vals_arr, polys = vals_arr[order], polys[order]
    codes, first = np.unique(vals_arr, return_index=True)
    # 4-connected regions of one value share at most corners: their union is a valid MultiPolygon
    counts = np.diff(np.append(first, len(vals_arr)))
    merged = polys[first].copy()
    multi = counts > 1
    if multi.any():
        owner = np.repeat(np.arange(len(codes)), counts)
        sel = multi[owner]
        dense = np.unique(owner[sel], return_inverse=True)[1]
        merged[np.flatnonzero(multi)] = shapely.multipolygons(polys[sel], indices=dense)
    return gpd.GeoDataFrame({"value": codes.astype(np.int64)}, geometry=merged, crs=grid.crs)
