"""`potenzial region synth`: synthetic regions of N copies of the county for scaling measurements.

The layout is checked on two hand-made squares (whose copies' places follow by hand); the CLI runs
as a subprocess on the shipped county, and what it wrote is read back independently (geopandas,
the region loader).
"""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.data.region_synth import copy_offsets, synthetic_key, tiled_ghi, tiled_municipalities
from potenzial.errors import ConfigError
from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector
from tests.support.child_env import child_env

VG5000 = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "data" / "admin_vg5000_2021_sachsen.gpkg"


def two_squares() -> gpd.GeoDataFrame:
    """A 'county' of two 1 km squares side by side: box 2 km wide, 1 km high."""
    return gpd.GeoDataFrame({"ags": ["14729010", "14729020"], "name": ["Ost", "West"], "bez": ["Stadt", "Gemeinde"]},
                            geometry=[shapely.box(300_000, 5_650_000, 301_000, 5_651_000),
                                      shapely.box(301_000, 5_650_000, 302_000, 5_651_000)], crs=ANALYSIS_CRS)


def test_four_copies_lie_side_by_side_on_a_square_grid_with_new_keys():
    tiled = tiled_municipalities(two_squares(), 4)
    assert len(tiled) == 8
    assert list(tiled["ags"]) == ["99000010", "99000020", "99001010", "99001020",
                                  "99002010", "99002020", "99003010", "99003020"]
    assert tiled["ags"].is_unique and list(tiled["name"][:3]) == ["Ost · 1", "West · 1", "Ost · 2"]
    # 2 columns: copy 2 (0-based 1) is 2 km east, copy 3 is 1 km north, copy 4 both
    assert tiled.geometry.iloc[3].bounds == (303_000, 5_650_000, 304_000, 5_651_000)
    assert tiled.geometry.iloc[5].bounds == (301_000, 5_651_000, 302_000, 5_652_000)
    assert tiled.geometry.iloc[7].bounds == (303_000, 5_651_000, 304_000, 5_652_000)
    # no two copies overlap: the union has the sum of the areas, 8 km²
    assert shapely.union_all(tiled.geometry.to_numpy()).area == pytest.approx(8_000_000.0)
    assert tiled.total_bounds.tolist() == [300_000, 5_650_000, 304_000, 5_652_000]


def test_offsets_and_keys_by_hand():
    # 5 copies: ceil(sqrt(5)) = 3 columns, so the 4th and 5th start the second row
    assert copy_offsets(5, 10.0, 4.0) == [(0, 0), (10, 0), (20, 0), (0, 4), (10, 4)]
    assert synthetic_key(12, "14729360") == "99012360"
    for bad in (0, 65):
        with pytest.raises(ConfigError, match="from 1 to 64"):
            copy_offsets(bad, 1.0, 1.0)


def test_irradiation_points_follow_their_copy():
    points = gpd.GeoDataFrame({"id": ["p1", "far"], "lat": [51.0, 40.0], "lon": [12.0, 12.0]},
                              geometry=[shapely.Point(301_000, 5_650_500), shapely.Point(900_000, 5_650_500)],
                              crs=ANALYSIS_CRS)
    tiled = tiled_ghi(points, two_squares(), 4)
    # the far point (600 km away) is left out; p1 is copied 4 times, 2 km / 1 km apart, with the county's sun
    assert list(tiled["id"]) == ["p1#1", "p1#2", "p1#3", "p1#4"]
    assert [(p.x, p.y) for p in tiled.geometry] == [(301_000, 5_650_500), (303_000, 5_650_500),
                                                    (301_000, 5_651_500), (303_000, 5_651_500)]
    assert set(tiled["lat"]) == {51.0}


def test_cli_writes_a_labelled_synthetic_region_of_four_counties(tmp_path):
    regions = tmp_path / "regions"
    regions.mkdir()
    env = child_env()
    env |= {"POTENZIAL_REGIONS_DIR": str(regions), "COLUMNS": "200"}
    out = subprocess.run([sys.executable, "-m", "potenzial.cli.main", "region", "synth", "--scale", "4"],
                         capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)
    assert out.returncode == 0, out.stderr
    region = load_region("synth-4x", regions, tmp_path / "data")
    munis = read_vector(region.layer("municipalities"))
    county = pyogrio.read_dataframe(VG5000, layer="lk_leipzig_gemeinden").to_crs(ANALYSIS_CRS)
    assert len(munis) == 4 * len(county) == 120 and munis["ags"].is_unique
    assert munis["ags"].str.fullmatch(r"99\d{6}").all()
    # four times the county's area (within the precision of the written file)
    assert munis.geometry.area.sum() == pytest.approx(4 * county.geometry.area.sum(), rel=1e-6)
    assert shapely.union_all(munis.geometry.to_numpy()).area == pytest.approx(munis.geometry.area.sum(), rel=1e-6)
    # what a person sees is labelled synthetic: boundaries, statistics, irradiation grid, stand-ins
    for lid in ("municipalities", "county", "statistics", "ghi", "buildings", "landcover"):
        assert region.layer(lid).provenance == "synthetic", lid
        assert "synthetisch" in region.layer(lid).title or region.layer(lid).generator, lid
    stats = read_table(region.layer("statistics"))
    assert sorted(stats["ags"]) == sorted(munis["ags"])
    # the irradiation grid reaches every copy: each municipality has a point within 20 km
    ghi = read_vector(region.layer("ghi"))
    distance = np.array([ghi.geometry.distance(c).min() for c in munis.geometry.representative_point()])
    assert distance.max() < 20_000.0
    assert pd.Series(ghi["id"]).is_unique
    # no real plants of the county are carried into the copies
    assert not any(lid.endswith("_2015") for lid in region.layers)

    bad = subprocess.run([sys.executable, "-m", "potenzial.cli.main", "region", "synth", "--scale", "0"],
                         capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=300)
    assert bad.returncode == 2 and "from 1 to 64" in bad.stderr and "Traceback" not in bad.stderr
