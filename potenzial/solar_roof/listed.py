"""Listed buildings (Kulturdenkmale, SächsDSchG): which footprints a monument layer marks.

A building is listed when a feature of the ``listed_buildings`` layer (a point on the building, as
in the Saxon monument list, or the monument's outline) intersects its footprint. Whether the roofs
of listed buildings are counted is the switch ``exclude_listed_buildings`` of the roof parameters
(:func:`potenzial.solar_roof.potential.assess_planes`). Pure calculation.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from potenzial.crs import require_metric


def listed_ids(buildings: gpd.GeoDataFrame, monuments: gpd.GeoDataFrame) -> set[str]:
    """``building_id`` of every footprint that a monument feature intersects (both EPSG:25833)."""
    require_metric(monuments.crs, "layer 'listed_buildings'")
    if len(buildings) == 0 or len(monuments) == 0:
        return set()
    features = monuments[["geometry"]]
    if features.crs != buildings.crs:
        features = features.to_crs(buildings.crs)
    features = features[~(features.geometry.is_empty | features.geometry.isna())]
    joined = gpd.sjoin(buildings[["building_id", "geometry"]], features, predicate="intersects", how="inner")
    return set(joined["building_id"].astype(str))


def mark_listed(planes: pd.DataFrame, ids: set[str]) -> np.ndarray:
    """Per plane: does it belong to a listed building?"""
    return planes["building_id"].astype(str).isin(ids).to_numpy()
