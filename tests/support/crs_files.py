"""Small files without CRS, or in the wrong one, for the CRS tests, and the region they must fit.

Every file is written in its real format: a shapefile whose ``.prj`` is removed (pyogrio), a
GeoTIFF without CRS (rasterio). The region is two 10 x 10 km squares in EPSG:25833 south of
Leipzig whose buildings and terrain are stand-ins, so where each file lies is known by hand.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
import shapely
from rasterio.transform import from_origin

X0, Y0 = 320_000.0, 5_670_000.0   #: south-west corner of the test region [EPSG:25833, m] (near Borna)
SIDE_M = 10_000.0
# the same corner in degrees (pyproj, EPSG:25833 -> 4326): about 12.43° E, 51.16° N
LON0, LAT0 = 12.43, 51.16


def region_with_stand_ins(folder: Path, buildings_entry: str, terrain_entry: str = "") -> Path:
    """A region of two municipalities (real squares) whose buildings layer is a stand-in that
    ``region.local.toml`` replaces with ``buildings_entry``."""
    folder.mkdir(parents=True, exist_ok=True)
    squares = [shapely.box(X0, Y0, X0 + SIDE_M, Y0 + SIDE_M),
               shapely.box(X0 + SIDE_M, Y0, X0 + 2 * SIDE_M, Y0 + SIDE_M)]
    gpd.GeoDataFrame({"AGS": ["14729010", "14729020"], "GEN": ["A", "B"]}, geometry=squares,
                     crs=25833).to_file(folder / "gemeinden.gpkg", layer="gemeinden")
    (folder / "region.toml").write_text("""
[region]
id = "crs-test"
name = "CRS test"
ags_prefix = "14729"
crs = "EPSG:25833"
municipalities = "municipalities"

[layers.municipalities]
title = "Gemeinden"
kind = "vector"
geometry = "polygon"
source = "gemeinden.gpkg"
layer = "gemeinden"
crs = "EPSG:25833"
columns = ["ags", "name"]
fields = { ags = "AGS", name = "GEN" }
licence = "test"
attribution = "test"
provenance = "real"

[layers.buildings]
title = "Gebäude (synthetisch)"
kind = "vector"
geometry = "polygon"
crs = "EPSG:25833"
columns = ["building_id"]
generator = "buildings"
licence = "CC0-1.0"
attribution = "synthetic"
provenance = "synthetic"

[layers.terrain]
title = "Gelände (synthetisch)"
kind = "raster"
crs = "EPSG:25833"
generator = "terrain"
licence = "CC0-1.0"
attribution = "synthetic"
provenance = "synthetic"
""", encoding="utf-8")
    (folder / "region.local.toml").write_text(buildings_entry + terrain_entry, encoding="utf-8")
    return folder / "region.toml"


def houses(x: float, y: float, step: float, crs: int | None) -> gpd.GeoDataFrame:
    """Three 'houses' starting at (x, y), ``step`` apart (units of the CRS)."""
    boxes = [shapely.box(x + k * step, y, x + k * step + step / 2, y + step / 2) for k in range(3)]
    return gpd.GeoDataFrame({"oid": ["h1", "h2", "h3"]}, geometry=boxes, crs=crs)


def shapefile_without_prj(path: Path, frame: gpd.GeoDataFrame) -> Path:
    pyogrio.write_dataframe(frame, path, driver="ESRI Shapefile")
    path.with_suffix(".prj").unlink(missing_ok=True)
    assert not path.with_suffix(".prj").exists()
    return path


def tif_without_crs(path: Path, west: float, north: float, res: float) -> Path:
    with rasterio.open(path, "w", driver="GTiff", width=10, height=10, count=1, dtype="float32",
                       transform=from_origin(west, north, res, res)) as dst:   # no crs= : none in the file
        dst.write(np.full((1, 10, 10), 120.0, dtype="float32"))
    with rasterio.open(path) as src:
        assert src.crs is None
    return path
