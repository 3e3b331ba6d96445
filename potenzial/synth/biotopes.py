"""Synthetic legally protected biotopes (§ 30 BNatSchG, § 21 SächsNatSchG; polygons, ``kind``).

Small patches where such biotopes are found: reeds and wet meadows at the shores of lakes and
rivers, floodplain and ravine forests at forest edges, dry grassland and hedgerows in the open
land. Each patch is a seeded blob of 0.3–4 ha. Aimed at: about 2 % of the county (the selective
biotope mapping of Saxony finds protected biotopes on a few per cent of the land, *check* the
LfULG figure for the county); the outlines are invented.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.birds import _edge_points
from potenzial.synth.io import rng_for
from potenzial.synth.shapes import blob, polygonal, random_points_in
from potenzial.units import M2_PER_HA

TARGET_SHARE = 0.02
#: kind -> (share of the patches, where: "water" | "forest" | "open")
KINDS = {"reed_wet_meadow": (0.35, "water"), "floodplain_forest": (0.25, "forest"),
         "dry_grassland": (0.2, "open"), "hedgerow": (0.2, "open")}
PATCH_HA = (0.3, 4.0)


def build(region, landcover: gpd.GeoDataFrame, seed: int) -> gpd.GeoDataFrame:
    union = region.union
    shapely.prepare(union)
    mean_ha = sum(PATCH_HA) / 2
    n_total = int(round(TARGET_SHARE * union.area / (mean_ha * M2_PER_HA)))
    by_class = {c: landcover.geometry[landcover["class"] == c].to_numpy() for c in ("water", "forest")}
    open_land = landcover.geometry[landcover["class"].isin(["arable", "grassland"])].to_numpy()
    rows = []
    for kind, (share, where) in KINDS.items():
        rng = rng_for(seed, "protected_biotopes", kind)
        n = int(round(share * n_total))
        if where == "open":
            cells = rng.choice(len(open_land), size=n, replace=True)
            pts = np.array([p for i in cells for p in random_points_in(open_land[i], 1, rng)]).reshape(-1, 2)
        else:
            pts = _edge_points(by_class[where], n, rng, union)
        for x, y in pts:
            radius = np.sqrt(rng.uniform(*PATCH_HA) * M2_PER_HA / np.pi)
            geom = polygonal(shapely.intersection(blob((x, y), radius, rng, roughness=0.4, aspect=rng.uniform(1, 2.5),
                                                       n=24), union))
            if not geom.is_empty:
                rows.append({"kind": kind, "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=["kind", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)
