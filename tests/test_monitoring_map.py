"""GET /api/monitoring/map: the used share per snapshot, technology and municipality that the map's
"installed vs potential" view colours by, against a hand-made cascade (tests/support/monitoring_map.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.support.demo_run import settings_for
from tests.support.monitoring import GRIMMA
from tests.support.monitoring_map import (
    BIOMASS_GWH_PER_A,
    GROUND_PV_MWP,
    ROOF_PV_MWP,
    WIND_MW,
    monitoring_store,
    statistics_kw,
)

#: layers/params/default/monitoring.toml and cascade.toml
BIOMASS_FULL_LOAD_H_PER_A, BIOMASS_EFFICIENCY = 5000.0, 0.39


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("monitoring-map")
    monitoring_store(tmp / "store")
    with TestClient(create_app(settings_for(tmp / "store", tmp))) as c:
        yield c


def _tech(body, code):
    return next(t for t in body["technologies"] if t["code"] == code)


def test_the_three_snapshots_and_their_technologies(client):
    body = client.get("/api/monitoring/map").json()
    assert body["dates"] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    assert body["stage"]["code"] == "realisable" and body["has_potential"] is True
    # the 2015 plant list has no roof PV: no PV value then, not 0
    assert sorted(_tech(body, "pv")["values"]) == ["2021-12-31", "2024-12-31"]
    assert sorted(_tech(body, "wind")["values"]) == body["dates"]
    assert all(len(v) == 30 for v in _tech(body, "wind")["values"].values())


def test_used_share_by_hand(client):
    body = client.get("/api/monitoring/map").json()
    wind_kw = statistics_kw("mastr2024_kw_wind_on", {GRIMMA})
    cell = _tech(body, "wind")["values"]["2024-12-31"][GRIMMA]
    # installed [MW] = kW / 1000; share = installed / 50 MW × 100
    assert cell["installed"] == pytest.approx(wind_kw / 1000)
    assert cell["potential"] == WIND_MW
    assert cell["used_share_pct"] == pytest.approx(wind_kw / 1000 / WIND_MW * 100)
    pv_kw = statistics_kw("mastr2021_kw_pv", {GRIMMA})
    pv = _tech(body, "pv")["values"]["2021-12-31"][GRIMMA]
    assert pv["potential"] == ROOF_PV_MWP + GROUND_PV_MWP  # all PV against roof + open-field potential
    assert pv["used_share_pct"] == pytest.approx(pv_kw / 1000 / 100 * 100)
    bio_kw = statistics_kw("mastr2024_kw_biomass", {GRIMMA})
    # primary energy [GWh/a] = kW × 5000 h/a / 1e6 / 0.39
    bio = _tech(body, "biomass")["values"]["2024-12-31"][GRIMMA]
    assert bio["installed"] == pytest.approx(bio_kw * BIOMASS_FULL_LOAD_H_PER_A / 1e6 / BIOMASS_EFFICIENCY)
    assert bio["used_share_pct"] == pytest.approx(bio["installed"] / BIOMASS_GWH_PER_A * 100)
    # biomass against the restricted stage: its realisable stage already deducts the existing plants' use
    assert [t["stage"] for t in body["technologies"]] == ["realisable", "realisable", "restricted"]


def test_groups_and_labels(client):
    body = client.get("/api/monitoring/map", params={"stage": "technical"}).json()
    assert body["stage"] == {"code": "technical", "title_de": "technisch", "title_en": "technical"}
    groups = {g["id"]: g for g in body["groups"]}
    assert len(groups["partheland"]["members"]) == 6
    sets = {g["set"] for g in body["groups"]}
    assert sets == {s["id"] for s in body["group_sets"]} and len(sets) == 2
    for tech in body["technologies"]:
        assert tech["title_de"] and tech["title_en"] and tech["unit"]
    assert body["classes"]["limits"][0] == 0 and len(body["classes"]["colours"]) == len(body["classes"]["limits"])


def test_an_unknown_stage_is_refused_in_one_line(client):
    response = client.get("/api/monitoring/map", params={"stage": "dreamt"})
    assert response.status_code == 422
