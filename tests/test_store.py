"""Both stores: a run goes in atomically and comes back identically (real PostGIS, no mocks).

The PostGIS tests use POTENZIAL_TEST_DB (default postgresql://postgres@127.0.0.1:5432/
potenzial_test_store) and are skipped when it cannot be reached; see tests/conftest.py.
"""

from __future__ import annotations

import functools
import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from potenzial.errors import NotFoundError, StoreError, StoreUnavailableError, UnknownLayerError
from potenzial.runs import RunRecord
from potenzial.store import migrations, open_store
from potenzial.store.base import RunResult, conform
from potenzial.store.migrate import head_revision
from potenzial.store.postgis import PostgisStore
from potenzial.store.schema import MUNICIPALITIES, RESULTS, RUN_INPUTS

REPO = Path(__file__).resolve().parent.parent
GEMEINDEN = REPO / "layers" / "regions" / "lk-leipzig" / "data" / "admin_vg5000_2021_sachsen.gpkg"
KINDS = ["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)]


# -- test data: the 30 real municipalities of Landkreis Leipzig with seeded figures -------------

@functools.cache
def _gemeinden() -> gpd.GeoDataFrame:
    frame = gpd.read_file(GEMEINDEN, layer="lk_leipzig_gemeinden", engine="pyogrio")
    return frame.rename(columns={"AGS": "ags", "GEN": "name"})[["ags", "name", "geometry"]]


def make_result(run_id: str, seed: int = 0) -> RunResult:
    """A RunResult over the real municipality polygons; every other figure seeded random."""
    rng = np.random.default_rng(seed)
    munis = _gemeinden().sample(frac=1.0, random_state=seed)  # shuffled: stores must sort by ags
    n = len(munis)
    for column, kind in MUNICIPALITIES.columns:
        if column in ("ags", "name"):
            continue
        if kind == "int":
            munis[column] = rng.integers(0, 60_000, n)
        else:
            munis[column] = rng.random(n) * 10.0 ** rng.integers(-3, 6, n)  # full 53-bit mantissas
    munis.loc[munis.index[0], "pv_installed_mw"] = np.nan
    munis.loc[munis.index[1], "wind_installed_mw"] = 0.1 + 0.2
    inputs = pd.DataFrame({
        "layer_id": ["municipalities", "population", "buildings"],
        "title": ["VG5000 Gemeinden", "Einwohner 2021", "Gebäude (synthetisch)"],
        "kind": ["vector", "table", "vector"],
        "provenance": ["real", "real", "synthetic"],
        "source": ["admin_vg5000_2021_sachsen.gpkg", "lk_leipzig_gemeinden_statistik.csv", f"synth seed {seed}"],
        "sha256": [f"{seed:02d}" + "ab" * 31, "cd" * 32, "ef" * 32],
        "licence": ["dl-de/by-2-0", "dl-de/by-2-0", "CC0"],
        # tab, newline and backslash: COPY must escape them
        "attribution": ["© GeoBasis-DE / BKG 2021", "Statistisches Landesamt\tSachsen\nZeile 2", "C:\\synth"],
    })
    record = RunRecord(
        run_id=run_id,
        region_id="lk-leipzig",
        started_at="2024-11-25T08:00:00+00:00",
        finished_at="2024-11-25T08:00:42.5+00:00",
        params_hash="0" * 63 + str(seed % 10),
        code_version="0.1.0+test",
        steps=("municipalities", "run_inputs"),
        timings_s={"municipalities": 0.125, "run_inputs": 1 / 3},
        synthetic_inputs=("buildings",),
    )
    return RunResult(record=record, frames={"municipalities": munis, "run_inputs": inputs})


def assert_same_frames(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Exactly equal: values, dtypes, order, CRS and geometry bytes (not just topology)."""
    if isinstance(left, gpd.GeoDataFrame) or isinstance(right, gpd.GeoDataFrame):
        assert_geodataframe_equal(left, right, check_less_precise=False)
        assert shapely.to_wkb(left.geometry.values).tolist() == shapely.to_wkb(right.geometry.values).tolist()
    else:
        assert_frame_equal(left, right)


def assert_serves(store, result: RunResult) -> None:
    """``store`` serves ``result`` as its current run, complete and identical."""
    assert store.current_run() == result.record
    for name, frame in result.frames.items():
        assert_same_frames(store.read(name), conform(name, frame))


@pytest.fixture
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


def store_url(store, request) -> str:
    return request.getfixturevalue("postgis_url") if store.kind == "postgis" else store.url


def _subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    return env


def _pg(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute(query, params or None).fetchall()


# -- (1) the same run reads back identically from both stores ----------------------------------

@pytest.mark.postgis
def test_gpkg_and_postgis_read_back_identical_frames(gpkg_store, postgis_store):
    result = make_result("run-a", seed=1)
    gpkg_store.publish(result)
    postgis_store.publish(result)

    assert postgis_store.current_run() == gpkg_store.current_run() == result.record
    assert postgis_store.list_runs() == gpkg_store.list_runs() == [result.record]
    for name in result.frames:
        from_gpkg = gpkg_store.read(name)
        from_pg = postgis_store.read(name)
        assert_same_frames(from_gpkg, from_pg)
        assert_same_frames(from_pg, postgis_store.read(name, run_id="run-a"))
        assert_same_frames(from_pg, conform(name, result.frames[name]))

    munis = postgis_store.read("municipalities")
    assert len(munis) == 30 and munis["ags"].is_monotonic_increasing
    assert set(munis.geom_type) == {"MultiPolygon"}
    assert munis["pv_installed_mw"].isna().sum() == 1
    assert postgis_store.read("run_inputs")["attribution"].tolist() == [
        "C:\\synth", "© GeoBasis-DE / BKG 2021", "Statistisches Landesamt\tSachsen\nZeile 2"]


# -- (2) every geometry column is typed with SRID 25833 ----------------------------------------

@pytest.mark.postgis
def test_every_geometry_column_has_srid_25833(postgis_store, postgis_url):
    postgis_store.publish(make_result("run-a"))
    columns = _pg(postgis_url, "SELECT f_table_name, f_geometry_column, srid, type FROM geometry_columns "
                               "WHERE f_table_schema = current_schema() ORDER BY 1")
    expected = {s.name: s.geometry_type for s in RESULTS.values() if s.geometry_type}
    assert {table: kind for table, _, _, kind in columns} == expected
    assert {srid for _, _, srid, _ in columns} == {25833}
    assert _pg(postgis_url, "SELECT DISTINCT ST_SRID(geom) FROM municipalities") == [(25833,)]
    gist = _pg(postgis_url, "SELECT tablename FROM pg_indexes WHERE schemaname = current_schema() "
                            "AND indexdef ILIKE '%USING gist%'")
    assert {t for (t,) in gist} == set(expected)


# -- (3) a killed or failing publish leaves the previous run current and complete -------------

_KILL_DRIVER = """
import os, pickle, signal, sys
from potenzial.store import open_store
store = open_store(sys.argv[1])
with open(sys.argv[2], "rb") as f:
    result = pickle.load(f)
def die(name):
    os.kill(os.getpid(), signal.SIGKILL)
store.publish(result, on_layer_written=die)
print("published (the kill did not happen)")
"""


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_killed_publish_leaves_previous_run_current(store, request, tmp_path):
    run_a, run_b = make_result("run-a", seed=1), make_result("run-b", seed=2)
    store.publish(run_a)
    pickled = tmp_path / "run-b.pickle"
    pickled.write_bytes(pickle.dumps(run_b))

    proc = subprocess.run([sys.executable, "-c", _KILL_DRIVER, store_url(store, request), str(pickled)],
                          env=_subprocess_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stdout + proc.stderr

    assert_serves(store, run_a)
    assert [r.run_id for r in store.list_runs()] == ["run-a"]
    with pytest.raises(NotFoundError):
        store.read("municipalities", run_id="run-b")
    if store.kind == "postgis":
        url = request.getfixturevalue("postgis_url")
        for table in ("runs", "municipalities", "run_inputs"):
            assert _pg(url, f"SELECT count(*) FROM {table} WHERE run_id = %s", ("run-b",)) == [(0,)]

    store.publish(run_b)  # the same run retried afterwards goes through
    assert_serves(store, run_b)


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_failing_publish_leaves_previous_run_current(store):
    run_a = make_result("run-a", seed=1)
    store.publish(run_a)

    broken = make_result("run-b", seed=2)  # municipalities is fine, run_inputs lacks a column
    broken.frames["run_inputs"] = broken.frames["run_inputs"].drop(columns="licence")
    with pytest.raises(StoreError, match="lacks columns"):
        store.publish(broken)
    assert_serves(store, run_a)

    def explode(name):
        raise RuntimeError(f"disk on fire after {name}")

    with pytest.raises(RuntimeError, match="after municipalities"):
        store.publish(make_result("run-c", seed=3), on_layer_written=explode)
    assert_serves(store, run_a)
    assert [r.run_id for r in store.list_runs()] == ["run-a"]
    if store.kind == "gpkg":
        assert not list(store.folder.rglob("*.partial.gpkg"))


@pytest.mark.postgis
def test_duplicate_run_id_is_refused(postgis_store):
    run_a = make_result("run-a", seed=1)
    postgis_store.publish(run_a)
    with pytest.raises(StoreError, match="already in the store"):
        postgis_store.publish(make_result("run-a", seed=2))
    assert_serves(postgis_store, run_a)


# -- (4) init is idempotent, records the Alembic head and survives two processes at once --------

@pytest.mark.postgis
def test_init_twice_records_the_alembic_head(postgis_store, postgis_url):
    postgis_store.init()
    postgis_store.init()
    newest_file = sorted((Path(migrations.__file__).parent / "versions").glob("[0-9]*.py"))[-1]
    assert postgis_store.schema_revision() == head_revision() == newest_file.name.split("_")[0]
    assert _pg(postgis_url, "SELECT version_num FROM public.alembic_version") == [(head_revision(),)]
    assert postgis_store.list_runs() == []


_INIT_DRIVER = """
import sys
from potenzial.store.postgis import PostgisStore
PostgisStore(sys.argv[1]).init()
"""


@pytest.mark.postgis
def test_init_from_two_processes_at_once(postgis_url):
    from tests.support.postgis import create_database, drop_database

    url = postgis_url.rsplit("/", 1)[0] + "/" + postgis_url.rsplit("/", 1)[1].split("?")[0] + "_init"
    create_database(url, fresh=True)  # no postgis yet: both processes race for the extension too
    try:
        procs = [subprocess.Popen([sys.executable, "-c", _INIT_DRIVER, url], env=_subprocess_env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for proc in procs:
            _, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
        store = PostgisStore(url)
        assert store.schema_revision() == head_revision()
        store.publish(make_result("run-a"))
        assert store.current_run().run_id == "run-a"
        store.close()
    finally:
        drop_database(url)


@pytest.mark.postgis
def test_uninitialised_database_says_run_db_init(postgis_store, postgis_url):
    from tests.support.postgis import reset_store_tables

    postgis_store.close()
    reset_store_tables(postgis_url)
    with pytest.raises(StoreError, match="potenzial db init"):
        postgis_store.current_run()


# -- (5) an unreachable database is one clean line naming the host, never the password ---------

def test_unreachable_database_is_store_unavailable():
    store = open_store("postgresql://postgres:s3cret-pw@127.0.0.1:1/potenzial_test_store")
    assert isinstance(store, PostgisStore)
    assert "s3cret" not in store.url
    calls = {
        "ping": store.ping,
        "init": store.init,
        "current_run": store.current_run,
        "list_runs": store.list_runs,
        "read": lambda: store.read("municipalities"),
        "publish": lambda: store.publish(make_result("run-x")),
    }
    for what, call in calls.items():
        with pytest.raises(StoreUnavailableError) as info:
            call()
        message = str(info.value)
        assert "127.0.0.1" in message and ":1/potenzial_test_store" in message, what
        assert "s3cret" not in message, what
        assert "\n" not in message and "Traceback" not in message and "sqlalche.me" not in message, what
        assert "make db" in message and "POTENZIAL_STORE" in message, what
        assert info.value.__cause__ is None and info.value.__suppress_context__, what
    store.close()


# -- (6) pruning keeps the newest three runs and never the current one --------------------------

@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_pruning_keeps_three_runs(store, request):
    results = [make_result(f"run-{i}", seed=i) for i in range(5)]
    for result in results:
        store.publish(result)
    assert [r.run_id for r in store.list_runs()] == ["run-4", "run-3", "run-2"]
    assert_serves(store, results[-1])
    for kept in results[2:]:
        assert_same_frames(store.read("municipalities", run_id=kept.record.run_id),
                           conform("municipalities", kept.frames["municipalities"]))
    with pytest.raises(NotFoundError):
        store.read("municipalities", run_id="run-1")
    if store.kind == "postgis":
        url = request.getfixturevalue("postgis_url")
        for table in ("municipalities", "run_inputs"):
            assert {r for (r,) in _pg(url, f"SELECT DISTINCT run_id FROM {table}")} == {"run-2", "run-3", "run-4"}


@pytest.mark.postgis
def test_pruning_never_removes_the_current_run(postgis_store, postgis_url):
    for i in range(3):
        postgis_store.publish(make_result(f"run-{i}", seed=i))
    with psycopg.connect(postgis_url) as conn:  # e.g. an operator pinned an older run
        conn.execute("UPDATE current_run SET run_id = 'run-0' WHERE id = 1")
    postgis_store._prune(keep=1)
    assert [r.run_id for r in postgis_store.list_runs()] == ["run-2", "run-0"]
    assert_serves(postgis_store, make_result("run-0", seed=0))


# -- (7) unknown names and empty stores ---------------------------------------------------------

@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_unknown_name_and_empty_store(store):
    with pytest.raises(UnknownLayerError):
        store.read("no_such_layer")
    with pytest.raises(UnknownLayerError):
        store.read("municipalities; DROP TABLE runs")
    assert store.current_run() is None and store.list_runs() == []
    with pytest.raises(NotFoundError):
        store.read("municipalities")

    only_munis = make_result("run-a")
    del only_munis.frames["run_inputs"]
    store.publish(only_munis)
    with pytest.raises(NotFoundError):
        store.read("run_inputs")
    with pytest.raises(NotFoundError):
        store.read("municipalities", run_id="no-such-run")
    with pytest.raises(UnknownLayerError):
        store.publish(RunResult(make_result("run-b").record, {"no_such_layer": pd.DataFrame()}))
    assert store.current_run().run_id == "run-a"
    assert RUN_INPUTS.name in RESULTS


def test_single_parts_become_one_part_multi_geometries_and_the_rest_stays():
    import numpy as np
    import shapely

    from potenzial.store.base import _to_multi

    multi = shapely.MultiPolygon([shapely.box(2, 2, 3, 3), shapely.box(5, 5, 6, 6)])
    geoms = np.array([shapely.box(0, 0, 1, 1), None, multi, shapely.LineString([(0, 0), (1, 1)]),
                      shapely.Point(1, 2, 3)], dtype=object)
    out = _to_multi(geoms)
    assert [None if g is None else g.geom_type for g in out] == ["MultiPolygon", None, "MultiPolygon",
                                                                 "MultiLineString", "MultiPoint"]
    assert out[0].geoms[0].equals_exact(geoms[0], 0) and out[2].equals_exact(multi, 0)
    assert shapely.has_z(out[4]) and out[4].geoms[0].z == 3
    assert geoms[0].geom_type == "Polygon"  # the input is not changed
