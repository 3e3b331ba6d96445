"""The exclusion engine: exact Euclidean buffers on a raster, rule sets, bitmask, bands, polygons.

Hand-made geometry on small grids whose right answer is known: a disc of π·r², cells whose
centres are (or are not) within the buffer by brute force, areas that can be counted by hand.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, box

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import ConfigError, InputDataError
from potenzial.exclusions import (
    Grid,
    LayerSpec,
    Rule,
    RuleSet,
    area_by_distance,
    distance_raster,
    evaluate,
    load_rule_set,
    polygons,
    resolve_rule_set_path,
    select_features,
    within_mask,
    zone_raster,
)

X0, Y0 = 300_000.0, 5_670_000.0  #: somewhere in Landkreis Leipzig (EPSG:25833)
METHODS = ["cells", "vector", "edt", "auto"]
REPO = Path(__file__).resolve().parent.parent


def frame(geoms, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=list(geoms), crs=ANALYSIS_CRS)


def rule(**kw) -> Rule:
    base = {"id": "r", "layer": "l", "buffer_m": 0.0, "kind": "hard", "source": "test"}
    return Rule(**{**base, **kw})


def brute_force(grid: Grid, geoms, buffer_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact distance of every cell centre to the geometries, and the mask d <= buffer."""
    rows, cols = np.indices(grid.shape)
    x, y = grid.centers(rows.ravel(), cols.ravel())
    union = shapely.union_all(list(geoms))
    d = shapely.distance(union, shapely.points(x, y)).reshape(grid.shape)
    return d, d <= buffer_m


# ------------------------------------------------------------------------------ the disc test

@pytest.mark.parametrize("method", METHODS)
def test_disc_around_a_point_has_area_pi_r_squared_and_no_diamond(method):
    grid = Grid.from_bounds((X0, Y0, X0 + 3000, Y0 + 3000), 10.0)
    centre = (X0 + 1503.7, Y0 + 1498.2)  # not on a cell centre
    mask = within_mask(grid, np.array([Point(centre)]), 1000.0, method=method)
    area_m2 = mask.sum() * grid.cell_area_m2
    assert area_m2 == pytest.approx(math.pi * 1000.0**2, rel=0.005)
    # round, not a diamond or a square: the reach is the same along the axes and the diagonals
    rows, cols = np.nonzero(mask)
    x, y = grid.centers(rows, cols)
    reach = np.hypot(x - centre[0], y - centre[1])
    assert reach.max() <= 1000.0
    diag = np.abs(np.abs(x - centre[0]) - np.abs(y - centre[1])) < 10.0
    axis = np.minimum(np.abs(x - centre[0]), np.abs(y - centre[1])) < 5.0
    assert reach[diag].max() > 985.0 and reach[axis].max() > 985.0
    # the vector result is the same disc
    poly = polygons(grid, mask.astype(np.uint8)).geometry.iloc[0]
    assert poly.area == pytest.approx(area_m2)
    disc = Point(centre).buffer(1000.0, quad_segs=64)
    assert poly.symmetric_difference(disc).area / disc.area < 0.02


# ------------------------------------------------------------------------------ exactness

coord = st.floats(min_value=20.0, max_value=380.0, allow_nan=False)
points2 = st.tuples(coord, coord)


@st.composite
def geometries(draw):
    kind = draw(st.sampled_from(["point", "line", "polygon"]))
    if kind == "point":
        x, y = draw(points2)
        return Point(X0 + x, Y0 + y)
    pts = draw(st.lists(points2, min_size=2 if kind == "line" else 3, max_size=6, unique=True))
    pts = [(X0 + x, Y0 + y) for x, y in pts]
    if kind == "line":
        return LineString(pts)
    hull = shapely.convex_hull(shapely.multipoints(pts))
    return hull if hull.geom_type == "Polygon" and hull.area > 1.0 else Point(pts[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(geoms=st.lists(geometries(), min_size=1, max_size=4),
       buffer_m=st.one_of(st.just(0.0), st.floats(min_value=0.5, max_value=150.0)),
       method=st.sampled_from(METHODS))
def test_mask_is_exact_at_cell_centres(geoms, buffer_m, method):
    grid = Grid.from_bounds((X0, Y0, X0 + 400, Y0 + 400), 10.0)
    got = within_mask(grid, np.array(geoms, dtype=object), buffer_m, method=method)
    d, want = brute_force(grid, geoms, buffer_m)
    if buffer_m > 0:
        decided = np.abs(d - buffer_m) > 1e-6  # a centre exactly on the buffer may go either way
    else:  # GDAL's centre rule: a centre exactly on a polygon edge may go either way
        edges = [g.boundary if g.geom_type == "Polygon" else g for g in geoms]
        edge_d, _ = brute_force(grid, edges, 0.0)
        decided = edge_d > 1e-6
    assert np.array_equal(got[decided], want[decided])
    assert want.any() == got.any() or not decided.all()


def test_distance_raster_is_close_everywhere_and_exact_at_the_threshold():
    grid = Grid.from_bounds((X0, Y0, X0 + 2000, Y0 + 2000), 10.0)
    geoms = np.array([box(X0 + 300, Y0 + 400, X0 + 330, Y0 + 415), Point(X0 + 1500.3, Y0 + 1200.9),
                      LineString([(X0 + 100, Y0 + 1900), (X0 + 900, Y0 + 1500)])], dtype=object)
    dist = distance_raster(grid, geoms, exact_at_m=(500.0,), max_m=2000.0)
    exact, within = brute_force(grid, geoms, 500.0)
    assert np.abs(dist - exact).max() <= grid.res_m / math.sqrt(2) + 1e-3
    assert np.array_equal(dist <= np.float32(500.0), within)


def test_features_beyond_the_grid_still_count():
    grid = Grid.from_bounds((X0, Y0, X0 + 1000, Y0 + 1000), 10.0)
    outside = np.array([Point(X0 - 200, Y0 + 500)], dtype=object)
    for method in METHODS:
        mask = within_mask(grid, outside, 300.0, method=method)
        _, want = brute_force(grid, outside, 300.0)
        assert mask.any() and np.array_equal(mask, want), method


def test_empty_feature_set_excludes_nothing():
    grid = Grid.from_bounds((X0, Y0, X0 + 100, Y0 + 100), 10.0)
    assert not within_mask(grid, np.array([], dtype=object), 100.0).any()


# ------------------------------------------------------------------------------ rules and evaluation

def scene():
    """1 km x 1 km: a house in the middle, a road along the south, a forest in the north-east."""
    grid = Grid.from_bounds((X0, Y0, X0 + 1000, Y0 + 1000), 10.0)
    layers = {
        "houses": frame([box(X0 + 495, Y0 + 495, X0 + 505, Y0 + 505)], use=["residential"]),
        "roads": frame([LineString([(X0 - 50, Y0 + 100), (X0 + 1050, Y0 + 100)])], kind=["motorway"],
                       width_m=[20.0]),
        "landcover": frame([box(X0 + 700, Y0 + 700, X0 + 1000, Y0 + 1000), box(X0, Y0 + 700, X0 + 100, Y0 + 800)],
                           **{"class": ["forest", "water"]}),
    }
    rules = (
        rule(id="house", layer="houses", buffer_m=200.0),
        rule(id="road", layer="roads", buffer_m=50.0, width_column="width_m", where={"kind": "motorway"}),
        rule(id="forest", layer="landcover", where={"class": "forest"}, kind="soft", switchable=True),
    )
    return grid, layers, RuleSet(id="t", title="t", valid_from="2022-06-01", rules=rules)


def test_bitmask_records_every_rule_that_hits_a_cell():
    grid, layers, rs = scene()
    ex = evaluate(rs, layers, grid)
    assert ex.bitmask.dtype == np.uint8
    # the road corridor: 100 m centre line, 10 m half width + 50 m -> y in [40, 160]
    road = ex.hits(["road"])
    rows, cols = np.nonzero(road)
    _, y = grid.centers(rows, cols)
    assert y.min() - Y0 == pytest.approx(45.0) and y.max() - Y0 == pytest.approx(155.0)
    assert road.sum() == 12 * 100  # 12 rows of centres (45 … 155) over the whole width
    # forest: 30 x 30 cells exactly
    assert ex.hits(["forest"]).sum() == 900
    # a cell can be hit by several rules: the house disc (radius 205 m from the centre at the footprint
    # edge) does not reach the road, but forest and house overlap nowhere either -> check a hand-made overlap
    both = ex.hits(["house"]) & ex.hits(["road"])
    assert not both.any()
    assert ex.rule_ids_of(0b101) == ["house", "forest"]
    table = ex.describe()
    assert list(table["bit"]) == [0, 1, 2] and list(table["features"]) == [1, 1, 1]


def test_switching_off_a_soft_rule_and_the_include_effect():
    grid, layers, rs = scene()
    off = rs.with_switches({"forest": False})
    ex = evaluate(off, layers, grid)
    assert "forest" not in ex.bits
    assert ex.describe().set_index("rule_id").loc["forest", "bit"] == -1
    # an inclusion rule (a PV corridor): only cells within 300 m of the road are eligible
    rules = off.rules + (rule(id="corridor", layer="roads", buffer_m=300.0, effect="include"),)
    ex = evaluate(off.model_copy(update={"rules": rules}), layers, grid)
    eligible = ex.eligible()
    rows, cols = np.nonzero(eligible)
    _, y = grid.centers(rows, cols)
    assert (y - Y0 <= 400.0).all()
    assert not (eligible & ex.hits(["road"])).any()


def test_extra_buffer_equals_wider_buffers():
    grid, layers, rs = scene()
    a = evaluate(rs, layers, grid, extra_buffer_m=30.0).eligible()
    wider = tuple(r.model_copy(update={"buffer_m": r.buffer_m + 30.0}) for r in rs.rules)
    b = evaluate(rs.model_copy(update={"rules": wider}), layers, grid).eligible()
    assert np.array_equal(a, b)


@settings(max_examples=25, deadline=None)
@given(base=st.lists(st.floats(min_value=0.0, max_value=300.0), min_size=3, max_size=3),
       grow=st.lists(st.floats(min_value=0.0, max_value=200.0), min_size=3, max_size=3))
def test_eligible_area_never_grows_when_a_setback_grows(base, grow):
    grid, layers, rs = scene()
    small = rs.model_copy(update={"rules": tuple(r.model_copy(update={"buffer_m": b})
                                                 for r, b in zip(rs.rules, base, strict=True))})
    large = rs.model_copy(update={"rules": tuple(r.model_copy(update={"buffer_m": b + g})
                                                 for r, b, g in zip(rs.rules, base, grow, strict=True))})
    e_small = evaluate(small, layers, grid).eligible()
    e_large = evaluate(large, layers, grid).eligible()
    assert not (e_large & ~e_small).any()  # cell by cell a subset, so the area never grows


def test_select_features_filters():
    f = frame([Point(X0, Y0)] * 4, kind=["a", "b", "c", "a"], v=[1, 5, 10, 20])
    assert len(select_features(f, rule(layer="l", where={"kind": "a"}))) == 2
    assert len(select_features(f, rule(layer="l", where={"kind": ["a", "c"]}))) == 3
    assert len(select_features(f, rule(layer="l", where={"v": {"min": 5, "max": 10}}))) == 2
    assert len(select_features(f, rule(layer="l", where={"v": 5}))) == 1
    with pytest.raises(InputDataError, match="no column 'nope'"):
        select_features(f, rule(layer="l", where={"nope": 1}))
    lines = frame([LineString([(X0, Y0), (X0 + 100, Y0)])], width_m=[12.0])
    widened = select_features(lines, rule(layer="l", width_column="width_m"))
    assert widened[0].area == pytest.approx(1200.0)


# ------------------------------------------------------------------------------ bands, zones, polygons

def test_area_by_distance_by_hand():
    dist = np.array([[0, 40, 60, 120], [200, 55, 49.9, 500]], dtype=np.float32)
    zones = np.array([[1, 1, 1, 1], [2, 2, 0, 2]], dtype=np.uint8)
    free = np.ones(dist.shape, dtype=bool)
    free[0, 3] = False
    area = area_by_distance(dist, free, zones, 2, [0.0, 50.0, 100.0], cell_area_m2=100.0)
    # zone 1, free cells with d = 0, 40, 60: d > 0 -> 2 cells, > 50 -> 1, > 100 -> 0
    assert area[0].tolist() == [200.0, 100.0, 0.0]
    # zone 2: d = 200, 55, 500: all > 0, all > 50, two > 100
    assert area[1].tolist() == [300.0, 300.0, 200.0]


def test_zone_raster_and_polygons_count_exact_cells():
    grid = Grid.from_bounds((X0, Y0, X0 + 100, Y0 + 100), 10.0)
    zones = zone_raster(grid, [box(X0, Y0, X0 + 50, Y0 + 100), box(X0 + 50, Y0, X0 + 100, Y0 + 100)])
    assert (zones == 1).sum() == 50 and (zones == 2).sum() == 50
    values = np.zeros(grid.shape, dtype=np.int32)
    values[0:2, 0:2] = 7
    values[5:7, 5:9] = 7  # a second piece of the same value -> one MultiPolygon
    values[9, 9] = 3
    out = polygons(grid, values)
    assert out["value"].tolist() == [3, 7]
    assert out.geometry.iloc[1].geom_type == "MultiPolygon" and out.geometry.iloc[1].area == 1200.0
    assert out.geometry.is_valid.all()


def test_grid_is_aligned_to_the_resolution():
    g = Grid.from_bounds((301_234.5, 5_670_001.0, 305_000.1, 5_672_000.0), 10.0)
    assert g.x0 == 301_230.0 and g.y0 == 5_672_000.0 and g.width == 378 and g.height == 200
    with pytest.raises(ConfigError, match="resolution"):
        Grid.from_bounds((0, 0, 1, 1), 0.0)


# ------------------------------------------------------------------------------ rule files

LAYERS = {"roads": LayerSpec(("kind", "ref", "width_m"), "line"), "landcover": LayerSpec(("class", "ags"), "polygon")}


def write_rules(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "test_rules.toml"
    path.write_text(textwrap.dedent("""
        [rule_set]
        id = "test"
        title = "test"
        valid_from = 2022-06-01
    """) + textwrap.dedent(body), encoding="utf-8")
    return path


GOOD = """
    [[rules]]
    id = "motorways"
    layer = "roads"
    where = { kind = "motorway" }
    width_column = "width_m"
    buffer_m = 100
    kind = "hard"
    source = "FStrG § 9"

    [[rules]]
    id = "forest"
    layer = "landcover"
    where = { class = "forest" }
    buffer_m = 0
    kind = "soft"
    switchable = true
    source = "SächsWaldG"
"""


def test_a_good_rule_file_loads(tmp_path):
    rs = load_rule_set(write_rules(tmp_path, GOOD), LAYERS)
    assert [r.id for r in rs.rules] == ["motorways", "forest"]
    assert str(rs.valid_from) == "2022-06-01"
    assert not rs.with_switches({"forest": False}).rule("forest").enabled


@pytest.mark.parametrize("change, message", [
    (("layer = \"roads\"", "layer = \"autobahnen\"", 1), "refers to layer 'autobahnen', which is not in the catalog"),
    (("buffer_m = 100", "buffer_m = -5", 1), "buffer_m.*got -5.*0 to 20,000 m"),
    (("buffer_m = 100", "buffer_m = 50000", 1), "buffer_m.*got 50000"),
    (("kind = \"hard\"", "kind = \"strict\"", 1), "kind"),
    (("source = \"FStrG § 9\"", "", 1), "rule 'motorways', field source.*Add it"),
    (("where = { kind = \"motorway\" }", "where = { typ = \"motorway\" }", 1), "filters on column 'typ'"),
    (("width_column = \"width_m\"\n    buffer_m = 100", "buffer_m = 0", 1), "excludes nothing"),
    (("id = \"forest\"", "id = \"motorways\"", 1), "occur more than once"),
    (("buffer_m = 100", "buffer_m = 100\n    bufer = 3", 1), "bufer.*Remove it or check the spelling"),
])
def test_bad_rule_files_fail_at_load_time_with_the_fix(tmp_path, change, message):
    old, new, count = change
    body = GOOD.replace(old, new, count)
    with pytest.raises(ConfigError, match=message):
        load_rule_set(write_rules(tmp_path, body), LAYERS)


def test_switches_cannot_touch_fixed_rules_or_unknown_ones(tmp_path):
    rs = load_rule_set(write_rules(tmp_path, GOOD), LAYERS)
    with pytest.raises(ConfigError, match="not switchable"):
        rs.with_switches({"motorways": False})
    with pytest.raises(ConfigError, match="unknown rule"):
        rs.with_switches({"wald": False})
    off = GOOD.replace('kind = "hard"', 'kind = "hard"\n    enabled = false', 1)
    with pytest.raises(ConfigError, match="rule 'motorways'.*must be enabled"):
        load_rule_set(write_rules(tmp_path, off), LAYERS)


def test_rule_set_files_resolve_by_name(tmp_path):
    path = write_rules(tmp_path, GOOD)
    assert resolve_rule_set_path("test_rules", tmp_path) == path
    assert resolve_rule_set_path(str(path), REPO) == path
    with pytest.raises(ConfigError, match="Known rule sets: test_rules"):
        resolve_rule_set_path("wind_by_2030", tmp_path)
    with pytest.raises(ConfigError, match="not valid TOML"):
        path.write_text("[rule_set\n", encoding="utf-8")
        load_rule_set(path, LAYERS)


def test_the_shipped_wind_rule_set_loads_against_the_region_catalog():
    from potenzial.region import load_region
    from potenzial.settings import Settings

    s = Settings()
    region = load_region("lk-leipzig", s.regions_dir, s.data_dir)
    specs = {lid: LayerSpec(tuple(e.columns), e.geometry) for lid, e in region.layers.items()}
    specs["residential_buildings"] = LayerSpec(("use", "sachsbo84_class"), "polygon")
    rs = load_rule_set(REPO / "layers" / "rules" / "wind_sn_2022.toml", specs)
    assert rs.rule("residential_sachsbo84").buffer_m == 1000.0
    assert all(len(r.source) > 10 for r in rs.rules)


def test_more_rules_than_bits_fail_when_the_rule_set_loads_not_when_it_is_evaluated(tmp_path):
    """32 enabled rules fit the bitmask; the 33rd fails at load time, and so does a switch that enables it."""
    body = "".join(f"""
    [[rules]]
    id = "r{i}"
    layer = "landcover"
    buffer_m = {i}
    kind = "soft"
    switchable = true
    enabled = {"true" if i < 32 else "false"}
    source = "test rule {i}"
    """ for i in range(33))
    rule_set = load_rule_set(write_rules(tmp_path, body), LAYERS)
    assert len(rule_set.enabled_rules) == 32
    with pytest.raises(ConfigError, match="the switches enable 33 rules of rule set 'test'; at most 32"):
        rule_set.with_switches({"r32": True})
    with pytest.raises(ConfigError, match="33 rules are enabled; at most 32 can be evaluated"):
        load_rule_set(write_rules(tmp_path, body.replace("enabled = false", "enabled = true")), LAYERS)
