"""LoD2 CityGML 1.0/2.0: roof planes with known tilt, azimuth and area, written by the test."""

import math

import pytest
import shapely

from potenzial.errors import CRSError, InputDataError
from potenzial.sources.citygml import (
    newell_normal,
    orientation,
    plane_from_rings,
    read_citygml_roofs,
    srs_to_crs,
)
from tests.support.citygml import FLAT, GABLE, HIP, SHED, T35, X0, Y0, building, citygml


@pytest.fixture(params=["1.0", "2.0"])
def model_file(request, tmp_path):
    path = tmp_path / f"lod2_{request.param}.gml"
    part = ('<bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="part1">' + "".join(SHED)
            + "</bldg:BuildingPart></bldg:consistsOfBuildingPart>")
    path.write_text(citygml(request.param, [
        building("gable", GABLE), building("hip", HIP, function="31001_2000"), building("flat", FLAT),
        building("withpart", [], parts=part), building("walls_only", [GABLE[2]]),
    ], srs="urn:adv:crs:ETRS89_UTM33*DE_DHHN2016_NH"), encoding="utf-8")
    return path


def test_roof_planes_of_gable_hip_flat_and_shed_roofs(model_file):
    planes, buildings, report = read_citygml_roofs(model_file)
    assert report.buildings == 5 and report.roof_surfaces == 8 and report.buildings_without_roof == 1
    assert report.crs == "EPSG:25833" and planes.crs.to_epsg() == 25833
    by = {b: g.sort_values("azimuth_deg").reset_index(drop=True) for b, g in planes.groupby("building_id")}

    gable = by["gable"]
    assert gable["azimuth_deg"].tolist() == pytest.approx([0.0, 180.0])
    assert gable["tilt_deg"].tolist() == pytest.approx([35.0, 35.0])
    assert gable["plane_area_m2"].tolist() == pytest.approx([40 / math.cos(math.radians(35))] * 2)
    south = gable.geometry[1]
    assert south.equals(shapely.box(X0, Y0, X0 + 10, Y0 + 4))

    hip = by["hip"]
    assert hip["azimuth_deg"].tolist() == pytest.approx([0.0, 90.0, 180.0, 270.0])
    assert hip["tilt_deg"].tolist() == pytest.approx([30.0] * 4)
    assert hip["plane_area_m2"].tolist() == pytest.approx([25 / math.cos(math.radians(30))] * 4)

    flat = by["flat"]
    assert flat["tilt_deg"].tolist() == [0.0] and flat["azimuth_deg"].tolist() == [180.0]
    assert flat["plane_area_m2"].tolist() == pytest.approx([96.0])
    assert flat.geometry[0].area == pytest.approx(96.0)

    shed = by["withpart"]  # the roof of a BuildingPart belongs to its building
    assert shed["azimuth_deg"].tolist() == pytest.approx([90.0])
    assert shed["tilt_deg"].tolist() == pytest.approx([20.0])
    assert shed["plane_area_m2"].tolist() == pytest.approx([100 / math.cos(math.radians(20))])

    assert set(planes["method"]) == {"lod2"}
    uses = buildings.set_index("building_id")["use"].to_dict()
    assert uses["gable"] == "residential" and uses["hip"] == "non_residential"


def test_newell_normal_and_orientation_by_hand():
    square = [(0, 0, 0), (2, 0, 0), (2, 2, 0), (0, 2, 0)]
    assert newell_normal(square).tolist() == [0.0, 0.0, 8.0]  # twice the area, pointing up
    assert orientation([0.0, 0.0, -1.0]) == (0.0, 180.0)  # flat, either sense
    assert orientation([1.0, 0.0, 1.0]) == pytest.approx((45.0, 90.0))  # faces east
    area, tilt, azimuth = plane_from_rings([(0, 0, 0), (0, 10, 0), (-10 * T35, 10, 10), (-10 * T35, 0, 10)])
    assert (tilt, azimuth) == pytest.approx((55.0, 90.0)) and area == pytest.approx(100 / math.cos(math.radians(35)))


def test_srs_names():
    assert srs_to_crs("urn:adv:crs:ETRS89_UTM32*DE_DHHN92_NH").to_epsg() == 25832
    assert srs_to_crs("urn:ogc:def:crs:EPSG::25833").to_epsg() == 25833
    assert srs_to_crs("http://www.opengis.net/def/crs/EPSG/0/25833").to_epsg() == 25833
    assert srs_to_crs("EPSG:4326").to_epsg() == 4326


def test_a_file_without_crs_or_in_degrees_fails_with_the_fix(tmp_path):
    bare = tmp_path / "bare.gml"
    bare.write_text(citygml("2.0", [building("gable", GABLE)], srs=""), encoding="utf-8")
    with pytest.raises(CRSError, match="no srsName.*EPSG:25833"):
        read_citygml_roofs(bare)
    planes, _, _ = read_citygml_roofs(bare, crs="EPSG:25833")  # the CRS given by the user
    assert len(planes) == 2
    degrees = tmp_path / "degrees.gml"
    degrees.write_text(citygml("2.0", [building("gable", GABLE)], srs="EPSG:4326"), encoding="utf-8")
    with pytest.raises(CRSError, match="degrees"):
        read_citygml_roofs(degrees)


def test_a_file_without_roof_surfaces_reads_as_no_planes(tmp_path):
    path = tmp_path / "walls.gml"
    path.write_text(citygml("1.0", [building("walls_only", [GABLE[2]])]), encoding="utf-8")
    planes, buildings, report = read_citygml_roofs(path)
    assert len(planes) == 0 and report.roof_surfaces == 0 and report.buildings_without_roof == 1
    assert buildings["roof_surfaces"].tolist() == [0]


def test_broken_or_missing_files_are_user_errors(tmp_path):
    broken = tmp_path / "broken.gml"
    broken.write_text(citygml("2.0", [building("gable", GABLE)])[:-40], encoding="utf-8")
    with pytest.raises(InputDataError, match="not well-formed"):
        read_citygml_roofs(broken)
    with pytest.raises(InputDataError, match="no .gml/.xml"):
        read_citygml_roofs(tmp_path / "missing.gml")


def test_a_folder_of_tiles(tmp_path):
    (tmp_path / "a.gml").write_text(citygml("2.0", [building("gable", GABLE)]), encoding="utf-8")
    (tmp_path / "b.xml").write_text(citygml("1.0", [building("flat", FLAT)]), encoding="utf-8")
    planes, buildings, report = read_citygml_roofs(tmp_path)
    assert report.files == 2 and sorted(buildings["building_id"]) == ["flat", "gable"] and len(planes) == 3
