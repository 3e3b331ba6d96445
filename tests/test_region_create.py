"""`potenzial region create`: a region for any county, from the shipped VG5000 or a boundary file.

The CLI runs as a subprocess (as a user runs it) into a temporary regions folder; the expected
municipalities are read independently from the shipped files with geopandas.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import urllib.request

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT, Settings
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector
from tests.support.child_env import child_env

REGIONS = PROJECT_ROOT / "layers" / "regions"
LEIPZIG = REGIONS / "lk-leipzig"
VG5000 = LEIPZIG / "data" / "admin_vg5000_2021_sachsen.gpkg"
STATISTICS = LEIPZIG / "data" / "lk_leipzig_gemeinden_statistik.csv"
#: two neighbouring municipalities of Nordsachsen (32 + 37 km² in the VG5000): a small, real region
NORDSACHSEN_PAIR = ("14730090", "14730120")   # Dommitzsch, Elsnig


def potenzial(*args: str, env_extra: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    env = child_env()
    env.update({"COLUMNS": "200", **env_extra})
    return subprocess.run([sys.executable, "-m", "potenzial.cli.main", *args], capture_output=True, text=True,
                          env=env, cwd=PROJECT_ROOT, timeout=timeout)


def test_county_14729_reproduces_the_default_regions_municipalities(tmp_path):
    regions = tmp_path / "regions"
    regions.mkdir()
    result = potenzial("region", "create", "--county", "14729", "--name", "Landkreis Leipzig (neu)",
                       env_extra={"POTENZIAL_REGIONS_DIR": str(regions)})
    assert result.returncode == 0, result.stderr
    created = load_region("lk-14729", regions, tmp_path / "data")
    default = load_region("lk-leipzig", REGIONS, tmp_path / "data")

    new = read_vector(created.layer("municipalities")).set_index("ags").sort_index()
    old = read_vector(default.layer("municipalities")).set_index("ags").sort_index()
    assert len(new) == 30 and list(new.index) == list(old.index)
    assert list(new["name"]) == list(old["name"])
    # the same polygons: symmetric difference below 1 m² per municipality
    diff = shapely.area(shapely.symmetric_difference(new.geometry.to_numpy(), old.geometry.to_numpy()))
    assert diff.max() < 1.0
    # the statistics are the shipped rows, real, for all 30 (read independently from the CSV)
    shipped = pd.read_csv(STATISTICS, dtype={"ags": str}).set_index("ags")
    stats = read_table(created.layer("statistics")).set_index("ags")
    assert created.layer("statistics").provenance == "real"
    assert (stats.loc[new.index, "population_2021"] == shipped.loc[new.index, "population_2021"]).all()
    # the county's own layers (UFZ plants of 2015) come along; the stand-ins are the same generators
    assert "plants_bioenergy_2015" in created.layers
    assert ({e.generator for e in created.synthetic_layers} == {e.generator for e in default.synthetic_layers})
    assert created.seed == 14729 and created.ags_prefix == "14729"


def test_existing_region_is_not_overwritten_and_bad_keys_fail_in_one_line(tmp_path):
    regions = tmp_path / "regions"
    regions.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions)}
    assert potenzial("region", "create", "--county", "14730", "--municipality", NORDSACHSEN_PAIR[0],
                     env_extra=env).returncode == 0
    before = (regions / "lk-14730" / "region.toml").read_bytes()
    again = potenzial("region", "create", "--county", "14730", env_extra=env)
    assert again.returncode == 2 and "exists already" in again.stderr and "Traceback" not in again.stderr
    assert (regions / "lk-14730" / "region.toml").read_bytes() == before
    for args, needle in ((["--county", "9999"], "5-digit"), (["--county", "09162"], "Saxony"),
                         (["--county", "14730", "--municipality", "14729010", "--id", "x-1"], "14729010")):
        bad = potenzial("region", "create", *args, env_extra=env)
        assert bad.returncode == 2, bad.stderr
        assert needle in bad.stderr and "Traceback" not in bad.stderr
    assert sorted(p.name for p in regions.iterdir()) == ["lk-14730"]   # nothing half-made left behind


def test_boundaries_file_with_key_field_and_area_driven_statistics(tmp_path):
    """Any boundary file: a shapefile of two hand-made squares (10 × 10 km and 5 × 5 km) in degrees-free
    UTM 33N with keys in a column 'SCHLUESSEL'; no statistics exist, so the defaults are area-driven."""
    shp = tmp_path / "gemeinden.shp"
    squares = [shapely.box(330_000, 5_700_000, 340_000, 5_710_000), shapely.box(340_000, 5_700_000, 345_000, 5_705_000)]
    pyogrio.write_dataframe(gpd.GeoDataFrame({"SCHLUESSEL": ["14730900", "14730901"], "NAME": ["Nord", "Süd"]},
                                             geometry=squares, crs=25833), shp)
    regions = tmp_path / "regions"
    regions.mkdir()
    result = potenzial("region", "create", "--boundaries", str(shp), "--key-field", "SCHLUESSEL", "--name-field",
                       "NAME", "--name", "Testkreis", "--id", "testkreis",
                       env_extra={"POTENZIAL_REGIONS_DIR": str(regions)})
    assert result.returncode == 0, result.stderr
    assert "area-driven" in result.stdout
    region = load_region("testkreis", regions, tmp_path / "data")
    entry = region.layer("statistics")
    assert entry.provenance == "synthetic" and "synthetisch" in entry.title
    stats = read_table(entry).set_index("ags")
    # land area = the polygon area: 10,000 ha and 2,500 ha
    assert stats.loc["14730900", "area_ha_land_total"] == 10_000
    assert stats.loc["14730901", "area_ha_land_total"] == 2_500
    # the county row of Landkreis Leipzig: 20,963 ha settlement of 165,126 ha land, 258,214 inhabitants
    # -> settlement 10,000 × 20,963 / 165,126 = 1,269.5 ha; population 1,269.5 × 258,214 / 20,963 = 15,637
    assert stats.loc["14730900", "area_ha_land_settlement"] == 1_270
    assert abs(stats.loc["14730900", "population_2021"] - 15_637) <= 1
    assert stats["mastr2024_kw_pv"].isna().all()   # installed capacity is not guessed
    assert (stats["basis"].str.startswith("area-driven")).all()
    doc = tomllib.loads((regions / "testkreis" / "region.toml").read_text(encoding="utf-8"))
    assert "plants_bioenergy_2015" not in doc["layers"]   # Leipzig's plants are not this county's


@pytest.mark.slow
def test_nordsachsen_region_runs_and_serves(tmp_path):
    """`region create --county 14730` (two neighbouring municipalities, to keep it small), `potenzial run`
    into an embedded store, then the API serves the region's municipalities."""
    from api.app import create_app
    from tests.support.live_server import LiveServer

    regions, data = tmp_path / "regions", tmp_path / "data"
    regions.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(data),
           "POTENZIAL_RASTER_CACHE": str(tmp_path / "raster_cache")}
    args = ["--municipality", NORDSACHSEN_PAIR[0], "--municipality", NORDSACHSEN_PAIR[1]]
    created = potenzial("region", "create", "--county", "14730", "--name", "Nordsachsen (Ausschnitt)", *args,
                        env_extra=env)
    assert created.returncode == 0, created.stderr
    run = potenzial("run", "--region", "lk-14730", env_extra=env, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "statistics" in run.stdout   # the run names the synthetic statistics among its stand-ins

    settings = Settings(store=str(data / "store"), data_dir=data, raster_cache=tmp_path / "raster_cache",
                        regions_dir=regions, region="lk-14730")
    with LiveServer(create_app(settings)) as base:
        body = json.loads(urllib.request.urlopen(f"{base}/api/municipalities", timeout=60).read())
    served = {str(f["properties"]["ags"]): f["properties"] for f in body["features"]}
    assert sorted(served) == sorted(NORDSACHSEN_PAIR)
    assert "statistics" in body["synthetic_inputs"] and "buildings" in body["synthetic_inputs"]
    # areas as the VG5000 has them (read independently with geopandas): within 0.5 %
    vg = gpd.read_file(VG5000, layer="sachsen_gemeinden").set_index("AGS")
    for ags in NORDSACHSEN_PAIR:
        expected_km2 = vg.loc[[ags]].geometry.area.sum() / 1e6
        assert served[ags]["area_km2"] == pytest.approx(expected_km2, rel=0.005)


def _nordsachsen_vg5000() -> gpd.GeoDataFrame:
    """Nordsachsen's municipalities as the shipped VG5000 has them, read independently (parts dissolved)."""
    vg = gpd.read_file(VG5000, layer="sachsen_gemeinden")
    return vg[vg["AGS"].str.startswith("14730")].dissolve(by="AGS", aggfunc="first")


def test_county_14730_region_file_has_its_30_municipalities_and_says_what_is_missing(tmp_path):
    """The whole of Nordsachsen, without a run: the region file, its statistics and `data status`."""
    regions = tmp_path / "regions"
    regions.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(tmp_path / "data")}
    created = potenzial("region", "create", "--county", "14730", "--name", "Landkreis Nordsachsen", env_extra=env)
    assert created.returncode == 0, created.stderr
    said = " ".join(created.stdout.split())
    assert "30 municipalities" in said and "0 real, 30 area-driven defaults" in said

    expected = _nordsachsen_vg5000()
    region = load_region("lk-14730", regions, tmp_path / "data")
    munis = read_vector(region.layer("municipalities")).set_index("ags").sort_index()
    assert list(munis.index) == sorted(expected.index) and len(munis) == 30
    assert list(munis["name"]) == list(expected.sort_index()["GEN"])
    # Nordsachsen is about 2,020 km² (Statistisches Landesamt Sachsen); the VG5000 is generalised
    assert 1_950 < munis.geometry.area.sum() / 1e6 < 2_100
    stats = read_table(region.layer("statistics")).set_index("ags")
    assert sorted(stats.index) == sorted(expected.index)
    assert stats["basis"].str.startswith("area-driven").all() and stats["mastr2024_kw_pv"].isna().all()
    entry = region.layer("statistics")
    assert entry.provenance == "synthetic" and "synthetisch" in entry.title and "synthetic" in entry.extra["title_en"]
    header = (regions / "lk-14730" / "region.toml").read_text(encoding="utf-8").split("[region]")[0]
    text = " ".join(header.replace("#", " ").split())
    assert "Missing in the shipped data for 30 of 30 municipalities" in text and "MaStR" in text
    assert "plants_wind_2015" in text   # Leipzig's plant list of 2015 is not Nordsachsen's

    status = potenzial("data", "status", "--region", "lk-14730", "--json", env_extra=env)
    assert status.returncode == 0, status.stderr
    rows = {row["layer"]: row for row in json.loads(status.stdout)}
    assert rows["municipalities"]["provenance"] == "real" and rows["statistics"]["provenance"] == "synthetic"
    assert rows["buildings"]["provenance"] == "synthetic" and rows["buildings"]["sha256"] == "not generated"


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("POTENZIAL_COUNTY_RUN"),
                    reason="the whole of Nordsachsen (minutes): `make test-county`")
def test_county_14730_whole_region_demo_run_completes_and_serves(tmp_path):
    """`region create --county 14730`, `potenzial run` of all 30 municipalities into an embedded store, then
    the API serves each municipality with its VG5000 area and names the stand-ins the figures rest on."""
    from api.app import create_app
    from tests.support.live_server import LiveServer

    regions, data = tmp_path / "regions", tmp_path / "data"
    regions.mkdir()
    env = {"POTENZIAL_REGIONS_DIR": str(regions), "POTENZIAL_DATA_DIR": str(data),
           "POTENZIAL_RASTER_CACHE": str(tmp_path / "raster_cache")}
    created = potenzial("region", "create", "--county", "14730", "--name", "Landkreis Nordsachsen", env_extra=env)
    assert created.returncode == 0, created.stderr
    run = potenzial("run", "--region", "lk-14730", env_extra=env, timeout=1800)
    assert run.returncode == 0, run.stderr[-3000:]

    settings = Settings(store=str(data / "store"), data_dir=data, raster_cache=tmp_path / "raster_cache",
                        regions_dir=regions, region="lk-14730")
    with LiveServer(create_app(settings)) as base:
        body = json.loads(urllib.request.urlopen(f"{base}/api/municipalities", timeout=120).read())
        page = urllib.request.urlopen(f"{base}/", timeout=120).read().decode("utf-8")
    expected = _nordsachsen_vg5000()
    served = {str(f["properties"]["ags"]): f["properties"] for f in body["features"]}
    assert sorted(served) == sorted(expected.index)
    for ags, row in expected.iterrows():
        assert served[ags]["area_km2"] == pytest.approx(row.geometry.area / 1e6, rel=0.005), ags
    assert {"statistics", "buildings", "terrain", "wind_speed_150m"} <= set(body["synthetic_inputs"])
    assert "Nordsachsen" in page
