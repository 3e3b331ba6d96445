"""Shared pytest fixtures. Each section belongs to one area; keep them separate when merging."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
from filelock import FileLock

from tests.support.postgis import create_database, reset_store_tables, store_test_db_url
from tests.support.prepared import PREPARED_MUNICIPALITIES, PREPARED_ZOOMS
from tests.support.stand_ins import copy_stand_ins

# A published run prepares tiles, downloads and fact sheets for its first users (minutes for the
# whole region): tests that run the pipeline prepare only what they name, and the CLI and
# subprocess runs of the tests nothing (POTENZIAL_PREPARE is inherited by child processes).
os.environ.setdefault("POTENZIAL_PREPARE", "none")

# ==============================================================================================
# Markers by need: a test that asks for a PostGIS fixture is marked ``postgis``, one that asks for
# a whole-region run ``slow``, so that ``make test-fast`` (``-m "not postgis and not slow"``)
# selects the unit tests without a marker to forget.
# ==============================================================================================

POSTGIS_FIXTURES = frozenset({"postgis_url", "postgis_store", "postgis_reader_url"})
#: fixtures that compute on the whole default region: pipeline_run (here), gpkg_run
#: (test_pipeline.py), step_run (test_solar_roof_region.py), county (test_synth.py)
SLOW_FIXTURES = frozenset({"pipeline_run", "gpkg_run", "step_run", "county"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        needs = set(getattr(item, "fixturenames", ()))
        if needs & POSTGIS_FIXTURES:
            item.add_marker(pytest.mark.postgis)
        if needs & SLOW_FIXTURES:
            item.add_marker(pytest.mark.slow)
    # load, random kill times: only `make reliability` (-m reliability) runs them
    if "reliability" not in (config.getoption("markexpr", "") or ""):
        skip = pytest.mark.skip(reason="reliability run: make reliability")
        for item in items:
            if "reliability" in item.keywords:
                item.add_marker(skip)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items[:] = run_first_then_the_rest(items)


def run_first_then_the_rest(items: list) -> list:
    """Test files in the order the workers (``--dist loadfile``) take them: first one file that needs the
    session's pipeline run (its worker computes the run), then every file that does not, then the
    others. The other worker meanwhile works through files that never wait for the run. Every worker
    collects the same order (xdist requires it): a stable sort on the collection order."""
    files: dict[str, list] = {}
    for item in items:
        files.setdefault(str(item.path), []).append(item)
    needs = {f: any("pipeline_run" in getattr(i, "fixturenames", ()) for i in group) for f, group in files.items()}
    waiting = [f for f in files if needs[f]]
    order = waiting[:1] + [f for f in files if not needs[f]] + waiting[1:]
    return [item for f in order for item in files[f]]


# ==============================================================================================
# Store fixtures: a real PostGIS database (POTENZIAL_TEST_DB) and a GeoPackage store in tmp_path
# (the database helpers are in tests/support/postgis.py)
# ==============================================================================================


@pytest.fixture(scope="session")
def postgis_url() -> str:
    """URL of the PostGIS test database; skips the test when the server cannot be reached."""
    url = store_test_db_url()
    try:
        create_database(url)
    except psycopg.OperationalError as exc:
        if os.environ.get("POTENZIAL_REQUIRE_POSTGIS"):
            pytest.fail(f"PostGIS test database {url} not reachable: {exc}")
        pytest.skip(f"PostGIS test database not reachable ({' '.join(str(exc).split())[:200]}); "
                    "start it with `make db` or set POTENZIAL_TEST_DB.")
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:  # a worker's database is new
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    reset_store_tables(url)  # a test session starts from an empty schema (no stale migrations)
    return url


@pytest.fixture
def postgis_store(postgis_url):
    """An initialised, empty PostgisStore on the test database."""
    from potenzial.store.postgis import PostgisStore

    reset_store_tables(postgis_url)
    store = PostgisStore(postgis_url)
    store.init()
    yield store
    store.close()


@pytest.fixture
def postgis_reader_url(postgis_store, postgis_url) -> str:
    """The test database's URL as its read-only serving role (``potenzial db init`` creates one), named
    after the database (roles belong to the whole cluster; each test database gets its own)."""
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(postgis_url)
    role = f"{params['dbname']}_reader"
    postgis_store.grant_reader(role)
    host, port = params.get("host", "127.0.0.1"), params.get("port", "5432")
    return f"postgresql://{role}@{host}:{port}/{params['dbname']}"


@pytest.fixture
def gpkg_store(tmp_path):
    """An initialised, empty GeoPackageStore in a temporary folder."""
    from potenzial.store.gpkg import GeoPackageStore

    store = GeoPackageStore(tmp_path / "gpkg-store")
    store.init()
    yield store
    store.close()

# ============================================================================ end store fixtures


# ==============================================================================================
# Pipeline run (issue 8, the map page): the default region through the real pipeline, once per
# session, into a GeoPackage store in a temporary data folder; shared by the test modules that
# need real results (tests/test_web*.py). About 1.5–3 min on 2 cores, paid only when requested.
# ==============================================================================================


@pytest.fixture(scope="session")
def stand_ins_dir(tmp_path_factory) -> Path:
    """A data folder holding the default region's stand-ins, generated once per test session (under
    pytest-xdist once for all workers): modules that need them in a data folder of their own copy them
    with ``tests.support.stand_ins.copy_stand_ins`` (seconds) instead of generating them (about 20 s each)."""
    from potenzial.region import load_region
    from potenzial.settings import Settings
    from potenzial.stand_ins import ensure_stand_ins

    shared = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    folder = tmp_path_factory.getbasetemp().parent / "stand-ins" if shared else tmp_path_factory.mktemp("stand-ins")
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder) + ".lock"):
        settings = Settings(data_dir=folder)
        ensure_stand_ins(load_region(settings.region, settings.regions_dir, folder))
    return folder


@pytest.fixture(scope="session")
def pipeline_run(tmp_path_factory, stand_ins_dir):
    """``(settings, record)`` of one complete run of every step on the default region.

    ``settings`` points at the run's store, data folder (with the generated stand-ins) and raster
    cache, all under a session temporary folder; ``record`` is the published run.
    """
    # POTENZIAL_TEST_REUSE_RUN=DIR keeps the run in DIR and reuses it in later test sessions (while
    # working on the map or the API; a change to the pipeline needs the folder removed). Under
    # pytest-xdist the workers share one run: the first computes it, the others wait for it.
    reuse = os.environ.get("POTENZIAL_TEST_REUSE_RUN")
    shared = bool(os.environ.get("PYTEST_XDIST_WORKER"))
    if reuse:
        tmp = Path(reuse)
    elif shared:
        tmp = tmp_path_factory.getbasetemp().parent / "pipeline-run"
    else:
        tmp = tmp_path_factory.mktemp("pipeline-run")
    tmp.mkdir(parents=True, exist_ok=True)
    with FileLock(str(tmp) + ".lock"):
        return _run_once(tmp, stand_ins_dir, keep=bool(reuse or shared))


def _run_once(tmp: Path, stand_ins_dir: Path, *, keep: bool):
    from potenzial.params import load_params
    from potenzial.pipeline import run_pipeline
    from potenzial.region import load_region
    from potenzial.serving.prepare import PrepareSettings
    from potenzial.settings import PROJECT_ROOT, Settings
    from potenzial.store import open_store

    settings = Settings(store=str(tmp / "store"), data_dir=tmp / "data", raster_cache=tmp / "raster_cache")
    copy_stand_ins(stand_ins_dir, settings.data_dir)
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    store = open_store(settings.store_url)
    try:
        store.init()
        kept = store.current_run() if keep else None
        if kept is not None:
            return settings, kept
        # every product is prepared, for two municipalities and the two lowest zooms (all of them:
        # minutes; tests/test_prepare.py counts a full plan on a small store)
        prepare = PrepareSettings(zooms=PREPARED_ZOOMS, municipalities=PREPARED_MUNICIPALITIES)
        record = run_pipeline(region, store, load_params(PROJECT_ROOT / "layers" / "params" / "default"),
                              raster_cache=settings.raster_cache, prepare=prepare)
    finally:
        store.close()
    return settings, record

# ============================================================================ end pipeline run
