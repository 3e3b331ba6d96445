"""What-if scenarios on the fast path: the histograms and joint masks on hand-made rasters, the
scenario's one-line errors, and monotonicity (hypothesis) of every area, turbine count and yield.
Every expected value is worked out by hand in the comment beside it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from potenzial.errors import ParameterError
from potenzial.scenarios import BandTable, ScenarioLimits, parse_scenario, setback_histograms
from potenzial.scenarios.evaluate import AreaTarget, ScenarioBasis, evaluate_scenario
from potenzial.scenarios.use import UseBasis

CELL_M2 = 100.0  #: 10 m cells
HA_PER_CELL = CELL_M2 / 10_000.0


def one_row_table(exempt: np.ndarray | None = None) -> BandTable:
    """One row of 10 cells, distances 5, 15, …, 95 m, all in municipality 1; criterion 'forest' hits the
    two farthest cells (85, 95 m), criterion 'lsg' none; cell 3 is hit by another rule (not free)."""
    distance = (np.arange(10, dtype=np.float32) * 10 + 5)[None, :]
    free = np.ones((1, 10), dtype=bool)
    free[0, 3] = False
    forest = np.zeros((1, 10), dtype=bool)
    forest[0, 8:] = True
    lsg = np.zeros((1, 10), dtype=bool)
    zones = np.ones((1, 10), dtype=np.uint8)
    thr = np.array([0.0, 25.0, 50.0, 75.0, 100.0])
    restricted = setback_histograms(distance, free, [forest, lsg], zones, 1, thr, exempt)
    technical = setback_histograms(distance, np.ones((1, 10), dtype=bool), [], zones, 1, thr, exempt)
    return BandTable.from_counts(["14729001"], ["forest", "lsg"], thr, restricted, technical, CELL_M2)


def test_histogram_gives_the_cells_outside_each_setback():
    table = one_row_table()
    # setback 50 m, forest off: free cells farther than 50 m: 55, 65, 75, 85, 95 -> 5 cells
    assert table.eligible_ha(50.0, []) == pytest.approx([5 * HA_PER_CELL])
    # forest on removes 85 and 95 -> 3 cells
    assert table.eligible_ha(50.0, ["forest"]) == pytest.approx([3 * HA_PER_CELL])
    # lsg hits nothing
    assert table.eligible_ha(50.0, ["lsg"]) == pytest.approx([5 * HA_PER_CELL])
    # 25 m: 35 (cell 3 is not free, 35 is cell 3) -> 45, 55, …, 95 = 6 cells
    assert table.eligible_ha(25.0, []) == pytest.approx([6 * HA_PER_CELL])
    # 60 m lies 0.4 of the way from 50 m (5 cells) to 75 m (85, 95 -> 2 cells): 5·0.6 + 2·0.4 = 3.8 cells
    assert table.eligible_ha(60.0, []) == pytest.approx([3.8 * HA_PER_CELL])
    # technical stage: every cell free, no criteria; 50 m -> 5 cells
    assert table.eligible_ha(50.0, [], stage="technical") == pytest.approx([5 * HA_PER_CELL])


def test_exempt_cells_count_at_every_setback():
    exempt = np.zeros((1, 10), dtype=bool)
    exempt[0, 0] = True  # the 5 m cell lies in a designated wind area: the setback does not apply there
    table = one_row_table(exempt)
    # 100 m: no cell is farther, but the exempt one counts -> 1 cell
    assert table.eligible_ha(100.0, []) == pytest.approx([1 * HA_PER_CELL])


def test_band_table_survives_its_frame():
    table = one_row_table()
    back = BandTable.from_frame(table.to_frame(), ["14729001"], ["forest", "lsg"])
    for s in (0.0, 30.0, 50.0, 99.0):
        for on in ([], ["forest"], ["forest", "lsg"]):
            assert back.eligible_ha(s, on) == pytest.approx(table.eligible_ha(s, on))
        assert back.eligible_ha(s, [], "technical") == pytest.approx(table.eligible_ha(s, [], "technical"))


LIMITS = ScenarioLimits(setback_range_m=(0.0, 100.0), run_setback_m=50.0, criteria={"forest": True, "lsg": False},
                        pv_density_range_mwp_per_ha=(0.4, 1.3), run_pv_density_mwp_per_ha=1.0)


def test_parse_fills_in_the_run_and_refuses_mistakes():
    s = parse_scenario({"residential_setback_m": 80}, LIMITS)
    assert (s.residential_setback_m, s.switches, s.pv_ground_power_density_mwp_per_ha) == \
        (80.0, {"forest": True, "lsg": False}, 1.0)
    with pytest.raises(ParameterError, match=r"'residential_setbak_m' is unknown\. Did you mean 'resi"):
        parse_scenario({"residential_setbak_m": 800}, LIMITS)
    with pytest.raises(ParameterError, match=r"'forrest' is unknown\. Did you mean 'forest'"):
        parse_scenario({"switches": {"forrest": False}}, LIMITS)
    with pytest.raises(ParameterError, match=r"residential_setback_m = 150 m lies outside the allowed range 0–100 m"):
        parse_scenario({"residential_setback_m": 150}, LIMITS)
    with pytest.raises(ParameterError, match=r"pv_ground_power_density_mwp_per_ha = 2 MWp/ha lies outside .*0\.4–1\.3"):
        parse_scenario({"pv_ground_power_density_mwp_per_ha": 2}, LIMITS)
    with pytest.raises(ParameterError, match="give true"):
        parse_scenario({"switches": {"lsg": "yes"}}, LIMITS)


def hand_basis() -> ScenarioBasis:
    """The one-row table; the run (50 m, forest on: 3 cells = 0.03 ha eligible) kept 0.03 ha after the
    filters and placed 3 turbines of 4 MW and 10 GWh/a each."""
    run = pd.DataFrame({
        "municipality_area_ha": [1.0], "wind_area_ha": [0.03], "wind_turbines": [3.0], "wind_capacity_mw": [12.0],
        "wind_yield_gwh_per_a": [30.0], "wind_technical_area_ha": [0.05], "wind_technical_turbines": [5.0],
        "wind_technical_capacity_mw": [20.0], "wind_technical_yield_gwh_per_a": [50.0],
        "wind_whole_park_turbines": [3.0], "pv_ground_area_ha": [10.0], "pv_ground_capacity_mwp": [10.0],
        "pv_ground_yield_gwh_per_a": [9.0], "pv_ground_wind_overlap_ha": [0.0],
        "pv_ground_capacity_wind_first_mwp": [10.0], "pv_ground_yield_wind_first_gwh_per_a": [9.0],
        **{f"pv_ground_{s}_{q}": [v] for s in ("technical", "restricted", "realisable")
           for q, v in (("area_ha", 10.0), ("capacity_mwp", 10.0), ("electricity_gwh_per_a", 9.0))},
    }, index=pd.Index(["14729001"], name="ags"))
    return ScenarioBasis(bands=one_row_table(), limits=LIMITS, run=run, build_turbines=float("inf"),
                         targets=(AreaTarget("windbg_2032", "WindBG 2032", 2.0, 2032, True),))


def test_evaluate_on_hand_made_run():
    basis = hand_basis()
    r = evaluate_scenario(basis, parse_scenario({"residential_setback_m": 25, "switches": {"forest": False}}, LIMITS))
    m = r.municipalities.iloc[0]
    # 25 m, forest off: 6 cells = 0.06 ha; the run's 3 turbines on 0.03 ha -> 100 per ha -> 6 turbines,
    # 4 MW and 10 GWh/a each -> 24 MW, 60 GWh/a; area after the filters: ratio 0.03/0.03 = 1 -> 0.06 ha
    assert (m.wind_eligible_ha, m.wind_turbines_estimated, m.wind_capacity_mw, m.wind_yield_gwh_per_a) == \
        pytest.approx((0.06, 6.0, 24.0, 60.0))
    # 2 % of 1 ha = 0.02 ha target by 2032 -> gap 0.02 - 0.06 = -0.04 (surplus)
    assert m.wind_area_gap_2032_ha == pytest.approx(-0.04)
    # technical: 25 m, all 10 cells free: 35 excluded? no: cells > 25 m: 35…95 = 7 cells; the run's 5 technical
    # turbines on 0.05 ha (50 m technical: 5 cells) -> 100 per ha -> 7 turbines, 4 MW -> 28 MW
    assert m.wind_technical_capacity_mw == pytest.approx(28.0)
    # PV at 1.3 MWp/ha: 10 MWp -> 13 MWp, 9 GWh/a -> 11.7 GWh/a; areas unchanged
    r = evaluate_scenario(basis, parse_scenario({"pv_ground_power_density_mwp_per_ha": 1.3}, LIMITS))
    m = r.municipalities.iloc[0]
    assert (m.pv_ground_capacity_mwp, m.pv_ground_yield_gwh_per_a, m.pv_ground_area_ha) == \
        pytest.approx((13.0, 11.7, 10.0))
    # the run's own scenario gives the run's figures back
    m = evaluate_scenario(basis, parse_scenario({}, LIMITS)).municipalities.iloc[0]
    assert (m.wind_area_ha, m.wind_turbines_estimated, m.wind_yield_gwh_per_a) == pytest.approx((0.03, 3.0, 30.0))


def test_pv_wind_first_is_the_run_s_own_scaled_by_the_land_pv_keeps():
    basis = hand_basis()
    # the run: 2 of its 10 ha of PV land are wind land too; PV keeps 8 ha with 7.5 MWp and 6 GWh/a (better land
    # than the share 8/10 of 10 MWp and 9 GWh/a would say)
    run = basis.run.assign(pv_ground_wind_overlap_ha=2.0, pv_ground_capacity_wind_first_mwp=7.5,
                           pv_ground_yield_wind_first_gwh_per_a=6.0)
    basis = ScenarioBasis(bands=basis.bands, limits=basis.limits, run=run, targets=basis.targets,
                          build_turbines=basis.build_turbines)
    m = evaluate_scenario(basis, parse_scenario({}, LIMITS)).municipalities.iloc[0]
    assert (m.pv_ground_capacity_wind_first_mwp, m.pv_ground_yield_wind_first_gwh_per_a) == pytest.approx((7.5, 6.0))
    # 25 m, forest off: wind area 0.03 -> 0.06 ha, the shared land 2 -> 4 ha, PV keeps 6 of the run's 8 ha
    m = evaluate_scenario(basis, parse_scenario({"residential_setback_m": 25, "switches": {"forest": False}},
                                                LIMITS)).municipalities.iloc[0]
    assert (m.pv_ground_wind_overlap_ha, m.pv_ground_area_wind_first_ha) == pytest.approx((4.0, 6.0))
    assert (m.pv_ground_capacity_wind_first_mwp, m.pv_ground_yield_wind_first_gwh_per_a) == \
        pytest.approx((7.5 * 6 / 8, 6.0 * 6 / 8))


MONOTONE = ("wind_eligible_ha", "wind_area_ha", "wind_turbines_estimated", "wind_capacity_mw", "wind_yield_gwh_per_a",
            "wind_technical_area_ha", "wind_technical_capacity_mw", "wind_technical_electricity_gwh_per_a",
            "wind_restricted_area_ha", "wind_restricted_capacity_mw", "wind_restricted_electricity_gwh_per_a",
            "pv_ground_area_ha", "pv_ground_capacity_mwp", "pv_ground_yield_gwh_per_a")


def random_basis(seed: int, n: int = 4) -> ScenarioBasis:
    """Random rasters (seeded) of n municipalities: distances, other rules, two criteria; a random run."""
    rng = np.random.default_rng(seed)
    shape = (20, 30)
    distance = rng.uniform(0, 120, shape).astype(np.float32)
    zones = rng.integers(0, n + 1, shape).astype(np.uint8)
    free = rng.random(shape) > 0.3
    hits = [rng.random(shape) > 0.6, rng.random(shape) > 0.8]
    thr = np.arange(0.0, 101.0, 10.0)
    table = BandTable.from_counts([f"1472900{i}" for i in range(n)], ["forest", "lsg"], thr,
                                  setback_histograms(distance, free, hits, zones, n, thr),
                                  setback_histograms(distance, free | (rng.random(shape) > 0.5), [], zones, n, thr),
                                  CELL_M2)
    turbines = rng.integers(0, 4, n).astype(float)
    run = pd.DataFrame({
        "municipality_area_ha": rng.uniform(1, 2, n), "wind_area_ha": turbines * 0.01, "wind_turbines": turbines,
        "wind_capacity_mw": turbines * 4.2, "wind_yield_gwh_per_a": turbines * rng.uniform(8, 12, n),
        "wind_technical_area_ha": turbines * 0.02, "wind_technical_turbines": turbines * 2,
        "wind_technical_capacity_mw": turbines * 8.4, "wind_technical_yield_gwh_per_a": turbines * 20,
        "wind_whole_park_turbines": np.floor(turbines / 2), "pv_ground_area_ha": rng.uniform(0, 5, n),
        "pv_ground_capacity_mwp": rng.uniform(0, 5, n), "pv_ground_yield_gwh_per_a": rng.uniform(0, 5, n),
        "pv_ground_wind_overlap_ha": np.zeros(n),
        **{f"pv_ground_{c}_wind_first_{u}": np.zeros(n) for c, u in (("capacity", "mwp"), ("yield", "gwh_per_a"))},
        **{f"pv_ground_{s}_{q}": rng.uniform(0, 5, n) for s in ("technical", "restricted", "realisable")
           for q in ("area_ha", "capacity_mwp", "electricity_gwh_per_a")},
    }, index=pd.Index(list(table.ags), name="ags"))
    return ScenarioBasis(bands=table, limits=ScenarioLimits((0.0, 100.0), 50.0, {"forest": True, "lsg": False},
                                                            (0.4, 1.3), 1.0),
                         run=run, targets=(), build_turbines=3.0)


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), s1=st.floats(0, 100), s2=st.floats(0, 100),
       forest=st.booleans(), lsg=st.booleans(), added=st.sampled_from(["forest", "lsg", None]))
def test_a_larger_setback_or_an_added_exclusion_never_gives_more(seed, s1, s2, forest, lsg, added):
    basis = random_basis(seed)
    small, large = sorted((s1, s2))
    switches = {"forest": forest, "lsg": lsg}
    stricter = {**switches, **({added: True} if added else {})}
    loose = evaluate_scenario(basis, parse_scenario({"residential_setback_m": small, "switches": switches},
                                                    basis.limits))
    strict = evaluate_scenario(basis, parse_scenario({"residential_setback_m": large, "switches": stricter},
                                                     basis.limits))
    for column in MONOTONE:
        a = loose.municipalities[column].to_numpy()
        b = strict.municipalities[column].to_numpy()
        assert np.all(b <= a + 1e-9), (column, a, b)
    # the realisable stage shares a county build cap out: its county capacity never grows (its energy may,
    # when the cap binds and the turbines it allows move to windier municipalities)
    assert strict.county["wind_realisable_capacity_mw"] <= loose.county["wind_realisable_capacity_mw"] + 1e-9


WITH_USE = dataclasses.replace(LIMITS, run_heat_pump_share_pct=40.0, run_ev_share_pct=35.0, horizon_year=2035)


def test_the_shares_default_to_the_run_and_refuse_mistakes():
    s = parse_scenario({}, WITH_USE)
    assert (s.heat_pump_share_pct, s.ev_share_pct) == (40.0, 35.0)
    assert parse_scenario({"heat_pump_share_pct": 0, "ev_share_pct": 100}, WITH_USE).ev_share_pct == 100.0
    with pytest.raises(ParameterError, match=r"heat_pump_share_pct = 150 % lies outside the allowed range 0–100 %"):
        parse_scenario({"heat_pump_share_pct": 150}, WITH_USE)
    with pytest.raises(ParameterError, match=r"ev_share_pct = -5 % lies outside the allowed range 0–100 %"):
        parse_scenario({"ev_share_pct": -5}, WITH_USE)
    with pytest.raises(ParameterError, match=r"'ev_shares_pct' is unknown\. Did you mean 'ev_share_pct'"):
        parse_scenario({"ev_shares_pct": 50}, WITH_USE)
    with pytest.raises(ParameterError, match="give a number in %"):
        parse_scenario({"heat_pump_share_pct": "viel"}, WITH_USE)
    # a run without electricity add-ons: the shares stay empty, and asking for one says why
    assert parse_scenario({}, LIMITS).heat_pump_share_pct is None
    with pytest.raises(ParameterError, match="this run has no electricity add-ons"):
        parse_scenario({"ev_share_pct": 50}, LIMITS)


def hand_use() -> UseBasis:
    """Today's use 10,000 MWh_el; 2,000 MWh_el if every home had a heat pump (8,000 MWh_th / SPF 4); 5,000 MWh_el
    if every car were electric; roof PV and biomass give 9,000 MWh_el; the run's shares 40 % and 35 %."""
    return UseBasis(horizon_year=2035, use_mwh=np.array([10_000.0]), heat_pump_all_mwh=np.array([2_000.0]),
                    ev_all_mwh=np.array([5_000.0]), unchanged_potential_mwh=np.array([9_000.0]),
                    heat_pump_share_pct=40.0, ev_share_pct=35.0)


def test_use_and_coverage_of_a_scenario_by_hand():
    basis = dataclasses.replace(hand_basis(), limits=WITH_USE, use=hand_use())
    r = evaluate_scenario(basis, parse_scenario({"heat_pump_share_pct": 50, "ev_share_pct": 20}, WITH_USE))
    m = r.municipalities.iloc[0]
    # heat pumps 50 % of 2,000 = 1,000; cars 20 % of 5,000 = 1,000 → use 10,000 + 2,000 = 12,000 MWh_el
    assert (m.heat_pump_electricity_mwh_el_per_a, m.ev_electricity_mwh_el_per_a) == pytest.approx((1_000.0, 1_000.0))
    assert m.electricity_use_with_add_ons_mwh_el_per_a == pytest.approx(12_000.0)
    # realisable: 9,000 + open-field PV 9 GWh + wind: 3 turbines in whole parks, no cap, 10 GWh each = 30 GWh
    # → 48,000 MWh_el; coverage 48,000 / 12,000 = 400 %
    assert m.electricity_potential_mwh_el_per_a == pytest.approx(48_000.0)
    assert m.electricity_coverage_with_add_ons_pct == pytest.approx(400.0)
    assert r.county["electricity_coverage_with_add_ons_pct"] == pytest.approx(400.0)
    # the run's shares: 40 % of 2,000 = 800, 35 % of 5,000 = 1,750 → 12,550; PV at 1.3 MWp/ha: 11.7 GWh
    # → 9,000 + 11,700 + 30,000 = 50,700 MWh_el
    m = evaluate_scenario(basis, parse_scenario({"pv_ground_power_density_mwp_per_ha": 1.3}, WITH_USE)
                          ).municipalities.iloc[0]
    assert m.electricity_use_with_add_ons_mwh_el_per_a == pytest.approx(12_550.0)
    assert m.electricity_potential_mwh_el_per_a == pytest.approx(50_700.0)
    # without a use basis the figures are empty, not zero
    assert np.isnan(evaluate_scenario(hand_basis(), parse_scenario({}, LIMITS)).county[
        "electricity_use_with_add_ons_mwh_el_per_a"])


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), hp=st.tuples(st.floats(0, 100), st.floats(0, 100)),
       ev=st.tuples(st.floats(0, 100), st.floats(0, 100)), setback=st.floats(0, 100))
def test_a_larger_share_never_lowers_the_use(seed, hp, ev, setback):
    basis = random_basis(seed)
    rng = np.random.default_rng(seed)
    n = len(basis.bands.ags)
    use = UseBasis(horizon_year=2035, use_mwh=rng.uniform(0, 1e5, n), heat_pump_all_mwh=rng.uniform(0, 1e4, n),
                   ev_all_mwh=rng.uniform(0, 1e4, n), unchanged_potential_mwh=rng.uniform(0, 1e5, n),
                   heat_pump_share_pct=30.0, ev_share_pct=30.0)
    limits = dataclasses.replace(basis.limits, run_heat_pump_share_pct=30.0, run_ev_share_pct=30.0,
                                 horizon_year=2035)
    basis = dataclasses.replace(basis, limits=limits, use=use)
    answers = [evaluate_scenario(basis, parse_scenario({"residential_setback_m": setback, "heat_pump_share_pct": h,
                                                        "ev_share_pct": e}, limits))
               for h, e in ((min(hp), min(ev)), (max(hp), max(ev)))]
    less, more = (a.municipalities for a in answers)
    column = "electricity_use_with_add_ons_mwh_el_per_a"
    assert np.all(more[column].to_numpy() >= less[column].to_numpy() - 1e-9)
    assert np.all(less[column].to_numpy() >= use.use_mwh - 1e-9)
    # the same setback: the same realisable electricity, so the coverage never rises with the use
    assert more["electricity_potential_mwh_el_per_a"].to_numpy() == pytest.approx(
        less["electricity_potential_mwh_el_per_a"].to_numpy())
    covered = less["electricity_coverage_with_add_ons_pct"].notna().to_numpy()
    assert np.all(more["electricity_coverage_with_add_ons_pct"].to_numpy()[covered] <=
                  less["electricity_coverage_with_add_ons_pct"].to_numpy()[covered] + 1e-9)
    assert answers[1].county[column] >= answers[0].county[column] - 1e-6


def test_cli_scenario_evaluate_fails_in_one_line(tmp_path):
    """An empty store and a broken file: one line that says what to do, no traceback."""
    import os
    import subprocess
    import sys

    bad = tmp_path / "bad.toml"
    bad.write_text("residential_setback_m = 800\n[switches\n", encoding="utf-8")
    env_store = str(tmp_path / "store")
    done = subprocess.run([sys.executable, "-m", "potenzial.cli.main", "scenario", "evaluate", str(bad), "--store",
                           env_store], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "POTENZIAL_DATA_DIR": str(tmp_path)})
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() + done.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), lines


def test_precedence_is_one_of_two_and_defaults_to_the_run_s():
    assert parse_scenario({}, LIMITS).precedence == "wind_first"
    assert parse_scenario({"precedence": "pv_first"}, LIMITS).precedence == "pv_first"
    with pytest.raises(ParameterError, match="precedence = 'solar'.*wind_first, pv_first"):
        parse_scenario({"precedence": "solar"}, LIMITS)
    with pytest.raises(ParameterError, match="Did you mean 'precedence'"):
        parse_scenario({"precedance": "pv_first"}, LIMITS)
