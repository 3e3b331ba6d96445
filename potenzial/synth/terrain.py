"""Synthetic terrain: elevation above sea level [m] on a 25 m grid in EPSG:25833.

The Leipzig lowland (~110–120 m) in the north-west rises towards the Kohrener Land in the
south-east (~250–300 m); the Hohburger Berge stand out in the north-east. Smooth seeded
noise adds relief; the rivers cut valleys with flat floodplains (the Mulde deepest, up to
~50 m near Colditz); mining lakes and the open-cast mine lie lower, dumps higher. The grid
covers the region plus a 2 km margin and is aligned to the 100 m wind grid.
"""

from __future__ import annotations

import numpy as np
import rasterio.features
from rasterio.transform import Affine
from scipy import ndimage

from potenzial.synth.io import seed_key
from potenzial.synth.noise import fractal_noise, lattice_noise
from potenzial.synth.places import lonlat_to_xy, xy

CELL_M = 25.0
VALLEY_CELL_M = 100.0
LOW_M, RISE_M = 112.0, 150.0        #: elevation at Leipzig, rise to the Kohrener Land [m]
#: (lon, lat, height [m], radius [m]) of hills added to the trend
HILLS = [(12.800, 51.410, 95.0, 2200.0), (12.880, 51.180, 35.0, 5000.0), (12.600, 51.010, 55.0, 4500.0),
         (12.700, 51.080, 25.0, 3000.0)]
#: river -> (depth factor, extra depth [m], floor half-width [m], slope width [m])
VALLEYS = {"Mulde": (0.45, 8.0, 350.0, 600.0), "Freiberger Mulde": (0.4, 6.0, 200.0, 500.0),
           "Weiße Elster": (0.25, 4.0, 500.0, 800.0), "Pleiße": (0.25, 4.0, 300.0, 800.0),
           "Parthe": (0.2, 3.0, 150.0, 400.0), "Wyhra": (0.2, 3.0, 150.0, 400.0)}


def grid(bounds, cell_m: float) -> tuple[Affine, np.ndarray, np.ndarray]:
    """Transform and cell-centre coordinates [m] of the region lattice at ``cell_m``."""
    xmin, ymin, xmax, ymax = bounds
    nx, ny = int(round((xmax - xmin) / cell_m)), int(round((ymax - ymin) / cell_m))
    xs = xmin + (np.arange(nx) + 0.5) * cell_m
    ys = ymax - (np.arange(ny) + 0.5) * cell_m
    return Affine(cell_m, 0, xmin, 0, -cell_m, ymax), xs, ys


def _trend(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    p0, p1 = np.array(xy("Leipzig")), np.array(xy("Kohren-Sahlis"))
    d = p1 - p0
    t = ((xs[None, :] - p0[0]) * d[0] + (ys[:, None] - p0[1]) * d[1]) / (d @ d)
    t = np.clip(t, -0.08, 1.3)
    z = LOW_M + RISE_M * np.sign(t) * np.abs(t) ** 1.15
    for lon, lat, height, radius in HILLS:
        hx, hy = lonlat_to_xy(lon, lat)
        z += height * np.exp(-(((xs[None, :] - hx) ** 2 + (ys[:, None] - hy) ** 2) / (2 * radius**2)))
    return z


def elevation(region, corridors, mining, seed: int) -> tuple[np.ndarray, Affine]:
    """Elevation [m a.s.l.] (float32) and its transform."""
    tr, xs, ys = grid(region.bounds, CELL_M)
    key = seed_key(seed, "terrain")
    z = _trend(xs, ys)
    z += 10.0 * fractal_noise(key, xs, ys, 8000.0, octaves=3) + 2.5 * lattice_noise(key + 1, xs, ys, 1200.0)
    # valleys on a 100 m grid, upsampled
    vtr, vxs, vys = grid(region.bounds, VALLEY_CELL_M)
    base = _trend(vxs, vys)
    cut = np.zeros((len(vys), len(vxs)))
    for name, (factor, extra, floor_m, slope_m) in VALLEYS.items():
        lines = [c.geom for c in corridors if c.kind == "river" and c.name == name]
        if not lines:
            continue
        mask = rasterio.features.rasterize(lines, out_shape=cut.shape, transform=vtr, all_touched=True) > 0
        dist = ndimage.distance_transform_edt(~mask) * VALLEY_CELL_M
        prof = np.where(dist <= floor_m, 1.0, np.exp(-(((dist - floor_m) / slope_m) ** 2)))
        cut = np.maximum(cut, (factor * np.maximum(base - 100.0, 0.0) + extra) * prof)
    z -= ndimage.zoom(cut, VALLEY_CELL_M / CELL_M, order=1, grid_mode=True, mode="nearest")[: len(ys), : len(xs)]
    for kinds, change, sigma in ((("lake",), -15.0, 2.0), (("active_mine",), -45.0, 3.0), (("dump",), 18.0, 8.0)):
        geoms = [f.geom for f in mining if f.kind in kinds]
        if geoms:
            mask = rasterio.features.rasterize(geoms, out_shape=z.shape, transform=tr).astype(float)
            z += change * ndimage.gaussian_filter(mask, sigma)
    return z.astype(np.float32), tr
