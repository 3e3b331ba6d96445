"""The map's classes and colours (potenzial.serving.cartography) and the QGIS styles built from them,
read back from a GeoPackage the test writes (sqlite3 + xml.etree, as QGIS would read them)."""

from __future__ import annotations

import sqlite3
import tomllib
import xml.etree.ElementTree as ET

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from potenzial.biomass.feedstocks import FEEDSTOCK_IDS
from potenzial.results.biomass import BIOMASS_MAP
from potenzial.results.solar_roof import SOLAR_ROOF
from potenzial.results.wind import WIND_EXCLUSIONS, WIND_TURBINES
from potenzial.serving.cartography import layer_styles
from potenzial.serving.geopackage import DownloadLayer, write_municipality_geopackage
from potenzial.settings import PROJECT_ROOT
from potenzial.solar_roof.params import SUITABILITY_CLASSES
from potenzial.store.schema import RESULTS

STYLES = layer_styles(RESULTS)
RULES = PROJECT_ROOT / "layers" / "rules"
#: Okabe & Ito (2008), written out from the published table (R, G, B 0..255)
VERMILLION, ORANGE, YELLOW, BLUISH_GREEN = "213,94,0", "230,159,0", "240,228,66", "0,158,115"


def _rule_ids(path) -> list[str]:
    return [r["id"] for r in tomllib.loads(path.read_text(encoding="utf-8")).get("rules", [])]


# ------------------------------------------------------------------ the classification


def test_roof_suitability_classes_are_the_codes_the_roof_model_writes():
    assert [c.code for c in STYLES["solar_roof"].classes] == list(SUITABILITY_CLASSES)
    assert [c.code for c in STYLES["biomass_map"].classes] == list(FEEDSTOCK_IDS)
    # every class a person reads by its title, German and English
    for style in STYLES.values():
        for c in style.classes:
            assert c.title_de and c.title_en and c.title_de != c.code


def test_every_wind_rule_has_exactly_one_reason_class():
    members = [m for c in STYLES["wind_exclusions"].classes for m in c.members]
    assert len(members) == len(set(members))
    assert set(_rule_ids(RULES / "wind_sn_2022.toml")) <= set(members)


def test_every_pv_exclusion_rule_has_exactly_one_reason_class():
    members = [m for c in STYLES["pv_ground_exclusions"].classes for m in c.members]
    assert len(members) == len(set(members))
    assert set(_rule_ids(RULES / "pv_exclusions_2023.toml")) <= set(members)


def test_every_pv_category_of_the_rule_sets_has_a_class():
    names = {tomllib.loads(p.read_text(encoding="utf-8")).get("category", {}).get("name")
             for p in RULES.glob("pv_*.toml")} - {None}
    members = {m for c in STYLES["pv_ground_areas"].classes for m in c.members}
    assert names == members


@pytest.mark.parametrize(("layer", "value", "expected"), [
    # a feature hit by forest and a nature reserve: nature comes first in the declared order
    ("wind_exclusions", "forest,nsg", "nature"),
    ("wind_exclusions", "lsg", "landscape"),
    ("wind_exclusions", "residential_outer_single,motorways", "infrastructure"),
    ("wind_exclusions", "something_new", None),
    # PV: a forest in a water protection zone is shown as water (declared before landscape)
    ("pv_ground_exclusions", "forest,water_protection_3", "water"),
    ("pv_ground_exclusions", "soil_quality", "soil"),
    # an area in the PVFVO and on a mining dump is shown as conversion land
    ("pv_ground_areas", "pvfvo_less_favoured,post_mining", "post_mining"),
    ("pv_ground_areas", "eeg_2023_corridor", "eeg_corridor"),
    # full-load hours: lower limit inclusive, upper exclusive
    ("wind_turbines", 2100.0, "flh_2100"),
    ("wind_turbines", 2099.9, "flh_1800"),
    ("wind_turbines", 1200.0, "flh_lt_1800"),
    ("wind_turbines", 3100.0, "flh_ge_2700"),
    ("solar_roof", "good", "good"),
])
def test_class_of_a_feature(layer, value, expected):
    found = STYLES[layer].class_of(value)
    assert (found.code if found else None) == expected


def test_colours_are_distinct_within_a_layer():
    for style in STYLES.values():
        colours = [c.colour for c in style.classes]
        assert len(colours) == len(set(colours)), style.layer


# ------------------------------------------------------------------ QGIS styles in a GeoPackage


def _square(x: float, y: float, size: float = 10.0) -> shapely.Geometry:
    return shapely.box(x, y, x + size, y + size)


def _frame(schema, rows: list[dict], geoms) -> gpd.GeoDataFrame:
    data = {}
    for col, kind in schema.columns:
        default = {"text": "", "int": 0, "float": 0.0, "bool": False}[kind]
        data[col] = [r.get(col, default) for r in rows]
    return gpd.GeoDataFrame(pd.DataFrame(data), geometry=list(geoms), crs="EPSG:25833")


@pytest.fixture
def styled_gpkg(tmp_path):
    roofs = _frame(SOLAR_ROOF, [{"building_id": "b1", "suitability": "very_good"},
                                {"building_id": "b2", "suitability": "unsuitable"}],
                   [_square(0, 0), _square(20, 0)])
    exclusions = _frame(WIND_EXCLUSIONS, [{"ags": "1", "reason": "nsg", "hard": True},
                                          {"ags": "1", "reason": "lsg", "hard": False}],
                        [_square(0, 20), _square(20, 20)])
    turbines = _frame(WIND_TURBINES, [{"turbine_id": 1, "full_load_hours": 2500.0}], [shapely.Point(5, 5)])
    biomass = _frame(BIOMASS_MAP, [{"ags": "1", "feedstock": "straw"}], [_square(40, 0)])
    layers = [DownloadLayer(s, f, "#666666", STYLES[s.name])
              for s, f in ((SOLAR_ROOF, roofs), (WIND_EXCLUSIONS, exclusions), (WIND_TURBINES, turbines),
                           (BIOMASS_MAP, biomass))]
    path = write_municipality_geopackage(tmp_path / "m.gpkg", layers, _square(-100, -100, 300),
                                         pd.DataFrame({"a": [1]}), pd.DataFrame({"b": ["x"]}))
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT f_table_name, styleQML, useAsDefault FROM layer_styles").fetchall()
    return {name: (ET.fromstring(qml.split("'SYSTEM'>", 1)[1]), default) for name, qml, default in rows}


def _categories(root) -> dict[str, tuple[str, str]]:
    """value -> (fill colour r,g,b, fill style) of a categorised renderer."""
    renderer = root.find("renderer-v2")
    symbols = {s.get("name"): s for s in renderer.find("symbols")}
    out = {}
    for cat in renderer.find("categories"):
        options = {o.get("name"): o.get("value") for o in symbols[cat.get("symbol")].iter("Option")
                   if o.get("name")}
        out[cat.get("value")] = (options["color"].rsplit(",", 1)[0], options["style"])
    return out


def test_roof_planes_open_in_qgis_categorised_by_suitability(styled_gpkg):
    root, default = styled_gpkg["solar_roof"]
    assert default == 1
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol"
    assert renderer.get("attr") == "suitability"
    cats = _categories(root)
    assert list(cats) == ["very_good", "good", "suitable", "unsuitable"]
    assert cats["very_good"] == (VERMILLION, "solid")
    assert cats["good"] == (ORANGE, "solid")
    assert cats["suitable"] == (YELLOW, "solid")
    labels = [c.get("label") for c in renderer.find("categories")]
    assert labels[0] == "sehr gut geeignet / very good"


def test_wind_exclusions_by_reason_with_hard_solid_and_soft_hatched(styled_gpkg):
    root, _ = styled_gpkg["wind_exclusions"]
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol"
    attr = renderer.get("attr")
    # the class is computed from the rule list and the hard flag, nature before landscape
    assert attr.index("'nsg'") < attr.index("'lsg'")
    assert '"reason"' in attr and '"hard"' in attr
    cats = _categories(root)
    assert cats["nature:1"] == (BLUISH_GREEN, "solid")
    assert cats["nature:0"] == (BLUISH_GREEN, "b_diagonal")
    assert "residential:1" in cats and "other:0" in cats
    assert len(cats) == 2 * (len(STYLES["wind_exclusions"].classes) + 1)


def test_turbines_graduated_by_full_load_hours(styled_gpkg):
    root, _ = styled_gpkg["wind_turbines"]
    renderer = root.find("renderer-v2")
    assert renderer.get("type") == "graduatedSymbol"
    assert renderer.get("attr") == "full_load_hours"
    ranges = [(float(r.get("lower")), float(r.get("upper"))) for r in renderer.find("ranges")]
    assert ranges == [(0, 1800), (1800, 2100), (2100, 2400), (2400, 2700), (2700, 8760)]
    symbols = renderer.find("symbols")
    first = {o.get("name"): o.get("value") for o in symbols[0].iter("Option") if o.get("name")}
    assert first["color"].startswith("68,1,84,")  # viridis at 0: #440154
    assert symbols[0].get("type") == "marker"


def test_biomass_categorised_by_feedstock(styled_gpkg):
    root, _ = styled_gpkg["biomass_map"]
    cats = _categories(root)
    assert list(cats) == list(FEEDSTOCK_IDS)
    assert cats["straw"][0] == YELLOW
