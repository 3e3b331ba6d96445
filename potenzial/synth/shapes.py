"""Small geometry helpers shared by the generators (all coordinates in EPSG:25833 metres)."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points


def blob(centre: tuple[float, float], radius_m: float, rng: np.random.Generator, roughness: float = 0.22,
         aspect: float = 1.0, n: int = 72) -> Polygon:
    """A seeded irregular round shape of mean radius ``radius_m`` [m] (lakes, dumps, forests)."""
    phi = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    r = np.ones(n)
    for k in range(2, 7):
        r += rng.uniform(0, roughness / k * 2) * np.cos(k * phi + rng.uniform(0, 2 * np.pi))
    r = np.clip(r, 0.35, None) * radius_m
    rot = rng.uniform(0, np.pi)
    x, y = r * np.cos(phi) * aspect, r * np.sin(phi) / aspect
    xr = x * np.cos(rot) - y * np.sin(rot)
    yr = x * np.sin(rot) + y * np.cos(rot)
    return Polygon(np.column_stack([centre[0] + xr, centre[1] + yr]))


def fit_blob(centre: tuple[float, float], area_m2: float, within, rng: np.random.Generator,
             opening_m: float = 60.0, **kwargs) -> shapely.Geometry:
    """A :func:`blob` clipped to ``within`` whose clipped area is close to ``area_m2`` [m²].

    Arms narrower than ``2 * opening_m`` [m] left by the clipping are removed.
    """
    sub = int(rng.integers(0, 2**63 - 1))
    radius = np.sqrt(area_m2 / np.pi)
    shape = shapely.Polygon()
    for _ in range(6):
        # the same outline each time (same sub-seed); only the scale changes
        shape = shapely.intersection(blob(centre, radius, np.random.default_rng(sub), **kwargs), within)
        shape = shapely.buffer(shapely.buffer(shape, -opening_m, quad_segs=4), opening_m, quad_segs=4)
        shape = shapely.intersection(shape, within)
        got = shape.area
        if got <= 0 or abs(got - area_m2) < 0.02 * area_m2:
            break
        radius *= float(np.clip(np.sqrt(area_m2 / got), 0.6, 1.8))
    return shapely.make_valid(shape) if not shape.is_empty else shape


def inside_point(area, target: tuple[float, float], inset_m: float = 0.0) -> tuple[float, float] | None:
    """``target`` if it lies in ``area`` shrunk by ``inset_m``, else the nearest such point."""
    if area.is_empty:
        return None
    core = area.buffer(-inset_m, quad_segs=4) if inset_m > 0 else area
    if core.is_empty:
        core = area
    pt = Point(target)
    if core.contains(pt):
        return target
    near = nearest_points(core, pt)[0]
    return (near.x, near.y)


def polygonal(geom) -> BaseGeometry:
    """Only the polygon parts of ``geom`` (drops lines and points left over by overlays)."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def random_points_in(area, n: int, rng: np.random.Generator) -> np.ndarray:
    """Up to ``n`` uniformly drawn points (array (k, 2)) that lie in ``area``."""
    xmin, ymin, xmax, ymax = area.bounds
    pts = np.column_stack([rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)])
    shapely.prepare(area)
    keep = shapely.contains_xy(area, pts[:, 0], pts[:, 1])
    return pts[keep]
