"""The what-if panel in a real browser (Debian's headless Chromium), offline, against the app serving the
session's whole-region run: the setback slider moves and the panel shows the API's own figures for it."""

from __future__ import annotations

import httpx
import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, LAPTOP, MapPage, serving, wait_until

SHOWN = ("wind_area_ha", "wind_turbines_estimated", "wind_yield_gwh_per_a", "electricity_potential_gwh_per_a",
         "heat_potential_gwh_per_a")


@pytest.fixture(scope="module")
def server(pipeline_run):
    with serving(pipeline_run[0], "none") as answer:
        yield answer[0]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


def shown(page) -> dict[str, float]:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll(
        '.potenzial-scenario dd[data-figure]')].map(d => [d.dataset.figure, Number(d.dataset.value)]))""")


def test_the_setback_slider_shows_the_api_s_figures(browser, server):
    m = MapPage(browser, server, LAPTOP)
    try:
        page = m.page
        wait_until(page, "document.querySelector('.potenzial-scenario dl[data-setback=\"1000\"]')")
        page.click(".potenzial-scenario summary")  # the section starts closed
        assert page.is_visible("#potenzial-setback")
        before = shown(page)
        page.evaluate("""() => { const s = document.getElementById('potenzial-setback');
            s.value = '700'; s.dispatchEvent(new Event('input', {bubbles: true})); }""")
        wait_until(page, "document.querySelector('.potenzial-scenario dl[data-setback=\"700\"]')")
        after = shown(page)
        with httpx.Client(base_url=server, timeout=60) as api:
            want = api.post("/api/scenarios/evaluate", json={"residential_setback_m": 700}).json()["county"]
        for figure in SHOWN:
            assert after[figure] == pytest.approx(want[figure], rel=1e-9), figure
        # 700 m is nearer than the run's 1,000 m: more wind land, more turbines; heat does not change
        assert after["wind_area_ha"] > before["wind_area_ha"]
        assert after["wind_turbines_estimated"] > before["wind_turbines_estimated"]
        assert after["heat_potential_gwh_per_a"] == pytest.approx(before["heat_potential_gwh_per_a"])
        label = page.inner_text(".potenzial-scenario label")
        assert "Abstand zu Wohngebäuden" in label and "700" in label
        m.assert_clean()
    finally:
        m.close()
