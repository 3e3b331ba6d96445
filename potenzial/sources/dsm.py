"""A digital surface model (DSM, e.g. GeoSN DOM1) as a height grid in metres.

Only projected rasters in metres are accepted (slope, aspect and horizon need metres); a raster
without CRS, in degrees, or in another CRS than the analysis CRS fails with the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine
from pyproj import CRS
from rasterio.errors import RasterioIOError
from rasterio.windows import from_bounds

from potenzial.crs import ANALYSIS_CRS, parse_crs, require_metric
from potenzial.errors import CRSError, InputDataError


@dataclass(frozen=True)
class SurfaceModel:
    """Heights [m] (NaN where unknown) on a north-up grid."""

    heights_m: np.ndarray
    transform: Affine
    crs: CRS

    @property
    def res_m(self) -> tuple[float, float]:
        return abs(self.transform.a), abs(self.transform.e)

    def rowcol(self, x_m: np.ndarray, y_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of points (may lie outside the grid)."""
        t = self.transform  # north-up (checked when read): no rotation terms
        col = (np.asarray(x_m, dtype=float) - t.c) / t.a
        row = (np.asarray(y_m, dtype=float) - t.f) / t.e
        return np.floor(row).astype(np.int64), np.floor(col).astype(np.int64)

    def sample(self, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
        """Heights at points (nearest cell); NaN outside the grid."""
        row, col = self.rowcol(x_m, y_m)
        h, w = self.heights_m.shape
        inside = (row >= 0) & (row < h) & (col >= 0) & (col < w)
        out = np.full(np.shape(row), np.nan)
        out[inside] = self.heights_m[row[inside], col[inside]]
        return out


def read_dsm(path: Path | str, bounds: tuple[float, float, float, float] | None = None,
             crs: str | None = None, target_crs: CRS = ANALYSIS_CRS) -> SurfaceModel:
    """Read band 1 of a DSM GeoTIFF (the window ``bounds`` = xmin, ymin, xmax, ymax in metres)."""
    path = Path(path)
    what = f"surface model {path}"
    if not path.is_file():
        raise InputDataError(f"{what}: file not found. Check the path.")
    try:
        with rasterio.open(path) as src:
            file_crs = CRS(src.crs) if src.crs else None
            if file_crs is None:
                if not crs:
                    raise CRSError(f"{what}: the raster has no CRS. Assign it (gdal_edit.py -a_srs EPSG:25833) "
                                   "or give crs = \"EPSG:25833\" in the catalog entry.")
                file_crs = parse_crs(crs, what)
            require_metric(file_crs, what)
            if not file_crs.equals(target_crs):
                raise CRSError(f"{what}: the raster is in {file_crs.to_string()}, the analysis needs "
                               f"{target_crs.to_string()}. Reproject it: gdalwarp -t_srs EPSG:25833 in.tif out.tif.")
            if src.transform.b != 0 or src.transform.d != 0:
                raise InputDataError(f"{what}: the grid is rotated. Warp it to a north-up grid with gdalwarp.")
            window = None
            if bounds is not None:
                window = from_bounds(*bounds, transform=src.transform).round_offsets().round_lengths()
                window = window.intersection(rasterio.windows.Window(0, 0, src.width, src.height))
            data = src.read(1, window=window, masked=True, boundless=False)
            transform = src.window_transform(window) if window is not None else src.transform
    except (CRSError, InputDataError):
        raise
    except RasterioIOError as exc:
        raise InputDataError(f"{what}: not a readable raster ({str(exc).splitlines()[0][:160]}).") from None
    except rasterio.errors.WindowError:
        raise InputDataError(f"{what}: does not overlap the buildings ({bounds}). Use a DSM of the region.") from None
    heights = np.asarray(data.filled(np.nan), dtype=float)
    if transform.e > 0:  # south-up: flip to north-up
        heights = heights[::-1]
        transform = transform * Affine.translation(0, heights.shape[0]) * Affine.scale(1, -1)
    return SurfaceModel(heights_m=heights, transform=transform, crs=file_crs)
