"""Open a raster layer of the catalog, checked against its entry."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import rasterio
from rasterio.errors import RasterioIOError

from potenzial.crs import parse_crs
from potenzial.errors import CRSError, InputDataError
from potenzial.region import LayerEntry
from potenzial.sources.extent import check_coordinates_fit_crs

#: the share of the machine's memory one band of an input raster may claim
MEMORY_SHARE = 0.5


@dataclass(frozen=True)
class RasterInfo:
    """What a raster file holds: size, CRS, transform and the value range of band 1."""

    width: int
    height: int
    crs: str
    res_m: tuple[float, float]
    bounds: tuple[float, float, float, float]
    nodata: float | None
    min_value: float
    max_value: float


def memory_bytes() -> int:
    """Physical memory of this machine [bytes]."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def check_claimed_size(width: int, height: int, itemsize: int, what: str) -> None:
    """Refuse a raster whose band, as its header claims it, would not fit into half the memory
    (a run reads a band whole), before anything is read."""
    claimed = width * height * itemsize
    limit = memory_bytes() * MEMORY_SHARE
    if claimed > limit:
        raise InputDataError(f"{what}: its header claims {width} x {height} cells "
                             f"({claimed / 2**30:.1f} GiB per band), more than {MEMORY_SHARE:.0%} of this "
                             f"machine's memory ({limit / 2**30:.1f} GiB). "
                             "Clip it to the region (gdalwarp -te) or coarsen it (gdalwarp -tr).")


def inspect_raster(entry: LayerEntry) -> RasterInfo:
    """Open ``entry``'s file, read it fully once (to catch corrupt blocks) and describe it."""
    what = f"layer {entry.id!r} ({entry.path})"
    if entry.kind != "raster":
        raise InputDataError(f"{what}: catalog kind is {entry.kind!r}, not raster.")
    if not entry.path.is_file():
        raise InputDataError(f"{what}: file not found. Put the file there or fix `source` in the catalog.")
    try:
        with rasterio.open(entry.path) as src:
            crs = src.crs
            check_claimed_size(src.width, src.height, np.dtype(src.dtypes[0]).itemsize, what)
            data = src.read(1, masked=True)
            info = (src.width, src.height, src.res, tuple(src.bounds), src.nodata)
    except InputDataError:  # the claimed size, refused before reading
        raise
    except RasterioIOError as exc:
        raise InputDataError(f"{what}: not a readable raster ({str(exc).splitlines()[0][:160]}). "
                             "Replace it with a valid GeoTIFF (check the download is complete).") from None
    except Exception as exc:  # corrupt blocks surface as other rasterio/GDAL errors on read
        raise InputDataError(f"{what}: the raster is corrupt ({type(exc).__name__}: {str(exc)[:160]}). "
                             "Replace it with a valid GeoTIFF.") from None
    if crs is None:
        if not entry.crs:
            raise CRSError(f"{what}: the raster has no CRS and the catalog gives none. Assign one "
                           "(gdal_edit.py -a_srs EPSG:25833) or set crs in the entry.")
        crs_text = parse_crs(entry.crs, what).to_string()
    else:
        crs_text = crs.to_string()
        if entry.crs and not parse_crs(entry.crs, what).equals(crs):
            raise CRSError(f"{what}: the raster is in {crs_text} but the catalog says {entry.crs}. "
                           "Fix `crs` in the entry or reproject the file (gdalwarp -t_srs).")
    check_coordinates_fit_crs(tuple(float(v) for v in info[3]), parse_crs(crs_text, what), what)  # type: ignore[arg-type]
    if data.count() == 0:
        raise InputDataError(f"{what}: the raster holds only nodata. Point `source` at a raster with values.")
    width, height, res, bounds, nodata = info
    return RasterInfo(width, height, crs_text, (float(res[0]), float(res[1])), bounds, nodata,
                      float(np.ma.min(data)), float(np.ma.max(data)))
