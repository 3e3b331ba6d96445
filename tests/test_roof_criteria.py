"""Roof criteria beyond the irradiation: listed buildings (SächsDSchG) with their switch, the minimum
usable area per plane, and the synthetic listed-buildings stand-in. Hand-made buildings whose
answers are worked out in the comments."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.irradiation import IrradiationParams, build_lookup
from potenzial.solar_roof import RoofParams, assess_planes, footprint_planes, municipality_sums
from potenzial.solar_roof.listed import listed_ids, mark_listed
from potenzial.synth import monuments
from potenzial.synth.context import Municipality, Region

IRR = IrradiationParams()
CELL = pd.DataFrame({"lat": [51.2], "lon": [12.4], "x": [0.0], "y": [0.0],
                     **{f"ghi_wm2_{m:02d}": [v] for m, v in
                        enumerate([29, 58, 107, 168, 200, 219, 215, 186, 136, 80, 36, 24], start=1)}})


@pytest.fixture(scope="module")
def lookup():
    return build_lookup(CELL, IRR)


def buildings(ids, geoms, use="non_residential"):
    return gpd.GeoDataFrame({"building_id": ids, "use": use}, geometry=list(geoms), crs=ANALYSIS_CRS)


# two flat-roofed halls of 20 x 20 m; a monument point stands on hall "old"
HALLS = buildings(["old", "new"], [shapely.box(0, 0, 20, 20), shapely.box(100, 0, 120, 20)])
MONUMENT = gpd.GeoDataFrame({"monument_id": ["D1"]}, geometry=[shapely.Point(10, 10)], crs=ANALYSIS_CRS)


def assessed(params, lookup):
    planes = footprint_planes(HALLS, params)
    planes["listed"] = mark_listed(planes, listed_ids(HALLS, MONUMENT))
    return assess_planes(planes, pd.Series({"old": "1", "new": "1"}), lookup, params).set_index("building_id")


def test_a_listed_building_is_excluded_when_the_switch_is_on(lookup):
    out = assessed(RoofParams(exclude_listed_buildings=True), lookup)
    # 400 m² flat roof x 0.5 (flat share) = 200 m² of modules x 0.20 kWp/m² = 40 kWp; the listed hall 0
    assert out.loc["new", "capacity_kwp"] == pytest.approx(40.0)
    assert out.loc["old", "capacity_kwp"] == 0.0 and out.loc["old", "usable_area_m2"] == 0.0
    assert out["listed"].to_dict() == {"old": True, "new": False}


def test_a_listed_building_is_counted_when_the_switch_is_off(lookup):
    out = assessed(RoofParams(exclude_listed_buildings=False), lookup)
    # both halls: 40 kWp each (see above); the listed one stays flagged
    assert out["capacity_kwp"].tolist() == pytest.approx([40.0, 40.0])
    assert bool(out.loc["old", "listed"])
    sums = municipality_sums(out.reset_index(), pd.DataFrame({"ags": ["1"]}), pd.Series(dtype=float))
    assert sums["roof_capacity_mwp"][0] == pytest.approx(0.08)  # 80 kWp
    assert sums["roof_listed_buildings"][0] == 1 and sums["roof_suitable_buildings"][0] == 2


def test_monuments_mark_the_footprints_they_touch():
    b = buildings(["a", "b", "c"], [shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10), shapely.box(40, 0, 50, 10)])
    features = gpd.GeoDataFrame({"monument_id": ["p", "q", "r"]},
                                geometry=[shapely.Point(5, 5),                 # inside a
                                          shapely.Point(35, 5),                # between b and c: none
                                          shapely.box(45, 5, 60, 20)],         # an outline overlapping c
                                crs=ANALYSIS_CRS)
    assert listed_ids(b, features) == {"a", "c"}
    assert listed_ids(b, features.iloc[:0]) == set()


def test_a_plane_below_the_minimum_usable_area_is_not_counted(lookup):
    # two south planes of 35°: 14 m² x 0.7 = 9.8 m² of modules < 10 m² (min_module_area_pitched_m2):
    # not counted; 20 m² x 0.7 = 14 m² >= 10: 14 x 0.20 = 2.8 kWp
    planes = gpd.GeoDataFrame({"building_id": ["small", "large"], "method": "lod2", "tilt_deg": 35.0,
                               "azimuth_deg": 180.0, "plane_area_m2": [14.0, 20.0], "shading_factor": 1.0},
                              geometry=[shapely.box(0, 0, 3, 4), shapely.box(10, 0, 14, 4)], crs=ANALYSIS_CRS)
    out = assess_planes(planes, pd.Series({"small": "1", "large": "1"}), lookup, RoofParams())
    assert out["usable_area_m2"].tolist() == pytest.approx([0.0, 14.0])
    assert out["capacity_kwp"].tolist() == pytest.approx([0.0, 2.8])
    sums = municipality_sums(out, pd.DataFrame({"ags": ["1"]}), pd.Series(dtype=float))
    assert sums["roof_buildings"][0] == 2 and sums["roof_suitable_buildings"][0] == 1
    # a lower minimum (5 m², the low end of its range) counts the small plane: 9.8 x 0.20 = 1.96 kWp
    low = assess_planes(planes, pd.Series({"small": "1", "large": "1"}), lookup,
                        RoofParams(min_module_area_pitched_m2=5.0))
    assert low["capacity_kwp"].tolist() == pytest.approx([1.96, 2.8])


# ----------------------------------------------------------------------------- the synthetic stand-in

def tiny_region(population):
    """One municipality, 2 x 2 km, with a core (Ortsteil "Markt") of 40 houses 150 m apart around
    (500, 500) and a village ("Dorf") of 40 houses around (1500, 1500), plus 40 garages in the core."""
    geom = shapely.box(0, 0, 2000, 2000)
    muni = Municipality(ags="14729999", name="Test", geom=geom, stats={"population_2021": population},
                        ortsteile=["Markt", "Dorf"], main="Markt", main_place=None)
    region = Region(municipalities=[muni], union=geom, bounds=(0.0, 0.0, 2000.0, 2000.0))
    rows = []
    for name, (cx, cy), function in (("Markt", (500, 500), "house"), ("Dorf", (1500, 1500), "house"),
                                     ("Markt", (500, 500), "garage")):
        for k in range(40):
            x, y = cx + (k % 8) * 150 - 525, cy + (k // 8) * 150 - 300 + (8 if function == "garage" else 0)
            depth = 6 if function == "garage" else 5
            rows.append({"building_id": f"{name}-{function}-{k}", "ags": "14729999", "function": function,
                         "ortsteil": name, "geometry": shapely.box(x, y, x + 10, y + depth)})
    return region, gpd.GeoDataFrame(rows, geometry="geometry", crs=ANALYSIS_CRS)


def test_the_stand_in_is_calibrated_to_the_saxon_monument_density_and_stands_on_old_buildings():
    region, b = tiny_region(population=1000)
    points = monuments.build(region, b, seed=5)
    # 101,000 monuments / 4,043,002 inhabitants x 1,000 inhabitants = 24.98 -> 25
    assert len(points) == round(1000 * 101_000 / 4_043_002) == 25
    hit = gpd.sjoin(points, b, predicate="within")
    assert len(hit) == 25 and set(hit["function"]) == {"house"}  # never a garage
    assert hit["building_id"].is_unique
    assert points.crs == ANALYSIS_CRS and list(points["monument_id"])[:2] == ["14729999-D00001", "14729999-D00002"]
    # old cores first: the listed houses stand nearer their Ortsteil's centre than the houses on average
    # (Markt around (500, 500) [x 2 as the main town], Dorf around (1500, 1500))
    houses = b[b["function"] == "house"]
    centre = {"Markt": (500, 500), "Dorf": (1500, 1500)}

    def mean_distance(frame):
        c = frame.geometry.centroid
        return float(np.mean([np.hypot(x - centre[o][0], y - centre[o][1])
                              for x, y, o in zip(c.x, c.y, frame["ortsteil"], strict=True)]))

    draws = [monuments.build(region, b, seed=s) for s in range(10)]
    listed_houses = [houses[houses.geometry.intersects(shapely.union_all(d.geometry.values))] for d in draws]
    assert np.mean([mean_distance(h) for h in listed_houses]) < 0.9 * mean_distance(houses)
    # seeded: the same seed gives the same points, another seed others
    again = monuments.build(region, b, seed=5)
    assert shapely.equals(np.asarray(points.geometry.values), np.asarray(again.geometry.values)).all()
    other = monuments.build(region, b, seed=6)
    assert not shapely.equals(np.asarray(points.geometry.values), np.asarray(other.geometry.values)).all()


def test_more_inhabitants_than_old_buildings_lists_them_all_once():
    region, b = tiny_region(population=10_000)  # 250 wanted, 80 houses
    points = monuments.build(region, b, seed=5)
    assert len(points) == 80
