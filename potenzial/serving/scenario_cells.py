"""The what-if map's eligible-land layer as a served product: tiles of the packed cells
(:mod:`potenzial.scenarios.cells`) that the page thresholds itself, so that the layer follows the
setback slider and the criteria switches without a request per move.

A tile is an RGBA PNG on the WebMercatorQuad grid, read with nearest neighbour from the display
COG of the run's ``scenario_cells.tif``: red = the packed value's high byte, green its low byte,
blue 0, alpha 255; cells that no scenario can make eligible (another exclusion hits them, or they
lie outside the region) have alpha 0. The TileJSON (``/api/scenarios/cells.json``) carries the
encoding: the criteria in bit order and the distance shift.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import rasterio

from potenzial.errors import NotFoundError
from potenzial.runs import RunRecord
from potenzial.scenarios.cells import CELLS_RASTER, NODATA, CellEncoding
from potenzial.serving.cache import RunCache
from potenzial.tiles import TileMatrixError
from potenzial.tiles.display import display_path_for, display_stats, ensure_display_cog
from potenzial.tiles.grid import bounds_to_lonlat
from potenzial.tiles.png import encode_rgba_png
from potenzial.tiles.raster import GDAL_SERVING_ENV, TileSource

#: zoom levels below the raster's native zoom that are still served (coarser: the county in one tile)
ZOOMS_BELOW_NATIVE = 6
#: the title people see for the layer (German first)
TITLES = {"de": "Wind: geeignete Fläche im Szenario", "en": "Wind: eligible land in the scenario"}


@dataclass(frozen=True)
class CellsLayer:
    """One run's packed cells, opened for tiles."""

    encoding: CellEncoding
    source: TileSource
    minzoom: int
    maxzoom: int
    bounds_lonlat: tuple[float, float, float, float]


def rgba_tile(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """(h, w, 4) uint8: the packed value in red (high byte) and green (low byte), alpha 255 where valid."""
    packed = np.where(valid, values, NODATA).astype(np.uint16)
    keep = packed != NODATA
    rgba = np.zeros(packed.shape + (4,), dtype=np.uint8)
    rgba[..., 0] = np.where(keep, packed >> 8, 0)
    rgba[..., 1] = np.where(keep, packed & 0xFF, 0)
    rgba[..., 3] = np.where(keep, 255, 0)
    return rgba


class ScenarioCells:
    """The eligible-land tiles of the runs whose rasters live under ``raster_cache``."""

    def __init__(self, raster_cache: Path) -> None:
        self.raster_cache = Path(raster_cache)
        self._layers = RunCache(max_entries=4)

    def layer(self, record: RunRecord) -> CellsLayer:
        return self._layers.get_or_build(("cells", record.run_id), lambda: self._open(record))

    def _open(self, record: RunRecord) -> CellsLayer:
        analysis = self.raster_cache / record.run_id / f"{CELLS_RASTER}.tif"
        if not analysis.is_file():
            raise NotFoundError(f"run {record.run_id} has no eligible-land cells for the what-if map: they are "
                                "written by the scenarios step. Run the full pipeline once (potenzial run).")
        with rasterio.Env(**GDAL_SERVING_ENV), rasterio.open(analysis) as src:
            raw = json.loads(src.tags().get("encoding", "{}"))
        encoding = CellEncoding(criteria=tuple(raw.get("criteria", ())), cap_m=int(raw.get("distance_cap_m", 0)))
        display = ensure_display_cog(analysis, display_path_for(analysis), "nearest")
        stats = display_stats(display)
        return CellsLayer(encoding=encoding, source=TileSource(display),
                          minzoom=max(0, stats.native_zoom - ZOOMS_BELOW_NATIVE), maxzoom=stats.max_zoom,
                          bounds_lonlat=bounds_to_lonlat(stats.bounds_3857, 3857))

    def tilejson(self, record: RunRecord, base_url: str) -> dict[str, Any]:
        """TileJSON 3.0.0 of the layer, with its ``encoding`` (how the page reads a pixel)."""
        layer = self.layer(record)
        return {"tilejson": "3.0.0", "name": TITLES["en"], "titles": TITLES, "run_id": record.run_id,
                "tiles": [f"{base_url}/api/scenarios/cells/{{z}}/{{x}}/{{y}}.png"], "scheme": "xyz",
                "minzoom": layer.minzoom, "maxzoom": layer.maxzoom, "bounds": list(layer.bounds_lonlat),
                "encoding": {**layer.encoding.as_dict(), "channels": "red: high byte, green: low byte, "
                             "alpha 0: never eligible", "eligible_when": "value >> distance_shift > setback_m and "
                             "value & mask(criteria on) == 0"}}

    def tile(self, record: RunRecord, z: int, x: int, y: int) -> bytes:
        """The RGBA PNG of tile z/x/y, ``b""`` where it holds no cell. TileMatrixError beyond the zoom range."""
        layer = self.layer(record)
        if not layer.minzoom <= z <= layer.maxzoom:
            raise TileMatrixError(f"the eligible-land layer is served at zoom {layer.minzoom}..{layer.maxzoom}, "
                                  f"not {z}.")
        data = layer.source.read(z, x, y)
        if data is None:
            return b""
        rgba = rgba_tile(*data)
        if not rgba[..., 3].any():
            return b""
        return encode_rgba_png(rgba)
