"""A north-up raster grid of square cells that carries its CRS.

Every raster computation of the land-based potentials (exclusions, wind, open-field PV) runs on
a :class:`Grid`. Its cells are square and measured in metres, so its CRS must be projected in
metres (default :data:`potenzial.crs.ANALYSIS_CRS`, EPSG:25833); a grid in degrees is refused
when it is made, not when an area comes out wrong.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from pyproj import CRS
from rasterio.transform import Affine

from potenzial.crs import ANALYSIS_CRS, require_metric
from potenzial.errors import ConfigError

DEFAULT_RESOLUTION_M = 10.0


@dataclass(frozen=True)
class Grid:
    """A north-up raster: west edge ``x0``, north edge ``y0`` [m], square cells of ``res_m`` [m], in ``crs``."""

    x0: float
    y0: float
    res_m: float
    width: int
    height: int
    crs: CRS = field(default=ANALYSIS_CRS, repr=False)  #: projected, in metres

    def __post_init__(self) -> None:
        require_metric(self.crs, "raster grid")

    @classmethod
    def from_bounds(cls, bounds: Sequence[float], res_m: float = DEFAULT_RESOLUTION_M, pad_m: float = 0.0,
                    crs: CRS = ANALYSIS_CRS) -> Grid:
        """The smallest grid aligned to multiples of ``res_m`` covering ``bounds`` (in ``crs``) plus ``pad_m``."""
        if not (res_m > 0 and math.isfinite(res_m)):
            raise ConfigError(f"raster resolution {res_m!r} m: must be a positive number of metres (default 10).")
        xmin, ymin, xmax, ymax = (float(b) for b in bounds)
        x0 = math.floor((xmin - pad_m) / res_m) * res_m
        y1 = math.floor((ymin - pad_m) / res_m) * res_m
        x1 = math.ceil((xmax + pad_m) / res_m) * res_m
        y0 = math.ceil((ymax + pad_m) / res_m) * res_m
        return cls(x0=x0, y0=y0, res_m=float(res_m), width=int(round((x1 - x0) / res_m)),
                   height=int(round((y0 - y1) / res_m)), crs=crs)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.height, self.width)

    @property
    def transform(self) -> Affine:
        return Affine(self.res_m, 0.0, self.x0, 0.0, -self.res_m, self.y0)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.x0, self.y0 - self.height * self.res_m, self.x0 + self.width * self.res_m, self.y0)

    @property
    def cell_area_m2(self) -> float:
        return self.res_m * self.res_m

    def centers(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """x, y [m] of the centres of cells (rows, cols)."""
        x = self.x0 + (np.asarray(cols, dtype=np.float64) + 0.5) * self.res_m
        y = self.y0 - (np.asarray(rows, dtype=np.float64) + 0.5) * self.res_m
        return x, y

    def padded(self, cells: int) -> Grid:
        """The grid grown by ``cells`` on every side (same cells, same CRS)."""
        return Grid(self.x0 - cells * self.res_m, self.y0 + cells * self.res_m, self.res_m,
                    self.width + 2 * cells, self.height + 2 * cells, self.crs)
