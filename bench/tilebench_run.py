#!/usr/bin/env python3
"""Tile benchmark, side by side in one run: our server against TiTiler (raster) and TiPg (vector).

    bench/tilebench.sh                      # everything, defaults below
    bench/tilebench.sh --quick              # fewer requests, one round (a smoke run)

Needs a run in the store (``potenzial run``) and two throwaway virtualenvs that are NOT the
project's: ``TITILER_VENV`` (default /tmp/titiler-venv: ``pip install titiler.core rio-tiler
uvicorn``) and ``TIPG_VENV`` (default /tmp/tipg-venv: ``pip install tipg uvicorn``);
``bench/tilebench.sh`` creates them when missing. The load generator is
``../shared/tools/tilebench/tilebench.py`` (``TILEBENCH_DIR``).

What runs (all on loopback, 1 uvicorn worker each, same GDAL environment, bounded requests):
- raster: one raster layer of the run (default: the served raster with the most pixels), same
  tile list (z10/12/14 over the layer), same colour map and rescale, for
  ``titiler_src`` (TiTiler on the analysis GeoTIFF, EPSG:25833), ``titiler_3857`` (TiTiler on our
  display COG), ``ours_miss`` (our server, tile cache off: every tile read and rendered) and
  ``ours_hit`` (our server, tile cache on and warmed);
- vector: the run is published into a fresh PostGIS database; one result layer (default: the
  geometry layer with the most rows) from ``ours_pg`` (``ST_AsMVT``, tile cache off) and ``tipg``
  (TiPg on the same table).
Results: ``bench/results/tilebench-<time>.json`` and a summary with the machine on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PORTS = {"titiler": 8181, "ours_miss": 8101, "ours_hit": 8102, "ours_pg": 8103, "tipg": 8182}
GDAL_ENV = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR", "GDAL_CACHEMAX": "200", "MALLOC_ARENA_MAX": "2",
            "GDAL_NUM_THREADS": "1"}


def machine() -> dict[str, object]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import rasterio

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem_gib, 1), "python": platform.python_version(),
            "gdal": rasterio.__gdal_version__, "kernel": platform.release()}


def wait_http(url: str, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server at {url} did not come up within {seconds:.0f} s")


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class Servers:
    """Starts servers as child processes and stops exactly those (by pid) at the end."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, argv: list[str], env: dict[str, str], cwd: Path, health: str) -> subprocess.Popen:
        port = PORTS[name]
        if not port_free(port):
            raise SystemExit(f"port {port} for {name} is in use; stop what runs there first")
        log = open(ROOT / "bench" / "results" / f"{name}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(argv, env={**os.environ, **GDAL_ENV, **env}, cwd=cwd, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append(proc)
        wait_http(f"http://127.0.0.1:{port}{health}")
        return proc

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()


def uvicorn_argv(python: Path, app: str, port: int, factory: bool = False) -> list[str]:
    return [str(python), "-m", "uvicorn", *(["--factory"] if factory else []), app, "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]


def tilebench(tilebench_dir: Path, targets: dict[str, str], args, expect: str, out: Path, cog: Path | None = None,
              bounds: tuple[float, float, float, float] | None = None) -> dict:
    if cog is not None:
        where = ["--cog", str(cog)]
    elif bounds is not None:
        where = ["--bounds", *(f"{b:.6f}" for b in bounds)]
    else:
        raise ValueError("tilebench() needs the area of its tile list: cog= (a COG) or "
                         "bounds= (west, south, east, north [degrees])")
    argv = [sys.executable, str(tilebench_dir / "tilebench.py"), *where, "--zooms", *map(str, args.zooms),
            "--concurrency", str(args.concurrency), "--requests", str(args.requests), "--duration",
            str(args.duration), "--rounds", str(args.rounds), "--expect", expect, "--json", str(out)]
    for name, template in targets.items():
        argv += ["--target", f"{name}={template}"]
    subprocess.run(argv, check=True)
    return json.loads(out.read_text())


def warm(template: str, cog: Path, zooms: list[int]) -> int:
    """Fetch every tile of the benchmark's tile list once (fills the tile cache)."""
    sys.path.insert(0, str(Path(os.environ.get("TILEBENCH_DIR", ROOT.parent / "shared" / "tools" / "tilebench"))))
    from tilebench import cog_bounds_lonlat, tiles_for_bounds

    n = 0
    bounds = cog_bounds_lonlat(str(cog))
    for z in zooms:
        for _, x, y in tiles_for_bounds(bounds, z):
            try:
                urllib.request.urlopen(template.format(z=z, x=x, y=y), timeout=60).read()
            except urllib.error.HTTPError:
                pass
            n += 1
    return n


def summarise(results: list[dict]) -> dict[tuple[str, int], dict]:
    """Per (target, zoom): median over rounds of p50/p99/tiles/s, and the spread of p50 between rounds."""
    grouped: dict[tuple[str, int], list[dict]] = {}
    for r in results:
        grouped.setdefault((r["target"], r["zoom"]), []).append(r)
    out = {}
    for key, rows in grouped.items():
        p50s = [r["p50_ms"] for r in rows]
        out[key] = {"p50_ms": statistics.median(p50s), "p99_ms": statistics.median(r["p99_ms"] for r in rows),
                    "tiles_per_s": statistics.median(r["tiles_per_s"] or 0 for r in rows),
                    "p50_spread_ms": round(max(p50s) - min(p50s), 2), "status": rows[0]["status"],
                    "rounds": len(rows)}
    return out


def print_table(title: str, summary: dict[tuple[str, int], dict]) -> None:
    print(f"\n{title}")
    print(f"{'target':<14}{'zoom':>5}{'p50 ms':>10}{'p99 ms':>10}{'tiles/s':>10}{'p50 spread':>12}  status")
    for (target, zoom), s in sorted(summary.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        print(f"{target:<14}{zoom:>5}{s['p50_ms']:>10.2f}{s['p99_ms']:>10.2f}{s['tiles_per_s']:>10.1f}"
              f"{s['p50_spread_ms']:>12.2f}  {s['status']}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raster", help="raster layer id (default: the served raster with the most pixels)")
    ap.add_argument("--vector", help="vector layer id (default: the result layer with the most rows)")
    ap.add_argument("--zooms", type=int, nargs="+", default=[10, 12, 14])
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/potenzial_bench_tiles"),
                    help="PostGIS database for the vector comparison (dropped and re-created)")
    ap.add_argument("--skip-vector", action="store_true")
    ap.add_argument("--skip-raster", action="store_true")
    ap.add_argument("--quick", action="store_true", help="100 requests, 1 round")
    args = ap.parse_args()
    if args.quick:
        args.requests, args.rounds, args.duration = 100, 1, 10.0

    from api.serving import Serving, ServingSettings
    from potenzial.region import load_region
    from potenzial.settings import Settings
    from potenzial.store import open_store
    from potenzial.store.base import RunResult
    from potenzial.store.schema import RESULTS

    tilebench_dir = Path(os.environ.get("TILEBENCH_DIR", ROOT.parent / "shared" / "tools" / "tilebench"))
    titiler_python = Path(os.environ.get("TITILER_VENV", "/tmp/titiler-venv")) / "bin" / "python"
    tipg_python = Path(os.environ.get("TIPG_VENV", "/tmp/tipg-venv")) / "bin" / "python"
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")

    settings = Settings()
    store = open_store(settings.store_url)
    record = store.current_run()
    if record is None:
        raise SystemExit("the store holds no run: run `potenzial run` first "
                         "(or set POTENZIAL_DATA_DIR/POTENZIAL_STORE)")
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    serving = Serving(settings, ServingSettings(), store, region)
    print(f"preparing run {record.run_id}: registry and display COGs …", flush=True)
    registry = serving.prepare(record, timeout_s=1800)
    serving.close()
    report: dict[str, object] = {"machine": machine(), "run_id": record.run_id, "args": vars(args)}
    print(json.dumps(report["machine"]))
    env_ours = {"POTENZIAL_DATA_DIR": str(settings.data_dir), "POTENZIAL_RASTER_CACHE": str(settings.raster_cache),
                "POTENZIAL_STORE": settings.store, "POTENZIAL_REGION": str(settings.region),
                "POTENZIAL_MAP_TILES": "none"}
    servers = Servers()
    try:
        if not args.skip_raster:
            rasters = [layer for layer in registry.layers.values() if layer.kind == "raster"]
            if args.raster:
                layer = registry.get(args.raster)
            else:
                import rasterio

                def pixels(lyr) -> int:
                    with rasterio.open(lyr.analysis_path) as src:
                        return src.width * src.height

                layer = max(rasters, key=pixels)
            scale, analysis_path, display_path = layer.scale, layer.analysis_path, layer.display_path
            if scale is None or analysis_path is None or display_path is None:
                raise SystemExit(f"layer {layer.id} is not a served raster with a colour scale and files; "
                                 "pick another with --raster")
            lo, hi = scale.low, scale.high
            print(f"raster layer {layer.id}: {analysis_path.name} -> {display_path.name}, "
                  f"rescale {lo:g},{hi:g}, colour map {scale.name}", flush=True)
            tools = tilebench_dir
            servers.start("titiler", uvicorn_argv(titiler_python, "titiler_app:app", PORTS["titiler"]), {}, tools,
                          "/healthz")
            servers.start("ours_miss",
                          uvicorn_argv(Path(sys.executable), "api.app:create_app", PORTS["ours_miss"], True),
                          {**env_ours, "POTENZIAL_SERVE_TILE_CACHE": "false"}, ROOT, "/healthz")
            servers.start("ours_hit", uvicorn_argv(Path(sys.executable), "api.app:create_app", PORTS["ours_hit"], True),
                          {**env_ours, "POTENZIAL_SERVE_TILE_CACHE": "true"}, ROOT, "/healthz")
            tt = (f"http://127.0.0.1:{PORTS['titiler']}/cog/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}.png?url={{path}}"
                  f"&rescale={lo:g},{hi:g}&colormap_name={scale.name}")
            ours = "http://127.0.0.1:{port}/tiles/" + layer.id + "/{{z}}/{{x}}/{{y}}.png"
            warmed = warm(ours.format(port=PORTS["ours_hit"]).replace("{{", "{").replace("}}", "}"),
                          display_path, args.zooms)
            print(f"warmed the tile cache of ours_hit with {warmed} tiles", flush=True)
            targets = {
                "titiler_src": tt.replace("{path}", str(analysis_path)),
                "titiler_3857": tt.replace("{path}", str(display_path)),
                "ours_miss": ours.format(port=PORTS["ours_miss"]).replace("{{", "{").replace("}}", "}"),
                "ours_hit": ours.format(port=PORTS["ours_hit"]).replace("{{", "{").replace("}}", "}"),
            }
            raw = tilebench(tilebench_dir, targets, args, "png", results_dir / f"raster-{stamp}.json",
                            cog=display_path)
            summary = summarise(raw["results"])
            print_table(f"raster tiles, {args.concurrency} connections: layer {layer.id}", summary)
            serial_args = argparse.Namespace(**{**vars(args), "concurrency": 1})
            raw_serial = tilebench(tilebench_dir, targets, serial_args, "png",
                                   results_dir / f"raster-serial-{stamp}.json", cog=display_path)
            serial = summarise(raw_serial["results"])
            print_table(f"raster tiles, 1 connection (serial): layer {layer.id}", serial)
            checks = []
            for mode, table in (("loaded", summary), ("serial", serial)):
                for z in args.zooms:
                    tit = min(table[("titiler_3857", z)]["p50_ms"], table[("titiler_src", z)]["p50_ms"])
                    tit_tps = max(table[("titiler_3857", z)]["tiles_per_s"], table[("titiler_src", z)]["tiles_per_s"])
                    miss, hit = table[("ours_miss", z)], table[("ours_hit", z)]
                    checks.append({"mode": mode, "zoom": z,
                                   "miss_p50_ratio_vs_best_titiler": round(miss["p50_ms"] / tit, 3),
                                   "hit_p50_ms": hit["p50_ms"],
                                   "hit_tiles_per_s_ratio_vs_best_titiler": round(hit["tiles_per_s"] / tit_tps, 1)})
            print("\ntargets: miss p50 <= 0.7 x TiTiler (the faster of src/3857); hit p50 < 2 ms and >= 10 x "
                  "TiTiler's tiles/s")
            for c in checks:
                ok = (c["miss_p50_ratio_vs_best_titiler"] <= 0.7 and c["hit_p50_ms"] < 2
                      and c["hit_tiles_per_s_ratio_vs_best_titiler"] >= 10)
                print(f"  {c['mode']:>6} z{c['zoom']}: miss/TiTiler p50 = {c['miss_p50_ratio_vs_best_titiler']:.2f}, "
                      f"hit p50 = {c['hit_p50_ms']:.2f} ms, hit tiles/s = "
                      f"{c['hit_tiles_per_s_ratio_vs_best_titiler']:.1f} x TiTiler -> {'met' if ok else 'NOT met'}")
            report["raster"] = {"layer": layer.id,
                                "loaded": {f"{t}@z{z}": s for (t, z), s in summary.items()},
                                "serial": {f"{t}@z{z}": s for (t, z), s in serial.items()},
                                "checks": checks}
            servers.stop()

        if not args.skip_vector:
            from psycopg.conninfo import conninfo_to_dict

            from potenzial.store.postgis import PostgisStore

            vectors = [n for n in store.run_layers(record.run_id) if n in RESULTS and RESULTS[n].geometry_type]
            name = args.vector or max(vectors, key=lambda n: len(store.read(n, record.run_id)))
            print(f"\nvector layer {name}: publishing run {record.run_id} into {args.pg} …", flush=True)
            # a fresh database with PostGIS, as `make bench` makes it (no test code in benchmarks)
            subprocess.run([str(ROOT / "scripts" / "ensure-testdb.sh"), conninfo_to_dict(args.pg)["dbname"], "--fresh"],
                           check=True)
            pg = PostgisStore(args.pg)
            pg.init()
            frames = {n: store.read(n, record.run_id) for n in store.run_layers(record.run_id) if n in RESULTS}
            pg.publish(RunResult(record=record, frames=frames))
            with pg._engine.begin() as conn:  # fresh statistics for the planner, as after a real load
                from sqlalchemy import text

                conn.execute(text("ANALYZE"))
            pg.close()
            servers.start("ours_pg", uvicorn_argv(Path(sys.executable), "api.app:create_app", PORTS["ours_pg"], True),
                          {**env_ours, "POTENZIAL_STORE": args.pg, "POTENZIAL_SERVE_TILE_CACHE": "false"}, ROOT,
                          "/healthz")
            servers.start("tipg", uvicorn_argv(tipg_python, "tipg.main:app", PORTS["tipg"]),
                          {"DATABASE_URL": args.pg, "TIPG_DB_SCHEMAS": '["public"]',
                           "TIPG_MAX_FEATURES_PER_TILE": "20000"},
                          Path("/tmp"), "/healthz")
            targets = {"tipg": f"http://127.0.0.1:{PORTS['tipg']}/collections/public.{name}/tiles/WebMercatorQuad/{{z}}/{{x}}/{{y}}",
                       "ours_pg": f"http://127.0.0.1:{PORTS['ours_pg']}/tiles/{name}/{{z}}/{{x}}/{{y}}.pbf"}
            raw = tilebench(tilebench_dir, targets, args, "any", results_dir / f"vector-{stamp}.json",
                            bounds=registry.get(name).bounds)
            summary = summarise(raw["results"])
            print_table(f"vector tiles from PostGIS: layer {name}", summary)
            print("\ntarget: ours p50 <= TiPg p50")
            checks = []
            for z in args.zooms:
                ratio = summary[("ours_pg", z)]["p50_ms"] / summary[("tipg", z)]["p50_ms"]
                checks.append({"zoom": z, "p50_ratio_vs_tipg": round(ratio, 3)})
                print(f"  z{z}: ours/TiPg p50 = {ratio:.2f} -> {'met' if ratio <= 1.0 else 'NOT met'}")
            report["vector"] = {"layer": name, "summary": {f"{t}@z{z}": s for (t, z), s in summary.items()},
                                "checks": checks}
    finally:
        servers.stop()
        store.close()
    out = results_dir / f"tilebench-{stamp}.json"
    out.write_text(json.dumps(report, indent=1))
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
