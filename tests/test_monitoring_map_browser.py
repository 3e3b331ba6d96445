"""The map's monitoring view in a real browser (Debian's headless Chromium), offline, against the app
serving the demo run with a hand-made potential cascade and the default region's snapshots 2015, 2021 and
2024 (tests/support/monitoring_map.py): the slider moves the "installed vs potential" choropleth through
the snapshots, the side panel charts a municipality and its groups, axe-core finds no WCAG 2.1 A/AA
violation on the new controls, and no raw column name reaches a person."""

from __future__ import annotations

import re

import pytest

from potenzial.results import collect
from potenzial.results.monitoring import (
    MONITORING_RANKING,
    MONITORING_REPORT,
    MONITORING_SERIES,
    MONITORING_STATUS,
    MONITORING_TARGETS,
)
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, LAPTOP, MapPage, fills, serving, wait_until
from tests.support.demo_run import settings_for
from tests.support.monitoring import GRIMMA
from tests.support.monitoring_map import WIND_MW, monitoring_store, statistics_kw

AXE_URL = "/static/vendor/axe-core/axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: the used share's classes [%] as the method defines them: 0–5, 5–10, 10–25, 25–50, 50–100, ≥ 100
SHARE_LIMITS_PCT = (0.0, 5.0, 10.0, 25.0, 50.0, 100.0)
PARTHELAND = {"14729060", "14729070", "14729190", "14729300", "14729020", "14729340"}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("monitoring-map-browser")
    monitoring_store(tmp / "store")
    with serving(settings_for(tmp / "store", tmp), "none") as answer:
        yield answer[0]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def m(browser, server):
    page = MapPage(browser, server, LAPTOP)
    page.page.click(".potenzial-monitoring summary")  # the control starts closed
    page.page.wait_for_selector(".potenzial-monitoring input[type=range]")
    yield page
    page.close()


def class_index(share_pct: float) -> int:
    return sum(1 for limit in SHARE_LIMITS_PCT[1:] if share_pct >= limit)


def move_slider_to(m: MapPage, year: str) -> None:
    """Move the slider with the keyboard (Home, then → until the year shows)."""
    slider = m.page.locator("#potenzial-monitoring-date")
    slider.focus()
    m.page.keyboard.press("Home")
    for _ in range(5):
        if m.page.locator(".potenzial-monitoring output").inner_text().startswith(year):
            return
        m.page.keyboard.press("ArrowRight")
    raise AssertionError(f"the slider never showed {year}")


def test_the_slider_moves_the_used_share_choropleth(m):
    page = m.page
    page.check("#potenzial-monitoring-on")
    page.select_option("#potenzial-monitoring-technology", "wind")
    control = page.locator(".potenzial-monitoring")
    assert control.get_attribute("data-date") == "2024-12-31"  # the newest snapshot first
    palette = page.evaluate("potenzial.monitoring.data.classes.colours")
    no_data = page.evaluate("potenzial.monitoring.data.classes.no_data")
    shown = {}
    for year in ("2015", "2021", "2024"):
        move_slider_to(m, year)
        wait_until(page, f"document.querySelector('.potenzial-monitoring').dataset.date.startsWith('{year}')")
        shown[year] = fills(m)
    # 2024: installed [MW] = the statistics file's kW / 1000 against the hand-made 50 MW per municipality
    for ags in ("14729160", "14729010", "14729050"):
        share = statistics_kw("mastr2024_kw_wind_on", {ags}) / 1000 / WIND_MW * 100
        assert shown["2024"][ags] == palette[class_index(share)], ags
    assert shown["2015"] != shown["2024"]  # the slider changed the map
    assert set(shown["2015"].values()) - {no_data}  # 2015 has wind values (the UFZ plant list)
    # PV: the 2015 plant list holds no roof PV, so PV in 2015 is "no data", not 0
    page.select_option("#potenzial-monitoring-technology", "pv")
    move_slider_to(m, "2015")
    assert set(fills(m).values()) == {no_data}
    legend = control.inner_text()
    assert "Genutzter Anteil" in legend and "keine Daten" in legend
    page.uncheck("#potenzial-monitoring-on")
    assert "Genutzter Anteil" not in control.inner_text()
    m.assert_clean()


def _points(page, technology):
    return page.eval_on_selector_all(f".monitoring-panel figure[data-technology='{technology}'] circle.point",
                                     "els => els.map(e => [e.dataset.date, Number(e.dataset.mw)])")


def test_the_panel_charts_a_municipality_and_its_groups(m):
    page = m.page
    page.evaluate(f"potenzial.openPanel('{GRIMMA}')")
    page.wait_for_selector(".monitoring-charts[data-ready='1']")
    wind = _points(page, "wind")
    assert [d for d, _ in wind] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    assert wind[-1][1] == pytest.approx(statistics_kw("mastr2024_kw_wind_on", {GRIMMA}) / 1000, abs=1e-6)
    assert [d for d, _ in _points(page, "pv")] == ["2021-12-31", "2024-12-31"]
    # the potential line: the hand-made 50 MW
    assert float(page.get_attribute(".monitoring-panel figure[data-technology='wind'] line.potential",
                                    "data-mw")) == WIND_MW
    targets = page.locator(".monitoring-panel figure.targets")
    assert targets.locator("path.target").count() == 1 and targets.locator("circle.share").count() >= 1
    assert "Abstand" in targets.inner_text()
    # Grimma is in Muldenland (the county's regions) and in one of the placeholder groups
    options = page.eval_on_selector_all("#potenzial-monitoring-area option", "els => els.map(e => e.value)")
    assert len(options) == 3 and options[0] == ""
    page.evaluate("potenzial.openPanel('14729300')")  # Naunhof, in Partheland
    page.wait_for_selector(".potenzial-side[data-ags='14729300'] .monitoring-charts[data-ready='1']")
    page.select_option("#potenzial-monitoring-area", "partheland")
    page.wait_for_selector(".monitoring-charts[data-area='partheland'][data-ready='1']")
    group = _points(page, "wind")
    assert [d for d, _ in group] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    assert group[-1][1] == pytest.approx(statistics_kw("mastr2024_kw_wind_on", PARTHELAND) / 1000, abs=1e-6)
    line = page.get_attribute(".monitoring-panel figure[data-technology='wind'] line.potential", "data-mw")
    assert float(line) == WIND_MW * len(PARTHELAND)  # the group's potential: its members' sum
    share = page.get_attribute(".monitoring-panel figure[data-technology='wind']", "data-used-share")
    # the group's share from its sums: Σ kW / 1000 / (6 × 50 MW) × 100, never an average of its members' shares
    assert float(share) == pytest.approx(statistics_kw("mastr2024_kw_wind_on", PARTHELAND) / 1000 / 300 * 100)
    m.assert_clean()


def axe_violations(m: MapPage) -> list[dict]:
    page = m.page
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=m.base_url + AXE_URL)
    return page.evaluate("""async (tags) => {
        const result = await axe.run({include: [['.potenzial-monitoring'], ['.potenzial-side']]},
                                     {runOnly: {type: 'tag', values: tags}});
        return result.violations.map(v => ({id: v.id, impact: v.impact,
                                             nodes: v.nodes.map(n => n.target.join(' '))}));
    }""", WCAG_TAGS)


def raw_names() -> set[str]:
    """Every result table's and column's name (the monitoring's too, computed when served) that is a raw
    identifier (has an underscore)."""
    names = set()
    served = (MONITORING_SERIES, MONITORING_STATUS, MONITORING_RANKING, MONITORING_TARGETS, MONITORING_REPORT)
    for schema in (*collect().values(), *served):
        names.add(schema.name)
        names.update(schema.column_names)
    return {n for n in names if "_" in n}


def test_accessible_and_no_raw_names_in_either_language(m):
    page = m.page
    page.check("#potenzial-monitoring-on")
    page.evaluate(f"potenzial.openPanel('{GRIMMA}')")
    page.wait_for_selector(".monitoring-charts[data-ready='1']")
    assert axe_violations(m) == []
    names = raw_names()
    assert {"used_share_pct", "capacity_kw"} <= names
    for lang in ("de", "en"):
        if lang == "en":
            page.click(".potenzial-tool button.lang")
            page.wait_for_selector(".monitoring-charts[data-ready='1']")
            assert "Installed vs potential" in page.locator(".potenzial-monitoring").inner_text()
        for surface in (".potenzial-monitoring", ".potenzial-side", ".potenzial-legend"):
            text = page.locator(surface).inner_text()
            hits = {n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text)}
            assert hits == set(), (lang, surface)
    assert axe_violations(m) == []
    m.assert_clean()
