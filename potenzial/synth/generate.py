"""Orchestration: settle every municipality, then build and write each synthetic layer.

Order of work (each step needs the ones before): traffic lines and rivers; per
municipality the settlement plan, the mining landscape and the settlements with their
buildings; land cover; protected and less-favoured areas; terrain; wind. Vectors go to
``<out_dir>/<id>.gpkg`` (layer ``<id>``), rasters to ``<out_dir>/<id>.tif``, all EPSG:25833.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth import (
    criteria,
    landcover,
    less_favoured,
    monuments,
    post_mining,
    protected,
    settlements,
    terrain,
    wind,
)
from potenzial.synth.context import Municipality, Region, build_region
from potenzial.synth.infrastructure import Corridor, build_lines
from potenzial.synth.io import write_raster, write_vector
from potenzial.synth.towns import Town, build_town
from potenzial.units import M2_PER_HA

BUILDING_COLUMNS = ["building_id", "ags", "use", "function", "floors", "height_m", "ortsteil"]
#: declared geometry type of each vector layer
GEOMETRY_TYPES = {"buildings": "Polygon", "roads": "LineString", "railways": "LineString",
                  "power_lines": "LineString", "landcover": "MultiPolygon", "builtup_areas": "MultiPolygon",
                  "development_plans": "MultiPolygon", "protected_areas": "MultiPolygon",
                  "less_favoured_areas": "MultiPolygon", "post_mining": "MultiPolygon",
                  "listed_buildings": "Point"}


def settle(muni: Municipality, corridors: list[Corridor], seed: int) -> tuple[list, Town]:
    """Mining features and settlements (with buildings) of one municipality."""
    total_m2 = muni.stat("area_ha_land_total") * M2_PER_HA
    scale = muni.area_m2 / total_m2 if total_m2 > 0 else 1.0
    settlement_m2 = muni.stat("area_ha_land_settlement") * M2_PER_HA * scale
    water_m2 = muni.stat("area_ha_water_total") * M2_PER_HA * scale
    plan = settlements.plan_municipality(muni, settlement_m2, post_mining.planned_mine_m2(muni.ags), seed)
    main = plan.clusters[0]
    keepout = post_mining.keepout_disc(settlements.main_anchor(muni, main.radius_m), main.radius_m + 300.0)
    mining = post_mining.for_municipality(muni, water_m2, keepout, corridors, seed)
    return mining, build_town(muni, plan, mining, corridors, seed)


def _frame(records: dict[str, list], columns: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: records[c] for c in columns}, geometry=list(records["geometry"]), crs=ANALYSIS_CRS)


def buildings_frame(region: Region, towns: dict[str, Town]) -> gpd.GeoDataFrame:
    parts = []
    for muni in region.municipalities:
        b = towns[muni.ags].buildings
        n = len(b["use"])
        parts.append(pd.DataFrame({
            "building_id": [f"{muni.ags}-{k:06d}" for k in range(1, n + 1)], "ags": muni.ags,
            "use": b["use"], "function": b["function"], "floors": b["floors"].astype(np.int32),
            "height_m": b["height_m"].astype(float), "ortsteil": b["ortsteil"],
            "geometry": shapely.orient_polygons(b["geometry"])}))
    table = pd.concat(parts, ignore_index=True)
    return gpd.GeoDataFrame(table[BUILDING_COLUMNS], geometry=table["geometry"].values, crs=ANALYSIS_CRS)


def _rows_frame(rows: list[dict], columns: list[str]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, columns=columns + ["geometry"], geometry="geometry", crs=ANALYSIS_CRS)


def landcover_layer(region: Region, corridors: list[Corridor], mining: dict, towns: dict,
                    seed: int) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Land-cover polygons and the region's 20 m class grid (0 outside the municipalities)."""
    grid = np.zeros(region.shape(landcover.CELL_M), dtype=np.uint8)
    frames = []
    for muni in region.municipalities:
        env = shapely.buffer(shapely.envelope(muni.geom), 200.0)
        rivers = [c for c in corridors if c.kind == "river" and shapely.intersects(c.geom, env)]
        town = towns[muni.ags]
        feats = mining[muni.ags]
        inputs = {
            "river_names": [c.name for c in rivers if shapely.intersects(c.geom, muni.geom)],
            "river_lines": [c.geom for c in rivers],
            "river_polys": [shapely.buffer(c.geom, c.width_m / 2, cap_style="flat") for c in rivers if c.width_m > 25],
            "lakes": [f.geom for f in feats if f.kind == "lake"],
            "mines": [f.geom for f in feats if f.kind == "active_mine"],
            "dumps": [f.geom for f in feats if f.kind == "dump"],
            "builtup": [g for _, g in town.builtup] + [g for _, _, g in town.plans],
            "main_builtup": [g for name, g in town.builtup if name == muni.main],
            "outer": town.outer_areas,
            "building_xy": shapely.get_coordinates(shapely.centroid(town.buildings["geometry"])),
            "network": {"street": town.streets, "connector": town.connectors},
        }
        for c in corridors:
            if c.kind in ("motorway", "federal_road", "railway") and shapely.intersects(c.geom, env):
                inputs["network"].setdefault(c.kind, []).append(c.geom)
        win = landcover.window(region.bounds, muni.geom)
        cls, inside = landcover.classify(muni, win, inputs, seed)
        frames.append(landcover.polygonize(muni, win, cls))
        sub = grid[win.row0: win.row0 + win.shape[0], win.col0: win.col0 + win.shape[1]]
        sub[inside] = cls[inside]
    frame = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=ANALYSIS_CRS), grid


def generate_all(municipalities: gpd.GeoDataFrame, statistics: pd.DataFrame, out_dir: Path, seed: int,
                 progress: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Generate every synthetic layer into ``out_dir``; return ``{layer id: path}``."""
    from potenzial.synth import GENERATORS

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    say = progress or (lambda _msg: None)
    region = build_region(municipalities, statistics)
    lines = build_lines(seed, region.union)
    corridors = lines.corridors
    mining, towns = {}, {}
    for muni in region.municipalities:
        mining[muni.ags], towns[muni.ags] = settle(muni, corridors, seed)
    paths: dict[str, Path] = {}
    frames: dict[str, gpd.GeoDataFrame] = {}
    geometry_types = {**GEOMETRY_TYPES, **criteria.GEOMETRY_TYPES}

    def vector(layer: str, frame: gpd.GeoDataFrame) -> None:
        paths[layer] = write_vector(frame, out_dir / f"{layer}.gpkg", layer, geometry_types[layer])
        frames[layer] = frame
        say(f"{layer}: {len(frame)} features")

    buildings = buildings_frame(region, towns)
    vector("buildings", buildings)
    vector("builtup_areas", _rows_frame([{"ortsteil": name, "ags": m.ags, "geometry": g}
                                         for m in region.municipalities for name, g in towns[m.ags].builtup],
                                        ["ortsteil", "ags"]))
    vector("development_plans", _rows_frame([{"plan_id": pid, "ags": m.ags, "use": use, "geometry": g}
                                             for m in region.municipalities for pid, use, g in towns[m.ags].plans],
                                            ["plan_id", "ags", "use"]))
    vector("post_mining", _rows_frame([{"kind": f.kind, "name": f.name, "geometry": f.geom}
                                       for m in region.municipalities for f in mining[m.ags]], ["kind", "name"]))
    for layer in ("roads", "railways", "power_lines"):
        vector(layer, lines.frames[layer])
    cover, classes = landcover_layer(region, corridors, mining, towns, seed)
    vector("landcover", cover)
    vector("protected_areas", protected.build(region, corridors, cover, seed))
    vector("less_favoured_areas", less_favoured.build(region, seed))
    all_mining = [f for m in region.municipalities for f in mining[m.ags]]
    z, z_tr = terrain.elevation(region, corridors, all_mining, seed)
    paths["terrain"] = write_raster(z, z_tr, out_dir / "terrain.tif", units="m",
                                    description="elevation above sea level [m] (synthetic)")
    say(f"terrain: {z.shape[1]} x {z.shape[0]} cells of {terrain.CELL_M:g} m")
    v, v_tr = wind.speed(region, z, terrain.CELL_M, classes, landcover.CELL_M, seed)
    paths["wind_speed_150m"] = write_raster(v, v_tr, out_dir / "wind_speed_150m.tif", units="m/s",
                                            description="mean wind speed 150 m above ground [m/s] (synthetic)")
    say(f"wind_speed_150m: {v.shape[1]} x {v.shape[0]} cells of {wind.CELL_M:g} m")
    dumps = [f.geom for f in all_mining if f.kind == "dump"]
    for layer, frame in criteria.build_all(region, corridors, frames, dumps, seed).items():
        vector(layer, frame)
    vector("listed_buildings", monuments.build(region, buildings, seed))
    return {layer: paths[layer] for layer in GENERATORS}
