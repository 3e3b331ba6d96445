"""Analysis rasters for download: every raster layer of a run as a Cloud-Optimized GeoTIFF in
EPSG:25833, for the county (the whole raster) and per municipality (clipped to its bounding box,
cells outside its outline set to nodata).

Files live under ``<raster_cache>/<run_id>/rasters/``: ``county/<layer>.tif`` for a catalog
raster that is not a COG itself (a run's own rasters already are: the run rewrote them), and
``<ags>/<layer>.tif`` per municipality. They are built once per run, atomically, then served from
disk; only registry ids and checked AGS build a path.
"""

from __future__ import annotations

from pathlib import Path

from potenzial.errors import UnknownLayerError
from potenzial.serving.downloads import _lock_for
from potenzial.serving.municipality import Municipality
from potenzial.serving.registry import LayerRegistry, ServedLayer
from potenzial.tiles.cog import clip_to_cog, copy_as_cog, is_cog

#: media type of a Cloud-Optimized GeoTIFF (OGC GeoTIFF standard, cloud-optimized profile)
COG_MEDIA_TYPE = "image/tiff; application=geotiff; profile=cloud-optimized"
RASTERS_FOLDER = "rasters"
COUNTY_FOLDER = "county"


def raster_layer(registry: LayerRegistry, layer_id: str) -> ServedLayer:
    """The raster layer ``layer_id`` of the registry; UnknownLayerError for a vector or unknown id."""
    layer = registry.get(layer_id)
    if layer.kind != "raster" or layer.analysis_path is None:
        raise UnknownLayerError(f"layer {layer.id} is a vector layer; only raster layers are downloaded as "
                                "GeoTIFF (vector layers: the municipality's GeoPackage).")
    return layer


def county_raster_path(raster_cache: Path, layer: ServedLayer) -> Path:
    """The county-wide COG of ``layer``: its analysis raster when that is a COG, else a COG copy."""
    source = _analysis(layer)
    if layer.origin == "run" and is_cog(source):
        return source
    target = raster_cache / layer.run_id / RASTERS_FOLDER / COUNTY_FOLDER / f"{layer.id}.tif"
    if target.is_file():
        return target
    with _lock_for(target):
        if target.is_file():
            return target
        if is_cog(source):
            return source
        return copy_as_cog(source, target, layer.resampling)


def municipality_raster_path(raster_cache: Path, layer: ServedLayer, municipality: Municipality) -> Path:
    """The COG of ``layer`` clipped to ``municipality`` (built once per run, then reused)."""
    target = raster_cache / layer.run_id / RASTERS_FOLDER / municipality.ags / f"{layer.id}.tif"
    if target.is_file():
        return target
    with _lock_for(target):
        if target.is_file():
            return target
        return clip_to_cog(_analysis(layer), municipality.area, target, layer.resampling)


def _analysis(layer: ServedLayer) -> Path:
    if layer.analysis_path is None:
        raise UnknownLayerError(f"layer {layer.id} has no raster.")
    return layer.analysis_path


__all__ = ["COG_MEDIA_TYPE", "county_raster_path", "municipality_raster_path", "raster_layer"]
