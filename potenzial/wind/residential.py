"""Residential buildings classified for the SächsBO §84 (2) setback.

§ 84 Abs. 2 SächsBO (Viertes Gesetz zur Änderung der SächsBO vom 1. Juni 2022, SächsGVBl.
S. 366): a wind turbine is privileged only if its mast-foot centre keeps 1,000 m from

1. residential buildings in the area of a Bebauungsplan (§ 30 BauGB) where dwellings are not
   only exceptionally allowed (here: plans whose ``use`` is one of ``plan_uses_with_housing``),
2. residential buildings inside built-up areas (§ 34 BauGB, the ``builtup_areas`` layer),
3. lawful residential development in the outer area (Außenbereich) of at least five
   residential buildings.

Class 4 are the remaining outer-area dwellings (single farmsteads, pairs …): they get their own,
switchable setback (noise), see the rule set. "Group" (class 3) is single-linkage: outer-area
residential buildings whose footprints are at most ``group_distance_m`` apart belong to one
group; a group of ``group_min_buildings`` or more is class 3. Class is decided by the building's
representative point (inside a plan / a built-up area).

§ 84 Abs. 2 SächsBO also counts residential buildings that *may* be built ("zulässigerweise
errichtet werden können"): buildable but still empty plots (``plots``) in plans with housing are
class 1, in built-up areas class 2, each with its plot polygon as the footprint; a plot in neither
cannot be built under §§ 30, 34 BauGB and is left out.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from potenzial.crs import require_metric
from potenzial.errors import InputDataError

IN_PLAN, BUILT_UP, OUTER_GROUP, OUTER_SINGLE = 1, 2, 3, 4
CLASS_NAMES = {IN_PLAN: "bebauungsplan_s30", BUILT_UP: "innenbereich_s34", OUTER_GROUP: "aussenbereich_gruppe",
               OUTER_SINGLE: "aussenbereich_einzeln"}


def classify_residential(buildings: gpd.GeoDataFrame, builtup_areas: gpd.GeoDataFrame,
                         development_plans: gpd.GeoDataFrame, *, residential_use: str = "residential",
                         plan_uses_with_housing: Sequence[str] = ("residential", "mixed"),
                         group_distance_m: float = 100.0, group_min_buildings: int = 5,
                         plots: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """The residential buildings with ``sachsbo84_class`` (1–4) and ``group_size``.

    ``group_size`` is the size of the outer-area group (0 for classes 1 and 2). With ``plots``
    (empty buildable plots), the plots inside a plan with housing (class 1) or a built-up area
    (class 2) follow the buildings, with ``use`` = ``residential_use`` and ``group_size`` 0.
    """
    for frame, name in ((buildings, "buildings"), (builtup_areas, "builtup_areas"),
                        (development_plans, "development_plans")):
        require_metric(frame.crs, name)
    if "use" not in buildings.columns:
        raise InputDataError("buildings: no `use` column; map the building use with fields = { use = \"…\" } "
                             "in the catalog entry.")
    residential = buildings[buildings["use"].astype(str) == residential_use]
    if residential.empty:
        found = ", ".join(sorted(map(str, buildings["use"].dropna().unique()))[:10])
        raise InputDataError(f"buildings: no building has use = {residential_use!r} (found: {found}). Map your "
                             "building use codes to 'residential' or set residential_use in [wind].")
    residential = residential[~(residential.geometry.isna() | residential.geometry.is_empty)]
    geoms = np.asarray(residential.geometry.values, dtype=object)
    points = shapely.point_on_surface(geoms)

    in_plan = np.zeros(len(geoms), dtype=bool)
    if "use" in development_plans.columns:
        plans = development_plans[development_plans["use"].astype(str).isin(list(plan_uses_with_housing))]
    else:
        plans = development_plans
    in_plan = _inside_any(points, plans)
    in_builtup = _inside_any(points, builtup_areas) & ~in_plan
    outer = ~(in_plan | in_builtup)

    group_size = np.zeros(len(geoms), dtype=np.int64)
    idx = np.flatnonzero(outer)
    if len(idx):
        group_size[idx] = _group_sizes(geoms[idx], group_distance_m)
    cls = np.where(in_plan, IN_PLAN, np.where(in_builtup, BUILT_UP,
                   np.where(group_size >= group_min_buildings, OUTER_GROUP, OUTER_SINGLE)))
    out = residential.drop(columns=[c for c in ("sachsbo84_class", "group_size") if c in residential.columns])
    out = out.assign(sachsbo84_class=cls.astype(np.int64), group_size=group_size)
    if plots is not None and len(plots):
        out = _with_plots(out, plots, plans, builtup_areas, residential_use)
    return out


def _with_plots(residential: gpd.GeoDataFrame, plots: gpd.GeoDataFrame, plans: gpd.GeoDataFrame,
                builtup_areas: gpd.GeoDataFrame, residential_use: str) -> gpd.GeoDataFrame:
    """The residential buildings followed by the buildable plots of classes 1 and 2."""
    require_metric(plots.crs, "residential_plots")
    plots = plots.to_crs(residential.crs) if residential.crs is not None else plots
    plots = plots[~(plots.geometry.isna() | plots.geometry.is_empty)]
    points = shapely.point_on_surface(np.asarray(plots.geometry.values, dtype=object))
    in_plan = _inside_any(points, plans)
    in_builtup = _inside_any(points, builtup_areas) & ~in_plan
    keep = in_plan | in_builtup
    cls = np.where(in_plan, IN_PLAN, BUILT_UP)[keep].astype(np.int64)
    extra = gpd.GeoDataFrame({"use": residential_use, "sachsbo84_class": cls,
                              "group_size": np.zeros(len(cls), dtype=np.int64)},
                             geometry=plots.geometry.values[keep], crs=residential.crs)
    if extra.geometry.name != residential.geometry.name:
        extra = extra.rename_geometry(residential.geometry.name)
    return gpd.GeoDataFrame(pd.concat([residential, extra], ignore_index=True), geometry="geometry",
                            crs=residential.crs)


def _inside_any(points: np.ndarray, polygons: gpd.GeoDataFrame) -> np.ndarray:
    if len(polygons) == 0 or len(points) == 0:
        return np.zeros(len(points), dtype=bool)
    polys = np.asarray(polygons.geometry.values, dtype=object)
    polys = polys[~(shapely.is_missing(polys) | shapely.is_empty(polys))]
    tree = shapely.STRtree(polys)
    hit, _ = tree.query(points, predicate="intersects")
    out = np.zeros(len(points), dtype=bool)
    out[np.unique(hit)] = True
    return out


def _group_sizes(geoms: np.ndarray, distance_m: float) -> np.ndarray:
    """Size of each building's single-linkage group (footprints <= distance_m apart)."""
    n = len(geoms)
    tree = shapely.STRtree(geoms)
    a, b = tree.query(geoms, predicate="dwithin", distance=distance_m)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    return sizes[labels]
