"""Heat density on a square grid in EPSG:25833 and its district-heating suitability class.

Each building's demand goes to the cell that holds its representative point (a point inside
the footprint), so the grid sum equals the building sum exactly. Cells are aligned to multiples
of the cell size; a cell's id is ``E<easting>N<northing>`` of its lower-left corner [m].
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS, require_crs
from potenzial.units import M2_PER_HA

#: district-heating suitability classes in rising order (bounds in [demand.density_classes])
DH_CLASSES = ("no_potential", "new_development", "low_temperature", "conventional", "very_high")


def dh_class(density_mwh_per_ha_a: np.ndarray, lower_bounds: tuple[float, ...]) -> np.ndarray:
    """The suitability class of each heat density [MWh/(ha·a)]: the last class whose lower bound it reaches."""
    k = np.searchsorted(np.asarray(lower_bounds), np.asarray(density_mwh_per_ha_a, dtype=float), side="right") - 1
    return np.asarray(DH_CLASSES, dtype=object)[np.clip(k, 0, len(DH_CLASSES) - 1)]


def heat_density_grid(buildings: gpd.GeoDataFrame, demand_column: str, cell_m: float,
                      lower_bounds: tuple[float, ...]) -> gpd.GeoDataFrame:
    """Cells with demand > 0: heat demand [MWh/a], density [MWh/(ha·a)], class, buildings, polygon (EPSG:25833)."""
    require_crs(buildings.crs, ANALYSIS_CRS, "buildings", "the heat density grid")
    heated = buildings[buildings[demand_column] > 0]
    points = shapely.point_on_surface(heated.geometry.to_numpy())
    xy = shapely.get_coordinates(points)
    ix = np.floor(xy[:, 0] / cell_m).astype(np.int64)
    iy = np.floor(xy[:, 1] / cell_m).astype(np.int64)
    cells = pd.DataFrame({"ix": ix, "iy": iy, "demand": heated[demand_column].to_numpy(float)})
    grouped = cells.groupby(["ix", "iy"], sort=True).agg(demand=("demand", "sum"), n=("demand", "size")).reset_index()
    x0, y0 = grouped["ix"].to_numpy() * cell_m, grouped["iy"].to_numpy() * cell_m
    area_ha = cell_m * cell_m / M2_PER_HA
    density = grouped["demand"].to_numpy() / area_ha
    geometry = shapely.box(x0, y0, x0 + cell_m, y0 + cell_m)
    return gpd.GeoDataFrame({
        "cell_id": [f"E{int(x)}N{int(y)}" for x, y in zip(x0, y0, strict=True)],
        "heat_demand_mwh_th_per_a": grouped["demand"].to_numpy(),
        "heat_density_mwh_th_per_ha_a": density,
        "dh_class": dh_class(density, lower_bounds),
        "buildings": grouped["n"].to_numpy(np.int64),
    }, geometry=geometry, crs=ANALYSIS_CRS)
