"""CRS is never inherited: a local entry states its CRS or takes the file's; wrong units are refused.

Every file here is written by the test in its real format: a shapefile without ``.prj`` (pyogrio),
a GeoTIFF without CRS (rasterio), a GeoJSON in degrees (RFC 7946). The region is two 10 x 10 km
squares in EPSG:25833 south of Leipzig, so where each file lies is known by hand.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from potenzial.errors import CRSError
from potenzial.params import load_params
from potenzial.pipeline import load_inputs
from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from potenzial.sources.raster import inspect_raster
from potenzial.sources.vector import read_vector
from potenzial.steps.context import StepContext
from tests.support.crs_files import (
    LAT0,
    LON0,
    SIDE_M,
    X0,
    Y0,
    houses,
    region_with_stand_ins,
    shapefile_without_prj,
    tif_without_crs,
)

REGIONS = PROJECT_ROOT / "layers" / "regions"
def _local(layer: str, source: Path, crs: str | None) -> str:
    line = f'crs = "{crs}"\n' if crs else ""
    return (f'[layers.{layer}]\nsource = "{source}"\nprovenance = "real"\nlicence = "dl-de/by-2-0"\n'
            f'attribution = "test"\ngenerator = ""\nfields = {{ building_id = "oid" }}\n{line}')


def _context(region_file: Path, data_dir: Path) -> StepContext:
    region = load_region(region_file, REGIONS, data_dir)
    return StepContext(region=region, params=load_params(PROJECT_ROOT / "layers" / "params" / "default"),
                       run_id="t", raster_dir=data_dir / "r")


def test_local_entry_does_not_inherit_the_stand_ins_crs(tmp_path):
    shp = shapefile_without_prj(tmp_path / "hu.shp", houses(LON0, LAT0, 0.001, 4326))
    region = load_region(region_with_stand_ins(tmp_path / "reg", _local("buildings", shp, None)), REGIONS, tmp_path)
    entry = region.layer("buildings")
    assert entry.crs is None            # the stand-in said EPSG:25833; the new file did not
    assert entry.columns == ("building_id",)   # what the layer must hold is still inherited


def test_shapefile_without_prj_and_no_stated_crs_is_refused_naming_file_and_fix(tmp_path):
    shp = shapefile_without_prj(tmp_path / "hu.shp", houses(LON0, LAT0, 0.001, 4326))
    region = load_region(region_with_stand_ins(tmp_path / "reg", _local("buildings", shp, None)), REGIONS, tmp_path)
    with pytest.raises(CRSError) as err:
        read_vector(region.layer("buildings"))
    message = str(err.value)
    assert "hu.shp" in message and "no CRS" in message and "crs = " in message and ".prj" in message
    assert "\n" not in message


def test_geotiff_without_crs_and_no_stated_crs_is_refused(tmp_path):
    tif = tif_without_crs(tmp_path / "dgm.tif", X0, Y0 + SIDE_M, 1_000.0)
    local = (f'[layers.terrain]\nsource = "{tif}"\nprovenance = "real"\nlicence = "dl-de/by-2-0"\n'
             'attribution = "GeoSN"\ngenerator = ""\n')
    region = load_region(region_with_stand_ins(tmp_path / "reg", "", local), REGIONS, tmp_path)
    assert region.layer("terrain").crs is None
    with pytest.raises(CRSError, match=r"dgm\.tif.*no CRS.*gdal_edit"):
        inspect_raster(region.layer("terrain"))


def test_geojson_in_degrees_declared_as_utm_is_refused(tmp_path):
    geojson = tmp_path / "hu.geojson"
    pyogrio.write_dataframe(houses(LON0, LAT0, 0.001, 4326), geojson, driver="GeoJSON")
    region_file = region_with_stand_ins(tmp_path / "reg", _local("buildings", geojson, "EPSG:25833"))
    region = load_region(region_file, REGIONS, tmp_path)
    with pytest.raises(CRSError, match=r"hu\.geojson.*EPSG:4326.*EPSG:25833"):
        read_vector(region.layer("buildings"))


def test_geojson_in_degrees_without_stated_crs_takes_the_files_and_lands_in_the_region(tmp_path):
    geojson = tmp_path / "hu.geojson"
    pyogrio.write_dataframe(houses(LON0, LAT0, 0.001, 4326), geojson, driver="GeoJSON")
    region = load_region(region_with_stand_ins(tmp_path / "reg", _local("buildings", geojson, None)), REGIONS, tmp_path)
    frame = read_vector(region.layer("buildings"))
    xmin, ymin, _, _ = frame.total_bounds
    # 12.43° E, 51.16° N is about (319,600 m, 5,670,700 m) in EPSG:25833: within 2 km of the corner
    assert abs(xmin - X0) < 2_000 and abs(ymin - Y0) < 2_000


def test_degrees_read_as_metres_are_refused_before_any_step(tmp_path):
    shp = shapefile_without_prj(tmp_path / "hu.shp", houses(LON0, LAT0, 0.001, 4326))
    ctx = _context(region_with_stand_ins(tmp_path / "reg", _local("buildings", shp, "EPSG:25833")), tmp_path)
    # the entry states EPSG:25833 for a file in degrees: read as metres, it lies at x ≈ 12, y ≈ 51
    assert read_vector(ctx.region.layer("buildings")).total_bounds[0] == pytest.approx(LON0)
    with pytest.raises(CRSError, match=r"hu\.shp.*degrees read as metres.*EPSG:4326"):
        _load_real_layers(ctx)


def test_metres_declared_as_degrees_are_refused(tmp_path):
    shp = shapefile_without_prj(tmp_path / "hu.shp", houses(X0 + 100, Y0 + 100, 20.0, None))
    region_file = region_with_stand_ins(tmp_path / "reg", _local("buildings", shp, "EPSG:4326"))
    region = load_region(region_file, REGIONS, tmp_path)
    with pytest.raises(CRSError, match=r"hu\.shp.*not degrees.*EPSG:4326"):
        read_vector(region.layer("buildings"))


def test_geotiff_in_metres_declared_as_degrees_is_refused(tmp_path):
    tif = tif_without_crs(tmp_path / "dgm.tif", X0, Y0 + SIDE_M, 1_000.0)
    local = (f'[layers.terrain]\nsource = "{tif}"\ncrs = "EPSG:4326"\nprovenance = "real"\n'
             'licence = "dl-de/by-2-0"\nattribution = "GeoSN"\ngenerator = ""\n')
    region = load_region(region_with_stand_ins(tmp_path / "reg", "", local), REGIONS, tmp_path)
    with pytest.raises(CRSError, match=r"dgm\.tif.*not degrees"):
        inspect_raster(region.layer("terrain"))


def test_a_file_outside_the_region_is_refused(tmp_path):
    # right CRS, wrong place: 300 km north of the region (around Rostock)
    shp = shapefile_without_prj(tmp_path / "hu.shp", houses(X0, Y0 + 300_000, 20.0, None))
    ctx = _context(region_with_stand_ins(tmp_path / "reg", _local("buildings", shp, "EPSG:25833")), tmp_path)
    with pytest.raises(CRSError, match=r"hu\.shp.*outside the region"):
        _load_real_layers(ctx)


def test_geotiff_without_crs_with_stated_crs_in_the_region_is_accepted(tmp_path):
    tif = tif_without_crs(tmp_path / "dgm.tif", X0, Y0 + SIDE_M, 1_000.0)
    local = (f'[layers.terrain]\nsource = "{tif}"\ncrs = "EPSG:25833"\nprovenance = "real"\n'
             'licence = "dl-de/by-2-0"\nattribution = "GeoSN"\ngenerator = ""\n')
    ctx = _context(region_with_stand_ins(tmp_path / "reg", "", local), tmp_path)
    info = inspect_raster(ctx.region.layer("terrain"))
    assert info.crs == "EPSG:25833" and info.bounds == (X0, Y0, X0 + 10_000.0, Y0 + 10_000.0)
    _load_real_layers(ctx)   # inside the region: no error


def test_municipalities_in_degrees_declared_as_metres_are_refused(tmp_path):
    folder = tmp_path / "reg"
    region_with_stand_ins(folder, "")
    shp = shapefile_without_prj(tmp_path / "gem.shp", gpd.GeoDataFrame(
        {"AGS": ["14729010"], "GEN": ["A"]}, geometry=[shapely.box(LON0, LAT0, LON0 + 0.1, LAT0 + 0.1)], crs=4326))
    (folder / "region.local.toml").write_text(f'[layers.municipalities]\nsource = "{shp}"\ncrs = "EPSG:25833"\n',
                                              encoding="utf-8")
    ctx = _context(folder / "region.toml", tmp_path)
    with pytest.raises(CRSError, match=r"gem\.shp.*degrees read as metres"):
        _load_real_layers(ctx)


def _load_real_layers(ctx: StepContext) -> None:
    """load_inputs over the real layers only (the stand-ins of this test region are not generated)."""
    ctx.region = dataclasses.replace(ctx.region, layers={k: v for k, v in ctx.region.layers.items()
                                                         if not v.synthetic})
    load_inputs(ctx)
