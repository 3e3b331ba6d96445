#!/usr/bin/env python3
"""Wall time and peak memory of `potenzial run` on the default region.

One command:  make bench   (or .venv/bin/python bench/bench_run.py [--postgis URL])

Runs the CLI in a child process, three cases: cold (the synthetic stand-ins are generated),
warm (stand-ins cached) into the embedded store, and warm into PostGIS when --postgis is given.
Peak memory is the child's maximum resident set size (getrusage). Prints a Markdown table and
writes bench/results/run.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "potenzial.cli.main", "run"]


def measure(env: dict[str, str], store: str | None) -> tuple[float, float]:
    """Run once in a fresh child; return (wall seconds, peak RSS MiB)."""
    cmd = CLI + (["--store", store] if store else [])
    code = (
        "import resource, subprocess, sys, time, json;"
        "t=time.perf_counter(); r=subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL);"
        "w=time.perf_counter()-t;"
        "print(json.dumps({'rc': r.returncode, 'wall_s': w,"
        " 'maxrss_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"`potenzial run` failed (exit {result['rc']}); run it by hand to see why.")
    return result["wall_s"], result["maxrss_kib"] / 1024


from machine_info import machine  # noqa: E402  (bench/ is sys.path[0] when run as a script)


def step_timings(work: Path) -> dict[str, float]:
    """Wall time per step of the embedded store's current run (the run record's ``timings_s``)."""
    sys.path.insert(0, str(ROOT))
    from potenzial.store import open_store

    store = open_store(f"gpkg:{work / 'store'}")
    try:
        record = store.current_run()
        return dict(record.timings_s) if record else {}
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgis", help="also measure a warm run into this postgresql:// URL")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="potenzial-bench-"))
    env = {**os.environ, "POTENZIAL_DATA_DIR": str(work), "POTENZIAL_RASTER_CACHE": str(work / "raster_cache"),
           "POTENZIAL_STORE": ""}
    rows = []
    try:
        rows.append(("cold: stand-ins generated, embedded store", *measure(env, None)))
        rows.append(("warm: stand-ins cached, embedded store", *measure(env, None)))
        steps = step_timings(work)
        if args.postgis:
            rows.append(("warm: stand-ins cached, PostGIS", *measure(env, args.postgis)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print("steps of the warm embedded run [s]: " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
    print("| case | wall time [s] | peak RSS [MiB] |\n|---|---:|---:|")
    for name, wall, rss in rows:
        print(f"| {name} | {wall:.1f} | {rss:.0f} |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "run.json").write_text(json.dumps({
        "machine": machine(), "date": time.strftime("%Y-%m-%d"),
        "steps_warm_s": {k: round(v, 2) for k, v in steps.items()},
        "cases": [{"case": n, "wall_s": round(w, 2), "peak_rss_mib": round(r)} for n, w, r in rows],
    }, indent=2))


if __name__ == "__main__":
    main()
