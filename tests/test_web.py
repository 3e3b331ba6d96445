"""The map page's HTML: nothing from a CDN, every asset served by the app, the page configuration
built from the run. (The page in a real browser: tests/test_web_browser.py.)"""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from potenzial.errors import ConfigError
from tests.support.demo_run import N_MUNICIPALITIES, publish_demo_run, settings_for
from tests.support.live_server import page_config
from web.assets import VENDOR_PACKAGES, WEB_ROOT
from web.page import MapSettings, asset_urls


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """A run with the base figures only (no potentials): fast, for the page's plumbing."""
    tmp = tmp_path_factory.mktemp("web")
    publish_demo_run(tmp / "store")
    with TestClient(create_app(settings_for(tmp / "store", tmp), MapSettings(tiles="OpenStreetMap.Mapnik"))) as c:
        yield c


# ------------------------------------------------------------------ assets


def test_page_loads_no_script_or_stylesheet_from_outside(client):
    response = client.get("/")
    assert response.status_code == 200
    urls = asset_urls(response.text)
    for name in ("/leaflet.js", "/Leaflet.VectorGrid.bundled.min.js", "/map.js", "/leaflet.css", "/map.css"):
        assert any(u.endswith(name) for u in urls), name
    for url in urls:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url


def test_vendor_packages_are_pinned_in_package_json_and_lock():
    package = json.loads((WEB_ROOT / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((WEB_ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for vendor in VENDOR_PACKAGES:
        version = package["dependencies"][vendor.name]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{vendor.name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{vendor.name}"]["version"] == version


def test_page_assets_referenced_by_css_are_served(client):
    css = client.get("/static/vendor/leaflet/leaflet.css").text
    assert "images/layers.png" in css
    assert client.get("/static/vendor/leaflet/images/layers.png").status_code == 200


def test_page_has_title_and_run(client):
    page = client.get("/").text
    assert "<title>potenzial – Landkreis Leipzig</title>" in page
    config = page_config(page)
    assert config["run"]["run_id"] == "test-run-1"
    assert config["run"]["synthetic_inputs"] == ["buildings", "landcover"]
    assert config["api"]["root"] == ""
    (south, west), (north, east) = config["bounds"]
    assert 50.9 < south < north < 51.6 and 12.0 < west < east < 13.1


def test_base_figures_only_give_population_density(client):
    config = page_config(client.get("/").text)
    assert [f["id"] for f in config["figures"]] == ["population_density"]
    assert config["default_figure"] == "population_density"
    assert len(config["figures"][0]["values"]) == N_MUNICIPALITIES
    assert config["panel"]["total"] is None


def test_page_is_cached_per_run_and_follows_the_current_run(tmp_path):
    publish_demo_run(tmp_path / "store", run_id="run-a")
    with TestClient(create_app(settings_for(tmp_path / "store", tmp_path))) as c:
        first = c.get("/").text
        assert "run-a" in first
        assert ("page.html", "run-a", "/static") in c.app.state.cache
        assert c.get("/").text == first
        publish_demo_run(tmp_path / "store", run_id="run-b")
        second = c.get("/").text
    assert "run-b" in second and "run-a" not in second


def test_page_behind_a_proxy_prefix_uses_it_for_assets_and_api(tmp_path):
    publish_demo_run(tmp_path / "store")
    with TestClient(create_app(settings_for(tmp_path / "store", tmp_path)), root_path="/potenzial") as c:
        page = c.get("/").text
    assert all(u.startswith("/potenzial/static/") for u in asset_urls(page))
    assert page_config(page)["api"]["root"] == "/potenzial"


def test_page_forbids_foreign_scripts_by_policy(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "connect-src 'self'" in policy
    assert "img-src 'self' data: https://tile.openstreetmap.org" in policy


# ------------------------------------------------------------------ base map


def test_base_map_settings():
    osm = MapSettings().basemap()
    assert osm is not None and "openstreetmap" in osm.url and "OpenStreetMap" in osm.attribution
    assert MapSettings(tiles="none").basemap() is None
    custom = MapSettings(tiles="https://{s}.tiles.example.org/{z}/{x}/{y}.png", tiles_attribution="© Example")
    assert custom.basemap().csp_source == "https://*.tiles.example.org"
    with pytest.raises(ConfigError, match="POTENZIAL_MAP_TILES_ATTRIBUTION"):
        MapSettings(tiles="https://tiles.example.org/{z}/{x}/{y}.png").basemap()
    with pytest.raises(ConfigError, match="neither a tile provider"):
        MapSettings(tiles="NoSuchProvider").basemap()


def test_offline_page_has_no_tile_layer(tmp_path):
    publish_demo_run(tmp_path / "store")
    app = create_app(settings_for(tmp_path / "store", tmp_path), MapSettings(tiles="none"))
    with TestClient(app) as c:
        response = c.get("/")
    assert "L.tileLayer" not in response.text
    assert re.search(r'"none": blank_base_layer_\w+', response.text)
    assert "img-src 'self' data:;" in response.headers["content-security-policy"]


@pytest.mark.postgis
def test_page_from_a_postgis_store_equals_the_geopackage_page(postgis_store, tmp_path):
    from potenzial.settings import Settings
    from potenzial.store.base import RunResult
    from tests.support.demo_run import municipalities_frame, run_record

    postgis_store.publish(RunResult(record=run_record("pg-run"), frames={"municipalities": municipalities_frame()}))
    publish_demo_run(tmp_path / "store", run_id="pg-run")
    configs = []
    for store in (postgis_store.url, str(tmp_path / "store")):
        with TestClient(create_app(Settings(store=store, data_dir=tmp_path))) as c:
            response = c.get("/")
            assert response.status_code == 200
            configs.append(page_config(response.text))
    from_pg, from_gpkg = configs
    assert from_pg["display_minzoom"] == from_gpkg["display_minzoom"] and "municipalities" in from_pg["display_minzoom"]
    assert from_pg["figures"] == from_gpkg["figures"]


# ------------------------------------------------------------------ a real run


@pytest.fixture(scope="module")
def run_client(pipeline_run):
    settings, _ = pipeline_run
    with TestClient(create_app(settings, MapSettings(tiles="none"))) as c:
        yield c


@pytest.mark.slow
def test_page_figures_are_the_api_figures_added_up(run_client):
    """Every number the page colours by, recomputed by hand from /api/municipalities."""
    config = page_config(run_client.get("/").text)
    values = {f["id"]: f["values"] for f in config["figures"]}
    features = run_client.get("/api/municipalities").json()["features"]
    assert len(features) == N_MUNICIPALITIES
    for feature in features:
        p, ags = feature["properties"], feature["id"]
        total = (p["roof_yield_gwh_per_a"] + p["pv_ground_yield_gwh_per_a"] + p["wind_yield_gwh_per_a"]
                 + p["biomass_primary_energy_mwh_per_a_p50"] / 1000)
        assert values["total_energy"][ags] == pytest.approx(total)
        assert values["solar_roof_capacity"][ags] == p["roof_capacity_mwp"]
        assert values["pv_ground_capacity"][ags] == p["pv_ground_capacity_mwp"]
        assert values["wind_capacity"][ags] == p["wind_capacity_mw"]
        assert values["biomass_energy"][ags] == p["biomass_primary_energy_mwh_per_a_p50"]
        assert values["wind_area_share"][ags] == pytest.approx(p["wind_area_share_pct"])  # the wind step's own figure
        assert values["pv_ground_area_share"][ags] == pytest.approx(p["pv_ground_area_ha"] / p["area_km2"])
        capacity = p["roof_capacity_mwp"] + p["pv_ground_capacity_mwp"] + p["wind_capacity_mw"]
        installed = p["pv_installed_mw"] + p["wind_installed_mw"]
        assert values["installed_share"][ags] == pytest.approx(100 * installed / capacity)
        assert values["remaining_pv_installed_mw"][ags] == pytest.approx(
            p["roof_capacity_mwp"] + p["pv_ground_capacity_mwp"] - p["pv_installed_mw"])
        assert values["remaining_wind_installed_mw"][ags] == pytest.approx(
            p["wind_capacity_mw"] - p["wind_installed_mw"])
    for f in config["figures"]:
        if f["selectable"]:
            limits = f["classes"]["limits"]
            finite = [v for v in f["values"].values() if v is not None]
            assert limits == sorted(limits) and limits[0] <= min(finite) and limits[-1] >= max(finite), f["id"]
    assert config["default_figure"] == "total_energy"


@pytest.mark.slow
def test_dense_vector_layers_are_drawn_only_from_a_closer_zoom(run_client):
    config = page_config(run_client.get("/").text)
    served = run_client.get("/api/layers").json()["served"]
    vector_ids = {s["id"] for s in served if s["kind"] == "vector"}
    zooms = config["display_minzoom"]
    assert set(zooms) == vector_ids
    # ≈ 200 000 roof planes cannot be drawn at county scale; a few hundred turbines can
    assert zooms["solar_roof"] >= 12
    assert zooms["wind_turbines"] <= 10
