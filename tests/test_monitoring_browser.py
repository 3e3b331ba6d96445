"""The monitoring view in a real browser (Debian's headless Chromium via Playwright), offline, against the
app on loopback with the default region's snapshots 2015, 2021 and 2024: per municipality and per group,
and a click from one to the other."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from api.app import create_app
from potenzial.serving.monitoring_import import import_catalog
from potenzial.settings import Settings
from potenzial.store.gpkg import GeoPackageStore
from tests.support.demo_run import settings_for
from tests.support.live_server import LOOPBACK, LiveServer
from tests.support.monitoring import GRIMMA, default_region

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}"]
STATISTICS = Settings().regions_dir / "lk-leipzig" / "data" / "lk_leipzig_gemeinden_statistik.csv"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("monitoring-browser")
    store = GeoPackageStore(tmp / "store")
    store.init()
    import_catalog(store, default_region())
    with LiveServer(create_app(settings_for(tmp / "store", tmp))) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        foreign: list[str] = []
        tab.route(lambda url: not url.startswith(base_url), lambda route: (foreign.append(route.request.url),
                                                                          route.abort()))
        tab.foreign = foreign  # type: ignore[attr-defined]
        yield tab
        browser.close()


def _points(page, technology):
    return page.eval_on_selector_all(f"figure[data-technology='{technology}'] circle.point",
                                     "els => els.map(e => [e.dataset.date, Number(e.dataset.mw)])")


def _pv_2024(members):
    with STATISTICS.open(encoding="utf-8") as fh:
        return sum(float(r["mastr2024_kw_pv"]) for r in csv.DictReader(fh) if r["ags"] in members) / 1000


def test_a_municipality_shows_2015_2021_2024(page, base_url):
    page.goto(f"{base_url}/api/monitoring.html?ags={GRIMMA}", wait_until="load")
    assert page.inner_text("#monitoring-title") == "Monitoring: installierte Leistung: Grimma"
    wind = _points(page, "wind")
    assert [d for d, _ in wind] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    assert [d for d, _ in _points(page, "pv")] == ["2021-12-31", "2024-12-31"]  # no roof PV in the 2015 list
    assert _points(page, "pv")[-1][1] == pytest.approx(_pv_2024({GRIMMA}), abs=1e-3)
    assert page.is_visible("figure[data-technology='wind'] svg")
    assert page.foreign == []


def test_a_group_and_the_way_there(page, base_url):
    page.goto(f"{base_url}/api/monitoring.html?ags={GRIMMA}", wait_until="load")
    page.click("text=Partheland")
    page.wait_for_selector("#monitoring-title:has-text('Partheland')")
    members = {"14729060", "14729070", "14729190", "14729300", "14729020", "14729340"}
    assert [d for d, _ in _points(page, "wind")] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    assert _points(page, "pv")[-1][1] == pytest.approx(_pv_2024(members), abs=1e-3)
    page.click("text=English")
    page.wait_for_selector("#monitoring-title:has-text('installed capacity')")
    assert page.inner_text("figure[data-technology='wind'] h2") == "Onshore wind"
    assert page.foreign == []
