"""The map page's HTML: nothing from a CDN, every asset served by the app, the page configuration
built from the run. (The page in a real browser: tests/test_web_browser.py.)"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from potenzial.errors import ConfigError
from tests.support.demo_run import N_MUNICIPALITIES, publish_demo_run, settings_for
from tests.support.live_server import page_config
from web.assets import (
    MAIN_MODULE,
    MODULES_FOLDER,
    OWN_STATIC,
    VENDOR_PACKAGES,
    WEB_ROOT,
    MissingAssetsError,
    own_modules,
)
from web.classes import Classes
from web.page import MapSettings, asset_urls, content_security_policy

MODULES = OWN_STATIC / MODULES_FOLDER
#: longest module the house allows [lines]
MAX_MODULE_LINES = 400
NODE = shutil.which("node")


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


def test_page_preloads_every_module_and_imports_the_entry_point(client):
    page = client.get("/").text
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', page)
    assert sorted(u.rsplit("/", 1)[1] for u in preloaded) == sorted(p.name for p in MODULES.glob("*.js"))
    assert preloaded[0] == f"/static/web/{MODULES_FOLDER}/{MAIN_MODULE}"
    assert f'import * as potenzial from "/static/web/{MODULES_FOLDER}/{MAIN_MODULE}";' in page
    assert page.count("<script") == 3  # Leaflet, VectorGrid, and the one module that starts the page


def test_modules_import_only_each_other_and_stay_small():
    """Every import of the page's modules names a sibling module that exists (no URL, no CDN), and
    no module grows past the house limit."""
    for module in MODULES.glob("*.js"):
        text = module.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= MAX_MODULE_LINES, module.name
        assert "http://" not in text and "https://" not in text, module.name
        targets = re.findall(r'\bfrom\s*"([^"]*)"', text) + re.findall(r'^\s*import\s*"([^"]*)"', text, re.MULTILINE)
        assert targets or module.name == "state.js", module.name
        for target in targets:
            assert re.fullmatch(r"\./[a-z0-9_]+\.js", target), (module.name, target)
            assert (MODULES / target).is_file(), (module.name, target)
        assert not re.search(r"^\s*import\s*\(", text, flags=re.MULTILINE), module.name


def test_own_modules_lists_the_entry_point_first(tmp_path):
    (tmp_path / "js").mkdir()
    for name in ("point.js", "main.js", "a.js"):
        (tmp_path / "js" / name).write_text("", encoding="utf-8")
    assert own_modules(tmp_path) == ["js/main.js", "js/a.js", "js/point.js"]
    (tmp_path / "js" / "main.js").unlink()
    with pytest.raises(MissingAssetsError, match="js/main.js"):
        own_modules(tmp_path)


def test_the_same_run_gives_the_same_page(tmp_path):
    publish_demo_run(tmp_path / "store")
    pages = []
    for _ in range(2):
        with TestClient(create_app(settings_for(tmp_path / "store", tmp_path))) as c:
            pages.append(c.get("/").content)
    assert pages[0] == pages[1]


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
    assert config["panel"]["headline"] == []


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
    region = MapSettings().basemap()
    assert region is not None and region.kind == "region"  # the offline base map by default
    assert "img-src 'self' data:;" in content_security_policy(region)
    osm = MapSettings(tiles="OpenStreetMap.Mapnik").basemap()
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
def test_page_from_a_postgis_store_equals_the_geopackage_page(postgis_store, postgis_reader_url, tmp_path):
    from potenzial.settings import Settings
    from potenzial.store.base import RunResult
    from tests.support.demo_run import municipalities_frame, run_record

    postgis_store.publish(RunResult(record=run_record("pg-run"), frames={"municipalities": municipalities_frame()}))
    publish_demo_run(tmp_path / "store", run_id="pg-run")
    configs = []
    for store in (postgis_reader_url, str(tmp_path / "store")):
        with TestClient(create_app(Settings(store=store, data_dir=tmp_path))) as c:
            response = c.get("/")
            assert response.status_code == 200
            configs.append(page_config(response.text))
    from_pg, from_gpkg = configs
    assert from_pg["display_minzoom"] == from_gpkg["display_minzoom"] and "municipalities" in from_pg["display_minzoom"]
    assert from_pg["figures"] == from_gpkg["figures"]


# ------------------------------------------------------------------ the modules' pure functions, in Node


def run_modules(script: str) -> object:
    """Runs ``script`` (an ES module body that may ``import`` from ``MODULES`` and sets
    ``globalThis.out``) in Node and returns ``out`` as JSON."""
    prelude = ("globalThis.window = {location: {search: ''}, localStorage: {getItem() { return null; }, setItem() {}}, "
               "matchMedia() { return {matches: false}; }};\n")
    body = script.replace("./", MODULES.as_uri() + "/")
    done = subprocess.run([str(NODE), "--input-type=module", "-e",
                           prelude + body + "\nconsole.log(JSON.stringify(globalThis.out));"],
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (the map page's build prerequisite)")


@needs_node
def test_module_class_colours_equal_the_server_classes():
    classes = Classes(limits=(0.0, 10.0, 20.0, 30.0), colours=("#a", "#b", "#c"))
    values = [-5.0, 0.0, 9.99, 10.0, 19.99, 20.0, 30.0, 99.0]
    shown = run_modules(f"""
        import {{ colourFor }} from "./figures.js";
        const fig = {{classes: {{limits: [0, 10, 20, 30], colours: ["#a", "#b", "#c"], no_data: "#nodata"}}}};
        globalThis.out = {json.dumps(values)}.map(v => colourFor(fig, v)).concat(
            [colourFor(fig, null), colourFor(fig, NaN), colourFor(null, 1)]);""")
    assert shown == [classes.colour(v) for v in values] + ["#nodata", "#nodata", "#bdbdbd"]
    assert shown[:8] == ["#a", "#a", "#a", "#b", "#b", "#c", "#c", "#c"]


@needs_node
def test_module_search_by_name_or_ags():
    found = run_modules("""
        import { search } from "./search.js";
        const f = (id, name) => ({id: id, properties: {name: name}});
        const all = {features: [f("14729160", "Grimma"), f("14729170", "Großpösna"), f("14729050", "Brandis"),
                                f("99000001", "Isarhausen"), f("14729010", "Bad Lausick")]};
        globalThis.out = ["grim", "  GROSS ", "gr", "is", "1472910", "14729", "", "nirgendwo"].map(
            q => search(all, q).map(x => x.id));""")
    assert found == [
        ["14729160"],  # part of a name, any case
        ["14729170"],  # ß as ss, spaces around ignored
        ["14729160", "14729170"],  # both start with it: alphabetical
        ["99000001", "14729050"],  # names starting with it before names containing it
        [],  # digits: an AGS prefix, not a part of one
        ["14729010", "14729050", "14729160", "14729170"],  # AGS prefix, then by name
        [],
        [],
    ]


@needs_node
def test_module_number_format_and_escaping():
    shown = run_modules("""
        import { esc, fmt } from "./format.js";
        import { state } from "./state.js";
        const numbers = () => [fmt(1234.5, "MWp"), fmt(12.345, "MW"), fmt(1.234), fmt(null, "MW"), fmt(NaN)];
        state.lang = "de";
        const de = numbers();
        state.lang = "en";
        globalThis.out = {de: de, en: numbers(), esc: esc(`<a href="x">'&`), empty: esc(null)};""")
    nbsp = "\u00a0"
    assert shown["de"] == [f"1.235{nbsp}MWp", f"12,3{nbsp}MW", "1,23", "–", "–"]
    assert shown["en"] == [f"1,235{nbsp}MWp", f"12.3{nbsp}MW", "1.23", "–", "–"]
    assert shown["esc"] == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;"
    assert shown["empty"] == ""


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
        # wind first: open-field PV without the land that also suits wind; biomass as CHP electricity
        total = (p["roof_yield_gwh_per_a"] + p["pv_ground_yield_wind_first_gwh_per_a"] + p["wind_yield_gwh_per_a"]
                 + p["biomass_electricity_mwh_per_a_p50"] / 1000)
        assert values["electricity_potential"][ags] == pytest.approx(total)
        assert values["heat_potential"][ags] == pytest.approx(p["biomass_heat_mwh_per_a_p50"] / 1000)
        assert values["solar_roof_capacity"][ags] == p["roof_capacity_mwp"]
        assert values["pv_ground_capacity"][ags] == p["pv_ground_capacity_wind_first_mwp"]
        assert values["wind_capacity"][ags] == p["wind_capacity_mw"]
        assert values["biomass_energy"][ags] == p["biomass_primary_energy_mwh_per_a_p50"]
        assert values["wind_area_share"][ags] == pytest.approx(p["wind_area_share_pct"])  # the wind step's own figure
        assert values["pv_ground_area_share"][ags] == pytest.approx(p["pv_ground_area_ha"] / p["area_km2"])
        capacity = p["roof_capacity_mwp"] + p["pv_ground_capacity_wind_first_mwp"] + p["wind_capacity_mw"]
        installed = p["roof_installed_mw"] + p["pv_ground_installed_2015_mwp"] + p["wind_installed_mw"]
        assert values["installed_share"][ags] == pytest.approx(100 * installed / capacity)
        assert values["remaining_solar_roof"][ags] == pytest.approx(
            max(p["roof_capacity_mwp"] - p["roof_installed_mw"], 0))
        assert values["remaining_pv_ground"][ags] == pytest.approx(
            max(p["pv_ground_capacity_wind_first_mwp"] - p["pv_ground_installed_2015_mwp"], 0))
        assert values["remaining_wind"][ags] == pytest.approx(p["wind_capacity_mw"] - p["wind_installed_mw"])
    for f in config["figures"]:
        if f["selectable"]:
            limits = f["classes"]["limits"]
            finite = [v for v in f["values"].values() if v is not None]
            assert limits == sorted(limits) and limits[0] <= min(finite) and limits[-1] >= max(finite), f["id"]
    assert config["default_figure"] == "electricity_potential"


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
