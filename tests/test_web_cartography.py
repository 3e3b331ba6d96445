"""The map's cartography in a real browser (Debian's headless Chromium), offline, with the default
settings: the region's own base map, the municipalities' names, and the overlays drawn and listed by
their declared classes. Every request to another host is aborted and recorded."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from api.app import create_app
from tests.support.live_server import LOOPBACK, LiveServer
from web.page import MapSettings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}"]
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Okabe–Ito vermillion (213, 94, 0) and bluish green (0, 158, 115) as the browser reports them
VERMILLION, BLUISH_GREEN = "rgb(213, 94, 0)", "rgb(0, 158, 115)"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def server(pipeline_run):
    """The app with the default map settings (no POTENZIAL_MAP_TILES), on loopback."""
    with LiveServer(create_app(pipeline_run[0], MapSettings())) as base_url:
        httpx.get(base_url + "/", timeout=120).raise_for_status()
        yield base_url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@contextmanager
def open_page(browser, base_url: str, viewport: dict):
    """(page, record): a fresh context on the map, offline; the record lists console messages of
    type error, page errors, aborted foreign requests and the app's responses."""
    own = urlsplit(base_url).netloc
    record: dict[str, list] = {"errors": [], "aborted": [], "responses": []}
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.route(re.compile(rf"^(?!{re.escape(f'http://{own}/')})"),
               lambda route: (record["aborted"].append(route.request.url), route.abort("internetdisconnected")))
    page.on("console", lambda m: m.type == "error" and record["errors"].append(m.text))
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    page.on("response", lambda r: urlsplit(r.url).netloc == own and record["responses"].append((r.url, r.status)))
    try:
        page.goto(base_url + "/", wait_until="load")
        page.wait_for_selector("body[data-rendered='1']")
        wait_until(page, "window.potenzial.state.namesLayer !== undefined")
        page.wait_for_load_state("networkidle")
        yield page, record
    finally:
        context.close()


def wait_until(page, condition: str, timeout_s: float = 30.0) -> None:
    """Poll a JavaScript condition from a promise (the page's CSP forbids wait_for_function's eval)."""
    ok = page.evaluate(f"""() => new Promise(resolve => {{
        const until = Date.now() + {timeout_s * 1000};
        const poll = () => ({condition}) ? resolve(true) : Date.now() > until ? resolve(false) : setTimeout(poll, 25);
        poll(); }})""")
    assert ok, f"not within {timeout_s} s: {condition}"


def visible_names(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('.potenzial-name')]
        .filter(el => !el.hidden && el.firstChild)
        .map(el => { const r = el.firstChild.getBoundingClientRect();
                     return {name: el.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; })""")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_default_page_offline_has_no_console_error(server, browser, viewport):
    with open_page(browser, server, viewport) as (page, record):
        assert record["errors"] == []
        assert record["aborted"] == []  # nothing asked of another host
        base_tiles = [(u, s) for u, s in record["responses"] if "/basemap/" in u and u.endswith(".pbf")]
        assert base_tiles and all(s in (200, 204) for _, s in base_tiles)
        assert any(s == 200 for _, s in base_tiles)
        # the region's base map is the base layer shown, credited with its synthetic layers named
        assert page.locator('.potenzial-layers span[data-base="region"]').count() == 1
        assert page.evaluate("() => potenzial.map.hasLayer(potenzial.state.baseLayers.region)")
        attribution = page.locator(".leaflet-control-attribution").inner_text()
        assert "Grundkarte: © GeoBasis-DE / BKG" in attribution and "synthetische Demodaten" in attribution
        assert "OpenStreetMap" not in attribution
        # the installed plants of 2015 are overlays of the layer control
        assert page.locator('.potenzial-layers span[data-layer-id="plants_wind_2015"]').count() == 1


def test_municipality_names_are_shown_without_overlap(server, browser):
    with open_page(browser, server, LAPTOP) as (page, _):
        shown = visible_names(page)
        names = {n["name"] for n in shown}
        # the county's largest municipality (Grimma, 218 km²) is always named; most of the 30 fit
        assert "Grimma" in names and len(shown) >= 15
        for i, a in enumerate(shown):
            for b in shown[i + 1:]:
                overlap = a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"] and b["y0"] < a["y1"]
                assert not overlap, (a["name"], b["name"])
        # zoomed into Grimma every name in view is still apart, and more room shows no fewer names
        page.evaluate("() => potenzial.map.setView([51.2386, 12.7253], 12, {animate: false})")
        page.wait_for_timeout(200)
        assert "Grimma" in {n["name"] for n in visible_names(page)}
        # far out, no name at all (the county is a few pixels wide)
        page.evaluate("() => potenzial.map.setView([51.2386, 12.7253], 6, {animate: false})")
        page.wait_for_timeout(200)
        assert visible_names(page) == []


def test_overlays_are_drawn_and_listed_by_their_classes(server, browser):
    with open_page(browser, server, LAPTOP) as (page, record):
        layers = httpx.get(server + "/api/layers").json()["served"]
        styles = {layer["id"]: layer["style"] for layer in layers}
        page.evaluate("""() => { const s = potenzial.state;
            ['solar_roof', 'wind_exclusions', 'wind_turbines'].forEach(id => s.overlays[id].layer.addTo(s.map));
            s.map.setView([51.2386, 12.7253], 13, {animate: false}); }""")
        page.wait_for_load_state("networkidle")
        page.evaluate("() => window.potenzial.setLang('de')")
        legend = page.locator(".potenzial-legend")
        roof = legend.locator('section[data-layer-id="solar_roof"]')
        assert [li.inner_text() for li in roof.locator("ul.classes li").all()] == \
            ["sehr gut geeignet", "gut geeignet", "geeignet", "nicht geeignet"]
        assert roof.locator('li[data-class="very_good"] .swatch').evaluate(
            "el => getComputedStyle(el).backgroundColor") == VERMILLION
        excl = legend.locator('section[data-layer-id="wind_exclusions"]')
        titles = [c["titles"]["de"] for c in styles["wind_exclusions"]["classes"]]
        assert [li.inner_text() for li in excl.locator("ul.classes:not(.flag) li").all()] == [*titles, "sonstige"]
        assert excl.locator('li[data-class="nature"] .swatch').evaluate(
            "el => getComputedStyle(el).backgroundColor") == BLUISH_GREEN
        flags = excl.locator("ul.flag li").all_inner_texts()
        assert flags == ["hart: immer ausgeschlossen", "weich: abschaltbares Planungskriterium"]
        turbines = legend.locator('section[data-layer-id="wind_turbines"]').inner_text()
        assert "2.100 – 2.400 h/a" in turbines
        text = legend.inner_text()
        for raw in ("very_good", "residential_sachsbo84", "flh_2100", "first_match"):
            assert raw not in text
        # no overlay is one swatch "Flächen" any more
        for layer_id in ("solar_roof", "wind_exclusions", "wind_turbines"):
            section = legend.locator(f'section[data-layer-id="{layer_id}"]')
            assert section.locator("ul.classes li").count() >= 4
            assert "Flächen" not in [t.strip() for t in section.locator("p").all_inner_texts()]
        # the same declaration draws the features: a very good roof plane vermillion, a soft nature
        # exclusion light and dashed, a turbine at 2,500 h/a in the fourth viridis class (#5ec962)
        drawn = page.evaluate("""async () => {
            const m = await import('/static/web/js/classes.js');
            const s = potenzial.state.served, by = id => s.find(l => l.id === id).style;
            return [m.classStyle(by('solar_roof'), {suitability: 'very_good'}, 'areas'),
                    m.classStyle(by('wind_exclusions'), {reason: 'forest,nsg', hard: false}, 'areas'),
                    m.classStyle(by('wind_turbines'), {full_load_hours: 2500}, 'points')]; }""")
        assert drawn[0]["fillColor"] == "#d55e00" and "dashArray" not in drawn[0]
        assert drawn[1]["fillColor"] == "#009e73" and drawn[1]["dashArray"] and drawn[1]["fillOpacity"] < 0.5
        assert drawn[2]["fillColor"] == "#5ec962"
        page.evaluate("() => window.potenzial.setLang('en')")
        roof_en = legend.locator('section[data-layer-id="solar_roof"] ul.classes li').all_inner_texts()
        assert roof_en == ["very good", "good", "suitable", "unsuitable"]
        assert "Base map: © GeoBasis-DE / BKG" in page.locator(".leaflet-control-attribution").inner_text()
        assert record["errors"] == []
