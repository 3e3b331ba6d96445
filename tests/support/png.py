"""PNG tiles decoded by GDAL, an independent decoder."""

from __future__ import annotations

import numpy as np
from rasterio.io import MemoryFile


def read_png(data: bytes) -> np.ndarray:
    """Decode a PNG with GDAL (an independent decoder): (bands, height, width) RGBA."""
    with MemoryFile(data) as mem, mem.open() as src:
        if src.count == 1 and src.colorinterp[0].name == "palette":
            cmap = src.colormap(1)
            idx = src.read(1)
            lut = np.array([cmap.get(i, (0, 0, 0, 0)) for i in range(256)], dtype=np.uint8)
            return np.moveaxis(lut[idx], -1, 0)
        return src.read()
