#!/usr/bin/env python3
"""Time of a fact sheet (HTML and PDF, German) of Grimma and of the county, over a real run.

One command:  .venv/bin/python bench/bench_factsheet.py [--repeat 3]

Uses the store and data folder of the settings (``POTENZIAL_*``; run ``potenzial run`` first). Prints the
machine and load, then per area: reading what the sheet shows (figures, map layers clipped to the area:
once per run and area, then cached by the server), the first HTML page (it draws the maps, then kept with
the sheet), and the medians of ``--repeat`` further pages (the other language) and their PDFs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine_info import machine  # noqa: E402

GRIMMA = "14729160"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from potenzial.region import load_region
    from potenzial.serving.factsheet import factsheet_html, html_to_pdf
    from potenzial.serving.services import RunServices
    from potenzial.serving.sheet_data import county_members, sheet_data
    from potenzial.settings import Settings
    from potenzial.store import open_store

    settings = Settings()
    region = load_region(settings.region, settings.regions_dir, settings.data_dir)
    store = open_store(settings.store_url, read_only=True)
    services = RunServices(store, region, settings.raster_cache)
    record = store.current_run()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}; run {record.run_id}")
    started = time.perf_counter()
    registry, figures = services.registry(record), services.figures(record)
    print(f"registry and figures of the run (once per run): {time.perf_counter() - started:.2f} s")
    for label, ags, title in (("Grimma", (GRIMMA,), None),
                              ("county", tuple(county_members(figures)), region.name)):
        started = time.perf_counter()
        sheet = sheet_data(store, record, registry, figures, ags, title)
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        page = factsheet_html(sheet, "de")
        first_s = time.perf_counter() - started
        again, pdf = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            page = factsheet_html(sheet, "en")
            again.append(time.perf_counter() - started)
            started = time.perf_counter()
            html_to_pdf(page)
            pdf.append(time.perf_counter() - started)
        print(f"{label}: read {read_s:.2f} s; first page (draws the maps) {first_s:.2f} s; then a page "
              f"{statistics.median(again):.2f} s, its PDF {statistics.median(pdf):.2f} s (medians of {args.repeat})")
    store.close()


if __name__ == "__main__":
    main()
