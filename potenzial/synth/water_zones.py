"""Synthetic water layers of the criteria: water protection zones and flood areas (HQ100).

- ``water_protection_zones`` (polygons, ``zone`` I | II | III, ``kind`` drinking_water |
  mineral_spring): the catchments of Leipzig's large waterworks in the county (Naunhof I/II on the
  Parthe gravels; Canitz and Thallwitz in the Mulde valley), smaller local ones, and the spa
  protection area of Bad Lausick. The zones are disjoint rings as in the official data: zone III
  minus II, zone II (about 12 % of a protection area) minus I, zone I three discs of 60 m around
  the wells. Drinking-water zones cover about 6 % of the county (10,000 ha; aimed at: Saxony's
  drinking-water protection areas are of that order, *check* the LfULG statistics), the spa
  protection area 1,500 ha more.
- ``flood_areas`` (polygons, ``kind`` hq100): the floodplains of a 100-year flood along the
  Mulde, the Weiße Elster, the Pleiße, the Parthe and the Wyhra, segment by segment with seeded
  half-widths; about 5 % of the county (aimed at: a wide Mulde floodplain of about 1 km over
  60 km, narrower valleys elsewhere; *check* against the LfULG Überschwemmungsgebiete).

Names of the waterworks and rivers are real; "(erfunden)" marks an invented protection area; all
outlines are invented.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.ops import substring

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.infrastructure import CLIP_MARGIN_M, Corridor
from potenzial.synth.io import rng_for
from potenzial.synth.places import lonlat_to_xy
from potenzial.synth.shapes import blob, polygonal
from potenzial.units import M2_PER_HA

#: (name, lon, lat, area of the whole protection area [ha], kind)
PROTECTION_AREAS = [
    ("Wasserwerke Naunhof I und II", 12.580, 51.285, 4500.0, "drinking_water"),
    ("Wasserwerke Canitz und Thallwitz", 12.705, 51.420, 4000.0, "drinking_water"),
    ("Trinkwasserschutzgebiet bei Grimma (erfunden)", 12.690, 51.250, 600.0, "drinking_water"),
    ("Trinkwasserschutzgebiet bei Borna (erfunden)", 12.470, 51.105, 500.0, "drinking_water"),
    ("Trinkwasserschutzgebiet bei Geithain (erfunden)", 12.670, 51.070, 400.0, "drinking_water"),
    ("Heilquellenschutzgebiet Bad Lausick", 12.645, 51.145, 1500.0, "mineral_spring"),
]
ZONE_II_SHARE = 0.12  #: zone II's share of a protection area
ZONE_I_RADIUS_M = 60.0
#: river name -> half-width range of its HQ100 floodplain [m]
FLOODPLAINS = {"Mulde": (350.0, 700.0), "Freiberger Mulde": (150.0, 300.0), "Weiße Elster": (250.0, 500.0),
               "Pleiße": (100.0, 250.0), "Parthe": (80.0, 200.0), "Wyhra": (60.0, 150.0)}
SEGMENT_M = 2000.0


def _clip_area(region) -> shapely.Geometry:
    return shapely.buffer(shapely.simplify(region.union, 50.0), CLIP_MARGIN_M, quad_segs=4)


def build_protection_zones(region, seed: int) -> gpd.GeoDataFrame:
    clip = _clip_area(region)
    rows = []
    for name, lon, lat, area_ha, kind in PROTECTION_AREAS:
        rng = rng_for(seed, "water_protection_zones", name)
        centre = lonlat_to_xy(lon, lat)
        whole = blob(centre, np.sqrt(area_ha * M2_PER_HA / np.pi), rng, roughness=0.3, aspect=rng.uniform(1.0, 1.5))
        inner = blob(centre, np.sqrt(ZONE_II_SHARE * area_ha * M2_PER_HA / np.pi), rng, roughness=0.2)
        wells = shapely.union_all([shapely.buffer(shapely.Point(centre[0] + dx, centre[1] + dy), ZONE_I_RADIUS_M)
                                   for dx, dy in rng.uniform(-0.4, 0.4, (3, 2)) * np.sqrt(shapely.area(inner))])
        for zone, geom in (("I", wells), ("II", shapely.difference(inner, wells)),
                           ("III", shapely.difference(whole, shapely.union(inner, wells)))):
            geom = polygonal(shapely.intersection(shapely.make_valid(geom), clip))
            if not geom.is_empty:
                rows.append({"zone": zone, "kind": kind, "name": name, "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=["zone", "kind", "name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)


def build_flood_areas(region, corridors: list[Corridor], seed: int) -> gpd.GeoDataFrame:
    clip = _clip_area(region)
    rows = []
    for c in corridors:
        if c.kind != "river" or c.name not in FLOODPLAINS:
            continue
        rng = rng_for(seed, "flood_areas", c.name)
        n = max(1, int(c.geom.length // SEGMENT_M))
        parts = [shapely.buffer(substring(c.geom, k * c.geom.length / n, (k + 1) * c.geom.length / n),
                                rng.uniform(*FLOODPLAINS[c.name]), quad_segs=8) for k in range(n)]
        geom = polygonal(shapely.intersection(shapely.union_all(parts), clip))
        if not geom.is_empty:
            rows.append({"kind": "hq100", "name": f"Überschwemmungsgebiet {c.name}", "geometry": geom})
    return gpd.GeoDataFrame(rows, columns=["kind", "name", "geometry"], geometry="geometry", crs=ANALYSIS_CRS)
