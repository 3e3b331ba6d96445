"""Solar on roofs: hand-made buildings and planes whose right answer can be worked out by hand."""

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from affine import Affine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import CRS

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import ConfigError, CRSError, InputDataError
from potenzial.irradiation import IrradiationParams, build_lookup, typical_days
from potenzial.solar_roof import (
    BuildingReport,
    RoofParams,
    assess_planes,
    assign_municipality,
    choose_planes,
    clean_buildings,
    footprint_planes,
    municipality_sums,
    roof_params,
    suitability_class,
)
from potenzial.solar_roof.dsm import (
    dsm_planes,
    horizon_angles,
    shade_planes,
    shading_factors,
)
from potenzial.sources.dsm import SurfaceModel

P = RoofParams()
IRR = IrradiationParams()
# one CM SAF cell in the county (51.2 N, 12.4 E), monthly mean GHI [W/m²]
CELL = pd.DataFrame({"lat": [51.2], "lon": [12.4], "x": [0.0], "y": [0.0],
                     **{f"ghi_wm2_{m:02d}": [v] for m, v in
                        enumerate([29, 58, 107, 168, 200, 219, 215, 186, 136, 80, 36, 24], start=1)}})


@pytest.fixture(scope="module")
def lookup():
    return build_lookup(CELL, IRR)


def frame(ids, geoms, **columns):
    return gpd.GeoDataFrame({"building_id": ids, **columns}, geometry=list(geoms), crs=ANALYSIS_CRS)


def planes(rows):
    """Plane frame from (building_id, method, tilt, azimuth, area, geometry) tuples."""
    df = pd.DataFrame(rows, columns=["building_id", "method", "tilt_deg", "azimuth_deg", "plane_area_m2", "geometry"])
    df["shading_factor"] = 1.0
    return gpd.GeoDataFrame(df, geometry="geometry", crs=ANALYSIS_CRS)


# ----------------------------------------------------------------------------- footprint heuristic

def test_gable_roof_of_a_small_house_by_hand():
    # 20 m (east-west) x 10 m house: ridge east-west, one plane faces north, one south
    b = frame(["h"], [shapely.box(0, 0, 20, 10)], use=["residential"])
    p = footprint_planes(b, P).sort_values("azimuth_deg")
    assert list(p["method"]) == ["footprint_gable", "footprint_gable"]
    assert list(p["azimuth_deg"]) == pytest.approx([0.0, 180.0])
    assert list(p["tilt_deg"]) == [35.0, 35.0]
    assert list(p["plane_area_m2"]) == pytest.approx([100 / math.cos(math.radians(35))] * 2)
    north, south = p.geometry
    assert north.equals(shapely.box(0, 5, 20, 10)) and south.equals(shapely.box(0, 0, 20, 5))


def test_gable_planes_face_perpendicular_to_the_long_axis_of_a_rotated_house():
    house = shapely.affinity.rotate(shapely.box(0, 0, 8, 16), 30, origin=(0, 0))  # long axis 30° west of north
    p = footprint_planes(frame(["h"], [house], use=["residential"]), P)
    assert sorted(p["azimuth_deg"]) == pytest.approx([60.0, 240.0])
    assert p.geometry.area.sum() == pytest.approx(128.0)


def test_unknown_use_counts_as_residential_unless_switched_off():
    b = frame(["u"], [shapely.box(0, 0, 20, 10)], use=["unknown"])
    assert set(footprint_planes(b, P)["method"]) == {"footprint_gable"}
    strict = P.model_copy(update={"unknown_use_as_residential": False})
    assert set(footprint_planes(b, strict)["method"]) == {"footprint_flat"}


def test_large_or_non_residential_buildings_get_a_flat_roof():
    b = frame(["big", "shed"], [shapely.box(0, 0, 30, 20), shapely.box(0, 0, 10, 5)],
              use=["residential", "non_residential"])
    p = footprint_planes(b, P)
    assert list(p["method"]) == ["footprint_flat", "footprint_flat"]
    assert list(p["tilt_deg"]) == [0.0, 0.0]
    assert list(p["plane_area_m2"]) == pytest.approx([600.0, 50.0])


# ------------------------------------------------------------------ capacity, yield, suitability

def test_flat_roof_gets_the_flat_share_and_capacity_is_area_times_density(lookup):
    p = planes([("f", "footprint_flat", 0.0, 180.0, 600.0, shapely.box(0, 0, 30, 20))])
    out = assess_planes(p, pd.Series({"f": "1"}), lookup, P)
    # 600 m² x 0.5 (usable_share_flat) = 300 m² of modules x 0.20 kWp/m² = 60 kWp
    assert out["usable_area_m2"][0] == pytest.approx(300.0)
    assert out["capacity_kwp"][0] == pytest.approx(60.0)
    # kWp x kWh/kWp·a: 60 kWp of ballasted flat-roof rows near Leipzig give about 54–66 MWh/a
    # (docs/METHOD.md: rule of thumb 900–1,100 kWh/kWp)
    assert 60.0 * 900 < out["yield_kwh_per_a"][0] < 60.0 * 1100


def test_pitched_share_and_planes_under_the_minimum_area_get_zero(lookup):
    geom = shapely.box(0, 0, 1, 1)
    p = planes([
        ("a", "lod2", 35.0, 180.0, 20.0, geom),     # 14 m² modules >= 10: kept
        ("b", "lod2", 35.0, 180.0, 14.0, geom),     # 9.8 m² < 10: zero
        ("c", "lod2", 0.0, 180.0, 60.0, geom),      # flat: 30 m² >= 25: kept
        ("d", "lod2", 0.0, 180.0, 48.0, geom),      # flat: 24 m² < 25: zero
    ])
    out = assess_planes(p, pd.Series(dict.fromkeys("abcd", "1")), lookup, P)
    assert list(out["usable_area_m2"]) == pytest.approx([14.0, 0.0, 30.0, 0.0])
    assert list(out["capacity_kwp"]) == pytest.approx([2.8, 0.0, 6.0, 0.0])  # 0.20 kWp per m² of modules
    assert (out.loc[[1, 3], "yield_kwh_per_a"] == 0).all()


def test_south_beats_east_beats_north_at_the_same_tilt(lookup):
    geom = shapely.box(0, 0, 10, 10)
    p = planes([("s", "lod2", 35.0, 180.0, 100.0, geom), ("e", "lod2", 35.0, 90.0, 100.0, geom),
                ("n", "lod2", 35.0, 0.0, 100.0, geom)])
    everything = P.model_copy(update={"count_unsuitable": True})
    out = assess_planes(p, pd.Series({"s": "1", "e": "1", "n": "1"}), lookup, everything)
    south, east, north = out["specific_yield_kwh_per_kwp"]
    assert south > east > north
    assert list(out["yield_kwh_per_a"]) == sorted(out["yield_kwh_per_a"], reverse=True)
    # east at 35° gets about 80 % of the best orientation's irradiation (a border case of the classes)
    assert out["suitability"][0] == "very_good" and out["suitability"][1] in ("good", "suitable")
    assert out["suitability"][2] == "unsuitable"


def test_unsuitable_planes_are_not_counted_unless_asked(lookup):
    p = planes([("n", "lod2", 45.0, 0.0, 100.0, shapely.box(0, 0, 10, 10))])
    counted = assess_planes(p, pd.Series({"n": "1"}), lookup, P.model_copy(update={"count_unsuitable": True}))
    default = assess_planes(p, pd.Series({"n": "1"}), lookup, P)
    assert counted["suitability"][0] == default["suitability"][0] == "unsuitable"
    assert counted["capacity_kwp"][0] == pytest.approx(14.0) and default["capacity_kwp"][0] == 0.0


def test_suitability_thresholds():
    assert list(suitability_class(np.array([1.0, 0.9, 0.89, 0.8, 0.75, 0.7, 0.69]), P)) == [
        "very_good", "very_good", "good", "good", "suitable", "suitable", "unsuitable"]


def test_shading_lowers_the_yield_in_proportion(lookup):
    p = planes([("a", "lod2", 35.0, 180.0, 100.0, shapely.box(0, 0, 10, 10))] * 1)
    shaded = p.assign(shading_factor=0.5)
    free = assess_planes(p, pd.Series({"a": "1"}), lookup, P)
    half = assess_planes(shaded, pd.Series({"a": "1"}), lookup, P)
    assert half["specific_yield_kwh_per_kwp"][0] == pytest.approx(free["specific_yield_kwh_per_kwp"][0] / 2)


# ----------------------------------------------------------------------------- per municipality

MUNIS = gpd.GeoDataFrame({"ags": ["14729001", "14729002", "14729003"]},
                         geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100),
                                   shapely.box(200, 0, 300, 100)], crs=ANALYSIS_CRS)


def test_municipality_sums_by_hand(lookup):
    b = frame(["a", "b", "c", "d"],
              [shapely.box(10, 10, 30, 20), shapely.box(40, 40, 80, 70), shapely.box(110, 10, 122, 18),
               shapely.box(150, 50, 155, 54)],
              use=["residential", "non_residential", "residential", "non_residential"])
    report = BuildingReport()
    b = assign_municipality(b, MUNIS, report)
    roof = assess_planes(choose_planes(b, P), b.set_index("building_id")["ags"], lookup, P)
    installed = pd.Series({"14729001": 0.001, "14729002": 0.5})
    sums = municipality_sums(roof, MUNIS, installed).set_index("ags")
    # a: 20 m x 10 m dwelling, gable roof at 35° with the ridge east-west: the south plane is 100 m² / cos 35°
    #    = 122.08 m², x 0.7 usable = 85.45 m² of modules, x 0.20 kWp/m² = 17.09 kWp; the north plane is
    #    unsuitable (counted with zero area). b: 40 m x 30 m hall, flat: 1,200 m² x 0.5 x 0.20 = 120 kWp.
    # c: 12 m x 8 m dwelling: south plane 48 m² / cos 35° x 0.7 x 0.20 = 8.20 kWp. d: 20 m² flat -> 10 m²
    #    of modules, under the 25 m² minimum: 0.
    south_a = 100 / math.cos(math.radians(35)) * 0.7 * 0.20
    south_c = 48 / math.cos(math.radians(35)) * 0.7 * 0.20
    assert sums.loc["14729001", "roof_capacity_mwp"] == pytest.approx((south_a + 120.0) / 1000)
    assert sums.loc["14729002", "roof_capacity_mwp"] == pytest.approx(south_c / 1000)
    # yield: docs/METHOD.md's rule of thumb of 900–1,100 kWh/kWp for south roofs and flat-roof rows near Leipzig
    for ags in ("14729001", "14729002"):
        kwh_per_kwp = sums.loc[ags, "roof_yield_gwh_per_a"] * 1e6 / (sums.loc[ags, "roof_capacity_mwp"] * 1e3)
        assert 900 < kwh_per_kwp < 1100
    assert sums.loc["14729001", "roof_buildings"] == 2 and sums.loc["14729002", "roof_buildings"] == 2
    # d (20 m² flat -> 10 m² modules) is under the minimum: a building without usable plane
    assert sums.loc["14729002", "roof_suitable_buildings"] == 1
    assert sums.loc["14729003"].tolist() == [0, 0, 0.0, 0.0, 0.0, 0.0, 0]
    capacity_1 = sums.loc["14729001", "roof_capacity_mwp"]
    assert sums.loc["14729001", "roof_remaining_mwp"] == pytest.approx(capacity_1 - 0.001)
    assert sums.loc["14729002", "roof_installed_mw"] == 0.5
    assert sums.loc["14729002", "roof_remaining_mwp"] == max(sums.loc["14729002", "roof_capacity_mwp"] - 0.5, 0.0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.floats(0, 60), st.floats(0, 359.9), st.floats(1, 500)),
                min_size=1, max_size=30))
def test_sums_equal_plane_sums_for_any_planes(lookup, rows):
    geoms = [shapely.box(100 * m + 1, 1, 100 * m + 2, 2) for m, *_ in rows]
    p = planes([(f"b{i}", "lod2", t, a, area, g)
                for i, ((_, t, a, area), g) in enumerate(zip(rows, geoms, strict=True))])
    ags = pd.Series({f"b{i}": MUNIS["ags"][m] for i, (m, *_) in enumerate(rows)})
    roof = assess_planes(p, ags, lookup, P)
    sums = municipality_sums(roof, MUNIS, pd.Series(dtype=float))
    assert sums["roof_capacity_mwp"].sum() == pytest.approx(roof["capacity_kwp"].sum() / 1000)
    assert sums["roof_yield_gwh_per_a"].sum() == pytest.approx(roof["yield_kwh_per_a"].sum() / 1e6)
    # at most 0.7 of a plane carries modules (pitched; flat: 0.5), at 0.20 kWp per m² of modules
    assert (roof["capacity_kwp"] <= roof["plane_area_m2"] * 0.7 * 0.20 + 1e-9).all()
    assert (roof["usable_area_m2"] <= roof["plane_area_m2"]).all()


# ------------------------------------------------------------------------------------- bad input

def test_bad_buildings_are_repaired_or_skipped_and_counted():
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])  # self-intersecting: repairable
    spike = shapely.Polygon([(0, 0), (10, 0), (0, 0)])  # no area: nothing polygonal after repair
    b = frame(["ok", "none", "empty", "point", "bowtie", "spike", "ok"],
              [shapely.box(0, 0, 10, 10), None, shapely.Polygon(), shapely.Point(1, 1), bowtie, spike,
               shapely.box(0, 0, 5, 5)])
    report = BuildingReport()
    out = clean_buildings(b, report)
    assert list(out["building_id"]) == ["ok", "bowtie"]
    assert out.geometry.is_valid.all() and out.geometry.area.iloc[1] == pytest.approx(50.0)
    assert report.counts == {
        "buildings_read": 7, "buildings_without_geometry_skipped": 2, "buildings_not_polygon_skipped": 1,
        "buildings_invalid_repaired": 1, "buildings_invalid_skipped": 1, "buildings_duplicate_id_skipped": 1,
    }


def test_buildings_without_crs_or_in_degrees_fail_with_the_fix():
    b = gpd.GeoDataFrame({"building_id": ["a"]}, geometry=[shapely.box(12.3, 51.2, 12.31, 51.21)])
    with pytest.raises(CRSError, match="no CRS"):
        clean_buildings(b, BuildingReport())
    with pytest.raises(CRSError, match="degrees.*EPSG:25833"):
        clean_buildings(b.set_crs(4326), BuildingReport())
    with pytest.raises(InputDataError, match="building_id"):
        clean_buildings(b.set_crs(ANALYSIS_CRS).rename(columns={"building_id": "oid"}), BuildingReport())


def test_buildings_outside_the_region_are_counted():
    b = frame(["in", "out"], [shapely.box(10, 10, 20, 20), shapely.box(1000, 10, 1010, 20)])
    report = BuildingReport()
    out = assign_municipality(b, MUNIS, report)
    assert list(out["building_id"]) == ["in"] and list(out["ags"]) == ["14729001"]
    assert report.counts["buildings_outside_region_skipped"] == 1


def test_bad_parameters_name_the_value():
    with pytest.raises(ConfigError, match="usable_share_flat"):
        roof_params({"usable_share_flat": 1.5})
    with pytest.raises(ConfigError, match="thresholds"):
        roof_params({"good_min_relative": 0.95})
    with pytest.raises(ConfigError, match="unknown_key"):
        roof_params({"unknown_key": 1})


# ------------------------------------------------------------------------- method priority

def test_lod2_before_dsm_before_footprint():
    b = frame(["l", "d", "f"], [shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10), shapely.box(40, 0, 50, 10)],
              use=["residential"] * 3)
    lod2 = planes([("l", "lod2", 30.0, 180.0, 50.0, shapely.box(0, 0, 10, 5))])
    dsm = planes([("l", "dsm", 20.0, 90.0, 50.0, shapely.box(0, 0, 10, 5)),
                  ("d", "dsm", 20.0, 90.0, 50.0, shapely.box(20, 0, 30, 5))])
    out = choose_planes(b, P, lod2=lod2, dsm=dsm)
    assert out.groupby("building_id")["method"].agg(set).to_dict() == {
        "l": {"lod2"}, "d": {"dsm"}, "f": {"footprint_gable"}}
    # an empty LoD2 source (a CityGML file without roof surfaces) falls back to the next method
    out = choose_planes(b, P, lod2=planes([]), dsm=None)
    assert set(out["method"]) == {"footprint_gable"}


# ------------------------------------------------------------------------------- surface model

def gable_dsm(res=0.5, n=120):
    """Ground at 100 m; a 20 x 10 m gable house (ridge east-west at y = 2025, 35°, eaves at 106 m)
    and a flat 25 x 15 m building (109 m) north of it; the grid starts at (1000, 2000)."""
    transform = Affine(res, 0, 1000, 0, -res, 2000 + n * res)
    xs = 1000 + (np.arange(n) + 0.5) * res
    ys = 2000 + n * res - (np.arange(n) + 0.5) * res
    x, y = np.meshgrid(xs, ys)
    h = np.full((n, n), 100.0)
    house = (x > 1020) & (x < 1040) & (y > 2020) & (y < 2030)
    h[house] = 106 + (5 - np.abs(y[house] - 2025)) * math.tan(math.radians(35))
    flat = (x > 1005) & (x < 1030) & (y > 2040) & (y < 2055)
    h[flat] = 109.0
    surface = SurfaceModel(h, transform, CRS.from_epsg(25833))
    b = frame(["g", "f"], [shapely.box(1020, 2020, 1040, 2030), shapely.box(1005, 2040, 1030, 2055)])
    return surface, b


def test_dsm_planes_of_a_gable_and_a_flat_roof():
    surface, b = gable_dsm()
    p = dsm_planes(b, surface, P).sort_values(["building_id", "azimuth_deg"]).reset_index(drop=True)
    assert list(p["building_id"]) == ["f", "g", "g"] and set(p["method"]) == {"dsm"}
    assert p["tilt_deg"].tolist() == pytest.approx([0.0, 35.0, 35.0])
    assert p["azimuth_deg"].tolist()[1:] == pytest.approx([0.0, 180.0])
    assert p["plane_area_m2"].tolist() == pytest.approx([375.0] + [100 / math.cos(math.radians(35))] * 2)


def test_horizon_and_shading_from_the_surface_model():
    surface, _ = gable_dsm()
    # 5 m north of the house, eye at 100.5 m: the eaves (106 m, 5 m away) are the highest angle
    # to the south (the ridge, 109.5 m at 10 m, is lower: 42°); east is open
    horizon = horizon_angles(surface, np.array([1030.0]), np.array([2035.0]), np.array([100.5]), 8, 100.0)
    assert horizon[0, 4] == pytest.approx(math.degrees(math.atan((106 - 100.5) / 5.0)), abs=1.5)
    assert horizon[0, 4] > 40 and horizon[0, 2] == 0.0
    days = typical_days(51.2, 12.4, CELL.iloc[0, 4:].to_numpy(dtype=float), IRR)
    factors = shading_factors(days, np.array([0.0, 0.0]), np.array([180.0, 180.0]),
                              np.vstack([horizon[0], np.zeros(8)]), IRR.albedo)
    assert 0.3 < factors[0] < 0.95 and factors[1] == pytest.approx(1.0)
    # the roof planes themselves stand free to the south
    _, b = gable_dsm()
    shaded = shade_planes(dsm_planes(b, surface, P), surface, days, P, IRR.albedo)
    south = shaded[(shaded["building_id"] == "g") & (shaded["azimuth_deg"].round() == 180)]
    assert south["shading_factor"].iloc[0] > 0.97
