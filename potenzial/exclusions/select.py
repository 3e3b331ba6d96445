"""Which features of a layer a rule uses: its attribute filter, lines widened to their width."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import require_metric
from potenzial.errors import InputDataError
from potenzial.exclusions.rules import Rule

QUAD_SEGS = 16  #: segments per quarter circle of the shapely buffers


# ================================================================================ features

def select_features(frame: gpd.GeoDataFrame, rule: Rule) -> np.ndarray:
    """The geometries of ``frame`` that the rule's filter selects, as a shapely array.

    ``where`` entries: a scalar (equality), a list (membership) or ``{ min = …, max = … }``
    (numeric range, inclusive). With ``width_column``, lines become polygons of that width
    (half on each side: the distance is then measured from the edge, e.g. of a carriageway).
    """
    require_metric(frame.crs, f"layer {rule.layer!r} (rule {rule.id!r})")
    keep = np.ones(len(frame), dtype=bool)
    for col, value in rule.where.items():
        if col not in frame.columns:
            raise InputDataError(f"layer {rule.layer!r} has no column {col!r} that rule {rule.id!r} filters on "
                                 f"(it has {', '.join(c for c in frame.columns if c != 'geometry')}). "
                                 "Map it with fields = { … } in the catalog entry.")
        series = frame[col]
        if isinstance(value, dict):
            num = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
            ok = ~np.isnan(num)
            if "min" in value:
                ok &= num >= float(value["min"])
            if "max" in value:
                ok &= num <= float(value["max"])
            keep &= ok
        elif isinstance(value, list):
            keep &= _isin(series, value)
        else:
            keep &= _isin(series, [value])
    chosen = frame.loc[keep]
    geoms = np.asarray(chosen.geometry.values, dtype=object)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    geoms = geoms[present]
    if rule.width_column and len(geoms):
        widths = pd.to_numeric(chosen[rule.width_column], errors="coerce").to_numpy(dtype=float)[present]
        if np.isnan(widths).any() or (widths < 0).any():
            raise InputDataError(f"layer {rule.layer!r}: column {rule.width_column!r} has missing or negative "
                                 f"widths (rule {rule.id!r}). Fill it with the width in metres.")
        geoms = shapely.buffer(geoms, widths / 2.0, quad_segs=QUAD_SEGS, cap_style="flat")
        geoms = geoms[~shapely.is_empty(geoms)]
    return geoms


def _isin(series: pd.Series, values: list) -> np.ndarray:
    """Membership; numeric columns compare numerically (class 1 == 1.0), others as text."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        nums = []
        for v in values:
            try:
                nums.append(float(v))
            except (TypeError, ValueError):
                continue
        return np.isin(series.to_numpy(dtype=float), nums)
    return np.isin(series.astype(str).to_numpy(), [str(v) for v in values])
