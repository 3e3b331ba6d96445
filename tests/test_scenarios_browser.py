"""The what-if panel in a real browser (Debian's headless Chromium), offline, against the app serving the
session's whole-region run: the setback slider and the heat-pump share slider move and the panel shows the
API's own figures for them."""

from __future__ import annotations

import uuid

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


def test_the_heat_pump_slider_moves_the_use_to_the_api_s_value(browser, server):
    """The heat-pump share slider from the run's value to 80 %: the panel's electricity use with add-ons is the
    API's for that scenario, larger than before, and its coverage smaller; the wind figures do not move."""
    m = MapPage(browser, server, LAPTOP)
    try:
        page = m.page
        wait_until(page, "document.querySelector('.potenzial-scenario dl[data-shares]') && "
                         "document.querySelector('.potenzial-scenario dl').dataset.shares !== ''")
        page.click(".potenzial-scenario summary")
        assert page.is_visible("#potenzial-heat-pump-share-pct") and page.is_visible("#potenzial-ev-share-pct")
        run_hp, run_ev = (float(v) for v in page.get_attribute(".potenzial-scenario dl", "data-shares").split(","))
        assert run_hp != 80.0
        before = shown(page)
        page.evaluate("""() => { const s = document.getElementById('potenzial-heat-pump-share-pct');
            s.value = '80'; s.dispatchEvent(new Event('input', {bubbles: true})); }""")
        wait_until(page, f"document.querySelector('.potenzial-scenario dl[data-shares=\"80,{run_ev:g}\"]')")
        after = shown(page)
        with httpx.Client(base_url=server, timeout=60) as api:
            want = api.post("/api/scenarios/evaluate", json={"residential_setback_m": 1000, "heat_pump_share_pct": 80,
                                                            "ev_share_pct": run_ev}).json()
        use, coverage = "electricity_use_with_add_ons_mwh_el_per_a", "electricity_coverage_with_add_ons_pct"
        assert after[use] == pytest.approx(want["county"][use], rel=1e-9)
        assert after[coverage] == pytest.approx(want["county"][coverage], rel=1e-9)
        assert want["scenario"]["heat_pump_share_pct"] == 80.0 and want["horizon_year"] == 2035
        assert after[use] > before[use] and after[coverage] < before[coverage]
        assert after["wind_area_ha"] == pytest.approx(before["wind_area_ha"])
        panel = page.inner_text(".potenzial-scenario")
        assert "Anteil Wärmepumpen" in panel and "80\u00a0%" in panel and "Zieljahr 2035" in panel
        assert "Deckung Strom mit Zusatzverbrauch" in panel
        m.assert_clean()
    finally:
        m.close()


def _move_slider(page, metres: int) -> None:
    page.evaluate(f"""() => {{ const s = document.getElementById('potenzial-setback');
        s.value = '{metres}'; s.dispatchEvent(new Event('input', {{bubbles: true}})); }}""")
    wait_until(page, f"document.querySelector('.potenzial-scenario dl[data-setback=\"{metres}\"]')")


def test_two_saved_scenarios_open_side_by_side_with_their_differences(browser, server):
    """Save the slider at 800 m and at 1,200 m under names, tick both, compare: the table shows the API's
    figures of each and the difference of the second to the first."""
    m = MapPage(browser, server, LAPTOP)
    try:
        page = m.page
        wait_until(page, "document.querySelector('.potenzial-scenario dl[data-setback]')")
        page.click(".potenzial-scenario summary")
        ids = []
        tag = uuid.uuid4().hex[:6]  # the store may hold scenarios saved before, under any name
        names = [f"Nah 800 m {tag}", f"Fern 1200 m {tag}"]
        for metres, name in zip((800, 1200), names, strict=True):
            _move_slider(page, metres)
            page.fill("#potenzial-scenario-name", name)
            page.click(".potenzial-scenario button.save")
            page.wait_for_selector(f".potenzial-scenario .saved-list label:has-text('{name}')")
            box = page.locator(f".potenzial-scenario .saved-list li:has(label:has-text('{name}')) input")
            assert box.is_checked()  # a scenario just saved is ticked for the comparison
            ids.append(box.get_attribute("value"))
        page.click(".potenzial-scenario button.compare")
        page.wait_for_selector(".potenzial-scenario table.comparison")
        header = page.locator(".potenzial-scenario table.comparison th.num").all_inner_texts()
        assert header == names
        cells = page.locator(".potenzial-scenario table.comparison tr[data-figure='wind_area_ha'] td")
        values = [float(v) for v in cells.evaluate_all("tds => tds.map(td => td.dataset.value)")]
        difference = float(cells.nth(1).get_attribute("data-difference"))
        with httpx.Client(base_url=server, timeout=60) as api:
            near, far = (api.post("/api/scenarios/evaluate", json={"residential_setback_m": v}).json()["county"]
                         for v in (800, 1200))
            saved = {s["scenario_id"]: s for s in api.get("/api/scenarios").json()}
        assert values == [pytest.approx(near["wind_area_ha"]), pytest.approx(far["wind_area_ha"])]
        assert difference == pytest.approx(far["wind_area_ha"] - near["wind_area_ha"], abs=1e-6)
        assert difference < 0  # farther from homes: less land
        assert [saved[i]["parameters"]["residential_setback_m"] for i in ids] == [800.0, 1200.0]
        m.assert_clean()
    finally:
        m.close()


TILES_JS = """() => [...document.querySelectorAll('.potenzial-eligible-tile')].map(t => {
    const d = t.getContext('2d').getImageData(0, 0, t.width, t.height).data;
    let painted = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) painted += 1;
    return {z: +t.dataset.z, x: +t.dataset.x, y: +t.dataset.y, loaded: t.dataset.loaded === '1',
            setback: t.dataset.setback === undefined ? null : +t.dataset.setback,
            eligible: +(t.dataset.eligible || 0), painted: painted};
  })"""


def _eligible_by_hand(api: httpx.Client, info: dict, tile: dict, setback_m: float, on: list[str]) -> int:
    """The tile's eligible pixels, decoded here from the PNG the server sends (Pillow, not the page's code)."""
    import io

    import numpy as np
    from PIL import Image

    answer = api.get(f"/api/scenarios/cells/{tile['z']}/{tile['x']}/{tile['y']}.png")
    if answer.status_code == 204:
        return 0
    rgba = np.asarray(Image.open(io.BytesIO(answer.content)).convert("RGBA")).astype(np.int64)
    value = rgba[..., 0] * 256 + rgba[..., 1]
    mask = sum(1 << i for i, name in enumerate(info["encoding"]["criteria"]) if name in on)
    return int(((rgba[..., 3] == 255) & ((value >> info["encoding"]["distance_shift"]) > setback_m)
                & ((value & mask) == 0)).sum())


def _tiles_at(page, setback_m: int) -> list[dict]:
    wait_until(page, f"""(() => {{ const t = [...document.querySelectorAll('.potenzial-eligible-tile')];
        return t.length > 0 && t.every(e => e.dataset.loaded === '1' && e.dataset.setback === '{setback_m}'); }})()""")
    return page.evaluate(TILES_JS)


def test_the_eligible_land_follows_the_slider_and_the_switches(browser, server):
    m = MapPage(browser, server, LAPTOP)
    try:
        page = m.page
        wait_until(page, "document.querySelector('.potenzial-scenario .eligible-key')")
        assert page.query_selector(".potenzial-eligible-tile") is None  # no tiles while the section is closed
        page.click(".potenzial-scenario summary")
        with httpx.Client(base_url=server, timeout=60) as api:
            info = api.get("/api/scenarios/cells.json").json()
            switches = {p["parameter"]: p["value"] >= 0.5 for p in api.get("/api/scenarios/parameters").json()
                        if p["kind"] == "switch"}
            on = [k for k, v in switches.items() if v]
            at_run = _tiles_at(page, 1000)
            for tile in at_run:  # the page paints exactly the pixels the encoding makes eligible
                assert tile["painted"] == tile["eligible"] == _eligible_by_hand(api, info, tile, 1000.0, on), tile
            assert sum(t["eligible"] for t in at_run) > 0
            _move_slider(page, 1400)
            at_far = _tiles_at(page, 1400)
            assert {(t["z"], t["x"], t["y"]) for t in at_far} == {(t["z"], t["x"], t["y"]) for t in at_run}
            for tile in at_far:
                assert tile["painted"] == tile["eligible"] == _eligible_by_hand(api, info, tile, 1400.0, on), tile
            assert sum(t["eligible"] for t in at_far) < sum(t["eligible"] for t in at_run)
            # a criterion switched: the land and the figures follow
            name = info["encoding"]["criteria"][0]
            page.click(f"#potenzial-switch-{name}")
            flipped = [k for k in on if k != name] if name in on else on + [name]
            want = api.post("/api/scenarios/evaluate", json={"residential_setback_m": 1400,
                                                             "switches": {name: name in flipped}}).json()["county"]
            area = want["wind_area_ha"]
            wait_until(page, f"""Math.abs(Number(document.querySelector(
                '.potenzial-scenario dd[data-figure="wind_area_ha"]').dataset.value) - {area}) < 1e-6""")
            for tile in page.evaluate(TILES_JS):
                assert tile["painted"] == _eligible_by_hand(api, info, tile, 1400.0, flipped), tile
        m.assert_clean()
    finally:
        m.close()


def test_the_choropleth_and_the_panel_show_the_scenario_while_its_section_is_open(browser, server):
    from tests.support.browser import expected_colour, fills
    from tests.support.live_server import page_config

    m = MapPage(browser, server, LAPTOP)
    try:
        page = m.page
        with httpx.Client(base_url=server, timeout=60) as api:
            config = page_config(api.get("/").text)
            want = api.post("/api/scenarios/evaluate", json={"residential_setback_m": 700}).json()["figures"]
        figure = next(f for f in config["figures"] if f["id"] == config["default_figure"])
        wait_until(page, "document.querySelector('.potenzial-scenario dl[data-setback=\"1000\"]')")
        base = fills(m)
        assert base == {a: expected_colour(figure, v) for a, v in figure["values"].items()}
        # a municipality panel open, then the what-if section opened and the slider moved to 700 m
        ags = max(figure["values"], key=lambda a: abs((want[figure["id"]][a] or 0) - (figure["values"][a] or 0)))
        page.locator(f'.leaflet-overlay-pane path[data-ags="{ags}"]').dispatch_event("click")
        page.wait_for_selector(f'.potenzial-side[data-ags="{ags}"] h2.name')
        page.click(".potenzial-scenario summary")
        _move_slider(page, 700)
        moved = {a: expected_colour(figure, v) for a, v in want[figure["id"]].items()}
        assert moved != base  # 700 m moves some municipality into another class
        wait_until(page, f"document.querySelector('.leaflet-overlay-pane path[data-ags=\"{ags}\"]')"
                         f".getAttribute('fill') === '{moved[ags]}'")
        assert fills(m) == moved
        cell = page.locator(f'.potenzial-side table.headline td[data-figure="{figure["id"]}"]')
        assert cell.get_attribute("data-scenario") == "1"
        assert float(cell.get_attribute("data-value")) == pytest.approx(want[figure["id"]][ags], rel=1e-9)
        assert page.is_visible(".potenzial-side .scenario-note")
        # the section closed: the run's own figures again
        page.click(".potenzial-scenario summary")
        wait_until(page, "!document.querySelector('.potenzial-side .scenario-note')")
        assert fills(m) == base
        m.assert_clean()
    finally:
        m.close()


def test_the_tornado_shows_the_api_s_ends_with_bars_to_scale(browser, server):
    m = MapPage(browser, server, LAPTOP)
    try:
        page = m.page
        wait_until(page, "document.querySelector('.potenzial-scenario dl[data-setback=\"1000\"]')")
        page.click(".potenzial-scenario summary")
        page.click(".potenzial-scenario details.scenario-sensitivity summary")
        wait_until(page, "document.querySelector('.potenzial-scenario .tornado li')")
        with httpx.Client(base_url=server, timeout=60) as api:
            want = api.get("/api/scenarios/sensitivity").json()
        shown = page.evaluate("""() => [...document.querySelectorAll('.potenzial-scenario .tornado')].map(t => ({
            figure: t.dataset.figure, bars: [...t.querySelectorAll('li')].map(li => ({
              parameter: li.dataset.parameter, at_low: Number(li.dataset.atLow), at_high: Number(li.dataset.atHigh),
              widths: [...li.querySelectorAll('.bar')].map(b => b.getBoundingClientRect().width),
              track: li.querySelector('.track').getBoundingClientRect().width}))}))""")
        assert [t["figure"] for t in shown] == [f["figure"] for f in want["figures"]]
        for tornado, figure in zip(shown, want["figures"], strict=True):
            assert [b["parameter"] for b in tornado["bars"]] == [b["parameter"] for b in figure["bars"]]
            for bar, exp in zip(tornado["bars"], figure["bars"], strict=True):
                assert bar["at_low"] == pytest.approx(exp["at_low"]) and bar["at_high"] == pytest.approx(exp["at_high"])
            # the bar that moves the figure most reaches the edge of its half of the track
            top = tornado["bars"][0]
            assert max(top["widths"]) == pytest.approx(top["track"] / 2, abs=2.0)
        assert "Empfindlichkeit" in page.inner_text(".potenzial-scenario details.scenario-sensitivity summary")
        m.assert_clean()
    finally:
        m.close()


def test_the_precedence_choice_gives_the_api_s_headline(browser, server):
    m = MapPage(browser, server, LAPTOP)
    try:
        page = m.page
        wait_until(page, "document.querySelector('.potenzial-scenario dl[data-precedence=\"wind_first\"]')")
        page.click(".potenzial-scenario summary")
        before = shown(page)
        page.select_option("#potenzial-precedence", "pv_first")
        wait_until(page, "document.querySelector('.potenzial-scenario dl[data-precedence=\"pv_first\"]')")
        after = shown(page)
        with httpx.Client(base_url=server, timeout=60) as api:
            want = api.post("/api/scenarios/evaluate", json={"precedence": "pv_first"}).json()["county"]
        assert after["electricity_potential_gwh_per_a"] == pytest.approx(want["electricity_potential_gwh_per_a"])
        assert after["electricity_potential_gwh_per_a"] != pytest.approx(before["electricity_potential_gwh_per_a"])
        assert after["wind_area_ha"] == pytest.approx(before["wind_area_ha"])  # the wind land itself stays
        assert "Vorrang" in page.inner_text(".potenzial-scenario label[for=potenzial-precedence]")
        m.assert_clean()
    finally:
        m.close()
