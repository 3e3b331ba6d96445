"""The stand-ins of the planning criteria (issue 12): aviation, water, heritage, birds, biotopes,
soil, regional plan, designated wind areas, empty building plots.

Built after the base layers, from them (land cover, built-up areas, plans, buildings, protected
areas, power lines, rivers). Each layer has its own module; this one only orders the work and
declares the geometry types the writer needs.
"""

from __future__ import annotations

import geopandas as gpd

from potenzial.synth import aviation, biotopes, birds, heritage, planning, soil, water_zones
from potenzial.synth.infrastructure import Corridor

#: declared geometry type of each criteria layer, in the order they are generated
GEOMETRY_TYPES = {
    "aviation_areas": "MultiPolygon", "navigation_aids": "Point", "water_protection_zones": "MultiPolygon",
    "flood_areas": "MultiPolygon", "heritage_sites": "Polygon", "bird_breeding_sites": "Point",
    "protected_biotopes": "MultiPolygon", "soil_quality": "MultiPolygon", "regional_plan_areas": "MultiPolygon",
    "wind_energy_areas": "MultiPolygon", "residential_plots": "Polygon",
}
LAYERS: tuple[str, ...] = tuple(GEOMETRY_TYPES)


def build_all(region, corridors: list[Corridor], frames: dict[str, gpd.GeoDataFrame], mining_dumps: list,
              seed: int) -> dict[str, gpd.GeoDataFrame]:
    """Every criteria layer, from the base layers in ``frames`` (by layer id)."""
    cover, builtup, buildings = frames["landcover"], frames["builtup_areas"], frames["buildings"]
    flood = water_zones.build_flood_areas(region, corridors, seed)
    return {
        "aviation_areas": aviation.build_areas(),
        "navigation_aids": aviation.build_navaids(),
        "water_protection_zones": water_zones.build_protection_zones(region, seed),
        "flood_areas": flood,
        "heritage_sites": heritage.build(),
        "bird_breeding_sites": birds.build(region, cover, builtup, frames["power_lines"], seed),
        "protected_biotopes": biotopes.build(region, cover, seed),
        "soil_quality": soil.build(region, mining_dumps, seed),
        "regional_plan_areas": planning.build_priority_areas(region, corridors, flood, frames["protected_areas"],
                                                             seed),
        "wind_energy_areas": planning.build_wind_areas(region, cover, buildings, seed),
        "residential_plots": planning.build_plots(region, builtup, frames["development_plans"], buildings, seed),
    }
