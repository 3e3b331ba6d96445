"""The offline base map: vector tiles drawn from the run's municipalities and the catalog's layers
(files the test writes where the catalog expects its stand-ins), read back by decoding the tiles;
the same tiles from both stores; the page's default base map needs no outside host."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
import shapely
from fastapi.testclient import TestClient
from pyproj import Transformer

from api.app import create_app
from potenzial.crs import ANALYSIS_CRS
from potenzial.region import load_region
from potenzial.serving.services import RunServices
from potenzial.settings import Settings
from potenzial.store.base import RunResult
from potenzial.store.gpkg import GeoPackageStore
from potenzial.tiles.grid import tile_bounds_3857
from potenzial.tiles.mvt import DEFAULT_EXTENT, decode
from tests.support.demo_run import REGION_DATA, municipalities_frame, run_record
from tests.support.live_server import page_config
from web.page import MapSettings

#: Grimma's market square [degrees] and in EPSG:25833 [m]
GRIMMA_LONLAT = (12.7253, 51.2386)
GX, GY = Transformer.from_crs(4326, 25833, always_xy=True).transform(*GRIMMA_LONLAT)
#: the z12 tile holding the market square: x = floor((12.7253 + 180) / 360 · 4096) = 2192,
#: y = floor((1 − asinh(tan(51.2386°)) / π) / 2 · 4096) = 1366
GRIMMA_TILE = (12, 2192, 1366)


def _write(data_dir, layer_id: str, frame: gpd.GeoDataFrame) -> None:
    path = data_dir / "regions" / "lk-leipzig" / "synthetic" / f"{layer_id}.gpkg"
    path.parent.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(frame, path, layer=layer_id, driver="GPKG")


@pytest.fixture
def data_dir(tmp_path):
    """Catalog layers written by hand around Grimma's market square: a 200 m water square 300 m east of
    it, an arable square (not drawn), a self-touching (bow-tie) built-up area and a motorway."""
    d = tmp_path / "data"
    water = shapely.box(GX + 300, GY, GX + 500, GY + 200)
    arable = shapely.box(GX - 500, GY, GX - 300, GY + 200)
    _write(d, "landcover", gpd.GeoDataFrame({"class": ["water", "arable"], "ags": ["14729160"] * 2},
                                            geometry=[water, arable], crs=ANALYSIS_CRS))
    # a bow-tie: two 100 m triangles meeting at a point, an invalid ring as some stand-ins have
    bow = shapely.Polygon([(GX, GY - 300), (GX + 100, GY - 200), (GX + 100, GY - 300), (GX, GY - 200)])
    _write(d, "builtup_areas", gpd.GeoDataFrame({"ortsteil": ["Grimma"], "ags": ["14729160"]},
                                                geometry=[bow], crs=ANALYSIS_CRS))
    motorway = shapely.LineString([(GX - 2000, GY + 1000), (GX + 2000, GY + 1000)])
    _write(d, "roads", gpd.GeoDataFrame({"kind": ["motorway"], "ref": ["A 14"], "width_m": [30.0]},
                                        geometry=[motorway], crs=ANALYSIS_CRS))
    return d


def _services(store, data_dir, tmp_path) -> tuple[RunServices, object]:
    settings = Settings(store="unused", data_dir=data_dir)
    region = load_region(settings.region, settings.regions_dir, data_dir)
    services = RunServices(store, region, tmp_path / "raster_cache")
    return services, store.current_run()


def _publish(store) -> None:
    store.publish(RunResult(record=run_record(), frames={"municipalities": municipalities_frame()}))


def _layers(tile: bytes) -> dict:
    return decode(tile) if tile else {}


def test_basemap_tile_draws_the_region_layers(tmp_path, data_dir):
    store = GeoPackageStore(tmp_path / "store")
    _publish(store)
    services, record = _services(store, data_dir, tmp_path)
    base = services.basemap(record)
    layers = _layers(base.tile(*GRIMMA_TILE))
    # the water square, not the arable one; the municipal boundary with its name
    assert len(layers["water"]["features"]) == 1
    assert "Grimma" in {f["properties"]["name"] for f in layers["municipalities"]["features"]}
    # the z12 tile is 40075016.69 / 4096 = 9784 m wide (EPSG:3857); at 51.24° a metre on the ground is
    # 1 / cos(51.24°) = 1.597 m there, so the 200 m square is about 200 · 1.597 / 9784 · 4096 = 134 units
    # wide and covers about 134² = 17,900 units²
    water = shapely.geometry.shape(layers["water"]["features"][0]["geometry"])
    assert 15_000 < water.area < 21_000
    # the bow-tie is repaired to its two triangles (2 · ½ · 50 m · 100 m = 5,000 m² → about 2,300
    # units²), not turned into a polygon that fills the tile
    settlement = shapely.geometry.shape(layers["settlement"]["features"][0]["geometry"])
    assert settlement.area < 0.01 * DEFAULT_EXTENT**2
    assert 1_500 < settlement.area < 3_000
    assert layers["roads"]["features"][0]["properties"] == {"kind": "motorway"}


def test_low_zoom_shows_the_outline_only(tmp_path, data_dir):
    store = GeoPackageStore(tmp_path / "store")
    _publish(store)
    services, record = _services(store, data_dir, tmp_path)
    # z6: x = floor(192.7253 / 360 · 64) = 34, y = floor((1 − asinh(tan 51.2386°) / π) / 2 · 64) = 21
    layers = _layers(services.basemap(record).tile(6, 34, 21))
    assert "county" in layers and "municipalities" in layers
    assert "roads" not in layers and "settlement" not in layers  # drawn from zoom 7 and 8 on
    assert services.basemap(record).tile(12, 0, 0) == b""  # far from the county: nothing


def test_labels_inside_each_municipality_largest_first(tmp_path, data_dir):
    store = GeoPackageStore(tmp_path / "store")
    _publish(store)
    services, record = _services(store, data_dir, tmp_path)
    labels = services.basemap(record).labels
    munis = municipalities_frame().set_index("ags")
    assert len(labels) == len(munis) == 30
    # the largest municipality by its own area (VG5000 geometry), independently of the label code
    assert labels[0]["name"] == munis.loc[munis.geometry.area.idxmax(), "name"] == "Grimma"
    to_utm = Transformer.from_crs(4326, 25833, always_xy=True)
    for label in labels:
        point = shapely.Point(*to_utm.transform(label["lon"], label["lat"]))
        area = munis.loc[label["ags"], "geometry"]
        assert area.contains(point), label["name"]
        # well inside: at least 300 m from the boundary
        assert area.boundary.distance(point) > 300, label["name"]


def test_both_stores_give_the_same_basemap(tmp_path, data_dir, postgis_store):
    gpkg = GeoPackageStore(tmp_path / "store")
    _publish(gpkg)
    _publish(postgis_store)
    a, ra = _services(gpkg, data_dir, tmp_path / "a")
    b, rb = _services(postgis_store, data_dir, tmp_path / "b")
    for tile in (GRIMMA_TILE, (9, 274, 170), (6, 34, 21)):
        assert _layers(a.basemap(ra).tile(*tile)) == _layers(b.basemap(rb).tile(*tile)), tile
    assert a.basemap(ra).labels == b.basemap(rb).labels


def test_basemap_api_and_the_default_page(tmp_path, data_dir):
    store = GeoPackageStore(tmp_path / "store")
    _publish(store)
    settings = Settings(store=str(tmp_path / "store"), data_dir=data_dir, raster_cache=tmp_path / "rc")
    with TestClient(create_app(settings, MapSettings())) as client:
        info = client.get("/api/basemap").json()
        assert info["attribution"]["de"].startswith("Grundkarte: © GeoBasis-DE / BKG")
        assert info["attribution"]["de"].endswith("; Gewässer, Siedlungen, Straßen: synthetische Demodaten")
        assert "water, settlements, roads: synthetic demo data" in info["attribution"]["en"]
        synthetic = {layer["id"]: layer["synthetic"] for layer in info["layers"]}
        assert synthetic == {"water": True, "settlement": True, "roads": True, "municipalities": False,
                             "county": False}  # no forest and no railways in this catalog's files
        z, x, y = GRIMMA_TILE
        first = client.get(f"/basemap/{z}/{x}/{y}.pbf")
        assert first.status_code == 200 and first.headers["content-type"] == "application/vnd.mapbox-vector-tile"
        assert "water" in decode(first.content)
        again = client.get(f"/basemap/{z}/{x}/{y}.pbf", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304
        assert client.get("/basemap/12/0/0.pbf").status_code == 204
        assert client.get("/basemap/17/0/0.pbf").status_code == 404
        assert client.get("/basemap/3/9/0.pbf").status_code == 404  # beyond the tile matrix
        page = client.get("/")
        config = page_config(page.text)
        assert config["base_map"]["default"] == "region"
        assert config["base_map"]["region"]["tiles"] == "/basemap/{z}/{x}/{y}.pbf"
        # no tile host is admitted: the page loads images only from the app
        assert "img-src 'self' data:;" in page.headers["content-security-policy"]
        assert "L.tileLayer" not in page.text


def test_installed_plants_of_2015_are_served_as_layers(tmp_path, data_dir):
    """The UFZ plant list of 2015 (a real file of the region's data): every wind turbine in a tile,
    counted from the file itself, is in that tile."""
    store = GeoPackageStore(tmp_path / "store")
    _publish(store)
    settings = Settings(store=str(tmp_path / "store"), data_dir=data_dir, raster_cache=tmp_path / "rc")
    plants_file = REGION_DATA / "re_plants_ufz2015_lk_leipzig.gpkg"
    turbines = pyogrio.read_dataframe(plants_file, layer="wind_turbines").to_crs(3857)
    # the z9 tile 274/170 (x 12.65°–13.36° E, y 51.18°–51.62° N) as its EPSG:3857 bounds, with the
    # tiles' buffer of 64 of 4096 units on every side
    x0, y0, x1, y1 = tile_bounds_3857(9, 274, 170)
    pad = (x1 - x0) * 64 / 4096
    box = shapely.box(x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    expected = int(turbines.geometry.within(box).sum())
    assert expected > 0
    with TestClient(create_app(settings, MapSettings())) as client:
        plants = {p["id"]: p for p in client.get("/api/basemap").json()["installed_plants"]}
        assert set(plants) == {"plants_wind_2015", "plants_pv_open_field_2015", "plants_bioenergy_2015",
                               "plants_hydro_2015"}  # no MaStR import in this catalog yet
        wind = plants["plants_wind_2015"]
        assert wind["titles"]["de"].startswith("Bestand: Windenergieanlagen 2015") and not wind["synthetic"]
        assert "UFZ" in wind["attribution"]
        tile = client.get("/plants/plants_wind_2015/9/274/170.pbf")
        assert tile.status_code == 200
        features = decode(tile.content)["plants_wind_2015"]["features"]
        assert len(features) == expected
        assert {"Power_kW", "Year"} <= set(features[0]["properties"])
        assert client.get("/plants/plants_wind_2015/9/0/0.pbf").status_code == 204
        assert client.get("/plants/municipalities/9/274/170.pbf").status_code == 404
