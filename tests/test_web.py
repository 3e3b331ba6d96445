"""The map page: nothing from a CDN, every asset served by the app, and it renders offline in Chromium."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
import uvicorn
from fastapi.testclient import TestClient

from api.app import create_app
from potenzial.errors import ConfigError
from potenzial.region import load_region
from potenzial.settings import PROJECT_ROOT
from tests.test_api import N_MUNICIPALITIES, publish_demo_run, settings_for
from web.page import (
    NO_DATA_COLOUR,
    DensityClasses,
    MapSettings,
    asset_urls,
    density_classes,
    population_density,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
LOOPBACK = "127.0.0.1"


@pytest.fixture(scope="module")
def app_and_region(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web")
    publish_demo_run(tmp / "store")
    settings = settings_for(tmp / "store", tmp)
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    return create_app(settings, MapSettings(tiles="OpenStreetMap.Mapnik")), region


@pytest.fixture(scope="module")
def client(app_and_region):
    with TestClient(app_and_region[0]) as c:
        yield c


# ------------------------------------------------------------------ the HTML


def test_page_loads_no_script_or_stylesheet_from_outside(client):
    response = client.get("/")
    assert response.status_code == 200
    urls = asset_urls(response.text)
    assert any(u.endswith("/leaflet.js") for u in urls)
    for url in urls:
        assert not url.startswith(("http://", "https://", "//")), url
    for url in urls:
        assert url.startswith("/static/"), url
        assert client.get(url).status_code == 200, url


def test_page_assets_referenced_by_css_are_served(client):
    css = client.get("/static/vendor/leaflet/leaflet.css").text
    assert "images/layers.png" in css
    assert client.get("/static/vendor/leaflet/images/layers.png").status_code == 200


def test_page_has_title_and_run(client):
    page = client.get("/").text
    assert "<title>potenzial – Landkreis Leipzig</title>" in page
    assert "test-run-1" in page


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


def test_page_forbids_foreign_scripts_by_policy(client):
    policy = client.get("/").headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "img-src 'self' data: https://tile.openstreetmap.org" in policy


# ------------------------------------------------------------------ base map and classes


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
    assert "no base map (offline)" in response.text
    assert "img-src 'self' data:;" in response.headers["content-security-policy"]


def test_population_density_by_hand():
    density = population_density(np.array([100, 50, 7]), np.array([2.0, 0.0, 1.0]))
    assert density[0] == 50.0 and np.isnan(density[1]) and density[2] == 7.0


def test_density_classes_cover_values_and_colour_monotonically():
    values = np.array([10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    classes = density_classes(values)
    assert classes.limits[0] <= 10 and classes.limits[-1] >= 100
    assert list(classes.limits) == sorted(classes.limits)
    colours = [classes.colour(v) for v in values]
    assert colours[0] == classes.colours[0] and colours[-1] == classes.colours[-1]
    assert [classes.colours.index(c) for c in colours] == sorted(classes.colours.index(c) for c in colours)
    assert classes.colour(float("nan")) == NO_DATA_COLOUR


def test_density_classes_of_equal_values_are_one_class():
    classes = density_classes(np.array([5.0, 5.0, 5.0]))
    assert isinstance(classes, DensityClasses) and len(classes.colours) == 1
    assert classes.colour(5.0) == classes.colours[0]


# ------------------------------------------------------------------ a real browser, offline


class _Server:
    """uvicorn on a loopback socket chosen by the OS, in a thread."""

    def __init__(self, app) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((LOOPBACK, 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start within 20 s")
            time.sleep(0.05)
        return f"http://{LOOPBACK}:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium "
                    "(apt-get install -y chromium; `make test` does it)")
def test_map_renders_offline_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    publish_demo_run(tmp_path / "store")
    settings = settings_for(tmp_path / "store", tmp_path)
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    app = create_app(settings, MapSettings(tiles="OpenStreetMap.Mapnik"))
    ARTIFACTS.mkdir(exist_ok=True)

    with _Server(app) as base_url, sync_playwright() as pw:
        own_host = urlsplit(base_url).netloc
        aborted: list[str] = []
        console_errors: list[tuple[str, str]] = []
        page_errors: list[str] = []
        own_failures: list[str] = []

        def is_own(url: str) -> bool:
            return urlsplit(url).netloc == own_host

        def offline(route):
            if is_own(route.request.url):
                route.continue_()
            else:
                aborted.append(route.request.url)
                route.abort("internetdisconnected")

        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(20_000)
            page.route("**/*", offline)
            page.on("console", lambda m: m.type == "error" and console_errors.append(
                (m.text, (m.location or {}).get("url", ""))))
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("requestfailed", lambda r: is_own(r.url) and own_failures.append(f"{r.url}: {r.failure}"))
            page.on("response", lambda r: is_own(r.url) and r.status >= 400 and own_failures.append(
                f"{r.url}: HTTP {r.status}"))

            page.goto(base_url + "/", wait_until="load")
            page.wait_for_function(
                f"document.querySelectorAll('.leaflet-overlay-pane path').length >= {N_MUNICIPALITIES}")
            page.wait_for_load_state("networkidle")
            paths = page.locator(".leaflet-overlay-pane path").count()

            # open a popup through Leaflet (the group's binding renders it for its first feature)
            popup_text = page.evaluate("""() => {
                const key = Object.keys(window).find(k => k.startsWith('geo_json_')
                    && window[k] && typeof window[k].getLayers === 'function');
                window[key].openPopup();
                return document.querySelector('.leaflet-popup-content').innerText;
            }""")
            page.evaluate("() => { for (const m of Object.values(window)) "
                          "{ if (m && m.closePopup && m.getContainer) m.closePopup(); } }")
            attribution = page.locator(".leaflet-control-attribution").inner_text()
            legend = page.locator(".potenzial-legend").inner_text()
            page_title_text = page.title() + page.locator(".potenzial-title").inner_text()
            page.screenshot(path=str(ARTIFACTS / "map.png"))
        finally:
            browser.close()

    # Tiles are the only requests allowed to leave; offline they fail, and Chromium logs each as a
    # console error on the tile's URL. Anything else is a real error.
    foreign_console = [(t, u) for t, u in console_errors if u and not is_own(u) and u in aborted]
    assert [e for e in console_errors if e not in foreign_console] == []
    assert page_errors == []
    assert own_failures == []
    assert aborted and all("tile.openstreetmap.org" in u for u in aborted), aborted
    assert paths == N_MUNICIPALITIES
    for label in ("AGS", "Population [persons]", "Area [km²]"):
        assert label in popup_text
    assert "GeoBasis-DE / BKG" in attribution and "OpenStreetMap" in attribution
    for entry in region.layers.values():
        assert entry.title in legend and entry.attribution in legend
    assert legend.count("synthetic demo data") >= len(region.synthetic_layers)
    title = page_title_text
    assert "potenzial – Landkreis Leipzig" in title
    assert (ARTIFACTS / "map.png").stat().st_size > 10_000
