"""The ordering of a publish, tested by killing a run (SIGKILL, real processes, real files, real
PostGIS) at every point where it changes a file or has written a layer, on both stores: the store's
current run is only ever a complete run (the previous one or the killed one, whole), the killed
run is remembered as incomplete unless it completed, and the next run publishes and reclaims what
the killed one left. A deliberately misordered publish (``CURRENT`` before the rename into
``runs/``) shows that the sweep finds such a hazard. The same invariants over random kill times
(seeded) sit behind the ``reliability`` marker.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from potenzial.errors import NotFoundError
from potenzial.pipeline import locked_run
from potenzial.store import open_store
from potenzial.store.base import conform
from potenzial.store.gpkg import GeoPackageStore
from tests.support.child_env import child_env
from tests.support.hand_run import hand_result
from tests.support.kill_run import forked
from tests.support.postgis import reset_store_tables

REPO = Path(__file__).resolve().parent.parent
KINDS = ["gpkg", pytest.param("postgis", marks=pytest.mark.postgis)]
PREVIOUS, KILLED, NEXT = "run-previous", "run-killed", "run-next"


@pytest.fixture
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


def store_url(store, request) -> str:
    return request.getfixturevalue("postgis_url") if store.kind == "postgis" else store.url


def _env() -> dict[str, str]:
    env = child_env()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return env


def points_of_a_run(url: str, cache: Path, run_id: str, pointer_first: bool = False) -> list[str]:
    code, points = forked(url, cache, run_id, 0, pointer_first)
    assert code == 0, "\n".join(points)
    return points


def serves_whole(store, run_id: str) -> None:
    """``run_id`` is the store's current run and every one of its results reads back whole."""
    current = store.current_run()
    assert current is not None and current.run_id == run_id
    expected = hand_result(run_id)
    assert current == expected.record
    for name, frame in expected.frames.items():
        got, want = store.read(name), conform(name, frame)
        assert len(got) == len(want) and list(got.columns) == list(want.columns), name
        assert got.drop(columns="geometry", errors="ignore").equals(want.drop(columns="geometry", errors="ignore"))


def check_after_kill(url: str) -> str:
    """The invariants after the killed run, read by a fresh store object (as a server or the next run
    would); returns the run id the store serves."""
    fresh = open_store(url)
    try:
        current = fresh.current_run()
        assert current is not None, "no current run after the kill"
        serves_whole(fresh, current.run_id)
        assert current.run_id in (PREVIOUS, KILLED)
        complete = {r.run_id for r in fresh.list_runs()}
        attempts = {a.run_id: a.status for a in fresh.attempts()}
        if KILLED in complete:
            assert attempts == {}
        else:  # remembered as incomplete once it had taken the lock and written its journal entry
            assert attempts in ({}, {KILLED: "incomplete"}), attempts
            with pytest.raises(NotFoundError):
                fresh.read("municipalities", run_id=KILLED)
        return current.run_id
    finally:
        fresh.close()


def rerun_succeeds_and_reclaims(url: str, cache: Path) -> None:
    """The next run (in this process, as `potenzial run` does it) publishes and reclaims the killed
    run's raster folder and temporary files."""
    store = open_store(url)
    try:
        with locked_run(store, cache, NEXT):
            store.publish(hand_result(NEXT))
        serves_whole(store, NEXT)
        complete = {r.run_id for r in store.list_runs()}
        assert complete >= {PREVIOUS, NEXT}
        # `potenzial db runs` keeps naming the killed run incomplete, if it had journalled itself
        assert [(a.run_id, a.status) for a in store.attempts()] in ([], [(KILLED, "incomplete")])
        if KILLED not in complete:
            assert not (cache / KILLED).exists(), "the killed run's raster folder was not reclaimed"
        if isinstance(store, GeoPackageStore):
            assert list((store.folder / "tmp").iterdir()) == []
    finally:
        store.close()


def _reset(store, url: str, cache: Path) -> None:
    if isinstance(store, GeoPackageStore):
        store.delete()
    else:
        reset_store_tables(url)
    shutil.rmtree(cache, ignore_errors=True)
    store.init()
    store.publish(hand_result(PREVIOUS))


@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_a_run_killed_at_every_point_of_its_publish_leaves_a_complete_run_served(store, request, tmp_path):
    url, cache = store_url(store, request), tmp_path / "raster_cache"
    _reset(store, url, cache)
    points = points_of_a_run(url, cache, KILLED)
    assert sum(p.startswith("layer ") for p in points) == len(hand_result(KILLED).frames)
    if isinstance(store, GeoPackageStore):  # the renames of the publish are among the points
        assert any("os.rename" in p and p.endswith(f"{KILLED}.partial.gpkg") for p in points), points
        assert any("os.rename" in p and f"CURRENT.{KILLED}.tmp" in p for p in points), points
    served = []
    for kill_at in range(1, len(points) + 1):
        _reset(store, url, cache)
        code, output = forked(url, cache, KILLED, kill_at)
        assert code == -signal.SIGKILL, (kill_at, output)
        served.append(check_after_kill(url))
        rerun_succeeds_and_reclaims(url, cache)
    # killed before its pointer switched, the previous run is served; after it, the killed one
    assert served[0] == PREVIOUS and served == sorted(served, key=lambda r: r != PREVIOUS)
    if isinstance(store, GeoPackageStore):
        assert served[-1] == KILLED  # the last points (pruning, journal) come after the switch


def test_the_sweep_finds_a_pointer_switched_before_the_rename(gpkg_store, tmp_path):
    url, cache = gpkg_store.url, tmp_path / "raster_cache"
    _reset(gpkg_store, url, cache)
    points = points_of_a_run(url, cache, KILLED, pointer_first=True)
    failures = 0
    for kill_at in range(len(points), 0, -1):  # the hazard is near the end
        _reset(gpkg_store, url, cache)
        code, output = forked(url, cache, KILLED, kill_at, pointer_first=True)
        assert code == -signal.SIGKILL, output
        try:
            check_after_kill(url)
        except (AssertionError, NotFoundError):
            failures += 1
            break
    assert failures == 1, "the misordered publish survived every kill: the sweep would miss the hazard"


# ------------------------------------------------------------------ random kill times (slow)


@pytest.mark.reliability
@pytest.mark.parametrize("store", KINDS, indirect=True)
def test_a_run_killed_at_random_times_leaves_a_complete_run_served(store, request, tmp_path):
    url, cache = store_url(store, request), tmp_path / "raster_cache"
    durations = []
    for _ in range(2):  # how long a whole run takes here, from ready to exit
        _reset(store, url, cache)
        proc = _ready_run(url, cache)
        t0 = time.perf_counter()
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.wait(timeout=120) == 0, proc.stderr.read()
        durations.append(time.perf_counter() - t0)
    span = max(durations) * 1.2
    rng = random.Random(18)
    for delay in sorted(rng.uniform(0.0, span) for _ in range(12)):
        _reset(store, url, cache)
        proc = _ready_run(url, cache)
        proc.stdin.write("\n")
        proc.stdin.flush()
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        check_after_kill(url)
        rerun_succeeds_and_reclaims(url, cache)


def _ready_run(url: str, cache: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "tests.support.kill_run", url, str(cache), KILLED, "-1"],
                            env=_env(), cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc
