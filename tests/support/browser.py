"""The map page in a real browser: the app on loopback, one recorded page, and small helpers (for
tests/test_web_browser.py and tests/test_web_interaction.py)."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import shapely.geometry

from api.app import create_app
from potenzial.settings import PROJECT_ROOT
from tests.support.live_server import LOOPBACK, LiveServer
from web.page import MapSettings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
GRIMMA = "14729160"
#: Grimma's market square [degrees]: the API's documented example point
GRIMMA_CENTRE = (12.7253, 51.2386)


@contextmanager
def serving(settings, tiles: str):
    """(base URL, seconds the first page request took) of the app with base map ``tiles``."""
    with LiveServer(create_app(settings, MapSettings(tiles=tiles))) as base_url:
        # the first request builds the page of the run (registry, figures, display zooms); it is
        # cached per run, so every later visitor gets it at once
        started = time.perf_counter()
        response = httpx.get(base_url + "/", timeout=120)
        response.raise_for_status()
        yield base_url, time.perf_counter() - started



class MapPage:
    """A fresh browser context on the map: records console errors, page errors, failed own
    requests, aborted foreign requests and every response."""

    def __init__(self, browser, base_url: str, viewport: dict, query: str = "") -> None:
        self.base_url = base_url
        self.own = urlsplit(base_url).netloc
        self.aborted: list[str] = []
        self.console_errors: list[tuple[str, str]] = []
        self.page_errors: list[str] = []
        self.own_failures: list[str] = []
        self.responses: list[tuple[str, int]] = []
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        page = self.context.new_page()
        page.set_default_timeout(30_000)
        # only requests to other hosts are routed (and aborted): our own go straight to the app
        own_prefix = re.escape(f"http://{self.own}/")
        page.route(re.compile(rf"^(?!{own_prefix})"), self._offline)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(
            (m.text, (m.location or {}).get("url", ""))))
        page.on("pageerror", lambda e: self.page_errors.append(f"{e}\n{e.stack}"))
        page.on("requestfailed", lambda r: self._is_own(r.url) and self.own_failures.append(f"{r.url}: {r.failure}"))
        page.on("response", self._response)
        self.page = page
        started = time.perf_counter()
        page.goto(f"{base_url}/{query}", wait_until="load")
        page.wait_for_selector("body[data-rendered='1']")
        self.wall_s = time.perf_counter() - started
        self.rendered_ms = page.evaluate("performance.getEntriesByName('potenzial-rendered')[0].startTime")

    def _is_own(self, url: str) -> bool:
        return urlsplit(url).netloc == self.own

    def _offline(self, route) -> None:
        self.aborted.append(route.request.url)
        route.abort("internetdisconnected")

    def _response(self, response) -> None:
        if self._is_own(response.url):
            self.responses.append((response.url, response.status))
            if response.status >= 400:
                self.own_failures.append(f"{response.url}: HTTP {response.status}")

    def idle(self) -> None:
        self.page.wait_for_load_state("networkidle")

    def assert_clean(self) -> None:
        """No script error, no console error but for the aborted base-map tiles, no own request
        failed, nothing but base-map tiles went out."""
        foreign = set(self.aborted)
        assert [e for e in self.console_errors if e[1] not in foreign] == []
        assert self.page_errors == []
        assert self.own_failures == []
        assert all(urlsplit(u).hostname == "tile.openstreetmap.org" for u in self.aborted), self.aborted

    def close(self) -> None:
        self.context.close()



def expected_colour(figure: dict, value: float | None) -> str:
    """The class colour of ``value`` (the same rule as map.js and web.classes.Classes)."""
    classes = figure["classes"]
    if value is None or not classes["colours"]:
        return classes["no_data"]
    inner = classes["limits"][1:-1]
    return classes["colours"][sum(1 for limit in inner if limit <= value)]


def fills(map_page: MapPage) -> dict[str, str]:
    return map_page.page.evaluate("""() => Object.fromEntries(
        Array.from(document.querySelectorAll('.leaflet-overlay-pane path[data-ags]'))
             .map(p => [p.dataset.ags, p.getAttribute('fill')]))""")


def parse_shown(text: str) -> float | None:
    """A number as the German page shows it ('5.278\u00a0MWp', '39,9\u00a0MW', '–')."""
    number = text.split("\u00a0")[0].strip()
    if number == "–":
        return None
    return float(number.replace(".", "").replace(",", "."))


def shown_tolerance(value: float) -> float:
    """Half a unit of the last digit shown: 0 decimals from 100, 1 from 10, else 2."""
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return 0.5 * 10.0**-digits + 1e-9


def wait_until(page, condition: str, timeout_s: float = 30.0) -> None:
    """Wait for a JavaScript condition (``page.wait_for_function`` evaluates strings, which the
    page's Content-Security-Policy forbids; this polls from a promise instead)."""
    ok = page.evaluate(f"""() => new Promise(resolve => {{
        const until = Date.now() + {timeout_s * 1000};
        const poll = () => ({condition}) ? resolve(true) : Date.now() > until ? resolve(false) : setTimeout(poll, 25);
        poll(); }})""")
    assert ok, f"not within {timeout_s} s: {condition}"


def representative_point(api, ags: str) -> tuple[float, float]:
    geometry = api.get(f"/api/municipalities/{ags}").json()["geometry"]
    point = shapely.geometry.shape(geometry).representative_point()
    return point.x, point.y


def click_map_at(map_page: MapPage, lon: float, lat: float, zoom: float) -> None:
    page = map_page.page
    page.evaluate("([lat, lon, z]) => potenzial.map.setView([lat, lon], z, {animate: false})", [lat, lon, zoom])
    box = page.locator(".potenzial-map").bounding_box()
    point = page.evaluate("([lat, lon]) => potenzial.map.latLngToContainerPoint([lat, lon])", [lat, lon])
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def schema_docs(api) -> dict:
    """The result schemas' titles, units and classes (``GET /api/schemas``), or {} where the API has none."""
    response = api.get("/api/schemas")
    return response.json() if response.status_code == 200 else {}


def column_doc(docs: dict, table: str | None, column: str) -> dict:
    """The declaration of ``column`` in schema ``table`` of ``docs`` ({} when there is none)."""
    return ((docs.get(table or "") or {}).get("columns") or {}).get(column) or {}
