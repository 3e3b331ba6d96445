"""Synthetic soil quality: Ackerzahl (arable land value of the German soil appraisal, 7–100) as polygons.

The county falls from the loess plains and hills of the south and south-west (Leipziger
Lößgefilde, Altenburger–Zeitzer Lößhügelland: Pegau, Groitzsch, Zwenkau, Frohburg, Geithain,
Ackerzahl about 65–80) to the sandy north-east (Wurzen, Lossatal, Thallwitz, Machern: about
30–45); the Mulde floodplain lies in between, the rehabilitated mine dumps far below (about 25).
Here: a ramp from the north-east to the south-west plus seeded smooth noise of ±8, dumps set to
25, on a 250 m grid, in steps of 5, polygonised. Aimed at a mean of about 55 for the county's
land (*check* against the Bodenschätzung of the Saxon Landesamt; the Saxon state mean is about 50).
Covers all land; analyses intersect it with farmland.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import rasterio.features
import shapely
from rasterio.transform import from_origin

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.io import seed_key
from potenzial.synth.noise import lattice_noise
from potenzial.synth.places import lonlat_to_xy

CELL_M = 250.0
NORTH_EAST = (12.80, 51.42)   #: sandy end of the ramp (Hohburger Berge / Lossatal)
SOUTH_WEST = (12.25, 51.10)   #: loess end of the ramp (Groitzsch / Pegau)
RAMP = (35.0, 78.0)           #: Ackerzahl at the two ends
NOISE_AMPLITUDE = 8.0
DUMP_VALUE = 25
STEP = 5


def build(region, dumps: list, seed: int) -> gpd.GeoDataFrame:
    xmin, ymin, xmax, ymax = region.bounds
    width, height = int(round((xmax - xmin) / CELL_M)), int(round((ymax - ymin) / CELL_M))
    transform = from_origin(xmin, ymax, CELL_M, CELL_M)
    xs = xmin + (np.arange(width) + 0.5) * CELL_M
    ys = ymax - (np.arange(height) + 0.5) * CELL_M
    gx, gy = np.meshgrid(xs, ys)
    a, b = np.array(lonlat_to_xy(*NORTH_EAST)), np.array(lonlat_to_xy(*SOUTH_WEST))
    d = b - a
    t = np.clip(((gx - a[0]) * d[0] + (gy - a[1]) * d[1]) / (d @ d), 0.0, 1.0)
    value = RAMP[0] + (RAMP[1] - RAMP[0]) * t
    noise = lattice_noise(seed_key(seed, "soil_quality"), xs, ys, 4000.0)
    value = value + NOISE_AMPLITUDE * np.clip(noise, -1.5, 1.5) / 1.5
    if dumps:
        on_dump = rasterio.features.rasterize([(g, 1) for g in dumps], out_shape=(height, width),
                                              transform=transform, fill=0, dtype="uint8").astype(bool)
        value[on_dump] = DUMP_VALUE
    classes = (np.clip(np.round(value / STEP) * STEP, 10, 100)).astype(np.int32)
    inside = rasterio.features.rasterize([(region.union, 1)], out_shape=(height, width), transform=transform,
                                         fill=0, dtype="uint8").astype(bool)
    rows: dict[int, list] = {}
    for geom, v in rasterio.features.shapes(classes, mask=inside, transform=transform, connectivity=4):
        rows.setdefault(int(v), []).append(shapely.geometry.shape(geom))
    out = [{"ackerzahl": v, "geometry": shapely.union_all(parts)} for v, parts in sorted(rows.items())]
    return gpd.GeoDataFrame(out, columns=["ackerzahl", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)
