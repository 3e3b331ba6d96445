"""Biomass potential (issue 6): hand-checked chains on a tiny hand-made region, invariants,
bad input, and both stores.

The tiny region: two 1 km × 1 km municipalities side by side (100 ha each).
- A (14729010): arable 40 ha, grassland 20 ha, forest 20 ha, settlement 20 ha (bands south to north);
- B (14729020): arable 80 ha, settlement 20 ha (no forest, no grassland polygon).
"""

from __future__ import annotations

import copy
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from potenzial.biomass import (
    FEEDSTOCK_IDS,
    REQUIRED_FACTORS,
    Factor,
    biomass_potential,
    load_biomass_params,
    sample_factors,
)
from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import ConfigError, InputDataError
from potenzial.params import load_params
from potenzial.runs import RunRecord
from potenzial.settings import PROJECT_ROOT
from potenzial.store.base import RunResult, conform
from tests.support.biomass_checks import check_quantiles_and_sums

PARAMS_DIR = PROJECT_ROOT / "layers" / "params" / "default"
A, B = "14729010", "14729020"
X0, Y0 = 320_000.0, 5_680_000.0


# -- the tiny region ---------------------------------------------------------------------------

def box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def municipalities() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"ags": [A, B], "name": ["Aberg", "Bedorf"]},
                            geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)], crs=ANALYSIS_CRS)


def landcover() -> gpd.GeoDataFrame:
    rows = [
        ("arable", box(0, 0, 1000, 400)), ("grassland", box(0, 400, 1000, 600)),
        ("forest", box(0, 600, 1000, 800)), ("settlement", box(0, 800, 1000, 1000)),
        # B: arable in two polygons, one reaching 100 m into A's settlement band (cut off there)
        ("arable", box(1000, 0, 2000, 500)), ("arable", box(1000, 500, 2000, 800)),
        ("settlement", box(1000, 800, 2000, 1000)),
        ("water", box(1500, 0, 1600, 800)),  # overlaps arable: ignored by biomass
    ]
    return gpd.GeoDataFrame({"class": [r[0] for r in rows]}, geometry=[r[1] for r in rows], crs=ANALYSIS_CRS)


def statistics(**changes) -> pd.DataFrame:
    frame = pd.DataFrame({
        "ags": ["14729000", A, B],
        "name": ["Kreis", "Aberg", "Bedorf"],
        "population_2021": [1500, 1000, 500],
        "area_ha_veg_agri": [140.0, 60.0, 80.0],
        "area_ha_veg_forrest": [20.0, 20.0, 0.0],
        "area_ha_veg_wood": [2.0, 2.0, 0.0],
        "mastr2021_kw_biomass": [500.0, 0.0, 500.0],
        "mastr2024_kw_biomass": [575.0, 75.0, 500.0],
    })
    for key, value in changes.items():
        column, ags = key.rsplit("__", 1)
        frame.loc[frame["ags"] == {"A": A, "B": B}[ags], column] = value
    return frame


def livestock_state() -> pd.DataFrame:
    return pd.DataFrame({"ags": ["14000000", "DG000000"], "region": ["Sachsen", "Deutschland"],
                         "cows": [171_898, 3_820_342], "cattle": [271_799, 7_024_661],
                         "pigs": [609_300, 23_763_340], "poultry": [5_473_622, 162_141_206],
                         "other_animals": [97_176, 2_410_302], "farms": [6410, 259_251]})


def plants() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"Power_kW": [500.0, 75.0, 999.0], "Source": ["biogas", "biogas", "biogas"]},
                            geometry=[shapely.Point(X0 + 100, Y0 + 100), shapely.Point(X0 + 500, Y0 + 900),
                                      shapely.Point(X0 + 5000, Y0 + 500)],  # the last one is outside
                            crs=ANALYSIS_CRS)


def default_section() -> dict:
    return copy.deepcopy(dict(load_params(PARAMS_DIR).section("biomass")))


def params(n_samples: int = 2000, seed: int | None = None, **factor_changes):
    section = default_section()
    section["n_samples"] = n_samples
    if seed is not None:
        section["seed"] = seed
    for name, spec in factor_changes.items():
        section["factors"][name] = spec
    return load_biomass_params(section)


def fixed_params():
    """Every factor fixed at its central value: the chains become hand-checkable."""
    section = default_section()
    for name, spec in section["factors"].items():
        if spec.get("dist", "triangular") == "triangular":
            section["factors"][name] = {"dist": "fixed", "value": spec["central"], "unit": spec["unit"],
                                        "source": spec["source"]}
    section["n_samples"] = 100
    return load_biomass_params(section)


def run(p=None, stats=None, local=None, cover=None):
    return biomass_potential(municipalities(), statistics() if stats is None else stats,
                             landcover() if cover is None else cover, livestock_state(),
                             params() if p is None else p, plants=plants(), livestock_local=local)


def row(table: pd.DataFrame, ags: str, feedstock: str) -> pd.Series:
    return table.set_index(["ags", "feedstock"]).loc[(ags, feedstock)]


# -- hand-checked chains -------------------------------------------------------------------------

def test_fixed_factors_give_the_hand_computed_chains():
    res = run(fixed_params())
    t = res.biomass
    # forest: 20 ha × 1.5 m³/ha·a = 30 m³; × 2.3 MWh/m³ = 69 MWh
    forest = row(t, A, "forest_wood")
    assert forest["amount_m3_per_a"] == pytest.approx(30.0)
    assert forest["primary_energy_mwh_per_a_p50"] == pytest.approx(69.0)
    assert math.isnan(forest["amount_t_per_a"])
    # landscape wood: 2 ha × 1.0 × 2.3 = 4.6 MWh
    assert row(t, A, "landscape_wood")["primary_energy_mwh_per_a_p50"] == pytest.approx(4.6)
    # arable share of A from land cover: 40 / (40 + 20); arable = 60 ha × 2/3 = 40 ha, grassland 20 ha
    # straw: 40 ha × 0.5 × 6 t/ha × 0.25 = 30 t; × 4 MWh/t = 120 MWh; CHP 22 % el, 60 % heat
    straw = row(t, A, "straw")
    assert straw["land_area_ha"] == pytest.approx(40.0)
    assert straw["amount_t_per_a"] == pytest.approx(30.0)
    assert straw["primary_energy_mwh_per_a_p50"] == pytest.approx(120.0)
    assert straw["electricity_mwh_per_a_p50"] == pytest.approx(26.4)  # 120 MWh × 0.22
    assert straw["heat_mwh_per_a_p50"] == pytest.approx(72.0)  # 120 MWh × 0.60
    # energy crops: 40 ha × 0.10 × 42 t = 168 t FM; × 0.31 = 52.08 t oDM; × 357 m³ CH₄/t oDM = 18,592.56 m³;
    # × 9.97 kWh/m³ = 185,367.8232 kWh = 185.3678232 MWh; biogas CHP: × 0.39 = 72.293451 MWh el,
    # × 0.44 = 81.561842 MWh heat
    crops = row(t, A, "energy_crops")
    assert crops["amount_t_per_a"] == pytest.approx(168.0)
    assert crops["methane_m3_per_a_p50"] == pytest.approx(18_592.56)
    assert crops["primary_energy_mwh_per_a_p50"] == pytest.approx(185.3678232)
    assert crops["electricity_mwh_per_a_p50"] == pytest.approx(72.293451048)
    assert crops["heat_mwh_per_a_p50"] == pytest.approx(81.561842208)
    # grassland: 20 ha × 0.2 × 20 t = 80 t FM; × 0.31 = 24.8 t oDM; × 300 = 7,440 m³ CH₄; × 9.97 = 74.1768 MWh
    grass = row(t, A, "grassland")
    assert grass["amount_t_per_a"] == pytest.approx(80.0)
    assert grass["methane_m3_per_a_p50"] == pytest.approx(7_440.0)
    assert grass["primary_energy_mwh_per_a_p50"] == pytest.approx(74.1768)
    # B has no grassland polygon: all of its 80 ha agricultural area is arable
    assert row(t, B, "grassland")["primary_energy_mwh_per_a_p50"] == 0.0
    assert row(t, B, "straw")["land_area_ha"] == pytest.approx(80.0)
    # waste: 1000 persons × 77 kg = 77 t; bio bin 59 % = 45.43 t, green 41 % = 31.57 t
    bio, green = row(t, A, "biowaste"), row(t, A, "green_waste")
    assert bio["amount_t_per_a"] == pytest.approx(45.43)
    assert green["amount_t_per_a"] == pytest.approx(31.57)
    # biowaste: 45.43 t × 0.25 oDM = 11.3575 t oDM × 300 m³/t = 3,407.25 m³ CH₄; × 9.97 kWh/m³ = 33.9702825 MWh
    assert bio["methane_m3_per_a_p50"] == pytest.approx(3_407.25)
    assert bio["primary_energy_mwh_per_a_p50"] == pytest.approx(33.9702825)
    # green waste: 31.57 t × 0.35 woody = 11.0495 t × 2.5 MWh/t = 27.62375 MWh; no methane (burnt)
    assert green["primary_energy_mwh_per_a_p50"] == pytest.approx(27.62375)
    assert math.isnan(green["methane_m3_per_a_p50"])


def test_manure_scales_the_saxon_herd_by_agricultural_area():
    t = run(fixed_params()).biomass
    # A has 60 ha of Saxony's 993,778 ha farmland: share 6.0375657e-5 of the state herd.
    # group          state heads  -> heads in A  × t/head·a (× collectable)  -> t FM   × oDM × m³ CH₄/t oDM -> m³ CH₄
    # dairy cows       171,898    ->  10.37845   × 20.5 × 0.8                 -> 170.2067 × 0.07 × 230 -> 2,740.327
    # other cattle     271,799    ->  16.41004   × 8.0 × 0.8                  -> 105.0243 × 0.07 × 230 -> 1,690.891
    # pigs             609,300    ->  36.78689   × 1.5                        ->  55.1803 × 0.05 × 300 ->   827.705
    # poultry        5,473,622    -> 330.47353   × 0.025                      ->   8.2618 × 0.30 × 220 ->   545.281
    # other animals     97,176    ->   5.86706   × 2.0 × 0.5                  ->   5.8671 × 0.20 × 200 ->   234.683
    # sum                                                                        344.5402 t          6,038.887 m³
    manure = row(t, A, "manure")
    assert manure["amount_t_per_a"] == pytest.approx(344.5402, rel=1e-6)
    assert manure["methane_m3_per_a_p50"] == pytest.approx(6_038.887, rel=1e-6)
    assert manure["primary_energy_mwh_per_a_p50"] == pytest.approx(60.20770, rel=1e-6)  # × 9.97 kWh/m³
    assert manure["basis"] == "livestock_state scaled by area_ha_veg_agri"
    assert manure["land_area_ha"] == 60.0


def test_a_local_livestock_count_replaces_the_scaled_state_herd():
    local = pd.DataFrame({"ags": [A], "cows": [100], "cattle": [0], "pigs": [0], "poultry": [0],
                          "other_animals": [0]})
    t = run(fixed_params(), local=local).biomass
    manure = row(t, A, "manure")
    assert manure["basis"] == "livestock_local"
    assert manure["amount_t_per_a"] == pytest.approx(1_640.0)  # 100 cows × 20.5 t × 0.8 collectable
    # B has no row in the local table: it keeps the scaled state herd
    assert row(t, B, "manure")["basis"].startswith("livestock_state")
    # a table with only some groups: the others stay scaled
    partial = pd.DataFrame({"ags": [A], "cows": [100]})
    manure = row(run(fixed_params(), local=partial).biomass, A, "manure")
    assert manure["basis"] == ("livestock_local (cows) + livestock_state scaled by area_ha_veg_agri "
                               "(cattle, pigs, poultry, other_animals)")


def test_existing_plants_and_mastr_sums_stand_beside_the_potential():
    totals = run(fixed_params()).totals.set_index("ags")
    assert totals.loc[A, "biomass_plants_2015_count"] == 2
    assert totals.loc[A, "biomass_plants_2015_kw"] == 575.0
    assert totals.loc[B, "biomass_plants_2015_count"] == 0  # the third plant lies outside both
    assert totals.loc[B, "biomass_mastr2024_kw"] == 500.0
    # 500 kW × 6,500 h/a = 3,250,000 kWh = 3,250 MWh
    assert totals.loc[B, "biomass_existing_electricity_mwh_per_a_p50"] == pytest.approx(3_250.0)


def test_map_spreads_each_feedstock_over_its_landcover_polygons():
    res = run(fixed_params())
    m = res.map.set_index(["ags", "feedstock"])
    assert m.loc[(A, "forest_wood"), "landcover_classes"] == "forest"
    assert m.loc[(A, "forest_wood"), "area_ha"] == pytest.approx(20.0)
    assert m.loc[(A, "forest_wood")].geometry.equals(box(0, 600, 1000, 800))
    assert m.loc[(A, "forest_wood"), "primary_energy_mwh_per_ha_a_p50"] == pytest.approx(3.45)  # 69 MWh / 20 ha
    assert m.loc[(A, "manure"), "landcover_classes"] == "arable,grassland"
    assert m.loc[(A, "manure")].geometry.equals(box(0, 0, 1000, 600))
    # B: arable polygons dissolved and cut to B (80 ha), no forest -> the municipality stands in
    assert m.loc[(B, "straw"), "area_ha"] == pytest.approx(80.0)
    assert m.loc[(B, "forest_wood"), "landcover_classes"] == "municipality"
    assert m.loc[(B, "forest_wood"), "area_ha"] == pytest.approx(100.0)
    # the map carries the full amount of the table, row for row
    table = res.biomass.set_index(["ags", "feedstock"])
    assert np.allclose(m["primary_energy_mwh_per_a_p50"], table.loc[m.index, "primary_energy_mwh_per_a_p50"])
    assert m.crs == ANALYSIS_CRS and (m.geometry.geom_type == "MultiPolygon").all()
    assert m.geometry.is_valid.all()


def test_totals_per_municipality_and_region_add_the_hand_computed_chains():
    """Fixed factors: every sample is the same, so P10 = P50 = P90 = mean = the hand-computed value."""
    res = run(fixed_params())
    # B: 80 ha farmland, all arable (no grassland polygon), 500 persons, no forest
    # straw 80 × 0.5 × 6 × 0.25 = 60 t × 4 = 240 MWh; energy crops 80 × 0.1 × 42 = 336 t × 0.31 × 357
    # = 37,185.12 m³ CH₄ × 9.97 = 370.735646 MWh; manure 80/60 of A's: 6,038.887 × 4/3 = 8,051.849 m³
    # = 80.276937 MWh; biowaste 500 × 77 kg × 0.59 = 22.715 t × 0.25 × 300 = 1,703.625 m³ = 16.985141 MWh;
    # green waste 38.5 t × 0.41 × 0.35 × 2.5 = 13.811875 MWh
    t = res.biomass
    assert row(t, B, "straw")["primary_energy_mwh_per_a_p50"] == pytest.approx(240.0)
    assert row(t, B, "energy_crops")["methane_m3_per_a_p50"] == pytest.approx(37_185.12)
    assert row(t, B, "manure")["primary_energy_mwh_per_a_p50"] == pytest.approx(80.276937, rel=1e-6)
    assert row(t, B, "biowaste")["primary_energy_mwh_per_a_p50"] == pytest.approx(16.985141, rel=1e-6)
    assert row(t, B, "green_waste")["primary_energy_mwh_per_a_p50"] == pytest.approx(13.811875)
    # A: solid 69 + 4.6 + 120 + 27.62375 = 221.22375 MWh; biogas 185.3678232 + 74.1768 + 60.2077028
    # + 33.9702825 = 353.7226085 MWh; total 574.9463585 MWh; electricity 221.22375 × 0.22 + 353.7226085 × 0.39
    # = 48.669225 + 137.951817 = 186.621042 MWh; heat 221.22375 × 0.60 + 353.7226085 × 0.44 = 132.73425
    # + 155.637948 = 288.372198 MWh
    # B: solid 240 + 13.811875 = 253.811875; biogas 370.7356464 + 80.2769371 + 16.9851413 = 467.9977248;
    # total 721.8096 MWh; electricity 55.838613 + 182.519113 = 238.357725 MWh
    totals = res.totals.set_index("ags")
    for col in ("p10", "p50", "p90", "mean"):
        assert totals.loc[A, f"biomass_primary_energy_mwh_per_a_{col}"] == pytest.approx(574.9463585, rel=1e-8)
        assert totals.loc[B, f"biomass_primary_energy_mwh_per_a_{col}"] == pytest.approx(721.8096, rel=1e-7)
    assert totals.loc[A, "biomass_electricity_mwh_per_a_p50"] == pytest.approx(186.621042, rel=1e-7)
    assert totals.loc[A, "biomass_heat_mwh_per_a_p50"] == pytest.approx(288.372198, rel=1e-7)
    assert totals.loc[B, "biomass_electricity_mwh_per_a_p50"] == pytest.approx(238.357725, rel=1e-7)
    assert totals.loc[B, "biomass_heat_mwh_per_a_p50"] == pytest.approx(358.206124, rel=1e-7)  # 152.287125 + 205.918999
    # region: straw 120 + 240 = 360 MWh from 30 + 60 = 90 t; forest only in A: 30 m³, 69 MWh;
    # all feedstocks 574.9463585 + 721.8096 = 1,296.755958 MWh
    region = res.region.set_index("feedstock")
    assert region.loc["straw", "amount_t_per_a"] == pytest.approx(90.0)
    assert region.loc["straw", "primary_energy_mwh_per_a_p50"] == pytest.approx(360.0)
    assert region.loc["forest_wood", "amount_m3_per_a"] == pytest.approx(30.0)
    assert region.loc["forest_wood", "primary_energy_mwh_per_a_p90"] == pytest.approx(69.0)
    assert region.loc["straw", "electricity_mwh_per_a_p50"] == pytest.approx(79.2)  # 360 × 0.22
    assert region.loc["straw", "heat_mwh_per_a_p50"] == pytest.approx(216.0)  # 360 × 0.60
    assert region.loc["total", "primary_energy_mwh_per_a_p50"] == pytest.approx(1_296.755958, rel=1e-8)
    # electricity 186.621042 + 238.357725 = 424.978767 MWh; heat 288.372198 + 358.206124 = 646.578322 MWh
    assert region.loc["total", "electricity_mwh_per_a_p50"] == pytest.approx(424.978767, rel=1e-7)
    assert region.loc["total", "heat_mwh_per_a_p50"] == pytest.approx(646.578322, rel=1e-7)
    # methane of all biogas feedstocks, A + B: 18,592.56 + 7,440 + 6,038.887 + 3,407.25 + 37,185.12 + 0
    # + 8,051.849 + 1,703.625 = 82,419.291 m³ CH₄
    assert region.loc["total", "methane_m3_per_a_p50"] == pytest.approx(82_419.291, rel=1e-7)


def test_triangular_factor_follows_its_inverse_distribution_function():
    """low 1, mode 2, high 4: F(2) = (2 - 1) / (4 - 1) = 1/3. Left of the mode x = 1 + sqrt(u · 3 · 1),
    right of it x = 4 - sqrt((1 - u) · 3 · 2): u = 0.25 -> 1 + sqrt(0.75) = 1.8660254,
    u = 0.5 (the median) -> 4 - sqrt(3) = 2.2679492."""
    factor = Factor(low=1.0, central=2.0, high=4.0, unit="t", source="test")
    u = np.array([0.0, 0.25, 1 / 3, 0.5, 1.0])
    assert factor.sample(u) == pytest.approx([1.0, 1.8660254, 2.0, 2.2679492, 4.0])
    assert factor.bounds == (1.0, 4.0)
    # a normal factor spans mean ± 3 sd, cut at 0: 5 ± 3 = (2, 8); 0.9 - 0.9 < 0 -> (0, 1.8)
    assert Factor(dist="normal", mean=5.0, sd=1.0, unit="t", source="test").bounds == (2.0, 8.0)
    assert Factor(dist="normal", mean=0.9, sd=0.3, unit="-", source="test").bounds == pytest.approx((0.0, 1.8))
    assert Factor(dist="fixed", value=9.97, unit="kWh/m³", source="test").sample(u).tolist() == [9.97] * 5


# -- invariants ------------------------------------------------------------------------------------

def _energy(res, ags, feedstock):
    r = row(res.biomass, ags, feedstock)
    return [r[c] for c in ("amount_m3_per_a", "primary_energy_mwh_per_a_p10", "primary_energy_mwh_per_a_p50",
                           "primary_energy_mwh_per_a_p90", "primary_energy_mwh_per_a_mean",
                           "electricity_mwh_per_a_p50", "heat_mwh_per_a_p50")]


def test_doubling_forest_area_doubles_forest_energy_exactly():
    base = run()
    doubled = run(stats=statistics(area_ha_veg_forrest__A=40.0))
    assert _energy(doubled, A, "forest_wood") == [2 * v for v in _energy(base, A, "forest_wood")]
    # nothing else moves
    assert _energy(doubled, B, "forest_wood") == _energy(base, B, "forest_wood")
    assert _energy(doubled, A, "landscape_wood") == _energy(base, A, "landscape_wood")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forest_ha=st.one_of(st.just(0.0), st.floats(1e-3, 1e6)), seed=st.integers(0, 2**32 - 1))
def test_doubling_forest_area_doubles_forest_energy_exactly_for_any_area_and_seed(forest_ha, seed):
    """Exact in floating point: doubling is a power-of-two scaling (areas >= 1e-3 ha keep clear of
    subnormal numbers, where doubling is not exact)."""
    p = params(n_samples=300, seed=seed)
    base = run(p, stats=statistics(area_ha_veg_forrest__A=forest_ha))
    doubled = run(p, stats=statistics(area_ha_veg_forrest__A=2 * forest_ha))
    assert _energy(doubled, A, "forest_wood") == [2 * v for v in _energy(base, A, "forest_wood")]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(agri=st.lists(st.floats(0.0, 5e4), min_size=2, max_size=2),
       forest=st.lists(st.floats(0.0, 5e4), min_size=2, max_size=2),
       population=st.lists(st.integers(0, 600_000), min_size=2, max_size=2),
       seed=st.integers(0, 2**32 - 1))
def test_quantiles_ordered_and_county_total_is_the_sum_of_municipalities(agri, forest, population, seed):
    stats = statistics(area_ha_veg_agri__A=agri[0], area_ha_veg_agri__B=agri[1],
                       area_ha_veg_forrest__A=forest[0], area_ha_veg_forrest__B=forest[1],
                       population_2021__A=population[0], population_2021__B=population[1])
    res = run(params(n_samples=400, seed=seed), stats=stats)
    check_quantiles_and_sums(res)


def test_same_seed_gives_identical_results_and_another_seed_does_not():
    first, again = run(params(seed=7)), run(params(seed=7))
    for name, frame in first.frames().items():
        pd.testing.assert_frame_equal(frame, again.frames()[name], check_exact=True)
    other = run(params(seed=8))
    assert not np.array_equal(first.biomass["primary_energy_mwh_per_a_p50"],
                              other.biomass["primary_energy_mwh_per_a_p50"])


def test_factor_draws_do_not_depend_on_other_factors():
    """Each factor's stream is seeded by its name: changing one factor leaves the others' draws alone."""
    base = run(params(seed=3))
    changed = run(params(seed=3, straw_usable_share={"low": 0.1, "central": 0.2, "high": 0.3, "unit": "-",
                                                     "source": "test"}))
    assert _energy(changed, A, "forest_wood") == _energy(base, A, "forest_wood")
    assert row(changed.biomass, A, "straw")["primary_energy_mwh_per_a_p50"] < \
        row(base.biomass, A, "straw")["primary_energy_mwh_per_a_p50"]


def test_every_municipality_has_every_feedstock():
    res = run()
    assert len(res.biomass) == 2 * len(FEEDSTOCK_IDS)
    assert set(res.biomass.groupby("ags")["feedstock"].apply(frozenset)) == {frozenset(FEEDSTOCK_IDS)}
    assert list(res.totals["ags"]) == [A, B]
    assert set(res.region["feedstock"]) == {*FEEDSTOCK_IDS, "total"}


def test_normal_factor_is_truncated_at_zero_and_one():
    p = params(n_samples=5000, straw_usable_share={"dist": "normal", "mean": 0.9, "sd": 0.3, "unit": "-",
                                                   "source": "test"})
    draws = sample_factors(p)["straw_usable_share"]
    assert draws.min() >= 0.0 and draws.max() <= 1.0
    assert 0.6 < np.median(draws) < 0.9


# -- bad input -------------------------------------------------------------------------------------

def test_municipality_missing_from_statistics_is_named():
    stats = statistics()
    stats = stats[stats["ags"] != B]
    with pytest.raises(InputDataError, match=r"statistics: no row for municipality 14729020 \(Bedorf\)"):
        run(stats=stats)


def test_negative_area_names_the_row_and_column():
    with pytest.raises(InputDataError, match=r"statistics row AGS 14729010 \(Aberg\): area_ha_veg_forrest = "
                                             r"-5\.0 is negative"):
        run(stats=statistics(area_ha_veg_forrest__A=-5.0))
    with pytest.raises(InputDataError, match=r"AGS 14729020 \(Bedorf\): population_2021 = .* is missing"):
        run(stats=statistics(population_2021__B=np.nan))


@pytest.mark.parametrize("drop", ["unit", "source"])
def test_factor_without_unit_or_source_is_named(drop):
    section = default_section()
    del section["factors"]["straw_yield_t_per_ha_a"][drop]
    with pytest.raises(ConfigError, match=rf"\[biomass.factors.straw_yield_t_per_ha_a\] lacks `{drop}`"):
        load_biomass_params(section)
    section = default_section()
    section["factors"]["wood_energy_mwh_per_m3"][drop] = "  "
    with pytest.raises(ConfigError, match=rf"wood_energy_mwh_per_m3\] lacks `{drop}`"):
        load_biomass_params(section)


@pytest.mark.parametrize(("name", "spec", "message"), [
    ("straw_usable_share", {"low": 0.3, "central": 0.2, "high": 0.4}, r"low <= central <= high"),
    ("straw_usable_share", {"low": 0.3, "central": 0.5, "high": 1.4}, r"is a share but can reach 1.4"),
    ("straw_yield_t_per_ha_a", {"low": -1.0, "central": 6.0, "high": 7.0}, r"straw_yield_t_per_ha_a\] low"),
    ("straw_yield_t_per_ha_a", {"dist": "normal", "mean": 6.0}, r"needs mean, sd; sd missing"),
    ("straw_yield_t_per_ha_a", {"dist": "lognormal", "mean": 6.0, "sd": 1.0}, r"straw_yield_t_per_ha_a\] dist"),
    ("straw_yield_t_per_ha_a", 6.0, r"is 6.0, not a table"),
])
def test_bad_factor_values_are_named(name, spec, message):
    section = default_section()
    if isinstance(spec, dict):
        spec = {**spec, "unit": "x", "source": "y"}
    section["factors"][name] = spec
    with pytest.raises(ConfigError, match=message):
        load_biomass_params(section)


def test_missing_unknown_and_misplaced_parameters_are_named():
    section = default_section()
    del section["factors"]["grass_yield_t_per_ha_a"]
    with pytest.raises(ConfigError, match=r"lacks grass_yield_t_per_ha_a"):
        load_biomass_params(section)
    section = default_section()
    section["factors"]["gras_yield_t_per_ha_a"] = {"low": 1, "central": 2, "high": 3, "unit": "t", "source": "s"}
    with pytest.raises(ConfigError, match=r"unknown factor\(s\) gras_yield_t_per_ha_a"):
        load_biomass_params(section)
    section = default_section()
    section["n_samples"] = 10
    with pytest.raises(ConfigError, match=r"\[biomass\] n_samples"):
        load_biomass_params(section)
    section = default_section()
    section["factors"]["solid_chp_heat_efficiency_share"]["high"] = 0.8
    with pytest.raises(ConfigError, match=r"electrical \+ heat efficiency can reach 1.10"):
        load_biomass_params(section)


def test_bad_livestock_tables_are_named():
    with pytest.raises(InputDataError, match=r"livestock_local row AGS 14729010: pigs = -3"):
        run(local=pd.DataFrame({"ags": [A], "pigs": [-3]}))
    with pytest.raises(InputDataError, match=r"livestock_local: AGS 14729999 are not municipalities"):
        run(local=pd.DataFrame({"ags": ["14729999"], "pigs": [3]}))
    with pytest.raises(InputDataError, match=r"livestock_local: AGS 14729010 appear more than once"):
        run(local=pd.DataFrame({"ags": [A, A], "pigs": [3, 4]}))
    section = default_section()
    section["livestock"]["state_ags"] = "15000000"
    with pytest.raises(InputDataError, match=r"livestock_state: no row for state AGS 15000000"):
        run(p=load_biomass_params(section))


def test_unknown_landcover_class_is_named():
    cover = landcover()
    cover.loc[0, "class"] = "vineyard"
    with pytest.raises(InputDataError, match=r"landcover: class values \['vineyard'\] are unknown"):
        run(cover=cover)


def test_municipality_without_polygon_area_is_named():
    munis = municipalities()
    munis.loc[1, "geometry"] = shapely.Polygon()
    with pytest.raises(InputDataError, match=r"municipalities: AGS 14729020 has no polygon area"):
        biomass_potential(munis, statistics(), landcover(), livestock_state(), fixed_params())


# -- default parameters and both stores ---------------------------------------------------------------

def test_default_parameter_file_has_every_factor_with_unit_and_source():
    section = default_section()
    assert set(section["factors"]) == set(REQUIRED_FACTORS)
    p = load_biomass_params(section)
    assert all(f.unit and f.source for f in p.factors.values())


def _record(run_id: str) -> RunRecord:
    return RunRecord(run_id=run_id, region_id="lk-leipzig", started_at="2026-11-25T08:00:00+00:00",
                     finished_at="2026-11-25T08:00:01+00:00", params_hash="0" * 64, code_version="test",
                     steps=("biomass",))


@pytest.mark.parametrize("kind", ["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def test_both_stores_read_the_results_back_identically(kind, request):
    store = request.getfixturevalue(f"{kind}_store")
    frames = run().frames()
    store.publish(RunResult(record=_record("biomass-test"), frames=frames))
    for name, frame in frames.items():
        back = store.read(name)
        expected = conform(name, frame)
        if isinstance(expected, gpd.GeoDataFrame):
            assert back.geometry.geom_equals_exact(expected.geometry, tolerance=1e-6).all()
            back, expected = pd.DataFrame(back.drop(columns="geometry")), pd.DataFrame(
                expected.drop(columns="geometry"))
        pd.testing.assert_frame_equal(back, expected, check_exact=True)
