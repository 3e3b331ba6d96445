"""Open-field PV on hand-made geometry: corridors, exclusions, small pieces, categories, yield, wind.

A toy county of two municipalities on a 10 m grid whose cell edges lie on multiples of 10 m:

- A (2 km x 2 km, y from -1 km to +1 km): a straight motorway along y = 3 m, 30 m wide
  (carriageway from y = -12 to 18 m), running beyond A at both ends; a 200 m x 200 m forest at
  x 500–700, y 100–300; a 1 ha mine dump at x 1200–1300, y 300–400 (inside the EEG corridor).
- B (2 km x 2 km north of A, y 1–3 km): mine dumps only — a 4 ha one, a 0.9 ha one 5 m east
  of it, a 0.9 ha one far from everything, and two 0.6 ha ones 5 m apart.

Cell centres lie at ...5 m, never on an edge, so every answer below can be counted by hand.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, box

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import ConfigError, InputDataError
from potenzial.exclusions import (
    LayerSpec,
    catalog_value_sets,
    category_mask,
    check_layer_values,
    drop_small_pieces,
    evaluate,
    load_category,
    load_exclusion_set,
    load_rule_set,
    merge_offsets,
)
from potenzial.grid import Grid
from potenzial.irradiation import build_lookup, cells_from_points, irradiation_params
from potenzial.params import load_params
from potenzial.runs import RunRecord
from potenzial.settings import PROJECT_ROOT
from potenzial.solar_ground import (
    TOTAL,
    fixed_orientation_params,
    installed_per_municipality,
    load_pv_ground_params,
    solar_ground_potential,
)
from potenzial.store.base import RunResult
from tests.support.criteria import CRITERIA_LAYERS, empty_criteria_layers

X0, Y0 = 320_000.0, 5_670_000.0
A, B = "14729001", "14729002"
RULES = PROJECT_ROOT / "layers" / "rules"
PARAMS = PROJECT_ROOT / "layers" / "params" / "default"
REGION_DATA = PROJECT_ROOT / "layers" / "regions" / "lk-leipzig" / "data"
UNITS = {  # as the catalog documents them (region.toml)
    "landcover": "class: arable|grassland|forest|water|settlement|traffic",
    "post_mining": "kind: dump|lake|active_mine",
    "protected_areas": "kind: natura2000_ffh|natura2000_spa|nsg|lsg",
    "roads": "width_m: m",
}
CATEGORY_SETS = ("pv_eeg_2023", "pv_eeg_2021", "pv_baugb_2023", "pv_sn_pvfvo_2021", "pv_post_mining_2023")


def rect(x0, y0, x1, y1):
    return box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def gdf(rows: list[dict], columns: tuple[str, ...] = ()) -> gpd.GeoDataFrame:
    if not rows:
        return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=ANALYSIS_CRS)
    geoms = [r.pop("geometry") for r in rows]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=ANALYSIS_CRS)


@cache
def toy() -> dict[str, gpd.GeoDataFrame]:
    dumps = [rect(1200, 300, 1300, 400),  # in A, inside the EEG 2023 corridor: two categories
             rect(100, 1500, 302, 1700),  # B: 4 ha (raster: 20 x 20 cells)
             rect(307, 1500, 397, 1600),  # B: 0.9 ha, 5 m east of the 4 ha dump
             rect(1500, 2500, 1590, 2600),  # B: 0.9 ha, alone
             rect(1000, 1200, 1061, 1300),  # B: 0.6 ha (raster: 6 x 10 cells) …
             rect(1066, 1200, 1126, 1300)]  # … and 0.6 ha 5 m east of it
    return {
        "municipalities": gdf([{"ags": A, "name": "Autobahnhausen", "geometry": rect(0, -1000, 2000, 1000)},
                               {"ags": B, "name": "Bergbaudorf", "geometry": rect(0, 1000, 2000, 3000)}]),
        "roads": gdf([{"kind": "motorway", "ref": "A0", "width_m": 30.0,
                       "geometry": LineString([(X0 - 1000, Y0 + 3), (X0 + 3000, Y0 + 3)])}]),
        "railways": gdf([], ("name", "tracks", "width_m")),
        "landcover": gdf([{"class": "forest", "ags": A, "geometry": rect(500, 100, 700, 300)}]),
        "buildings": gdf([], ("building_id", "ags", "use", "function", "floors", "height_m", "ortsteil")),
        "builtup_areas": gdf([], ("ortsteil", "ags")),
        "development_plans": gdf([], ("plan_id", "ags", "use")),
        "protected_areas": gdf([], ("kind", "name")),
        "less_favoured_areas": gdf([], ("name",)),
        "post_mining": gdf([{"kind": "dump", "name": f"Kippe {i}", "geometry": g} for i, g in enumerate(dumps)]),
        **empty_criteria_layers(),
    }


def specs() -> dict[str, LayerSpec]:
    geometry = {"roads": "line", "railways": "line", **{lid: g for lid, (_, g) in CRITERIA_LAYERS.items()}}
    return {lid: LayerSpec(tuple(c for c in f.columns if c != "geometry"), geometry.get(lid, "polygon"))
            for lid, f in toy().items()}


def values():
    return catalog_value_sets(UNITS)


def default_params(**changes):
    section = dict(load_params(PARAMS).section("pv_ground"))
    return load_pv_ground_params({**section, **changes})


@cache
def categories(names: tuple[str, ...] = CATEGORY_SETS):
    return [load_category(RULES / f"{n}.toml", specs(), values()) for n in names]


@cache
def exclusions():
    return load_exclusion_set(RULES / "pv_exclusions_2023.toml", specs(), values())


def ghi_cells() -> gpd.GeoDataFrame:
    path = REGION_DATA / "solar_ghi_cmsaf_points_leipzig_region.gpkg"
    return gpd.read_file(path, layer="ghi_lta").to_crs(ANALYSIS_CRS)


@cache
def lookup():
    """The shared irradiation chain on three real CM SAF cells near the toy county."""
    ghi = ghi_cells()
    near = ghi.iloc[np.argsort(ghi.distance(gpd.points_from_xy([X0], [Y0], crs=ANALYSIS_CRS)[0]))[:3]]
    irr = irradiation_params(load_params(PARAMS).section("irradiation"))
    return build_lookup(cells_from_points(near), fixed_orientation_params(irr, 20.0, 180.0))


def run_toy(wind_areas=None, installed=None, params=None, cats=None):
    layers = {k: v for k, v in toy().items() if k != "municipalities"}
    return solar_ground_potential(municipalities=toy()["municipalities"], layers=layers, exclusions=exclusions(),
                                  categories=cats or categories(), params=params or default_params(),
                                  lookup=lookup(), wind_areas=wind_areas, installed=installed)


@cache
def toy_result():
    wind = gdf([{"area_id": 1, "geometry": rect(0, 100, 1000, 600)}])
    installed = gdf([{"Power_kW": 5000.0, "geometry": rect(1500, -800, 1600, -700)},
                     {"Power_kW": 800.0, "geometry": rect(5000, 5000, 5100, 5100)}])  # outside the county
    return run_toy(wind_areas=wind, installed=installed)


def cat_row(frame: pd.DataFrame, ags: str, category: str) -> pd.Series:
    return frame[(frame["ags"] == ags) & (frame["category"] == category)].iloc[0]


# ------------------------------------------------------------------------------ corridors

def test_straight_motorway_gives_a_corridor_of_exactly_two_times_500_m():
    """The EEG 2023 corridor on its own: 500 m on each side of the carriageway, measured from its edge."""
    grid = Grid.from_bounds(toy()["municipalities"].total_bounds, 10.0)
    layers = {k: v for k, v in toy().items() if k != "municipalities"}
    eeg = categories()[0]
    corridor = category_mask(evaluate(eeg.rule_set, layers, grid), eeg)
    body = evaluate(exclusions(), layers, grid).hits(["road_body"])
    inside_a = np.zeros(grid.shape, dtype=bool)
    inside_a[grid.height - 200:, :] = True  # A = the southern 200 rows of the grid
    # per column: 50 cells north of the carriageway, 50 south, 3 on it; 200 columns in A
    assert (corridor & ~body & inside_a).sum() == 2 * 50 * 200
    assert (corridor & inside_a).sum() == (2 * 50 + 3) * 200
    assert (corridor & ~body & inside_a).sum() * grid.cell_area_m2 == 2 * 500.0 * 2000.0


def test_corridor_minus_exclusions_and_forest_by_hand():
    per_cat = toy_result().frames["pv_ground_categories"]
    # EEG 2023: 500 m from the carriageway edge minus the 40 m FStrG strip on both sides = 2 x 460 m wide,
    # 2,000 m long (A), minus the 4 ha forest inside the corridor
    assert cat_row(per_cat, A, "eeg_2023_corridor")["area_ha"] == pytest.approx(2 * 460 * 2000 / 1e4 - 4.0)
    # EEG 2021 and BauGB: 200 m from the edge minus 40 m = 2 x 160 m, minus the forest's 12 rows below 218 m
    for name in ("eeg_2021_corridor", "baugb_privileged"):
        assert cat_row(per_cat, A, name)["area_ha"] == pytest.approx(2 * 160 * 2000 / 1e4 - 12 * 20 / 100)
    assert cat_row(per_cat, A, "pvfvo_less_favoured")["area_ha"] == 0.0  # no less-favoured area in the toy


def test_forest_inside_the_corridor_is_excluded():
    bits = toy_result().category_bits
    grid = toy_result().grid
    col0 = int((X0 + 500 - grid.x0) / 10)
    row0 = int((grid.y0 - (Y0 + 300)) / 10)
    assert not bits[row0:row0 + 20, col0:col0 + 20].any()  # the forest
    assert bits[row0:row0 + 20, col0 - 1].all() and bits[row0:row0 + 20, col0 + 20].all()  # its neighbours


def test_excluded_land_by_reason_by_hand():
    """A: the 4 ha forest, the 30 m carriageway (2,000 m long) and the 40 m no-build strip on each side
    of it; B excludes nothing. Every feature names the rules of its mask and lies outside the areas."""
    frames = toy_result().frames
    ex, areas = frames["pv_ground_exclusions"], frames["pv_ground_areas"]
    assert set(ex["ags"]) == {A}
    by_reason = {frozenset(r.split(",")): ha for r, ha in ex.groupby("reason")["area_ha"].sum().items()}
    assert by_reason == pytest.approx({frozenset({"forest"}): 4.0,
                                       frozenset({"road_body", "motorway_building_ban"}): 30 * 2000 / 1e4,
                                       frozenset({"motorway_building_ban"}): 2 * 40 * 2000 / 1e4})
    assert ex["hard"].all()  # forest, carriageway and the FStrG strip are hard exclusions
    rule_ids = [r.id for r in exclusions().enabled_rules]
    for row in ex.itertuples():
        assert set(row.reason.split(",")) == {rule_ids[i] for i in range(len(rule_ids)) if row.rule_mask >> i & 1}
    assert shapely.union_all(ex.geometry.values).intersection(shapely.union_all(areas.geometry.values)).area < 1e-6


def test_eeg_2021_free_strip_and_fstrg_strip():
    """Without the 40 m FStrG strip, the EEG 2021 corridor still keeps its 15 m strip free."""
    layers = {k: v for k, v in toy().items() if k != "municipalities"}
    grid = Grid.from_bounds(toy()["municipalities"].total_bounds, 10.0)
    eeg21 = categories()[1]
    mask = category_mask(evaluate(eeg21.rule_set, layers, grid), eeg21)
    column = mask[:, 0]
    ys = grid.y0 - (np.flatnonzero(column) + 0.5) * 10 - Y0
    # north: distance from the edge (y = 18) in (15, 200] -> centres 35 … 215; south: edge y = -12 -> -35 … -205
    assert sorted(ys[ys > 0]) == list(np.arange(35.0, 216.0, 10.0))
    assert sorted(ys[ys < 0]) == list(np.arange(-205.0, -34.0, 10.0))


# ------------------------------------------------------------------------------ small pieces

def test_small_pieces_far_away_go_and_near_ones_stay():
    per_cat = toy_result().frames["pv_ground_categories"]
    # B: 4 ha + the 0.9 ha 5 m away (one site) + the two 0.6 ha pieces 5 m apart (1.2 ha together);
    # the lone 0.9 ha dump is dropped
    assert cat_row(per_cat, B, "post_mining")["area_ha"] == pytest.approx(4.0 + 0.9 + 1.2)
    areas = toy_result().frames["pv_ground_areas"]
    b = areas[areas["ags"] == B]
    assert sorted(b.groupby("site_id")["area_ha"].sum().round(6)) == [1.2, 4.9]
    assert not b.intersects(rect(1500, 2500, 1590, 2600)).any()


def test_merge_offsets_are_the_cells_within_the_distance():
    # 10 m cells, 10 m: one empty cell between two pieces (also diagonally next to it), not two, not the corner
    assert sorted(merge_offsets(10.0, 10.0)) == [(0, 2), (1, -2), (1, -1), (1, 1), (1, 2), (2, -1), (2, 0), (2, 1)]
    assert merge_offsets(10.0, 0.0) == [(1, -1), (1, 1)]  # diagonal neighbours touch at a corner


def test_drop_small_pieces_by_hand():
    grid = Grid(0.0, 100.0, 10.0, 10, 10)
    mask = np.zeros(grid.shape, dtype=bool)
    mask[0:3, 0:3] = True  # 9 cells
    mask[0:2, 4:6] = True  # 4 cells, one empty column (10 m) east of the first
    mask[7:9, 7:9] = True  # 4 cells, far away
    mask[5, 0] = True  # 1 cell, two empty rows (20 m) below the first
    kept, labels, site = drop_small_pieces(mask, grid, min_area_m2=1000.0, merge_distance_m=10.0)
    assert kept[0:3, 0:3].all() and kept[0:2, 4:6].all()
    assert not kept[7:9, 7:9].any() and not kept[5, 0]
    assert site[labels[0, 0]] == site[labels[0, 4]]
    kept0, _, _ = drop_small_pieces(mask, grid, min_area_m2=1000.0, merge_distance_m=0.0)
    assert kept0.sum() == 0  # without merging every piece is below 10 cells


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**16), fill=st.floats(0.2, 0.7), min_cells=st.integers(1, 30),
       distance=st.sampled_from([0.0, 10.0, 20.0]))
def test_dropping_small_pieces_never_keeps_more_from_less(seed, fill, min_cells, distance):
    rng = np.random.default_rng(seed)
    grid = Grid(0.0, 400.0, 10.0, 40, 40)
    mask = rng.random(grid.shape) < fill
    subset = mask & (rng.random(grid.shape) < 0.8)
    a, _, _ = drop_small_pieces(mask, grid, min_area_m2=min_cells * 100.0, merge_distance_m=distance)
    b, _, _ = drop_small_pieces(subset, grid, min_area_m2=min_cells * 100.0, merge_distance_m=distance)
    assert not (b & ~a).any()  # what the subset keeps, the full set keeps
    assert not (a & ~mask).any()


# ------------------------------------------------------------------------------ categories counted once

def test_a_hectare_in_two_categories_counts_once():
    frames = toy_result().frames
    per_cat, per_muni = frames["pv_ground_categories"], frames["pv_ground_municipalities"]
    areas = frames["pv_ground_areas"]
    eeg = cat_row(per_cat, A, "eeg_2023_corridor")["area_ha"]
    dump = cat_row(per_cat, A, "post_mining")["area_ha"]
    total = cat_row(per_cat, A, TOTAL)["area_ha"]
    assert dump == pytest.approx(1.0)
    assert total == pytest.approx(eeg)  # the dump lies inside the corridor: the union is the corridor
    assert per_cat[(per_cat["ags"] == A) & (per_cat["category"] != TOTAL)]["area_ha"].sum() > total
    both = areas[areas["categories"] == "eeg_2023_corridor,post_mining"]
    assert both["area_ha"].sum() == pytest.approx(1.0)
    assert per_muni.set_index("ags").loc[A, "pv_ground_area_ha"] == pytest.approx(total)
    assert areas.groupby("ags")["area_ha"].sum().loc[A] == pytest.approx(total)
    # no two features overlap
    geoms = areas.geometry.values
    assert sum(g.area for g in geoms) == pytest.approx(areas.geometry.union_all().area)


#: by hand (see the tests above): A = the EEG 2023 corridor, 2 x 460 m x 2,000 m minus the 4 ha forest (the
#: dump inside it counted once); B = the dumps that survive the area filter, 4 + 0.9 + 2 x 0.6 ha.
#: Wind overlap: A's wind area x 0–1000, y 100–600 holds 42 rows x 100 columns of PV land minus the forest.
AREA_HA = {A: 2 * 460 * 2000 / 1e4 - 4.0, B: 4.0 + 0.9 + 1.2}
WIND_OVERLAP_HA = {A: 42 * 100 / 100 - 4.0, B: 0.0}


def test_per_municipality_figures_and_the_features_both_give_the_hand_counted_areas():
    frames = toy_result().frames
    per_muni = frames["pv_ground_municipalities"].set_index("ags")
    areas = frames["pv_ground_areas"]
    for ags in (A, B):
        features = areas[areas["ags"] == ags]
        assert per_muni.loc[ags, "pv_ground_area_ha"] == pytest.approx(AREA_HA[ags])
        assert features["area_ha"].sum() == pytest.approx(AREA_HA[ags])
        assert features.geometry.area.sum() / 1e4 == pytest.approx(AREA_HA[ags])
        # 1.0 MWp/ha (pv_ground.toml power_density_mwp_per_ha)
        assert per_muni.loc[ags, "pv_ground_capacity_mwp"] == pytest.approx(AREA_HA[ags] * 1.0)
        assert features["capacity_mwp"].sum() == pytest.approx(AREA_HA[ags] * 1.0)
        assert per_muni.loc[ags, "pv_ground_wind_overlap_ha"] == pytest.approx(WIND_OVERLAP_HA[ags])
        assert features["wind_overlap_ha"].sum() == pytest.approx(WIND_OVERLAP_HA[ags])


# ------------------------------------------------------------------------------ capacity, yield, wind, installed

def test_capacity_and_yield_by_hand():
    per_muni = toy_result().frames["pv_ground_municipalities"].set_index("ags")
    area = AREA_HA[A]  # 180 ha
    assert per_muni.loc[A, "pv_ground_capacity_mwp"] == pytest.approx(180.0)  # 180 ha x 1.0 MWp/ha
    x, y = X0 + 1000, Y0
    spec = lookup().interpolate([x], [y], [20.0], [180.0])["specific_yield_kwh_per_kwp"].iloc[0]
    assert 950 < spec < 1150  # docs/METHOD.md: about 1,000–1,100 kWh/kWp for south systems near Leipzig
    # MWp x kWh/kWp·a = MWh/a; the toy county lies within a few km, so the yield varies by < 0.5 %
    assert per_muni.loc[A, "pv_ground_yield_gwh_per_a"] == pytest.approx(area * spec / 1e3, rel=5e-3)
    doubled = run_toy(params=default_params(power_density_mwp_per_ha=1.3))
    d = doubled.frames["pv_ground_municipalities"].set_index("ags")
    assert d.loc[A, "pv_ground_capacity_mwp"] == pytest.approx(234.0)  # 180 ha x 1.3 MWp/ha
    assert d.loc[A, "pv_ground_yield_gwh_per_a"] == pytest.approx(234.0 * spec / 1e3, rel=5e-3)


def test_south_rows_yield_is_the_roofs_chain_at_20_degrees():
    """Shared code: the fixed-orientation lookup gives the same number as the roofs' full lookup."""
    irr = irradiation_params(load_params(PARAMS).section("irradiation"))
    ghi = ghi_cells()
    cells = cells_from_points(ghi.iloc[:3])
    full = build_lookup(cells, irr).interpolate(cells["x"], cells["y"], np.full(3, 20.0), np.full(3, 180.0))
    fixed = build_lookup(cells, fixed_orientation_params(irr, 20.0, 180.0)).interpolate(
        cells["x"], cells["y"], np.full(3, 20.0), np.full(3, 180.0))
    assert np.allclose(full["specific_yield_kwh_per_kwp"], fixed["specific_yield_kwh_per_kwp"], rtol=1e-9)


def test_wind_overlap_and_pv_if_wind_first():
    per_muni = toy_result().frames["pv_ground_municipalities"].set_index("ags")
    # wind area x 0–1000, y 100–600: eligible PV there = rows 105 … 515 (42) x 100 columns, minus the forest
    assert per_muni.loc[A, "pv_ground_wind_overlap_ha"] == pytest.approx(42 * 100 / 100 - 4.0)
    alone = per_muni.loc[A, "pv_ground_area_ha"]
    assert per_muni.loc[A, "pv_ground_area_wind_first_ha"] == pytest.approx(alone - 38.0)
    assert per_muni.loc[A, "pv_ground_capacity_wind_first_mwp"] == pytest.approx(alone - 38.0)
    assert per_muni.loc[A, "pv_ground_yield_wind_first_gwh_per_a"] < per_muni.loc[A, "pv_ground_yield_gwh_per_a"]
    assert per_muni.loc[B, "pv_ground_wind_overlap_ha"] == 0.0
    no_wind = run_toy().frames["pv_ground_municipalities"].set_index("ags")
    assert no_wind.loc[A, "pv_ground_area_wind_first_ha"] == pytest.approx(alone)


def test_installed_ground_pv_where_known():
    per_muni = toy_result().frames["pv_ground_municipalities"].set_index("ags")
    assert per_muni.loc[A, "pv_ground_installed_2015_mwp"] == pytest.approx(5.0)
    assert per_muni.loc[A, "pv_ground_installed_2015_ha"] == pytest.approx(1.0)
    assert per_muni.loc[A, "pv_ground_installed_2015_plants"] == 1
    assert per_muni["pv_ground_installed_2015_plants"].sum() == 1  # the plant outside the county is left out
    with pytest.raises(InputDataError, match="Power_kW"):
        installed_per_municipality(gdf([{"kw": 1.0, "geometry": rect(0, 0, 10, 10)}]), toy()["municipalities"],
                                   "Power_kW")


# ------------------------------------------------------------------------------ bad input fails at load time

def write_rules(tmp_path: Path, body: str, name: str = "pv_test") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text('[rule_set]\nid = "pv_test"\ntitle = "Test"\nvalid_from = 2023-01-01\n\n' + body, encoding="utf-8")
    return path


CATEGORY_HEAD = '[category]\nname = "test"\n\n'
CORRIDOR = ('[[rules]]\nid = "corridor"\nlayer = "roads"\nwhere = { kind = "motorway" }\nwidth_column = "width_m"\n'
            'buffer_m = 500\nkind = "hard"\neffect = "include"\nsource = "test source"\n\n')


def test_unknown_layer_fails_at_load(tmp_path):
    path = write_rules(tmp_path, CATEGORY_HEAD + CORRIDOR.replace('layer = "roads"', 'layer = "autobahnen"'))
    with pytest.raises(ConfigError, match="'autobahnen', which is not in the catalog"):
        load_category(path, specs(), values())


@pytest.mark.parametrize("buffer", ["-5", "50000"])
def test_impossible_buffer_fails_at_load(tmp_path, buffer):
    path = write_rules(tmp_path, CATEGORY_HEAD + CORRIDOR.replace("buffer_m = 500", f"buffer_m = {buffer}"))
    with pytest.raises(ConfigError, match="buffer_m"):
        load_category(path, specs(), values())


def test_free_strip_wider_than_its_corridor_fails_at_load(tmp_path):
    strip = CORRIDOR.replace('id = "corridor"', 'id = "strip"').replace("buffer_m = 500", "buffer_m = 600") \
        .replace('effect = "include"', 'effect = "exclude"')
    with pytest.raises(ConfigError, match="at least as wide as the corridor"):
        load_category(write_rules(tmp_path, CATEGORY_HEAD + CORRIDOR + strip), specs(), values())


def test_category_without_its_table_or_land_fails_at_load(tmp_path):
    with pytest.raises(ConfigError, match=r"missing \[category\]"):
        load_category(write_rules(tmp_path, CORRIDOR), specs(), values())
    only_excl = CORRIDOR.replace('effect = "include"', 'effect = "exclude"')
    with pytest.raises(ConfigError, match="no rule with effect"):
        load_category(write_rules(tmp_path, CATEGORY_HEAD + only_excl), specs(), values())
    with pytest.raises(ConfigError, match="require_all names nope"):
        load_category(write_rules(tmp_path, '[category]\nname = "t"\nrequire_all = ["nope"]\n\n' + CORRIDOR),
                      specs(), values())
    with pytest.raises(ConfigError, match="effect = \"include\""):
        load_exclusion_set(write_rules(tmp_path, CORRIDOR), specs(), values())


def test_landcover_code_the_catalog_cannot_map_fails(tmp_path):
    rule = ('[[rules]]\nid = "woods"\nlayer = "landcover"\nwhere = { class = "forst" }\nbuffer_m = 0\n'
            'kind = "hard"\nsource = "test source"\n')
    with pytest.raises(ConfigError, match="forst, which the catalog does not know"):
        load_exclusion_set(write_rules(tmp_path, rule), specs(), values())
    atkis = gdf([{"class": "43001", "ags": A, "geometry": rect(0, 0, 10, 10)},
                 {"class": "forest", "ags": A, "geometry": rect(0, 10, 10, 20)}])
    allowed = values()[("landcover", "class")]
    with pytest.raises(InputDataError, match="codes '43001' that the catalog cannot map"):
        check_layer_values(atkis, "landcover", "class", allowed)
    check_layer_values(toy()["landcover"], "landcover", "class", allowed)  # known codes pass


@pytest.mark.parametrize("change", [{"power_density_mwp_per_ha": 0.0}, {"power_density_mwp_per_ha": 5.0},
                                    {"power_density_mwp_per_ha": 1.5},  # outside its documented range
                                    {"min_area_ha": -1.0}, {"merge_distance_m": 1e6}, {"tilt_deg": 95.0},
                                    {"categories": []}, {"density": 1.0}])
def test_impossible_parameters_fail_with_the_field(change):
    with pytest.raises(ConfigError, match=r"\[pv_ground\]"):
        default_params(**change)


def test_unknown_switch_fails():
    with pytest.raises(ConfigError, match="unknown rule"):
        exclusions().with_switches({"lsgg": False})
    with pytest.raises(ConfigError, match="not switchable"):
        exclusions().with_switches({"forest": False})


def test_the_default_rule_sets_load_with_dates_and_sources():
    rule_sets = [exclusions()] + [c.rule_set for c in categories()]
    dates = {rs.id: rs.valid_from.isoformat() for rs in rule_sets}
    assert dates["pv_eeg_2023"] == "2023-01-01" and dates["pv_eeg_2021"] == "2021-01-01"
    assert all(len(r.source) > 10 for rs in rule_sets for r in rs.rules)
    # every rule the engine can read, it reads the same (the [category] table is an addition)
    for path in sorted(RULES.glob("pv_*.toml")):
        assert load_rule_set(path, specs()).id == path.stem


def test_switching_the_lsg_off_never_shrinks_the_area():
    lsg = gdf([{"kind": "lsg", "name": "Aue", "geometry": rect(0, -1000, 1000, 0)}])
    layers = {k: v for k, v in toy().items() if k != "municipalities"} | {"protected_areas": lsg}
    out = {}
    for on in (True, False):
        excl = exclusions().with_switches({"lsg": on})
        res = solar_ground_potential(municipalities=toy()["municipalities"], layers=layers, exclusions=excl,
                                     categories=categories(), params=default_params(), lookup=lookup())
        out[on] = res.frames["pv_ground_municipalities"].set_index("ags").loc[A, "pv_ground_area_ha"]
    # the LSG covers the southern half of the corridor west of x = 1000: 46 rows x 100 columns
    assert out[False] - out[True] == pytest.approx(46 * 100 / 100)


def test_the_technical_stage_counts_the_land_only_a_soft_rule_excludes():
    # the same LSG (soft) as above, switched on: the run excludes it, the technical stage (hard rules
    # only, from the same evaluation) keeps it: 46 rows x 100 columns of 10 m = 46 ha more in A, none in B
    lsg = gdf([{"kind": "lsg", "name": "Aue", "geometry": rect(0, -1000, 1000, 0)}])
    layers = {k: v for k, v in toy().items() if k != "municipalities"} | {"protected_areas": lsg}
    res = solar_ground_potential(municipalities=toy()["municipalities"], layers=layers,
                                 exclusions=exclusions().with_switches({"lsg": True}), categories=categories(),
                                 params=default_params(), lookup=lookup())
    technical = res.frames["pv_ground_technical"].set_index("ags")
    restricted = res.frames["pv_ground_municipalities"].set_index("ags")
    extra = technical["pv_ground_technical_area_ha"] - restricted["pv_ground_area_ha"]
    assert extra[A] == pytest.approx(46.0)
    assert extra[B] == pytest.approx(0.0)
    # at 1 MWp/ha: 46 MWp more
    assert (technical.loc[A, "pv_ground_technical_capacity_mwp"]
            - restricted.loc[A, "pv_ground_capacity_mwp"]) == pytest.approx(46.0)


# ------------------------------------------------------------------------------ both stores

def test_pv_ground_results_read_back_identically_from_both_stores(gpkg_store, postgis_store):
    from geopandas.testing import assert_geodataframe_equal
    from pandas.testing import assert_frame_equal

    frames = toy_result().frames
    record = RunRecord(run_id="pv-1", region_id="toy", started_at="2026-11-25T08:00:00+00:00",
                       finished_at="2026-11-25T08:01:00+00:00", params_hash="0" * 64, code_version="test")
    for store in (gpkg_store, postgis_store):
        store.publish(RunResult(record=record, frames=frames))
    for name, frame in frames.items():
        a, b = gpkg_store.read(name), postgis_store.read(name)
        assert len(a) == len(frame) > 0, name
        if isinstance(a, gpd.GeoDataFrame):
            assert_geodataframe_equal(a, b, check_less_precise=False)
        else:
            assert_frame_equal(a, b)


def test_a_rule_set_copied_without_a_new_id_fails(tmp_path):
    from potenzial.solar_ground import check_rule_sets

    copy = tmp_path / "pv_eeg_2023_copy.toml"
    copy.write_text((RULES / "pv_eeg_2023.toml").read_text(encoding="utf-8").replace(
        'name = "eeg_2023_corridor"', 'name = "eeg_2023_copy"'), encoding="utf-8")
    cats = categories() + [load_category(copy, specs(), values())]
    with pytest.raises(ConfigError, match="rule set id.*pv_eeg_2023"):
        check_rule_sets(exclusions(), cats)
    with pytest.raises(ConfigError, match="category name.*eeg_2023_corridor"):
        check_rule_sets(exclusions(), categories() + [categories()[0]])
