"""From which zoom level the page draws a vector layer.

A layer of many small features (roof planes: ≈ 700 per km² in town) cannot be drawn at county
scale: one tile at zoom 10 covers ≈ 600 km², the server would cut it at its feature limit
(``POTENZIAL_SERVE_MAX_FEATURES_PER_TILE``) and show an arbitrary part, slowly. So the page
estimates each vector layer's density from small samples (features and vertices per km², the
90th percentile over sample boxes at every municipality) and draws it only from the first zoom
level at which an average 256 px tile stays within both budgets below. Below that zoom the layer
control says from which zoom the layer appears. The tile maths (a tile's ground area) is
:func:`potenzial.tiles.grid.tile_area_km2`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence

import geopandas as gpd
import numpy as np
import shapely

from potenzial.crs import WGS84
from potenzial.errors import PotenzialError
from potenzial.serving.registry import ServedLayer
from potenzial.tiles.grid import tile_area_km2
from potenzial.units import M2_PER_KM2

#: features and vertices an average tile may hold for the page to draw the layer
MAX_FEATURES_PER_TILE = 8_000
MAX_VERTICES_PER_TILE = 250_000
#: half the side of a sample box [m]
SAMPLE_HALF_SIDE_M = 1_000.0
DENSITY_PERCENTILE = 90.0
MAX_DISPLAY_ZOOM = 16

BBox = tuple[float, float, float, float]

log = logging.getLogger("potenzial.web")


def display_minzoom(features_per_km2: float, vertices_per_km2: float, lat_deg: float, *,
                    max_features: int = MAX_FEATURES_PER_TILE, max_vertices: int = MAX_VERTICES_PER_TILE,
                    highest: int = MAX_DISPLAY_ZOOM) -> int:
    """The lowest zoom at which an average tile holds at most ``max_features`` features and
    ``max_vertices`` vertices (``highest`` if none does)."""
    for z in range(highest + 1):
        area = tile_area_km2(z, lat_deg)
        if features_per_km2 * area <= max_features and vertices_per_km2 * area <= max_vertices:
            return z
    return highest


def sample_boxes(centres: Sequence[shapely.Point], half_side_m: float = SAMPLE_HALF_SIDE_M) -> list[BBox]:
    """Square boxes (EPSG:25833 [m]) around ``centres``."""
    return [(p.x - half_side_m, p.y - half_side_m, p.x + half_side_m, p.y + half_side_m) for p in centres]


def layer_density(read_bbox: Callable[[BBox], gpd.GeoDataFrame], boxes: Sequence[BBox],
                  percentile: float = DENSITY_PERCENTILE) -> tuple[float, float]:
    """(features per km², vertices per km²) of a layer: the ``percentile`` over ``boxes``.

    ``read_bbox(box)`` returns the features whose bounding box meets ``box`` (EPSG:25833). A
    feature counts where it meets the box; vertices count inside the box only.
    """
    if not boxes:
        return 0.0, 0.0
    features, vertices = [], []
    for box in boxes:
        area_km2 = (box[2] - box[0]) * (box[3] - box[1]) / M2_PER_KM2
        frame = read_bbox(box)
        geoms = frame.geometry.values if len(frame) else np.asarray([], dtype=object)
        if len(geoms):
            clipped = shapely.clip_by_rect(np.asarray(geoms), *box)
            inside = ~shapely.is_empty(clipped)
            features.append(int(inside.sum()) / area_km2)
            vertices.append(float(shapely.get_num_coordinates(clipped[inside]).sum()) / area_km2)
        else:
            features.append(0.0)
            vertices.append(0.0)
    return float(np.percentile(features, percentile)), float(np.percentile(vertices, percentile))


def vector_display_zooms(layers: Iterable[ServedLayer], municipalities: gpd.GeoDataFrame,
                         read_bbox: Callable[[str, BBox], gpd.GeoDataFrame]) -> dict[str, int]:
    """Zoom from which the page draws each vector layer, from its density around every
    municipality's representative point. ``municipalities`` in EPSG:25833; ``read_bbox(layer_id, box)``
    reads a layer's features meeting ``box`` (EPSG:25833 [m]). A layer whose density cannot be
    estimated is logged and left out (the page draws it from its own minimum zoom)."""
    boxes = sample_boxes(list(municipalities.geometry.representative_point()))
    south, north = (float(v) for v in municipalities.to_crs(WGS84).total_bounds[[1, 3]])
    lat = (south + north) / 2 if len(municipalities) else 0.0
    zooms: dict[str, int] = {}
    for layer in layers:
        if layer.kind != "vector":
            continue
        def read_layer(box: BBox, name: str = layer.id) -> gpd.GeoDataFrame:
            return read_bbox(name, box)

        try:
            features, vertices = layer_density(read_layer, boxes)
        except PotenzialError as exc:
            log.warning("layer %s: density not estimated (%s); drawn from zoom %d", layer.id, exc, layer.minzoom)
            continue
        zooms[layer.id] = max(layer.minzoom, display_minzoom(features, vertices, lat))
    return zooms


__all__ = ["display_minzoom", "layer_density", "sample_boxes", "tile_area_km2", "vector_display_zooms"]
