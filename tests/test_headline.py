"""Headline figures: electricity and heat apart, every hectare once, use by population or table.

Two hand-made municipalities; every expected value is worked out in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from potenzial.energy import Energy, EnergyKind, MixedEnergyError, total
from potenzial.errors import ConfigError
from potenzial.results.headline import HEADLINE
from potenzial.serving.headline import HeadlineParams, headline_frame, headline_params, load_headline_params
from potenzial.settings import PROJECT_ROOT

# A: roofs 10 GWh; open-field PV on 80 ha (80 MWp, 80 GWh), 20 ha of it also wind-eligible, so without that land
#    60 ha, 60 MWp, 60 GWh; 5 MWp of solar parks (UFZ 2015); wind on 100 ha, 50 GWh; biomass CHP 4,000 MWh
#    electricity and 6,000 MWh heat from 20,000 MWh primary energy; 1,000 inhabitants.
# B: roofs 2 GWh, no open land, biomass CHP 1,000 MWh electricity and 2,000 MWh heat; 3,000 inhabitants.
MERGED = pd.DataFrame({
    "ags": ["14729001", "14729002"],
    "population": [1000, 3000],
    "roof_yield_gwh_per_a": [10.0, 2.0],
    "pv_ground_area_ha": [80.0, 0.0], "pv_ground_capacity_mwp": [80.0, 0.0], "pv_ground_yield_gwh_per_a": [80.0, 0.0],
    "pv_ground_wind_overlap_ha": [20.0, 0.0],
    "pv_ground_area_wind_first_ha": [60.0, 0.0], "pv_ground_capacity_wind_first_mwp": [60.0, 0.0],
    "pv_ground_yield_wind_first_gwh_per_a": [60.0, 0.0], "pv_ground_installed_2015_mwp": [5.0, 0.0],
    "wind_area_ha": [100.0, 0.0], "wind_yield_gwh_per_a": [50.0, 0.0],
    "biomass_electricity_mwh_per_a_p50": [4000.0, 1000.0], "biomass_heat_mwh_per_a_p50": [6000.0, 2000.0],
    "biomass_primary_energy_mwh_per_a_p50": [20000.0, 5000.0],
})
WIND_FIRST = HeadlineParams(precedence="wind_first")
PV_FIRST = HeadlineParams(precedence="pv_first")


def test_electricity_and_heat_by_hand_wind_first():
    out = headline_frame(MERGED, WIND_FIRST)
    assert list(out.columns) == HEADLINE.column_names
    # A: 10 roofs + 60 open-field PV without the wind land + 50 wind + 4,000 MWh = 4 GWh biomass = 124 GWh_el/a;
    #    the 20,000 MWh of primary energy are not in it (it would be 144). B: 2 + 0 + 0 + 1 = 3.
    assert out["electricity_potential_gwh_per_a"].tolist() == pytest.approx([124.0, 3.0])
    assert out["electricity_pv_ground_gwh_per_a"].tolist() == pytest.approx([60.0, 0.0])
    assert out["electricity_wind_gwh_per_a"].tolist() == pytest.approx([50.0, 0.0])
    assert out["electricity_biomass_gwh_per_a"].tolist() == pytest.approx([4.0, 1.0])
    # heat: 6,000 and 2,000 MWh of CHP heat
    assert out["heat_potential_gwh_per_a"].tolist() == pytest.approx([6.0, 2.0])
    # land: 60 ha PV + 100 ha wind = 160 ha = the union 80 + 100 − 20
    assert out["electricity_land_ha"].tolist() == pytest.approx([160.0, 0.0])
    # open-field PV still open: 60 MWp − 5 MWp of parks
    assert out["pv_ground_remaining_mwp"].tolist() == pytest.approx([55.0, 0.0])
    assert set(out["stage"]) == {"restricted"} and set(out["precedence"]) == {"wind_first"}


def test_pv_first_scales_wind_by_the_land_it_keeps():
    out = headline_frame(MERGED, PV_FIRST)
    # A: wind keeps 100 − 20 = 80 of its 100 ha: 50 × 0.8 = 40 GWh; PV whole 80 GWh: 10 + 80 + 40 + 4 = 134
    assert out["electricity_wind_gwh_per_a"].tolist() == pytest.approx([40.0, 0.0])
    assert out["electricity_potential_gwh_per_a"].tolist() == pytest.approx([134.0, 3.0])
    # land: 80 ha PV + 80 ha wind = 160 ha, the same union as wind first
    assert out["electricity_land_ha"].tolist() == pytest.approx([160.0, 0.0])
    assert out["pv_ground_remaining_mwp"].tolist() == pytest.approx([75.0, 0.0])  # 80 − 5
    assert set(out["precedence"]) == {"pv_first"}


@settings(max_examples=60, deadline=None)
@given(pv_ha=st.floats(0, 1e4), wind_ha=st.floats(0, 1e4), share=st.floats(0, 1))
def test_land_for_both_uses_is_counted_once_under_either_rule(pv_ha, wind_ha, share):
    """Whatever the areas, the land of the headline is the union |PV ∪ wind| = PV + wind − overlap."""
    overlap = share * min(pv_ha, wind_ha)
    merged = MERGED.iloc[:1].assign(pv_ground_area_ha=pv_ha, pv_ground_wind_overlap_ha=overlap,
                                    pv_ground_area_wind_first_ha=pv_ha - overlap, wind_area_ha=wind_ha)
    union = pv_ha + wind_ha - overlap
    for params in (WIND_FIRST, PV_FIRST):
        land = headline_frame(merged, params)["electricity_land_ha"].iloc[0]
        assert land == pytest.approx(union, rel=1e-9, abs=1e-6)


def test_electricity_use_split_by_population_and_the_ratio():
    out = headline_frame(MERGED, WIND_FIRST)
    # 1,600 GWh/a × 1,000 / 4,000 = 400 and × 3,000 / 4,000 = 1,200; ratio 124 / 400 = 31 %, 3 / 1,200 = 0.25 %
    assert out["electricity_use_gwh_per_a"].tolist() == pytest.approx([400.0, 1200.0])
    assert out["electricity_potential_to_use_pct"].tolist() == pytest.approx([31.0, 0.25])
    assert out["electricity_use_basis"].tolist() == ["estimate", "estimate"]


def test_a_use_table_replaces_the_estimate_where_it_has_a_value():
    table = pd.DataFrame({"ags": ["14729001"], "electricity_use_mwh_per_a": [248_000.0]})
    out = headline_frame(MERGED, WIND_FIRST, table)
    # A: 248,000 MWh = 248 GWh, 124 / 248 = 50 %; B keeps its estimate 1,200 GWh
    assert out["electricity_use_gwh_per_a"].tolist() == pytest.approx([248.0, 1200.0])
    assert out["electricity_potential_to_use_pct"].iloc[0] == pytest.approx(50.0)
    assert out["electricity_use_basis"].tolist() == ["table", "estimate"]


def test_a_potential_the_run_lacks_is_left_out_not_guessed():
    """Without the wind and open-field PV results: roofs + biomass only, and no land figure."""
    merged = MERGED[["ags", "population", "roof_yield_gwh_per_a", "biomass_electricity_mwh_per_a_p50",
                     "biomass_heat_mwh_per_a_p50"]]
    out = headline_frame(merged, WIND_FIRST)
    assert out["electricity_potential_gwh_per_a"].tolist() == pytest.approx([14.0, 3.0])  # 10 + 4, 2 + 1
    assert out["electricity_land_ha"].isna().all() and out["electricity_wind_gwh_per_a"].isna().all()


def test_electricity_and_heat_cannot_be_added():
    idx = pd.Index(["a"])
    el = Energy(pd.Series([1.0], index=idx), EnergyKind.ELECTRICITY)
    heat = Energy(pd.Series([2.0], index=idx), EnergyKind.HEAT)
    primary = Energy(pd.Series([3.0], index=idx), EnergyKind.PRIMARY)
    with pytest.raises(MixedEnergyError, match="cannot add heat"):
        el + heat
    with pytest.raises(MixedEnergyError):
        total([el, primary], idx, EnergyKind.ELECTRICITY)
    with pytest.raises(MixedEnergyError):
        total([el], idx, EnergyKind.HEAT)
    assert (el + el).gwh_per_a.tolist() == [2.0] and (el + el).unit == "GWh_el/a"
    with pytest.raises(ValueError, match="electricity, heat, primary"):
        Energy(pd.Series([1.0], index=idx), "power")  # type: ignore[arg-type]


def test_precedence_setting_unknown_value_is_a_one_line_error_naming_the_allowed_ones():
    assert headline_params(None).precedence == "wind_first"
    assert headline_params({"precedence": "wind_first"}, "pv_first").precedence == "pv_first"
    with pytest.raises(ConfigError) as env:
        headline_params({}, "wind_last")
    assert "POTENZIAL_FIGURES_PRECEDENCE" in str(env.value) and "wind_first, pv_first" in str(env.value)
    assert "\n" not in str(env.value)
    with pytest.raises(ConfigError) as param:
        headline_params({"precedence": "both"})
    assert "precedence" in str(param.value) and "'wind_first'" in str(param.value) and "'pv_first'" in str(param.value)
    with pytest.raises(ConfigError, match="stage"):
        headline_params({"stage": "realistic"})


def test_default_parameter_file_is_valid_and_sourced():
    params = load_headline_params(PROJECT_ROOT / "layers" / "params" / "default")
    assert params.precedence == "wind_first" and params.stage == "restricted"
    low, central, high = params.ranges["county_electricity_use_gwh_per_a"]
    assert low <= params.county_electricity_use_gwh_per_a == central <= high
    text = (PROJECT_ROOT / "layers" / "params" / "default" / "headline.toml").read_text(encoding="utf-8")
    assert "docs/METHOD.md" in text and "Leitbild" in text


def test_every_headline_column_has_a_title_in_both_languages_and_a_unit():
    units = dict(HEADLINE.units)
    for column in HEADLINE.column_names[1:]:
        title = HEADLINE.column_title(column)
        assert title["de"] != column and title["en"] != column, column
        assert units.get(column), column
    assert HEADLINE.column_title("electricity_potential_gwh_per_a") == {"de": "Strompotenzial",
                                                                         "en": "Electricity potential"}
    assert units["electricity_potential_gwh_per_a"] != units["heat_potential_gwh_per_a"]
    assert not np.isnan(headline_frame(MERGED, WIND_FIRST)["heat_potential_gwh_per_a"]).any()
