"""PostgreSQL stopped under load (``make reliability`` only), against a private cluster this test makes
(initdb in a temporary folder, its own port; the shared server is never touched): the server keeps
answering, what needs the database answers 503 with Retry-After at once, tiles it has served keep
flowing, and once the database is back every request is answered again without a restart."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.serving import ServingSettings
from potenzial.settings import Settings
from potenzial.store import open_store
from potenzial.store.base import RunResult
from potenzial.tiles.grid import tile_for_lonlat
from tests.support.demo_run import municipalities_frame, run_record
from tests.support.live_server import LOOPBACK, LiveServer

pytestmark = pytest.mark.reliability

PG_BIN = Path("/usr/lib/postgresql/15/bin")
OUTAGE_S = 8.0


def _tiles(frame, z: int, rows: slice) -> list[tuple[int, int, int]]:
    """The tiles at zoom ``z`` holding a point inside each municipality of ``rows``."""
    points = frame.iloc[rows].geometry.representative_point().to_crs(4326)
    return sorted({tile_for_lonlat(p.x, p.y, z) for p in points})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _as_postgres(*cmd: str) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*prefix, *cmd], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, cmd, done.stdout, done.stderr[-2000:])
    return done


@pytest.fixture
def cluster():
    """(url, start, stop) of a private PostgreSQL cluster with PostGIS."""
    if not (PG_BIN / "initdb").is_file():
        pytest.skip("PostgreSQL 15 binaries not installed (make system)")
    # a folder of its own outside pytest's (which only root may enter): the cluster runs as postgres
    top = Path(tempfile.mkdtemp(prefix="potenzial-outage-"))
    data = top / "pgdata"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(top, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
    options = f"-p {port} -c listen_addresses={LOOPBACK} -k {data} -c fsync=off"

    def start() -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(data / "log"), "start")

    def stop() -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")

    start()
    try:
        _as_postgres(str(PG_BIN / "createdb"), "-h", LOOPBACK, "-p", str(port), "-U", "postgres", "potenzial_outage")
        yield f"postgresql://postgres@{LOOPBACK}:{port}/potenzial_outage", start, stop
    finally:
        try:
            stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(top, ignore_errors=True)


def _tile(z: int, x: int, y: int) -> str:
    return f"/tiles/municipalities/{z}/{x}/{y}.pbf"


class Load:
    """Clients asking for cached tiles in a loop; every answer with its status and time."""

    def __init__(self, base: str, tiles: list[tuple[int, int, int]], clients: int = 8) -> None:
        self.base, self.tiles, self.clients = base, tiles, clients
        self.answers: list[tuple[float, int, float]] = []  # (started, status, seconds)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(clients)]

    def _client(self, i: int) -> None:
        with httpx.Client(base_url=self.base, timeout=10) as c:
            n = i
            while not self._stop.is_set():
                path = _tile(*self.tiles[n % len(self.tiles)])
                n += 1
                t0 = time.monotonic()
                try:
                    status = c.get(path).status_code
                except httpx.HTTPError:
                    status = 0
                with self._lock:
                    self.answers.append((t0, status, time.monotonic() - t0))

    def __enter__(self) -> Load:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=15)


def test_postgresql_stopped_under_load(cluster, tmp_path):
    url, start, stop = cluster
    frame = municipalities_frame()
    cached = _tiles(frame, 10, slice(0, 30)) + _tiles(frame, 12, slice(0, 10))  # served before the outage
    uncached = _tiles(frame, 13, slice(10, 20))  # first asked for during the outage: they need the database
    store = open_store(url)
    store.init()
    store.publish(RunResult(record=run_record("outage-run"), frames={"municipalities": frame}))
    store.close()
    settings = Settings(store=url, data_dir=tmp_path / "data", raster_cache=tmp_path / "raster_cache")
    app = create_app(settings, serving_settings=ServingSettings(allow_superuser=True))
    with LiveServer(app) as base, httpx.Client(base_url=base, timeout=10) as c:
        for tile in cached:
            assert c.get(_tile(*tile)).status_code == 200, tile
        assert c.get("/healthz").status_code == 200
        with Load(base, cached) as load:
            time.sleep(2.0)
            stop()
            down_at = time.monotonic()
            refused: list[float] = []
            while time.monotonic() - down_at < OUTAGE_S:
                for path in [_tile(*t) for t in uncached] + ["/healthz"]:
                    t0 = time.monotonic()
                    answer = c.get(path)
                    seconds = time.monotonic() - t0
                    assert answer.status_code == 503, (path, answer.status_code, answer.text[:200])
                    assert int(answer.headers["retry-after"]) > 0
                    assert "Traceback" not in answer.text and url not in answer.text
                    refused.append(seconds)
                time.sleep(0.2)
            start()
            up_at = time.monotonic()
            # back without a restart of the server: the pool reconnects
            deadline = up_at + 30
            while c.get("/healthz").status_code != 200:
                assert time.monotonic() < deadline, "the server did not recover within 30 s"
                time.sleep(0.2)
            recovered_s = time.monotonic() - up_at
            for tile in uncached:
                assert c.get(_tile(*tile)).status_code in (200, 204), tile
            time.sleep(1.0)
    during = [(status, s) for t0, status, s in load.answers if down_at <= t0 < up_at]
    assert during, "no cached tile was asked for during the outage"
    bad = [status for status, _ in during if status != 200]
    assert not bad, f"cached tiles failed during the outage: {sorted(set(bad))}"
    assert all(status == 200 for _, status, _ in load.answers)
    refused.sort()
    median_ms = 1000 * statistics.median(refused)
    p95_ms = 1000 * refused[int(0.95 * (len(refused) - 1))]
    print(f"\noutage {OUTAGE_S:g} s: {len(during)} cached tiles served (p50 "
          f"{1000 * statistics.median(s for _, s in during):.1f} ms), {len(refused)} requests refused with 503 "
          f"(p50 {median_ms:.1f} ms, p95 {p95_ms:.1f} ms, max {1000 * refused[-1]:.1f} ms); recovered "
          f"{recovered_s:.1f} s after the restart")
    assert p95_ms <= 100.0, f"503 p95 {p95_ms:.1f} ms"
