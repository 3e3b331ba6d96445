"""Bad input files, generated here in their real formats: each gives a precise one-line error naming
the file and the fix, or a counted repair.

The rest of the corpus lives next to the code it concerns: a GeoTIFF without CRS, a shapefile
without ``.prj`` and layers in degrees where metres are needed in tests/test_crs_local_entries.py,
broken CityGML XML in tests/test_sources_citygml.py (``test_broken_or_missing_files_are_user_errors``).
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from potenzial.errors import InputDataError
from potenzial.region import LayerEntry
from potenzial.sources.raster import MEMORY_SHARE, inspect_raster, memory_bytes
from potenzial.sources.vector import REPAIRS_ATTR, read_vector

X0, Y0 = 340_000.0, 5_690_000.0


def vector_entry(path: Path) -> LayerEntry:
    return LayerEntry(id="buildings", title="Gebäude", kind="vector", provenance="real", licence="test",
                      attribution="test", path=path, crs="EPSG:25833", geometry="polygon", columns=("building_id",))


def raster_entry(path: Path) -> LayerEntry:
    return LayerEntry(id="terrain", title="DGM", kind="raster", provenance="real", licence="test",
                      attribution="test", path=path, crs="EPSG:25833")


def geotiff(path: Path, side_px: int = 300) -> Path:
    values = np.random.default_rng(4).random((side_px, side_px)).astype("float32")
    with rasterio.open(path, "w", driver="GTiff", width=side_px, height=side_px, count=1, dtype="float32",
                       crs="EPSG:25833", transform=from_origin(X0, Y0 + side_px * 10, 10, 10)) as dst:
        dst.write(values, 1)
    return path


def test_a_truncated_geotiff_is_refused_saying_the_download_may_be_incomplete(tmp_path):
    whole = geotiff(tmp_path / "whole.tif")
    cut = tmp_path / "dgm.tif"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(InputDataError) as caught:
        inspect_raster(raster_entry(cut))
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"layer 'terrain' ({cut}): ")
    assert "valid GeoTIFF" in message


def test_a_header_claiming_more_cells_than_memory_is_refused_before_reading(tmp_path):
    # float64 cells: a square band of more than MEMORY_SHARE of this machine's memory, in a file of a
    # few kB (sparse: no block is written)
    side = math.ceil(math.sqrt(memory_bytes() * MEMORY_SHARE / 8)) + 1
    path = tmp_path / "huge.tif"
    with rasterio.open(path, "w", driver="GTiff", width=side, height=side, count=1, dtype="float64",
                       crs="EPSG:25833", transform=from_origin(X0, Y0 + 3000, 3000 / side, 3000 / side),
                       tiled=True, sparse_ok=True):
        pass
    assert path.stat().st_size < 50_000_000
    claimed_gib = side * side * 8 / 2**30
    with pytest.raises(InputDataError) as caught:
        inspect_raster(raster_entry(path))
    message = str(caught.value)
    assert f"its header claims {side} x {side} cells ({claimed_gib:.1f} GiB per band)" in message
    assert "gdalwarp -te" in message and "\n" not in message


def test_a_geopackage_of_mixed_geometry_types_is_refused_naming_them(tmp_path):
    path = tmp_path / "buildings.gpkg"
    gpd.GeoDataFrame({"building_id": ["a", "b"]}, geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 10),
                                                             shapely.Point(X0, Y0)],
                     crs=25833).to_file(path, layer="b", engine="pyogrio", geometry_type="Unknown")
    with pytest.raises(InputDataError, match=r"the catalog says polygon geometry but the file has Point, Polygon\. "
                                             r"Point `source` at the right file or fix `geometry`\."):
        read_vector(vector_entry(path))


def test_self_intersecting_and_empty_polygons_are_repaired_and_counted(tmp_path, caplog):
    # a bow tie over a 10 m square: two triangles of 10 x 5 / 2 = 25 m² each
    bow_tie = shapely.Polygon([(X0, Y0), (X0 + 10, Y0 + 10), (X0 + 10, Y0), (X0, Y0 + 10)])
    # a polygon that is only a line: nothing of it is left to count as area
    flat = shapely.Polygon([(X0, Y0), (X0 + 10, Y0), (X0 + 20, Y0)])
    path = tmp_path / "buildings.gpkg"
    gpd.GeoDataFrame({"building_id": ["square", "bow", "empty", "flat"]},
                     geometry=[shapely.box(X0 + 50, Y0, X0 + 60, Y0 + 10), bow_tie, shapely.Polygon(), flat],
                     crs=25833).to_file(path, layer="b", engine="pyogrio")
    with caplog.at_level(logging.WARNING, logger="potenzial.sources.vector"):
        frame = read_vector(vector_entry(path))
    assert frame.attrs[REPAIRS_ATTR] == {"empty_dropped": 2, "invalid_made_valid": 1}
    assert frame["building_id"].tolist() == ["square", "bow"]
    assert frame.is_valid.all()
    assert frame.area.round(6).tolist() == [100.0, 50.0]
    assert "2 empty geometries dropped, 1 self-intersecting polygons made valid" in caplog.text


def test_a_clean_layer_is_not_repaired(tmp_path):
    path = tmp_path / "buildings.gpkg"
    gpd.GeoDataFrame({"building_id": ["a"]}, geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 10)],
                     crs=25833).to_file(path, layer="b", engine="pyogrio")
    frame = read_vector(vector_entry(path))
    assert frame.attrs[REPAIRS_ATTR] == {"empty_dropped": 0, "invalid_made_valid": 0}
    assert frame.area.tolist() == [100.0]
