"""Mapbox Vector Tiles encoded in Python (for stores without ``ST_AsMVT``).

Mirrors PostGIS' ``ST_AsMVTGeom(geom_3857, ST_TileEnvelope(z, x, y), extent, buffer, true)`` +
``ST_AsMVT``: geometry transformed to EPSG:3857, clipped to the tile plus ``buffer`` (in tile
units), scaled to ``0..extent`` with y pointing down, snapped to the integer grid, made valid;
geometries that collapse are dropped, null properties are omitted. The result decodes to the
same features as the PostGIS tile (tested).
"""

from __future__ import annotations

import math

import geopandas as gpd
import mapbox_vector_tile
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import WEB_MERCATOR
from potenzial.tiles.grid import tile_bounds_3857

DEFAULT_EXTENT = 4096
DEFAULT_BUFFER = 64
#: features per layer and tile; more are cut (the tile says nothing about it, like a LIMIT)
DEFAULT_MAX_FEATURES = 20_000
MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"


def _python_value(value):
    if value is None:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    return str(value)


def to_tile_geometries(geoms_3857: np.ndarray, z: int, x: int, y: int, extent: int, buffer: int) -> np.ndarray:
    """Clip, scale to tile units (y down), snap to the integer grid and make valid; None where empty."""
    minx, miny, maxx, maxy = tile_bounds_3857(z, x, y)
    size = maxx - minx
    pad = buffer * size / extent
    clipped = shapely.clip_by_rect(geoms_3857, minx - pad, miny - pad, maxx + pad, maxy + pad)
    factor = extent / size

    def scale(coords: np.ndarray) -> np.ndarray:
        out = np.empty_like(coords)
        out[:, 0] = (coords[:, 0] - minx) * factor
        out[:, 1] = (maxy - coords[:, 1]) * factor
        return out

    tiled = shapely.transform(clipped, scale)
    snapped = shapely.set_precision(tiled, 1.0)
    out = np.empty(len(snapped), dtype=object)
    for i, geom in enumerate(snapped):
        if geom is None or geom.is_empty:
            out[i] = None
            continue
        if geom.geom_type == "GeometryCollection":  # keep the parts of the layer's dimension only
            dim = shapely.get_dimensions(geoms_3857[i])
            parts = [g for g in geom.geoms if shapely.get_dimensions(g) == dim and not g.is_empty]
            geom = shapely.union_all(parts) if parts else None
        if geom is not None and geom.geom_type in ("Polygon", "MultiPolygon") and geom.area == 0:
            geom = None
        if geom is not None and geom.geom_type in ("LineString", "MultiLineString") and geom.length == 0:
            geom = None
        out[i] = geom
    return out


def tile_features(frame: gpd.GeoDataFrame, z: int, x: int, y: int, *, extent: int = DEFAULT_EXTENT,
                  buffer: int = DEFAULT_BUFFER, max_features: int = DEFAULT_MAX_FEATURES,
                  simplify_px: float = 0.0) -> list[dict]:
    """The features of ``frame`` (any CRS) in the tile, in tile units, null properties omitted.
    ``simplify_px`` > 0 simplifies each geometry first by that many tile pixels (base-map layers)."""
    if frame.empty:
        return []
    frame = frame.head(max_features)
    geoms = frame.geometry.to_crs(WEB_MERCATOR).values if frame.crs else frame.geometry.values
    geoms = np.asarray(geoms, dtype=object)
    if simplify_px > 0:
        minx, _, maxx, _ = tile_bounds_3857(z, x, y)
        geoms = shapely.simplify(geoms, simplify_px * (maxx - minx) / extent, preserve_topology=True)
    tiled = to_tile_geometries(geoms, z, x, y, extent, buffer)
    attrs = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    records = attrs.to_dict(orient="records")
    features = []
    for geom, props in zip(tiled, records, strict=True):
        if geom is None:
            continue
        clean = {k: v for k, v in ((k, _python_value(v)) for k, v in props.items()) if v is not None}
        features.append({"geometry": geom, "properties": clean})
    return features


def encode_layers(layers: list[tuple[str, list[dict]]], *, extent: int = DEFAULT_EXTENT) -> bytes:
    """An MVT of (layer name, features from :func:`tile_features`) pairs; empty layers are left out,
    ``b""`` when every layer is empty."""
    kept = [{"name": name, "features": features} for name, features in layers if features]
    if not kept:
        return b""
    return mapbox_vector_tile.encode(
        kept, default_options={"extents": extent, "y_coord_down": True, "quantize_bounds": None,
                               "check_winding_order": True},
    )


def encode_layer(frame: gpd.GeoDataFrame, layer: str, z: int, x: int, y: int, *, extent: int = DEFAULT_EXTENT,
                 buffer: int = DEFAULT_BUFFER, max_features: int = DEFAULT_MAX_FEATURES) -> bytes:
    """An MVT with one layer ``layer`` from ``frame`` (any CRS); ``b""`` when no feature is in the tile."""
    features = tile_features(frame, z, x, y, extent=extent, buffer=buffer, max_features=max_features)
    return encode_layers([(layer, features)], extent=extent)


def decode(tile: bytes) -> dict:
    """Decode an MVT (tile coordinates, y down) — for tests and tools."""
    return mapbox_vector_tile.decode(tile, default_options={"y_coord_down": True})
