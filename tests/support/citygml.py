"""Hand-written LoD2 CityGML 1.0/2.0 documents: roofs with known tilt, azimuth and area.

Coordinates are metres in EPSG:25833 around (X0, Y0), a place in the county; `citygml()` wraps
`building()` members into a document of the given CityGML version.
"""

import math

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
