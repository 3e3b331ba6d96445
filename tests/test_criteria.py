"""The planning criteria of issue 12 on hand-made geometry: each new rule removes exactly its buffered
area, the state setback skips designated wind areas, empty plots count as dwellings, the area targets
carry their law, and unknown switches fail in one line."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import ConfigError
from potenzial.exclusions import Grid, LayerSpec, RuleSet, evaluate, load_rule_set
from potenzial.wind import (
    RESIDENTIAL_COLUMNS,
    RESIDENTIAL_LAYER,
    WindField,
    classify_residential,
    load_wind_params,
    reference_turbine,
    target_table,
    wind_potential,
)
from tests.support.criteria import CRITERIA_LAYERS

RULES = Path(__file__).resolve().parents[1] / "layers" / "rules"
X0, Y0 = 320_000.0, 5_680_000.0
RES_M = 10.0

#: the new wind rules and the buffer the law (or the practice) gives each [m], see wind_sn_2022.toml
WIND_BUFFERS_M = {
    "airport_protection": 0.0,          # § 12 LuftVG: the protection area itself
    "airfields": 1500.0,                # § 17 LuftVG: 1.5 km
    "navaid_dvor": 15000.0,             # § 18a LuftVG: DVOR test zone up to 15 km
    "military": 0.0,
    "water_protection_1_2": 0.0,
    "water_protection_3": 0.0,
    "heritage_surroundings": 1000.0,
    "birds_near_zone": 500.0,           # § 45b (2) BNatSchG, Annex 1: Nahbereich 500 m
    "birds_central_red_kite": 1200.0,   # Annex 1: zentraler Prüfbereich red kite 1,200 m
    "birds_central_1000": 1000.0,       # black kite, white stork, osprey, peregrine 1,000 m
    "birds_central_sea_eagle": 2000.0,  # white-tailed eagle 2,000 m
    "regional_priority_other_uses": 0.0,
}
#: the new open-field PV rules and their buffers [m], see pv_exclusions_2023.toml
PV_BUFFERS_M = {"flood_hq100": 0.0, "water_protection_1_2": 0.0, "water_protection_3": 0.0,
                "protected_biotopes": 0.0, "soil_quality": 0.0, "residential_distance": 100.0}


def frame(rows: list[dict], geoms: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=ANALYSIS_CRS)


def specs() -> dict[str, LayerSpec]:
    out = {lid: LayerSpec(columns, family) for lid, (columns, family) in CRITERIA_LAYERS.items()}
    out.update({
        "buildings": LayerSpec(("building_id", "ags", "use"), "polygon"),
        "builtup_areas": LayerSpec(("ortsteil", "ags"), "polygon"),
        "development_plans": LayerSpec(("plan_id", "ags", "use"), "polygon"),
        "landcover": LayerSpec(("class", "ags"), "polygon"), "roads": LayerSpec(("kind", "ref", "width_m"), "line"),
        "railways": LayerSpec(("name", "tracks", "width_m"), "line"),
        "power_lines": LayerSpec(("voltage_kv", "name"), "line"),
        "protected_areas": LayerSpec(("kind", "name"), "polygon"),
        "post_mining": LayerSpec(("kind", "name"), "polygon"),
        "less_favoured_areas": LayerSpec(("name",), "polygon"),
    })
    out[RESIDENTIAL_LAYER] = LayerSpec(("building_id", "ags", "use") + RESIDENTIAL_COLUMNS, "polygon")
    return out


def one_rule(rule_set: RuleSet, rule_id: str) -> RuleSet:
    rule = rule_set.rule(rule_id).model_copy(update={"enabled": True})
    return rule_set.model_copy(update={"rules": (rule,)})


def feature_for(rule) -> dict:
    """Attributes that pass the rule's filter (the first listed value, or the lower bound of a range)."""
    attrs = {}
    for column, value in rule.where.items():
        attrs[column] = value[0] if isinstance(value, list) else value.get("min") if isinstance(value, dict) else value
    return attrs


def excluded_m2(rule_set: RuleSet, rule_id: str, layer: gpd.GeoDataFrame, extent_m: float) -> float:
    rs = one_rule(rule_set, rule_id)
    grid = Grid.from_bounds((X0 - extent_m, Y0 - extent_m, X0 + extent_m, Y0 + extent_m), RES_M)
    layers = {rs.rules[0].layer: layer, "wind_energy_areas": frame([], [])}
    return float(evaluate(rs, layers, grid).bitmask.astype(bool).sum() * grid.cell_area_m2)


def expected_m2(family: str, buffer_m: float, side_m: float) -> tuple[float, float]:
    """Area of the feature grown by the buffer, and its perimeter (for the raster tolerance).

    A square of side s grown by b is the square, four s×b strips and four quarter discs:
    s² + 4·s·b + π·b² (the brief's example: s = 100, b = 50 gives 10,000 + 20,000 + 7,854 = 37,854 m²,
    = (100 + 2·50)² − (4 − π)·50²). A point grown by b is the disc π·b²."""
    if family == "point":
        return math.pi * buffer_m**2, 2 * math.pi * buffer_m
    return side_m**2 + 4 * side_m * buffer_m + math.pi * buffer_m**2, 4 * side_m + 2 * math.pi * buffer_m


def check_rule(path: Path, rule_id: str, buffer_m: float) -> None:
    rule_set = load_rule_set(path, specs())
    rule = rule_set.rule(rule_id)
    assert rule.buffer_m == buffer_m, rule_id  # the distance of the law, as written above
    family = "polygon" if rule.layer == "buildings" else CRITERIA_LAYERS[rule.layer][1]
    side = 100.0
    geom = Point(X0 + 5.0, Y0 + 5.0) if family == "point" else box(X0, Y0, X0 + side, Y0 + side)
    layer = frame([feature_for(rule)], [geom])
    got = excluded_m2(rule_set, rule_id, layer, buffer_m + 200.0)
    want, perimeter = expected_m2(family, buffer_m, side)
    if buffer_m == 0:  # the square lies on cell edges: exactly its 100 cells
        assert got == want == 10_000.0, rule_id
    # cell centres on a 10 m lattice: the boundary cells err both ways; measured at most 0.23 % of the area
    # (900 m² on the 500 m disc), well within a band of an eighth of a cell along the perimeter
    assert got == pytest.approx(want, abs=perimeter * RES_M / 8), (rule_id, got, want)


@pytest.mark.parametrize("rule_id", sorted(WIND_BUFFERS_M))
def test_each_new_wind_rule_removes_its_buffered_area(rule_id):
    check_rule(RULES / "wind_sn_2022.toml", rule_id, WIND_BUFFERS_M[rule_id])


@pytest.mark.parametrize("rule_id", sorted(PV_BUFFERS_M))
def test_each_new_pv_rule_removes_its_buffered_area(rule_id):
    check_rule(RULES / "pv_exclusions_2023.toml", rule_id, PV_BUFFERS_M[rule_id])


def test_a_100_m_square_with_a_50_m_buffer_removes_37854_m2():
    """The brief's example on the heritage rule with its buffer set to 50 m: (100 + 2·50)² − (4 − π)·50²
    = 40,000 − 2,146 = 37,854 m²; at 10 m cells within one cell row along the 728 m perimeter/4."""
    rule_set = load_rule_set(RULES / "wind_sn_2022.toml", specs())
    rule = rule_set.rule("heritage_surroundings").model_copy(update={"buffer_m": 50.0, "buffer_range_m": None})
    rs = rule_set.model_copy(update={"rules": (rule,)})
    layer = frame([{"kind": "monument", "name": "Burg"}], [box(X0, Y0, X0 + 100, Y0 + 100)])
    grid = Grid.from_bounds((X0 - 200, Y0 - 200, X0 + 300, Y0 + 300), RES_M)
    got = evaluate(rs, {"heritage_sites": layer}, grid).bitmask.astype(bool).sum() * 100.0
    assert got == pytest.approx(37_854.0, abs=(400 + 2 * math.pi * 50) * RES_M / 4)


def test_soil_quality_excludes_above_55_only():
    """Two 100 m squares: Ackerzahl 55 (kept: the threshold is 'over 55') and 56 (excluded): 10,000 m²."""
    rule_set = load_rule_set(RULES / "pv_exclusions_2023.toml", specs())
    layer = frame([{"ackerzahl": 55}, {"ackerzahl": 56}],
                  [box(X0, Y0, X0 + 100, Y0 + 100), box(X0 + 200, Y0, X0 + 300, Y0 + 100)])
    assert excluded_m2(rule_set, "soil_quality", layer, 400.0) == 10_000.0


# ------------------------------------------------------------------ designated wind areas and plots

def setback_world(designated: list, plots: list | None = None):
    """A 4 km square, one dwelling (10 m) at x = 1,990–2,000 m, y = 1,990–2,000 m in a built-up area."""
    house = box(X0 + 1990, Y0 + 1990, X0 + 2000, Y0 + 2000)
    buildings = frame([{"building_id": "h", "ags": "1", "use": "residential"}], [house])
    builtup = frame([{"ortsteil": "A", "ags": "1"}], [box(X0 + 1900, Y0 + 1900, X0 + 2100, Y0 + 2100)])
    plans = frame([{"plan_id": "p", "ags": "1", "use": "residential"}], [box(X0 + 3500, Y0 + 100, X0 + 3900, Y0 + 400)])
    residential = classify_residential(buildings, builtup, plans,
                                       plots=frame([{"plot_id": f"p{i}", "ags": "1"} for i in range(len(plots))],
                                                   plots) if plots else None)
    return residential, frame([{"name": f"VRG {i}"} for i in range(len(designated))], designated)


def residential_excluded_m2(residential, designated, exempt: bool = True) -> float:
    rule_set = load_rule_set(RULES / "wind_sn_2022.toml", specs())
    rule = rule_set.rule("residential_sachsbo84")
    assert rule.not_within == "wind_energy_areas"  # § 249 (9) BauGB: no state setback inside them
    if not exempt:
        rule = rule.model_copy(update={"not_within": None})
    rs = rule_set.model_copy(update={"rules": (rule,)})
    grid = Grid.from_bounds((X0, Y0, X0 + 4000, Y0 + 4000), RES_M)
    ex = evaluate(rs, {RESIDENTIAL_LAYER: residential, "wind_energy_areas": designated}, grid)
    return float(ex.bitmask.astype(bool).sum() * grid.cell_area_m2)


def test_the_state_setback_does_not_apply_inside_designated_wind_areas():
    """Designated area: the east half (x >= 2,000 m, the dwelling's east edge). The 10 m dwelling grown by
    1,000 m is 100 + 4·10·1,000 + π·1,000² = 3,181,693 m²; east of x = 2,000 lie the half disc π·1,000²/2
    and the 10 m × 1,000 m strip: left excluded 100 + 40,000 − 10,000 + π·10⁶/2 = 1,600,896 m²."""
    residential, designated = setback_world([box(X0 + 2000, Y0, X0 + 4000, Y0 + 4000)])
    assert residential_excluded_m2(residential, designated, exempt=False) == pytest.approx(
        100 + 40_000 + math.pi * 1e6, abs=(40 + 2 * math.pi * 1000) * RES_M / 4)
    assert residential_excluded_m2(residential, designated) == pytest.approx(
        30_100 + math.pi * 1e6 / 2, abs=(40 + 2 * math.pi * 1000) * RES_M / 4)


def test_setback_bands_count_designated_land_as_free_at_every_setback():
    """The what-if table of the wind kernel: at 500 m the dwelling grown by 500 m is 100 + 20,000 + π·500²,
    minus the east half (π·500²/2 + 10 × 500): 15,100 + 392,699 = 407,799 m² excluded of 16,000,000."""
    house = box(X0 + 1990, Y0 + 1990, X0 + 2000, Y0 + 2000)
    layers = {"buildings": frame([{"building_id": "h", "ags": "1", "use": "residential"}], [house]),
              "builtup_areas": frame([{"ortsteil": "A", "ags": "1"}], [house.buffer(20)]),
              "development_plans": frame([{"plan_id": "p", "ags": "1", "use": "commercial"}],
                                         [box(X0, Y0, X0 + 1, Y0 + 1)]),
              "wind_energy_areas": frame([{"name": "VRG"}], [box(X0 + 2000, Y0, X0 + 4000, Y0 + 4000)])}
    rule_set = load_rule_set(RULES / "wind_sn_2022.toml", specs())
    only = rule_set.model_copy(update={"rules": (rule_set.rule("residential_sachsbo84"),)})
    munis = frame([{"ags": "1", "name": "A"}], [box(X0, Y0, X0 + 4000, Y0 + 4000)])
    wind = WindField(speed_m_per_s=np.full((60, 60), 6.0, dtype=np.float32),
                     transform=from_origin(X0 - 1000, Y0 + 5000, 100, 100), crs=ANALYSIS_CRS, height_m=150.0)
    result = wind_potential(municipalities=munis, layers=layers, rule_set=only,
                            params=load_wind_params({"min_area_ha": 0.0}),
                            turbine=reference_turbine("E-141/4200", 159.0), wind=wind)
    bands = result.frames["wind_setback_bands"].set_index("setback_m")["eligible_ha"]
    tolerance_ha = (40 + 2 * math.pi * 500) * RES_M / 4 / 1e4 + 0.01 * 40.8  # lattice + the ~1 % of other setbacks
    assert bands.loc[500.0] == pytest.approx((16e6 - 15_100 - math.pi * 500**2 / 2) / 1e4, abs=tolerance_ha)
    area = result.frames["wind_municipalities"]["wind_area_ha"].iloc[0]
    assert bands.loc[1000.0] == pytest.approx(area)  # exact at the rule's own setback
    assert area == pytest.approx((16e6 - 30_100 - math.pi * 1e6 / 2) / 1e4,
                                 abs=(40 + 2 * math.pi * 1000) * RES_M / 4 / 1e4)


def test_empty_plots_count_as_dwellings_in_plans_and_built_up_areas():
    """Three 30 × 25 m plots: in the residential plan (class 1), in the built-up area (class 2), and in the
    open land (neither § 30 nor § 34: not buildable, left out)."""
    in_plan = box(X0 + 3600, Y0 + 200, X0 + 3630, Y0 + 225)
    in_builtup = box(X0 + 2050, Y0 + 1950, X0 + 2080, Y0 + 1975)
    outside = box(X0 + 500, Y0 + 3500, X0 + 530, Y0 + 3525)
    residential, _ = setback_world([], plots=[in_plan, in_builtup, outside])
    assert residential["sachsbo84_class"].tolist() == [2, 1, 2]  # the dwelling, then the two buildable plots
    assert residential["group_size"].tolist() == [0, 0, 0]


def test_an_empty_plot_gets_the_setback_of_a_dwelling():
    """One plot of 30 × 25 m in the built-up area, no dwelling: 750 + 2·(30 + 25)·1,000 + π·1,000²
    = 3,252,343 m² excluded (the plot grown by 1,000 m)."""
    plot = box(X0 + 1980, Y0 + 1980, X0 + 2010, Y0 + 2005)
    builtup = frame([{"ortsteil": "A", "ags": "1"}], [box(X0 + 1900, Y0 + 1900, X0 + 2100, Y0 + 2100)])
    buildings = frame([{"building_id": "far", "ags": "1", "use": "residential"}],
                      [box(X0 + 90_000, Y0, X0 + 90_010, Y0 + 10)])  # a dwelling far outside the grid
    residential = classify_residential(buildings, builtup, frame([], []).assign(use=[]),
                                       plots=frame([{"plot_id": "p", "ags": "1"}], [plot]))
    got = residential_excluded_m2(residential, frame([], []))
    assert got == pytest.approx(750 + 110_000 + math.pi * 1e6, abs=(110 + 2 * math.pi * 1000) * RES_M / 4)


# ------------------------------------------------------------------ area targets

def test_targets_carry_their_law_and_the_saxon_target_as_amended_in_2025():
    targets = {t.id: t for t in load_rule_set(RULES / "wind_sn_2022.toml", specs()).targets}
    assert {i: (t.share_pct, t.deadline.isoformat(), t.in_force) for i, t in targets.items()} == {
        "windbg_2027": (1.3, "2027-12-31", True), "windbg_2032": (2.0, "2032-12-31", True),
        "sn_lplg_2027": (1.3, "2027-12-31", True), "sn_lplg_2032": (2.0, "2032-12-31", True),
        "sn_lplg_2022": (2.0, "2027-12-31", False)}  # the 2022 version, replaced on 10 Sep 2025
    assert "WindBG" in targets["windbg_2027"].source and "SächsGVBl. S. 350" in targets["sn_lplg_2027"].source
    assert targets["sn_lplg_2027"].scope == "Planungsregion Leipzig-Westsachsen"


TARGET_RULES = """
[rule_set]
id = "t"
title = "t"
valid_from = 2022-06-01

[[rules]]
id = "forest"
layer = "landcover"
buffer_m = 0
kind = "hard"
source = "a source"

[[targets]]
id = "target_a"
share_pct = 2.0
deadline = 2032-12-31
scope = "Freistaat Sachsen"
enacted = 2022-07-20
source = "WindBG Anlage 1"
"""


def test_a_target_without_its_source_fails_in_one_line(tmp_path):
    path = tmp_path / "t.toml"
    path.write_text(TARGET_RULES.replace('source = "WindBG Anlage 1"\n', ""), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_rule_set(path, specs())
    message = str(err.value)
    assert "\n" not in message
    assert "target 'target_a', field source" in message and "legal source" in message


def test_target_table_by_hand():
    """Two municipalities of 100 ha: A with 1.5 ha eligible (1.5 %), B with none. Target 2 %: 2 ha each;
    A misses 0.5 ha, B 2 ha."""
    rule_set = RuleSet.model_validate({
        "id": "t", "title": "t", "valid_from": "2022-06-01",
        "rules": [{"id": "x", "layer": "landcover", "buffer_m": 0, "kind": "hard", "source": "src"}],
        "targets": [{"id": "target_a", "share_pct": 2.0, "deadline": "2032-12-31", "scope": "Sachsen",
                     "enacted": "2022-07-20", "source": "WindBG Anlage 1"}]})
    munis = frame([{"ags": "A"}, {"ags": "B"}], [box(X0, Y0, X0 + 1000, Y0 + 1000),
                                                 box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)])
    per = pd.DataFrame({"ags": ["A", "B"], "wind_area_ha": [1.5, 0.0], "wind_area_share_pct": [1.5, 0.0]})
    table = target_table(per, munis, rule_set.targets).set_index("ags")
    assert table["target_area_ha"].tolist() == pytest.approx([2.0, 2.0])
    assert table["gap_ha"].tolist() == pytest.approx([0.5, 2.0])
    assert table["met"].tolist() == [False, False]
    assert (table["source"] == "WindBG Anlage 1").all()


# ------------------------------------------------------------------ switches

def test_an_unknown_criterion_switch_names_it_and_the_allowed_switches():
    rule_set = load_rule_set(RULES / "wind_sn_2022.toml", specs())
    with pytest.raises(ConfigError) as err:
        rule_set.with_switches({"bird_central_red_kite": True})  # misspelt: birds_…
    message = str(err.value)
    assert "\n" not in message and "bird_central_red_kite" in message
    for allowed in ("birds_central_red_kite", "navaid_dvor", "water_protection_3", "heritage_surroundings"):
        assert allowed in message
