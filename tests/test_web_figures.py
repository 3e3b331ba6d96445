"""The map's derived figures, colour classes and display zooms, on hand-made numbers."""

from __future__ import annotations

import itertools
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from potenzial.crs import ANALYSIS_CRS
from potenzial.serving.figures import Figure
from potenzial.serving.headline import HeadlineParams, with_headline
from web.classes import NO_DATA_COLOUR, _nice, quantile_classes
from web.display import display_minzoom, layer_density, sample_boxes, tile_area_km2
from web.figures import (
    N_CLASSES,
    PALETTES,
    HeadlineContext,
    derived_figures,
    figure_config,
    potentials,
    values_by_ags,
)


def fig(column: str, table: str, unit: str = "", dtype: str = "float") -> Figure:
    return Figure(column, table, column, unit, dtype)


#: a run with roofs, wind and biomass but no ground-mounted PV yet
META = [
    fig("ags", "municipalities", dtype="text"),
    fig("name", "municipalities", dtype="text"),
    fig("area_km2", "municipalities", "km²"),
    fig("population", "municipalities", "persons", "int"),
    fig("pv_installed_mw", "municipalities", "MW"),
    fig("wind_installed_mw", "municipalities", "MW"),
    fig("biomass_installed_mw", "municipalities", "MW"),
    fig("roof_buildings", "solar_roof_municipalities", "count", "int"),
    fig("roof_capacity_mwp", "solar_roof_municipalities", "MWp"),
    fig("roof_yield_gwh_per_a", "solar_roof_municipalities", "GWh/a"),
    fig("roof_installed_mw", "solar_roof_municipalities", "MW"),
    fig("roof_remaining_mwp", "solar_roof_municipalities", "MWp"),
    fig("wind_area_ha", "wind_municipalities", "ha"),
    fig("wind_area_gap_2027_ha", "wind_municipalities", "ha"),
    fig("wind_capacity_mw", "wind_municipalities", "MW"),
    fig("wind_yield_gwh_per_a", "wind_municipalities", "GWh/a"),
    fig("wind_installed_2024_mw", "wind_municipalities", "MW"),
    fig("biomass_primary_energy_mwh_per_a_p10", "biomass_totals", "MWh/a"),
    fig("biomass_primary_energy_mwh_per_a_p50", "biomass_totals", "MWh/a"),
    fig("biomass_electricity_mwh_per_a_p50", "biomass_totals", "MWh/a"),
    fig("biomass_heat_mwh_per_a_p50", "biomass_totals", "MWh/a"),
    fig("biomass_mastr2021_kw", "biomass_totals", "kW"),
]
FRAME = pd.DataFrame({
    "ags": ["14729001", "14729002"], "name": ["A", "B"],
    "area_km2": [10.0, 0.0], "population": [1000, 50],
    "pv_installed_mw": [2.0, 1.0], "wind_installed_mw": [3.0, 0.0], "biomass_installed_mw": [1.0, 0.0],
    "roof_buildings": [100, 10], "roof_capacity_mwp": [8.0, 1.0], "roof_yield_gwh_per_a": [7.5, 0.9],
    "roof_installed_mw": [2.0, 1.0], "roof_remaining_mwp": [6.0, 0.0],  # 8 − 2, max(1 − 1, 0)
    "wind_area_ha": [50.0, 0.0], "wind_area_gap_2027_ha": [-3.0, 1.0], "wind_capacity_mw": [12.0, 0.0],
    "wind_yield_gwh_per_a": [30.0, 0.0], "wind_installed_2024_mw": [3.0, 0.0],
    "biomass_primary_energy_mwh_per_a_p10": [1000.0, 100.0], "biomass_primary_energy_mwh_per_a_p50": [2000.0, np.nan],
    "biomass_electricity_mwh_per_a_p50": [800.0, np.nan], "biomass_heat_mwh_per_a_p50": [1200.0, np.nan],
    "biomass_mastr2021_kw": [500.0, 0.0],
})


def served(frame=FRAME, meta=META, precedence="wind_first"):
    """The frame and figures as the server hands them to the page: with the headline figures."""
    return with_headline(frame, list(meta), HeadlineParams(precedence=precedence))


def by_id(meta=META, precedence="wind_first"):
    return {d.id: d for d in derived_figures(meta, HeadlineContext(precedence=precedence))}


# ------------------------------------------------------------------ which columns a potential uses


def test_potentials_pick_capacity_energy_and_area_like_the_fact_sheet():
    pots = {p.key: p for p in potentials(META)}
    assert list(pots) == ["solar_roof", "pv_ground", "wind", "biomass"]
    assert pots["solar_roof"].capacity.column == "roof_capacity_mwp"
    assert pots["solar_roof"].energy.column == "roof_yield_gwh_per_a"
    assert pots["wind"].capacity.column == "wind_capacity_mw"  # not the installed 2024 figure
    assert pots["wind"].area.column == "wind_area_ha"  # not the area gap
    assert pots["biomass"].capacity is None  # kW of existing plants is no potential
    assert pots["biomass"].energy.column == "biomass_primary_energy_mwh_per_a_p50"  # the median, not P10
    assert pots["pv_ground"].capacity is None and pots["pv_ground"].energy is None
    # roofs are compared with roof PV only, not with all PV of the municipality
    assert pots["solar_roof"].installed.column == "roof_installed_mw"


def test_derived_figures_by_hand():
    frame, meta = served()
    figures = by_id(meta)
    values = {k: d.values(frame) for k, d in figures.items()}
    # electricity [GWh_el/a] = roof 7.5 + wind 30 + biomass CHP 800 MWh/a = 0.8: 38.3 (not the 2,000 MWh/a of
    # primary energy); heat = 1,200 MWh/a of CHP heat = 1.2 GWh_th/a
    assert values["electricity_potential"][0] == pytest.approx(38.3)
    assert figures["electricity_potential"].unit == "GWh_el/a"
    assert figures["electricity_potential"].label == ("Strompotenzial", "Electricity potential")
    assert figures["electricity_potential"].stage == ("planerisch eingeschränktes Potenzial", "restricted potential")
    assert np.isnan(values["electricity_potential"][1])  # biomass unknown in B: no total
    assert values["heat_potential"][0] == pytest.approx(1.2) and figures["heat_potential"].unit == "GWh_th/a"
    assert "Solarthermie" in figures["heat_potential"].note[0]
    # use: 1,600 GWh/a × 1,000 / 1,050 inhabitants = 1,523.81 GWh/a; 38.3 / 1,523.81 = 2.513 %, an estimate
    assert values["electricity_to_use"][0] == pytest.approx(2.5134375, rel=1e-6)
    assert "Schätzung" in figures["electricity_to_use"].note[0] and "estimate" in figures["electricity_to_use"].note[1]
    assert "total_energy" not in figures
    assert values["solar_roof_capacity"].tolist() == [8.0, 1.0]
    assert values["wind_capacity"].tolist() == [12.0, 0.0]
    assert figures["biomass_energy"].unit == "MWh/a" and values["biomass_energy"][0] == 2000.0
    # share of the area: 50 ha of 10 km² = 1000 ha -> 5 %; no area -> no share
    assert values["wind_area_share"][0] == pytest.approx(5.0) and np.isnan(values["wind_area_share"][1])
    assert values["population_density"][0] == pytest.approx(100.0)
    # installed vs potential: (2 roof + 3 wind) MW of (8 + 12) MW -> 25 %; B: 1 MW of 1 MW -> 100 %
    assert values["installed_share"].tolist() == pytest.approx([25.0, 100.0])
    # remaining: roofs 8 - 2 = 6 MWp (the roof step's figure), wind 12 - 3 = 9 MW
    assert values["remaining_solar_roof"].tolist() == pytest.approx([6.0, 0.0])
    assert figures["remaining_solar_roof"].unit == "MWp"
    assert values["remaining_wind"].tolist() == pytest.approx([9.0, 0.0])
    assert not figures["remaining_wind"].selectable
    assert "pv_ground_capacity" not in figures  # not in this run


GROUND_META = [*META, *(fig(c, "pv_ground_municipalities", u) for c, u in (
    ("pv_ground_area_ha", "ha"), ("pv_ground_capacity_mwp", "MWp"), ("pv_ground_yield_gwh_per_a", "GWh/a"),
    ("pv_ground_wind_overlap_ha", "ha"), ("pv_ground_area_wind_first_ha", "ha"),
    ("pv_ground_capacity_wind_first_mwp", "MWp"), ("pv_ground_yield_wind_first_gwh_per_a", "GWh/a"),
    ("pv_ground_installed_2015_mwp", "MWp")))]
# A: 100 ha of open-field PV (100 MWp, 100 GWh/a), 10 ha of it also wind land (of wind's 50 ha), 9 MWp of parks
GROUND_FRAME = FRAME.assign(pv_ground_area_ha=[100.0, 0.0], pv_ground_capacity_mwp=[100.0, 0.0],
                            pv_ground_yield_gwh_per_a=[100.0, 0.0], pv_ground_wind_overlap_ha=[10.0, 0.0],
                            pv_ground_area_wind_first_ha=[90.0, 0.0], pv_ground_capacity_wind_first_mwp=[90.0, 0.0],
                            pv_ground_yield_wind_first_gwh_per_a=[90.0, 0.0], pv_ground_installed_2015_mwp=[9.0, 0.0])


def test_ground_pv_appears_when_the_run_has_it_wind_first():
    frame, meta = served(GROUND_FRAME, GROUND_META)
    figures = by_id(meta)
    # wind first: open-field PV without the 10 ha wind takes: 90 MWp
    assert figures["pv_ground_capacity"].terms == (("pv_ground_capacity_wind_first_mwp", 1.0),)
    assert figures["pv_ground_area_share"].values(frame)[0] == pytest.approx(10.0)  # 100 ha of 1,000 ha
    # electricity: 7.5 roofs + 90 ground + 30 wind + 0.8 biomass = 128.3 GWh_el/a
    assert figures["electricity_potential"].values(frame)[0] == pytest.approx(128.3)
    assert "Vorrang Wind" in figures["electricity_potential"].note[0]
    # installed, like with like: (2 roof + 9 ground + 3 wind) of (8 + 90 + 12) MW = 14 / 110
    assert figures["installed_share"].values(frame)[0] == pytest.approx(100 * 14 / 110)
    # the solar parks leave the roofs' remaining 6 MWp alone; ground 90 − 9 = 81 MWp
    assert figures["remaining_solar_roof"].values(frame)[0] == pytest.approx(6.0)
    assert figures["remaining_pv_ground"].values(frame)[0] == pytest.approx(81.0)


def test_ground_pv_pv_first_keeps_its_land_and_wind_loses_the_overlap():
    frame, meta = served(GROUND_FRAME, GROUND_META, precedence="pv_first")
    figures = by_id(meta, precedence="pv_first")
    assert figures["pv_ground_capacity"].terms == (("pv_ground_capacity_mwp", 1.0),)
    # 7.5 + 100 ground + wind 30 × (1 − 10/50) = 24 + 0.8 = 132.3 GWh_el/a
    assert figures["electricity_potential"].values(frame)[0] == pytest.approx(132.3)
    assert "Vorrang Freiflächen-PV" in figures["electricity_potential"].note[0]
    assert figures["installed_share"].values(frame)[0] == pytest.approx(100 * 14 / 120)  # (2+9+3)/(8+100+12)
    assert figures["remaining_pv_ground"].values(frame)[0] == pytest.approx(91.0)  # 100 − 9


def test_a_run_with_base_figures_only_still_has_population_density():
    base = [f for f in META if f.table == "municipalities"]
    assert [d.id for d in derived_figures(base)] == ["population_density"]
    # served, it has no headline either (no potential to add up)
    frame, meta = with_headline(FRAME[[f.column for f in base]], base, HeadlineParams())
    assert meta == base and list(frame.columns) == [f.column for f in base]


def test_figure_config_is_json_with_values_per_ags_and_classes():
    frame, meta = served()
    config = figure_config(frame, meta).to_json()
    values = values_by_ags(figure_config(frame, meta))
    assert values["electricity_potential"] == {"14729001": pytest.approx(38.3), "14729002": None}
    total = next(f for f in config["figures"] if f["id"] == "electricity_potential")
    assert total["label"] == {"de": "Strompotenzial", "en": "Electricity potential"}
    assert total["stage"] == {"de": "planerisch eingeschränktes Potenzial", "en": "restricted potential"}
    assert total["classes"]["limits"][0] <= 38.3 <= total["classes"]["limits"][-1]
    remaining = next(f for f in config["figures"] if f["id"] == "remaining_solar_roof")
    assert "classes" not in remaining
    assert config["panel"]["headline"] == ["electricity_potential", "heat_potential", "electricity_to_use"]
    assert config["panel"]["stage"]["de"] == "planerisch eingeschränktes Potenzial"
    assert config["panel"]["precedence"]["en"].startswith("wind first")
    assert [q["column"] for q in config["panel"]["installed"]] == [
        "roof_installed_mw", "wind_installed_mw", "biomass_installed_mw"]
    assert config["panel"]["remaining"] == ["remaining_solar_roof", "remaining_wind"]
    assert config["panel"]["hidden"] == ["stage", "precedence", "electricity_use_basis"]
    biomass = next(p for p in config["panel"]["potentials"] if p["key"] == "biomass")
    assert biomass["electricity"] == {"column": "electricity_biomass_gwh_per_a", "unit": "GWh_el/a"}


# ------------------------------------------------------------------ classes


def test_nice_rounds_to_two_significant_digits():
    assert _nice(1234.0, "floor") == 1200.0 and _nice(1234.0, "ceil") == 1300.0
    assert _nice(0.01234, "round") == 0.012 and _nice(3.4000000001, "round") == 3.4
    assert _nice(0.0, "ceil") == 0.0 and _nice(-5.55, "floor") == -5.6


def test_quantile_classes_by_hand():
    colours = PALETTES["total"]
    classes = quantile_classes(np.arange(1.0, 11.0), colours)
    # quantiles of 1..10 at 20/40/60/80 %: 2.8, 4.6, 6.4, 8.2
    assert classes.limits == (1.0, 2.8, 4.6, 6.4, 8.2, 10.0)
    assert classes.colours == colours
    assert classes.colour(1.0) == colours[0] and classes.colour(2.8) == colours[1]
    assert classes.colour(10.0) == colours[-1] and classes.colour(float("nan")) == NO_DATA_COLOUR


def test_quantile_classes_of_equal_or_missing_values():
    one = quantile_classes(np.array([5.0, 5.0, np.nan]), PALETTES["wind"])
    assert one.limits == (5.0, 5.0) and len(one.colours) == 1 and one.colour(5.0) == one.colours[0]
    none = quantile_classes(np.array([np.nan]), PALETTES["wind"])
    assert none.colours == () and none.colour(1.0) == NO_DATA_COLOUR


def test_quantile_classes_are_ascending_and_colour_monotonically():
    values = np.array([0.0, 0.0, 0.1, 3.0, 7.0, 40.0, 41.0, 1200.0, 5300.0, 5278.02])
    classes = quantile_classes(values, PALETTES["pv_ground"])
    assert list(classes.limits) == sorted(set(classes.limits))
    assert classes.limits[0] <= values.min() and classes.limits[-1] >= values.max()
    ranks = [classes.colours.index(classes.colour(v)) for v in np.sort(values)]
    assert ranks == sorted(ranks)


# ------------------------------------------------------------------ display zooms


def test_tile_area_by_hand():
    assert tile_area_km2(0, 0.0) == pytest.approx(40_075.016686**2)
    assert tile_area_km2(1, 0.0) == pytest.approx(40_075.016686**2 / 4)
    assert tile_area_km2(10, 60.0) == pytest.approx((40_075.016686 * 0.5 / 1024) ** 2)


def test_display_minzoom_by_hand():
    # 1 feature/km² at the equator: a tile may cover 8000 km²; z9 covers 6127 km², z8 24509 km²
    assert display_minzoom(1.0, 0.0, 0.0) == 9
    # 1000 vertices/km²: at most 250 km² per tile; z12 covers 95.7 km², z11 383 km²
    assert display_minzoom(1.0, 1000.0, 0.0) == 12
    assert display_minzoom(0.0, 0.0, 51.2) == 0
    assert display_minzoom(1e9, 0.0, 51.2, highest=14) == 14
    # denser never shows earlier
    zooms = [display_minzoom(d, 5 * d, 51.2) for d in (0.1, 1, 10, 100, 1000)]
    assert zooms == sorted(zooms)


def test_layer_density_counts_features_and_clipped_vertices():
    squares = [shapely.box(x, y, x + 10, y + 10) for x, y in ((100, 100), (300, 100), (100, 300), (300, 300))]
    big = shapely.box(-1000, -1000, 0, 0)  # touches box A only at its corner point (no area)
    straddling = shapely.box(-100, 400, 100, 450)  # crosses A's western edge: clipped to 100 x 50 m
    frame = gpd.GeoDataFrame({"id": range(6)}, geometry=[*squares, big, straddling], crs=ANALYSIS_CRS)

    def read_bbox(box):
        return frame.iloc[sorted(frame.sindex.query(shapely.box(*box), predicate="intersects"))]

    box_a = sample_boxes([shapely.Point(500, 500)], 500.0)[0]
    assert box_a == (0.0, 0.0, 1000.0, 1000.0)
    box_b = (5000.0, 5000.0, 6000.0, 6000.0)  # empty
    features, vertices = layer_density(read_bbox, [box_a], percentile=100)
    # 4 squares + the straddling box inside (the big one meets A in a point only)
    assert features == 5.0
    assert vertices == 5 * 5.0  # closed rings of 5 coordinates each, per 1 km²
    features, _ = layer_density(read_bbox, [box_a, box_b], percentile=50)
    assert features == pytest.approx(2.5)
    assert layer_density(read_bbox, []) == (0.0, 0.0)
    assert math.isfinite(layer_density(read_bbox, [box_b])[1])


def test_the_panel_names_each_graded_technology_s_grades_by_title_and_hides_the_raw_columns():
    meta = [Figure("ags", "municipalities", "ags", "", "text"),
            *(Figure(c, "quality", c, "", "text") for c in (
                "ags", "wind_grade", "wind_grade_reason_de", "wind_grade_reason_en"))]
    frame = pd.DataFrame({"ags": ["14729001"], "wind_grade": ["B"], "wind_grade_reason_de": ["x"],
                          "wind_grade_reason_en": ["y"]})
    panel = figure_config(frame, meta).panel
    assert [q["key"] for q in panel["quality"]] == ["wind"]  # only what the run graded
    wind = panel["quality"][0]
    assert wind["label"] == {"de": "Wind", "en": "Wind"} and wind["column"] == "wind_grade"
    assert wind["reason"] == {"de": "wind_grade_reason_de", "en": "wind_grade_reason_en"}
    assert wind["grades"]["B"] == {"de": "B – reale Daten, geschätzte Parameter",
                                   "en": "B – real data, estimated parameters"}
    assert set(wind["grades"]) == {"A", "B", "C", "D"}
    assert {"wind_grade", "wind_grade_reason_de", "wind_grade_reason_en"} <= set(panel["hidden"])


# ------------------------------------------------------------------ colour-vision deficiency

#: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of color
#: vision deficiency", IEEE TVCG 15(6), table for severity 1.0 (dichromacy), in linear RGB
DICHROMACY = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
}
#: CIE76 colour difference below which two swatches of a small legend are hard to tell apart
MIN_DELTA_E = 10.0


def _linear(hex_colour: str) -> np.ndarray:
    srgb = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear sRGB colour."""
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = to_xyz @ linear_rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def test_lab_of_white_and_black():
    assert _lab(_linear("#ffffff")) == pytest.approx([100, 0, 0], abs=0.05)
    assert _lab(_linear("#000000")) == pytest.approx([0, 0, 0], abs=1e-9)


@pytest.mark.parametrize("palette", sorted(PALETTES))
@pytest.mark.parametrize("vision", ["normal", *DICHROMACY])
def test_choropleth_classes_stay_apart_and_ordered_with_colour_vision_deficiency(palette, vision):
    """Each class colour differs from the next by at least MIN_DELTA_E, and lightness falls from
    class to class, also as a protanope, deuteranope or tritanope sees them (so the order of the
    classes reads without hue)."""
    matrix = np.eye(3) if vision == "normal" else np.array(DICHROMACY[vision])
    labs = [_lab(np.clip(matrix @ _linear(c), 0, 1)) for c in PALETTES[palette][:N_CLASSES]]
    for a, b in itertools.pairwise(labs):
        assert float(np.linalg.norm(b - a)) >= MIN_DELTA_E, (palette, vision)
        assert b[0] < a[0], (palette, vision)  # darker with every class
