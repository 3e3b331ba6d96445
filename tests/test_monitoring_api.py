"""GET /api/monitoring and /api/targets on a store with the default region's catalog snapshots."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from potenzial.serving.monitoring_import import import_catalog
from potenzial.store.gpkg import GeoPackageStore
from tests.support.demo_run import settings_for
from tests.support.monitoring import GRIMMA, default_region


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("monitoring-api")
    store = GeoPackageStore(tmp / "store")
    store.init()
    import_catalog(store, default_region())
    with TestClient(create_app(settings_for(tmp / "store", tmp))) as c:
        yield c


def test_monitoring_of_a_municipality(client):
    body = client.get("/api/monitoring", params={"ags": GRIMMA}).json()
    assert body["area"] == {"kind": "municipality", "id": GRIMMA, "title_de": "Grimma", "title_en": "Grimma"}
    assert [s["as_of"] for s in body["snapshots"]] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    wind = [r for r in body["series"]["rows"] if r["technology"] == "wind"]
    assert [r["date"] for r in wind] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    columns = {c["name"]: c for c in body["series"]["columns"]}
    assert columns["capacity_kw"]["unit"] == "kW" and columns["capacity_kw"]["title_de"] == "Installierte Leistung"
    assert {c["code"] for c in columns["technology"]["classes"]} >= {"pv", "wind", "pv_ground"}
    assert all(c["title_de"] and c["title_en"] for c in body["series"]["columns"])


def test_monitoring_of_a_group(client):
    body = client.get("/api/monitoring", params={"group": "partheland"}).json()
    assert body["area"]["kind"] == "group" and len(body["area"]["members"]) == 6
    assert {r["ags"] for r in body["series"]["rows"]} == {"partheland"}
    assert len(body["ranking"]["rows"]) == 6  # each member's rank in the county


def test_targets(client):
    body = client.get("/api/targets", params={"group": "focus"}).json()
    rows = {r["year"]: r for r in body["targets"]["rows"]}
    assert rows[2030]["target_share_pct"] == 63.0 and rows[2035]["target_share_pct"] == 90.0
    assert rows[2024]["renewable_share_pct"] is not None and rows[2024]["electricity_use_estimate"] is True
    assert body["area"]["placeholder"] is True
    assert body["wind_area_targets"] == []  # the store holds no run


@pytest.mark.parametrize("params", [{"group": "nowhere"}, {"ags": "09162000"}, {}, {"ags": GRIMMA, "group": "focus"}])
def test_a_wrong_area_is_404_with_one_line(client, params):
    response = client.get("/api/monitoring", params=params)
    assert response.status_code == 404
    assert "\n" not in response.json()["detail"]


def test_csv_downloads_per_group_with_titles_and_units(client):
    import csv
    import io

    response = client.get("/api/monitoring.csv", params={"group": "wurzener_land"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][5] == "Installierte Leistung [kW]" and rows[0][1] == "Technologie"
    assert {r[1] for r in rows[1:]} >= {"Photovoltaik gesamt", "Windenergie an Land"}  # titles, not codes
    assert {r[0] for r in rows[1:]} == {"wurzener_land"}
    english = client.get("/api/targets.csv", params={"ags": GRIMMA, "lang": "en"}).text.splitlines()
    assert english[0].startswith("Municipality or group,Year [year],Target share [%]")
    assert client.get("/api/targets.csv", params={"ags": GRIMMA, "lang": "fr"}).status_code == 422


def test_served_from_postgis_as_the_read_only_role(postgis_store, postgis_reader_url, tmp_path):
    from potenzial.settings import Settings

    import_catalog(postgis_store, default_region())
    with TestClient(create_app(Settings(store=postgis_reader_url, data_dir=tmp_path))) as c:
        body = c.get("/api/monitoring", params={"group": "muldenland"}).json()
    assert [s["as_of"] for s in body["snapshots"]] == ["2015-12-31", "2021-12-31", "2024-12-31"]
    assert {r["date"] for r in body["series"]["rows"] if r["technology"] == "wind"} == {
        "2015-12-31", "2021-12-31", "2024-12-31"}


def test_a_store_without_snapshots_answers_empty(tmp_path):
    from tests.support.demo_run import publish_demo_run

    publish_demo_run(tmp_path / "store")  # a run, but no monitoring snapshot
    with TestClient(create_app(settings_for(tmp_path / "store", tmp_path))) as c:
        body = c.get("/api/monitoring", params={"ags": GRIMMA}).json()
        assert body["snapshots"] == [] and body["series"]["rows"] == [] and body["status"]["rows"] == []
        targets = c.get("/api/targets", params={"ags": GRIMMA}).json()["targets"]["rows"]
        assert all(r["renewable_share_pct"] is None for r in targets) and targets[0]["target_share_pct"] == 37.0
        page = c.get("/api/monitoring.html", params={"group": "focus"})
        assert page.status_code == 200 and "Noch kein Datensatz" in page.text
        assert c.get("/api/monitoring.csv", params={"ags": GRIMMA}).text.count("\n") == 1  # the header only
