"""Excluded land as polygons: one (multi)polygon per municipality and combination of rules.

Shared by the wind and open-field PV steps (``wind_exclusions``, ``pv_ground_exclusions``): the cells
inside the region that at least one *exclude* rule hits, keyed by their zone (municipality) and the
bitmask of the exclude rules that hit them, so that the map can colour land by its reason and tell
hard from soft exclusions.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.exclusions.evaluate import Exclusions
from potenzial.exclusions.polygons import polygons
from potenzial.units import M2_PER_HA


def excluded_land(excl: Exclusions, zones: np.ndarray, ags: Sequence[str]) -> gpd.GeoDataFrame:
    """Excluded cells inside the region (``zones`` 1-based into ``ags``), one (multi)polygon per
    municipality and rule combination: columns ``ags``, ``rule_mask`` (bit i = rule i of ``excl.rules``),
    ``reason`` (the rule ids, comma-separated), ``hard`` (a hard rule hits), ``area_ha``; EPSG:25833."""
    bits = excl.exclusion_bits()
    n_rules = len(excl.rules)
    zone_bits = int(np.ceil(np.log2(len(ags) + 1)))
    hit = excl.bitmask & excl.bitmask.dtype.type(bits)
    inside = (hit != 0) & (zones > 0)
    if n_rules + zone_bits <= 31:
        key = zones.astype(np.int32) << n_rules
        key |= hit.astype(np.int32)
        frame = polygons(excl.grid, key, inside)
        del key
        value = frame["value"].to_numpy()
        zone = value >> n_rules
        mask_value = value & ((1 << n_rules) - 1)
    else:  # many rules: number the (zone, bitmask) pairs that occur
        idx = np.flatnonzero(inside.ravel())
        pair = zones.ravel()[idx].astype(np.int64) << 32 | hit.ravel()[idx].astype(np.int64)
        uniq, code = np.unique(pair, return_inverse=True)
        key = np.zeros(excl.grid.shape, dtype=np.int32)
        key.ravel()[idx] = code.astype(np.int32) + 1
        frame = polygons(excl.grid, key, inside)
        del key
        value = uniq[frame["value"].to_numpy() - 1]
        zone = value >> 32
        mask_value = value & 0xFFFFFFFF
    del hit, inside
    ags_arr = np.asarray(ags, dtype=object)
    hard_bits = sum(1 << i for i, r in enumerate(excl.rules) if r.kind == "hard" and r.effect == "exclude")
    return gpd.GeoDataFrame({
        "ags": ags_arr[zone - 1] if len(value) else np.array([], dtype=object),
        "rule_mask": mask_value.astype(np.int64),
        "reason": [",".join(excl.rule_ids_of(int(m))) for m in mask_value],
        "hard": (mask_value & hard_bits) != 0,
        "area_ha": shapely.area(np.asarray(frame.geometry.values, dtype=object)) / M2_PER_HA,
    }, geometry=frame.geometry.values, crs=ANALYSIS_CRS)


__all__ = ["excluded_land"]
