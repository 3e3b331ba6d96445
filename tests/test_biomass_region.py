"""Biomass step on the default region (Landkreis Leipzig): real statistics, livestock and plants,
synthetic land cover generated into a temporary data folder (≈ 30 s), then the step (≈ 5 s)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from potenzial.biomass import FEEDSTOCK_IDS
from potenzial.params import load_params
from potenzial.region import load_region
from potenzial.runs import RunRecord
from potenzial.settings import PROJECT_ROOT
from potenzial.stand_ins import ensure_stand_ins
from potenzial.steps.biomass import STEP
from potenzial.steps.context import StepContext
from potenzial.store.base import RunResult
from tests.support.biomass_checks import check_quantiles_and_sums
from tests.support.stand_ins import copy_stand_ins

pytestmark = pytest.mark.slow

REGIONS = PROJECT_ROOT / "layers" / "regions"
PARAMS = PROJECT_ROOT / "layers" / "params" / "default"
COUNTY = "14729000"


@pytest.fixture(scope="module")
def region(tmp_path_factory, stand_ins_dir):
    data_dir = tmp_path_factory.mktemp("biomass-data")
    copy_stand_ins(stand_ins_dir, data_dir)
    region = load_region("lk-leipzig", REGIONS, data_dir)
    ensure_stand_ins(region)
    return region


@pytest.fixture(scope="module")
def ctx(region, tmp_path_factory):
    return StepContext(region=region, params=load_params(PARAMS), run_id="biomass-region-test",
                       raster_dir=tmp_path_factory.mktemp("rasters"))


@pytest.fixture(scope="module")
def frames(ctx):
    return STEP.execute(ctx)


class _Result:
    def __init__(self, frames):
        self.biomass, self.totals = frames["biomass"], frames["biomass_totals"]
        self.region, self.map = frames["biomass_region"], frames["biomass_map"]


def test_every_municipality_has_every_feedstock(frames, ctx):
    ags = set(ctx.municipalities["ags"].astype(str))
    assert len(ags) == 30
    per_ags = frames["biomass"].groupby("ags")["feedstock"].apply(frozenset)
    assert set(per_ags.index) == ags
    assert set(per_ags) == {frozenset(FEEDSTOCK_IDS)}
    assert sorted(frames["biomass_totals"]["ags"]) == sorted(ags)
    assert len(frames["biomass_map"]) == 30 * len(FEEDSTOCK_IDS)
    assert frames["biomass"]["primary_energy_mwh_per_a_p50"].notna().all()


def test_biowaste_matches_the_saxon_per_capita_figures(frames, ctx):
    """docs/METHOD.md: Saxony collected 62 kg/cap·a, 77 with green waste (2017), target 100; the median of
    the triangular distribution (62, 77, 100) is 100 - sqrt(0.5 · 38 · 23) = 79.1 kg/cap·a."""
    population = ctx.statistics.set_index("ags").loc[COUNTY, "population_2021"]
    mass = frames["biomass"].groupby("feedstock")["amount_t_per_a"].sum()
    bio_kg, green_kg = (mass[f] * 1000 / population for f in ("biowaste", "green_waste"))
    assert 62 <= bio_kg + green_kg <= 100
    assert abs(bio_kg + green_kg - 79.1) < 2.0
    assert 40 <= bio_kg <= 60  # bio bin: 40 kg (2017) and 44 kg (2023) per capita in Saxony


def test_quantiles_ordered_and_county_total_is_the_sum(frames):
    check_quantiles_and_sums(_Result(frames))


def test_inputs_are_used_as_documented(frames, ctx):
    """Against the published figures of the statistics file (Flächenerhebung 2021, MaStR 2024): the
    county has 22,521 ha forest and 102,516 ha farmland; its 30 municipalities' rows add up to 22,520 ha
    forest (the county row is rounded on its own) and 102,516 ha farmland."""
    stats = ctx.statistics.set_index("ags")
    biomass = frames["biomass"]
    forest = biomass[biomass["feedstock"] == "forest_wood"]
    assert forest["land_area_ha"].sum() == 22_520.0
    assert abs(forest["land_area_ha"].sum() - stats.loc[COUNTY, "area_ha_veg_forrest"]) <= 1.0
    assert forest.set_index("ags").loc["14729160", "land_area_ha"] == 3_109.0  # Grimma, the largest forest
    manure = biomass[biomass["feedstock"] == "manure"]
    assert manure["land_area_ha"].sum() == 102_516.0
    assert (manure["basis"] == "livestock_state scaled by area_ha_veg_agri").all()
    straw = biomass[biomass["feedstock"] == "straw"].set_index("ags")["land_area_ha"]
    grass = biomass[biomass["feedstock"] == "grassland"].set_index("ags")["land_area_ha"]
    assert np.allclose(straw + grass, stats.loc[straw.index, "area_ha_veg_agri"].astype(float))
    assert 0.6 < straw.sum() / (straw.sum() + grass.sum()) < 0.9  # arable share of the farmland
    totals = frames["biomass_totals"]
    assert totals["biomass_plants_2015_count"].sum() == 46  # UFZ 2015: 46 plants, 23.5 MW in the county
    assert totals["biomass_plants_2015_kw"].sum() == pytest.approx(23_505.0)
    # MaStR 2024: 32.6 MW biomass in the county (docs/METHOD.md), 32,594.623 kW in the statistics file
    assert totals["biomass_mastr2024_kw"].sum() == pytest.approx(32_594.623)


def test_map_covers_the_landcover_and_carries_the_table(frames):
    m = frames["biomass_map"]
    assert m.crs.to_epsg() == 25833 and m.geometry.is_valid.all()
    assert set(m["landcover_classes"]) <= {"forest", "arable", "grassland", "arable,grassland", "settlement",
                                           "municipality"}
    merged = m.merge(frames["biomass"], on=["ags", "feedstock"], suffixes=("", "_table"))
    assert np.allclose(merged["primary_energy_mwh_per_a_p50"], merged["primary_energy_mwh_per_a_p50_table"])


def test_local_livestock_layer_replaces_the_state_herd(region, tmp_path):
    csv = tmp_path / "vieh.csv"
    pd.DataFrame({"AGS": ["14729160"], "Milchkuehe": [2500]}).to_csv(csv, index=False)
    local = tmp_path / "region.toml"
    text = (REGIONS / "lk-leipzig" / "region.toml").read_text(encoding="utf-8")
    text = text.replace('source = "data/', f'source = "{REGIONS / "lk-leipzig" / "data"}/')
    text += (f'\n[layers.livestock_local]\ntitle = "Tierbestand je Gemeinde (Test)"\nkind = "table"\n'
             f'source = "{csv}"\nprovenance = "real"\nlicence = "test"\nattribution = "test"\n'
             'fields = { ags = "AGS", cows = "Milchkuehe" }\n')
    local.write_text(text, encoding="utf-8")
    with_local = load_region(local, REGIONS, region.synthetic_dir.parent.parent.parent)
    ctx = StepContext(region=with_local, params=load_params(PARAMS), run_id="t", raster_dir=tmp_path)
    biomass = STEP.execute(ctx)["biomass"].set_index(["ags", "feedstock"])
    assert biomass.loc[("14729160", "manure"), "basis"].startswith("livestock_local (cows) + livestock_state")
    assert biomass.loc[("14729010", "manure"), "basis"] == "livestock_state scaled by area_ha_veg_agri"


@pytest.mark.parametrize("kind", ["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)])
def test_results_go_into_both_stores_and_back(frames, kind, request):
    store = request.getfixturevalue(f"{kind}_store")
    record = RunRecord(run_id="biomass-region", region_id="lk-leipzig", started_at="2026-11-25T08:00:00+00:00",
                       finished_at="2026-11-25T08:00:05+00:00", params_hash="0" * 64, code_version="test")
    store.publish(RunResult(record=record, frames=frames))
    back = store.read("biomass_totals")
    assert len(back) == 30 and back["ags"].is_unique
    assert store.read("biomass_map").geometry.geom_type.eq("MultiPolygon").all()
    assert len(store.read("biomass")) == 30 * len(FEEDSTOCK_IDS)
    region_back = store.read("biomass_region").set_index("feedstock")
    assert region_back.loc["total", "primary_energy_mwh_per_a_p50"] == pytest.approx(
        frames["biomass_region"].set_index("feedstock").loc["total", "primary_energy_mwh_per_a_p50"])
