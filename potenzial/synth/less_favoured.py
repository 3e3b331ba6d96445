"""Synthetic less-favoured areas ("benachteiligte Gebiete"; polygons, EPSG:25833).

Whole municipalities in the hilly south-east (Kohrener Land, Frohburg, Geithain) and parts
of their neighbours and of the sandy north-east (Hohburger Berge). A partial area is the
part of the municipality beyond a wavy line across a given direction, placed (bisection)
so that the given share of the municipality's area lies beyond it. The polygons cover all
land of that part; analyses intersect them with arable land and grassland.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.io import rng_for

#: ags -> (share of the municipality's area, direction the area lies in [degrees, 0 = east])
SHARES = {
    "14729140": (1.0, -60.0), "14729150": (1.0, -30.0), "14729080": (0.8, -30.0), "14729010": (0.6, -45.0),
    "14729220": (0.4, -30.0), "14729160": (0.35, -20.0), "14729245": (0.7, 40.0), "14729400": (0.4, 0.0),
    "14729380": (0.5, 60.0), "14729330": (0.3, -45.0), "14729360": (0.4, -90.0), "14729050": (0.25, -45.0),
}
REACH_M = 60_000.0


def _beyond(centre, direction: float, offset: float, wave: tuple[float, float, float]) -> shapely.Polygon:
    d = np.array([np.cos(np.radians(direction)), np.sin(np.radians(direction))])
    p = np.array([-d[1], d[0]])
    s = np.linspace(-REACH_M, REACH_M, 241)
    amp, wavelength, phase = wave
    reach = offset + amp * np.sin(2 * np.pi * s / wavelength + phase)
    edge = np.asarray(centre) + s[:, None] * p + reach[:, None] * d
    far = np.asarray(centre) + REACH_M * d
    return shapely.Polygon(np.vstack([edge, far + REACH_M * p, far - REACH_M * p]))


def build(region, seed: int) -> gpd.GeoDataFrame:
    """One polygon per listed municipality in the region, column ``name``."""
    rows = []
    for muni in region.municipalities:
        if muni.ags not in SHARES:
            continue
        share, direction = SHARES[muni.ags]
        geom = muni.geom
        if share < 1.0:
            rng = rng_for(seed, "less_favoured_areas", muni.ags)
            wave = (rng.uniform(200, 600), rng.uniform(3000, 7000), rng.uniform(0, 2 * np.pi))
            centre = shapely.centroid(geom).coords[0]
            lo, hi = -REACH_M / 2, REACH_M / 2
            for _ in range(30):
                mid = (lo + hi) / 2
                got = shapely.intersection(geom, _beyond(centre, direction, mid, wave)).area / muni.area_m2
                lo, hi = (mid, hi) if got > share else (lo, mid)
            geom = shapely.intersection(geom, _beyond(centre, direction, (lo + hi) / 2, wave))
        if not geom.is_empty:
            rows.append({"name": f"Benachteiligtes Gebiet {muni.name}", "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=["name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)
