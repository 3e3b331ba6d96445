"""Publishing a run, step by step, on tiny hand-made results: both stores, then each store's own layout.

Two municipalities (one drawn as a Polygon, one as a MultiPolygon), one input row and one turbine
point are enough to see every column, geometry type and file that a publish writes, and what is
left behind when it fails.
"""

from __future__ import annotations

import os

import geopandas as gpd
import pandas as pd
import psycopg
import pyogrio
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, box

from potenzial.crs import ANALYSIS_CRS
from potenzial.errors import NotFoundError, StoreError, StoreUnavailableError, UnknownLayerError
from potenzial.store.base import RunRecord, RunResult, conform
from potenzial.store.gpkg import GeoPackageStore
from potenzial.store.postgis import PostgisStore
from potenzial.store.schema import MUNICIPALITIES

X0, Y0 = 340_000.0, 5_690_000.0
KINDS = ["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)]


def record(run_id: str) -> RunRecord:
    return RunRecord(run_id=run_id, region_id="lk-test", started_at="2026-03-01T09:00:00+00:00",
                     finished_at="2026-03-01T09:02:30+00:00", params_hash="ab" * 32, code_version="9.9.9+hand",
                     steps=("municipalities", "wind"), timings_s={"municipalities": 0.5, "wind": 2.25},
                     synthetic_inputs=("buildings",))


def municipalities() -> gpd.GeoDataFrame:
    figures = {c: [1, 2] for c, kind in MUNICIPALITIES.columns if kind == "int"}
    figures |= {c: [0.25, 0.5] for c, kind in MUNICIPALITIES.columns if kind == "float"}
    frame = pd.DataFrame({"ags": ["14729002", "14729001"], "name": ["Zweitdorf", "Erststadt"], **figures})
    geoms = [box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000),
             MultiPolygon([box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0, Y0 + 2000, X0 + 500, Y0 + 2500)])]
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=ANALYSIS_CRS)


def run_inputs() -> pd.DataFrame:
    return pd.DataFrame({"layer_id": ["buildings"], "title": ["Gebäude"], "kind": ["vector"],
                         "provenance": ["synthetic"], "source": ["synth seed 1"], "sha256": ["ef" * 32],
                         "licence": ["CC0"], "attribution": ["hand-made"]})


def turbines() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({"turbine_id": [1], "ags": ["14729001"], "area_id": [7], "turbine_type": ["E-141/4200"],
                          "hub_height_m": [159.0], "rotor_diameter_m": [141.0], "capacity_mw": [4.2],
                          "wind_speed_hub_m_per_s": [6.5], "yield_mwh_per_a": [9000.0], "full_load_hours": [2142.9]})
    return gpd.GeoDataFrame(frame, geometry=[Point(X0 + 500, Y0 + 500)], crs=ANALYSIS_CRS)


def result(run_id: str) -> RunResult:
    return RunResult(record=record(run_id), frames={"municipalities": municipalities(), "run_inputs": run_inputs(),
                                                     "wind_turbines": turbines()})


@pytest.fixture
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


# ------------------------------------------------------------------------------ both stores

@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_a_published_run_is_current_and_reads_back_sorted_and_typed(store):
    written: list[str] = []
    store.publish(result("run-1"), on_layer_written=written.append)
    assert written == ["municipalities", "run_inputs", "wind_turbines"]
    assert store.current_run() == record("run-1")
    munis = store.read("municipalities")
    assert munis["ags"].tolist() == ["14729001", "14729002"]  # sorted by the key
    assert munis["name"].tolist() == ["Erststadt", "Zweitdorf"]
    assert set(munis.geom_type) == {"MultiPolygon"}  # the Polygon was promoted
    assert munis.geometry.iloc[1].equals(MultiPolygon([box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)]))
    assert munis.crs == ANALYSIS_CRS
    assert munis["population"].tolist() == [2, 1]
    points = store.read("wind_turbines")
    assert points.geom_type.tolist() == ["Point"] and points.geometry.iloc[0].equals(Point(X0 + 500, Y0 + 500))
    assert points["capacity_mw"].tolist() == [4.2]
    pd.testing.assert_frame_equal(store.read("run_inputs"), conform("run_inputs", run_inputs()))


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_a_failing_first_publish_leaves_an_empty_store(store):
    def fail(name):
        raise RuntimeError(f"stopped after {name}")

    with pytest.raises(RuntimeError, match="stopped after municipalities"):
        store.publish(result("run-1"), on_layer_written=fail)
    assert store.current_run() is None and store.list_runs() == []


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_an_interrupted_publish_leaves_the_previous_run_current(store):
    store.publish(result("run-1"))

    def interrupt(name):
        if name == "run_inputs":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.publish(result("run-2"), on_layer_written=interrupt)
    assert store.current_run() == record("run-1")
    assert [r.run_id for r in store.list_runs()] == ["run-1"]
    with pytest.raises(NotFoundError):
        store.read("municipalities", run_id="run-2")


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_an_unknown_result_name_fails_before_any_layer_is_written(store):
    written: list[str] = []
    bad = RunResult(record("run-1"), {"municipalities": municipalities(), "no_such_result": pd.DataFrame()})
    with pytest.raises(UnknownLayerError):
        store.publish(bad, on_layer_written=written.append)
    assert store.current_run() is None and store.list_runs() == []
    if store.kind == "postgis":  # the GeoPackage store writes layer by layer into its partial file
        assert written == []


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_the_newest_three_runs_are_kept(store):
    for k in range(1, 6):
        store.publish(result(f"run-{k}"))
    assert [r.run_id for r in store.list_runs()] == ["run-5", "run-4", "run-3"]
    assert store.current_run().run_id == "run-5"
    with pytest.raises(NotFoundError):
        store.read("municipalities", run_id="run-2")


# ------------------------------------------------------------------------------ the GeoPackage layout

def test_gpkg_publish_writes_the_run_file_then_the_pointer_and_leaves_no_temporary_file(gpkg_store):
    gpkg_store.publish(result("run-1"))
    folder = gpkg_store.folder
    assert (folder / "CURRENT").read_text(encoding="utf-8") == "run-1\n"
    assert sorted(p.name for p in (folder / "runs").iterdir()) == ["run-1.gpkg"]
    assert list((folder / "tmp").iterdir()) == []
    assert sorted(gpkg_store.run_layers("run-1")) == ["municipalities", "run_inputs", "wind_turbines"]
    gpkg_store.publish(result("run-2"))
    assert (folder / "CURRENT").read_text(encoding="utf-8") == "run-2\n"
    assert gpkg_store.current_run() == record("run-2")
    assert gpkg_store.read("municipalities", run_id="run-1")["ags"].tolist() == ["14729001", "14729002"]


def test_gpkg_layers_are_typed_even_when_empty_and_single_polygons_become_multi(gpkg_store):
    """The run's GeoPackage declares each layer's geometry type (QGIS reads it), also for an empty
    layer, and a layer of plain Polygons is stored as MultiPolygons as the schema says."""
    run = result("run-1")
    squares = [box(X0, Y0, X0 + 10, Y0 + 10), box(X0 + 20, Y0, X0 + 30, Y0 + 10)]
    run.frames["municipalities"] = run.frames["municipalities"].set_geometry(squares)
    run.frames["wind_turbines"] = turbines().iloc[:0]
    gpkg_store.publish(run)
    path = gpkg_store.run_path("run-1")
    assert pyogrio.read_info(path, layer="municipalities")["geometry_type"] == "MultiPolygon"
    assert pyogrio.read_info(path, layer="wind_turbines")["geometry_type"] == "Point"
    assert set(gpkg_store.read("municipalities").geom_type) == {"MultiPolygon"}
    assert len(gpkg_store.read("wind_turbines")) == 0
    # the run's own record, readable by anyone who opens the file
    table = pyogrio.read_dataframe(path, layer="_run", read_geometry=False)
    assert table.columns.tolist() == ["run_id", "record_json"] and table["run_id"].tolist() == ["run-1"]
    assert RunRecord.from_json(table["record_json"].iloc[0]) == record("run-1")


def test_gpkg_failed_publish_removes_its_partial_file(gpkg_store):
    gpkg_store.publish(result("run-1"))

    def fail(name):
        assert (gpkg_store.folder / "tmp" / "run-2.partial.gpkg").is_file()  # written there first
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        gpkg_store.publish(result("run-2"), on_layer_written=fail)
    assert list((gpkg_store.folder / "tmp").iterdir()) == []
    assert not gpkg_store.run_path("run-2").exists()
    assert (gpkg_store.folder / "CURRENT").read_text(encoding="utf-8") == "run-1\n"


def test_gpkg_store_in_an_unwritable_place_names_the_folder_and_the_fix(tmp_path):
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    folder = tmp_path / "a-file" / "store"
    with pytest.raises(StoreUnavailableError) as info:
        GeoPackageStore(folder).init()
    assert str(info.value) == (f"cannot create the store folder {folder}: Not a directory. Choose a writable folder "
                               "with POTENZIAL_DATA_DIR or --store.")
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_gpkg_pointer_to_a_missing_run_file_is_not_found_naming_run_and_folder(gpkg_store):
    assert gpkg_store.current_run() is None  # no pointer yet
    (gpkg_store.folder / "CURRENT").write_text("run-9\n", encoding="utf-8")
    with pytest.raises(NotFoundError) as info:
        gpkg_store.current_run()
    assert str(info.value) == f"run 'run-9' is not in the store {gpkg_store.folder}."


def test_gpkg_pruning_never_removes_the_run_just_published(gpkg_store):
    """Three runs whose files look newer than now (copied from a machine whose clock runs ahead):
    the run just published is the oldest by modification time, but it is current, so it stays."""
    for k in range(1, 4):
        gpkg_store.publish(result(f"run-{k}"))
        future = 4_102_444_800 + k  # 2100-01-01
        os.utime(gpkg_store.run_path(f"run-{k}"), (future, future))
    gpkg_store.publish(result("run-4"))
    assert gpkg_store.current_run() == record("run-4")
    assert [r.run_id for r in gpkg_store.list_runs()] == ["run-3", "run-2", "run-1", "run-4"]


# ------------------------------------------------------------------------------ the PostGIS rows

def _pg(url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(url, connect_timeout=5) as conn:
        return conn.execute(query, params or None).fetchall()


def test_postgis_publish_writes_the_runs_row_the_rows_and_the_pointer(postgis_store, postgis_url):
    postgis_store.publish(result("run-1"))
    [row] = _pg(postgis_url, "SELECT region_id, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), "
                             "to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), params_hash, "
                             "code_version, layers, record->>'run_id' FROM runs")
    assert row == ("lk-test", "2026-03-01 09:00:00", "2026-03-01 09:02:30", "ab" * 32, "9.9.9+hand",
                   ["municipalities", "run_inputs", "wind_turbines"], "run-1")
    assert _pg(postgis_url, "SELECT run_id FROM current_run") == [("run-1",)]
    assert _pg(postgis_url, "SELECT run_id, ags, ST_SRID(geom), ST_GeometryType(geom), ST_NumGeometries(geom) "
                            "FROM municipalities ORDER BY ags") == [
        ("run-1", "14729001", 25833, "ST_MultiPolygon", 2), ("run-1", "14729002", 25833, "ST_MultiPolygon", 1)]
    assert _pg(postgis_url, "SELECT ST_AsText(geom), ST_SRID(geom) FROM wind_turbines") == [
        (f"POINT({X0 + 500:.0f} {Y0 + 500:.0f})", 25833)]
    geoms = postgis_store.read("municipalities").geometry.values
    assert shapely.equals(geoms, [municipalities().geometry.iloc[1],
                                  MultiPolygon([box(X0 + 1000, Y0, X0 + 2000, Y0 + 1000)])]).all()
    assert postgis_store.run_layers("run-1") == ["municipalities", "run_inputs", "wind_turbines"]


def test_postgis_publishing_a_run_id_twice_names_the_run(postgis_store):
    postgis_store.publish(result("run-1"))
    with pytest.raises(StoreError) as info:
        postgis_store.publish(result("run-1"))
    assert str(info.value).startswith("publishing run run-1: that run id is already in the store ")
    assert postgis_store.current_run() == record("run-1")


def test_postgis_reading_the_current_run_behind_a_lock_times_out_saying_what_it_did(postgis_store, postgis_url):
    """Another session holds an exclusive lock on the runs table: with a 0.5 s statement timeout the
    read is cancelled, and the message says what was being read and which timeout applied."""
    postgis_store.publish(result("run-1"))
    impatient = PostgisStore(postgis_url, statement_timeout_s=0.5)
    try:
        with psycopg.connect(postgis_url, connect_timeout=5) as locker:
            locker.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(StoreError) as info:
                impatient.current_run()
            locker.rollback()
        assert "cancelled a statement while reading the current run after the statement timeout of 0.5 s" in str(
            info.value)
        assert impatient.current_run() == record("run-1")
    finally:
        impatient.close()


def test_postgis_pruning_behind_a_lock_fails_after_the_run_is_published(postgis_store, postgis_url):
    """Pruning comes after the commit: with the biomass table locked, deleting the oldest of four runs
    (its rows cascade there) hits the statement timeout. The error says it was pruning, and the new run is
    current all the same."""
    for k in range(1, 4):
        postgis_store.publish(result(f"run-{k}"))
    impatient = PostgisStore(postgis_url, statement_timeout_s=0.5)
    try:
        with psycopg.connect(postgis_url, connect_timeout=5) as locker:
            locker.execute("LOCK TABLE biomass IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(StoreError) as info:
                impatient.publish(result("run-4"))
            locker.rollback()
        assert "cancelled a statement while pruning old runs after the statement timeout of 0.5 s" in str(info.value)
        assert impatient.current_run() == record("run-4")
    finally:
        impatient.close()
