"""Exact Euclidean distances from cell centres to features: masks within a buffer, distance rasters."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import rasterio.features
import shapely
from scipy import ndimage

from potenzial.exclusions.select import QUAD_SEGS
from potenzial.grid import Grid

#: above this many (not small) features a rule is evaluated by distance transform, else by vector buffers
EDT_MIN_FEATURES = 3_000
#: a feature whose candidate box (bounds + buffer) has at most this many cells is tested cell by cell
SMALL_FEATURE_CELLS = 400
_EDT_STRIP_CELLS = 16_000_000  #: cells per distance-transform strip (bounds the memory)


# ================================================================================ exact masks

def within_mask(grid: Grid, geoms: np.ndarray, buffer_m: float, *, method: str = "auto") -> np.ndarray:
    """Cells whose centre is within ``buffer_m`` [m] of any geometry (inside or on it, for polygons).

    Exact at cell centres (for a buffer of 0 and a polygon larger than a few cells, GDAL's
    centre-in-polygon rule decides; a centre exactly on an edge may fall either way). Methods:

    - ``"cells"``: each feature's candidate cells (its bounding box plus the buffer) get the
      exact test; used for small features such as building footprints;
    - ``"vector"``: the shapely buffer is rasterised widened and narrowed by a tolerance, the
      cells between get the exact test against the features' segments;
    - ``"edt"``: distance transform plus the exact test near the buffer (many features);
    - ``"auto"``: ``cells`` for features whose candidate box has at most :data:`SMALL_FEATURE_CELLS`
      cells, the rest by ``edt`` (at least :data:`EDT_MIN_FEATURES` of them) or ``vector``.
    """
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms):
        geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    if len(geoms) == 0:
        return np.zeros(grid.shape, dtype=bool)
    if method == "edt":
        return distance_raster(grid, geoms, exact_at_m=(buffer_m,), max_m=buffer_m) <= np.float32(buffer_m)
    if method == "vector":
        return _within_vector(grid, geoms, buffer_m)
    if method == "cells":
        return _within_cells(grid, geoms, buffer_m)
    if method != "auto":
        raise ValueError(f"method {method!r}: use auto, cells, vector or edt")
    small = _candidate_cells(grid, geoms, buffer_m)[4] <= SMALL_FEATURE_CELLS
    mask = _within_cells(grid, geoms[small], buffer_m) if small.any() else np.zeros(grid.shape, dtype=bool)
    big = geoms[~small]
    if len(big) >= EDT_MIN_FEATURES and buffer_m > 0:
        mask |= distance_raster(grid, big, exact_at_m=(buffer_m,), max_m=buffer_m) <= np.float32(buffer_m)
    elif len(big):
        mask |= _within_vector(grid, big, buffer_m)
    return mask


def _candidate_cells(grid: Grid, geoms: np.ndarray, buffer_m: float):
    """Per feature: first/last row and column whose centres lie in its bounds grown by the buffer,
    and the number of those cells (0 when off the grid)."""
    b = shapely.bounds(geoms)
    res = grid.res_m
    c0 = np.ceil((b[:, 0] - buffer_m - grid.x0) / res - 0.5).astype(np.int64)
    c1 = np.floor((b[:, 2] + buffer_m - grid.x0) / res - 0.5).astype(np.int64)
    r0 = np.ceil((grid.y0 - b[:, 3] - buffer_m) / res - 0.5).astype(np.int64)
    r1 = np.floor((grid.y0 - b[:, 1] + buffer_m) / res - 0.5).astype(np.int64)
    c0, r0 = np.maximum(c0, 0), np.maximum(r0, 0)
    c1, r1 = np.minimum(c1, grid.width - 1), np.minimum(r1, grid.height - 1)
    n = np.maximum(c1 - c0 + 1, 0) * np.maximum(r1 - r0 + 1, 0)
    return r0, r1, c0, c1, n


def _within_cells(grid: Grid, geoms: np.ndarray, buffer_m: float) -> np.ndarray:
    """Exact test of every candidate cell of every feature (vectorised over the pairs)."""
    mask = np.zeros(grid.shape, dtype=bool)
    if len(geoms) == 0:
        return mask
    r0, _r1, c0, c1, n = _candidate_cells(grid, geoms, buffer_m)
    chunk_features = max(1, int(2_000_000 // max(1, n.mean())))
    for s in range(0, len(geoms), chunk_features):
        sl = slice(s, s + chunk_features)
        cnt = n[sl]
        total = int(cnt.sum())
        if total == 0:
            continue
        feat = np.repeat(np.arange(len(cnt)), cnt)
        k = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        ncols = (c1[sl] - c0[sl] + 1)[feat]
        rows = r0[sl][feat] + k // ncols
        cols = c0[sl][feat] + k % ncols
        x, y = grid.centers(rows, cols)
        g = geoms[sl][feat]
        hit = shapely.intersects_xy(g, x, y) if buffer_m == 0 else shapely.dwithin(g, shapely.points(x, y), buffer_m)
        mask[rows[hit], cols[hit]] = True
    return mask


def _rasterize(grid: Grid, geoms: Iterable, all_touched: bool = False) -> np.ndarray:
    shapes = [(g, 1) for g in geoms if g is not None and not g.is_empty]
    if not shapes:
        return np.zeros(grid.shape, dtype=bool)
    out = rasterio.features.rasterize(shapes, out_shape=grid.shape, transform=grid.transform, fill=0,
                                      all_touched=all_touched, dtype="uint8")
    return out.view(bool)


def _touched(grid: Grid, geoms: np.ndarray) -> np.ndarray:
    """Cells that a geometry touches (GDAL's all_touched), small features tested cell by cell."""
    b = shapely.bounds(geoms)
    res = grid.res_m
    c0 = np.maximum(np.floor((b[:, 0] - grid.x0) / res), 0).astype(np.int64)
    c1 = np.minimum(np.floor((b[:, 2] - grid.x0) / res), grid.width - 1).astype(np.int64)
    r0 = np.maximum(np.floor((grid.y0 - b[:, 3]) / res), 0).astype(np.int64)
    r1 = np.minimum(np.floor((grid.y0 - b[:, 1]) / res), grid.height - 1).astype(np.int64)
    n = np.maximum(c1 - c0 + 1, 0) * np.maximum(r1 - r0 + 1, 0)
    small = n <= SMALL_FEATURE_CELLS
    out = _rasterize(grid, geoms[~small], all_touched=True) if (~small).any() else np.zeros(grid.shape, bool)
    idx = np.flatnonzero(small & (n > 0))
    for s in range(0, len(idx), 200_000):
        sel = idx[s:s + 200_000]
        cnt = n[sel]
        feat = np.repeat(np.arange(len(sel)), cnt)
        k = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        ncols = (c1[sel] - c0[sel] + 1)[feat]
        rows = r0[sel][feat] + k // ncols
        cols = c0[sel][feat] + k % ncols
        x = grid.x0 + cols * res
        y = grid.y0 - rows * res
        hit = shapely.intersects(geoms[sel][feat], shapely.box(x, y - res, x + res, y))
        out[rows[hit], cols[hit]] = True
    return out


def _segments(geoms: np.ndarray) -> np.ndarray:
    """The features as two-point line segments (polygons by their rings) and points."""
    dims = shapely.get_dimensions(geoms)
    lines = np.concatenate([shapely.boundary(geoms[dims == 2]), geoms[dims == 1]])
    parts = shapely.get_parts(lines) if len(lines) else np.array([], dtype=object)
    out = [shapely.get_parts(geoms[dims == 0])]
    if len(parts):
        parts = shapely.get_parts(parts)  # rings of multi-boundaries
        coords, idx = shapely.get_coordinates(parts, return_index=True)
        same = idx[1:] == idx[:-1]
        a, b = coords[:-1][same], coords[1:][same]
        out.append(np.asarray(shapely.linestrings(np.stack([a, b], axis=1)), dtype=object))
    return np.concatenate(out) if out else np.array([], dtype=object)


def _within_vector(grid: Grid, geoms: np.ndarray, buffer_m: float) -> np.ndarray:
    areal = shapely.get_dimensions(geoms) == 2
    if buffer_m == 0:
        polys = geoms[areal]
        return _rasterize(grid, polys) if len(polys) else np.zeros(grid.shape, dtype=bool)
    # shapely buffers are inscribed polygons and GEOS simplifies the input by up to 1 % of the
    # distance: the exact answer lies between the buffers at (b - tol) and (b + tol)
    tol = max(0.5 * grid.res_m, 0.02 * buffer_m)
    outer = _rasterize(grid, shapely.buffer(geoms, buffer_m + tol, quad_segs=QUAD_SEGS))
    inner_d = buffer_m - tol
    if inner_d > 0:
        inner = _rasterize(grid, shapely.buffer(geoms, inner_d, quad_segs=QUAD_SEGS))
    elif areal.any():
        inner = _rasterize(grid, geoms[areal])
    else:
        inner = np.zeros(grid.shape, dtype=bool)
    unsure = outer & ~inner
    del outer
    rows, cols = np.nonzero(unsure)
    del unsure
    if len(rows):
        # the unsure cells lie outside the features: their distance is the distance to the edges
        x, y = grid.centers(rows, cols)
        tree = shapely.STRtree(_segments(geoms))
        hit_idx, _ = tree.query(shapely.points(x, y), predicate="dwithin", distance=buffer_m)
        inner[rows[hit_idx], cols[hit_idx]] = True
    return inner


def distance_raster(grid: Grid, geoms: np.ndarray, *, exact_at_m: Sequence[float] = (),
                    max_m: float | None = None) -> np.ndarray:
    """Distance [m] from each cell centre to the nearest geometry, float32.

    Euclidean distance transform on the features rasterised with ``all_touched`` (error at most
    resolution/√2), computed in strips so that memory stays bounded; then, for each threshold in
    ``exact_at_m``, the cells within 0.75 cell of it get the exact vector distance, so that
    ``distance <= t`` is exact for those thresholds (also after rounding to float32). Distances
    beyond ``max_m`` (default: the largest threshold) are only guaranteed to be ``> max_m``.
    """
    geoms = np.asarray(geoms, dtype=object)
    thresholds = sorted(float(t) for t in exact_at_m)
    if max_m is None:
        max_m = max(thresholds) if thresholds else float(np.hypot(grid.width, grid.height) * grid.res_m)
    res = grid.res_m
    if len(geoms) == 0:
        return np.full(grid.shape, np.inf, dtype=np.float32)
    halo = int(math.ceil(max_m / res)) + 2
    # features beyond the grid but within max_m still count: pad the feature raster
    gx0, gy0, gx1, gy1 = grid.bounds
    fx0, fy0, fx1, fy1 = shapely.total_bounds(geoms)
    pad = halo if (fx0 < gx0 or fy0 < gy0 or fx1 > gx1 or fy1 > gy1) else 0
    big = grid.padded(pad)
    features = _touched(big, geoms)
    dist = np.empty(grid.shape, dtype=np.float32)
    strip = max(1, _EDT_STRIP_CELLS // max(big.width, 1) - 2 * halo)
    for r0 in range(0, grid.height, strip):
        r1 = min(grid.height, r0 + strip)
        w0, w1 = max(0, r0 + pad - halo), min(big.height, r1 + pad + halo)
        window = features[w0:w1]
        if not window.any():
            dist[r0:r1] = np.inf
            continue
        dist[r0:r1] = _edt_rows(window, r0 + pad - w0, r1 + pad - w0, pad, pad + grid.width, res)
    del features
    if thresholds:
        _exact_near(grid, dist, geoms, thresholds)
    return dist


def _edt_rows(features: np.ndarray, a: int, b: int, c0: int, c1: int, res: float) -> np.ndarray:
    """Euclidean distance [m] (float32) of rows a:b, columns c0:c1 of ``features``' grid to the nearest
    True cell. Uses the feature transform (int32 indices) and float32 arithmetic: about a third of
    the memory of ``distance_transform_edt(..., return_distances=True)``."""
    ft = ndimage.distance_transform_edt(~features, return_distances=False, return_indices=True)
    out = np.empty((b - a, c1 - c0), dtype=np.float32)
    cols = np.arange(c0, c1, dtype=np.int32)
    step = max(1, 2_000_000 // max(1, c1 - c0))
    for s in range(a, b, step):
        e = min(b, s + step)
        dr = (ft[0, s:e, c0:c1] - np.arange(s, e, dtype=np.int32)[:, None]).astype(np.float32)
        dc = (ft[1, s:e, c0:c1] - cols[None, :]).astype(np.float32)
        np.sqrt(dr * dr + dc * dc, out=out[s - a:e - a])
    out *= np.float32(res)
    return out


def _exact_near(grid: Grid, dist: np.ndarray, geoms: np.ndarray, thresholds: list[float]) -> None:
    """Replace raster distances within 0.75 cell of a threshold by exact ones (in place)."""
    band = 0.75 * grid.res_m  # the transform's error is at most res/sqrt(2)
    near = np.zeros(grid.shape, dtype=bool)
    for t in thresholds:
        near |= np.abs(dist - np.float32(t)) <= np.float32(band)
    rows, cols = np.nonzero(near)
    del near
    if len(rows) == 0:
        return
    x, y = grid.centers(rows, cols)
    tree = shapely.STRtree(geoms)
    exact = np.full(len(rows), np.inf)
    chunk = 500_000
    for s in range(0, len(rows), chunk):
        pts = shapely.points(x[s:s + chunk], y[s:s + chunk])
        (idx_in, _), d = tree.query_nearest(pts, max_distance=max(thresholds) + 2 * band, return_distance=True,
                                            all_matches=False)
        exact[s + idx_in] = d
    d32 = exact.astype(np.float32)
    for t in thresholds:  # float32 rounding must not flip a comparison with a threshold
        t32 = np.float32(t)
        d32 = np.where((exact > t) & (d32 <= t32), np.nextafter(t32, np.float32(np.inf)), d32)
        d32 = np.where((exact <= t) & (d32 > t32), t32, d32)
    dist[rows, cols] = d32
