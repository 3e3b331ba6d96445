"""Existing open-field PV plants per municipality (the UFZ 2015 polygons, where known)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS, require_metric
from potenzial.errors import InputDataError
from potenzial.units import KW_PER_MW, M2_PER_HA


def installed_per_municipality(installed: gpd.GeoDataFrame | None, munis: gpd.GeoDataFrame,
                               power_column: str) -> pd.DataFrame:
    """Existing ground PV per AGS: plants, capacity [MWp] from ``power_column`` [kW] and area [ha],
    each plant in the municipality holding its representative point (plants outside are left out)."""
    out = pd.DataFrame({"ags": munis["ags"].to_numpy(), "plants": 0, "mwp": 0.0, "ha": 0.0})
    if installed is None or len(installed) == 0:
        return out
    require_metric(installed.crs, "installed ground PV plants")
    if power_column not in installed.columns:
        raise InputDataError(f"installed ground PV: column {power_column!r} [kW] is missing (columns: "
                             f"{', '.join(c for c in installed.columns if c != installed.geometry.name)}). "
                             "Set [pv_ground] installed_power_column.")
    plants = installed.to_crs(ANALYSIS_CRS)
    geoms = np.asarray(plants.geometry.values, dtype=object)
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    plants, geoms = plants.loc[ok], geoms[ok]
    power_kw = pd.to_numeric(plants[power_column], errors="coerce").fillna(0.0).to_numpy()
    points = shapely.point_on_surface(geoms)
    tree = shapely.STRtree(np.asarray(munis.geometry.values, dtype=object))
    p_idx, m_idx = tree.query(points, predicate="within")
    first = pd.Series(m_idx).groupby(p_idx).first()
    k = first.index.to_numpy()
    zone = first.to_numpy()
    n = len(munis)
    out["plants"] = np.bincount(zone, minlength=n).astype(np.int64)
    out["mwp"] = np.bincount(zone, weights=power_kw[k], minlength=n) / KW_PER_MW
    out["ha"] = np.bincount(zone, weights=shapely.area(geoms[k]), minlength=n) / M2_PER_HA
    return out
