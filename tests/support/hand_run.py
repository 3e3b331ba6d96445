"""A tiny hand-made run (two square municipalities and one input row) for the tests of the run lock,
the journal and the reclaiming of what dead runs leave behind; and a driver that holds a store's run
lock in another process the way a run does (:func:`potenzial.pipeline.locked_run`)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from potenzial.crs import ANALYSIS_CRS
from potenzial.runs import RunRecord
from potenzial.store.base import RunResult
from potenzial.store.schema import MUNICIPALITIES

X0, Y0 = 340_000.0, 5_690_000.0


def hand_record(run_id: str) -> RunRecord:
    return RunRecord(run_id=run_id, region_id="lk-test", started_at="2026-03-01T09:00:00+00:00",
                     finished_at="2026-03-01T09:02:30+00:00", params_hash="cd" * 32, code_version="9.9.9+hand",
                     steps=("base",), timings_s={"base": 0.5})


def hand_result(run_id: str, side_m: float = 1000.0) -> RunResult:
    """Two squares of ``side_m`` side by side, from (X0, Y0) eastwards; every figure 1 (integers) or
    0.5 (floats)."""
    figures = {c: [1, 1] for c, kind in MUNICIPALITIES.columns if kind == "int"}
    figures |= {c: [0.5, 0.5] for c, kind in MUNICIPALITIES.columns if kind == "float"}
    munis = gpd.GeoDataFrame(pd.DataFrame({"ags": ["14729001", "14729002"], "name": ["Erststadt", "Zweitdorf"],
                                           **figures}),
                             geometry=[box(X0, Y0, X0 + side_m, Y0 + side_m),
                                       box(X0 + side_m, Y0, X0 + 2 * side_m, Y0 + side_m)],
                             crs=ANALYSIS_CRS)
    inputs = pd.DataFrame({"layer_id": ["buildings"], "title": ["Gebäude"], "kind": ["vector"],
                           "provenance": ["synthetic"], "source": ["hand"], "sha256": ["ef" * 32],
                           "licence": ["CC0"], "attribution": ["hand-made"]})
    return RunResult(record=hand_record(run_id), frames={"municipalities": munis, "run_inputs": inputs})


#: ``python -c RUN_DRIVER <store url> <raster cache> <run id> <hold|die> <gate file>``: takes the run lock
#: as a run does, writes a raster into its folder, starts publishing, prints ``publishing`` after the first
#: layer, then either waits until the gate file exists and finishes (hold) or kills itself (die)
RUN_DRIVER = """
import os, signal, sys, time
from pathlib import Path
from potenzial.pipeline import locked_run
from potenzial.store import open_store
from tests.support.hand_run import hand_result
url, cache, run_id, mode, gate = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4], Path(sys.argv[5])
store = open_store(url)
store.init()
with locked_run(store, cache, run_id):
    (cache / run_id).mkdir(parents=True, exist_ok=True)
    (cache / run_id / "wind_speed.tif").write_bytes(b"a raster of the run")
    def written(name):
        print("publishing", flush=True)
        if mode == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        while not gate.exists():
            time.sleep(0.05)
    store.publish(hand_result(run_id), on_layer_written=written)
print("published", flush=True)
"""
