#!/usr/bin/env python3
"""Build time and size of the zoom-10 roof-plane vector tiles, on PostGIS and on the embedded store.

One command:  make bench-roof-tiles   (or .venv/bin/python bench/bench_roof_tiles.py --postgis URL)

Runs `potenzial run` on the default region into a fresh embedded store (no preparation of tiles or
downloads; ``--store FOLDER`` takes a store that holds a run instead), publishes the run's
municipalities, inputs and roof planes into the PostGIS database ``--postgis`` (its tables are
replaced), and builds every zoom-10 tile of the ``solar_roof`` layer ``--repeat`` times on each store,
in the store's own process (no HTTP): as served now (below zoom 13 the capacity-density grid,
:mod:`potenzial.tiles.density`) and, for comparison, the single planes cut at the feature limit (20,000, in
key order), as the tiles were built without the grid. Reports p50 / max build time over all builds and p50 / max size,
the machine and the load average; writes bench/results/roof_tiles.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from machine_info import machine  # noqa: E402  (bench/ is sys.path[0] when run as a script)

LAYER = "solar_roof"
ZOOM = 10
MAX_FEATURES = 20_000


def run_default_region(folder: Path) -> None:
    env = {**os.environ, "POTENZIAL_DATA_DIR": str(folder / "data"), "POTENZIAL_RASTER_CACHE": str(folder / "rc"),
           "POTENZIAL_STORE": str(folder / "store"), "POTENZIAL_PREPARE": "none"}
    subprocess.run([sys.executable, "-m", "potenzial.cli.main", "run"], env=env, check=True, stdout=subprocess.DEVNULL)


def timed(build: Callable[[int, int], bytes], tiles: list[tuple[int, int]], repeat: int) -> dict[str, float]:
    times, sizes = [], []
    for _ in range(repeat):
        for x, y in tiles:
            t0 = time.perf_counter()
            data = build(x, y)
            times.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(data))
    return {"tiles": len(tiles), "builds": len(times), "p50_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1), "p50_kib": round(statistics.median(sizes) / 1024, 1),
            "max_kib": round(max(sizes) / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgis", required=True, help="postgresql:// URL of a database for the roof planes")
    parser.add_argument("--store", type=Path, help="embedded store folder that holds a run (default: run one)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from potenzial.store import open_store
    from potenzial.store import postgis_sql as sql
    from potenzial.store.base import RunResult
    from potenzial.store.postgis import PostgisStore
    from potenzial.tiles.grid import tile_bounds_3857_within, tile_bounds_in, tile_size_m, tiles_covering
    from potenzial.tiles.mvt import encode_layer

    work = None
    if args.store is None:
        work = Path(tempfile.mkdtemp(prefix="potenzial-roof-tiles-"))
        run_default_region(work)
        args.store = work / "store"
    try:
        gpkg = open_store(str(args.store))
        record = gpkg.current_run()
        if record is None:
            raise SystemExit(f"{args.store} holds no run; run `potenzial run` first or leave out --store.")
        frames = {n: gpkg.read(n, record.run_id) for n in ("municipalities", "run_inputs", LAYER)}
        pg = PostgisStore(args.postgis)
        pg.init()
        pg.publish(RunResult(record=record, frames=frames))
        roofs = frames[LAYER]
        tiles = tiles_covering(tuple(roofs.to_crs(3857).total_bounds), ZOOM)
        load_before = os.getloadavg()

        def pg_planes(x: int, y: int) -> bytes:  # the single planes, cut at the feature limit in key order
            box = tile_bounds_3857_within(ZOOM, x, y, 25833, margin=64 / 4096)
            params = {"layer": LAYER, "extent": 4096, "buffer": 64, "z": ZOOM, "x": x, "y": y, "bx0": box[0],
                      "by0": box[1], "bx1": box[2], "by1": box[3], "segment": tile_size_m(ZOOM) / 16.0,
                      "run_id": record.run_id, "limit": MAX_FEATURES}
            with pg._serving_engine().connect() as conn:
                data = conn.execute(sql.MVT[LAYER], params).scalar()
            return bytes(data) if data else b""

        def gpkg_planes(x: int, y: int) -> bytes:
            box = tile_bounds_in(ZOOM, x, y, 25833, margin=64 / 4096)
            frame = gpkg.read_bbox(LAYER, box, run_id=record.run_id, limit=MAX_FEATURES)
            return encode_layer(frame, LAYER, ZOOM, x, y, max_features=MAX_FEATURES)

        cases = {
            "PostGIS, density grid (served)": lambda x, y: pg.vector_tile(LAYER, ZOOM, x, y, run_id=record.run_id),
            "embedded store, density grid (served)": lambda x, y: gpkg.vector_tile(LAYER, ZOOM, x, y,
                                                                                    run_id=record.run_id),
            "PostGIS, single planes cut at 20,000 (without the grid)": pg_planes,
            "embedded store, single planes cut at 20,000 (without the grid)": gpkg_planes,
        }
        results = {name: timed(build, tiles, args.repeat) for name, build in cases.items()}
        load_after = os.getloadavg()
        pg.close()
        gpkg.close()
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
          f"{len(roofs):,} roof planes, {len(tiles)} z{ZOOM} tiles × {args.repeat}")
    print("| case | p50 [ms] | max [ms] | p50 size [KiB] | max size [KiB] |\n|---|---:|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['p50_ms']} | {r['max_ms']} | {r['p50_kib']} | {r['max_kib']} |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "roof_tiles.json").write_text(json.dumps({
        "machine": machine(), "date": time.strftime("%Y-%m-%d"), "planes": len(roofs), "zoom": ZOOM,
        "load_before": load_before, "load_after": load_after, "cases": results}, indent=2))


if __name__ == "__main__":
    main()
