"""Energy use on the default region (the session's whole-region run): the three sums agree, the
county's figures lie beside the published ones, every stand-in draw is counted, the heat density is
served as a styled map layer."""

from __future__ import annotations

import pytest

from potenzial.store import open_store

#: Germany's final energy for space heating and hot water of all buildings ≈ 800 TWh/a (AG Energiebilanzen,
#: Anwendungsbilanzen 2021: households ≈ 550, commerce/services ≈ 200, industry space heat ≈ 50) for 83 M
#: inhabitants ≈ 9.6 MWh per inhabitant; ± 40 % for a rural county with an old stock and little industry.
HEAT_MWH_PER_INHABITANT = (9.6 * 0.6, 9.6 * 1.4)


@pytest.fixture(scope="module")
def tables(pipeline_run):
    settings, record = pipeline_run
    store = open_store(settings.store_url)
    try:
        names = ("demand_buildings", "demand_grid", "demand_municipalities", "demand_horizons", "municipalities")
        return {name: store.read(name, record.run_id) for name in names}
    finally:
        store.close()


def test_municipality_sum_equals_grid_sum_equals_building_sum(tables):
    muni = tables["demand_municipalities"]
    assert len(muni) == len(tables["municipalities"]) == 30
    total = muni["heat_demand_mwh_th_per_a"].sum()
    assert total == pytest.approx(tables["demand_grid"]["heat_demand_mwh_th_per_a"].sum(), rel=1e-9)
    assert total == pytest.approx(tables["demand_buildings"]["heat_demand_mwh_th_per_a"].sum(), rel=1e-9)
    by_ags = tables["demand_buildings"].groupby("ags")["heat_demand_mwh_th_per_a"].sum()
    assert muni.set_index("ags")["heat_demand_mwh_th_per_a"].to_dict() == pytest.approx(by_ags.to_dict(), rel=1e-9)


def test_county_heat_and_electricity_beside_the_published_figures(tables):
    muni = tables["demand_municipalities"]
    population = tables["municipalities"]["population"].sum()
    heat_per_inhabitant = muni["heat_demand_mwh_th_per_a"].sum() / population
    assert HEAT_MWH_PER_INHABITANT[0] < heat_per_inhabitant < HEAT_MWH_PER_INHABITANT[1]
    # no sector table in the default region: commerce and industry fill the county's 1.6 TWh (headline.toml)
    assert set(muni["electricity_basis"]) == {"estimate"}
    assert muni["electricity_use_mwh_el_per_a"].sum() == pytest.approx(1_600_000.0, rel=1e-9)
    # households: BDEW/Destatis ≈ 1,450 kWh per inhabitant (2,890 kWh / 2 persons); the split must stay near it
    households = muni["electricity_households_mwh_el_per_a"].sum() * 1000.0 / population
    assert 1_200 < households < 1_700


def test_stand_in_buildings_get_drawn_age_classes_counted_and_labelled_synthetic(tables):
    buildings, muni = tables["demand_buildings"], tables["demand_municipalities"]
    residential = buildings["age_basis"] != "none"
    # the synthetic layer has functions but no age classes: every residential age class is a draw
    assert (buildings.loc[residential, "age_basis"] == "drawn").all()
    assert muni["ages_drawn"].sum() == residential.sum() > 0
    assert (buildings["type_basis"] == "function").all()


def test_refurbishment_never_raises_demand_in_any_municipality(tables):
    horizons = tables["demand_horizons"].merge(
        tables["demand_municipalities"][["ags", "heat_demand_mwh_th_per_a"]], on="ags", suffixes=("", "_now"))
    assert (horizons["heat_demand_mwh_th_per_a"] <= horizons["heat_demand_mwh_th_per_a_now"] * (1 + 1e-12)).all()
    by_year = horizons.sort_values("horizon_year").groupby("ags")["heat_demand_mwh_th_per_a"]
    assert by_year.apply(lambda s: s.is_monotonic_decreasing).all()
    assert sorted(horizons["horizon_year"].unique()) == [2030, 2035, 2045]


def test_heat_density_is_served_as_a_categorised_synthetic_map_layer(pipeline_run):
    from potenzial.region import load_region
    from potenzial.serving.registry import build_registry

    settings, record = pipeline_run
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    store = open_store(settings.store_url)
    try:
        grid = build_registry(store, region, record, settings.raster_cache).layers["demand_grid"].describe("")
    finally:
        store.close()
    assert grid["kind"] == "vector" and grid["synthetic"] is True   # derived from the stand-in buildings
    assert grid["style"]["kind"] == "categorised" and grid["style"]["field"] == "dh_class"
    assert [c["code"] for c in grid["style"]["classes"]] == ["no_potential", "new_development", "low_temperature",
                                                              "conventional", "very_high"]


def test_balance_is_in_the_summary_table_with_electricity_and_heat_apart(pipeline_run):
    from potenzial.serving.summaries import run_figures, summary_frame

    settings, record = pipeline_run
    store = open_store(settings.store_url)
    try:
        figures = run_figures(store, record)
    finally:
        store.close()
    english = list(summary_frame(figures, "en").columns)
    assert "Electricity coverage (%)" in english and "Heat coverage (%)" in english
    assert "Electricity use (MWh_el/a)" in english and "Heat demand (MWh_th/a)" in english
    german = list(summary_frame(figures, "de").columns)
    assert "Deckung Strom (%)" in german and "Wärmebedarf (MWh_th/a)" in german
