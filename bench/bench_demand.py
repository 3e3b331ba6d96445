#!/usr/bin/env python3
"""Wall time and peak memory of the energy-use step (``demand``) on the default region.

One command:  .venv/bin/python bench/bench_demand.py   (after `make demo` or `potenzial run`)

As in the pipeline, the inputs are read first (buildings, statistics; not part of the step's time); the
results of the earlier steps the balance needs (biomass totals, cascade) come from the store's current
run (POTENZIAL_* settings, default: the embedded store of `make demo`). The step then runs once: type and
age class of every building, heated floor area, heat demand, the 100 m heat-density grid, the savings per
horizon, electricity use and the balance. It runs in a fresh child process so that peak RSS (getrusage
ru_maxrss) belongs to it alone. Prints the machine and a Markdown table; writes bench/results/demand.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, tempfile, time
from pathlib import Path
from potenzial.params import load_params
from potenzial.region import load_region
from potenzial.settings import Settings
from potenzial.stand_ins import ensure_stand_ins
from potenzial.steps.context import StepContext
from potenzial.steps import demand as demand_step
from potenzial.store import open_store

settings = Settings()
store = open_store(settings.store_url)
run = store.current_run()
if run is None:
    raise SystemExit("the store holds no run: run `make demo` or `potenzial run` first.")
region = load_region(settings.region, settings.regions_dir, settings.data_dir)
ensure_stand_ins(region)
ctx = StepContext(region=region, params=load_params(settings.params_dir), run_id="bench",
                  raster_dir=Path(tempfile.mkdtemp()) / "bench", rules_dir=settings.rules_dir,
                  previous=lambda name: store.read(name, run.run_id))
t0 = time.perf_counter()
ctx.vector("buildings"); ctx.statistics; ctx.municipalities
for name in ("biomass_totals", "cascade_municipalities"):
    ctx.results[name] = store.read(name, run.run_id)
load_s = time.perf_counter() - t0
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
u0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
frames = demand_step.STEP.execute(ctx)
step_s = time.perf_counter() - t0
u1 = resource.getrusage(resource.RUSAGE_SELF)
b, m = frames["demand_buildings"], frames["demand_municipalities"]
print(json.dumps({
    "load_s": load_s, "step_s": step_s, "step_cpu_s": (u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime),
    "load_average_1min": os.getloadavg()[0], "peak_rss_mib": u1.ru_maxrss / 1024,
    "rss_before_step_mib": rss_before / 1024, "buildings_read": len(ctx.vector("buildings")),
    "heated_buildings": len(b), "grid_cells": len(frames["demand_grid"]),
    "heat_gwh_th_per_a": float(b["heat_demand_mwh_th_per_a"].sum() / 1e3), "base_run": run.run_id,
}))
"""

sys.path.insert(0, str(ROOT / "bench"))
from machine_info import machine  # noqa: E402


def main() -> None:
    out = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"the demand step failed (exit {out.returncode}).")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"machine: {machine()}")
    print("| case | inputs read [s] | demand step wall [s] | demand step CPU [s] | peak RSS [MiB] |\n"
          "|---|---:|---:|---:|---:|")
    print(f"| demand step, default region ({r['buildings_read']:,} buildings → {r['heated_buildings']:,} heated, "
          f"{r['grid_cells']:,} cells) | {r['load_s']:.1f} | {r['step_s']:.1f} | {r['step_cpu_s']:.1f} "
          f"| {r['peak_rss_mib']:.0f} |")
    print(f"(peak RSS includes {r['rss_before_step_mib']:.0f} MiB of inputs read before the step; heat demand "
          f"{r['heat_gwh_th_per_a']:,.0f} GWh_th/a; 1-min load average at the end: {r['load_average_1min']:.1f})")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "demand.json").write_text(json.dumps({"machine": machine(), "date": time.strftime("%Y-%m-%d"), **r},
                                                    indent=2))


if __name__ == "__main__":
    main()
