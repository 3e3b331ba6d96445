"""Analysis rasters as Cloud-Optimized GeoTIFFs, in their own CRS (EPSG:25833), whole or clipped.

A GIS officer opens these in QGIS or reads a window over HTTP: tiled, compressed, with internal
overviews, in GDAL's COG layout (``IMAGE_STRUCTURE`` metadata ``LAYOUT=COG``). The EPSG:3857
display copies for the map are :mod:`potenzial.tiles.display`'s business; these keep the analysis
grid, its values, nodata, tags and band descriptions.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
import rasterio.shutil
from rasterio.errors import RasterioError
from rasterio.features import geometry_mask
from rasterio.io import MemoryFile
from rasterio.windows import Window, from_bounds
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from potenzial.crs import ANALYSIS_EPSG
from potenzial.errors import ConfigError, CRSError, InputDataError
from potenzial.tiles.display import DISPLAY_SUFFIX, SIDECAR_SUFFIX, parse_sidecar
from potenzial.tiles.written import GDAL_ERRORS, check_written, full_disk, remove_partial

#: internal block size of the analysis COGs [px]
COG_BLOCK_PX = 512
#: overview resampling by the display resampling of a layer (classes stay classes)
OVERVIEW_RESAMPLING = {"average": "AVERAGE", "bilinear": "AVERAGE", "nearest": "NEAREST", "mode": "MODE"}


def is_cog(path: Path) -> bool:
    """Whether GDAL wrote ``path`` in the COG layout (the COG driver records ``LAYOUT=COG``)."""
    try:
        with rasterio.open(path) as src:
            return src.driver == "GTiff" and src.tags(ns="IMAGE_STRUCTURE").get("LAYOUT") == "COG"
    except RasterioError:
        return False


def _cog_options(dtype: str, resampling: str) -> dict[str, str | int]:
    return {"BLOCKSIZE": COG_BLOCK_PX, "COMPRESS": "DEFLATE",
            "PREDICTOR": "FLOATING_POINT" if np.dtype(dtype).kind == "f" else "STANDARD",
            "OVERVIEW_RESAMPLING": OVERVIEW_RESAMPLING.get(resampling, "NEAREST"),
            "OVERVIEWS": "IGNORE_EXISTING", "NUM_THREADS": "ALL_CPUS", "STATISTICS": "NO"}


def _partial(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")


def _write_cog(source: Path, target: Path, resampling: str, check_crs: Callable[[Any, str], None],
               doing: str) -> None:
    """``source`` written as a COG to ``target`` through a temporary file and a rename (``target`` may
    be ``source``); ``check_crs(src, name)`` refuses a raster first. A GDAL failure is an
    InputDataError saying what was being done (``doing``); nothing is left half-written."""
    tmp = _partial(target)
    try:
        with rasterio.open(source) as src:
            check_crs(src, source.name)
            rasterio.shutil.copy(src, tmp, driver="COG", **_cog_options(src.dtypes[0], resampling))
            check_written(tmp, (src.count, src.height, src.width), f"raster {source.name}")
        os.replace(tmp, target)
    except GDAL_ERRORS as exc:
        full = full_disk(tmp.parent, f"raster {source.name}")
        remove_partial(tmp)
        if full is not None:
            raise full from None
        raise InputDataError(f"raster {source.name}: cannot {doing} a Cloud-Optimized GeoTIFF "
                             f"({str(exc).splitlines()[0][:160]}).") from None
    except BaseException:
        remove_partial(tmp)
        raise


def _require_crs(src: Any, name: str) -> None:
    if src.crs is None:
        raise CRSError(f"raster {name} has no CRS; write it in EPSG:{ANALYSIS_EPSG}.")


def ensure_cog(path: Path, resampling: str = "nearest") -> bool:
    """Rewrite the GeoTIFF at ``path`` as a COG in place (atomic) unless it is one; True when rewritten.
    Values, CRS, nodata, tags and band descriptions stay as they are."""
    if is_cog(path):
        return False
    _write_cog(path, path, resampling, _require_crs, "rewrite it as")
    return True


def ensure_run_cogs(run_dir: Path) -> list[Path]:
    """Every analysis raster a run wrote at the top of ``run_dir`` (not the display copies) as a COG;
    the rewritten ones. Overviews resample as the raster's sidecar says (classes: nearest)."""
    rewritten: list[Path] = []
    if not run_dir.is_dir():
        return rewritten
    for tif in sorted(run_dir.glob("*.tif")):
        if tif.name.endswith(DISPLAY_SUFFIX) or tif.name.startswith("."):
            continue
        sidecar = tif.with_suffix(SIDECAR_SUFFIX)
        try:
            resampling = parse_sidecar(sidecar).resampling if sidecar.is_file() else "nearest"
        except ConfigError:
            resampling = "nearest"
        if ensure_cog(tif, resampling):
            rewritten.append(tif)
    return rewritten


def copy_as_cog(source: Path, target: Path, resampling: str = "nearest") -> Path:
    """A COG copy of ``source`` at ``target`` (atomic); ``source`` itself is not changed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_cog(source, target, resampling, _check_analysis_crs, "copy it as")
    return target


def clip_to_cog(source: Path, area: BaseGeometry, target: Path, resampling: str = "nearest") -> Path:
    """The cells of ``source`` within the bounding box of ``area`` [EPSG:25833], cells outside
    ``area`` itself set to nodata (when the raster has one), as a COG at ``target`` (atomic).

    The window snaps outward to whole cells of the source grid, so every cell keeps its value and
    position; InputDataError when ``area`` misses the raster."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _partial(target)
    try:
        with rasterio.open(source) as src:
            _check_analysis_crs(src, source.name)
            full = Window(0, 0, src.width, src.height)
            exact = from_bounds(*area.bounds, transform=src.transform)
            col0, row0 = math.floor(exact.col_off), math.floor(exact.row_off)
            col1, row1 = math.ceil(exact.col_off + exact.width), math.ceil(exact.row_off + exact.height)
            window = Window(col0, row0, col1 - col0, row1 - row0)
            try:
                window = window.intersection(full)
            except Exception:  # rasterio's WindowError: the area misses the raster
                window = None
            if window is None or window.width < 1 or window.height < 1:
                raise InputDataError(f"raster {source.name} does not cover the area "
                                     f"{tuple(round(b) for b in area.bounds)} (EPSG:{ANALYSIS_EPSG}).")
            data = src.read(1, window=window)
            transform = src.window_transform(window)
            if src.nodata is not None:
                outside = geometry_mask([mapping(area)], out_shape=data.shape, transform=transform,
                                        all_touched=True)
                data[outside] = np.asarray(src.nodata).astype(data.dtype)
            profile = {"driver": "GTiff", "width": data.shape[1], "height": data.shape[0], "count": 1,
                       "dtype": data.dtype.name, "crs": src.crs, "transform": transform, "nodata": src.nodata}
            tags, band_tags, description = src.tags(), src.tags(1), src.descriptions[0]
            with MemoryFile() as mem:
                with mem.open(**profile) as dst:
                    dst.write(data, 1)
                    dst.update_tags(**tags)
                    dst.update_tags(1, **band_tags)
                    if description:
                        dst.set_band_description(1, description)
                with mem.open() as clipped:
                    rasterio.shutil.copy(clipped, tmp, driver="COG", **_cog_options(data.dtype.name, resampling))
            check_written(tmp, (1, *data.shape), f"raster {source.name}")
        os.replace(tmp, target)
    except GDAL_ERRORS as exc:
        full = full_disk(tmp.parent, f"raster {source.name}")
        remove_partial(tmp)
        if full is not None:
            raise full from None
        raise InputDataError(f"raster {source.name}: cannot clip it "
                             f"({str(exc).splitlines()[0][:160]}).") from None
    except BaseException:
        remove_partial(tmp)
        raise
    return target


def _check_analysis_crs(src: Any, name: str) -> None:
    if src.crs is None or src.crs.to_epsg() != ANALYSIS_EPSG:
        found = "none" if src.crs is None else (f"EPSG:{src.crs.to_epsg()}" if src.crs.to_epsg() else "a custom CRS")
        raise CRSError(f"raster {name} is in {found}, not EPSG:{ANALYSIS_EPSG}; reproject it "
                       f"(gdalwarp -t_srs EPSG:{ANALYSIS_EPSG}) before it is offered for download.")


__all__ = ["COG_BLOCK_PX", "clip_to_cog", "copy_as_cog", "ensure_cog", "ensure_run_cogs", "is_cog"]
