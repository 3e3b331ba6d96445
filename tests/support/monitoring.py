"""The small MaStR export of the monitoring tests, with the units placed in known municipalities of the
default region (points from the VG5000 polygons, in EPSG:4326 as the export gives them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from potenzial.region import Region, load_region
from potenzial.settings import Settings
from potenzial.sources.vector import read_vector
from tests.support.mastr import solar, unit_xml, wind, write_export

GRIMMA, BORNA, BAD_LAUSICK, NAUNHOF, WURZEN = "14729160", "14729050", "14729010", "14729300", "14729410"
EXPORT_NAME = "Gesamtdatenexport_20240101_23.2.zip"


def default_region() -> Region:
    settings = Settings()
    return load_region("lk-leipzig", settings.regions_dir, settings.data_dir)


def lonlat(point: shapely.Point) -> tuple[float, float]:
    p = gpd.GeoSeries([point], crs="EPSG:25833").to_crs("EPSG:4326").iloc[0]
    return float(p.x), float(p.y)


def inside(municipalities: gpd.GeoDataFrame, ags: str) -> tuple[float, float]:
    return lonlat(municipalities.loc[municipalities["ags"] == ags, "geometry"].iloc[0].representative_point())


def across_border(municipalities: gpd.GeoDataFrame, home: str) -> tuple[str, tuple[float, float]]:
    """A neighbour of ``home`` and a point 40 m inside it from their common border."""
    own = municipalities.loc[municipalities["ags"] == home, "geometry"].iloc[0]
    for ags, geom in zip(municipalities["ags"], municipalities["geometry"], strict=True):
        if ags == home or not own.touches(geom):
            continue
        shared = own.boundary.intersection(geom.boundary)
        if shared.length < 500:
            continue
        mid = shared.interpolate(0.5, normalized=True)
        for dx, dy in ((40, 0), (-40, 0), (0, 40), (0, -40), (28, 28), (-28, -28), (28, -28), (-28, 28)):
            p = shapely.Point(mid.x + dx, mid.y + dy)
            if geom.contains(p) and not own.contains(p):
                return str(ags), lonlat(p)
    raise AssertionError(f"no neighbour of {home} found")


@dataclass
class Written:
    path: Path
    neighbour: str  #: where the border unit SEE008 really is


def write_test_export(folder: Path, name: str = EXPORT_NAME) -> Written:
    """Two solar files, a wind file and the catalog; see tests/test_monitoring_mastr.py for what each
    unit tests."""
    municipalities = read_vector(default_region().layer("municipalities"))
    g_lon, g_lat = inside(municipalities, GRIMMA)
    neighbour, (b_lon, b_lat) = across_border(municipalities, BORNA)
    solar_1 = [
        solar("SEE001", 9.9, lon=g_lon, lat=g_lat, commissioned="2019-06-01"),
        solar("SEE002", 20.0, ags=BORNA, commissioned="2018-01-01"),
        solar("SEE003", 30.0, postcode="04651", place="Bad Lausick", commissioned="2017-01-01"),
        solar("SEE004", 50.0, ags=GRIMMA, status="38", commissioned="2010-01-01", end="2020-06-30"),
        solar("SEE005", 100.0, ags=NAUNHOF, lage="852", commissioned="2012-01-01"),
        solar("SEE006", 150.0, ags=NAUNHOF, lage="852", commissioned="2022-03-01", replaces="SEE005"),
        solar("SEE007", 9900.0, ags=WURZEN, modules=30, commissioned="2021-04-01"),
    ]
    solar_2 = [
        solar("SEE008", 7.0, lon=b_lon, lat=b_lat, ags=BORNA, commissioned="2020-01-01"),
        solar("SEE009", 12.0, lon=13.73, lat=51.05, ags="14612000", commissioned="2020-01-01"),  # Dresden
        solar("SEE010", -5.0, ags=GRIMMA),
        solar("SEE001", 9.9, lon=g_lon, lat=g_lat, commissioned="2019-06-01"),  # again
        solar("SEE011", 4.0, ags=GRIMMA, commissioned="2030-01-01"),
        solar("SEE012", 500.0, ags=GRIMMA, status="31", commissioned=""),  # planned
    ]
    winds = [wind("SEE900", 3000.0, ags=GRIMMA, commissioned="2015-05-01")]
    path = write_export(folder / name, {
        "EinheitenSolar_1.xml": unit_xml("EinheitenSolar", "EinheitSolar", solar_1),
        "EinheitenSolar_2.xml": unit_xml("EinheitenSolar", "EinheitSolar", solar_2),
        "EinheitenWind.xml": unit_xml("EinheitenWind", "EinheitWind", winds),
    })
    return Written(path, neighbour)
