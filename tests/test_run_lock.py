"""One run writes into a store at a time (both stores, real files, real PostGIS, real processes):
a second run refuses naming the first, or queues behind it with ``wait``; a run only removes its own
temporary files, and what dead runs left behind is reclaimed by the next holder of the lock only; the
journal remembers failed and incomplete runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from potenzial.errors import InputDataError, StoreBusyError
from potenzial.pipeline import locked_run
from potenzial.store import open_store
from potenzial.store.gpkg import GeoPackageStore
from tests.support.child_env import child_env
from tests.support.hand_run import RUN_DRIVER, hand_result

REPO = Path(__file__).resolve().parent.parent
KINDS = ["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)]


@pytest.fixture
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def other(store, request):
    """A second store object on the same store: another run's file descriptor or database session."""
    second = open_store(store_url(store, request))
    yield second
    second.close()


def store_url(store, request) -> str:
    return request.getfixturevalue("postgis_url") if store.kind == "postgis" else store.url


def statuses(store) -> list[tuple[str, str]]:
    return [(a.run_id, a.status) for a in store.attempts()]


def driver(url: str, cache: Path, run_id: str, mode: str, gate: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
    return subprocess.Popen([sys.executable, "-c", RUN_DRIVER, url, str(cache), run_id, mode, str(gate)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# ------------------------------------------------------------------ refuse or wait


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_a_second_run_refuses_with_one_line_naming_the_running_run_and_wait(store, other):
    with store.run_lock("run-1"):
        with pytest.raises(StoreBusyError) as info, other.run_lock("run-2"):
            pytest.fail("the second run got the lock")
        message = str(info.value)
        assert message.startswith("run run-1 (") and "\n" not in message
        assert message.endswith("so this run did not start. Wait for it to finish, or start this run with --wait "
                                "to queue behind it.")
        if store.kind == "gpkg":
            assert f"process {os.getpid()} on " in message and f"the store {store.url}," in message
        else:
            assert "database session " in message
        assert other.run_lock_holder().run_id == "run-1"
        assert statuses(other) == [("run-1", "running")]  # the refused run left no trace
    assert other.run_lock_holder() is None
    with other.run_lock("run-2"):  # released: the next run goes through
        other.publish(hand_result("run-2"))
    assert [r.run_id for r in store.list_runs()] == ["run-2"]
    assert statuses(store) == []  # a published run leaves the journal


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_with_wait_the_second_run_queues_and_both_publish_complete_runs(store, other):
    waited: list[str] = []
    second_waits = threading.Event()
    errors: list[BaseException] = []

    def second_run() -> None:
        try:
            def on_wait(holder: str) -> None:
                waited.append(holder)
                second_waits.set()

            with other.run_lock("run-2", wait=True, on_wait=on_wait):
                other.publish(hand_result("run-2"))
        except BaseException as exc:  # reported below
            errors.append(exc)
            second_waits.set()

    with store.run_lock("run-1"):
        thread = threading.Thread(target=second_run)
        thread.start()
        assert second_waits.wait(30)
        assert store.list_runs() == []  # the second run waits: it has published nothing
        store.publish(hand_result("run-1"))
    thread.join(60)
    assert errors == [] and not thread.is_alive()
    assert len(waited) == 1 and waited[0].startswith("run run-1 (")
    assert [r.run_id for r in store.list_runs()] == ["run-2", "run-1"]  # first run-1, then run-2
    for run_id in ("run-1", "run-2"):
        assert store.read("municipalities", run_id)["ags"].tolist() == ["14729001", "14729002"]
        assert len(store.read("run_inputs", run_id)) == 1
    assert store.current_run().run_id == "run-2"


# ------------------------------------------------------------------ leftovers of dead runs


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_an_orphan_of_a_dead_run_is_reclaimed_while_a_live_runs_files_are_not(store, request, tmp_path):
    url, cache, gate = store_url(store, request), tmp_path / "raster_cache", tmp_path / "gate"
    (cache / "run-of-another-store").mkdir(parents=True)  # a raster cache may be shared by stores

    dead = driver(url, cache, "run-dead", "die", gate)
    _, err = dead.communicate(timeout=120)
    assert dead.returncode == -signal.SIGKILL, err
    assert (cache / "run-dead" / "wind_speed.tif").is_file()
    if isinstance(store, GeoPackageStore):
        assert (store.folder / "tmp" / "run-dead.partial.gpkg").is_file()
    assert statuses(store) == [("run-dead", "incomplete")]  # nobody holds the lock: the run died

    live = driver(url, cache, "run-live", "hold", gate)
    try:
        assert live.stdout.readline().strip() == "publishing", live.stderr.read()
        # taking the lock, the live run reclaimed the dead run's files; its own are in place
        assert not (cache / "run-dead").exists()
        assert (cache / "run-live" / "wind_speed.tif").is_file()
        if isinstance(store, GeoPackageStore):
            assert sorted(p.name for p in (store.folder / "tmp").iterdir()) == ["run-live.partial.gpkg"]
        # a third run refuses and removes nothing of the live run
        with pytest.raises(StoreBusyError, match="run run-live"), store.run_lock("run-3"):
            pytest.fail("the third run got the lock")
        assert (cache / "run-live" / "wind_speed.tif").is_file()
        if isinstance(store, GeoPackageStore):
            assert (store.folder / "tmp" / "run-live.partial.gpkg").is_file()
        assert statuses(store) == [("run-live", "running"), ("run-dead", "incomplete")]
    finally:
        gate.touch()
        out, err = live.communicate(timeout=120)
    assert live.returncode == 0 and out.strip().endswith("published"), err
    assert store.current_run().run_id == "run-live"
    assert store.read("municipalities")["ags"].tolist() == ["14729001", "14729002"]
    assert (cache / "run-live").is_dir() and (cache / "run-of-another-store").is_dir()
    if isinstance(store, GeoPackageStore):
        assert list((store.folder / "tmp").iterdir()) == []
    assert statuses(store) == [("run-dead", "incomplete")]  # remembered for `potenzial db runs`


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_a_failed_run_is_remembered_with_its_one_line_error(store):
    with pytest.raises(InputDataError), store.run_lock("run-bad"):
        raise InputDataError("layer buildings: the file buildings.gpkg is missing.\nPut it back or run "
                             "`potenzial layers`.")
    with pytest.raises(KeyboardInterrupt), store.run_lock("run-stopped"):
        raise KeyboardInterrupt
    attempts = {a.run_id: a for a in store.attempts()}
    assert {r: (a.status, a.message) for r, a in attempts.items()} == {
        "run-bad": ("failed", "layer buildings: the file buildings.gpkg is missing. Put it back or run "
                              "`potenzial layers`."),
        "run-stopped": ("failed", "interrupted"),
    }
    assert attempts["run-bad"].started_at.endswith("+00:00")
    with store.run_lock("run-good"):  # a later run keeps them in the journal, and publishes
        store.publish(hand_result("run-good"))
    assert sorted(statuses(store)) == [("run-bad", "failed"), ("run-stopped", "failed")]


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_the_raster_folders_of_pruned_runs_go_with_them(store, tmp_path):
    """Four runs, three kept: the fourth publish prunes run-1, and its raster folder goes too."""
    cache = tmp_path / "raster_cache"
    for k in range(1, 5):
        with locked_run(store, cache, f"run-{k}"):
            (cache / f"run-{k}").mkdir(parents=True)
            store.publish(hand_result(f"run-{k}"))
    assert [r.run_id for r in store.list_runs()] == ["run-4", "run-3", "run-2"]
    assert sorted(p.name for p in cache.iterdir()) == ["run-2", "run-3", "run-4"]


def test_gpkg_init_leaves_temporary_files_alone_and_the_lock_holder_removes_other_runs_only(tmp_path):
    store = GeoPackageStore(tmp_path / "store")
    store.init()
    tmp = tmp_path / "store" / "tmp"
    for name in ("run-x.partial.gpkg", "CURRENT.run-x.tmp", "run-1.partial.gpkg"):
        (tmp / name).write_bytes(b"half a run")
    (tmp / "notes.txt").write_text("keep me", encoding="utf-8")
    store.init()  # again: init removes nothing (another run may be writing these)
    assert len(list(tmp.iterdir())) == 4
    with store.run_lock("run-1"):
        assert sorted(p.name for p in tmp.iterdir()) == ["notes.txt", "run-1.partial.gpkg"]
        store.publish(hand_result("run-1"))  # a stale partial of its own id does not get in the way
    assert store.current_run().run_id == "run-1"
    assert sorted(p.name for p in tmp.iterdir()) == ["notes.txt"]


# ------------------------------------------------------------------ two real runs at once


def potenzial(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "potenzial.cli.main", *args], env=env, cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_runs_at_once_the_second_refuses_or_with_wait_queues_and_both_publish_complete_runs(
        pipeline_run, tmp_path):
    """The repro of the bug: `potenzial run --only biomass` twice on one embedded store. Before the lock
    the first run deleted the second's partial file and became current without half its layers."""
    settings, record = pipeline_run
    store = GeoPackageStore(tmp_path / "store")
    shutil.copytree(Path(settings.store_url.removeprefix("gpkg:")), store.folder)
    shutil.copytree(settings.raster_cache / record.run_id, tmp_path / "raster_cache" / record.run_id)
    env = child_env()
    env |= {"POTENZIAL_DATA_DIR": str(settings.data_dir), "POTENZIAL_RASTER_CACHE": str(tmp_path / "raster_cache"),
            "COLUMNS": "200"}
    args = ("run", "--store", str(store.folder), "--only", "biomass")

    first = potenzial(*args, env=env)
    deadline = time.monotonic() + 120
    while (holder := store.run_lock_holder()) is None and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert holder is not None, first.communicate()[1]
    refused = potenzial(*args, env=env)
    _, err = refused.communicate(timeout=120)
    assert refused.returncode == 2 and "Traceback" not in err
    assert " ".join(err.split()).startswith(f"error: run {holder.run_id} (process {first.pid} on ")
    assert "--wait" in err
    second = potenzial(*args, "--wait", env=env)
    _, first_err = first.communicate(timeout=600)
    _, second_err = second.communicate(timeout=600)
    assert first.returncode == 0, first_err
    assert second.returncode == 0, second_err
    assert f"waiting for run {holder.run_id}" in " ".join(second_err.split())

    runs = [r.run_id for r in store.list_runs()]
    assert len(runs) == 3 and runs[1] == holder.run_id and runs[2] == record.run_id
    assert store.current_run().run_id == runs[0]
    layers = set(store.run_layers(record.run_id))
    for run_id in runs[:2]:  # both complete: every layer of the full run, 30 municipalities
        assert set(store.run_layers(run_id)) == layers
        assert len(store.read("municipalities", run_id)) == 30
    assert store.attempts() == [] and list((store.folder / "tmp").iterdir()) == []
