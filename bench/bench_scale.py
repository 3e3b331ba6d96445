#!/usr/bin/env python3
"""Wall time, CPU time and peak memory per step of a whole run on synthetic regions of 1×, 4×, … the county.

One command:  make bench-scale   (or .venv/bin/python bench/bench_scale.py [--scales 1 4 16])

For each scale, `potenzial region synth --scale N` writes a synthetic region (copies of Landkreis
Leipzig side by side, new keys, stand-ins; :mod:`potenzial.data.region_synth`) into a temporary
regions folder, and a fresh child process runs the whole pipeline on it (stand-ins generated, so
cold) into an embedded store, without the preparation of tiles and downloads. Scales run one after
another, never together. Per step the child records wall time (the run record's ``timings_s``),
CPU time of the process (user + system, ``getrusage``) and the peak resident memory during the
step (the kernel's high-water mark ``VmHWM``, reset at each step's start through
``/proc/self/clear_refs``; Linux only). Prints a Markdown table, the load average before and after
each run, and writes bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _hwm_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_hwm() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(region_file: Path, work: Path) -> None:
    """Run the pipeline once on ``region_file`` in this process; print one JSON line."""
    from potenzial.params import load_params
    from potenzial.pipeline import Reporter, run_pipeline
    from potenzial.region import load_region
    from potenzial.settings import PROJECT_ROOT
    from potenzial.store import open_store

    class Measuring(Reporter):
        def __init__(self) -> None:
            self.steps: dict[str, dict[str, float]] = {}
            self._cpu0 = 0.0

        def start(self, step: str, total: int | None = None) -> None:
            _reset_hwm()
            self._cpu0 = _cpu_s()

        def finish(self, step: str, seconds: float) -> None:
            self.steps[step] = {"wall_s": seconds, "cpu_s": round(_cpu_s() - self._cpu0, 2),
                                "peak_rss_mib": round(_hwm_mib())}

    region = load_region(str(region_file), region_file.parent.parent, work / "data")
    store = open_store(str(work / "store"))
    store.init()
    reporter = Measuring()
    t0, cpu0 = time.perf_counter(), _cpu_s()
    record = run_pipeline(region, store, load_params(PROJECT_ROOT / "layers" / "params" / "default"),
                          reporter=reporter, raster_cache=work / "raster_cache", prepare=None)
    wall, cpu = time.perf_counter() - t0, _cpu_s() - cpu0
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"run_id": record.run_id, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                      "peak_rss_mib": round(peak), "timings_s": record.timings_s, "steps": reporter.steps}))


def loadavg() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


def synth_region(scale: int, regions: Path) -> Path:
    env = {**os.environ, "POTENZIAL_REGIONS_DIR": str(regions)}
    subprocess.run([sys.executable, "-m", "potenzial.cli.main", "region", "synth", "--scale", str(scale)],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    return regions / f"synth-{scale}x" / "region.toml"


def measure(scale: int, regions: Path, keep: Path | None) -> dict:
    region_file = synth_region(scale, regions)
    work = Path(tempfile.mkdtemp(prefix=f"potenzial-scale-{scale}x-", dir=keep))
    before = loadavg()
    try:
        out = subprocess.run([sys.executable, __file__, "--child", str(region_file), str(work)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"the {scale}× run failed (exit {out.returncode}): {out.stderr.strip()[-600:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return {"scale": scale, "load_before": before, "load_after": loadavg(), **result}


def table(results: list[dict]) -> str:
    steps = list(dict.fromkeys(s for r in results for s in r["steps"]))
    head = "| step | " + " | ".join(f"{r['scale']}×: wall [s] / CPU [s] / peak [MiB]" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    for step in steps:
        cells = []
        for r in results:
            s = r["steps"].get(step)
            cells.append(f"{s['wall_s']:.1f} / {s['cpu_s']:.1f} / {s['peak_rss_mib']:,}" if s else "–")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    lines.append("| **whole run** | " + " | ".join(
        f"**{r['wall_s']:.1f} / {r['cpu_s']:.1f} / {r['peak_rss_mib']:,}**" for r in results) + " |")
    return "\n".join(lines)


from machine_info import machine  # noqa: E402  (bench/ is sys.path[0] when run as a script)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4], help="county copies per region (1 4 16)")
    parser.add_argument("--keep", type=Path, help="keep each run's store and stand-ins under this folder")
    args = parser.parse_args()
    regions = Path(tempfile.mkdtemp(prefix="potenzial-scale-regions-"))
    results = []
    try:
        for scale in args.scales:
            results.append(measure(scale, regions, args.keep))
            print(f"{scale}×: {results[-1]['wall_s']:.1f} s, {results[-1]['peak_rss_mib']:,} MiB "
                  f"(load {results[-1]['load_before']} before, {results[-1]['load_after']} after)", flush=True)
    finally:
        shutil.rmtree(regions, ignore_errors=True)
    print(f"machine: {machine()}")
    print(table(results))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps({"machine": machine(), "date": time.strftime("%Y-%m-%d"),
                                                "runs": results}, indent=2))


if __name__ == "__main__":
    main()
