"""Exclusion engine: dated rule sets of buffered layers -> exact exclusion rasters and polygons.

Shared by every land-based potential (wind, open-field PV). A **rule set** is a dated TOML file
in ``layers/rules/`` (law changes are a new file, not new code). Each **rule** names a layer
(a catalog layer id, or a layer the calling step derives, such as classified residential
buildings), an optional attribute filter (``where``), a buffer in metres, whether it is
``hard`` or ``soft``, whether the user may switch it, whether it excludes or includes land
(PV corridors), and its legal source.

Rules are evaluated on a :class:`potenzial.grid.Grid` (EPSG:25833 (default 10 m cells). A cell is *hit* by a
rule when the exact Euclidean distance from the cell **centre** to the rule's features is at
most ``buffer_m`` (for a buffer of 0: the centre lies inside a polygon). This is exact, not a
raster approximation: the raster only decides where the exact test is needed.

- Many features (e.g. 80,000 buildings): a Euclidean distance transform
  (:func:`scipy.ndimage.distance_transform_edt` with ``sampling = resolution``) against the
  features rasterised with ``all_touched``. Its error is at most resolution/√2, so every cell
  whose raster distance lies within 0.75 cell of the buffer gets the exact vector distance
  (``STRtree.query_nearest``). The distance raster itself is kept when asked for
  (distance bands, see :func:`area_by_distance`).
- Small features (building footprints): every candidate cell of each feature gets the exact
  test, vectorised (no rasterisation).
- Few large features (roads, lines, protected areas): the shapely buffer is rasterised twice,
  once widened and once narrowed by a tolerance; only the cells between the two get the exact
  test (against the features' segments). With a buffer of 0, GDAL's centre-in-polygon rule.

No diamonds, no squares: a single point with a 1,000 m buffer excludes the cells whose centres
lie within 1,000 m, i.e. a disc of area π·1000² (tests/test_exclusions.py).

Which rules hit a cell is kept as a bitmask raster (one bit per enabled rule, uint8/16/32), from
which the vector layers are polygonised (:func:`polygons`).

The package, one concept per module:

- :mod:`~potenzial.exclusions.rules`: rules and dated rule sets, loaded and checked from TOML;
- :mod:`~potenzial.exclusions.select`: the features a rule uses (attribute filter, widths);
- :mod:`~potenzial.exclusions.distance`: exact masks within a buffer and distance rasters;
- :mod:`~potenzial.exclusions.evaluate`: a rule set on a grid -> the bitmask (:class:`Exclusions`);
- :mod:`~potenzial.exclusions.polygons`: zones, area by distance band, polygonising;
- :mod:`~potenzial.exclusions.excluded_land`: excluded land by municipality and reason (polygons);
- :mod:`~potenzial.exclusions.categories`: categories of eligible land (AND/OR include rules),
  catalog value checks, small pieces with a merge distance (open-field PV).
"""

from potenzial.exclusions.categories import (
    Category,
    CategoryHead,
    catalog_value_sets,
    category_mask,
    check_layer_values,
    check_rule_values,
    drop_small_pieces,
    load_category,
    load_exclusion_set,
    merge_offsets,
)
from potenzial.exclusions.distance import EDT_MIN_FEATURES, SMALL_FEATURE_CELLS, distance_raster, within_mask
from potenzial.exclusions.evaluate import Exclusions, evaluate
from potenzial.exclusions.excluded_land import excluded_land
from potenzial.exclusions.polygons import area_by_distance, polygons, zone_raster
from potenzial.exclusions.rules import (
    MAX_BUFFER_M,
    MAX_RULES,
    FilterValue,
    LayerSpec,
    Rule,
    RuleSet,
    Target,
    load_rule_set,
    resolve_rule_set_path,
)
from potenzial.exclusions.select import QUAD_SEGS, select_features
from potenzial.grid import DEFAULT_RESOLUTION_M, Grid

__all__ = [
    "DEFAULT_RESOLUTION_M", "EDT_MIN_FEATURES", "MAX_BUFFER_M", "MAX_RULES", "QUAD_SEGS", "SMALL_FEATURE_CELLS",
    "Category", "CategoryHead", "Exclusions", "FilterValue", "Grid", "LayerSpec", "Rule", "RuleSet", "Target",
    "area_by_distance", "catalog_value_sets", "category_mask", "check_layer_values", "check_rule_values",
    "distance_raster", "drop_small_pieces", "evaluate", "excluded_land",
    "load_category", "load_exclusion_set", "load_rule_set",
    "merge_offsets", "polygons", "resolve_rule_set_path", "select_features", "within_mask", "zone_raster",
]
