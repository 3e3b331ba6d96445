"""The wind-speed field: mean wind speed on a raster that carries its CRS, sampled at turbine sites."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pyproj import CRS
from rasterio.transform import Affine
from scipy import ndimage

from potenzial.crs import crs_name, require_crs
from potenzial.errors import InputDataError


@dataclass(frozen=True)
class WindField:
    """Mean wind speed [m/s] at ``height_m`` above ground on a north-up raster in ``crs``."""

    speed_m_per_s: np.ndarray
    transform: Affine
    crs: CRS
    height_m: float
    nodata: float | None = None

    def require_crs(self, wanted: CRS, what: str = "the wind-speed layer") -> None:
        """CRSError naming the CRS found and the CRS wanted unless the field is in ``wanted``."""
        require_crs(self.crs, wanted, what, "the wind potential")

    def sample(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Bilinear wind speed [m/s] at points (x, y) in the field's CRS [m]; nearest cell where a
        neighbour is nodata. InputDataError if a point lies off the raster or on nodata."""
        arr = np.asarray(self.speed_m_per_s, dtype=np.float64)
        if self.nodata is not None:
            arr = np.where(arr == self.nodata, np.nan, arr)
        t = self.transform
        if t.b != 0 or t.d != 0:
            raise InputDataError("the wind-speed raster is rotated; warp it to a north-up grid "
                                 "(gdalwarp -t_srs EPSG:25833).")
        col = (np.asarray(x, dtype=float) - t.c) / t.a
        row = (np.asarray(y, dtype=float) - t.f) / t.e
        fr, fc = row - 0.5, col - 0.5
        out = ndimage.map_coordinates(np.nan_to_num(arr, nan=0.0), [fr, fc], order=1, mode="nearest")
        ok = ndimage.map_coordinates(np.isfinite(arr).astype(float), [fr, fc], order=1, mode="nearest") > 0.999
        ri = np.clip(np.floor(row).astype(int), 0, arr.shape[0] - 1)
        ci = np.clip(np.floor(col).astype(int), 0, arr.shape[1] - 1)
        nearest = arr[ri, ci]
        out = np.where(ok, out, nearest)
        off = (row < 0) | (col < 0) | (row >= arr.shape[0]) | (col >= arr.shape[1]) | ~np.isfinite(out)
        if off.any():
            k = int(np.flatnonzero(off)[0])
            raise InputDataError(f"the wind-speed layer has no value at {int(off.sum())} turbine site(s), e.g. "
                                 f"x = {x[k]:.0f}, y = {y[k]:.0f} ({crs_name(self.crs)}). Use a raster that covers "
                                 "the whole region without nodata gaps.")
        return out
