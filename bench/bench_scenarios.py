#!/usr/bin/env python3
"""POST /api/scenarios/evaluate for the whole default region with random parameters: p50 and p99.

One command:  make bench-scenarios   (or .venv/bin/python bench/bench_scenarios.py [--store URL|FOLDER])

Without ``--store`` runs `potenzial run` on the default region in a child process into a temporary
embedded store first; with it, uses the store's current run. Starts the server (``python -m api``, one
uvicorn worker, port 8210 unless ``--port``), asks one warm-up scenario (the run's tables are read
once and cached), then ``--calls`` (default 300) scenarios with a random residential setback
(300–2,000 m), random switches of the scenario criteria, a random PV power density and, where the run
offers them, random heat-pump and electric-car shares (seeded), each
on one kept-alive loopback connection, timed to the last byte. Prints the machine, the load average
before and after and a Markdown table; writes ``bench/results/scenarios.json``.
Target: p50 ≤ 100 ms, p99 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine_info import machine  # noqa: E402

TARGET_P50_MS, TARGET_P99_MS = 100.0, 300.0


def wait_for_server(port: int, process: subprocess.Popen, timeout_s: float = 180.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped (exit {process.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer /healthz within {timeout_s:g} s")


def post(conn: http.client.HTTPConnection, body: dict) -> tuple[int, dict, float]:
    data = json.dumps(body).encode()
    t0 = time.perf_counter()
    conn.request("POST", "/api/scenarios/evaluate", body=data, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = response.read()
    ms = (time.perf_counter() - t0) * 1000.0
    return response.status, json.loads(payload), ms


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100.0 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="store with a run (postgresql://… or a folder); default: a new run")
    parser.add_argument("--port", type=int, default=8210)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    from potenzial.settings import Settings

    settings = Settings()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="potenzial-scenarios-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "POTENZIAL_STORE": args.store or str(tmp / "store"), "POTENZIAL_PREPARE": "none",
               "POTENZIAL_RASTER_CACHE": os.environ.get("POTENZIAL_RASTER_CACHE", str(tmp / "raster_cache")),
               "POTENZIAL_DATA_DIR": os.environ.get("POTENZIAL_DATA_DIR", str(settings.data_dir))}
        if args.store and args.store.startswith("postgresql"):
            env["POTENZIAL_SERVE_ALLOW_SUPERUSER"] = "1"
        if not args.store:
            subprocess.run([sys.executable, "-m", "potenzial.cli.main", "run"], env=env, check=True,
                           stdout=subprocess.DEVNULL)
        load_before = os.getloadavg()
        server = subprocess.Popen([sys.executable, "-m", "api", "--port", str(args.port)], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for_server(args.port, server)
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
            params_conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
            params_conn.request("GET", "/api/scenarios/parameters")
            parameters = json.loads(params_conn.getresponse().read())
            switches = [p["parameter"] for p in parameters if p["kind"] == "switch"]
            setback = next(p for p in parameters if p["parameter"] == "residential_setback_m")
            density = next(p for p in parameters if p["parameter"] == "pv_ground_power_density_mwp_per_ha")
            shares = [p for p in parameters if p["parameter"] in ("heat_pump_share_pct", "ev_share_pct")]
            status, first, warm_ms = post(conn, {})
            if status != 200:
                raise SystemExit(f"warm-up: HTTP {status}: {first}")
            times, municipalities = [], len(first["municipalities"])
            for _ in range(args.calls):
                body = {"residential_setback_m": round(rng.uniform(setback["low"], setback["high"]), 1),
                        "switches": {s: rng.random() < 0.5 for s in switches},
                        "pv_ground_power_density_mwp_per_ha": round(rng.uniform(density["low"], density["high"]), 2),
                        **{p["parameter"]: round(rng.uniform(p["low"], p["high"]), 1) for p in shares}}
                status, answer, ms = post(conn, body)
                if status != 200 or len(answer["municipalities"]) != municipalities:
                    raise SystemExit(f"HTTP {status} for {body}: {answer}")
                times.append(ms)
        finally:
            server.terminate()
            server.wait(timeout=30)
        load_after = os.getloadavg()

    p50, p99 = percentile(times, 50), percentile(times, 99)
    print(f"machine: {machine()}")
    print(f"load average (1, 5, 15 min) before: {', '.join(f'{v:.2f}' for v in load_before)}; "
          f"after: {', '.join(f'{v:.2f}' for v in load_after)}")
    print(f"store: {args.store or 'temporary embedded store'}; {municipalities} municipalities; warm-up (reads the "
          f"run's tables): {warm_ms:.0f} ms")
    print(f"\n| calls | p50 [ms] | p99 [ms] | max [ms] |\n|---:|---:|---:|---:|\n"
          f"| {len(times)} | {p50:.1f} | {p99:.1f} | {max(times):.1f} |")
    met = p50 <= TARGET_P50_MS and p99 <= TARGET_P99_MS
    print(f"\ntarget p50 ≤ {TARGET_P50_MS:g} ms, p99 ≤ {TARGET_P99_MS:g} ms: {'met' if met else 'missed'}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scenarios.json").write_text(json.dumps({
        "machine": machine(), "load_before": load_before, "load_after": load_after, "calls": len(times),
        "p50_ms": p50, "p99_ms": p99, "max_ms": max(times), "warm_up_ms": warm_ms, "seed": args.seed,
        "municipalities": municipalities}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
