"""The HTML fact sheet in real headless Chromium: axe-core (the npm package pinned in web/package-lock.json)
finds no WCAG 2.1 A/AA violation in Grimma's sheet (German and English) and the county's, from a whole run of
the default region."""

from __future__ import annotations

from pathlib import Path

import pytest

from potenzial.region import load_region
from potenzial.serving.services import RunServices
from potenzial.settings import PROJECT_ROOT
from potenzial.store import open_store

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT_ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
GRIMMA = "14729160"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium "
                       "(apt-get install -y chromium; `make test` does it)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: `make web` (npm ci --prefix web)"),
]


@pytest.fixture(scope="module")
def sheets(pipeline_run) -> dict[str, str]:
    settings, record = pipeline_run
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    store = open_store(settings.store_url, read_only=True)
    try:
        svc = RunServices(store, region, settings.raster_cache)
        return {"grimma-de": svc.factsheet(record, GRIMMA, "html", "de").decode(),
                "grimma-en": svc.factsheet(record, GRIMMA, "html", "en").decode(),
                "county-de": svc.county_factsheet(record, "html", "de").decode()}
    finally:
        store.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.mark.parametrize("key", ["grimma-de", "grimma-en", "county-de"])
def test_the_fact_sheet_has_no_wcag_21_aa_violation(sheets, browser, key):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.set_content(sheets[key], wait_until="load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA)
        violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]]
        assert not violations, violations
        # axe ran the rules (a sheet without checks would pass trivially)
        assert len(result["passes"]) > 10
        assert page.evaluate("document.documentElement.lang") == key[-2:]
    finally:
        page.close()
