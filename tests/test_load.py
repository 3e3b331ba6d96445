"""Load (``make reliability`` only): 50 keep-alive clients mixing vector tiles, summaries and
GeoPackage downloads against `potenzial serve --workers 2` on loopback, three rounds of 60 s, on the
demo run of the 30 municipalities (tests/support/demo_run.py). Every request must be answered (200,
or 204 for an empty tile); latency, throughput and memory are reported by bench/bench_load.py into
bench/results/load.json and the README, not asserted (a shared machine's load decides them).
"""

from __future__ import annotations

import json
import os

import pytest

from bench.bench_load import run, table
from tests.support.demo_run import publish_demo_run

pytestmark = pytest.mark.reliability


def test_fifty_clients_for_a_minute_get_every_request_answered(tmp_path):
    publish_demo_run(tmp_path / "store")
    seconds = float(os.environ.get("POTENZIAL_LOAD_SECONDS", "60"))
    report = run(str(tmp_path / "store"), tmp_path / "raster_cache", port=8241, clients=50, seconds=seconds,
                 rounds=3, workers=2)
    (tmp_path / "load.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"\n{report['machine']}; load before {report['load_before']}, after {report['load_after']}\n"
          f"{table(report)}\nRSS growth round 2 -> 3: {report['rss_growth_round2_to_3']}")
    for number, rnd in enumerate(report["rounds"], 1):
        assert rnd["requests"] > 0, f"round {number}: no request was answered"
        assert rnd["errors"] == 0, f"round {number}: {rnd['error_kinds']}"
