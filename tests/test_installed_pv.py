"""Installed PV split into roofs and open land; the remaining roof potential never falls because of
solar parks. Hand-made tables, answers in the comments."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from potenzial.crs import ANALYSIS_CRS
from potenzial.installed_pv import BASIS_MASTR, BASIS_UFZ, installed_pv, split_installed_pv
from potenzial.solar_roof import municipality_sums

MUNIS = gpd.GeoDataFrame({"ags": ["14729001", "14729002"]},
                         geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)], crs=ANALYSIS_CRS)
# one roof of 5 MWp (5,000 kWp) in 001, nothing in 002
ROOF = pd.DataFrame({"ags": ["14729001"], "building_id": ["a"], "capacity_kwp": [5000.0],
                     "yield_kwh_per_a": [4.5e6]})


def test_split_by_hand():
    total = pd.Series({"14729001": 10.0, "14729002": 3.0, "14729003": 2.0})
    ground = pd.Series({"14729001": 4.0, "14729002": 5.0})
    out = split_installed_pv(total, ground)
    # 001: 10 − 4 = 6 on roofs; 002: parks of 5 MW exceed the 3 MW sum (postcode assignment): no roofs;
    # 003: no park: all 2 MW on roofs
    assert out["roof_installed_mw"].tolist() == pytest.approx([6.0, 0.0, 2.0])
    assert out["ground_installed_mw"].tolist() == pytest.approx([4.0, 5.0, 0.0])


def test_the_statistics_location_type_wins_over_the_plant_list():
    stats = pd.DataFrame({"ags": ["14729001"], "mastr2024_kw_pv": [10_000.0], "mastr2024_kw_pv_ground": [7_000.0]})
    out, basis = installed_pv(stats, pd.Series({"14729001": 1.0}))
    assert basis == BASIS_MASTR and out.loc["14729001", "roof_installed_mw"] == pytest.approx(3.0)  # 10 − 7 MW
    out, basis = installed_pv(stats.drop(columns="mastr2024_kw_pv_ground"), pd.Series({"14729001": 1.0}))
    assert basis == BASIS_UFZ and out.loc["14729001", "roof_installed_mw"] == pytest.approx(9.0)  # 10 − 1 MW


def test_a_solar_park_does_not_lower_the_remaining_roof_potential():
    """001 has 2 MW on roofs and an 8 MW park: MaStR 10 MW. Roofs 5 MWp − 2 MW = 3 MWp remain (the old
    figure, 5 − 10, came out as 0)."""
    split = split_installed_pv(pd.Series({"14729001": 10.0, "14729002": 0.0}), pd.Series({"14729001": 8.0}))
    sums = municipality_sums(ROOF, MUNIS, split["roof_installed_mw"]).set_index("ags")
    assert sums.loc["14729001", "roof_installed_mw"] == pytest.approx(2.0)
    assert sums.loc["14729001", "roof_remaining_mwp"] == pytest.approx(3.0)
    assert sums.loc["14729002", "roof_remaining_mwp"] == 0.0


@settings(max_examples=60, deadline=None)
@given(roof_mw=st.floats(0, 20), parks_mw=st.lists(st.floats(0, 500), max_size=4))
def test_remaining_roof_potential_never_falls_with_more_ground_pv(roof_mw, parks_mw):
    """Adding solar parks (to the MaStR sum and to the plant list alike) leaves the roof figure alone."""
    def remaining(parks: list[float]) -> float:
        ground = sum(parks)
        split = split_installed_pv(pd.Series({"14729001": roof_mw + ground}), pd.Series({"14729001": ground}))
        sums = municipality_sums(ROOF, MUNIS.iloc[:1], split["roof_installed_mw"])
        return float(sums["roof_remaining_mwp"].iloc[0])

    without = remaining([])
    assert without == pytest.approx(max(5.0 - roof_mw, 0.0))
    for n in range(1, len(parks_mw) + 1):
        assert remaining(parks_mw[:n]) == pytest.approx(without, abs=1e-9)
