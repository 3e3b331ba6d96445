"""The roof potential kernel (potenzial.solar_roof.potential) on a hand-made yield table.

The lookup has one cell and grid nodes exactly at the orientations the planes use, so no value
is interpolated: plane-of-array irradiation [kWh/m²·a] is 1,000 at the best orientation (35°,
south), and the specific yield is 0.85 kWh/kWp per kWh/m² of it. Every expected number below is
share × area × 0.20 kWp/m² and the table's values, worked out by hand.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.irradiation import YieldLookup
from potenzial.solar_roof import BuildingReport, RoofParams, assess_planes, assign_municipality, municipality_sums
from potenzial.solar_roof.potential import suitability_class

P = RoofParams()  # shares 0.7 pitched / 0.5 flat, 0.20 kWp/m², minimum 10 / 25 m², flat up to 10°
TILTS = np.array([0.0, 10.0, 15.0, 35.0, 60.0])
AZIMUTHS = np.array([0.0, 90.0, 180.0, 270.0, 360.0])
#: poa [kWh/m²·a] by tilt (rows) and azimuth (columns: N, E, S, W, N)
POA = np.array([
    [880.0, 880.0, 880.0, 880.0, 880.0],
    [820.0, 870.0, 930.0, 860.0, 820.0],
    [800.0, 860.0, 950.0, 850.0, 800.0],
    [600.0, 850.0, 1000.0, 750.0, 600.0],
    [450.0, 780.0, 900.0, 700.0, 450.0],
])
YIELD_PER_POA = 0.85  #: kWh/kWp per kWh/m²


def lookup() -> YieldLookup:
    return YieldLookup(cell_x_m=np.array([0.0]), cell_y_m=np.array([0.0]), cell_ghi_kwh_per_m2=np.array([1000.0]),
                       tilts_deg=TILTS, azimuths_deg=AZIMUTHS, specific_yield_kwh_per_kwp=YIELD_PER_POA * POA[None],
                       poa_kwh_per_m2=POA[None])


def planes(rows, shading=None) -> gpd.GeoDataFrame:
    """Planes from (building_id, tilt, azimuth, area) tuples; every plane a 1 m square at x = its index."""
    frame = pd.DataFrame(rows, columns=["building_id", "tilt_deg", "azimuth_deg", "plane_area_m2"])
    frame["method"] = "lod2"
    if shading is not None:
        frame["shading_factor"] = shading
    geoms = [shapely.box(10 * k, 0, 10 * k + 1, 1) for k in range(len(frame))]
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=ANALYSIS_CRS)


def assess(rows, params=P, shading=None, ags=None):
    p = planes(rows, shading)
    ags = ags if ags is not None else pd.Series(dict.fromkeys(p["building_id"], "14729001"))
    return assess_planes(p, ags, lookup(), params)


# ------------------------------------------------------------------------------ one plane by hand

def test_a_pitched_south_plane_by_hand():
    """35° south, 100 m²: 70 m² modules, 14 kWp, 850 kWh/kWp, 11,900 kWh/a, relative 1 (very good)."""
    out = assess([("a", 35.0, 180.0, 100.0)])
    row = out.iloc[0]
    assert row["usable_area_m2"] == pytest.approx(70.0)
    assert row["capacity_kwp"] == pytest.approx(14.0)
    assert row["specific_yield_kwh_per_kwp"] == pytest.approx(850.0)
    assert row["yield_kwh_per_a"] == pytest.approx(11_900.0)
    assert row["relative_irradiation"] == pytest.approx(1.0)
    assert row["shading_factor"] == 1.0 and row["suitability"] == "very_good"


def test_a_flat_plane_carries_modules_at_15_degrees_south_whatever_its_azimuth():
    """Tilt 10° (≤ the flat limit) facing north: modules at 15° south on half the area (poa 950);
    tilt 15° facing east is pitched: its own orientation (poa 860) on 70 % of the area."""
    out = assess([("a", 10.0, 0.0, 100.0), ("b", 15.0, 90.0, 100.0)])
    assert out["usable_area_m2"].tolist() == pytest.approx([50.0, 70.0])
    assert out["capacity_kwp"].tolist() == pytest.approx([10.0, 14.0])
    assert out["relative_irradiation"].tolist() == pytest.approx([0.95, 0.86])
    assert out["specific_yield_kwh_per_kwp"].tolist() == pytest.approx([807.5, 731.0])
    assert out["yield_kwh_per_a"].tolist() == pytest.approx([8075.0, 10_234.0])
    assert out["suitability"].tolist() == ["very_good", "good"]
    # the output keeps the roof's own tilt and azimuth, not the modules'
    assert out["tilt_deg"].tolist() == [10.0, 15.0] and out["azimuth_deg"].tolist() == [0.0, 90.0]


def test_the_flat_limit_and_module_orientation_are_parameters():
    """With flat roofs up to 15° and flat modules at 35° facing west (poa 750), the 15° east plane is
    flat: 50 m² at relative 0.75 (suitable)."""
    params = P.model_copy(update={"flat_max_tilt_deg": 15.0, "flat_module_tilt_deg": 35.0,
                                  "flat_module_azimuth_deg": 270.0})
    out = assess([("b", 15.0, 90.0, 100.0)], params)
    assert out["usable_area_m2"].tolist() == pytest.approx([50.0])
    assert out["relative_irradiation"].tolist() == pytest.approx([0.75])
    assert out["suitability"].tolist() == ["suitable"]


def test_shading_scales_specific_yield_and_relative_irradiation_and_can_change_the_class():
    """35° south shaded to 0.85: 722.5 kWh/kWp, relative 0.85 (good); to 0.6: unsuitable, not counted."""
    out = assess([("a", 35.0, 180.0, 100.0), ("b", 35.0, 180.0, 100.0)], shading=[0.85, 0.6])
    assert out["specific_yield_kwh_per_kwp"].tolist() == pytest.approx([722.5, 510.0])
    assert out["relative_irradiation"].tolist() == pytest.approx([0.85, 0.6])
    assert out["shading_factor"].tolist() == [0.85, 0.6]
    assert out["suitability"].tolist() == ["good", "unsuitable"]
    assert out["capacity_kwp"].tolist() == pytest.approx([14.0, 0.0])
    assert out["yield_kwh_per_a"].tolist() == pytest.approx([14.0 * 722.5, 0.0])


def test_unsuitable_planes_count_when_asked():
    """60° north (poa 450, relative 0.45): zero by default, 14 kWp × 382.5 kWh/kWp when counted."""
    rows = [("n", 60.0, 0.0, 100.0)]
    assert assess(rows)["capacity_kwp"].tolist() == [0.0]
    counted = assess(rows, P.model_copy(update={"count_unsuitable": True}))
    assert counted["usable_area_m2"].tolist() == pytest.approx([70.0])
    assert counted["yield_kwh_per_a"].tolist() == pytest.approx([14.0 * 382.5])
    assert counted["suitability"].tolist() == ["unsuitable"]


def test_minimum_module_areas_are_inclusive():
    """Pitched share 0.5 so that 20 m² give exactly the 10 m² minimum (kept) and 19.9 m² give 9.95 (zero);
    flat: 50 m² give exactly 25 m² (kept), 49.8 m² give 24.9 m² (zero)."""
    params = P.model_copy(update={"usable_share_pitched": 0.5})
    out = assess([("a", 35.0, 180.0, 20.0), ("b", 35.0, 180.0, 19.9), ("c", 0.0, 180.0, 50.0),
                  ("d", 0.0, 180.0, 49.8)], params)
    assert out["usable_area_m2"].tolist() == pytest.approx([10.0, 0.0, 25.0, 0.0])
    assert out["capacity_kwp"].tolist() == pytest.approx([2.0, 0.0, 5.0, 0.0])


def test_shares_density_and_minimums_are_read_from_the_parameters():
    params = P.model_copy(update={"usable_share_pitched": 0.6, "usable_share_flat": 0.4,
                                  "module_power_density_kwp_per_m2": 0.25, "min_module_area_pitched_m2": 61.0,
                                  "min_module_area_flat_m2": 39.0})
    out = assess([("a", 35.0, 180.0, 100.0), ("b", 0.0, 180.0, 100.0), ("c", 35.0, 180.0, 200.0),
                  ("d", 0.0, 180.0, 90.0)], params)
    # a: 60 < 61 -> 0; b: 40 >= 39 -> 40 m², 10 kWp; c: 120 m², 30 kWp; d: 36 < 39 -> 0
    assert out["usable_area_m2"].tolist() == pytest.approx([0.0, 40.0, 120.0, 0.0])
    assert out["capacity_kwp"].tolist() == pytest.approx([0.0, 10.0, 30.0, 0.0])


# ------------------------------------------------------------------------------ the output frame

def test_planes_are_numbered_per_building_and_get_their_buildings_ags():
    out = assess([("a", 35.0, 180.0, 100.0), ("b", 35.0, 90.0, 100.0), ("a", 35.0, 270.0, 100.0)],
                 ags=pd.Series({"a": "14729001", "b": "14729002"}))
    assert out["building_id"].tolist() == ["a", "b", "a"]
    assert out["plane_no"].tolist() == [1, 1, 2]
    assert out["ags"].tolist() == ["14729001", "14729002", "14729001"]
    assert out["method"].tolist() == ["lod2"] * 3
    assert out["plane_area_m2"].tolist() == [100.0] * 3
    assert list(out.columns) == ["building_id", "plane_no", "ags", "method", "tilt_deg", "azimuth_deg",
                                 "plane_area_m2", "usable_area_m2", "capacity_kwp", "yield_kwh_per_a",
                                 "specific_yield_kwh_per_kwp", "relative_irradiation", "shading_factor",
                                 "suitability", "listed", "geometry"]
    assert out.crs == ANALYSIS_CRS
    assert out.geometry.tolist() == planes([("a", 0, 0, 0)] * 3).geometry.tolist()


def test_whole_numbers_in_the_input_come_out_as_float_columns():
    """Tilt, azimuth, area and shading given as integers (as read from a CSV): the output columns are floats."""
    p = planes([("a", 35, 180, 100)], shading=[1])
    p = p.astype({"tilt_deg": "int64", "azimuth_deg": "int64", "plane_area_m2": "int64", "shading_factor": "int64"})
    out = assess_planes(p, pd.Series({"a": "14729001"}), lookup(), P)
    for column in ("tilt_deg", "azimuth_deg", "plane_area_m2", "shading_factor", "usable_area_m2", "capacity_kwp"):
        assert out[column].dtype == np.float64, column
    assert out["capacity_kwp"].tolist() == pytest.approx([14.0])


def test_planes_without_a_shading_column_are_unshaded():
    p = planes([("a", 35.0, 180.0, 100.0), ("b", 35.0, 90.0, 100.0)])
    assert "shading_factor" not in p.columns
    out = assess_planes(p, pd.Series({"a": "14729001", "b": "14729001"}), lookup(), P)
    assert out["shading_factor"].tolist() == [1.0, 1.0]
    assert out["specific_yield_kwh_per_kwp"].tolist() == pytest.approx([850.0, 722.5])


def test_suitability_class_reads_its_thresholds_from_the_parameters():
    params = P.model_copy(update={"very_good_min_relative": 0.95, "good_min_relative": 0.6,
                                  "suitable_min_relative": 0.5})
    got = suitability_class(np.array([1.0, 0.95, 0.94, 0.6, 0.59, 0.5, 0.49]), params)
    assert got.tolist() == ["very_good", "very_good", "good", "good", "suitable", "suitable", "unsuitable"]
    assert got.dtype == object


def test_a_missing_relative_irradiation_is_unsuitable():
    """None or NaN (e.g. no irradiation at all at a place) compares as unsuitable, not as an error."""
    assert suitability_class([None, float("nan"), 0.95], P).tolist() == ["unsuitable", "unsuitable", "very_good"]


# ------------------------------------------------------------------------------ municipalities

MUNIS = gpd.GeoDataFrame({"ags": ["14729001", "14729002", "14729003"]},
                         geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100),
                                   shapely.box(200, 0, 300, 100)], crs=ANALYSIS_CRS)


def test_buildings_take_the_municipality_of_their_representative_point():
    """a lies in 001; b straddles 001/002 with most of it (and its point) in 002; c lies outside."""
    buildings = gpd.GeoDataFrame({"building_id": ["a", "b", "c"], "storeys": [1, 2, 3]},
                                 geometry=[shapely.box(10, 10, 20, 20), shapely.box(95, 10, 135, 20),
                                           shapely.box(400, 10, 410, 20)], crs=ANALYSIS_CRS)
    report = BuildingReport()
    out = assign_municipality(buildings, MUNIS, report)
    assert out["building_id"].tolist() == ["a", "b"]
    assert out["ags"].tolist() == ["14729001", "14729002"]
    assert out["storeys"].tolist() == [1, 2]
    assert report.counts == {"buildings_outside_region_skipped": 1}
    assert report.notes["buildings_outside_region_skipped"] == "representative point in no municipality"


@pytest.mark.xfail(strict=True, reason="assign_municipality joins with predicate='within': a representative point "
                   "exactly on a border between two municipalities lies within neither, so the building is dropped "
                   "from the region instead of being counted once")
def test_a_building_centred_on_a_municipal_border_is_counted_once():
    """A 20 m × 10 m house from x = 90 to 110 m: its representative point (100, 15) is on the border."""
    buildings = gpd.GeoDataFrame({"building_id": ["a"]}, geometry=[shapely.box(90, 10, 110, 20)], crs=ANALYSIS_CRS)
    report = BuildingReport()
    out = assign_municipality(buildings, MUNIS, report)
    assert len(out) == 1 and out["ags"].iloc[0] in ("14729001", "14729002")
    assert report.counts == {"buildings_outside_region_skipped": 0}


def test_overlapping_municipalities_give_a_building_once():
    overlapping = gpd.GeoDataFrame({"ags": ["14729001", "14729009"]},
                                   geometry=[shapely.box(0, 0, 100, 100), shapely.box(0, 0, 50, 50)],
                                   crs=ANALYSIS_CRS)
    buildings = gpd.GeoDataFrame({"building_id": ["a"]}, geometry=[shapely.box(10, 10, 20, 20)], crs=ANALYSIS_CRS)
    report = BuildingReport()
    out = assign_municipality(buildings, overlapping, report)
    assert len(out) == 1 and out["ags"].iloc[0] in ("14729001", "14729009")
    assert report.counts == {"buildings_outside_region_skipped": 0}


def test_municipality_sums_by_hand():
    """001: a (14 kWp + 0 kWp plane) and b (10 kWp): 24 kWp = 0.024 MWp, 11,900 + 8,075 kWh/a; 002: only
    a zero plane (one building, none suitable); 003: nothing. Installed 0.03 MW in 001 is more than the
    potential (remaining 0), 0.001 MW in 002, and an AGS outside the list is ignored."""
    roof = assess([("a", 35.0, 180.0, 100.0), ("a", 60.0, 0.0, 100.0), ("b", 10.0, 0.0, 100.0),
                   ("c", 60.0, 0.0, 100.0)], ags=pd.Series({"a": "14729001", "b": "14729001", "c": "14729002"}))
    installed = pd.Series({"14729001": 0.03, "14729002": 0.001, "14729999": 5.0})
    sums = municipality_sums(roof, MUNIS, installed)
    assert sums["ags"].tolist() == ["14729001", "14729002", "14729003"]
    assert sums["roof_buildings"].tolist() == [2, 1, 0]
    assert sums["roof_suitable_buildings"].tolist() == [2, 0, 0]
    assert sums["roof_capacity_mwp"].tolist() == pytest.approx([0.024, 0.0, 0.0])
    assert sums["roof_yield_gwh_per_a"].tolist() == pytest.approx([0.019975, 0.0, 0.0])
    assert sums["roof_installed_mw"].tolist() == pytest.approx([0.03, 0.001, 0.0])
    assert sums["roof_remaining_mwp"].tolist() == pytest.approx([0.0, 0.0, 0.0])
    assert sums["roof_buildings"].dtype == np.int64 and sums["roof_suitable_buildings"].dtype == np.int64
    assert list(sums.columns) == ["ags", "roof_buildings", "roof_suitable_buildings", "roof_capacity_mwp",
                                  "roof_yield_gwh_per_a", "roof_installed_mw", "roof_remaining_mwp",
                                  "roof_listed_buildings"]


def test_a_building_counts_as_suitable_from_any_capacity_above_zero():
    """Sums over a plain table: 0.5 kWp is a suitable building, 0 kWp is not; installed MW given as whole
    numbers for every municipality still come out as float megawatts."""
    roof = pd.DataFrame({"ags": ["14729001", "14729001", "14729002"], "building_id": ["a", "b", "c"],
                         "capacity_kwp": [0.5, 0.0, 2.0], "yield_kwh_per_a": [450.0, 0.0, 1800.0]})
    sums = municipality_sums(roof, MUNIS, pd.Series({"14729001": 0, "14729002": 1, "14729003": 0}))
    assert sums["roof_buildings"].tolist() == [2, 1, 0]
    assert sums["roof_suitable_buildings"].tolist() == [1, 1, 0]
    assert sums["roof_capacity_mwp"].tolist() == pytest.approx([0.0005, 0.002, 0.0])
    assert sums["roof_installed_mw"].dtype == np.float64 and sums["roof_installed_mw"].tolist() == [0.0, 1.0, 0.0]


def test_remaining_potential_is_capacity_minus_installed():
    roof = assess([("a", 35.0, 180.0, 100.0)], ags=pd.Series({"a": "14729002"}))
    sums = municipality_sums(roof, MUNIS, pd.Series({"14729002": 0.004})).set_index("ags")
    assert sums.loc["14729002", "roof_remaining_mwp"] == pytest.approx(0.010)
    assert sums.loc["14729001", "roof_remaining_mwp"] == 0.0
