"""Colour maps for raster layers: a 256-entry palette whose index 0 is transparent (nodata).

Names are rio-tiler's (the matplotlib/cmocean maps TiTiler serves as ``colormap_name``), so
a tile of ours and TiTiler's with the same name and ``rescale`` look the same. A value ``v``
maps to palette index ``1 + round((v - low) / (high - low) · 254)``, clipped to 1..255.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rio_tiler.colormap import cmap as _rio_tiler_cmaps

from potenzial.errors import ConfigError

DEFAULT_COLORMAP = "viridis"
#: number of legend stops
LEGEND_STOPS = 6
NODATA_INDEX = 0
N_COLOURS = 255  #: palette entries for data (1..255)


def colormap_names() -> list[str]:
    return sorted(_rio_tiler_cmaps.list())


@lru_cache(maxsize=64)
def palette(name: str) -> np.ndarray:
    """(256, 4) uint8 RGBA; entry 0 is fully transparent, 1..255 sample the named colour map."""
    if name not in _rio_tiler_cmaps.list():
        raise ConfigError(f"colour map {name!r} is unknown. Use one of rio-tiler's names, e.g. "
                          f"{DEFAULT_COLORMAP}, magma, terrain, ylorrd, blues (see potenzial.tiles.colormap).")
    lut = _rio_tiler_cmaps.get(name)
    src = np.array([lut[i] for i in range(256)], dtype=np.uint8)
    out = np.zeros((256, 4), dtype=np.uint8)
    picks = np.rint(np.arange(N_COLOURS) * 255 / (N_COLOURS - 1)).astype(int)
    out[1:] = src[picks]
    out[1:, 3] = 255
    out.flags.writeable = False
    return out


@dataclass(frozen=True)
class ColourScale:
    """A colour map over a value range [``low``, ``high``] in the layer's units."""

    name: str
    low: float
    high: float

    def __post_init__(self) -> None:
        palette(self.name)  # unknown names fail when the scale is made
        if not (np.isfinite(self.low) and np.isfinite(self.high)):
            raise ConfigError(f"colour range {self.low}..{self.high} is not finite; give two numbers.")

    def indices(self, values: np.ndarray, valid: np.ndarray) -> np.ndarray:
        """uint8 palette indices of ``values``; 0 where ``valid`` is False."""
        span = self.high - self.low
        if span <= 0:
            scaled = np.zeros(values.shape, dtype=np.float32)
        else:
            scaled = (values.astype(np.float32, copy=False) - np.float32(self.low)) * np.float32((N_COLOURS - 1) / span)
        np.clip(scaled, 0, N_COLOURS - 1, out=scaled)
        idx = (np.rint(scaled).astype(np.uint8) + 1)
        idx[~valid] = NODATA_INDEX
        return idx

    def legend(self, stops: int = LEGEND_STOPS) -> list[dict[str, object]]:
        """``stops`` evenly spaced values with their colour (``#rrggbb``), low to high."""
        pal = palette(self.name)
        out = []
        for i in range(stops):
            frac = i / (stops - 1)
            value = self.low + frac * (self.high - self.low)
            r, g, b, _ = pal[1 + int(round(frac * (N_COLOURS - 1)))]
            out.append({"value": round(float(value), 6), "colour": f"#{r:02x}{g:02x}{b:02x}"})
        return out

    def colour_of(self, value: float) -> str:
        idx = int(self.indices(np.array([value], dtype=np.float32), np.array([True]))[0])
        r, g, b, _ = palette(self.name)[idx]
        return f"#{r:02x}{g:02x}{b:02x}"


#: fill colours for vector layers (colorbrewer Set2 / Dark2), one per layer in registry order
VECTOR_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def vector_colour(index: int) -> str:
    return VECTOR_COLOURS[index % len(VECTOR_COLOURS)]
