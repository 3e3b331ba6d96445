#!/usr/bin/env python3
"""The first request of a raster tile, a GeoPackage download and a fact sheet right after
`potenzial run` publishes.

One command:  make bench-first-request   (or .venv/bin/python bench/bench_first_request.py [--store URL])

Runs `potenzial run` on the default region in a child process into a fresh store (a temporary
embedded store, or ``--store postgresql://…``) and a fresh raster cache; the data folder (the
synthetic stand-ins) is the settings' one. Then starts the server (``python -m api``, one uvicorn
worker, port 8150 unless ``--port``) on that store and, as soon as it answers ``/healthz``, asks
once each, in this order, over a new loopback connection: a z12 raster tile over Grimma, Grimma's
GeoPackage download and Grimma's fact sheet (German HTML, then PDF); then each a second time.
Prints the machine, the load
average before and after, the run's preparation report and a Markdown table; writes
``bench/results/first_request.json``. Target: every first request ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine_info import machine  # noqa: E402

#: Grimma: AGS and market square [degrees]
GRIMMA_AGS = "14729160"
GRIMMA_LONLAT = (12.7253, 51.2386)
ZOOM = 12
TARGET_MS = 300.0


def get(port: int, path: str) -> tuple[int, int, float]:
    """(status, bytes, milliseconds to the last byte) of one GET on a new connection."""
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, len(body), (time.perf_counter() - t0) * 1000.0


def wait_for_server(port: int, process: subprocess.Popen, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode}); see its output above")
        try:
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer /healthz within {timeout_s:g} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="postgresql://… URL (default: a temporary embedded store)")
    parser.add_argument("--layer", default="wind_setback_distance", help="the raster layer of the tile")
    parser.add_argument("--port", type=int, default=8150)
    args = parser.parse_args()

    from potenzial.settings import Settings
    from potenzial.tiles.grid import tile_for_lonlat

    settings = Settings()
    z, x, y = tile_for_lonlat(*GRIMMA_LONLAT, ZOOM)
    paths = {"raster tile": f"/tiles/{args.layer}/{z}/{x}/{y}.png",
             "GeoPackage download": f"/api/municipalities/{GRIMMA_AGS}/download.gpkg",
             "fact sheet (HTML)": f"/api/municipalities/{GRIMMA_AGS}/factsheet.html",
             "fact sheet (PDF)": f"/api/municipalities/{GRIMMA_AGS}/factsheet.pdf"}
    with tempfile.TemporaryDirectory(prefix="potenzial-first-request-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "POTENZIAL_STORE": args.store or str(tmp / "store"),
               "POTENZIAL_RASTER_CACHE": str(tmp / "raster_cache"), "POTENZIAL_DATA_DIR": str(settings.data_dir)}
        if args.store:
            env["POTENZIAL_SERVE_ALLOW_SUPERUSER"] = "1"
        load_before = os.getloadavg()
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "potenzial.cli.main", "run"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        run_s = time.perf_counter() - t0
        record = subprocess.run([sys.executable, "-c", "from potenzial.settings import Settings;"
                                 "from potenzial.store import open_store;"
                                 "s = open_store(Settings().store_url); print(s.current_run().to_json())"],
                                env=env, check=True, capture_output=True, text=True).stdout
        prepared = json.loads(record)["prepared"]
        server = subprocess.Popen([sys.executable, "-m", "api", "--port", str(args.port)], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_server(args.port, server)
            rows = []
            for what, path in paths.items():
                rows.append((what, path, get(args.port, path)))
            again = [(what, get(args.port, path)) for what, path in paths.items()]
        finally:
            server.terminate()
            server.wait(timeout=30)
        load_after = os.getloadavg()

    print(f"machine: {machine()}")
    print(f"load average (1, 5, 15 min) before the run: {', '.join(f'{v:.2f}' for v in load_before)}; "
          f"after the requests: {', '.join(f'{v:.2f}' for v in load_after)}")
    print(f"store: {'PostGIS' if args.store else 'embedded (GeoPackage)'}; potenzial run: {run_s:.1f} s; "
          f"preparation: {prepared.get('seconds')} s")
    for product, entry in prepared.get("products", {}).items():
        print(f"  prepared {product}: {entry['prepared']} ({entry['failed']} failed) in {entry['seconds']} s")
    print("\n| first request | status | bytes | first [ms] | second [ms] |\n|---|---|---:|---:|---:|")
    for (what, _path, (status, size, ms)), (_, (_s2, _b2, ms2)) in zip(rows, again, strict=True):
        print(f"| {what} | {status} | {size:,} | {ms:.1f} | {ms2:.1f} |")
    slow = [what for what, _path, (status, _size, ms) in rows if status != 200 or ms > TARGET_MS]
    print(f"\ntarget ≤ {TARGET_MS:g} ms each: {'met' if not slow else 'missed by ' + ', '.join(slow)}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "first_request.json").write_text(json.dumps({
        "machine": machine(), "load_before": load_before, "load_after": load_after, "run_s": run_s,
        "store": "postgis" if args.store else "gpkg", "prepared": prepared,
        "first": {what: {"path": path, "status": status, "bytes": size, "ms": ms}
                  for what, path, (status, size, ms) in rows},
        "second": {what: {"status": status, "bytes": size, "ms": ms} for what, (status, size, ms) in again},
    }, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
