"""Seeding and byte-reproducible writing of the synthetic layers.

Every random draw in :mod:`potenzial.synth` comes from :func:`rng_for`, a numpy Generator
seeded from ``(seed, layer id, key ...)`` through a ``SeedSequence``, so that a municipality
gets the same features whatever other municipalities are generated with it.

Vectors are written as GeoPackages (one layer named after the layer id, EPSG:25833) with a
fixed ``OGR_CURRENT_DATE``; rasters as tiled, deflate-compressed GeoTIFFs without a
``DATETIME`` tag. The same inputs therefore give byte-identical files.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
from rasterio.transform import Affine

from potenzial.crs import ANALYSIS_CRS, ANALYSIS_EPSG
from potenzial.errors import PotenzialError
from potenzial.tiles.cog import ensure_cog

#: timestamp written into ``gpkg_contents.last_change`` (any fixed value keeps files stable)
FIXED_GPKG_DATE = "2000-01-01T00:00:00Z"
RASTER_NODATA = -9999.0  #: nodata value of every synthetic raster
_SEED_MASK = (1 << 64) - 1


def key_int(key: object) -> int:
    """A stable non-negative integer for ``key`` (ints as they are, text by CRC-32).

    Python's ``hash()`` is salted per process, so it must never be used for seeding.
    """
    if isinstance(key, (int, np.integer)):
        return int(key) & _SEED_MASK
    text = str(key)
    if text.isdigit():
        return int(text) & _SEED_MASK
    return zlib.crc32(text.encode("utf-8"))


def rng_for(seed: int, *keys: object) -> np.random.Generator:
    """A numpy Generator seeded from ``seed`` and ``keys`` (e.g. layer id, AGS, ortsteil)."""
    entropy = [int(seed) & _SEED_MASK] + [key_int(k) for k in keys]
    return np.random.default_rng(np.random.SeedSequence(entropy))


def seed_key(seed: int, *keys: object) -> int:
    """A 64-bit integer derived from ``seed`` and ``keys`` (for the lattice noise hash)."""
    entropy = [int(seed) & _SEED_MASK] + [key_int(k) for k in keys]
    state = np.random.SeedSequence(entropy).generate_state(2, dtype=np.uint32)
    return (int(state[0]) << 32) | int(state[1])


def write_vector(frame: gpd.GeoDataFrame, path: Path, layer: str, geometry_type: str) -> Path:
    """Write ``frame`` to ``path`` as a one-layer GeoPackage in EPSG:25833 (overwrites).

    ``geometry_type`` (``Polygon``, ``MultiPolygon``, ``LineString``) is the layer's declared
    type, the same whatever mix of single and multi parts (or none) a run produces.
    """
    if frame.crs is None or frame.crs.to_epsg() != ANALYSIS_EPSG:
        raise PotenzialError(f"synthetic layer {layer!r} is not in EPSG:{ANALYSIS_EPSG} "
                             f"(got {frame.crs}); this is a bug in potenzial.synth.")
    path = Path(path)
    if path.exists():
        path.unlink()
    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_GPKG_DATE})
    try:
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", geometry_type=geometry_type,
                                promote_to_multi=geometry_type.startswith("Multi"))
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})
    return path


def write_raster(array: np.ndarray, transform: Affine, path: Path, *, units: str,
                 description: str) -> Path:
    """Write a 2-D float32 ``array`` [units] as a deflate-compressed Cloud-Optimized GeoTIFF (EPSG:25833)."""
    path = Path(path)
    if path.exists():
        path.unlink()
    data = np.asarray(array, dtype=np.float32)
    profile = {
        "driver": "GTiff", "width": data.shape[1], "height": data.shape[0], "count": 1,
        "dtype": "float32", "crs": ANALYSIS_CRS, "transform": transform, "nodata": RASTER_NODATA,
        "tiled": True, "blockxsize": 256, "blockysize": 256, "compress": "deflate",
        "predictor": 3, "zlevel": 6,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
        dst.update_tags(units=units, provenance="synthetic", generator="potenzial.synth")
        dst.update_tags(1, units=units)
        dst.set_band_description(1, description)
        dst.units = (units,)
    ensure_cog(path, "average")
    return path
