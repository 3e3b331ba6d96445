"""The potential cascade: hard-only vs all-enabled eligibility, the stages on hand-made tables, the
parameters' one-line errors. Every expected value is worked out by hand in the comment beside it."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from potenzial.cascade import (
    CascadeParams,
    biomass_stages,
    cascade_table,
    load_cascade_params,
    pv_ground_stages,
    roof_stages,
    wind_stages,
)
from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import ConfigError
from potenzial.exclusions import Grid, Rule, RuleSet, evaluate
from potenzial.params import load_params, plain
from potenzial.settings import PROJECT_ROOT
from potenzial.wind.placement import place_turbines, spacing_mask

X0, Y0 = 300_000.0, 5_670_000.0  #: somewhere in Landkreis Leipzig (EPSG:25833)
DEFAULT = PROJECT_ROOT / "layers" / "params" / "default"


def section() -> dict:
    return plain(load_params(DEFAULT).section("cascade"))


def params(**update) -> CascadeParams:
    return load_cascade_params({**section(), **update})


# ------------------------------------------------------------------------------ one evaluation, two stages

def test_hard_only_and_all_enabled_eligibility_from_one_evaluation():
    # 100 m x 100 m, cells of 10 m: 100 cells, centres at 5, 15, …, 95 m from the corner
    grid = Grid.from_bounds((X0, Y0, X0 + 100, Y0 + 100), 10.0)
    assert grid.shape == (10, 10)
    layers = {
        # hard: x 0–30 m -> centre columns 5, 15, 25: 3 columns x 10 rows = 30 cells
        "hard_land": gpd.GeoDataFrame(geometry=[box(X0, Y0, X0 + 30, Y0 + 100)], crs=ANALYSIS_CRS),
        # soft: x 20–60, y 0–50 -> columns 25, 35, 45, 55 x rows 5 … 45: 4 x 5 = 20 cells
        "soft_land": gpd.GeoDataFrame(geometry=[box(X0 + 20, Y0, X0 + 60, Y0 + 50)], crs=ANALYSIS_CRS),
    }
    rules = (Rule(id="hard", layer="hard_land", buffer_m=0.0, kind="hard", source="test"),
             Rule(id="soft", layer="soft_land", buffer_m=0.0, kind="soft", switchable=True, source="test"))
    ex = evaluate(RuleSet(id="t", title="t", valid_from="2023-01-01", rules=rules), layers, grid)
    bitmask_before = ex.bitmask.copy()
    # all enabled: 30 + 20 - 5 (column 25, rows 5 … 45, hit by both) = 45 excluded -> 55 eligible
    assert int(ex.eligible().sum()) == 55
    # hard only: the 30 cells of the hard rule -> 70 eligible
    assert int(ex.eligible(kinds=("hard",)).sum()) == 70
    # every cell eligible under all rules is eligible under the hard rules alone
    assert not (ex.eligible() & ~ex.eligible(kinds=("hard",))).any()
    # the same bitmask served both: nothing was evaluated again
    assert np.array_equal(ex.bitmask, bitmask_before)


def test_the_technical_layout_keeps_the_standing_turbines_and_adds_where_there_is_room():
    # one row of 100 cells of 10 m (x centres 5 … 995 m), wind along the row (azimuth 90°),
    # rotor 100 m, spacing 5 D = 500 m along the wind: two turbines may stand exactly 500 m apart
    grid = Grid.from_bounds((X0, Y0, X0 + 1000, Y0 + 10), 10.0)
    eligible = np.ones(grid.shape, dtype=bool)
    spacing = {"rotor_diameter_m": 100.0, "along_diameters": 5.0, "across_diameters": 3.0, "direction_deg": 90.0}
    _, cols = place_turbines(eligible, grid, **spacing)
    assert cols.tolist() == [0, 50]  # x = 5 m and 505 m: 500 m apart; the next would be column 100
    # a turbine already stands at column 30 (x = 305 m): it blocks 305 ± 500 m except the ellipse's edge,
    # i.e. columns 0 … 79 but not 80 (x = 805 m, exactly 500 m away); column 80 is the one free place left
    blocked = spacing_mask(grid.shape, np.array([0]), np.array([30]), res_m=grid.res_m, **spacing)
    assert np.flatnonzero(~blocked[0]).tolist() == list(range(80, 100))
    _, cols = place_turbines(eligible & ~blocked, grid, **spacing)
    assert cols.tolist() == [80]


# ------------------------------------------------------------------------------ the stages on hand-made tables

AGS = ["A", "B"]


def test_roof_stages():
    roof = pd.DataFrame({"ags": ["A", "B"], "roof_capacity_mwp": [100.0, 0.0], "roof_yield_gwh_per_a": [90.0, 0.0]})
    out = roof_stages(AGS, roof, params(roof_heritage_share=0.034, roof_uptake_share_2035=0.38, horizon_year=2035))
    assert out["solar_roof_technical_capacity_mwp"].tolist() == [100.0, 0.0]
    assert out["solar_roof_restricted_capacity_mwp"].tolist() == [100.0, 0.0]
    # 100 MWp x (1 - 0.034) x 0.38 = 36.708 MWp; 90 GWh x 0.966 x 0.38 = 33.0372 GWh
    assert out["solar_roof_realisable_capacity_mwp"].iloc[0] == pytest.approx(36.708)
    assert out["solar_roof_realisable_electricity_gwh_per_a"].iloc[0] == pytest.approx(33.0372)
    # 2045 uses its own uptake share: 100 x 0.966 x 0.49 = 47.334
    out = roof_stages(AGS, roof, params(horizon_year=2045, roof_uptake_share_2045=0.49))
    assert out["solar_roof_realisable_capacity_mwp"].iloc[0] == pytest.approx(47.334)


def pv_tables():
    technical = pd.DataFrame({"ags": AGS, "pv_ground_technical_area_ha": [30.0, 10.0],
                              "pv_ground_technical_capacity_mwp": [30.0, 10.0],
                              "pv_ground_technical_yield_gwh_per_a": [30.0, 10.0]})
    restricted = pd.DataFrame({"ags": AGS, "pv_ground_area_ha": [10.0, 2.8], "pv_ground_capacity_mwp": [10.0, 2.8],
                               "pv_ground_yield_gwh_per_a": [10.0, 2.8]})
    areas = pd.DataFrame({
        "ags": ["A", "B", "B"], "site_id": [1, 1, 2],
        "area_ha": [10.0, 2.0, 0.8], "capacity_mwp": [10.0, 2.0, 0.8], "yield_mwh_per_a": [10_000.0, 2_000.0, 800.0],
        "wind_overlap_ha": [4.0, 0.0, 0.0],
        "categories": ["pvfvo_less_favoured"] * 3})
    return technical, restricted, areas


def test_pv_ground_realisable_wind_first_plant_size_farmland_and_pace():
    technical, restricted, areas = pv_tables()
    p = params(pv_ground_min_plant_mwp=1.0, pv_ground_max_farmland_share=0.02, pv_ground_state_cap_mwp_per_a=180.0,
               horizon_year=2035, base_year=2025)
    # pace: 180 MWp/a x (region / Saxony = 1/600) x 10 years = 3 MWp for the county
    region_ha = p.state_area_ha / 600.0
    out = pv_ground_stages(AGS, technical, restricted, areas, np.array([200.0, 1000.0]), region_ha, p)
    # wind first: area 1 keeps 10 - 4 = 6 ha (6 MWp, 6 GWh); site 1 = 6 + 2 = 8 MWp >= 1 MWp kept;
    # site 2 = 0.8 MWp < 1 MWp dropped. A: 6 ha, B: 2 ha.
    # farmland: A at most 0.02 x 200 = 4 ha (scale 4/6), B at most 0.02 x 1000 = 20 ha (keeps 2 ha)
    # -> A 4 MWp, B 2 MWp = 6 MWp; the pace allows 3 MWp -> half of each: A 2 MWp, B 1 MWp
    assert out["pv_ground_realisable_capacity_mwp"].tolist() == pytest.approx([2.0, 1.0])
    assert out["pv_ground_realisable_area_ha"].tolist() == pytest.approx([2.0, 1.0])
    assert out["pv_ground_realisable_electricity_gwh_per_a"].tolist() == pytest.approx([2.0, 1.0])
    assert out["pv_ground_restricted_capacity_mwp"].tolist() == [10.0, 2.8]
    assert out["pv_ground_technical_capacity_mwp"].tolist() == [30.0, 10.0]
    # a larger county: 180 x 1/100 x 10 = 18 MWp >= 6 MWp, the pace does not bind: A 4, B 2
    out = pv_ground_stages(AGS, technical, restricted, areas, np.array([200.0, 1000.0]), p.state_area_ha / 100, p)
    assert out["pv_ground_realisable_capacity_mwp"].tolist() == pytest.approx([4.0, 2.0])


def test_pv_ground_pvfvo_cap_binds_only_land_of_the_pvfvo_category_alone():
    technical, restricted, areas = pv_tables()
    # B's sites lie in the EEG corridor too: the PVFVO cap does not bind them
    areas["categories"] = ["pvfvo_less_favoured", "eeg_2023_corridor,pvfvo_less_favoured", "eeg_2023_corridor"]
    p = params(pv_ground_min_plant_mwp=1.0, pv_ground_max_farmland_share=0.02, pv_ground_state_cap_mwp_per_a=180.0,
               horizon_year=2035, base_year=2025)
    region_ha = p.state_area_ha / 600.0
    # after wind first, plant size and farmland (as above): A 4 MWp (PVFVO only), B 2 MWp (corridor)
    # PVFVO pace 180 x 1/600 x 10 = 3 MWp -> A 3; tender pace 9,900 x (region / Germany) x 10
    # = 9,900 x 1,844,989 / 600 / 35,759,600 x 10 = 8.51 MWp, 5.51 left -> B keeps its 2
    out = pv_ground_stages(AGS, technical, restricted, areas, np.array([200.0, 1000.0]), region_ha, p)
    assert out["pv_ground_realisable_capacity_mwp"].tolist() == pytest.approx([3.0, 2.0])
    assert out["pv_ground_realisable_area_ha"].tolist() == pytest.approx([3.0, 2.0])
    # the tender binds all land: Germany = 2 x Saxony, 480 MWp/a -> 480 / 1,200 x 10 = 4 MWp;
    # PVFVO land first takes 3, the corridor gets the 1 left (half of B)
    p = p.model_copy(update={"germany_area_ha": 2 * p.state_area_ha, "pv_ground_tender_mwp_per_a": 480.0})
    out = pv_ground_stages(AGS, technical, restricted, areas, np.array([200.0, 1000.0]), region_ha, p)
    assert out["pv_ground_realisable_capacity_mwp"].tolist() == pytest.approx([3.0, 1.0])
    assert out["pv_ground_realisable_electricity_gwh_per_a"].tolist() == pytest.approx([3.0, 1.0])


def wind_tables():
    technical = pd.DataFrame({"ags": AGS, "wind_technical_area_ha": [300.0, 100.0],
                              "wind_technical_turbines": [5, 3], "wind_technical_capacity_mw": [21.0, 12.6],
                              "wind_technical_yield_gwh_per_a": [50.0, 30.0]})
    restricted = pd.DataFrame({"ags": AGS, "wind_area_ha": [60.0, 40.0], "wind_capacity_mw": [8.4, 8.4],
                               "wind_yield_gwh_per_a": [20.0, 20.0]})
    # park 1 = areas 1 (in A) and 2 (in B): 3 turbines; park 2 = area 3 (in B): 1 turbine
    areas = pd.DataFrame({"area_id": [1, 2, 3], "park_id": [1, 1, 2]})
    turbines = pd.DataFrame({"turbine_id": [1, 2, 3, 4], "ags": ["A", "A", "B", "B"], "area_id": [1, 1, 2, 3],
                             "capacity_mw": [4.2] * 4, "yield_mwh_per_a": [10_000.0] * 4})
    return technical, restricted, turbines, areas


def test_wind_realisable_counts_whole_parks_only_and_the_build_rate():
    technical, restricted, turbines, areas = wind_tables()
    out = wind_stages(AGS, technical, restricted, turbines, areas, params(wind_min_turbines_per_park=3))
    # parks of >= 3: park 1 only -> A 2 x 4.2 = 8.4 MW, 20 GWh; B 1 x 4.2 = 4.2 MW, 10 GWh (the
    # lone turbine of park 2 is left out); 15 turbines/a x 10 years = 150 >= 3: the rate does not bind
    assert out["wind_realisable_capacity_mw"].tolist() == pytest.approx([8.4, 4.2])
    assert out["wind_realisable_electricity_gwh_per_a"].tolist() == pytest.approx([20.0, 10.0])
    # 0.15 turbines/a x 10 years = 1.5 of the 3 whole-park turbines: half in every municipality
    out = wind_stages(AGS, technical, restricted, turbines, areas,
                      params(wind_min_turbines_per_park=3, wind_build_turbines_per_a=5.0).model_copy(
                          update={"wind_build_turbines_per_a": 0.15}))
    assert out["wind_realisable_capacity_mw"].tolist() == pytest.approx([4.2, 2.1])
    assert out["wind_restricted_capacity_mw"].tolist() == [8.4, 8.4]


def test_biomass_realisable_is_primary_energy_minus_what_existing_plants_burn():
    totals = pd.DataFrame({"ags": AGS, "biomass_primary_energy_mwh_per_a_p50": [1000.0, 1000.0],
                           "biomass_existing_electricity_mwh_per_a_p50": [195.0, 780.0]})
    out = biomass_stages(AGS, totals, params(biomass_existing_electrical_efficiency=0.39))
    # A: 1000 MWh - 195 / 0.39 = 1000 - 500 = 500 MWh = 0.5 GWh; B: 780 / 0.39 = 2000 > 1000 -> 0
    assert out["biomass_realisable_primary_energy_gwh_per_a"].tolist() == pytest.approx([0.5, 0.0])
    assert out["biomass_technical_primary_energy_gwh_per_a"].tolist() == pytest.approx([1.0, 1.0])
    assert not any("electricity" in c or "heat" in c for c in out.columns)  # primary energy only


def test_cascade_table_is_monotone_for_every_municipality_and_technology():
    p = params()
    pv = pv_tables()
    wind = wind_tables()
    table = cascade_table(AGS, [
        roof_stages(AGS, pd.DataFrame({"ags": AGS, "roof_capacity_mwp": [100.0, 3.0],
                                       "roof_yield_gwh_per_a": [90.0, 2.7]}), p),
        pv_ground_stages(AGS, *pv, np.array([200.0, 1000.0]), p.state_area_ha / 600.0, p),
        wind_stages(AGS, *wind, p),
        biomass_stages(AGS, pd.DataFrame({"ags": AGS, "biomass_primary_energy_mwh_per_a_p50": [1000.0, 10.0],
                                          "biomass_existing_electricity_mwh_per_a_p50": [195.0, 0.0]}), p),
    ], p)
    assert table["ags"].tolist() == AGS and table["horizon_year"].tolist() == [2035, 2035]
    for column in table.columns:
        if "_realisable_" in column:
            restricted = table[column.replace("_realisable_", "_restricted_")]
            technical = table[column.replace("_realisable_", "_technical_")]
            assert (table[column] <= restricted + 1e-9).all(), column
            assert (restricted <= technical + 1e-9).all(), column


# ------------------------------------------------------------------------------ parameters: one line each

@pytest.mark.parametrize(("update", "needles"), [
    ({"pv_ground_max_farmland_share": 0.5}, ("pv_ground_max_farmland_share = 0.5", "[0.01, 0.03]")),
    ({"wind_build_turbines_per_a": 100.0}, ("wind_build_turbines_per_a = 100.0", "[5.0, 30.0]")),
    ({"horizon_year": 2040}, ("horizon_year = 2040", "2030, 2035, 2045")),
    ({"wind_build_rate": 3.0}, ("wind_build_rate", "unknown key", "wind_build_turbines_per_a")),
    ({"roof_uptake_share_2030": 0.34, "roof_uptake_share_2035": 0.30}, ("roof_uptake_share_2030 <= _2035",)),
])
def test_a_bad_realisable_parameter_is_one_line_naming_it_and_what_is_allowed(update, needles):
    with pytest.raises(ConfigError) as err:
        params(**update)
    message = str(err.value)
    assert "\n" not in message
    assert "{'" not in message  # names the value, never dumps the whole section
    for needle in needles:
        assert needle in message, (needle, message)


def test_a_parameter_without_source_or_range_is_refused():
    s = section()
    del s["sources"]["wind_build_turbines_per_a"]
    with pytest.raises(ConfigError, match="sources.wind_build_turbines_per_a is missing"):
        load_cascade_params(s)
    s = section()
    del s["ranges"]["roof_heritage_share"]
    with pytest.raises(ConfigError, match=r"ranges.roof_heritage_share is missing"):
        load_cascade_params(s)
    s = section()
    s["ranges"]["roof_shading_share"] = [0.0, 0.1, 0.2]
    with pytest.raises(ConfigError, match="ranges.roof_shading_share: unknown parameter"):
        load_cascade_params(s)


# ------------------------------------------------------------------------------ invariants

BASE = params()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(AGS), st.integers(1, 4), st.floats(0.0, 50.0), st.floats(0.0, 1.0),
                          st.floats(900.0, 1100.0)), min_size=0, max_size=12),
       st.floats(0.0, 5000.0), st.floats(1.0, 1e6), st.floats(0.0, 0.03), st.floats(0.75, 1.0))
def test_open_field_pv_realisable_never_exceeds_restricted(rows, farmland, region_ha, share, min_plant):
    # areas (ags, site, ha, share also wind-eligible, kWh/kWp) at 1 MWp/ha; restricted = their sum per AGS
    p = BASE.model_copy(update={"pv_ground_max_farmland_share": share, "pv_ground_min_plant_mwp": min_plant})
    areas = pd.DataFrame({"ags": [r[0] for r in rows], "site_id": [r[1] for r in rows],
                          "area_ha": [r[2] for r in rows], "capacity_mwp": [r[2] for r in rows],
                          "yield_mwh_per_a": [r[2] * r[4] for r in rows],
                          "wind_overlap_ha": [r[2] * r[3] for r in rows],
                          "categories": [("pvfvo_less_favoured", "eeg_2023_corridor")[r[1] % 2] for r in rows]},
                         columns=["ags", "site_id", "area_ha", "capacity_mwp", "yield_mwh_per_a", "wind_overlap_ha",
                                  "categories"])
    sums = areas.groupby("ags")[["area_ha", "capacity_mwp", "yield_mwh_per_a"]].sum().reindex(AGS).fillna(0.0)
    restricted = pd.DataFrame({"ags": AGS, "pv_ground_area_ha": sums["area_ha"].to_numpy(),
                               "pv_ground_capacity_mwp": sums["capacity_mwp"].to_numpy(),
                               "pv_ground_yield_gwh_per_a": sums["yield_mwh_per_a"].to_numpy() / 1000.0})
    technical = pd.DataFrame({"ags": AGS, "pv_ground_technical_area_ha": sums["area_ha"].to_numpy() + 1.0,
                              "pv_ground_technical_capacity_mwp": sums["capacity_mwp"].to_numpy() + 1.0,
                              "pv_ground_technical_yield_gwh_per_a": sums["yield_mwh_per_a"].to_numpy() / 1000.0 + 1})
    out = pv_ground_stages(AGS, technical, restricted, areas, np.array([farmland, farmland / 2]), region_ha, p)
    for q in ("area_ha", "capacity_mwp", "electricity_gwh_per_a"):
        realisable = out[f"pv_ground_realisable_{q}"].to_numpy()
        assert (realisable >= 0).all()
        assert (realisable <= out[f"pv_ground_restricted_{q}"].to_numpy() * (1 + 1e-9) + 1e-9).all(), q
    # never more land than the farmland share allows
    assert (out["pv_ground_realisable_area_ha"].to_numpy()
            <= share * np.array([farmland, farmland / 2]) * (1 + 1e-9) + 1e-9).all()
