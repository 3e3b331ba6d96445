"""Synthetic less-favoured areas ("benachteiligte Gebiete"; polygons, EPSG:25833).

Most of the hilly south-east (Kohrener Land, Frohburg, Geithain) and parts of its
neighbours and of the sandy north-east (Hohburger Berge). A partial area is the part of the
municipality beyond a wavy line across a given direction, placed (bisection) so that the
given share of the municipality's area lies beyond it. The polygons cover all land of that
part; analyses intersect them with arable land and grassland.

Calibration: no per-municipality or county figure of the Saxon area (Gebietskulisse 2018,
the basis of the PVFVO) was found, so the shares are calibrated to the state share: about
303,000 ha of farmland received the less-favoured-area allowance (Ausgleichszulage) in
2022 (SMEKUL, reported by dpa in December 2022: "Sachsen fördert standortbenachteiligte
Landwirte auch 2022", Die Welt) of 894,100 ha farmland (Landwirtschaftszählung 2020,
preliminary, Statistisches Landesamt Sachsen): 303,000 / 894,100 = 33.9 %, a lower bound
(not every farm in the area claims the allowance). The shares below
(the geographic pattern hand-set, then scaled by 0.92) put 33.8 % of the county's farmland
(Flächenerhebung ``area_ha_veg_agri``) inside the areas. *Check*: the county, mostly fertile
loess, probably lies below the state share, since the large contiguous areas SMEKUL names
(Erzgebirge and its foreland, north-west and north-east Saxony, Oberlausitz) lie mostly
outside it; a real Gebietskulisse file replaces this stand-in.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.io import rng_for

#: ags -> (share of the municipality's area, direction the area lies in [degrees, 0 = east])
SHARES = {
    "14729140": (0.92, -60.0), "14729150": (0.92, -30.0), "14729080": (0.74, -30.0), "14729010": (0.55, -45.0),
    "14729220": (0.37, -30.0), "14729160": (0.32, -20.0), "14729245": (0.64, 40.0), "14729400": (0.37, 0.0),
    "14729380": (0.46, 60.0), "14729330": (0.28, -45.0), "14729360": (0.37, -90.0), "14729050": (0.23, -45.0),
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
