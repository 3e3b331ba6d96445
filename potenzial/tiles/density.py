"""Dense vector layers at low zooms: a density grid instead of the single features.

A zoom-10 tile of the roof planes covers about 600 km² and up to 80,000 planes: too heavy to
send (1.7 MB) and too small to see (a roof is a fraction of a pixel). Below the zoom where
single features become legible (:attr:`DensityGrid.features_from_zoom`) such a layer's tile holds
square cells of a grid in EPSG:25833 instead: each cell carries the number of features whose
bounding-box centre lies in it and the sums of the layer's additive columns over them. The cell
side doubles with each zoom level out (:func:`cell_size_m`), so a tile holds at most a few
thousand cells whatever the region.

A cell is complete in every tile it meets: the tile reads every feature whose box meets the tile's
box grown by one cell side, and keeps the cells that meet the tile's box. The same cell in two tiles
carries the same sums; the cells of all tiles of a zoom, each counted once, sum to the layer's
totals (tested on both stores). Both stores compute the same cells: PostGIS in SQL
(:mod:`potenzial.store.postgis_sql`), the embedded store with :func:`density_cells`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from potenzial.crs import ANALYSIS_CRS

#: side of a cell [m, EPSG:25833] one zoom below :attr:`DensityGrid.features_from_zoom`: at zoom 12
#: (≈ 24 m per pixel at 51° N) 100 m are about 4 pixels; the side doubles per zoom level out
FINEST_CELL_M = 100.0


@dataclass(frozen=True)
class DensityGrid:
    """How a dense layer is generalised below ``features_from_zoom``: the columns summed per cell."""

    layer: str
    features_from_zoom: int
    sums: tuple[str, ...]
    count_column: str = "features"


#: the dense layers: roof planes as single planes from zoom 13 (≈ 12 m per pixel, 9.5 km² per tile:
#: ≤ 7,000 planes where the county is densest), as a grid below
DENSITY_GRIDS: dict[str, DensityGrid] = {
    "solar_roof": DensityGrid(layer="solar_roof", features_from_zoom=13,
                              sums=("capacity_kwp", "yield_kwh_per_a", "usable_area_m2"), count_column="planes"),
}

#: the columns of a cell besides the sums: its south-west corner and side [m, EPSG:25833]
CELL_COLUMNS = ("cell_x_m", "cell_y_m", "cell_size_m")


def density_grid(layer: str, z: int) -> DensityGrid | None:
    """The density grid a tile of ``layer`` at zoom ``z`` shows, or None for single features."""
    grid = DENSITY_GRIDS.get(layer)
    if grid is None or z >= grid.features_from_zoom:
        return None
    return grid


def cell_size_m(grid: DensityGrid, z: int) -> float:
    """Side of the grid's cells at zoom ``z`` [m, EPSG:25833] (below ``features_from_zoom``)."""
    return FINEST_CELL_M * 2.0 ** (grid.features_from_zoom - 1 - z)


def read_box(box: tuple[float, float, float, float], cell_m: float) -> tuple[float, float, float, float]:
    """The box to read features from so that every cell meeting ``box`` is complete [m, EPSG:25833]."""
    return box[0] - cell_m, box[1] - cell_m, box[2] + cell_m, box[3] + cell_m


def density_cells(features: gpd.GeoDataFrame, grid: DensityGrid, cell_m: float,
                  box: tuple[float, float, float, float] | None = None) -> gpd.GeoDataFrame:
    """The grid cells (EPSG:25833 squares of ``cell_m`` [m]) holding the bounding-box centres of
    ``features`` (EPSG:25833), with the feature count and the sums of ``grid.sums``; only the cells
    meeting ``box`` when given. Ordered by row (south to north), then column (west to east)."""
    if features.crs is not None and not features.crs.equals(ANALYSIS_CRS):
        features = features.to_crs(ANALYSIS_CRS)
    bounds = shapely.bounds(np.asarray(features.geometry.values, dtype=object))
    ok = ~np.isnan(bounds).any(axis=1)
    ix = np.floor((bounds[ok, 0] + bounds[ok, 2]) / 2.0 / cell_m)
    iy = np.floor((bounds[ok, 1] + bounds[ok, 3]) / 2.0 / cell_m)
    frame = pd.DataFrame({"iy": iy, "ix": ix, **{c: features[c].to_numpy()[ok] for c in grid.sums}})
    frame[grid.count_column] = 1
    cells = frame.groupby(["iy", "ix"], sort=True).sum().reset_index()
    x0 = cells["ix"].to_numpy() * cell_m
    y0 = cells["iy"].to_numpy() * cell_m
    geoms = shapely.box(x0, y0, x0 + cell_m, y0 + cell_m)
    out = gpd.GeoDataFrame({"cell_x_m": x0, "cell_y_m": y0, "cell_size_m": np.full(len(cells), cell_m),
                            grid.count_column: cells[grid.count_column].astype("int64").to_numpy(),
                            **{c: cells[c].astype("float64").to_numpy() for c in grid.sums}},
                           geometry=np.asarray(geoms, dtype=object), crs=ANALYSIS_CRS)
    if box is not None and len(out):
        meets = shapely.intersects(np.asarray(out.geometry.values, dtype=object), shapely.box(*box))
        out = out[meets].reset_index(drop=True)
    return out


__all__ = ["CELL_COLUMNS", "DENSITY_GRIDS", "FINEST_CELL_M", "DensityGrid", "cell_size_m",
           "density_cells", "density_grid", "read_box"]
