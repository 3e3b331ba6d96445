"""Heat demand, heat density, savings, electricity use and the balance on hand-made buildings.

The typology rows used are set in :func:`section` to round numbers, so every expected value is
worked out by hand in the comment beside it (not read from the default parameter file)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from potenzial.crs import ANALYSIS_CRS
from potenzial.demand import (
    add_on_horizons,
    after_refurbishment,
    building_demand,
    dh_class,
    electricity_use,
    heat_density_grid,
    load_demand_params,
    municipality_balance,
)
from potenzial.errors import ConfigError, InputDataError
from potenzial.params import load_params, plain
from potenzial.settings import PROJECT_ROOT

X0, Y0 = 330_000.0, 5_680_000.0  #: a corner of a 100 m cell in Landkreis Leipzig (EPSG:25833)
A1, A2 = "14729010", "14729020"
DEFAULT = PROJECT_ROOT / "layers" / "params" / "default"


def section(**update) -> dict:
    s = plain(load_params(DEFAULT).section("demand"))
    s["residential"]["sfh"].update(status_quo_kwh_per_m2_a=[200.0] * 6, usual_kwh_per_m2_a=[100.0] * 6,
                                   advanced_kwh_per_m2_a=[50.0] * 6)
    s["residential"]["ab"].update(status_quo_kwh_per_m2_a=[150.0, 140, 130, 120, 110, 100],
                                  usual_kwh_per_m2_a=[80.0] * 6, advanced_kwh_per_m2_a=[40.0] * 6)
    s["residential"]["mfh"].update(status_quo_kwh_per_m2_a=[180.0, 170, 160, 150, 140, 70.0],
                                   usual_kwh_per_m2_a=[60.0] * 6, advanced_kwh_per_m2_a=[30.0] * 6)
    s["non_residential"]["retail"].update(specific_kwh_per_m2_a=90.0, heated_share=1.0, usual_factor=0.5,
                                          advanced_factor=0.25)
    s["floor_area"].update(net_to_gross=0.8, area_per_volume_per_m=0.32)
    s["refurbishment"].update(rate_per_a=0.01, advanced_share=0.5)
    s.update(base_year=2025, horizons=[2030, 2035, 2045], grid_cell_m=100.0)
    s.update(update)
    return s


def rect(x: float, y: float, w: float, d: float):
    return box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + d)


def buildings(**columns) -> gpd.GeoDataFrame:
    """A: house 10×10 m, 2 storeys; B: apartment 20×10 m, 5 storeys (→ block); C: garage; D: shop 30×10 m;
    E (other municipality): mfh given with a volume of 1,000 m³."""
    frame = gpd.GeoDataFrame({
        "building_id": ["A", "B", "C", "D", "E"],
        "ags": [A1, A1, A1, A1, A2],
        "use": ["residential", "residential", "non_residential", "non_residential", "residential"],
        "function": ["house", "apartment", "garage", "commercial", None],
        "building_type": [None, None, None, None, "mfh"],
        "age_class": ["1949_1978", "before_1919", None, None, "from_2010"],
        "floors": [2, 5, 1, 1, 3],
        "volume_m3": [None, None, None, None, 1000.0],
    }, geometry=[rect(10, 10, 10, 10), rect(40, 40, 20, 10), rect(25, 10, 3, 6), rect(110, 10, 30, 10),
                 rect(510, 10, 10, 10)], crs=ANALYSIS_CRS)
    for name, values in columns.items():
        frame[name] = values
    return frame


def statistics(sfh=(100.0, 100.0), mfh=(0.0, 100.0)) -> pd.DataFrame:
    return pd.DataFrame({"ags": [A1, A2], "zensus2011_buildings_1flat": sfh, "zensus2011_buildings_2flats": [0.0, 0.0],
                         "zensus2011_buildings_3flats": mfh})


def test_hand_made_buildings_have_hand_computed_demand():
    result = building_demand(buildings(), statistics(), load_demand_params(section())).set_index("building_id")
    # A: 100 m² × 2 × 0.8 = 160 m² × 200 kWh/m² = 32 MWh; B: 200 × 5 × 0.8 = 800 m² (block: 5 storeys) × 150 = 120 MWh
    # C: garage, unheated = 0; D: 300 × 1 × 0.8 = 240 m² × 90 = 21.6 MWh; E: 0.32 × 1000 = 320 m² × 70 = 22.4 MWh
    assert result.loc[["A", "B", "C", "D", "E"], "building_type"].tolist() == ["sfh", "ab", "unheated", "retail", "mfh"]
    assert result["heated_area_m2"].loc[["A", "B", "D", "E"]].tolist() == pytest.approx([160.0, 800.0, 240.0, 320.0])
    assert result["heat_demand_mwh_th_per_a"].loc[["A", "B", "C", "D", "E"]].tolist() == \
        pytest.approx([32.0, 120.0, 0.0, 21.6, 22.4])
    # 2045: 20 years × 1 %/a = 20 % refurbished, half usual, half advanced:
    # A: 160 × (0.8 × 200 + 0.2 × (0.5 × 100 + 0.5 × 50)) = 160 × 175 = 28 MWh
    assert result.at["A", "heat_2045_mwh_th_per_a"] == pytest.approx(28.0)
    # D (retail): 240 × 90 × (0.8 + 0.2 × (0.5 × 0.5 + 0.5 × 0.25)) = 21.6 × 0.875 = 18.9 MWh
    assert result.at["D", "heat_2045_mwh_th_per_a"] == pytest.approx(18.9)
    assert set(result["type_basis"]) == {"function", "given"}


def test_municipality_sum_equals_grid_sum_equals_building_sum():
    params = load_demand_params(section())
    per_building = building_demand(buildings(), statistics(), params)
    grid = heat_density_grid(per_building, "heat_demand_mwh_th_per_a", 100.0, params.density_bounds_mwh_per_ha_a)
    # A and B share the cell at (X0, Y0): 32 + 120 = 152 MWh on 1 ha → 70–175: new_development;
    # D alone in the next cell: 21.6 → no_potential; E at x0 + 500: 22.4
    cells = grid.set_index("cell_id")
    first = f"E{int(X0)}N{int(Y0)}"
    assert cells.at[first, "heat_demand_mwh_th_per_a"] == pytest.approx(152.0)
    assert cells.at[first, "heat_density_mwh_th_per_ha_a"] == pytest.approx(152.0)
    assert cells.at[first, "dh_class"] == "new_development" and cells.at[first, "buildings"] == 2
    assert cells.at[f"E{int(X0) + 100}N{int(Y0)}", "dh_class"] == "no_potential"
    assert grid.crs == ANALYSIS_CRS and grid.geometry.area.tolist() == pytest.approx([10_000.0] * 3)
    el = pd.DataFrame({"households": [1.0, 1.0], "electricity_households_mwh_el_per_a": [1.0, 1.0],
                       "electricity_commerce_mwh_el_per_a": [0.0, 0.0], "electricity_industry_mwh_el_per_a": [0.0, 0.0],
                       "electricity_use_mwh_el_per_a": [100.0, 0.0], "electricity_basis": ["estimate"] * 2},
                      index=[A1, A2])
    zensus = pd.DataFrame({"living_area_m2": [1.0, 1.0], "heatnet_buildings": [0.0, 1.0], "buildings": [2.0, 4.0]},
                          index=[A1, A2])
    classes = pd.Series(["new_development", "new_development", "no_potential", "no_potential", "no_potential"])
    muni, horizons = municipality_balance([A1, A2], per_building, classes, el, pd.Series([50.0, 10.0], index=[A1, A2]),
                                          pd.Series([17.36, 0.0], index=[A1, A2]), zensus, params)
    muni = muni.set_index("ags")
    assert muni["heat_demand_mwh_th_per_a"].tolist() == pytest.approx([173.6, 22.4])   # 32 + 120 + 21.6; 22.4
    assert muni["heat_demand_mwh_th_per_a"].sum() == pytest.approx(grid["heat_demand_mwh_th_per_a"].sum())
    assert grid["heat_demand_mwh_th_per_a"].sum() == pytest.approx(per_building["heat_demand_mwh_th_per_a"].sum())
    # coverage: 50 / 100 = 50 %; no use in A2 → none; heat 17.36 / 173.6 = 10 %
    assert muni.at[A1, "electricity_coverage_pct"] == pytest.approx(50.0)
    assert np.isnan(muni.at[A2, "electricity_coverage_pct"])
    assert muni.at[A1, "heat_coverage_pct"] == pytest.approx(10.0)
    assert muni.at[A2, "zensus_heatnet_share_pct"] == pytest.approx(25.0)
    assert muni.at[A1, "buildings_heated"] == 3
    h = horizons.set_index(["ags", "horizon_year"])
    # 2030: 5 % refurbished; every building saves 5 % × (1 − refurbished/status quo) > 0
    assert (h["heat_saving_pct"] > 0).all() and h.at[(A1, 2045), "refurbished_share_pct"] == pytest.approx(20.0)


def test_buildings_without_type_or_age_get_the_municipality_distribution_counted():
    n = 400
    frame = gpd.GeoDataFrame({"building_id": [f"b{k:03d}" for k in range(n)], "ags": [A1] * (n // 2) + [A2] * (n // 2),
                              "use": ["residential"] * n, "floors": [2] * n},
                             geometry=[rect(20.0 * (k % 50), 20.0 * (k // 50), 10, 10) for k in range(n)],
                             crs=ANALYSIS_CRS)
    shares = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    params = load_demand_params(section(age_classes={**section()["age_classes"], "shares": shares}))
    # A1: Zensus counts only houses with 1–2 flats → every drawn type is sfh; A2: 100 : 100 → about half mfh
    result = building_demand(frame, statistics(sfh=(100.0, 100.0), mfh=(0.0, 100.0)), params)
    a1, a2 = result[result["ags"] == A1], result[result["ags"] == A2]
    assert set(a1["building_type"]) == {"sfh"}
    assert 70 < (a2["building_type"] == "mfh").sum() < 130
    assert (result["type_basis"] == "drawn").all() and (result["age_basis"] == "drawn").all()
    assert set(result["age_class"]) == {"before_1919"}
    again = building_demand(frame, statistics(sfh=(100.0, 100.0), mfh=(0.0, 100.0)), params)
    assert again["building_type"].tolist() == result["building_type"].tolist()   # seeded


def test_unknown_type_in_a_real_file_is_one_line_naming_value_and_known_types():
    params = load_demand_params(section())
    with pytest.raises(InputDataError) as err:
        building_demand(buildings(building_type=[None, None, None, None, "castle"]), statistics(), params)
    message = str(err.value)
    assert "'castle'" in message and "building E" in message and "sfh" in message and "unheated" in message
    assert "\n" not in message
    with pytest.raises(InputDataError, match="unknown function 'barnyard'.*known values: apartment"):
        building_demand(buildings(function=["barnyard", None, None, None, None]), statistics(), params)


def test_alkis_function_codes_give_the_type_of_their_code_group():
    """ALKIS Hausumringe and LoD2 carry the Gebäudefunktion code: 31001_1010 (Wohnhaus) is a dwelling whose type
    comes from the Zensus mix (A1: houses only → sfh), 2463 (Garage) is unheated, 31001_3021 (Schule) public,
    2111.0 (Fabrik, as a float column reads) industrial; 9998 (not specified) is drawn from the typed
    non-residential buildings of its municipality."""
    params = load_demand_params(section())
    frame = buildings(function=["31001_1010", "2463", "31001_3021", "2111.0", "9998"], building_type=[None] * 5,
                      use=["residential", "non_residential", "non_residential", "non_residential",
                           "non_residential"], volume_m3=[None] * 5)
    frame.loc[4, "ags"] = A1
    result = building_demand(frame, statistics(), params).set_index("building_id")
    assert result.loc[["A", "B", "C", "D"], "building_type"].tolist() == ["sfh", "unheated", "public", "industrial"]
    assert result.loc[["A", "B", "C", "D", "E"], "type_basis"].tolist() == ["drawn", "function", "function",
                                                                        "function", "drawn"]
    assert result.loc["E", "building_type"] in {"unheated", "public", "industrial"}
    assert result.loc["B", "heat_demand_mwh_th_per_a"] == 0.0  # a garage is not heated


def test_demand_table_missing_a_municipality_names_it():
    params = load_demand_params(section()).electricity
    table = pd.DataFrame({"ags": [A1], "commerce_mwh_el_per_a": [1.0], "industry_mwh_el_per_a": [2.0]})
    with pytest.raises(InputDataError, match=f"no row for municipality {A2}") as err:
        electricity_use(pd.Series([100.0, 200.0], index=[A1, A2]), pd.Series([1.0, 1.0], index=[A1, A2]),
                        1.0, params, table, "electricity_use_sectors")
    assert "electricity_use_sectors" in str(err.value)


def test_electricity_split_by_hand():
    el = load_demand_params(section(electricity={
        **section()["electricity"], "household_shares": [0.5, 0.5, 0.0, 0.0],
        "household_kwh_el_per_a": [2000.0, 3000.0, 4000.0, 5000.0], "commerce_share_of_non_household": 0.4}))
    # 1.5 persons per household; 300 and 600 persons → 200 and 400 households × 2,500 kWh = 500 and 1,000 MWh
    # county 10 GWh → 8,500 MWh rest: commerce 3,400 by population (1/3, 2/3), industry 5,100 by land (3:1)
    out = electricity_use(pd.Series([300.0, 600.0], index=[A1, A2]), pd.Series([30.0, 10.0], index=[A1, A2]),
                          10.0, el.electricity)
    assert out["households"].tolist() == pytest.approx([200.0, 400.0])
    assert out["electricity_households_mwh_el_per_a"].tolist() == pytest.approx([500.0, 1000.0])
    assert out["electricity_commerce_mwh_el_per_a"].tolist() == pytest.approx([3400 / 3, 6800 / 3])
    assert out["electricity_industry_mwh_el_per_a"].tolist() == pytest.approx([3825.0, 1275.0])
    assert out["electricity_use_mwh_el_per_a"].sum() == pytest.approx(10_000.0)
    assert set(out["electricity_basis"]) == {"estimate"}


@settings(max_examples=60, deadline=None)
@given(rate=st.floats(0.005, 0.03), adv=st.floats(0.0, 1.0), year=st.integers(2025, 2100),
       later=st.integers(0, 30))
def test_refurbishment_never_raises_demand(rate, adv, year, later):
    params = load_demand_params(section(refurbishment={**section()["refurbishment"], "rate_per_a": rate,
                                                       "advanced_share": adv}))
    levels = {"status_quo": np.array([200.0, 90.0, 0.0]), "usual": np.array([100.0, 45.0, 0.0]),
              "advanced": np.array([50.0, 22.5, 0.0])}
    now = after_refurbishment(levels, params.refurbished_share(year), adv)
    then = after_refurbishment(levels, params.refurbished_share(year + later), adv)
    assert (now <= levels["status_quo"] + 1e-9).all() and (then <= now + 1e-9).all()


def test_a_typology_row_that_would_raise_demand_is_refused():
    s = section()
    s["residential"]["sfh"]["usual_kwh_per_m2_a"] = [250.0] * 6
    with pytest.raises(ConfigError, match="refurbishment would raise demand"):
        load_demand_params(s)


def test_density_classes_follow_the_published_bounds():
    bounds = load_demand_params(section()).density_bounds_mwh_per_ha_a
    assert bounds == (0.0, 70.0, 175.0, 415.0, 1050.0)   # KEA-BW 2020
    assert dh_class(np.array([0.0, 69.9, 70.0, 175.0, 414.0, 415.0, 2000.0]), bounds).tolist() == [
        "no_potential", "no_potential", "new_development", "low_temperature", "low_temperature", "conventional",
        "very_high"]


def test_synthetic_residential_area_is_scaled_to_the_target_and_nothing_else():
    params = load_demand_params(section())
    target = pd.Series({A1: 480.0})   # A (160 m²) + B (800 m²) = 960 m² → factor 0.5; E (A2) has no target
    result = building_demand(buildings(), statistics(), params, target).set_index("building_id")
    assert result["heated_area_m2"].loc[["A", "B", "D", "E"]].tolist() == pytest.approx([80.0, 400.0, 240.0, 320.0])
    # A: 80 m² × 200 = 16 MWh; D (retail) keeps 240 × 90 = 21.6 MWh
    assert result.at["A", "heat_demand_mwh_th_per_a"] == pytest.approx(16.0)
    assert result.at["D", "heat_demand_mwh_th_per_a"] == pytest.approx(21.6)


def add_on_section(**update) -> dict:
    """[demand.add_ons] in round numbers: SPF 4; 500 cars per 1,000 inhabitants, 10,000 km a year at 20 kWh/100 km
    (= 2 MWh_el per car and year); 2030: 50 % heat pumps, 25 % electric cars."""
    add_ons = {**section()["add_ons"], "heat_pump_spf": 4.0, "cars_per_1000_inhabitants": 500.0,
               "km_per_car_a": 10_000.0, "ev_kwh_per_100km": 20.0, "heat_pump_share_2030_pct": 50.0,
               "ev_share_2030_pct": 25.0}
    for key in ("heat_pump_spf", "cars_per_1000_inhabitants", "km_per_car_a", "ev_kwh_per_100km",
                "heat_pump_share_2030_pct", "ev_share_2030_pct"):
        add_ons[f"{key}_low"], add_ons[f"{key}_high"] = add_ons[key] / 2, min(100.0, add_ons[key] * 2) \
            if key.endswith("_pct") else add_ons[key] * 2
    add_ons.update(update)
    return section(add_ons=add_ons)


def test_heat_pump_and_e_mobility_add_ons_by_hand():
    params = load_demand_params(add_on_section()).add_ons
    horizons = pd.DataFrame({"ags": [A1, A2], "horizon_year": [2030, 2030],
                             "heat_residential_mwh_th_per_a": [800.0, 0.0]})
    out = add_on_horizons(horizons, pd.Series({A1: 1_000.0, A2: 200.0}), pd.Series({A1: 1_000.0, A2: 0.0}),
                          pd.Series({A1: 675.0, A2: 30.0}), params).set_index("ags")
    # heat pumps: 800 MWh_th / SPF 4 = 200 MWh_el if every home had one; 50 % of it = 100 MWh_el
    assert out.at[A1, "heat_pump_electricity_all_mwh_el_per_a"] == pytest.approx(200.0)
    assert out.at[A1, "heat_pump_electricity_mwh_el_per_a"] == pytest.approx(100.0)
    # e-mobility: 1,000 inhabitants × 500/1,000 = 500 cars × 10,000 km × 0.2 kWh/km = 1,000 MWh_el; 25 % = 250
    assert out.at[A1, "ev_electricity_all_mwh_el_per_a"] == pytest.approx(1_000.0)
    assert out.at[A1, "ev_electricity_mwh_el_per_a"] == pytest.approx(250.0)
    # use 1,000 + 100 + 250 = 1,350 MWh_el; coverage 675 / 1,350 = 50 %
    assert out.at[A1, "electricity_use_with_add_ons_mwh_el_per_a"] == pytest.approx(1_350.0)
    assert out.at[A1, "electricity_coverage_with_add_ons_pct"] == pytest.approx(50.0)
    # A2: no homes to heat; 200 inhabitants → 100 cars → 200 MWh_el, 25 % = 50; 30 / 50 = 60 %
    assert out.at[A2, "heat_pump_electricity_mwh_el_per_a"] == 0.0
    assert out.at[A2, "electricity_use_with_add_ons_mwh_el_per_a"] == pytest.approx(50.0)
    assert out.at[A2, "electricity_coverage_with_add_ons_pct"] == pytest.approx(60.0)
    assert (out["heat_pump_share_pct"].tolist(), out["ev_share_pct"].tolist()) == ([50.0, 50.0], [25.0, 25.0])


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0.0, 100.0), more=st.floats(0.0, 100.0), heat=st.floats(0.0, 1e6), people=st.floats(0.0, 1e5))
def test_a_larger_share_never_lowers_the_use(low, more, heat, people):
    high = min(100.0, low + more)
    use = {}
    for share in (low, high):
        params = load_demand_params(add_on_section(heat_pump_share_2030_pct=share, heat_pump_share_2030_pct_low=0.0,
                                                   heat_pump_share_2030_pct_high=100.0, ev_share_2030_pct=share,
                                                   ev_share_2030_pct_low=0.0, ev_share_2030_pct_high=100.0)).add_ons
        frame = add_on_horizons(pd.DataFrame({"ags": [A1], "horizon_year": [2030],
                                              "heat_residential_mwh_th_per_a": [heat]}), pd.Series({A1: people}),
                                pd.Series({A1: 10.0}), pd.Series({A1: 5.0}), params)
        use[share] = frame.iloc[0]
    assert use[high]["electricity_use_with_add_ons_mwh_el_per_a"] >= \
        use[low]["electricity_use_with_add_ons_mwh_el_per_a"] >= 10.0
    assert use[high]["electricity_coverage_with_add_ons_pct"] <= use[low]["electricity_coverage_with_add_ons_pct"]


def test_add_on_mistakes_are_one_line_naming_the_key():
    s = add_on_section()
    del s["add_ons"]["ev_share_2035_pct"]
    with pytest.raises(ConfigError, match=r"\[demand.add_ons\] has no 'ev_share_2035_pct'"):
        load_demand_params(s)
    with pytest.raises(ConfigError, match=r"heat_pump_share_2030_pct: a share is a percentage.*0–120"):
        load_demand_params(add_on_section(heat_pump_share_2030_pct_low=0.0, heat_pump_share_2030_pct_high=120.0))
    with pytest.raises(ConfigError, match=r"heat_pump_spf = 6.0 is outside its range 2.0–5.0"):
        load_demand_params(add_on_section(heat_pump_spf=6.0, heat_pump_spf_low=2.0, heat_pump_spf_high=5.0))
    with pytest.raises(ConfigError, match=r"heat_pump_spf_low = 0.5: a heat pump gives at least"):
        load_demand_params(add_on_section(heat_pump_spf_low=0.5))
    with pytest.raises(ConfigError, match="no heat_pump_share_2040_pct"):
        load_demand_params(add_on_section()).add_ons.share_pct("heat_pump", 2040)


def test_the_default_add_ons_cover_every_horizon_with_a_source():
    s = section()
    params = load_demand_params(s).add_ons
    assert sorted(params.heat_pump_share_pct) == sorted(params.ev_share_pct) == s["horizons"]
    # a larger horizon never has a smaller share in the default file
    for shares in (params.heat_pump_share_pct, params.ev_share_pct):
        values = [shares[y] for y in sorted(shares)]
        assert values == sorted(values)
