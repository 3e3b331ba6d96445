"""Footprint files (ALKIS Hausumringe-like shapefile / GeoPackage) and the DSM reader."""

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from potenzial.errors import CRSError, InputDataError
from potenzial.sources.dsm import read_dsm
from potenzial.sources.footprints import alkis_use, read_footprints


def hausumringe(path, crs="EPSG:25833", driver="ESRI Shapefile"):
    frame = gpd.GeoDataFrame({
        "oid": ["DESNAL0001", "DESNAL0002", "DESNAL0003", "DESNAL0004"],
        "gfk": ["31001_1010", "31001_2463", "31001_1220", None],
    }, geometry=[shapely.box(330000, 5690000, 330010, 5690008), shapely.box(330020, 5690000, 330026, 5690003),
                 shapely.box(330040, 5690000, 330060, 5690012), shapely.box(330070, 5690000, 330075, 5690005)],
        crs=crs)
    frame.to_file(path, driver=driver)
    return frame


def test_alkis_function_codes():
    assert alkis_use("31001_1010") == "residential"  # Wohnhaus
    assert alkis_use("1100") == "residential"  # gemischt genutzt mit Wohnen
    assert alkis_use(1220.0) == "residential"  # land- und forstwirtschaftliches Wohn- und Betriebsgebäude
    assert alkis_use("31001_2463") == "non_residential"  # Garage
    assert alkis_use("3021") == "non_residential"  # Schule
    assert alkis_use(None) == alkis_use("Wohnhaus") == "unknown"


@pytest.mark.parametrize("suffix,driver", [(".shp", "ESRI Shapefile"), (".gpkg", "GPKG")])
def test_read_hausumringe(tmp_path, suffix, driver):
    hausumringe(tmp_path / f"hu{suffix}", driver=driver)
    frame = read_footprints(tmp_path / f"hu{suffix}")
    assert frame["building_id"].tolist() == ["DESNAL0001", "DESNAL0002", "DESNAL0003", "DESNAL0004"]
    assert frame["use"].tolist() == ["residential", "non_residential", "residential", "unknown"]
    assert frame.crs.to_epsg() == 25833 and frame.geometry.area.tolist() == pytest.approx([80, 18, 240, 25])


def test_footprints_in_another_crs_are_reprojected(tmp_path):
    hausumringe(tmp_path / "hu.gpkg", driver="GPKG").to_crs(4326).to_file(tmp_path / "wgs.gpkg", driver="GPKG")
    frame = read_footprints(tmp_path / "wgs.gpkg")
    assert frame.crs.to_epsg() == 25833 and frame.geometry.area.iloc[0] == pytest.approx(80, rel=1e-3)


def test_a_shapefile_without_prj_fails_with_the_fix(tmp_path):
    hausumringe(tmp_path / "hu.shp")
    (tmp_path / "hu.prj").unlink()
    with pytest.raises(CRSError, match="no CRS.*EPSG:25833"):
        read_footprints(tmp_path / "hu.shp")
    assert read_footprints(tmp_path / "hu.shp", crs="EPSG:25833").crs.to_epsg() == 25833


def test_a_file_without_id_column_names_the_columns(tmp_path):
    hausumringe(tmp_path / "hu.gpkg", driver="GPKG").rename(columns={"oid": "name"}).to_file(
        tmp_path / "noid.gpkg", driver="GPKG")
    with pytest.raises(InputDataError, match="no building id column.*name"):
        read_footprints(tmp_path / "noid.gpkg")
    assert read_footprints(tmp_path / "noid.gpkg", id_column="name")["building_id"].iloc[0] == "DESNAL0001"


def write_dsm(path, crs="EPSG:25833"):
    data = np.arange(100, dtype="float32").reshape(10, 10)
    with rasterio.open(path, "w", driver="GTiff", width=10, height=10, count=1, dtype="float32",
                       crs=crs, transform=from_origin(330000, 5690010, 1, 1), nodata=-9999) as dst:
        dst.write(data, 1)


def test_read_dsm_window_and_crs_checks(tmp_path):
    write_dsm(tmp_path / "dsm.tif")
    surface = read_dsm(tmp_path / "dsm.tif", bounds=(330002, 5690002, 330005, 5690006))
    assert surface.heights_m.shape == (4, 3) and surface.res_m == (1.0, 1.0)
    # row 0 of the window is 5690006..5690005 (file row 4), column 0 is 330002 (file column 2)
    assert surface.heights_m[0, 0] == 42.0
    assert surface.sample(np.array([330002.5]), np.array([5690005.5]))[0] == 42.0
    assert np.isnan(surface.sample(np.array([0.0]), np.array([0.0]))[0])
    write_dsm(tmp_path / "wgs.tif", crs="EPSG:4326")
    with pytest.raises(CRSError, match="degrees"):
        read_dsm(tmp_path / "wgs.tif")
    write_dsm(tmp_path / "utm32.tif", crs="EPSG:25832")
    with pytest.raises(CRSError, match="gdalwarp"):
        read_dsm(tmp_path / "utm32.tif")
    with pytest.raises(InputDataError, match="not found"):
        read_dsm(tmp_path / "missing.tif")
