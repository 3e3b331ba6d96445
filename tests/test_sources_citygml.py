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

NS = {
    "1.0": ("http://www.opengis.net/citygml/1.0", "http://www.opengis.net/citygml/building/1.0"),
    "2.0": ("http://www.opengis.net/citygml/2.0", "http://www.opengis.net/citygml/building/2.0"),
}
X0, Y0 = 330_000.0, 5_690_000.0  # a place in the county, EPSG:25833
T35, T30, T20 = (math.tan(math.radians(a)) for a in (35, 30, 20))


def ring(points, poslist=True):
    pts = [(X0 + x, Y0 + y, z) for x, y, z in points] + [(X0 + points[0][0], Y0 + points[0][1], points[0][2])]
    if poslist:
        return '<gml:posList srsDimension="3">' + " ".join(f"{x} {y} {z}" for x, y, z in pts) + "</gml:posList>"
    return "".join(f"<gml:pos>{x} {y} {z}</gml:pos>" for x, y, z in pts)


def polygon(exterior, holes=(), poslist=True):
    inner = "".join(f"<gml:interior><gml:LinearRing>{ring(h, poslist)}</gml:LinearRing></gml:interior>" for h in holes)
    return (f"<gml:Polygon><gml:exterior><gml:LinearRing>{ring(exterior, poslist)}</gml:LinearRing></gml:exterior>"
            f"{inner}</gml:Polygon>")


def surface(kind, polygons):
    members = "".join(f"<gml:surfaceMember>{p}</gml:surfaceMember>" for p in polygons)
    return (f"<bldg:boundedBy><bldg:{kind}><bldg:lod2MultiSurface><gml:MultiSurface>{members}"
            f"</gml:MultiSurface></bldg:lod2MultiSurface></bldg:{kind}></bldg:boundedBy>")


def building(gml_id, surfaces, function="31001_1010", parts=""):
    return (f'<core:cityObjectMember><bldg:Building gml:id="{gml_id}"><bldg:function>{function}</bldg:function>'
            f"{''.join(surfaces)}{parts}</bldg:Building></core:cityObjectMember>")


def citygml(version, buildings, srs="EPSG:25833"):
    core, bldg = NS[version]
    envelope = (f'<gml:boundedBy><gml:Envelope srsName="{srs}" srsDimension="3"><gml:lowerCorner>0 0 0'
                "</gml:lowerCorner><gml:upperCorner>1 1 1</gml:upperCorner></gml:Envelope></gml:boundedBy>"
                if srs else "")
    return (f'<?xml version="1.0" encoding="UTF-8"?><core:CityModel xmlns:core="{core}" xmlns:bldg="{bldg}" '
            f'xmlns:gml="http://www.opengis.net/gml">{envelope}{"".join(buildings)}</core:CityModel>')


# 10 m (x) by 8 m (y), eaves at 6 m, ridge east-west at y = 4
GABLE = [
    surface("RoofSurface", [polygon([(0, 0, 6), (10, 0, 6), (10, 4, 6 + 4 * T35), (0, 4, 6 + 4 * T35)])]),
    surface("RoofSurface", [polygon([(0, 4, 6 + 4 * T35), (10, 4, 6 + 4 * T35), (10, 8, 6), (0, 8, 6)])]),
    surface("WallSurface", [polygon([(0, 0, 0), (10, 0, 0), (10, 0, 6), (0, 0, 6)])]),
]
APEX = (5, 5, 6 + 5 * T30)
HIP = [surface("RoofSurface", [polygon(tri, poslist=False)]) for tri in (
    [(0, 0, 6), (10, 0, 6), APEX], [(10, 0, 6), (10, 10, 6), APEX],
    [(10, 10, 6), (0, 10, 6), APEX], [(0, 10, 6), (0, 0, 6), APEX])]
FLAT = [surface("RoofSurface", [polygon([(0, 0, 9), (10, 0, 9), (10, 10, 9), (0, 10, 9)],
                                        holes=[[(4, 4, 9), (4, 6, 9), (6, 6, 9), (6, 4, 9)]])])]
SHED = [surface("RoofSurface", [polygon([(0, 0, 8), (10, 0, 8 - 10 * T20), (10, 10, 8 - 10 * T20), (0, 10, 8)])])]


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
