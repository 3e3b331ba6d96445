"""The cascade on the default region (the session's whole-region run): monotone in every
municipality and technology, one row per municipality, energy types kept apart."""

from __future__ import annotations

import pytest

from potenzial.results.cascade import stage_columns
from potenzial.store import open_store


@pytest.fixture(scope="module")
def tables(pipeline_run):
    settings, record = pipeline_run
    store = open_store(settings.store_url)
    try:
        names = ("cascade_municipalities", "cascade_assumptions", "wind_technical", "wind_municipalities",
                 "pv_ground_technical", "pv_ground_municipalities", "municipalities")
        return {name: store.read(name, record.run_id) for name in names}
    finally:
        store.close()


def test_cascade_is_monotone_in_every_municipality_and_technology(tables):
    cascade = tables["cascade_municipalities"]
    assert len(cascade) == len(tables["municipalities"]) == 30
    checked = 0
    for column, _tech, stage, *_ in stage_columns():
        if stage != "realisable":
            continue
        restricted = cascade[column.replace("_realisable_", "_restricted_")]
        technical = cascade[column.replace("_realisable_", "_technical_")]
        assert (cascade[column] >= 0).all(), column
        assert (cascade[column] <= restricted * (1 + 1e-9) + 1e-9).all(), column
        assert (restricted <= technical * (1 + 1e-9) + 1e-9).all(), column
        checked += 1
    assert checked == 8  # realisable quantities: roof 2, open-field PV 3, wind 2, biomass 1
    area = cascade["wind_restricted_area_ha"] <= cascade["wind_technical_area_ha"] * (1 + 1e-9) + 1e-9
    assert area.all()


def test_the_technical_stage_adds_land_where_only_soft_rules_exclude(tables):
    # the default rule sets have soft rules (e.g. LSG), so the county's technical land is larger
    wind, pv = tables["wind_technical"], tables["pv_ground_technical"]
    assert wind["wind_technical_area_ha"].sum() > tables["wind_municipalities"]["wind_area_ha"].sum()
    assert pv["pv_ground_technical_area_ha"].sum() > tables["pv_ground_municipalities"]["pv_ground_area_ha"].sum()
    # no municipality has fewer technical than restricted turbines: the run's layout is kept
    per_muni = wind.set_index("ags")["wind_technical_turbines"]
    restricted = tables["wind_municipalities"].set_index("ags")["wind_turbines"]
    assert (per_muni.reindex(restricted.index) >= restricted).all()


def test_biomass_stays_primary_energy_and_the_assumptions_are_recorded(tables):
    cascade = tables["cascade_municipalities"]
    biomass = [c for c in cascade.columns if c.startswith("biomass_")]
    assert biomass and all(c.endswith("_primary_energy_gwh_per_a") for c in biomass)
    assumptions = tables["cascade_assumptions"]
    assert assumptions["source"].str.len().min() > 20
    assert ((assumptions["low"] <= assumptions["value"]) & (assumptions["value"] <= assumptions["high"])).all()
    assert set(cascade["horizon_year"]) == {2035}
