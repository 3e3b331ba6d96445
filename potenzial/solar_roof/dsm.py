"""Roof planes from a surface model, and shading from the horizon. Pure calculation on arrays.

**Planes.** Inside each footprint, the DSM's gradient gives every cell a slope and an aspect
(the compass direction the surface falls towards). Cells next to the footprint edge are left out
(their gradient mixes roof and ground), as are cells steeper than ``dsm_max_roof_tilt_deg``
(walls). The remaining cells are grouped per building into *flat* (slope ≤ ``flat_max_tilt_deg``)
and eight aspect sectors of 45°; each group of at least ``dsm_min_plane_pixels`` cells is a plane
whose tilt and azimuth come from the group's median gradient and whose sloped area is the group's
ground area / cos(tilt), scaled so the groups of a building cover its whole footprint.

**Shading.** From a point on the plane the horizon is the highest elevation angle of the surface
in each of ``horizon_directions`` compass directions up to ``horizon_max_distance_m``. The
shading factor is the share of the plane's annual irradiation left when the beam part is removed
for every time step where the sun stands below the horizon in its direction.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio import features
from scipy import ndimage

from potenzial.crs import ANALYSIS_CRS
from potenzial.irradiation import poa_components
from potenzial.solar_roof.params import RoofParams
from potenzial.solar_roof.planes import PLANE_COLUMNS, empty_planes
from potenzial.sources.dsm import SurfaceModel

SECTORS = 8
CHUNK = 2000  #: planes per horizon batch (bounds memory)


def dsm_planes(buildings: gpd.GeoDataFrame, surface: SurfaceModel, params: RoofParams) -> gpd.GeoDataFrame:
    """Planes of every building that the surface model covers (see the module docstring)."""
    if len(buildings) == 0:
        return empty_planes()
    shape = surface.heights_m.shape
    geoms = np.asarray(buildings.geometry.values, dtype=object)
    labels = features.rasterize(((g, i + 1) for i, g in enumerate(geoms)), out_shape=shape,
                                transform=surface.transform, fill=0, dtype="int32")
    res_x, res_y = surface.res_m
    dz_drow, dz_dcol = np.gradient(surface.heights_m)
    dzdx = dz_dcol / res_x  # east
    dzdy = -dz_drow / res_y  # north (rows run south)
    slope = np.degrees(np.arctan(np.hypot(dzdx, dzdy)))
    interior = (ndimage.minimum_filter(labels, size=3, mode="nearest")
                == ndimage.maximum_filter(labels, size=3, mode="nearest")) & (labels > 0)
    valid = interior & np.isfinite(slope) & (slope <= params.dsm_max_roof_tilt_deg)
    aspect = np.mod(np.degrees(np.arctan2(-dzdx, -dzdy)), 360.0)
    sector = np.where(slope <= params.flat_max_tilt_deg, 0,
                      1 + (np.floor(np.mod(aspect + 180.0 / SECTORS, 360.0) / (360.0 / SECTORS))).astype(int) % SECTORS)
    key = np.where(valid, labels.astype(np.int64) * (SECTORS + 1) + sector, 0)
    flat_key = key[valid]
    if flat_key.size == 0:
        return empty_planes()
    groups, inverse, counts = np.unique(flat_key, return_inverse=True, return_counts=True)
    # the median gradient of a group is robust against ridge, eave and chimney cells
    medians = pd.DataFrame({"g": inverse, "x": dzdx[valid], "y": dzdy[valid]}).groupby("g").median()
    mean_dzdx = medians["x"].to_numpy()
    mean_dzdy = medians["y"].to_numpy()
    building_idx = (groups // (SECTORS + 1)) - 1
    keep = counts >= params.dsm_min_plane_pixels
    if not keep.any():
        return empty_planes()
    tilt = np.degrees(np.arctan(np.hypot(mean_dzdx, mean_dzdy)))
    azimuth = np.mod(np.degrees(np.arctan2(-mean_dzdx, -mean_dzdy)), 360.0)
    azimuth = np.where(tilt <= params.flat_max_tilt_deg, np.where(tilt < 1e-9, 180.0, azimuth), azimuth)
    pixel_area = res_x * res_y
    kept_pixels = np.bincount(building_idx[keep], weights=counts[keep], minlength=len(geoms))
    scale = shapely.area(geoms) / np.maximum(kept_pixels * pixel_area, 1e-9)
    ground_area = counts * pixel_area * scale[building_idx]
    plane_area = ground_area / np.cos(np.radians(tilt))

    group_raster = np.zeros(shape, dtype=np.int32)
    group_raster[valid] = inverse + 1
    group_raster[~np.isin(group_raster, np.where(keep)[0] + 1)] = 0
    shapes = [(shapely.geometry.shape(g), int(v)) for g, v in
              features.shapes(group_raster, mask=group_raster > 0, transform=surface.transform)]
    shape_frame = pd.DataFrame({"group": [v - 1 for _, v in shapes], "geometry": [g for g, _ in shapes]})
    merged = shape_frame.groupby("group")["geometry"].agg(lambda s: shapely.union_all(s.to_numpy()))

    idx = np.where(keep)[0]
    frame = pd.DataFrame({
        "building_id": buildings["building_id"].astype(str).to_numpy()[building_idx[idx]],
        "method": "dsm",
        "tilt_deg": tilt[idx],
        "azimuth_deg": azimuth[idx],
        "plane_area_m2": plane_area[idx],
        "shading_factor": 1.0,
    })
    return gpd.GeoDataFrame(frame[list(PLANE_COLUMNS)], geometry=merged.reindex(idx).to_numpy(), crs=ANALYSIS_CRS)


def horizon_angles(surface: SurfaceModel, x_m, y_m, z_m, directions: int, max_distance_m: float) -> np.ndarray:
    """Horizon elevation [deg] seen from points (x, y, z) in ``directions`` compass directions
    (0°, 360/directions, …, clockwise from north), shape (points, directions); 0 where open."""
    x = np.asarray(x_m, dtype=float)[:, None, None]
    y = np.asarray(y_m, dtype=float)[:, None, None]
    z = np.asarray(z_m, dtype=float)[:, None, None]
    res = min(surface.res_m)
    near = np.arange(res, min(20.0, max_distance_m), res)
    far = np.geomspace(max(20.0, res), max_distance_m, 40) if max_distance_m > 20.0 else np.array([])
    distance = np.unique(np.concatenate([near, far]))[None, None, :]
    az = np.radians(np.arange(directions) * 360.0 / directions)[None, :, None]
    px = x + np.sin(az) * distance
    py = y + np.cos(az) * distance
    heights = surface.sample(px.reshape(-1), py.reshape(-1)).reshape(px.shape)
    angle = np.degrees(np.arctan2(heights - z, distance))
    angle = np.where(np.isfinite(angle), angle, -90.0)
    return np.maximum(angle.max(axis=2), 0.0)


def shading_factors(days: pd.DataFrame, tilt_deg, azimuth_deg, horizon_deg: np.ndarray, albedo: float
                    ) -> np.ndarray:
    """Share of the annual plane irradiation left after horizon shading of the beam, per plane.

    ``horizon_deg`` (planes, directions) from :func:`horizon_angles`; ``days`` from
    :func:`potenzial.irradiation.typical_days` of the place."""
    tilt = np.asarray(tilt_deg, dtype=float)
    azimuth = np.asarray(azimuth_deg, dtype=float)
    beam, sky, ground, _ = poa_components(days, tilt, azimuth, albedo)
    weight = days["weight_h"].to_numpy()
    directions = horizon_deg.shape[1]
    sun_az = days["azimuth_deg"].to_numpy()
    sun_elevation = 90.0 - days["zenith_deg"].to_numpy()
    sector = np.round(sun_az / (360.0 / directions)).astype(int) % directions
    blocked = sun_elevation[None, :] < horizon_deg[:, sector]
    total = ((beam + sky + ground) * weight).sum(axis=-1)
    lost = (beam * blocked * weight).sum(axis=-1)
    return np.where(total > 0, 1.0 - lost / np.maximum(total, 1e-12), 1.0)


def shade_planes(planes: gpd.GeoDataFrame, surface: SurfaceModel, days: pd.DataFrame,
                 params: RoofParams, albedo: float) -> gpd.GeoDataFrame:
    """``planes`` with ``shading_factor`` from the surface model's horizon (planes outside the
    model keep their factor)."""
    if len(planes) == 0:
        return planes
    where = planes.geometry.representative_point()
    z = surface.sample(where.x.to_numpy(), where.y.to_numpy())
    inside = np.isfinite(z)
    out = planes.copy()
    if inside.any():
        xs, ys = where.x.to_numpy()[inside], where.y.to_numpy()[inside]
        tilts, azimuths = out["tilt_deg"].to_numpy()[inside], out["azimuth_deg"].to_numpy()[inside]
        factors = np.empty(len(xs))
        for start in range(0, len(xs), CHUNK):
            part = slice(start, start + CHUNK)
            horizon = horizon_angles(surface, xs[part], ys[part], z[inside][part] + 0.1,
                                     params.horizon_directions, params.horizon_max_distance_m)
            factors[part] = shading_factors(days, tilts[part], azimuths[part], horizon, albedo)
        values = out["shading_factor"].to_numpy(dtype=float).copy()
        values[inside] = values[inside] * factors
        out["shading_factor"] = values
    return out

