"""Readers reject bad input with a message that names the layer, the value and the fix."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from potenzial.crs import require_metric
from potenzial.errors import CRSError, InputDataError
from potenzial.region import LayerEntry
from potenzial.sources.raster import inspect_raster
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector


def entry(path: Path, kind="vector", **kw) -> LayerEntry:
    base = dict(id="t", title="T", kind=kind, provenance="real", licence="x", attribution="y", path=path)
    base.update(kw)
    return LayerEntry(**base)


def polygons(crs="EPSG:25833") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"AGS": ["14729010"], "use": ["residential"]},
                            geometry=[box(320000, 5670000, 320100, 5670100)], crs=crs)


def test_reads_renames_and_reprojects(tmp_path):
    path = tmp_path / "a.gpkg"
    polygons().to_crs(4326).to_file(path)
    frame = read_vector(entry(path, crs="EPSG:4326", geometry="polygon", columns=("ags",), fields={"ags": "AGS"}))
    assert frame.crs.to_epsg() == 25833
    assert frame["ags"].tolist() == ["14729010"]
    assert abs(frame.geometry.area.iloc[0] - 10_000) < 1.0


def test_missing_crs_without_catalog_crs_fails_with_fix(tmp_path):
    path = tmp_path / "nocrs.gpkg"
    frame = polygons()
    frame.crs = None
    frame.to_file(path)
    with pytest.raises(CRSError, match=r"no CRS.*crs = \"EPSG:25833\""):
        read_vector(entry(path))


def test_missing_crs_is_taken_from_catalog(tmp_path):
    path = tmp_path / "nocrs.gpkg"
    frame = polygons()
    frame.crs = None
    frame.to_file(path)
    assert read_vector(entry(path, crs="EPSG:25833")).crs.to_epsg() == 25833


def test_crs_that_contradicts_the_catalog_fails(tmp_path):
    path = tmp_path / "wgs.gpkg"
    polygons().to_crs(4326).to_file(path)
    with pytest.raises(CRSError, match="EPSG:4326.*catalog says EPSG:25833"):
        read_vector(entry(path, crs="EPSG:25833"))


def test_unknown_crs_text_fails(tmp_path):
    path = tmp_path / "a.gpkg"
    polygons().to_file(path)
    with pytest.raises(CRSError, match="EPSG:99999"):
        read_vector(entry(path, crs="EPSG:99999"))


def test_file_that_is_not_what_the_catalog_says(tmp_path):
    path = tmp_path / "points.gpkg"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(320000, 5670000)], crs=25833).to_file(path)
    with pytest.raises(InputDataError, match="says polygon geometry but the file has Point"):
        read_vector(entry(path, geometry="polygon"))
    with pytest.raises(InputDataError, match="not raster"):
        inspect_raster(entry(path, kind="vector"))


def test_missing_columns_are_named(tmp_path):
    path = tmp_path / "a.gpkg"
    polygons().to_file(path)
    with pytest.raises(InputDataError, match="lacks column.*height_m.*it has: AGS, use"):
        read_vector(entry(path, columns=("use", "height_m")))


def test_empty_layer_fails(tmp_path):
    path = tmp_path / "empty.gpkg"
    polygons().iloc[:0].to_file(path)
    with pytest.raises(InputDataError, match="empty"):
        read_vector(entry(path))


def test_missing_file_and_wrong_layer_name(tmp_path):
    with pytest.raises(InputDataError, match="file not found"):
        read_vector(entry(tmp_path / "nope.gpkg"))
    path = tmp_path / "a.gpkg"
    polygons().to_file(path, layer="houses")
    with pytest.raises(InputDataError, match="no layer 'roofs'; it has houses"):
        read_vector(entry(path, layer="roofs"))


def test_garbage_file_is_not_a_traceback(tmp_path):
    path = tmp_path / "junk.gpkg"
    path.write_bytes(b"this is not a geopackage" * 100)
    with pytest.raises(InputDataError, match="cannot be"):
        read_vector(entry(path))


def _write_tif(path: Path, crs="EPSG:25833") -> None:
    data = np.arange(100, dtype="float32").reshape(10, 10)
    with rasterio.open(path, "w", driver="GTiff", width=10, height=10, count=1, dtype="float32", crs=crs,
                       transform=from_origin(320000, 5670000, 10, 10), nodata=-1) as dst:
        dst.write(data, 1)


def test_valid_raster_is_described(tmp_path):
    path = tmp_path / "ok.tif"
    _write_tif(path)
    info = inspect_raster(entry(path, kind="raster", crs="EPSG:25833"))
    assert (info.width, info.height, info.min_value, info.max_value) == (10, 10, 0.0, 99.0)


def test_corrupt_geotiff_fails_with_replace_hint(tmp_path):
    path = tmp_path / "bad.tif"
    _write_tif(path)
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 3])
    with pytest.raises(InputDataError, match="(corrupt|not a readable raster).*Replace"):
        inspect_raster(entry(path, kind="raster"))


def test_raster_without_crs(tmp_path):
    path = tmp_path / "nocrs.tif"
    _write_tif(path, crs=None)
    with pytest.raises(CRSError, match="no CRS"):
        inspect_raster(entry(path, kind="raster"))


def test_degrees_where_metres_are_needed():
    with pytest.raises(CRSError, match="degrees.*EPSG:25833"):
        require_metric(gpd.GeoDataFrame(geometry=[Point(12, 51)], crs=4326).crs, "buildings")


def test_table_reader_keeps_ags_text_and_names_missing_columns(tmp_path):
    path = tmp_path / "s.csv"
    pd.DataFrame({"ags": ["01234567"], "x": [1]}).to_csv(path, index=False)
    frame = read_table(entry(path, kind="table"))
    assert frame["ags"].iloc[0] == "01234567"
    with pytest.raises(InputDataError, match="population_2021"):
        read_table(entry(path, kind="table"), required=("population_2021",))
