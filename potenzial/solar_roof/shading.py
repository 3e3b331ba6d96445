"""Shading of roof planes by neighbouring buildings and the terrain, where no surface model exists.

**Horizon.** Seen from a point on the plane (its footprint's representative point, at the roof's
mean height above the terrain), the horizon is the highest elevation angle of the surroundings in
each of ``horizon_directions`` compass sectors (sector *k* is centred on *k* · 360°/n, clockwise
from north, as in :func:`potenzial.solar_roof.dsm.shading_factors`):

- *neighbouring buildings* within ``neighbour_radius_m``: each building is a prism of its height
  (``height_m``, else ``floors`` × ``storey_height_m`` + ``roof_allowance_m``, else
  ``default_building_height_m``) standing on the terrain. Its outline is cut into pieces of at
  most ``neighbour_outline_step_m``; a piece raises the horizon of every sector its two end points
  span to ``atan((top − eye) / distance)``, the distance being the piece's nearest point;
- *the terrain* (a DEM) up to ``terrain_horizon_distance_m``, with the DSM horizon of
  :func:`potenzial.solar_roof.dsm.horizon_angles`, computed once per lattice cell of
  ``terrain_horizon_cell_m`` at ``terrain_eye_height_m`` above the cell's ground (the far horizon
  hardly changes across a cell), and taken by every plane in the cell.

**Loss.** As for a DSM horizon (and pvlib's "simple irradiance adjustment for horizon shading"):
the beam part of the plane's irradiation is removed for every time step of the typical days where
the sun stands below the horizon of its sector; sky-diffuse and ground-reflected irradiation are
kept (the share of the sky an obstruction hides is not removed: the loss is a lower bound). The
factor is computed for the module orientation (flat roofs: the racked modules). Pure calculation.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from potenzial.irradiation import poa_components
from potenzial.solar_roof.dsm import horizon_angles
from potenzial.solar_roof.params import RoofParams
from potenzial.sources.dsm import SurfaceModel

CHUNK = 4000  #: planes per batch (bounds the memory of pairs and time steps)
TERRAIN_CHUNK = 1000  #: lattice cells per terrain-horizon batch (directions × distances samples each)
MIN_DISTANCE_M = 0.5  #: closer outline pieces count as this far (a wall touching the eye point)
ORIENTATION_STEP_DEG = 1.0  #: plane orientations are grouped to this step for the beam table


@dataclass(frozen=True)
class Outline:
    """Pieces of every building's outline: start and end points [m], the owner's row and the roof
    top [m above sea level, or above ground without a terrain]."""

    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    owner: np.ndarray
    top_m: np.ndarray


def building_heights_m(buildings: pd.DataFrame, params: RoofParams) -> np.ndarray:
    """Height of each building's highest point above ground [m]: ``height_m``, else ``floors`` ×
    ``storey_height_m`` + ``roof_allowance_m``, else ``default_building_height_m``."""
    n = len(buildings)
    height = np.full(n, np.nan)
    if "height_m" in buildings.columns:
        height = pd.to_numeric(buildings["height_m"], errors="coerce").to_numpy(dtype=float)
    if "floors" in buildings.columns:
        floors = pd.to_numeric(buildings["floors"], errors="coerce").to_numpy(dtype=float)
        from_floors = floors * params.storey_height_m + params.roof_allowance_m
        height = np.where(np.isfinite(height) & (height > 0), height,
                          np.where(np.isfinite(floors) & (floors > 0), from_floors, np.nan))
    return np.where(np.isfinite(height) & (height > 0), height, params.default_building_height_m)


def outline_pieces(geoms: np.ndarray, top_m: np.ndarray, step_m: float) -> Outline:
    """Every ring of every footprint cut into pieces of at most ``step_m`` [m]."""
    rings = shapely.get_parts(shapely.boundary(geoms), return_index=True)
    lines, owner_of_line = rings
    lines = shapely.segmentize(lines, step_m)
    coords, line_of_coord = shapely.get_coordinates(lines, return_index=True)
    same = line_of_coord[1:] == line_of_coord[:-1]
    start = np.flatnonzero(same)
    owner = owner_of_line[line_of_coord[start]]
    return Outline(coords[start, 0], coords[start, 1], coords[start + 1, 0], coords[start + 1, 1],
                   owner, top_m[owner])


def building_horizon(eye_x_m, eye_y_m, eye_z_m, eye_owner, outline: Outline, directions: int,
                     radius_m: float, sun_floor_deg: np.ndarray | None = None) -> np.ndarray:
    """Horizon elevation [deg] from the outline pieces of other buildings, shape (eyes, directions).

    ``eye_owner`` is the row of each eye's own building (its outline is left out); 0 where open.
    ``sun_floor_deg`` (per sector: the lowest the sun stands there, 90 where it never does) lets
    pieces that stay at or below it be skipped: they block no sun. Without it the horizon is exact."""
    ex, ey, ez = (np.asarray(v, dtype=float) for v in (eye_x_m, eye_y_m, eye_z_m))
    owner = np.asarray(eye_owner)
    n = len(ex)
    horizon = np.zeros((n, directions))
    if n == 0 or len(outline.x0) == 0:
        return horizon
    mid = np.column_stack([(outline.x0 + outline.x1) / 2, (outline.y0 + outline.y1) / 2])
    half = float(np.max(np.hypot(outline.x1 - outline.x0, outline.y1 - outline.y0))) / 2
    tree = cKDTree(mid)
    width = 360.0 / directions
    flat = horizon.reshape(-1)
    for start in range(0, n, CHUNK):
        part = slice(start, min(start + CHUNK, n))
        near = cKDTree(np.column_stack([ex[part], ey[part]])).sparse_distance_matrix(
            tree, radius_m + half, output_type="ndarray")
        i = near["i"] + start
        j = near["j"]
        keep = (outline.owner[j] != owner[i]) & (outline.top_m[j] > ez[i])
        i, j = i[keep], j[keep]
        if sun_floor_deg is not None and len(i):
            i, j = _may_block(ex[i], ey[i], ez[i], i, j, outline, mid, sun_floor_deg, width)
        ax, ay = outline.x0[j] - ex[i], outline.y0[j] - ey[i]
        dx, dy = outline.x1[j] - outline.x0[j], outline.y1[j] - outline.y0[j]
        inside = _distance_on(ax, ay, dx, dy, np.zeros(len(i)), np.ones(len(i))) <= radius_m
        i, j, ax, ay, dx, dy = i[inside], j[inside], ax[inside], ay[inside], dx[inside], dy[inside]
        rise = outline.top_m[j] - ez[i]
        az_a = np.mod(np.degrees(np.arctan2(ax, ay)), 360.0)
        az_b = np.mod(np.degrees(np.arctan2(ax + dx, ay + dy)), 360.0)
        delta = np.mod(az_b - az_a + 180.0, 360.0) - 180.0  # the short way round
        low = np.where(delta >= 0, az_a, az_b)
        high = low + np.abs(delta)
        first = np.floor(low / width + 0.5).astype(np.int64)
        span = np.minimum(np.floor(high / width + 0.5).astype(np.int64) - first, directions - 1)
        for k in range(int(span.max()) + 1 if len(span) else 0):
            on = span >= k
            # the part of the piece inside sector first + k, and its point nearest to the eye
            edge = (first[on] + k - 0.5) * width
            lo = np.maximum(low[on], edge)
            hi = np.minimum(high[on], edge + width)
            t_lo = _t_at(ax[on], ay[on], dx[on], dy[on], lo)
            t_hi = _t_at(ax[on], ay[on], dx[on], dy[on], hi)
            distance = _distance_on(ax[on], ay[on], dx[on], dy[on], np.minimum(t_lo, t_hi), np.maximum(t_lo, t_hi))
            elevation = np.degrees(np.arctan2(rise[on], np.maximum(distance, MIN_DISTANCE_M)))
            np.maximum.at(flat, i[on] * directions + (first[on] + k) % directions, elevation)
    return horizon


def _may_block(ex, ey, ez, i, j, outline: Outline, mid: np.ndarray, sun_floor_deg: np.ndarray, width: float):
    """The pairs (eye i, piece j) whose piece may rise above the lowest sun of the sectors it spans
    (a bound from the piece's midpoint and half length; pieces too close to bound are kept)."""
    mx, my = mid[j, 0] - ex, mid[j, 1] - ey
    d_mid = np.hypot(mx, my)
    half = np.hypot(outline.x1[j] - outline.x0[j], outline.y1[j] - outline.y0[j]) / 2
    alpha = np.degrees(np.arcsin(np.clip(half / np.maximum(d_mid, 1e-9), 0.0, 1.0)))
    az = np.mod(np.degrees(np.arctan2(mx, my)), 360.0)
    n = len(sun_floor_deg)
    lo = np.floor((az - alpha) / width + 0.5).astype(np.int64) % n
    hi = np.floor((az + alpha) / width + 0.5).astype(np.int64) % n
    floor = np.minimum(sun_floor_deg[lo], sun_floor_deg[hi])
    tan_bound = (outline.top_m[j] - ez) / np.maximum(d_mid - half, MIN_DISTANCE_M)
    keep = (alpha * 2 > width) | (d_mid <= half) | (tan_bound > np.tan(np.radians(np.minimum(floor, 89.9))))
    keep &= floor < 90.0
    return i[keep], j[keep]


def sun_floor(days: pd.DataFrame, directions: int) -> np.ndarray:
    """Per compass sector: the lowest sun elevation [deg] among the time steps of ``days`` whose sun
    stands in that sector; 90 where the sun never does."""
    sector = np.round(days["azimuth_deg"].to_numpy() / (360.0 / directions)).astype(int) % directions
    floor = np.full(directions, 90.0)
    np.minimum.at(floor, sector, 90.0 - days["zenith_deg"].to_numpy())
    return floor


def _t_at(ax, ay, dx, dy, azimuth_deg) -> np.ndarray:
    """Where (0 … 1) the segment a + t·d (relative to the eye) is seen at ``azimuth_deg``."""
    sin, cos = np.sin(np.radians(azimuth_deg)), np.cos(np.radians(azimuth_deg))
    denominator = dx * cos - dy * sin
    safe = np.where(np.abs(denominator) > 1e-12, denominator, 1.0)
    t = np.where(np.abs(denominator) > 1e-12, (ay * sin - ax * cos) / safe, 0.0)
    return np.clip(t, 0.0, 1.0)


def _distance_on(ax, ay, dx, dy, t_lo, t_hi) -> np.ndarray:
    """Distance [m] from the eye to the part t_lo … t_hi of the segment a + t·d."""
    length2 = dx * dx + dy * dy
    t = np.clip(-(ax * dx + ay * dy) / np.where(length2 > 0, length2, 1.0), t_lo, t_hi)
    return np.hypot(ax + t * dx, ay + t * dy)


def terrain_horizon(terrain: SurfaceModel, x_m, y_m, params: RoofParams) -> np.ndarray:
    """Horizon elevation [deg] of the terrain at points, from the lattice cell each point lies in
    (see the module docstring), shape (points, directions)."""
    x, y = np.asarray(x_m, dtype=float), np.asarray(y_m, dtype=float)
    cell = params.terrain_horizon_cell_m
    keys = np.column_stack([np.floor(x / cell), np.floor(y / cell)]).astype(np.int64)
    cells, inverse = np.unique(keys, axis=0, return_inverse=True)
    cx, cy = (cells[:, 0] + 0.5) * cell, (cells[:, 1] + 0.5) * cell
    ground = terrain.sample(cx, cy)
    horizon = np.zeros((len(cells), params.horizon_directions))
    ok = np.isfinite(ground)
    rows = np.flatnonzero(ok)
    for start in range(0, len(rows), TERRAIN_CHUNK):
        part = rows[start:start + TERRAIN_CHUNK]
        horizon[part] = horizon_angles(terrain, cx[part], cy[part], ground[part] + params.terrain_eye_height_m,
                                       params.horizon_directions, params.terrain_horizon_distance_m)
    return horizon[inverse.reshape(-1)]


def beam_loss_factors(days: pd.DataFrame, tilt_deg, azimuth_deg, horizon_deg: np.ndarray,
                      albedo: float) -> np.ndarray:
    """Share of each plane's annual irradiation left when the beam is removed while the sun is below
    the horizon of its sector (the rule of :func:`potenzial.solar_roof.dsm.shading_factors`).

    Orientations are grouped to ``ORIENTATION_STEP_DEG`` so the irradiance is transposed once per
    orientation, not once per plane."""
    tilt = np.round(np.asarray(tilt_deg, dtype=float) / ORIENTATION_STEP_DEG) * ORIENTATION_STEP_DEG
    azimuth = np.mod(np.round(np.asarray(azimuth_deg, dtype=float) / ORIENTATION_STEP_DEG)
                     * ORIENTATION_STEP_DEG, 360.0)
    factors = np.ones(len(tilt))
    shaded = np.flatnonzero(horizon_deg.max(axis=1) > 0) if len(tilt) else np.array([], dtype=np.int64)
    if len(shaded) == 0:
        return factors
    pairs, group = np.unique(np.column_stack([tilt[shaded], azimuth[shaded]]), axis=0, return_inverse=True)
    group = group.reshape(-1)
    beam, sky, ground, _ = poa_components(days, pairs[:, 0], pairs[:, 1], albedo)
    weight = days["weight_h"].to_numpy()
    beam_wh = beam * weight
    total = (beam_wh + (sky + ground) * weight).sum(axis=-1)
    directions = horizon_deg.shape[1]
    sector = np.round(days["azimuth_deg"].to_numpy() / (360.0 / directions)).astype(int) % directions
    sun_elevation = 90.0 - days["zenith_deg"].to_numpy()
    for start in range(0, len(shaded), CHUNK):
        rows = shaded[start:start + CHUNK]
        g = group[start:start + CHUNK]
        blocked = sun_elevation[None, :] < horizon_deg[rows][:, sector]
        lost = (beam_wh[g] * blocked).sum(axis=-1)
        factors[rows] = np.where(total[g] > 0, 1.0 - lost / np.maximum(total[g], 1e-12), 1.0)
    return factors


def eye_heights_m(planes: gpd.GeoDataFrame, top_m: np.ndarray) -> np.ndarray:
    """Height of each plane's mean point above ground [m]: the top for a flat roof, for a pitched
    plane the top less half its rise (the plane's width across the slope × tan(tilt))."""
    tilt = planes["tilt_deg"].to_numpy(dtype=float)
    width = np.zeros(len(tilt))
    pitched = np.flatnonzero(tilt > 0)
    rect = shapely.oriented_envelope(np.asarray(planes.geometry.values, dtype=object)[pitched])
    ring = shapely.get_coordinates(shapely.get_exterior_ring(rect))
    counts = shapely.get_num_coordinates(shapely.get_exterior_ring(rect))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    ok = counts == 5
    if ok.any():
        s = starts[ok]
        e1 = np.hypot(*(ring[s + 1] - ring[s]).T)
        e2 = np.hypot(*(ring[s + 2] - ring[s + 1]).T)
        width[pitched[ok]] = np.minimum(e1, e2)
    rise = width * np.tan(np.radians(np.clip(tilt, 0.0, 89.0)))
    return np.maximum(top_m - rise / 2.0, 0.0)


def shade_by_neighbours(planes: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, days: pd.DataFrame,
                        params: RoofParams, albedo: float, terrain: SurfaceModel | None = None
                        ) -> gpd.GeoDataFrame:
    """``planes`` with ``shading_factor`` multiplied by the loss from neighbouring ``buildings``
    (footprints with ``building_id`` and heights, EPSG:25833) and, when given, the ``terrain``
    (a DEM in EPSG:25833); see the module docstring. A plane of a building not in ``buildings``
    keeps its factor."""
    if len(planes) == 0 or not params.shading_from_neighbours:
        return planes
    geoms = np.asarray(buildings.geometry.values, dtype=object)
    height = building_heights_m(buildings, params)
    ground = np.zeros(len(geoms))
    if terrain is not None and len(geoms):
        where = shapely.centroid(geoms)  # the DEM's cells are far larger than a building
        ground = np.nan_to_num(terrain.sample(shapely.get_x(where), shapely.get_y(where)), nan=0.0)
    outline = outline_pieces(geoms, ground + height, params.neighbour_outline_step_m)

    row_of = pd.Series(np.arange(len(geoms)), index=buildings["building_id"].astype(str).to_numpy())
    owner = row_of.reindex(planes["building_id"].astype(str).to_numpy()).to_numpy()
    known = np.isfinite(owner)
    out = planes.copy()
    if not known.any():
        return out
    sub = planes.loc[known]
    own = owner[known].astype(np.int64)
    eye = sub.geometry.representative_point()
    ex, ey = eye.x.to_numpy(), eye.y.to_numpy()
    ez = ground[own] + eye_heights_m(sub, height[own])
    horizon = building_horizon(ex, ey, ez, own, outline, params.horizon_directions, params.neighbour_radius_m,
                               sun_floor_deg=sun_floor(days, params.horizon_directions))
    if terrain is not None:
        horizon = np.maximum(horizon, terrain_horizon(terrain, ex, ey, params))
    tilt = sub["tilt_deg"].to_numpy(dtype=float)
    flat = tilt <= params.flat_max_tilt_deg
    module_tilt = np.where(flat, params.flat_module_tilt_deg, tilt)
    module_azimuth = np.where(flat, params.flat_module_azimuth_deg, sub["azimuth_deg"].to_numpy(dtype=float))
    factors = beam_loss_factors(days, module_tilt, module_azimuth, horizon, albedo)
    values = out["shading_factor"].to_numpy(dtype=float).copy()
    values[known] = values[known] * factors
    out["shading_factor"] = values
    return out
