#!/usr/bin/env python3
"""Wall time and peak memory of the solar_roof step on the whole default region.

One command:  .venv/bin/python bench/bench_solar_roof.py [--repeat N] [--data-dir DIR]

Generates the synthetic stand-ins once (not timed), reads the step's inputs (timed separately),
then runs the step N times in a fresh child process each, so that every peak RSS is the step's
own (getrusage of the child: inputs + step). Prints a Markdown table and writes
bench/results/solar_roof.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from potenzial.params import load_params
from potenzial.region import load_region
from potenzial.settings import Settings
from potenzial.steps.context import StepContext
from potenzial.steps.solar_roof import STEP

data_dir = Path(sys.argv[1])
settings = Settings()
region = load_region("lk-leipzig", settings.regions_dir, data_dir)
ctx = StepContext(region=region, params=load_params(settings.params_dir), run_id="bench",
                  raster_dir=data_dir / "raster_cache", rules_dir=settings.rules_dir)
t0 = time.perf_counter()
buildings = ctx.vector("buildings"); ctx.vector("ghi"); ctx.municipalities; ctx.statistics
t1 = time.perf_counter()
out = STEP.execute(ctx)
t2 = time.perf_counter()
print(json.dumps({"read_s": t1 - t0, "step_s": t2 - t1, "buildings": len(buildings),
                  "planes": len(out["solar_roof"]),
                  "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


from machine_info import machine  # noqa: E402  (bench/ is sys.path[0] when run as a script)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None, help="data folder (default: a temporary one)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from potenzial.region import load_region
    from potenzial.settings import Settings
    from potenzial.stand_ins import ensure_stand_ins

    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.data_dir or Path(tmp)
        ensure_stand_ins(load_region("lk-leipzig", Settings().regions_dir, data_dir))
        runs = []
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, "-c", CHILD, str(data_dir)], capture_output=True, text=True,
                                 cwd=ROOT, check=False)
            if out.returncode != 0:
                raise SystemExit(f"the solar_roof step failed:\n{out.stderr[-2000:]}")
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    step = [r["step_s"] for r in runs]
    result = {
        "machine": machine(),
        "buildings": runs[0]["buildings"],
        "planes": runs[0]["planes"],
        "read_inputs_s": round(statistics.median(r["read_s"] for r in runs), 2),
        "step_s_median": round(statistics.median(step), 2),
        "step_s_min": round(min(step), 2),
        "step_s_max": round(max(step), 2),
        "peak_rss_mib_max": round(max(r["maxrss_mib"] for r in runs)),
        "repeat": args.repeat,
    }
    print(f"solar_roof step, default region ({result['buildings']:,} buildings -> {result['planes']:,} roof planes)")
    print(f"machine: {result['machine']}\n")
    print(f"| reading inputs | step (median of {args.repeat}) | min – max | peak RSS (inputs + step) |")
    print("|---|---|---|---|")
    print(f"| {result['read_inputs_s']:.1f} s | {result['step_s_median']:.1f} s | "
          f"{result['step_s_min']:.1f} – {result['step_s_max']:.1f} s | {result['peak_rss_mib_max']} MiB |")
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "solar_roof.json").write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
