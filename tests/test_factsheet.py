"""The fact sheet on hand-made figures: electricity and heat apart, with their stage and rule, installed
compared like with like, a group's figures summed, German and English, no raw column names, and the map
(scale bar, legend, one layer) drawn to a scale worked out by hand."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest
import shapely

from potenzial.errors import NotFoundError
from potenzial.serving.factsheet import factsheet_html, render_factsheet
from potenzial.serving.figures import Figure
from potenzial.serving.headline import HeadlineParams, with_headline
from potenzial.serving.sheet_data import SheetData, clipped, group_figures
from potenzial.serving.sheet_map import MAX_POLYGONS, MapLayer, Place, sheet_map_svg
from potenzial.serving.sheet_texts import TEXTS, check_lang, number

SVG = "{http://www.w3.org/2000/svg}"


def fig(column: str, table: str, unit: str = "", dtype: str = "float") -> Figure:
    return Figure(column, table, column, unit, dtype)


# roofs 10 GWh/a on 12 MWp with 2 MW of roof PV; open-field PV 80 ha / 80 MWp / 80 GWh/a, of which 20 ha are also
# wind land (without them 60 ha, 60 MWp, 60 GWh/a), 5 MWp of parks; wind 100 ha on 10 km² (10 %), 20 MW, 50 GWh/a,
# 2,500 h/a; biomass CHP 4,000 MWh/a electricity and 6,000 MWh/a heat from 20,000 MWh/a primary energy; 1,000 of
# 4,000 inhabitants. Bdorf (30 km², 3,000 inhabitants) has nothing.
COLUMNS = {
    "municipalities": [("ags", "", "text"), ("name", "", "text"), ("area_km2", "km²", "float"),
                       ("population", "persons", "int"), ("pv_installed_mw", "MW", "float"),
                       ("wind_installed_mw", "MW", "float"), ("biomass_installed_mw", "MW", "float")],
    "solar_roof_municipalities": [("roof_capacity_mwp", "MWp", "float"), ("roof_yield_gwh_per_a", "GWh/a", "float"),
                                  ("roof_installed_mw", "MW", "float"), ("roof_remaining_mwp", "MWp", "float")],
    "pv_ground_municipalities": [(c, u, "float") for c, u in (
        ("pv_ground_area_ha", "ha"), ("pv_ground_capacity_mwp", "MWp"), ("pv_ground_yield_gwh_per_a", "GWh/a"),
        ("pv_ground_wind_overlap_ha", "ha"), ("pv_ground_area_wind_first_ha", "ha"),
        ("pv_ground_capacity_wind_first_mwp", "MWp"), ("pv_ground_yield_wind_first_gwh_per_a", "GWh/a"),
        ("pv_ground_installed_2015_mwp", "MWp"))],
    "wind_municipalities": [("wind_area_ha", "ha", "float"), ("wind_area_share_pct", "%", "float"),
                            ("wind_capacity_mw", "MW", "float"), ("wind_yield_gwh_per_a", "GWh/a", "float"),
                            ("wind_full_load_hours", "h/a", "float")],
    "biomass_totals": [(c, "MWh/a", "float") for c in ("biomass_primary_energy_mwh_per_a_p50",
                                                       "biomass_electricity_mwh_per_a_p50",
                                                       "biomass_heat_mwh_per_a_p50")],
    "cascade_municipalities": [(f"wind_{s}_electricity_gwh_per_a", "GWh_el/a", "float")
                               for s in ("technical", "restricted", "realisable")],
}
META = [fig(c, table, u, t) for table, cols in COLUMNS.items() for c, u, t in cols]
FRAME = pd.DataFrame({
    "ags": ["14729001", "14729002"], "name": ["Adorf", "Bdorf"], "area_km2": [10.0, 30.0], "population": [1000, 3000],
    "pv_installed_mw": [7.0, 0.0], "wind_installed_mw": [3.0, 0.0], "biomass_installed_mw": [0.5, 0.0],
    "roof_capacity_mwp": [12.0, 0.0], "roof_yield_gwh_per_a": [10.0, 0.0], "roof_installed_mw": [2.0, 0.0],
    "roof_remaining_mwp": [10.0, 0.0],
    "pv_ground_area_ha": [80.0, 0.0], "pv_ground_capacity_mwp": [80.0, 0.0], "pv_ground_yield_gwh_per_a": [80.0, 0.0],
    "pv_ground_wind_overlap_ha": [20.0, 0.0], "pv_ground_area_wind_first_ha": [60.0, 0.0],
    "pv_ground_capacity_wind_first_mwp": [60.0, 0.0], "pv_ground_yield_wind_first_gwh_per_a": [60.0, 0.0],
    "pv_ground_installed_2015_mwp": [5.0, 0.0],
    "wind_area_ha": [100.0, 0.0], "wind_area_share_pct": [10.0, 0.0], "wind_capacity_mw": [20.0, 0.0],
    "wind_yield_gwh_per_a": [50.0, 0.0], "wind_full_load_hours": [2500.0, np.nan],
    "biomass_primary_energy_mwh_per_a_p50": [20000.0, 0.0], "biomass_electricity_mwh_per_a_p50": [4000.0, 0.0],
    "biomass_heat_mwh_per_a_p50": [6000.0, 0.0],
    # the cascade of wind: 80 ≥ 50 ≥ 20 GWh_el/a
    "wind_technical_electricity_gwh_per_a": [80.0, 0.0], "wind_restricted_electricity_gwh_per_a": [50.0, 0.0],
    "wind_realisable_electricity_gwh_per_a": [20.0, 0.0],
})
ADORF = shapely.box(0, 0, 4000, 2500)
BDORF = shapely.box(4000, 0, 8000, 2500)
RUN = {"run_id": "r1", "finished_at": "2026-12-02", "params_hash": "a" * 64, "code_version": "test",
       "synthetic_inputs": ["buildings"]}
SOURCES = [{"layer_id": "municipalities", "title": "Gemeinden (BKG)", "provenance": "real", "licence": "dl-de/by-2-0",
            "attribution": "© GeoBasis-DE / BKG 2021", "source": "admin.gpkg"},
           {"layer_id": "buildings", "title": "Gebäude (synthetisch)", "provenance": "synthetic",
            "licence": "CC0-1.0", "attribution": "Synthetic demo data", "source": "buildings.gpkg"}]


def sheet_of(ags: tuple[str, ...] = ("14729001",), precedence: str = "wind_first", title: str | None = None,
             row_update: dict | None = None, meta_extra: list[Figure] | None = None) -> SheetData:
    merged, meta = with_headline(FRAME, META, HeadlineParams(precedence=precedence))
    meta = [*meta, *(meta_extra or [])]
    figures = group_figures(merged, meta, ags)
    figures.update(row_update or {})
    members = [Place("Adorf", ADORF), Place("Bdorf", BDORF)][:len(ags)]
    return SheetData(
        ags=ags, title=title or "Adorf", figures=figures, figure_meta=meta,
        area=shapely.union_all([m.geom for m in members]), members=members,
        neighbours=[] if len(ags) > 1 else [Place("Bdorf", BDORF)],
        layers={"wind": [MapLayer({"de": "Wind: Potenzialflächen", "en": "Wind: potential areas"}, "#6baed6",
                                  [shapely.box(500, 500, 1500, 1500)], "Synthetic demo data")]},
        boundary_attribution="© GeoBasis-DE / BKG 2021", run=RUN, sources=SOURCES)


def cell(page: str, column: str) -> str:
    found = re.search(rf'<tr data-column="{column}">(.*?)</tr>', page, re.S)
    assert found, column
    return found.group(1)


def bar_values(svg: str) -> dict[str, str]:
    """Each bar's label -> the value written at its end (the labels are right-aligned, the values follow)."""
    root = ET.fromstring(svg)
    out, label = {}, None
    for t in root.iter(f"{SVG}text"):
        if t.get("text-anchor") == "end":
            label = t.text
        elif label is not None:
            out[label] = t.text
            label = None
    return out


def svgs(page: str) -> list[str]:
    return re.findall(r"<svg .*?</svg>", page, re.S)


def test_the_sheet_shows_electricity_and_heat_apart_with_stage_and_rule():
    page = factsheet_html(sheet_of())
    # 10 roofs + 60 open-field PV without the wind land + 50 wind + 4 biomass CHP = 124 GWh_el/a; heat 6 GWh_th/a
    assert "Strompotenzial" in cell(page, "electricity_potential_gwh_per_a")
    assert "124,0 GWh_el/a" in cell(page, "electricity_potential_gwh_per_a")
    assert "Wärmepotenzial" in cell(page, "heat_potential_gwh_per_a") and "6,00 GWh_th/a" in page
    # the primary energy (20 GWh/a) is in neither: 124 + 20 = 144 and 124 + 6 = 130 appear nowhere
    assert "144,0" not in page and "130,0" not in page
    assert "planerisch eingeschränktes Potenzial" in page and "Vorrang Wind" in page
    # use: 1,600 GWh/a × 1,000 / 4,000 = 400 GWh_el/a, an estimate; 124 / 400 = 31 %
    assert "400,0 GWh_el/a" in cell(page, "electricity_use_gwh_per_a")
    assert "31,0 %" in cell(page, "electricity_potential_to_use_pct")
    assert "Schätzung" in page and "Solarthermie" in page
    # land: 60 + 100 = 160 ha, every hectare once
    assert "160,0 ha" in cell(page, "electricity_land_ha")


def test_english_writes_english_numbers():
    page = factsheet_html(sheet_of(), "en")
    assert '<html lang="en">' in page
    assert "124.0 GWh_el/a" in cell(page, "electricity_potential_gwh_per_a")
    assert "Electricity potential" in page and "wind first" in page


def test_installed_is_compared_like_with_like():
    capacity = next(s for s in svgs(factsheet_html(sheet_of())) if "Leistung: installiert und Potenzial" in s)
    bars = bar_values(capacity)
    # roofs: 2 MW installed against 12 MWp; ground: 5 MWp of parks against 60 MWp (wind first); the 7 MW of all PV
    # are compared with neither; biomass has no capacity potential
    assert bars["Dach-PV: installiert"] == "2,00 MW" and bars["Dach-PV: Potenzial"] == "12,0 MW"
    assert bars["Freiflächen-PV: installiert"] == "5,00 MW" and bars["Freiflächen-PV: Potenzial"] == "60,0 MW"
    assert bars["Wind: installiert"] == "3,00 MW" and bars["Wind: Potenzial"] == "20,0 MW"
    assert bars["Biomasse: Potenzial"] == "nicht berechnet"
    assert "7,00 MW" not in capacity
    electricity = next(s for s in svgs(factsheet_html(sheet_of())) if "Strom: Potenzial und Verbrauch" in s)
    # the potential bar stacks the parts: 10 + 60 + 50 + 4 = 124 GWh_el/a (biomass as CHP electricity, not 20)
    assert bar_values(electricity) == {"Potenzial": "124,0 GWh_el/a", "Verbrauch": "400,0 GWh_el/a"}


def test_pv_first_shows_its_own_figures():
    page = factsheet_html(sheet_of(precedence="pv_first"))
    # 10 + 80 + 50 × (1 − 20/100) + 4 = 134 GWh_el/a; open-field PV against its whole 80 MWp
    assert "134,0 GWh_el/a" in cell(page, "electricity_potential_gwh_per_a")
    capacity = next(s for s in svgs(page) if "Leistung: installiert und Potenzial" in s)
    assert bar_values(capacity)["Freiflächen-PV: Potenzial"] == "80,0 MW"


def test_the_cascade_of_a_technology_is_on_its_page():
    page = factsheet_html(sheet_of())
    wind = page[page.index('id="tech-wind"'):page.index('id="tech-biomass"')]
    chart = next(s for s in svgs(wind) if "Potenzialkaskade: Wind" in s)
    assert bar_values(chart) == {"technisches Potenzial": "80,0 GWh_el/a",
                                 "planerisch eingeschränktes Potenzial": "50,0 GWh_el/a",
                                 "realisierbares Potenzial": "20,0 GWh_el/a"}
    assert "Wind: Stromertrag, technisch" in cell(wind, "wind_technical_electricity_gwh_per_a")


def test_a_group_sums_what_adds_up_and_computes_shares_again():
    merged, meta = with_headline(FRAME, META, HeadlineParams())
    both = group_figures(merged, meta, ["14729001", "14729002"])
    assert both["population"] == 4000 and both["area_km2"] == 40.0
    assert both["electricity_potential_gwh_per_a"] == pytest.approx(124.0)
    # use 400 + 1,200 = 1,600 GWh_el/a (the county's use split by population); 124 / 1,600 = 7.75 %
    assert both["electricity_use_gwh_per_a"] == pytest.approx(1600.0)
    assert both["electricity_potential_to_use_pct"] == pytest.approx(7.75)
    # 100 ha of wind land on 40 km² = 4,000 ha: 2.5 %, not 10 % + 0 %
    assert both["wind_area_share_pct"] == pytest.approx(2.5)
    # full-load hours do not add up: left out of the group's sheet
    assert both["wind_full_load_hours"] is None
    page = factsheet_html(sheet_of(("14729001", "14729002"), title="Landkreis Test"))
    assert "<h1>Landkreis Test</h1>" in page and "2 Gemeinden" in page
    assert "7,75 %" in cell(page, "electricity_potential_to_use_pct")


def test_a_group_s_coverage_of_its_heat_and_electricity_use_comes_from_its_sums():
    """Heat 300 of 1,000 MWh_th/a covered in one, 100 of 100 in the other: together 400 / 1,100 = 36.4 %,
    not the 65 % of the members' mean nor 130 % of their sum."""
    cols = {"heat_demand_mwh_th_per_a": [1000.0, 100.0], "heat_potential_mwh_th_per_a": [300.0, 100.0],
            "heat_coverage_pct": [30.0, 100.0], "electricity_use_mwh_el_per_a": [2000.0, 2000.0],
            "electricity_potential_mwh_el_per_a": [1000.0, 5000.0], "electricity_coverage_pct": [50.0, 250.0]}
    frame = pd.DataFrame({"ags": ["14729001", "14729002"], **cols})
    meta = [Figure(c, "demand_municipalities", c, "%" if c.endswith("_pct") else
                   ("MWh_th/a" if "_th_" in c else "MWh_el/a"), "float") for c in cols]
    both = group_figures(frame, meta, ["14729001", "14729002"])
    assert both["heat_coverage_pct"] == pytest.approx(400 / 1100 * 100)
    assert both["electricity_coverage_pct"] == pytest.approx(6000 / 4000 * 100)
    assert both["heat_demand_mwh_th_per_a"] == pytest.approx(1100.0)


def visible_text(page: str) -> str:
    """What a person reads: the page without tags, attributes, styles."""
    body = re.sub(r"<style.*?</style>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_raw_column_name_reaches_a_person(lang):
    text = visible_text(factsheet_html(sheet_of(), lang))
    words = set(re.findall(r"[A-Za-z0-9_]+", text))
    raw = {f.column for f in META if "_" in f.column} | {"precedence", "wind_first", "electricity_use_basis"}
    assert not (raw & words), sorted(raw & words)


def headings(page: str) -> list[str]:
    """The sheet's own labels: headings, table heads, captions, chart and map texts."""
    found = re.findall(r"<(h[1-3]|th|figcaption|title)\b[^>]*>(.*?)</\1>", page, re.S)
    found += [("text", t) for t in re.findall(r"<text\b[^>]*>(.*?)</text>", page, re.S)]
    return [html.unescape(re.sub(r"<[^>]+>", " ", t)) for _, t in found]


@pytest.mark.parametrize(("lang", "other"), [("de", 1), ("en", 0)])
def test_the_headings_are_in_one_language(lang, other):
    """No English word of the sheet's vocabulary in the German sheet's headings, and vice versa."""
    labels = " | ".join(headings(factsheet_html(sheet_of(), lang)))
    foreign = {pair[other] for pair in TEXTS.values() if pair[0] != pair[1]}
    found = [w for w in foreign if len(w) > 3 and re.search(rf"(?<!\w){re.escape(w)}(?!\w)", labels)]
    assert not found, found
    assert ("Potenzialkaskade" in labels) == (lang == "de") and ("Potential cascade" in labels) == (lang == "en")


def test_the_synthetic_warning_runs_in_every_page_header_and_opens_the_sheet():
    page = factsheet_html(sheet_of())
    assert re.search(r'@top-center \{ content: "Synthetische Demodaten – die Zahlen sind nicht real · Adorf"', page)
    assert '<p class="warn" role="note"><strong>Synthetische Demodaten' in page
    assert "1 von 2 Eingangsdaten" in page
    real = sheet_of()
    real.run = {**RUN, "synthetic_inputs": []}
    assert "Synthetische Demodaten" not in factsheet_html(real)


def test_a_format_or_language_the_sheet_lacks_names_the_choices():
    with pytest.raises(NotFoundError, match="lang=de"):
        check_lang("fr")
    with pytest.raises(NotFoundError, match="factsheet.pdf"):
        render_factsheet(sheet_of(), "docx")
    assert render_factsheet(sheet_of(), "html").startswith(b"<!DOCTYPE html>")


def test_numbers_are_written_as_each_language_writes_them():
    assert number(1234.5, "de") == "1.234" and number(1234.5, "en") == "1,234"
    assert number(12.34, "de") == "12,3" and number(1.234, "en") == "1.23"


# ------------------------------------------------------------------ the map


def rects(svg: str) -> list[ET.Element]:
    return list(ET.fromstring(svg).iter(f"{SVG}rect"))


def test_the_scale_bar_is_true_to_the_metres():
    # a 10 km × 5 km area; the frame adds 3 % of 10 km on each side: 10.6 km over 1,000 units, 94.34 units per km.
    # A fifth of the width is 2.12 km: the bar is the round 2 km below it, 188.7 units, drawn as two halves
    area = shapely.box(0, 0, 10_000, 5_000)
    svg = sheet_map_svg(area, [Place("A", area)], [], [], "Karte", "de")
    halves = [r for r in rects(svg) if r.get("height") == "6"]
    assert len(halves) == 2
    assert sum(float(r.get("width")) for r in halves) == pytest.approx(2000 * 1000 / 10_600, abs=0.2)
    texts = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "2 km" in texts and "N" in texts and "A" in texts
    # height: (5 km + 2 × 0.3 km) × 94.34 units/km = 528.3, rounded up to 529 units (north up, one scale both ways)
    assert ET.fromstring(svg).get("viewBox") == "0 0 1000 529"


def test_the_map_draws_its_one_layer_with_a_legend_and_names_the_neighbours():
    area = shapely.box(0, 0, 10_000, 5_000)
    neighbour = Place("Nachbarort", shapely.box(10_000, 0, 20_000, 5_000))
    layer = MapLayer({"de": "Wind: Potenzialflächen", "en": "Wind: potential areas"}, "#6baed6",
                     [shapely.box(1000, 1000, 2000, 2000)])
    svg = sheet_map_svg(area, [Place("Adorf", area)], [neighbour], [layer], "Karte: Wind – Adorf", "de")
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Karte: Wind – Adorf"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Legende", "Wind: Potenzialflächen", "Gemeindegrenze", "Nachbargemeinden"} <= set(texts)
    assert [p for p in root.iter(f"{SVG}path") if p.get("fill") == "#6baed6"]
    english = sheet_map_svg(area, [Place("Adorf", area)], [neighbour], [layer], "Map", "en")
    assert "Wind: potential areas" in english and "Municipal boundary" in english and "Legende" not in english


def test_a_dense_layer_is_drawn_as_grid_cells_and_the_legend_says_so():
    area = shapely.box(0, 0, 10_000, 5_000)
    roofs = [shapely.box(x, 100, x + 10, 110) for x in np.linspace(100, 9_800, MAX_POLYGONS + 1)]
    layer = MapLayer({"de": "Dach-PV: Dachflächen", "en": "Rooftop PV: roof planes"}, "#d95f02", roofs)
    svg = sheet_map_svg(area, [Place("A", area)], [], [layer], "Karte", "de")
    assert "Dach-PV: Dachflächen (je Rasterzelle zusammengefasst)" in svg
    cells = next(p for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("fill") == "#d95f02").get("d")
    # 3,001 roofs along 9.7 km in one row: 1,000 units / 10.6 km, 5-unit cells -> about 183 cells, not 3,001 shapes
    assert 150 < cells.count("M") < 200


def test_clipping_keeps_what_is_inside_and_cuts_what_crosses():
    area = shapely.box(0, 0, 100, 100)
    geoms = np.asarray([shapely.box(10, 10, 20, 20), shapely.box(90, 0, 110, 10), shapely.box(200, 0, 210, 10)],
                       dtype=object)
    out = clipped(geoms, area)
    assert [g.area for g in out] == [100.0, 100.0]  # the crossing one keeps its 10 × 10 inside; the outside is gone
