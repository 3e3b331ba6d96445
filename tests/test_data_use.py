"""`potenzial data use LAYER FILE [--crs …]`: a file the user has, never read in an inherited CRS.

The CLI runs as a subprocess, as a user runs it. Every file is written here in its real format
(a shapefile whose ``.prj`` is removed, a GeoTIFF written without CRS, a GeoPackage with one);
the region is the two 10 x 10 km squares of ``tests/support/crs_files.py``, so where each
file must land is known by hand: houses 100 m apart from (X0 + 1,000, Y0 + 1,000).
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tomllib
from pathlib import Path

import pyogrio
import pytest

from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from potenzial.sources.raster import inspect_raster
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector
from tests.support.child_env import child_env
from tests.support.crs_files import X0, Y0, region_with_stand_ins, shapefile_without_prj, tif_without_crs
from tests.support.crs_files import houses as three_houses

REGIONS = PROJECT_ROOT / "layers" / "regions"
LICENCE = ["--licence", "dl-de/by-2-0", "--attribution", "© GeoSN, dl-de/by-2-0"]


def potenzial(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = child_env()
    env.update({"COLUMNS": "200", "POTENZIAL_DATA_DIR": str(data_dir)})
    return subprocess.run([sys.executable, "-m", "potenzial.cli.main", *args], capture_output=True, text=True,
                          env=env, cwd=PROJECT_ROOT, timeout=300)


@pytest.fixture
def region_file(tmp_path) -> Path:
    path = region_with_stand_ins(tmp_path / "region", "")
    (tmp_path / "region" / "region.local.toml").unlink()   # no local catalog yet
    return path


def _local(region_file: Path) -> dict:
    return tomllib.loads((region_file.parent / "region.local.toml").read_text(encoding="utf-8"))


def _refused(result: subprocess.CompletedProcess, region_file: Path, *needles: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    line = " ".join(result.stderr.split())
    assert line.startswith("error:") and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in line, line
    assert not (region_file.parent / "region.local.toml").exists()   # nothing written


def test_shapefile_without_prj_is_refused_without_crs_and_names_the_file_and_the_option(tmp_path, region_file):
    shp = shapefile_without_prj(tmp_path / "hausumringe.shp", three_houses(X0 + 1_000, Y0 + 1_000, 100, None))
    result = potenzial("data", "use", "buildings", str(shp), "--region", str(region_file), "--field",
                       "building_id=oid", *LICENCE, data_dir=tmp_path / "data")
    _refused(result, region_file, "hausumringe.shp", "no CRS", "--crs EPSG:25833")


def test_crs_option_states_the_crs_of_a_shapefile_without_prj(tmp_path, region_file):
    shp = shapefile_without_prj(tmp_path / "hausumringe.shp", three_houses(X0 + 1_000, Y0 + 1_000, 100, None))
    result = potenzial("data", "use", "buildings", str(shp), "--region", str(region_file), "--crs", "EPSG:25833",
                       "--field", "building_id=oid", *LICENCE, data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert "stated with --crs" in result.stdout
    entry = _local(region_file)["layers"]["buildings"]
    assert entry["crs"] == "EPSG:25833" and entry["provenance"] == "real" and entry["generator"] == ""
    assert entry["source"] == str(shp.resolve()) and entry["fields"] == {"building_id": "oid"}
    region = load_region(region_file, REGIONS, tmp_path / "data")
    assert not region.layer("buildings").synthetic
    houses = read_vector(region.layer("buildings"))
    # three 50 m squares, 100 m apart, from (X0 + 1,000, Y0 + 1,000): the box by hand
    assert sorted(houses["building_id"]) == ["h1", "h2", "h3"]
    assert tuple(houses.total_bounds) == pytest.approx((X0 + 1_000, Y0 + 1_000, X0 + 1_250, Y0 + 1_050))


def test_degrees_without_prj_stated_as_metres_are_refused_and_as_degrees_land_in_the_region(tmp_path, region_file):
    shp = shapefile_without_prj(tmp_path / "osm_gebaeude.shp", three_houses(12.5, 51.2, 0.001, None))
    wrong = potenzial("data", "use", "buildings", str(shp), "--region", str(region_file), "--crs", "EPSG:25833",
                      "--field", "building_id=oid", *LICENCE, data_dir=tmp_path / "data")
    _refused(wrong, region_file, "osm_gebaeude.shp", "degrees read as metres")
    right = potenzial("data", "use", "buildings", str(shp), "--region", str(region_file), "--crs", "EPSG:4326",
                      "--field", "building_id=oid", *LICENCE, data_dir=tmp_path / "data")
    assert right.returncode == 0, right.stderr
    houses = read_vector(load_region(region_file, REGIONS, tmp_path / "data").layer("buildings"))
    # 12.5° E, 51.2° N by hand: 0.07° east of the corner's 12.43° E at 69.8 km per degree of longitude
    # (111.3 km × cos 51.2°) ≈ 4.9 km, 0.04° north at 111.2 km per degree ≈ 4.4 km, so about 5 km into the
    # western square (the corner itself lies a few hundred metres off 12.43° E, 51.16° N)
    xmin, ymin, xmax, ymax = houses.total_bounds
    assert X0 + 3_000 < xmin < xmax < X0 + 8_000 and Y0 + 3_000 < ymin < ymax < Y0 + 7_000
    assert xmax - xmin == pytest.approx(2.5 * 0.001 * 69_800, rel=0.03)   # 2.5 × 0.001° of longitude


def test_metres_stated_as_degrees_are_refused(tmp_path, region_file):
    shp = shapefile_without_prj(tmp_path / "hausumringe.shp", three_houses(X0 + 1_000, Y0 + 1_000, 100, None))
    result = potenzial("data", "use", "buildings", str(shp), "--region", str(region_file), "--crs", "EPSG:4326",
                       "--field", "building_id=oid", *LICENCE, data_dir=tmp_path / "data")
    _refused(result, region_file, "are not degrees")


def test_a_files_own_crs_is_taken_and_never_overridden(tmp_path, region_file):
    gpkg = tmp_path / "hausumringe.gpkg"
    pyogrio.write_dataframe(three_houses(X0 + 1_000, Y0 + 1_000, 100, 25833), gpkg, layer="hu")
    clash = potenzial("data", "use", "buildings", str(gpkg), "--region", str(region_file), "--crs", "EPSG:4326",
                      "--field", "building_id=oid", *LICENCE, data_dir=tmp_path / "data")
    _refused(clash, region_file, "in EPSG:25833, --crs says EPSG:4326", "only states the CRS of a file that has none")
    taken = potenzial("data", "use", "buildings", str(gpkg), "--region", str(region_file), "--layer", "hu",
                      "--field", "building_id=oid", *LICENCE, data_dir=tmp_path / "data")
    assert taken.returncode == 0, taken.stderr
    entry = _local(region_file)["layers"]["buildings"]
    assert "crs" not in entry and entry["layer"] == "hu"   # the file's own, not the stand-in's stated one
    assert "the file's own" in taken.stdout


def test_geotiff_without_crs_needs_the_option(tmp_path, region_file):
    tif = tif_without_crs(tmp_path / "dgm1.tif", X0 + 2_000, Y0 + 5_000, 10.0)
    refused = potenzial("data", "use", "terrain", str(tif), "--region", str(region_file), *LICENCE,
                        data_dir=tmp_path / "data")
    _refused(refused, region_file, "dgm1.tif", "no CRS", "--crs")
    stated = potenzial("data", "use", "terrain", str(tif), "--region", str(region_file), "--crs", "EPSG:25833",
                       *LICENCE, data_dir=tmp_path / "data")
    assert stated.returncode == 0, stated.stderr
    info = inspect_raster(load_region(region_file, REGIONS, tmp_path / "data").layer("terrain"))
    assert info.crs == "EPSG:25833"
    assert info.bounds == pytest.approx((X0 + 2_000, Y0 + 4_900, X0 + 2_100, Y0 + 5_000))   # 10 × 10 cells of 10 m
    assert info.min_value == info.max_value == 120.0


def test_an_earlier_local_entry_is_kept_when_a_new_file_fails(tmp_path, region_file):
    gpkg = tmp_path / "hausumringe.gpkg"
    pyogrio.write_dataframe(three_houses(X0 + 1_000, Y0 + 1_000, 100, 25833), gpkg, layer="hu")
    assert potenzial("data", "use", "buildings", str(gpkg), "--region", str(region_file), "--field",
                     "building_id=oid", *LICENCE, data_dir=tmp_path / "data").returncode == 0
    before = (region_file.parent / "region.local.toml").read_bytes()
    far = tmp_path / "elsewhere.gpkg"   # 200 km east: another county
    pyogrio.write_dataframe(three_houses(X0 + 200_000, Y0, 100, 25833), far)
    result = potenzial("data", "use", "buildings", str(far), "--region", str(region_file), "--field",
                       "building_id=oid", *LICENCE, data_dir=tmp_path / "data")
    assert result.returncode == 2 and "outside the region" in " ".join(result.stderr.split())
    assert (region_file.parent / "region.local.toml").read_bytes() == before
    junk = tmp_path / "truncated.gpkg"
    junk.write_bytes(b"SQLite format 3\x00 cut off")
    for args, needle in ((["nosuchlayer", str(gpkg)], "not in the catalog"),
                         (["buildings", str(junk)], "cannot be read as a vector file"),
                         (["buildings", str(tmp_path / "missing.gpkg")], "file not found"),
                         (["buildings", str(gpkg), "--field", "oid"], "canonical=column")):
        bad = potenzial("data", "use", *args, "--region", str(region_file), *LICENCE, data_dir=tmp_path / "data")
        assert bad.returncode == 2 and needle in " ".join(bad.stderr.split()), bad.stderr
    assert (region_file.parent / "region.local.toml").read_bytes() == before


def test_a_real_statistics_table_replaces_the_area_driven_defaults(tmp_path):
    """A county without shipped statistics (Nordsachsen) gets a Regionalstatistik table; tables carry no CRS."""
    regions, data = tmp_path / "regions", tmp_path / "data"
    regions.mkdir()
    env = child_env()
    env.update({"COLUMNS": "200", "POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(data)})
    run = functools.partial(subprocess.run, capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)
    cli = [sys.executable, "-m", "potenzial.cli.main"]
    assert run([*cli, "region", "create", "--county", "14730", "--municipality", "14730090"]).returncode == 0
    before = load_region("lk-14730", regions, data).layer("statistics")
    assert before.provenance == "synthetic"
    table = tmp_path / "regionalstatistik_14730.csv"
    table.write_text("ags,name,population_2021,area_ha_land_total\n14730090,Dommitzsch,2512,3233\n", encoding="utf-8")
    args = [*cli, "data", "use", "statistics", str(table), "--region", "lk-14730", "--licence", "dl-de/by-2-0",
            "--attribution", "© Statistische Ämter des Bundes und der Länder"]
    stated = run([*args, "--crs", "EPSG:25833"])   # a CRS for a table is a mistake, not something to ignore
    assert stated.returncode == 2 and "has no CRS; drop --crs" in " ".join(stated.stderr.split())
    used = run(args)
    assert used.returncode == 0, used.stderr
    after = load_region("lk-14730", regions, data).layer("statistics")
    assert after.provenance == "real" and after.path == table.resolve()
    assert "crs" not in _local(regions / "lk-14730" / "region.toml")["layers"]["statistics"]   # a table has none
    assert read_table(after).set_index("ags").loc["14730090", "population_2021"] == 2512
