"""Listed buildings (Kulturdenkmale): points on buildings of the old cores (EPSG:25833).

Calibration: Saxony's monument list holds about 101,000 Baudenkmale (SMR,
bauen-wohnen.sachsen.de "Denkmale", retrieved 2026-11) for about 4.04 million inhabitants
(Statistisches Landesamt Sachsen, 31 December 2021): about 25 per 1,000 inhabitants. Each
municipality gets that many per its population; more than 80 % of Saxony's monuments are
residential buildings of every kind, from farmhouses to town houses. They are drawn without
replacement among its main buildings (no garages, outbuildings or industrial halls), weighted by
``exp(-d / CORE_SCALE_M)`` with ``d`` the distance to the centre of the building's Ortsteil (the
mean of its buildings), and the main town counts ``MAIN_TOWN_WEIGHT`` times: the old town
centres and village cores, where the listed buildings of the county stand. One point per listed
building, on its footprint. Seeded per municipality; marked synthetic in the catalog.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.context import Region
from potenzial.synth.io import rng_for

MONUMENTS_SAXONY = 101_000  #: Baudenkmale in Saxony's list (SMR, bauen-wohnen.sachsen.de)
POPULATION_SAXONY = 4_043_002  #: inhabitants, 31 December 2021 (Statistisches Landesamt Sachsen)
CORE_SCALE_M = 250.0  #: distance to the Ortsteil centre at which the weight falls to 1/e [m]
MAIN_TOWN_WEIGHT = 2.0  #: the main town's old centre holds more monuments per building
NOT_LISTED = ("garage", "outbuilding", "industrial")
COLUMNS = ["monument_id", "ags", "ortsteil", "kind"]


def monuments_per_inhabitant() -> float:
    """Saxony's Baudenkmale per inhabitant (≈ 0.025)."""
    return MONUMENTS_SAXONY / POPULATION_SAXONY


def build(region: Region, buildings: gpd.GeoDataFrame, seed: int) -> gpd.GeoDataFrame:
    """One point per listed building (see the module docstring)."""
    parts = []
    for muni in region.municipalities:
        own = buildings[(buildings["ags"] == muni.ags) & ~buildings["function"].isin(NOT_LISTED)]
        wanted = min(int(round(muni.stat("population_2021") * monuments_per_inhabitant())), len(own))
        if wanted == 0:
            continue
        centre = shapely.centroid(np.asarray(own.geometry.values, dtype=object))
        x, y = shapely.get_x(centre), shapely.get_y(centre)
        frame = pd.DataFrame({"o": own["ortsteil"].astype(str).to_numpy(), "x": x, "y": y})
        mean = frame.groupby("o")[["x", "y"]].transform("mean")
        distance = np.hypot(x - mean["x"].to_numpy(), y - mean["y"].to_numpy())
        weight = np.exp(-distance / CORE_SCALE_M) * np.where(frame["o"] == muni.main, MAIN_TOWN_WEIGHT, 1.0)
        # weighted draw without replacement: the largest log(w) + Gumbel keys (Efraimidis–Spirakis)
        rng = rng_for(seed, "listed_buildings", muni.ags)
        keys = np.log(weight) + rng.gumbel(size=len(weight))
        chosen = np.sort(np.argsort(-keys, kind="stable")[:wanted])
        points = shapely.point_on_surface(np.asarray(own.geometry.values, dtype=object)[chosen])
        parts.append(pd.DataFrame({
            "monument_id": [f"{muni.ags}-D{k:05d}" for k in range(1, wanted + 1)], "ags": muni.ags,
            "ortsteil": frame["o"].to_numpy()[chosen], "kind": "building", "geometry": points}))
    if not parts:
        return gpd.GeoDataFrame({c: [] for c in COLUMNS}, geometry=gpd.GeoSeries([], crs=ANALYSIS_CRS),
                                crs=ANALYSIS_CRS)
    table = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(table[COLUMNS], geometry=table["geometry"].to_numpy(), crs=ANALYSIS_CRS)
