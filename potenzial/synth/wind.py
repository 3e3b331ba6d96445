"""Synthetic mean wind speed at 150 m above ground [m/s] on a 100 m grid (EPSG:25833).

A smooth field around 6.2 m/s: faster on high and exposed ground (terrain), slower over
forest and settlements (roughness, from the synthetic land cover, smoothed over ~400 m),
a little faster over open water, plus a weak regional noise. A soft limiter keeps the
values inside 5.55–6.95 m/s, a plausible range for the county at 150 m (not calibrated
against a wind atlas: no wind grid was available, see data/SOURCES.md).
"""

from __future__ import annotations

import numpy as np
from rasterio.transform import Affine
from scipy import ndimage

from potenzial.synth.io import seed_key
from potenzial.synth.landcover import FOREST, SETTLE, WATER
from potenzial.synth.noise import lattice_noise
from potenzial.synth.terrain import grid

CELL_M = 100.0
MEAN_MS, HALF_RANGE_MS = 6.25, 0.70     #: centre and half-width of the soft limiter [m/s]


def _blocks(arr: np.ndarray, factor: int) -> np.ndarray:
    ny, nx = arr.shape[0] // factor, arr.shape[1] // factor
    return arr[: ny * factor, : nx * factor].reshape(ny, factor, nx, factor).mean(axis=(1, 3))


def speed(region, terrain: np.ndarray, terrain_cell_m: float, classes: np.ndarray, class_cell_m: float,
          seed: int) -> tuple[np.ndarray, Affine]:
    """Wind speed [m/s] (float32) at 150 m and its transform."""
    tr, xs, ys = grid(region.bounds, CELL_M)
    shape = (len(ys), len(xs))
    z = _blocks(terrain.astype(float), int(round(CELL_M / terrain_cell_m)))[: shape[0], : shape[1]]
    known = _blocks((classes > 0).astype(float), int(round(CELL_M / class_cell_m)))[: shape[0], : shape[1]]
    frac = {}
    for code in (FOREST, SETTLE, WATER):
        f = _blocks((classes == code).astype(float), int(round(CELL_M / class_cell_m)))[: shape[0], : shape[1]]
        mean = f.sum() / max(known.sum(), 1.0)
        f = f + (1.0 - known) * mean            # outside the municipalities: the regional mean
        frac[code] = ndimage.gaussian_filter(f, 4.0)
    z_local = ndimage.gaussian_filter(z, 10.0)
    z_region = ndimage.gaussian_filter(z, 40.0)
    raw = (6.15 + 0.0065 * (z_local - 150.0) + 0.004 * (z_local - z_region)
           - 0.55 * frac[FOREST] - 0.40 * frac[SETTLE] + 0.15 * frac[WATER]
           + 0.08 * lattice_noise(seed_key(seed, "wind_speed_150m"), xs, ys, 20_000.0))
    v = MEAN_MS + HALF_RANGE_MS * np.tanh((raw - MEAN_MS) / HALF_RANGE_MS)
    return v.astype(np.float32), tr
