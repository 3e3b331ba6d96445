"""The fact sheet on hand-made figures: electricity and heat apart, with their stage and rule, and
installed PV compared like with like."""

from __future__ import annotations

import re

import pandas as pd
import shapely

from potenzial.serving.factsheet import FactSheet, factsheet_html
from potenzial.serving.figures import Figure
from potenzial.serving.headline import HeadlineParams, with_headline


def fig(column: str, table: str, unit: str = "", dtype: str = "float") -> Figure:
    return Figure(column, table, column, unit, dtype)


# roofs 10 GWh/a on 12 MWp with 2 MW of roof PV; open-field PV 80 ha / 80 MWp / 80 GWh/a, of which 20 ha are also
# wind land (without them 60 ha, 60 MWp, 60 GWh/a), 5 MWp of parks; wind 100 ha, 20 MW, 50 GWh/a; biomass CHP
# 4,000 MWh/a electricity and 6,000 MWh/a heat from 20,000 MWh/a primary energy; 1,000 of 4,000 inhabitants
COLUMNS = {
    "municipalities": [("ags", "", "text"), ("name", "", "text"), ("population", "persons", "int"),
                       ("pv_installed_mw", "MW", "float"), ("wind_installed_mw", "MW", "float"),
                       ("biomass_installed_mw", "MW", "float")],
    "solar_roof_municipalities": [("roof_capacity_mwp", "MWp", "float"), ("roof_yield_gwh_per_a", "GWh/a", "float"),
                                  ("roof_installed_mw", "MW", "float"), ("roof_remaining_mwp", "MWp", "float")],
    "pv_ground_municipalities": [(c, u, "float") for c, u in (
        ("pv_ground_area_ha", "ha"), ("pv_ground_capacity_mwp", "MWp"), ("pv_ground_yield_gwh_per_a", "GWh/a"),
        ("pv_ground_wind_overlap_ha", "ha"), ("pv_ground_area_wind_first_ha", "ha"),
        ("pv_ground_capacity_wind_first_mwp", "MWp"), ("pv_ground_yield_wind_first_gwh_per_a", "GWh/a"),
        ("pv_ground_installed_2015_mwp", "MWp"))],
    "wind_municipalities": [("wind_area_ha", "ha", "float"), ("wind_capacity_mw", "MW", "float"),
                            ("wind_yield_gwh_per_a", "GWh/a", "float")],
    "biomass_totals": [(c, "MWh/a", "float") for c in ("biomass_primary_energy_mwh_per_a_p50",
                                                       "biomass_electricity_mwh_per_a_p50",
                                                       "biomass_heat_mwh_per_a_p50")],
}
META = [fig(c, table, u, t) for table, cols in COLUMNS.items() for c, u, t in cols]
FRAME = pd.DataFrame({
    "ags": ["14729001", "14729002"], "name": ["Adorf", "Bdorf"], "population": [1000, 3000],
    "pv_installed_mw": [7.0, 0.0], "wind_installed_mw": [3.0, 0.0], "biomass_installed_mw": [0.5, 0.0],
    "roof_capacity_mwp": [12.0, 0.0], "roof_yield_gwh_per_a": [10.0, 0.0], "roof_installed_mw": [2.0, 0.0],
    "roof_remaining_mwp": [10.0, 0.0],
    "pv_ground_area_ha": [80.0, 0.0], "pv_ground_capacity_mwp": [80.0, 0.0], "pv_ground_yield_gwh_per_a": [80.0, 0.0],
    "pv_ground_wind_overlap_ha": [20.0, 0.0], "pv_ground_area_wind_first_ha": [60.0, 0.0],
    "pv_ground_capacity_wind_first_mwp": [60.0, 0.0], "pv_ground_yield_wind_first_gwh_per_a": [60.0, 0.0],
    "pv_ground_installed_2015_mwp": [5.0, 0.0],
    "wind_area_ha": [100.0, 0.0], "wind_capacity_mw": [20.0, 0.0], "wind_yield_gwh_per_a": [50.0, 0.0],
    "biomass_primary_energy_mwh_per_a_p50": [20000.0, 0.0], "biomass_electricity_mwh_per_a_p50": [4000.0, 0.0],
    "biomass_heat_mwh_per_a_p50": [6000.0, 0.0],
})


def sheet(precedence: str = "wind_first") -> str:
    merged, meta = with_headline(FRAME, META, HeadlineParams(precedence=precedence))
    row = merged.iloc[0].to_dict()
    return factsheet_html(FactSheet(
        ags="14729001", name="Adorf", figures=row, figure_meta=meta, area=shapely.box(0, 0, 1000, 1000),
        neighbours=[], layers=[], sources=[],
        run={"run_id": "r1", "finished_at": "2026-12-02", "params_hash": "a" * 64, "code_version": "test"}))


def headline_cell(page: str, column: str) -> str:
    found = re.search(rf'<tr data-column="{column}">(.*?)</tr>', page, re.S)
    assert found, column
    return found.group(1)


def test_the_sheet_shows_electricity_and_heat_apart_with_stage_and_rule():
    page = sheet()
    electricity = headline_cell(page, "electricity_potential_gwh_per_a")
    heat = headline_cell(page, "heat_potential_gwh_per_a")
    # 10 roofs + 60 open-field PV without the wind land + 50 wind + 4 biomass CHP = 124 GWh_el/a; heat 6 GWh_th/a
    assert "Strompotenzial" in electricity and "Electricity potential" in electricity
    assert "124.0 GWh_el/a" in electricity
    assert "Wärmepotenzial" in heat and "6.00 GWh_th/a" in heat
    # the primary energy (20 GWh/a) is in neither: 124 + 20 = 144 and 124 + 6 = 130 appear nowhere
    assert "144.0" not in page and "130.0" not in page
    assert "Energiepotenzial gesamt" not in page and "Total energy" not in page
    assert "planerisch eingeschränktes Potenzial · restricted potential" in page
    assert "Vorrang Wind" in page and "wind first" in page
    # use: 1,600 GWh/a × 1,000 / 4,000 = 400 GWh_el/a, an estimate; 124 / 400 = 31 %
    assert "400.0 GWh_el/a" in headline_cell(page, "electricity_use_gwh_per_a")
    assert "31.0 %" in headline_cell(page, "electricity_potential_to_use_pct")
    assert "Schätzung" in page and "Solarthermie" in page
    # land: 60 + 100 = 160 ha, every hectare once
    assert "160.0 ha" in headline_cell(page, "electricity_land_ha")


def test_installed_pv_is_compared_like_with_like():
    page = sheet()
    # roofs: 2 MW installed against 12 MWp; ground: 5 MWp of parks against 60 MWp (wind first); the 7 MW of all
    # PV are compared with neither
    assert "installed: 2.00 MW" in page and "potential: 12.0 MW" in page
    assert "installed: 5.00 MW" in page and "potential: 60.0 MW" in page
    assert "installed: 7.00 MW" not in page
    # the electricity chart: the parts of the headline, biomass as CHP electricity (4 GWh_el/a, not 20)
    assert "potential: 4.00 GWh_el/a" in page and "potential: 20.0 GWh" not in page


def test_pv_first_shows_its_own_figures():
    page = sheet("pv_first")
    # 10 + 80 + 50 × (1 − 20/100) + 4 = 134 GWh_el/a; open-field PV against its whole 80 MWp
    assert "134.0 GWh_el/a" in headline_cell(page, "electricity_potential_gwh_per_a")
    assert "Vorrang Freiflächen-PV" in page and "potential: 80.0 MW" in page


def test_the_sheet_shows_each_technology_s_quality_grade_by_title_with_its_reason():
    """Roofs graded D (a synthetic main input), biomass C; wind and open-field PV not graded in this
    run: the sheet names the grades by their declared titles, never the raw columns."""
    merged, meta = with_headline(FRAME, META, HeadlineParams())
    row = merged.iloc[0].to_dict()
    row.update({"solar_roof_grade": "D", "solar_roof_grade_reason_de": "Gebäude synthetisch",
                "solar_roof_grade_reason_en": "buildings synthetic", "biomass_grade": "C",
                "biomass_grade_reason_de": "Landbedeckung synthetisch",
                "biomass_grade_reason_en": "land cover synthetic",
                "wind_grade": "", "pv_ground_grade": None})
    meta = [*meta, *(fig(c, "quality", "", "text") for c in row if "_grade" in str(c))]
    page = factsheet_html(FactSheet(
        ags="14729001", name="Adorf", figures=row, figure_meta=meta, area=shapely.box(0, 0, 1000, 1000),
        neighbours=[], layers=[], sources=[],
        run={"run_id": "r1", "finished_at": "2026-12-02", "params_hash": "a" * 64, "code_version": "test"}))
    grades = re.findall(r'<tr data-grade="([A-D])">(.*?)</tr>', page, re.S)
    assert [code for code, _ in grades] == ["D", "C"]
    roof, biomass = (cells for _, cells in grades)
    assert "Dach-PV" in roof and "D – synthetischer Platzhalter" in roof and "D – synthetic stand-in" in roof
    assert "Gebäude synthetisch" in roof and "buildings synthetic" in roof
    assert "Biomasse" in biomass and "C – teilweise synthetisch" in biomass and "land cover synthetic" in biomass
    assert "solar_roof_grade" not in page and "grade_reason" not in page
