"""SächsBO §84 (2) classes of residential buildings, case by case with hand-placed houses.

Every house is a 10 m square; positions are metres east/north of a point in Landkreis Leipzig
(EPSG:25833). The right classes follow from the law's three cases and the group rule: a group is
single-linkage over the outer-area (Außenbereich) dwellings only, with footprints at most
``group_distance_m`` (100 m) apart, and is class 3 from five buildings on.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Polygon, box

from potenzial.crs import ANALYSIS_CRS, WGS84
from potenzial.errors import CRSError, InputDataError
from potenzial.wind import classify_residential

X0, Y0 = 320_000.0, 5_670_000.0
IN_PLAN, BUILT_UP, OUTER_GROUP, OUTER_SINGLE = 1, 2, 3, 4


def square(x: float, y: float, size_m: float = 10.0):
    return box(X0 + x, Y0 + y, X0 + x + size_m, Y0 + y + size_m)


def houses(*positions: tuple[float, float], use: str = "residential", prefix: str = "h") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"building_id": [f"{prefix}{k}" for k in range(len(positions))],
                             "use": [use] * len(positions)},
                            geometry=[square(x, y) for x, y in positions], crs=ANALYSIS_CRS)


def areas(*polygons, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(dict(columns), geometry=list(polygons), crs=ANALYSIS_CRS)


NO_AREAS = areas()
NO_PLANS = areas(use=[])


def classes(buildings, builtup=NO_AREAS, plans=NO_PLANS, **kwargs) -> dict[str, tuple[int, int]]:
    """building id -> (class, group size)."""
    out = classify_residential(buildings, builtup, plans, **kwargs)
    return {b: (int(c), int(g)) for b, c, g in zip(out["building_id"], out["sachsbo84_class"],
                                                      out["group_size"], strict=True)}


def row_of(n: int, spacing_m: float = 50.0, y: float = 0.0) -> list[tuple[float, float]]:
    return [(k * spacing_m, y) for k in range(n)]


# ------------------------------------------------------------------------------ the group threshold

def test_an_outer_group_of_four_is_single_dwellings_and_of_five_a_group():
    """Five is the law's number: four houses 50 m apart stay class 4 (600 m switchable), five are class 3."""
    assert classes(houses(*row_of(4))) == {f"h{k}": (OUTER_SINGLE, 4) for k in range(4)}
    assert classes(houses(*row_of(5))) == {f"h{k}": (OUTER_GROUP, 5) for k in range(5)}


def test_the_group_threshold_is_a_parameter():
    assert {c for c, _ in classes(houses(*row_of(4)), group_min_buildings=4).values()} == {OUTER_GROUP}
    assert {c for c, _ in classes(houses(*row_of(5)), group_min_buildings=6).values()} == {OUTER_SINGLE}


def test_outer_dwellings_near_a_village_are_not_counted_with_the_village():
    """A village of six (Ortslage, §34) and two farmhouses 20 m outside its edge: the group counts
    outer-area dwellings only, so the pair is a group of two (class 4), not eight (class 3)."""
    village = row_of(6, spacing_m=30.0)  # x 0 … 160 m, inside the built-up area 0 … 200 m
    farm = [(220.0, 0.0), (240.0, 0.0)]  # 20 m beyond the Ortslage edge, 50 m from the last village house
    builtup = areas(box(X0 - 10, Y0 - 50, X0 + 200, Y0 + 50))
    out = classes(houses(*village, *farm), builtup)
    assert [out[f"h{k}"] for k in range(6)] == [(BUILT_UP, 0)] * 6
    assert out["h6"] == out["h7"] == (OUTER_SINGLE, 2)


def test_groups_are_single_linkage_and_separate_groups_keep_their_own_size():
    """A chain of five 90 m apart (ends 360 m apart) is one group; a pair 500 m away is its own group."""
    chain = row_of(5, spacing_m=100.0)  # footprints 90 m apart
    pair = [(900.0, 0.0), (960.0, 0.0)]  # 490 m from the chain's last house
    out = classes(houses(*chain, *pair))
    assert [out[f"h{k}"] for k in range(5)] == [(OUTER_GROUP, 5)] * 5
    assert out["h5"] == out["h6"] == (OUTER_SINGLE, 2)


def test_footprints_exactly_the_group_distance_apart_belong_together():
    """Gaps of exactly 100 m group (at most 100 m apart); gaps of 100.5 m do not."""
    assert set(classes(houses(*row_of(5, spacing_m=110.0))).values()) == {(OUTER_GROUP, 5)}
    assert set(classes(houses(*row_of(5, spacing_m=110.5))).values()) == {(OUTER_SINGLE, 1)}
    assert set(classes(houses(*row_of(5, spacing_m=110.5)), group_distance_m=101.0).values()) == {
        (OUTER_GROUP, 5)}


# ------------------------------------------------------------------------------ plans and Ortslage

def test_a_plan_wins_over_the_builtup_area_and_only_plans_with_housing_count():
    """Houses inside both a residential plan and the Ortslage are class 1; a house in a commercial
    plan inside the Ortslage is class 2; a house in a mixed plan is class 1."""
    builtup = areas(box(X0 - 100, Y0 - 100, X0 + 1000, Y0 + 100))
    plans = areas(box(X0 - 5, Y0 - 5, X0 + 60, Y0 + 15), box(X0 + 195, Y0 - 5, X0 + 260, Y0 + 15),
                  box(X0 + 395, Y0 - 5, X0 + 460, Y0 + 15), use=["residential", "commercial", "mixed"])
    buildings = houses((0, 0), (200, 0), (400, 0), (600, 0))
    assert classes(buildings, builtup, plans) == {"h0": (IN_PLAN, 0), "h1": (BUILT_UP, 0), "h2": (IN_PLAN, 0),
                                                  "h3": (BUILT_UP, 0)}
    # which plan uses allow housing is a parameter
    only_mixed = classes(buildings, builtup, plans, plan_uses_with_housing=("mixed",))
    assert [only_mixed[f"h{k}"][0] for k in range(4)] == [BUILT_UP, BUILT_UP, IN_PLAN, BUILT_UP]


def test_plans_without_a_use_column_all_allow_housing():
    plans = areas(box(X0 - 5, Y0 - 5, X0 + 15, Y0 + 15))
    assert classes(houses((0, 0), (500, 0)), NO_AREAS, plans) == {"h0": (IN_PLAN, 0), "h1": (OUTER_SINGLE, 1)}


def test_plan_and_builtup_dwellings_are_not_counted_in_an_outer_group():
    """Four outer houses beside a planned estate: the estate's houses do not make them a group of five."""
    plans = areas(box(X0 - 5, Y0 - 5, X0 + 65, Y0 + 15), use=["residential"])
    builtup = areas(box(X0 + 995, Y0 - 5, X0 + 1065, Y0 + 15))
    estate = row_of(2, spacing_m=50.0)  # x 0, 50: in the plan
    ortslage = [(1000.0, 0.0), (1050.0, 0.0)]  # in the built-up area
    # four beside the estate, one beside the Ortslage
    outer = [(100.0 + 50 * k, 0.0) for k in range(4)] + [(1100.0, 0.0)]
    out = classes(houses(*estate, *ortslage, *outer), builtup, plans)
    assert out["h0"] == out["h1"] == (IN_PLAN, 0)
    assert out["h2"] == out["h3"] == (BUILT_UP, 0)
    assert [out[f"h{k}"] for k in range(4, 8)] == [(OUTER_SINGLE, 4)] * 4
    assert out["h8"] == (OUTER_SINGLE, 1)


def test_the_representative_point_decides_not_any_overlap():
    """An L-shaped house reaching 5 m into the Ortslage with the rest of it outside is outer area; a
    house whose representative point (the centre of a square) lies on the boundary counts as inside."""
    l_shape = Polygon([(X0, Y0), (X0 + 60, Y0), (X0 + 60, Y0 + 10), (X0 + 10, Y0 + 10), (X0 + 10, Y0 + 60),
                       (X0, Y0 + 60)])
    buildings = gpd.GeoDataFrame({"building_id": ["l"], "use": ["residential"]}, geometry=[l_shape],
                                 crs=ANALYSIS_CRS)
    builtup = areas(box(X0 + 55, Y0 - 100, X0 + 200, Y0 + 100))
    assert classes(buildings, builtup) == {"l": (OUTER_SINGLE, 1)}
    # the same house with most of it inside
    assert classes(buildings, areas(box(X0 - 100, Y0 - 100, X0 + 40, Y0 + 100))) == {"l": (BUILT_UP, 0)}
    on_edge = areas(box(X0 + 5, Y0 - 100, X0 + 200, Y0 + 100))
    assert classes(houses((0, 0)), on_edge) == {"h0": (BUILT_UP, 0)}


def test_inside_means_inside_the_polygon_not_its_bounding_box():
    """A triangular Ortslage (right angle at the south-west): a house in the empty north-east corner of
    its bounding box is outer area, a house near the right angle is built-up."""
    triangle = Polygon([(X0, Y0), (X0 + 300, Y0), (X0, Y0 + 300)])
    out = classes(houses((20, 20), (250, 250)), areas(triangle))
    assert out == {"h0": (BUILT_UP, 0), "h1": (OUTER_SINGLE, 1)}


def test_empty_and_missing_plan_geometries_are_ignored():
    plans = gpd.GeoDataFrame({"use": ["residential", "residential", "residential"]},
                             geometry=[None, Polygon(), square(-5, -5, 20)], crs=ANALYSIS_CRS)
    assert classes(houses((0, 0), (500, 0)), NO_AREAS, plans) == {"h0": (IN_PLAN, 0), "h1": (OUTER_SINGLE, 1)}


# ------------------------------------------------------------------------------ the frame that comes back

def test_only_residential_buildings_come_back_with_their_columns_and_integer_classes():
    buildings = gpd.GeoDataFrame(
        {"building_id": ["a", "b", "c", "d"], "use": ["residential", "garage", "residential", "residential"],
         "storeys": [2, 1, 3, 1], "sachsbo84_class": [9, 9, 9, 9], "group_size": [7, 7, 7, 7]},
        geometry=[square(0, 0), square(20, 0), square(40, 0), None], crs=ANALYSIS_CRS)
    out = classify_residential(buildings, NO_AREAS, NO_PLANS)
    assert out["building_id"].tolist() == ["a", "c"]  # the garage and the house without geometry are gone
    assert out["storeys"].tolist() == [2, 3]
    assert out["sachsbo84_class"].tolist() == [OUTER_SINGLE, OUTER_SINGLE]
    assert out["group_size"].tolist() == [2, 2]
    assert out["sachsbo84_class"].dtype == np.int64 and out["group_size"].dtype == np.int64
    # the classification replaces stale columns of the same name and comes last
    assert list(out.columns) == ["building_id", "use", "storeys", "geometry", "sachsbo84_class", "group_size"]
    assert out.crs == ANALYSIS_CRS


def test_a_custom_residential_use_code():
    buildings = houses(*row_of(5), use="W")
    assert set(classes(buildings, residential_use="W").values()) == {(OUTER_GROUP, 5)}


# ------------------------------------------------------------------------------ mistakes the user can make

@pytest.mark.parametrize("which", ["buildings", "builtup_areas", "development_plans"])
def test_a_frame_in_degrees_is_named_in_the_error(which):
    frames = {"buildings": houses((0, 0)), "builtup_areas": areas(square(0, 0, 50)),
              "development_plans": areas(square(0, 0, 50), use=["residential"])}
    frames[which] = frames[which].to_crs(WGS84)
    with pytest.raises(CRSError, match=rf"^{which}: CRS EPSG:4326 is in degrees.*EPSG:25833"):
        classify_residential(frames["buildings"], frames["builtup_areas"], frames["development_plans"])


def test_buildings_without_a_use_column_get_the_catalog_fix():
    buildings = houses((0, 0)).drop(columns=["use"])
    with pytest.raises(InputDataError) as info:
        classify_residential(buildings, NO_AREAS, NO_PLANS)
    assert str(info.value) == ('buildings: no `use` column; map the building use with fields = { use = "…" } '
                               "in the catalog entry.")


def test_no_residential_building_lists_the_uses_found_sorted_and_at_most_ten():
    uses = [f"u{k:02d}" for k in range(12, 0, -1)]  # u12 … u01
    buildings = gpd.GeoDataFrame({"use": [*uses, None]}, geometry=[square(20 * k, 0) for k in range(13)],
                                 crs=ANALYSIS_CRS)
    with pytest.raises(InputDataError) as info:
        classify_residential(buildings, NO_AREAS, NO_PLANS)
    found = ", ".join(f"u{k:02d}" for k in range(1, 11))
    assert str(info.value) == (f"buildings: no building has use = 'residential' (found: {found}). Map your "
                               "building use codes to 'residential' or set residential_use in [wind].")
