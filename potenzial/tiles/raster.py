"""Raster tiles from a display COG on the WebMercatorQuad grid, rendered as palette PNGs.

The display COG (:mod:`potenzial.tiles.display`) is aligned to the tile grid at its native zoom
and has one overview per lower zoom, so a tile is one window read of one internal block (no
reprojection, no resampling); coarser zooms read the smallest fitting overview, deeper zooms
(overzoom) upsample with nearest neighbour. Datasets stay open, one handle per thread
(rasterio datasets are not thread-safe).
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import rasterio
from rasterio.enums import Resampling
from rasterio.errors import RasterioError
from rasterio.windows import Window

from potenzial.errors import InputDataError
from potenzial.tiles.colormap import ColourScale, palette
from potenzial.tiles.grid import ORIGIN_M, TILE_SIZE_PX, intersects, tile_bounds_3857, zoom_for_resolution
from potenzial.tiles.png import DEFAULT_ZLIB_LEVEL, encode_palette_png

#: GDAL settings for serving: no directory listing on open, a bounded block cache (rasterio
#: passes GDAL_CACHEMAX to GDALSetCacheMax64, so the value is in bytes: 256 MiB)
GDAL_SERVING_ENV = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR", "GDAL_CACHEMAX": 256 * 1024 * 1024,
                    "GDAL_NUM_THREADS": "1"}


class TileSource:
    """One display COG; :meth:`read` returns a tile's values and validity mask, or None outside."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._env = rasterio.Env(**GDAL_SERVING_ENV)
        with self._env, rasterio.open(self.path) as src:
            if not src.transform.is_rectilinear or src.transform.e >= 0:
                raise InputDataError(f"display raster {self.path.name} is rotated or flipped; rebuild it.")
            self.width, self.height = src.width, src.height
            self.res = src.transform.a
            self.left, self.top = src.transform.c, src.transform.f
            left, bottom, right, top = (float(b) for b in src.bounds)
            self.bounds = (left, bottom, right, top)
            self.dtype = src.dtypes[0]
        self.native_zoom = zoom_for_resolution(self.res)
        # raster origin in tile units of the native zoom (an integer for an aligned COG)
        self.col0 = (self.left + ORIGIN_M) / self.res
        self.row0 = (ORIGIN_M - self.top) / self.res

    def _dataset(self):
        ds = getattr(self._local, "ds", None)
        if ds is None or ds.closed:
            with self._env:
                ds = rasterio.open(self.path)
            self._local.ds = ds
        return ds

    def read(self, z: int, x: int, y: int, size: int = TILE_SIZE_PX) -> tuple[np.ndarray, np.ndarray] | None:
        """(values float32 (size, size), valid bool (size, size)), or None when the tile misses the raster."""
        if not intersects(tile_bounds_3857(z, x, y), self.bounds):
            return None
        scale = 2.0 ** (self.native_zoom - z)  # full-resolution pixels per tile pixel at 256 px
        span = TILE_SIZE_PX * scale  # tile side in full-resolution pixels
        c0 = x * span - self.col0
        r0 = y * span - self.row0
        c1, r1 = c0 + span, r0 + span
        ic0, ir0 = max(c0, 0.0), max(r0, 0.0)
        ic1, ir1 = min(c1, float(self.width)), min(r1, float(self.height))
        if ic0 >= ic1 or ir0 >= ir1:
            return None
        px = size / span  # output pixels per full-resolution pixel
        oc0, or0 = int(round((ic0 - c0) * px)), int(round((ir0 - r0) * px))
        oc1, or1 = int(round((ic1 - c0) * px)), int(round((ir1 - r0) * px))
        if oc1 <= oc0 or or1 <= or0:
            return None
        window = Window(ic0, ir0, ic1 - ic0, ir1 - ir0)
        try:
            data = self._dataset().read(1, window=window, out_shape=(or1 - or0, oc1 - oc0), masked=True,
                                        resampling=Resampling.nearest)
        except RasterioError as exc:
            raise InputDataError(f"display raster {self.path.name}: read failed "
                                 f"({str(exc).splitlines()[0][:120]}); delete it to rebuild.") from None
        valid_part = ~np.ma.getmaskarray(data)
        if not valid_part.any():
            return None
        if (oc0, or0, oc1, or1) == (0, 0, size, size):
            return np.asarray(data.data, dtype=np.float32), valid_part
        values = np.zeros((size, size), dtype=np.float32)
        valid = np.zeros((size, size), dtype=bool)
        values[or0:or1, oc0:oc1] = data.data
        valid[or0:or1, oc0:oc1] = valid_part
        return values, valid

    def sample(self, x_3857: float, y_3857: float) -> float | None:
        """The value at a point [EPSG:3857 m] in the display raster, None for nodata or outside."""
        col = int((x_3857 - self.left) // self.res)
        row = int((self.top - y_3857) // self.res)
        if not (0 <= col < self.width and 0 <= row < self.height):
            return None
        data = self._dataset().read(1, window=Window(col, row, 1, 1), masked=True)
        if np.ma.getmaskarray(data)[0, 0]:
            return None
        return float(data[0, 0])

    def close(self) -> None:
        ds = getattr(self._local, "ds", None)
        if ds is not None:
            ds.close()


def render_png(values: np.ndarray, valid: np.ndarray, scale: ColourScale, level: int = DEFAULT_ZLIB_LEVEL) -> bytes:
    """A palette PNG of a tile with the layer's colour scale; nodata transparent."""
    return encode_palette_png(scale.indices(values, valid & np.isfinite(values)), palette(scale.name), level)


def render_tile(source: TileSource | AnalysisTileSource, scale: ColourScale, z: int, x: int, y: int,
                size: int = TILE_SIZE_PX) -> bytes:
    """The PNG of tile z/x/y of ``source`` drawn with ``scale``, or ``b""`` when it holds no data: the
    one rendering the server and the preparation of a published run share (same bytes, same ETag)."""
    data = source.read(z, x, y, size=size)
    if data is None:
        return b""
    return render_png(*data, scale)


class AnalysisTileSource:
    """Tiles read straight from an analysis raster in its own CRS, reprojected per tile (rio-tiler):
    10-20 ms instead of 2-4 ms, for the moments before a layer's display COG exists. Same
    :meth:`read` contract as :class:`TileSource`."""

    def __init__(self, path: Path, resampling: str = "average") -> None:
        self.path = Path(path)
        self.resampling = "nearest" if resampling == "nearest" else "bilinear"

    def read(self, z: int, x: int, y: int, size: int = TILE_SIZE_PX) -> tuple[np.ndarray, np.ndarray] | None:
        from rio_tiler.errors import TileOutsideBounds
        from rio_tiler.io import Reader

        try:
            with rasterio.Env(**GDAL_SERVING_ENV), Reader(str(self.path)) as reader:
                image = reader.tile(x, y, z, tilesize=size, resampling_method=self.resampling,
                                    reproject_method=self.resampling)
        except TileOutsideBounds:
            return None
        except RasterioError as exc:
            raise InputDataError(f"raster {self.path.name}: read failed ({str(exc).splitlines()[0][:120]}).") from None
        values = np.asarray(image.data[0], dtype=np.float32)
        valid = np.asarray(image.mask) > 0
        if not valid.any():
            return None
        return values, valid
