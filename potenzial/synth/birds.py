"""Synthetic breeding sites of collision-sensitive birds (points, ``species``; § 45b BNatSchG Annex 1).

Placed where each species breeds: red kites in trees at forest edges next to open farmland,
black kites at the edges of water (floodplain forests), white storks on roofs inside the villages,
white-tailed eagles at the large lakes and fish ponds, ospreys and peregrines on pylons of the
high-voltage lines (peregrines also at the Lippendorf power station). The numbers are densities
assumed for lowland Saxony, not counts: red kite about 5.5 pairs per 100 km² (Germany holds about
half the world population, 12,000–18,000 pairs on 357,000 km², *check* against the Saxon breeding
bird atlas), the rest a few dozen or a handful per county. Real sites come from the LfULG species
database (Artdatenbank) through the catalog.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.io import rng_for
from potenzial.synth.places import lonlat_to_xy
from potenzial.units import M2_PER_HA

#: species -> pairs per 100 km² of the county's area
DENSITY_PER_100_KM2 = {"red_kite": 5.5, "black_kite": 1.8, "white_stork": 1.8, "white_tailed_eagle": 0.25,
                       "osprey": 0.3, "peregrine_falcon": 0.12}
LIPPENDORF = (12.372, 51.179)  #: lon, lat of the power station (peregrine nest box)
LARGE_WATER_HA = 50.0


def _edge_points(geoms, n: int, rng: np.random.Generator, within) -> np.ndarray:
    """``n`` points on the boundaries of ``geoms`` inside ``within`` (weighted by boundary length)."""
    rings = [g.boundary for g in geoms if not g.is_empty]
    if not rings or n <= 0:
        return np.zeros((0, 2))
    lengths = np.array([r.length for r in rings])
    pick = rng.choice(len(rings), size=4 * n, p=lengths / lengths.sum())
    pts = np.array([rings[i].interpolate(rng.uniform(0, 1), normalized=True).coords[0] for i in pick])
    inside = shapely.contains_xy(within, pts[:, 0], pts[:, 1])
    return pts[inside][:n]


def build(region, landcover: gpd.GeoDataFrame, builtup: gpd.GeoDataFrame, power_lines: gpd.GeoDataFrame,
          seed: int) -> gpd.GeoDataFrame:
    area_100_km2 = region.union.area / 1e8
    within = region.union
    shapely.prepare(within)
    count = {s: int(round(d * area_100_km2)) for s, d in DENSITY_PER_100_KM2.items()}
    forest = landcover.geometry[landcover["class"] == "forest"].to_numpy()
    water = landcover.geometry[landcover["class"] == "water"].to_numpy()
    large_water = [g for g in water if g.area >= LARGE_WATER_HA * M2_PER_HA]
    lines = [g for g in power_lines.geometry.to_numpy() if not g.is_empty]
    pts: dict[str, np.ndarray] = {}
    pts["red_kite"] = _edge_points(forest, count["red_kite"], rng_for(seed, "birds", "red_kite"), within)
    pts["black_kite"] = _edge_points(water, count["black_kite"], rng_for(seed, "birds", "black_kite"), within)
    rng = rng_for(seed, "birds", "white_stork")
    villages = builtup.geometry.to_numpy()
    chosen = rng.choice(len(villages), size=min(count["white_stork"], len(villages)), replace=False)
    pts["white_stork"] = np.array([shapely.point_on_surface(villages[i]).coords[0] for i in sorted(chosen)])
    pts["white_tailed_eagle"] = _edge_points(large_water, count["white_tailed_eagle"],
                                             rng_for(seed, "birds", "white_tailed_eagle"), within)
    on_lines = _edge_points([shapely.buffer(g, 1.0) for g in lines], count["osprey"] + count["peregrine_falcon"],
                            rng_for(seed, "birds", "pylons"), within)
    pts["osprey"] = on_lines[:count["osprey"]]
    pts["peregrine_falcon"] = np.vstack([[lonlat_to_xy(*LIPPENDORF)], on_lines[count["osprey"]:]])[
        :max(1, count["peregrine_falcon"])]
    rows = []
    for species, xy in pts.items():
        for k, (x, y) in enumerate(np.asarray(xy).reshape(-1, 2)):
            rows.append({"species": species, "site_id": f"{species}-{k + 1:03d}", "geometry": shapely.Point(x, y)})
    return gpd.GeoDataFrame(rows, columns=["species", "site_id", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)
