"""Synthetic post-mining landscape south of Leipzig (polygons in EPSG:25833, areas in ha).

Mining lakes, dumps (Kippen) and the active open-cast mine Vereinigtes Schleenhain, per
municipality, placed near the real positions of the Leipziger Neuseenland. The lakes of a
municipality share its *lake budget*: 85 % of its water area from the Flächenerhebung
(``area_ha_water_total``, scaled to the polygon area) minus the river water inside it; the
rest of the water target becomes small ponds in the land-cover generator. Lakes therefore
also appear as ``water`` in land cover, and the active mine as ``settlement`` (in ALKIS
the Abbauland "Tagebau, Grube, Steinbruch" is part of the Siedlungsfläche, which is why
Groitzsch, Neukieritzsch, Regis-Breitingen and Elstertrebnitz have such large settlement
areas). Dumps keep their land cover (mostly grassland and young forest).

Names of the lakes are the real ones; where a name was not known the feature is called
"Restsee <place>" or "Kippe <place>".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from potenzial.synth.infrastructure import Corridor
from potenzial.synth.io import rng_for
from potenzial.synth.places import lonlat_to_xy
from potenzial.synth.shapes import fit_blob, inside_point, polygonal
from potenzial.units import M2_PER_HA

LAKE_BUDGET_SHARE = 0.85      #: share of the (water target - river water) given to mining lakes
SCHLEENHAIN = (12.350, 51.125)  #: lon/lat the active-mine pieces gather around
MIN_PART_HA = 3.0

#: ags -> [(kind, name, lon, lat, size)]; size = share of the lake budget for lakes, else ha
FEATURES: dict[str, list[tuple[str, str, float, float, float]]] = {
    "14729260": [("lake", "Cospudener See", 12.350, 51.262, 0.5),
                 ("lake", "Markkleeberger See", 12.410, 51.252, 0.5),
                 ("dump", "Kippe Cospuden", 12.372, 51.243, 80.0)],
    "14729190": [("lake", "Störmthaler See", 12.470, 51.228, 1.0),
                 ("dump", "Kippe Espenhain-Nord", 12.485, 51.212, 200.0)],
    "14729430": [("lake", "Zwenkauer See", 12.355, 51.205, 1.0),
                 ("dump", "Kippe Zwenkau", 12.370, 51.190, 250.0)],
    "14729370": [("lake", "Restsee Espenhain", 12.430, 51.180, 1.0),
                 ("dump", "Kippe Espenhain", 12.460, 51.190, 400.0)],
    "14729040": [("dump", "Kippe Böhlen", 12.400, 51.188, 120.0)],
    "14729320": [("lake", "Hainer See", 12.455, 51.160, 0.55),
                 ("lake", "Kahnsdorfer See", 12.430, 51.165, 0.25),
                 ("lake", "Harthsee", 12.440, 51.140, 0.20),
                 ("dump", "Kippe Witznitz", 12.445, 51.175, 350.0),
                 ("active_mine", "Tagebau Vereinigtes Schleenhain", *SCHLEENHAIN, 650.0)],
    "14729050": [("lake", "Speicherbecken Borna", 12.510, 51.135, 0.35),
                 ("lake", "Bockwitzer See", 12.530, 51.100, 0.35),
                 ("lake", "Haubitzer See", 12.465, 51.150, 0.30),
                 ("dump", "Kippe Bockwitz", 12.545, 51.110, 250.0)],
    "14729360": [("lake", "Restsee Regis", 12.420, 51.080, 1.0),
                 ("active_mine", "Tagebau Vereinigtes Schleenhain", *SCHLEENHAIN, 380.0)],
    "14729170": [("lake", "Restsee Groitzsch", 12.310, 51.140, 1.0),
                 ("active_mine", "Tagebau Vereinigtes Schleenhain", *SCHLEENHAIN, 1000.0)],
    "14729350": [("active_mine", "Tagebau Vereinigtes Schleenhain", *SCHLEENHAIN, 150.0)],
    "14729100": [("active_mine", "Tagebau Vereinigtes Schleenhain", *SCHLEENHAIN, 260.0)],
}


@dataclass
class MiningFeature:
    ags: str
    kind: str       #: dump | lake | active_mine
    name: str
    geom: shapely.Geometry


def planned_mine_m2(ags: str) -> float:
    """Area of active mine planned in municipality ``ags`` [m²] (settlement planning needs it)."""
    return sum(size for kind, *_, size in FEATURES.get(ags, []) if kind == "active_mine") * M2_PER_HA


def river_water(geom, corridors: list[Corridor], min_width_m: float = 20.0) -> BaseGeometry:
    """River water surface inside ``geom`` (rivers at least ``min_width_m`` wide, the cell size)."""
    parts = [shapely.buffer(c.geom, max(c.width_m, min_width_m) / 2, cap_style="flat")
             for c in corridors if c.kind == "river" and shapely.intersects(c.geom, shapely.envelope(geom))]
    if not parts:
        return shapely.Polygon()
    return shapely.intersection(shapely.union_all(parts), geom)


def for_municipality(muni, water_target_m2: float, keepout, corridors: list[Corridor],
                     seed: int) -> list[MiningFeature]:
    """Mining features of one municipality, avoiding ``keepout`` (the main town) and corridors."""
    entries = FEATURES.get(muni.ags, [])
    if not entries:
        return []
    rng = rng_for(seed, "post_mining", muni.ags)
    lines = [shapely.buffer(c.geom, c.width_m / 2 + 60.0) for c in corridors
             if c.kind in ("motorway", "federal_road", "railway", "river")
             and shapely.intersects(c.geom, shapely.envelope(muni.geom))]
    free = shapely.difference(shapely.buffer(muni.geom, -120.0), shapely.union_all([keepout] + lines))
    budget = max(0.0, water_target_m2 - river_water(muni.geom, corridors).area) * LAKE_BUDGET_SHARE
    out: list[MiningFeature] = []
    for kind, name, lon, lat, size in entries:
        target = budget * size if kind == "lake" else size * M2_PER_HA
        if target < MIN_PART_HA * M2_PER_HA or free.is_empty:
            continue
        radius = math.sqrt(target / math.pi)
        centre = inside_point(free, lonlat_to_xy(lon, lat), inset_m=min(radius * 0.6, 600.0))
        if centre is None:
            continue
        rough = 0.35 if kind == "active_mine" else 0.22
        shape = polygonal(fit_blob(centre, target, free, rng, roughness=rough,
                                   aspect=float(rng.uniform(1.0, 1.5))))
        parts = [p for p in shapely.get_parts(shape) if p.area >= MIN_PART_HA * M2_PER_HA]
        if not parts:
            continue
        shape = shapely.union_all(parts)
        out.append(MiningFeature(muni.ags, kind, name, shape))
        free = polygonal(shapely.difference(free, shapely.buffer(shape, 30.0)))
    return out


def keepout_disc(centre: tuple[float, float], radius_m: float) -> shapely.Geometry:
    """A disc the mining features must not enter (the main town and its edge) [m]."""
    return Point(centre).buffer(radius_m, quad_segs=8)
