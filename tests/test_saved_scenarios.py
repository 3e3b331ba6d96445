"""Saved scenarios in both stores: written, listed oldest first and read back identically; an unknown id
is a NotFoundError that says where the ids are."""

from __future__ import annotations

import pytest

from potenzial.errors import NotFoundError
from potenzial.store.saved_scenarios import SavedScenario


def scenario(i: int, created_at: str) -> SavedScenario:
    return SavedScenario(scenario_id=f"{i:032x}", name=f"Szenario {i} – Wald offen", base_run_id="20261203T000000Z-abc",
                         parameters={"residential_setback_m": 800.0 + i, "switches": {"forest": False, "lsg": True},
                                     "pv_ground_power_density_mwp_per_ha": 1.2},
                         created_at=created_at)


@pytest.mark.parametrize("fixture", ["gpkg_store", "postgis_store"])
def test_saved_scenarios_round_trip(fixture, request):
    store = request.getfixturevalue(fixture).saved_scenarios()
    assert store.list() == []
    later, earlier = scenario(2, "2026-12-03T10:00:00+00:00"), scenario(1, "2026-12-02T10:00:00+00:00")
    store.save(later)
    store.save(earlier)
    assert store.list() == [earlier, later]
    assert store.get(later.scenario_id) == later
    with pytest.raises(NotFoundError, match="does not exist; the list of saved scenarios names them"):
        store.get("f" * 32)
    with pytest.raises(NotFoundError, match="ids are 32 hex digits"):
        store.get("../../etc")


def test_the_read_only_server_role_may_save_scenarios_and_nothing_else(postgis_reader_url):
    import psycopg

    from potenzial.store import open_store

    server = open_store(postgis_reader_url, read_only=True)
    try:
        saved = scenario(3, "2026-12-03T11:00:00+00:00")
        server.saved_scenarios().save(saved)  # POST /api/scenarios on a read-only server
        assert server.saved_scenarios().get(saved.scenario_id) == saved
    finally:
        server.close()
    with psycopg.connect(postgis_reader_url) as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        conn.execute("INSERT INTO runs (run_id) VALUES ('x')")
