#!/usr/bin/env python3
"""Wall time and peak memory of the open-field PV step on the default region.

One command:  .venv/bin/python bench/bench_pv_ground.py [--resolution 10] [--summary]

The PV step needs the wind step's eligible areas (for the overlap). They are computed first in
a child process of their own (not measured) and handed over as a GeoPackage. Then, in a fresh
child process, the inputs are read (as the pipeline does before any step; not part of the
step's time) and the PV step runs once: rule sets, exact buffers on the raster, categories,
small pieces, yield lookup, polygons. Peak RSS (getrusage ru_maxrss) belongs to that child
alone. Prints the machine, a Markdown table, the county's figures per category and with
--summary per municipality; writes bench/results/pv_ground.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMON = r"""
import dataclasses, json, os, resource, sys, tempfile, time, types
from pathlib import Path
from potenzial.params import load_params
from potenzial.region import load_region
from potenzial.settings import Settings
from potenzial.stand_ins import ensure_stand_ins
from potenzial.steps.context import StepContext

resolution, out = float(sys.argv[1]), Path(sys.argv[2])
settings = Settings()
region = load_region(settings.region, settings.regions_dir, settings.data_dir)
ensure_stand_ins(region)
params = load_params(settings.params_dir)
if resolution != 10.0:
    values = dict(params.values)
    for section in ("wind", "pv_ground"):
        values[section] = {**values[section], "resolution_m": resolution}
    params = dataclasses.replace(params, values=types.MappingProxyType(values))
ctx = StepContext(region=region, params=params, run_id="bench", raster_dir=Path(tempfile.mkdtemp()) / "bench",
                  rules_dir=settings.rules_dir)
"""

WIND_CHILD = COMMON + r"""
from potenzial.steps import wind as wind_step
frames = wind_step.STEP.execute(ctx)
frames["wind_areas"].to_file(out, layer="wind_areas", driver="GPKG")
print(json.dumps({"wind_area_ha": float(frames["wind_areas"]["area_ha"].sum())}))
"""

PV_CHILD = COMMON + r"""
import geopandas as gpd
from potenzial.steps import pv_ground
t0 = time.perf_counter()
for entry in region.layers.values():  # as load_inputs: every catalog layer read before any step
    if entry.kind == "vector":
        ctx.vector(entry.id)
ctx.results["wind_areas"] = gpd.read_file(out, layer="wind_areas")
load_s = time.perf_counter() - t0
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
u0 = resource.getrusage(resource.RUSAGE_SELF)
t0 = time.perf_counter()
frames = pv_ground.STEP.execute(ctx)
step_s = time.perf_counter() - t0
u1 = resource.getrusage(resource.RUSAGE_SELF)
cats = frames["pv_ground_categories"]
per = frames["pv_ground_municipalities"]
names = dict(zip(ctx.municipalities["ags"].astype(str), ctx.municipalities["name"]))
county = cats.groupby("category", sort=False)[["area_ha", "capacity_mwp", "yield_gwh_per_a", "wind_overlap_ha",
                                                "area_wind_first_ha", "yield_wind_first_gwh_per_a"]].sum()
print(json.dumps({
    "load_s": load_s, "step_s": step_s,
    "step_cpu_s": (u1.ru_utime - u0.ru_utime) + (u1.ru_stime - u0.ru_stime),
    "load_average_1min": os.getloadavg()[0], "peak_rss_mib": u1.ru_maxrss / 1024,
    "rss_before_step_mib": rss_before / 1024,
    "area_features": int(len(frames["pv_ground_areas"])),
    "installed_2015_mwp": float(per["pv_ground_installed_2015_mwp"].sum()),
    "by_category": {c: {k: float(v) for k, v in row.items()} for c, row in county.iterrows()},
    "per_municipality": [{"name": names.get(r.ags, r.ags), **r._asdict()} for r in per.itertuples(index=False)],
    "post_mining": [{"name": names.get(r.ags, r.ags), "ags": r.ags, "area_ha": r.area_ha,
                     "capacity_mwp": r.capacity_mwp, "yield_gwh_per_a": r.yield_gwh_per_a}
                    for r in cats[(cats["category"] == "post_mining") & (cats["area_ha"] > 0)].itertuples()],
}))
"""


from machine_info import machine  # noqa: E402  (bench/ is sys.path[0] when run as a script)


def child(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit(f"the child process failed (exit {out.returncode}).")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resolution", type=float, default=10.0, help="raster cell [m] (default 10)")
    parser.add_argument("--summary", action="store_true", help="print the results per municipality")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wind_file = str(Path(tmp) / "wind_areas.gpkg")
        child(WIND_CHILD, str(args.resolution), wind_file)
        r = child(PV_CHILD, str(args.resolution), wind_file)
    print(f"machine: {machine()}")
    print("| case | inputs read [s] | PV step wall [s] | PV step CPU [s] | peak RSS [MiB] |\n"
          "|---|---:|---:|---:|---:|")
    print(f"| pv_ground step, default region, {args.resolution:g} m raster | {r['load_s']:.1f} | {r['step_s']:.1f} "
          f"| {r['step_cpu_s']:.1f} | {r['peak_rss_mib']:.0f} |")
    print(f"(peak RSS includes {r['rss_before_step_mib']:.0f} MiB of inputs read before the step; "
          f"1-min load average at the end: {r['load_average_1min']:.1f}; {r['area_features']} area features)")
    print("\n| category | area [ha] | MWp | GWh/a | also wind-eligible [ha] | if wind first [ha] | "
          "if wind first [GWh/a] |\n|---|---:|---:|---:|---:|---:|---:|")
    for name, c in r["by_category"].items():
        print(f"| {name} | {c['area_ha']:.0f} | {c['capacity_mwp']:.0f} | {c['yield_gwh_per_a']:.0f} | "
              f"{c['wind_overlap_ha']:.0f} | {c['area_wind_first_ha']:.0f} | {c['yield_wind_first_gwh_per_a']:.0f} |")
    print("\npost-mining land: " + "; ".join(f"{p['name']} {p['area_ha']:.0f} ha" for p in r["post_mining"]))
    print(f"installed open-field PV 2015 (UFZ): {r['installed_2015_mwp']:.1f} MWp")
    if args.summary:
        print("\n| municipality | AGS | area [ha] | MWp | GWh/a | kWh/kWp | wind overlap [ha] | wind first [ha] | "
              "wind first [GWh/a] | installed 2015 [MWp] |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for m in r["per_municipality"]:
            spec = m["pv_ground_specific_yield_kwh_per_kwp"]
            print(f"| {m['name']} | {m['ags']} | {m['pv_ground_area_ha']:.0f} | {m['pv_ground_capacity_mwp']:.0f} | "
                  f"{m['pv_ground_yield_gwh_per_a']:.0f} | {'–' if spec != spec else f'{spec:.0f}'} | "
                  f"{m['pv_ground_wind_overlap_ha']:.0f} | {m['pv_ground_area_wind_first_ha']:.0f} | "
                  f"{m['pv_ground_yield_wind_first_gwh_per_a']:.0f} | {m['pv_ground_installed_2015_mwp']:.1f} |")
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "pv_ground.json").write_text(json.dumps({
        "machine": machine(), "date": time.strftime("%Y-%m-%d"), "resolution_m": args.resolution,
        **{k: v for k, v in r.items() if k != "per_municipality"},
    }, indent=2))


if __name__ == "__main__":
    main()
