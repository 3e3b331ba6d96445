"""Synthetic roads, railways, power lines and rivers (lines in EPSG:25833, widths in m).

Each line runs through named places (see :mod:`potenzial.synth.places`) roughly where the
real one runs; between waypoints it bends gently (a seeded sideways offset of a few per cent
of the segment length, then Chaikin smoothing) and it is clipped to the region plus
:data:`CLIP_MARGIN_M`. Rivers are not an output layer; they feed land cover (water,
grassland), terrain (valleys) and protected areas.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString

from potenzial.crs import ANALYSIS_CRS
from potenzial.synth.io import rng_for
from potenzial.synth.places import lonlat_to_xy, xy

CLIP_MARGIN_M = 3_000.0  #: lines are kept this far [m] beyond the region

#: (kind, ref, carriageway width [m], waypoints)
ROADS = [
    ("motorway", "A14", 29.5, ["Taucha", "Leipzig-Ost", "Parthenaue", "Großsteinberg", "Grimma", "Mutzschen",
                               "Dresden-Richtung"]),
    ("motorway", "A38", 29.5, ["Merseburg", "Markranstädt", "Knautnaundorf", "Gaschwitz", "Großpösna",
                               "Parthenaue"]),
    ("motorway", "A72", 29.5, ["Gaschwitz", "Espenhain", "Borna", "Frohburg", "Penig"]),
    ("federal_road", "B2", 11.0, ["Leipzig-Süd", "Markkleeberg", "Großdeuben", "Böhlen", "Neukieritzsch",
                                  "Regis-Breitingen", "Altenburg"]),
    ("federal_road", "B6", 11.0, ["Leipzig-Ost", "Borsdorf", "Gerichshain", "Machern", "Bennewitz", "Wurzen",
                                  "Dornreichenbach", "Oschatz"]),
    ("federal_road", "B7", 10.5, ["Altenburg", "Frohburg", "Geithain", "Rochlitz"]),
    ("federal_road", "B95", 11.0, ["Leipzig-Süd", "Großpösna", "Espenhain", "Borna", "Frohburg", "Penig"]),
    ("federal_road", "B107", 10.5, ["Eilenburg", "Canitz", "Wurzen", "Trebsen", "Grimma", "Großbothen", "Colditz",
                                    "Rochlitz"]),
    ("federal_road", "B176", 10.5, ["Pulgar", "Pegau", "Groitzsch", "Neukieritzsch", "Borna", "Bad Lausick",
                                    "Colditz", "Leisnig"]),
    ("federal_road", "B186", 10.5, ["Schkeuditz", "Markranstädt", "Zwenkau"]),
]

#: (name, tracks, waypoints); width of the track bed: 12 m for two tracks, 7 m for one
RAILWAYS = [
    ("Leipzig–Dresden", 2, ["Leipzig", "Leipzig-Ost", "Borsdorf", "Gerichshain", "Machern", "Bennewitz",
                            "Wurzen", "Dornreichenbach", "Oschatz"]),
    ("Leipzig–Altenburg (–Hof)", 2, ["Leipzig-Süd", "Markkleeberg", "Gaschwitz", "Großdeuben", "Böhlen",
                                     "Neukieritzsch", "Regis-Breitingen", "Altenburg"]),
    ("Neukieritzsch–Borna", 2, ["Neukieritzsch", "Borna"]),
    ("Borna–Geithain (Leipzig–Geithain)", 1, ["Borna", "Frohburg", "Geithain", "Chemnitz-Nord"]),
    ("Leipzig-Stötteritz–Geithain", 1, ["Leipzig-Stötteritz", "Liebertwolkwitz", "Belgershain", "Otterwisch",
                                        "Bad Lausick", "Geithain"]),
    ("Borsdorf–Grimma–Döbeln (Muldentalbahn)", 2, ["Borsdorf", "Beucha", "Naunhof", "Grimma", "Großbothen",
                                                   "Leisnig", "Döbeln"]),
    ("Leipzig–Zeitz", 1, ["Leipzig-Plagwitz", "Knautnaundorf", "Großdalzig", "Pegau", "Zeitz"]),
    ("Leipzig–Großkorbetha", 2, ["Leipzig-Plagwitz", "Markranstädt", "Großkorbetha"]),
    ("Wurzen–Eilenburg", 1, ["Wurzen", "Canitz", "Eilenburg"]),
]

#: (voltage [kV], name, waypoints)
POWER_LINES = [
    (380, "Lippendorf–Pulgar", ["Lippendorf", "Großdalzig", "Pulgar"]),
    (380, "Lippendorf–Streumen", ["Lippendorf", "Espenhain", "Belgershain", "Großsteinberg", "Trebsen",
                                  "Dornreichenbach", "Streumen"]),
    (380, "Lippendorf–Röhrsdorf", ["Lippendorf", "Eula", "Kohren-Sahlis", "Röhrsdorf"]),
    (220, "Lippendorf–Leipzig-West", ["Lippendorf", "Zwenkau", "Knautnaundorf", "Leipzig-Plagwitz"]),
    (110, "Borna–Geithain", ["Borna", "Frohburg", "Geithain"]),
    (110, "Grimma–Wurzen", ["Grimma", "Trebsen", "Wurzen"]),
    (110, "Colditz–Grimma", ["Colditz", "Großbothen", "Grimma"]),
    (110, "Markranstädt–Pegau", ["Markranstädt", "Großdalzig", "Pegau"]),
    (110, "Böhlen–Brandis", ["Böhlen", "Großpösna", "Naunhof", "Brandis"]),
    (110, "Borna–Bad Lausick", ["Borna", "Kitzscher", "Bad Lausick"]),
]

#: (name, water width [m], waypoints as lon/lat)
RIVERS = [
    ("Mulde", 60.0, [(12.800, 51.045), (12.815, 51.100), (12.808, 51.130), (12.790, 51.165), (12.762, 51.195),
                     (12.735, 51.236), (12.770, 51.262), (12.760, 51.290), (12.762, 51.330), (12.755, 51.370),
                     (12.725, 51.410), (12.650, 51.455)]),
    ("Freiberger Mulde", 40.0, [(12.930, 51.160), (12.850, 51.172), (12.790, 51.165)]),
    ("Weiße Elster", 30.0, [(12.140, 51.050), (12.200, 51.110), (12.240, 51.160), (12.265, 51.185),
                            (12.300, 51.215), (12.330, 51.260), (12.355, 51.310), (12.360, 51.350)]),
    ("Pleiße", 15.0, [(12.440, 50.980), (12.430, 51.070), (12.420, 51.120), (12.400, 51.170), (12.400, 51.200),
                      (12.380, 51.250), (12.370, 51.300), (12.370, 51.340)]),
    ("Parthe", 10.0, [(12.660, 51.170), (12.630, 51.220), (12.600, 51.265), (12.565, 51.310), (12.530, 51.340),
                      (12.450, 51.370)]),
    ("Wyhra", 10.0, [(12.560, 51.020), (12.555, 51.060), (12.510, 51.100), (12.490, 51.130), (12.430, 51.165)]),
]


@dataclass
class Corridor:
    """A line feature as land cover and the building layout see it."""

    kind: str          #: motorway | federal_road | railway | power_line | river
    name: str
    geom: LineString
    width_m: float


def curved_line(points: list[tuple[float, float]], rng: np.random.Generator, wiggle: float = 0.035,
                step_m: float = 150.0, smooth: int = 2, jitter_m: float = 0.0) -> LineString:
    """A gently curved line through ``points`` [m]: sideways sine offsets, then Chaikin smoothing.

    ``jitter_m`` moves the inner waypoints by up to that distance, so that lines through the
    same town do not all meet in one point.
    """
    pts = np.asarray(points, dtype=float).copy()
    if jitter_m > 0 and len(pts) > 2:
        ang = rng.uniform(0, 2 * np.pi, len(pts) - 2)
        rad = jitter_m * np.sqrt(rng.uniform(0, 1, len(pts) - 2))
        pts[1:-1] += np.column_stack([rad * np.cos(ang), rad * np.sin(ang)])
    out = []
    for a, b in itertools.pairwise(pts):
        d = b - a
        length = float(np.hypot(*d))
        n = max(2, int(np.ceil(length / step_m)))
        t = np.arange(n) / n
        normal = np.array([-d[1], d[0]]) / max(length, 1e-9)
        a1, a2 = rng.uniform(-wiggle, wiggle), rng.uniform(-wiggle / 3, wiggle / 3)
        offset = length * (a1 * np.sin(np.pi * t) + a2 * np.sin(2 * np.pi * t))
        out.append(a + t[:, None] * d + offset[:, None] * normal)
    coords = np.vstack(out + [pts[-1:]])
    for _ in range(smooth):
        q = 0.75 * coords[:-1] + 0.25 * coords[1:]
        r = 0.25 * coords[:-1] + 0.75 * coords[1:]
        mid = np.empty((2 * len(q), 2))
        mid[0::2], mid[1::2] = q, r
        coords = np.vstack([coords[:1], mid, coords[-1:]])
    return LineString(coords)


def _clip(line: LineString, clip_area) -> list[LineString]:
    part = shapely.intersection(line, clip_area)
    parts: np.ndarray | list[LineString] = shapely.get_parts(shapely.line_merge(part)) if not part.is_empty else []
    return [p for p in parts if isinstance(p, LineString) and p.length > 1.0]


def _frame(records: list[dict], columns: list[str]) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(records, columns=columns + ["geometry"], geometry="geometry", crs=ANALYSIS_CRS)
    return frame


@dataclass(frozen=True)
class Lines:
    """The line layers and the corridors that land cover, terrain and the building layout avoid."""

    frames: dict[str, gpd.GeoDataFrame]  #: ``roads``, ``railways``, ``power_lines`` (EPSG:25833)
    corridors: list[Corridor]            #: every clipped road, railway, power line and river part


def build_lines(seed: int, union) -> Lines:
    """Roads, railways and power lines (frames) and the river/traffic corridors (list)."""
    clip_area = shapely.buffer(shapely.simplify(union, 50.0), CLIP_MARGIN_M, quad_segs=4)
    shapely.prepare(clip_area)
    roads, rails, power, corridors = [], [], [], []
    for kind, ref, width, names in ROADS:
        line = curved_line([xy(n) for n in names], rng_for(seed, "roads", ref), jitter_m=400.0)
        for part in _clip(line, clip_area):
            roads.append({"kind": kind, "ref": ref, "width_m": width, "geometry": part})
            corridors.append(Corridor(kind, ref, part, width))
    for name, tracks, names in RAILWAYS:
        line = curved_line([xy(n) for n in names], rng_for(seed, "railways", name), wiggle=0.025, jitter_m=300.0)
        width = 12.0 if tracks >= 2 else 7.0
        for part in _clip(line, clip_area):
            rails.append({"name": name, "tracks": tracks, "width_m": width, "geometry": part})
            corridors.append(Corridor("railway", name, part, width))
    for kv, name, names in POWER_LINES:
        line = curved_line([xy(n) for n in names], rng_for(seed, "power_lines", name), wiggle=0.015,
                           step_m=400.0, smooth=0, jitter_m=600.0)
        for part in _clip(line, clip_area):
            power.append({"voltage_kv": kv, "name": name, "geometry": part})
            corridors.append(Corridor("power_line", name, part, 30.0))
    for name, width, lonlat in RIVERS:
        line = curved_line([lonlat_to_xy(*p) for p in lonlat], rng_for(seed, "rivers", name), wiggle=0.06,
                           step_m=100.0, smooth=3)
        for part in _clip(line, clip_area):
            corridors.append(Corridor("river", name, part, width))
    if not roads and not rails:
        generic_lines(seed, union, clip_area, roads, rails, power, corridors)
    frames = {
        "roads": _frame(roads, ["kind", "ref", "width_m"]),
        "railways": _frame(rails, ["name", "tracks", "width_m"]),
        "power_lines": _frame(power, ["voltage_kv", "name"]),
    }
    frames["railways"]["tracks"] = frames["railways"]["tracks"].astype("int32")
    frames["power_lines"]["voltage_kv"] = frames["power_lines"]["voltage_kv"].astype("int32")
    return Lines(frames, corridors)


def generic_lines(seed: int, union, clip_area, roads: list, rails: list, power: list, corridors: list) -> None:
    """Lines for a region the named lines above do not reach (a county other than Leipzig's): one
    motorway (south-west to north-east), one federal road (west to east), one two-track railway
    (north-west to south-east) and one 110 kV line (south to north) through a point inside the region,
    gently curved. Stand-ins only, so that corridors and setbacks have something to measure from."""
    xmin, ymin, xmax, ymax = union.bounds
    centre = shapely.point_on_surface(union)   # inside the region even when it is not convex
    cx, cy = centre.x, centre.y
    w, h = (xmax - xmin) / 2 + CLIP_MARGIN_M, (ymax - ymin) / 2 + CLIP_MARGIN_M
    lines = (("roads", "motorway", "A (synthetisch)", 29.5, [(cx - w, cy - h), (cx, cy), (cx + w, cy + h)]),
             ("roads", "federal_road", "B (synthetisch)", 11.0, [(cx - w, cy + h / 4), (cx + w, cy - h / 4)]),
             ("railways", "railway", "Bahnstrecke (synthetisch)", 12.0, [(cx - w, cy + h), (cx + w, cy - h)]),
             ("power_lines", "power_line", "110-kV-Leitung (synthetisch)", 30.0, [(cx + w / 3, cy - h),
                                                                                 (cx - w / 3, cy + h)]))
    for layer, kind, name, width, points in lines:
        line = curved_line(points, rng_for(seed, "generic", name), wiggle=0.03)
        for part in _clip(line, clip_area):
            if layer == "roads":
                roads.append({"kind": kind, "ref": name, "width_m": width, "geometry": part})
            elif layer == "railways":
                rails.append({"name": name, "tracks": 2, "width_m": width, "geometry": part})
            else:
                power.append({"voltage_kv": 110, "name": name, "geometry": part})
            corridors.append(Corridor(kind, name, part, width))
