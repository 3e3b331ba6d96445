#!/usr/bin/env python3
"""Wall time and peak memory of the wind step on the default region.

One command:  .venv/bin/python bench/bench_wind.py [--resolution 10] [--summary]

As in the pipeline, the inputs are read first (not part of the step's time), then the wind
step runs once: rule set, residential classes, exact buffers on the 10 m raster, placement,
yield, polygons, GeoTIFFs. Each measurement runs in a fresh child process so that peak RSS
(getrusage ru_maxrss) belongs to it alone. Prints the machine, a Markdown table, and with
--summary the region's results per municipality; writes bench/results/wind.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, sys, tempfile, time
from pathlib import Path
from potenzial.params import load_params
from potenzial.region import load_region
from potenzial.settings import Settings
from potenzial.stand_ins import ensure_stand_ins
from potenzial.steps.context import StepContext
from potenzial.steps import wind as wind_step
from potenzial.steps.base import STEP as BASE

resolution = float(sys.argv[1])
settings = Settings()
region = load_region(settings.region, settings.regions_dir, settings.data_dir)
ensure_stand_ins(region)
params = load_params(settings.params_dir)
if resolution != 10.0:
    import dataclasses, types
    values = dict(params.values); values["wind"] = {**values["wind"], "resolution_m": resolution}
    params = dataclasses.replace(params, values=types.MappingProxyType(values))
ctx = StepContext(region=region, params=params, run_id="bench", raster_dir=Path(tempfile.mkdtemp()) / "bench",
                  rules_dir=settings.rules_dir)
t0 = time.perf_counter()
for lid in ("municipalities", "statistics", "buildings", "builtup_areas", "development_plans", "landcover", "roads",
            "railways", "power_lines", "protected_areas", "post_mining"):
    ctx.vector(lid) if region.layer(lid).kind == "vector" else ctx.table(lid)
ctx.raster("wind_speed_150m")
ctx.results.update(BASE.execute(ctx))
load_s = time.perf_counter() - t0
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
u0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
frames = wind_step.STEP.execute(ctx)
step_s = time.perf_counter() - t0
u1 = resource.getrusage(resource.RUSAGE_SELF)
cpu_s = (u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime)
rss = u1.ru_maxrss
m = frames["wind_municipalities"]
t = frames["wind_turbines"]
names = dict(zip(ctx.municipalities["ags"].astype(str), ctx.municipalities["name"]))
print(json.dumps({
    "load_s": load_s, "step_s": step_s, "step_cpu_s": cpu_s, "load_average_1min": os.getloadavg()[0],
    "peak_rss_mib": rss / 1024, "rss_before_step_mib": rss_before / 1024,
    "region_area_ha": float(ctx.municipalities.geometry.area.sum() / 1e4),
    "wind_area_ha": float(m["wind_area_ha"].sum()), "turbines": int(len(t)),
    "capacity_mw": float(t["capacity_mw"].sum()), "yield_gwh": float(t["yield_mwh_per_a"].sum() / 1e3),
    "flh_min": float(t["full_load_hours"].min()) if len(t) else None,
    "flh_max": float(t["full_load_hours"].max()) if len(t) else None,
    "flh_mean": float(t["yield_mwh_per_a"].sum() / t["capacity_mw"].sum()) if len(t) else None,
    "exclusion_features": int(len(frames["wind_exclusions"])), "area_features": int(len(frames["wind_areas"])),
    "per_municipality": [{"name": names.get(r.ags, r.ags), **r._asdict()} for r in m.itertuples(index=False)],
}))
"""


from machine_info import machine  # noqa: E402  (bench/ is sys.path[0] when run as a script)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", type=float, default=10.0, help="raster cell [m] (default 10)")
    parser.add_argument("--summary", action="store_true", help="print the results per municipality")
    args = parser.parse_args()
    out = subprocess.run([sys.executable, "-c", CHILD, str(args.resolution)], cwd=ROOT, capture_output=True,
                         text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"the wind step failed (exit {out.returncode}).")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"machine: {machine()}")
    print("| case | inputs read [s] | wind step wall [s] | wind step CPU [s] | peak RSS [MiB] |\n"
          "|---|---:|---:|---:|---:|")
    print(f"| wind step, default region, {args.resolution:g} m raster | {r['load_s']:.1f} | {r['step_s']:.1f} "
          f"| {r['step_cpu_s']:.1f} | {r['peak_rss_mib']:.0f} |")
    print(f"(peak RSS includes {r['rss_before_step_mib']:.0f} MiB of inputs read before the step; "
          f"1-min load average at the end: {r['load_average_1min']:.1f})")
    share = 100 * r["wind_area_ha"] / r["region_area_ha"]
    print(f"\nregion: eligible {r['wind_area_ha']:.0f} ha ({share:.2f} %), {r['turbines']} turbines, "
          f"{r['capacity_mw']:.0f} MW, {r['yield_gwh']:.0f} GWh/a, full-load hours {r['flh_min']:.0f}–"
          f"{r['flh_max']:.0f} (mean {r['flh_mean']:.0f}); {r['area_features']} area and "
          f"{r['exclusion_features']} exclusion features")
    if args.summary:
        print("\n| municipality | AGS | area [ha] | share [%] | gap 2027 [ha] | gap 2032 [ha] | turbines | MW | "
              "GWh/a | FLH | installed 2024 [MW] |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for m in r["per_municipality"]:
            flh = m["wind_full_load_hours"]
            print(f"| {m['name']} | {m['ags']} | {m['wind_area_ha']:.0f} | {m['wind_area_share_pct']:.2f} | "
                  f"{m['wind_area_gap_2027_ha']:.0f} | {m['wind_area_gap_2032_ha']:.0f} | {m['wind_turbines']} | "
                  f"{m['wind_capacity_mw']:.1f} | {m['wind_yield_gwh_per_a']:.1f} | "
                  f"{'–' if flh != flh else f'{flh:.0f}'} | {m['wind_installed_2024_mw']:.1f} |")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "wind.json").write_text(json.dumps({
        "machine": machine(), "date": time.strftime("%Y-%m-%d"), "resolution_m": args.resolution,
        **{k: v for k, v in r.items() if k != "per_municipality"},
    }, indent=2))


if __name__ == "__main__":
    main()
