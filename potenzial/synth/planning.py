"""Synthetic planning layers: regional-plan priority areas, designated wind areas, empty building plots.

- ``regional_plan_areas`` (polygons, ``kind`` raw_materials | flood | nature): priority areas
  (Vorranggebiete) of the regional plan for uses other than wind. Raw materials: the porphyry
  quarries of the Hohburger Berge, Beucha and Ammelshain and gravel pits along the Mulde (about
  1 % of the county); flood: the HQ100 floodplains widened by 150 m (the regional plan secures
  more than the statutory flood area); nature: the NSG widened by 200 m (buffer zones and linking
  corridors, about 3 % of the county). Places are real, outlines invented.
- ``wind_energy_areas`` (polygons, ``name``): designated wind areas (Vorranggebiete Windenergie,
  Windenergiegebiete § 2 Nr. 1 WindBG). Ten areas of 40–70 ha on farmland where the nearest
  dwelling is 700–1,100 m away, at least 4 km apart: about 0.3 % of the county (aimed at: the
  issue's comparison puts today's designated area at about a twentieth of a 6.5 % eligible
  share; *check* against the Regionalplan Leipzig-Westsachsen 2021).
- ``residential_plots`` (polygons, ``plot_id``, ``ags``): buildable but still empty plots
  (Baulücken) at the edges of the built-up areas and residential plans, 25 × 30 m, about one per
  50 residential buildings (2 %; *check* against a municipal Baulückenkataster).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.infrastructure import Corridor
from potenzial.synth.io import rng_for
from potenzial.synth.places import lonlat_to_xy
from potenzial.synth.shapes import blob, polygonal
from potenzial.units import M2_PER_HA

#: (name, lon, lat, area [ha]) of raw-material priority areas
QUARRIES = [("Porphyrabbau Hohburger Berge", 12.815, 51.405, 250.0), ("Steinbruch Beucha", 12.575, 51.318, 90.0),
            ("Steinbruch Ammelshain", 12.640, 51.292, 120.0)]
GRAVEL_PITS = 9            #: gravel pits along the Mulde
GRAVEL_HA = (60.0, 160.0)
FLOOD_WIDENING_M = 150.0
NATURE_WIDENING_M = 200.0
WIND_AREAS = 10
WIND_AREA_HA = (40.0, 70.0)
WIND_DWELLING_DISTANCE_M = (700.0, 1100.0)
WIND_SPACING_M = 4000.0
PLOT_SHARE = 0.02          #: empty plots per residential building
PLOT_SIZE_M = (25.0, 30.0)


def build_priority_areas(region, corridors: list[Corridor], flood: gpd.GeoDataFrame,
                         protected: gpd.GeoDataFrame, seed: int) -> gpd.GeoDataFrame:
    union = region.union
    rows: list[tuple[str, str, shapely.Geometry]] = []
    for name, lon, lat, area_ha in QUARRIES:
        rng = rng_for(seed, "regional_plan_areas", name)
        rows.append(("raw_materials", name, blob(lonlat_to_xy(lon, lat), np.sqrt(area_ha * M2_PER_HA / np.pi), rng)))
    mulde = next((c.geom for c in corridors if c.name == "Mulde"), None)
    if mulde is not None:
        rng = rng_for(seed, "regional_plan_areas", "gravel")
        for k, t in enumerate(np.sort(rng.uniform(0.1, 0.9, GRAVEL_PITS))):
            p = mulde.interpolate(t, normalized=True)
            side = rng.choice([-1.0, 1.0]) * rng.uniform(600, 1500)
            rows.append(("raw_materials", f"Kiessand Muldeaue {k + 1}",
                         blob((p.x + side, p.y), np.sqrt(rng.uniform(*GRAVEL_HA) * M2_PER_HA / np.pi), rng)))
    if len(flood):
        rows.append(("flood", "Vorranggebiet Hochwasserschutz", _widened(flood.geometry.to_numpy(), FLOOD_WIDENING_M)))
    core = protected[protected["kind"] == "nsg"].geometry.to_numpy()
    if len(core):
        rows.append(("nature", "Vorranggebiet Natur und Landschaft", _widened(core, NATURE_WIDENING_M)))
    out = []
    for kind, name, raw in rows:
        geom = polygonal(shapely.intersection(shapely.make_valid(raw), union))
        if not geom.is_empty:
            out.append({"kind": kind, "name": name, "geometry": geom})
    return gpd.GeoDataFrame(out, columns=["kind", "name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)


def _widened(geoms, distance_m: float) -> shapely.Geometry:
    """The union of ``geoms`` grown by ``distance_m`` [m] (simplified to 5 m first: buffering the
    detailed outlines one union at a time takes seconds, and a stand-in needs no metre)."""
    return shapely.union_all(shapely.buffer(shapely.simplify(geoms, 5.0), distance_m, quad_segs=4))


def build_wind_areas(region, landcover: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, seed: int
                     ) -> gpd.GeoDataFrame:
    """Designated wind areas on arable land at a plausible distance from the nearest dwelling."""
    rng = rng_for(seed, "wind_energy_areas")
    arable = landcover[landcover["class"] == "arable"].geometry.to_numpy()
    arable = arable[np.argsort(-shapely.area(arable))][:400]
    homes = shapely.centroid(buildings[buildings["use"] == "residential"].geometry.to_numpy())
    tree = shapely.STRtree(homes)
    cand = np.array([shapely.point_on_surface(g).coords[0] for g in arable])
    cand = cand[rng.permutation(len(cand))]
    _, dist = tree.query_nearest(shapely.points(cand), return_distance=True, all_matches=False)
    low, high = WIND_DWELLING_DISTANCE_M
    rows: list[dict] = []
    chosen: list[tuple[float, float]] = []
    for (x, y), d in zip(cand, dist, strict=True):
        if not low <= d <= high or any(np.hypot(x - cx, y - cy) < WIND_SPACING_M for cx, cy in chosen):
            continue
        chosen.append((x, y))
        shape = blob((x, y), np.sqrt(rng.uniform(*WIND_AREA_HA) * M2_PER_HA / np.pi), rng, roughness=0.3,
                     aspect=rng.uniform(1.0, 1.8))
        geom = polygonal(shapely.intersection(shape, region.union))
        if not geom.is_empty:
            rows.append({"name": f"Vorranggebiet Windenergie {len(rows) + 1:02d} (synthetisch)", "geometry": geom})
        if len(rows) == WIND_AREAS:
            break
    return gpd.GeoDataFrame(rows, columns=["name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)


def build_plots(region, builtup: gpd.GeoDataFrame, plans: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame,
                seed: int) -> gpd.GeoDataFrame:
    """Empty plots just inside the edges of the built-up areas and residential plans."""
    housing = plans[plans["use"].isin(["residential", "mixed"])]
    areas = gpd.GeoDataFrame(pd.concat([f[["ags", "geometry"]] for f in (builtup, housing)], ignore_index=True),
                             geometry="geometry", crs=ANALYSIS_CRS)
    footprints = buildings.geometry.to_numpy()
    tree = shapely.STRtree(footprints)
    n_res = int((buildings["use"] == "residential").sum())
    n_wanted = int(round(PLOT_SHARE * n_res))
    perimeter = shapely.length(areas.geometry.to_numpy())
    rng = rng_for(seed, "residential_plots")
    picks = rng.choice(len(areas), size=3 * n_wanted, p=perimeter / perimeter.sum())
    w, h = PLOT_SIZE_M
    rows: list[dict] = []
    for i in picks:
        geom, ags = areas.geometry.iat[i], areas["ags"].iat[i]
        edge = geom.boundary.interpolate(rng.uniform(0, 1), normalized=True)
        inner = shapely.buffer(geom, -(h / 2 + 5.0))
        if inner.is_empty:
            continue
        p = inner.boundary.interpolate(inner.boundary.project(edge))
        plot = shapely.box(p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2)
        if len(tree.query(plot, predicate="dwithin", distance=3.0)) or not geom.contains(plot):
            continue
        if any(plot.intersects(r["geometry"]) for r in rows[-20:]):
            continue
        rows.append({"plot_id": f"{ags}-P{len(rows) + 1:05d}", "ags": ags, "geometry": plot})
        if len(rows) == n_wanted:
            break
    return gpd.GeoDataFrame(rows, columns=["plot_id", "ags", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)

