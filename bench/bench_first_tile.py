#!/usr/bin/env python3
"""Time of the first tile of every raster layer on a freshly started server, over a real run.

One command:  .venv/bin/python bench/bench_first_tile.py [--drop-display]

Uses the store, raster cache and data folder of the settings (``POTENZIAL_*``; run
``potenzial run`` first). Store and raster cache are copied into a temporary folder; with
``--drop-display`` the copies lose their display COGs (``*.3857.*``), as a run made before
``potenzial run`` built them had none: the server then builds them on the first tile. Asks one
tile at zoom 12 over Grimma of each raster layer, in the order of ``/api/layers``, and prints
the machine, the load, each layer's status and seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine_info import machine  # noqa: E402

#: Grimma's market square [degrees]
GRIMMA_LONLAT = (12.7253, 51.2386)
ZOOM = 12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drop-display", action="store_true", help="remove the display COGs first")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from api.app import create_app
    from potenzial.settings import Settings
    from potenzial.tiles.grid import tile_for_lonlat

    settings = Settings()
    store = Path(settings.store_url.removeprefix("gpkg:"))
    if settings.store_url.startswith("postgresql"):
        raise SystemExit("this benchmark copies an embedded store; unset POTENZIAL_STORE")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        shutil.copytree(store, tmp / "store")
        shutil.copytree(settings.raster_cache, tmp / "raster_cache")
        if args.drop_display:
            for path in (tmp / "raster_cache").rglob("*.3857.*"):
                path.unlink()
        served = Settings(store=str(tmp / "store"), data_dir=settings.data_dir, raster_cache=tmp / "raster_cache")
        z, x, y = tile_for_lonlat(*GRIMMA_LONLAT, ZOOM)
        print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
        with TestClient(create_app(served)) as client:
            layers = [layer["id"] for layer in client.get("/api/layers").json()["served"] if layer["kind"] == "raster"]
            started = time.perf_counter()
            print("| layer | status | first tile [s] | since the first request [s] |\n|---|---|---|---|")
            for layer in layers:
                t0 = time.perf_counter()
                status = client.get(f"/tiles/{layer}/{z}/{x}/{y}.png").status_code
                now = time.perf_counter()
                print(f"| {layer} | {status} | {now - t0:.2f} | {now - started:.2f} |")


if __name__ == "__main__":
    main()
