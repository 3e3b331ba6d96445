"""Wiring of a run: stand-ins -> inputs -> calculations -> publish. No maths here."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pandas as pd

from potenzial.municipalities import check_municipalities, municipality_figures
from potenzial.params import ParameterSet
from potenzial.provenance import code_version, new_run_id, sha256_file, utc_now
from potenzial.region import Region
from potenzial.sources.raster import inspect_raster
from potenzial.sources.table import read_table
from potenzial.sources.vector import read_vector
from potenzial.stand_ins import ensure_stand_ins
from potenzial.store.base import RunRecord, RunResult, Store

STEPS = ("stand_ins", "inputs", "base", "publish")


class Reporter:
    """Progress sink for a run; the CLI shows it with rich, tests can record it."""

    def start(self, step: str, total: int | None = None) -> None:  # noqa: D102
        pass

    def advance(self, step: str, message: str = "") -> None:  # noqa: D102
        pass

    def finish(self, step: str, seconds: float) -> None:  # noqa: D102
        pass


@dataclass
class Inputs:
    """Loaded input layers of a run (EPSG:25833) and their provenance table."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    provenance: list[dict[str, str]] = field(default_factory=list)


def run_pipeline(region: Region, store: Store, params: ParameterSet,
                 reporter: Reporter | None = None,
                 on_layer_written: Callable[[str], None] | None = None) -> RunRecord:
    """Run every step for ``region`` and publish the results atomically into ``store``."""
    reporter = reporter or Reporter()
    timings: dict[str, float] = {}
    started = utc_now()
    run_id = new_run_id()
    store.ping()

    with _timed("stand_ins", reporter, timings):
        ensure_stand_ins(region, progress=lambda msg: reporter.advance("stand_ins", msg))

    with _timed("inputs", reporter, timings, total=len(region.layers)):
        inputs = load_inputs(region, lambda lid: reporter.advance("inputs", lid))

    with _timed("base", reporter, timings):
        figures = municipality_figures(
            inputs.frames[region.municipalities_layer],
            inputs.frames[region.statistics_layer],
            inputs.frames["buildings"],
            inputs.frames["landcover"],
        )

    frames: dict[str, pd.DataFrame] = {
        "municipalities": figures,
        "run_inputs": pd.DataFrame(inputs.provenance),
    }
    synthetic = tuple(sorted(e.id for e in region.layers.values() if e.synthetic))
    record = RunRecord(
        run_id=run_id,
        region_id=region.id,
        started_at=started,
        finished_at=utc_now(),
        params_hash=params.sha256,
        code_version=code_version(),
        steps=STEPS,
        timings_s=timings,
        synthetic_inputs=synthetic,
    )
    with _timed("publish", reporter, timings, total=len(frames)):
        def written(name: str) -> None:
            reporter.advance("publish", name)
            if on_layer_written:
                on_layer_written(name)

        store.publish(RunResult(record=record, frames=frames), on_layer_written=written)
    return record


def load_inputs(region: Region, progress: Callable[[str], None] | None = None) -> Inputs:
    """Read and check every catalog layer; hash every file (the run's input provenance)."""
    inputs = Inputs()
    for entry in region.layers.values():
        if entry.kind == "vector":
            inputs.frames[entry.id] = read_vector(entry)
        elif entry.kind == "table":
            inputs.frames[entry.id] = read_table(entry)
        else:
            inspect_raster(entry)
        inputs.provenance.append({
            "layer_id": entry.id,
            "title": entry.title,
            "kind": entry.kind,
            "provenance": entry.provenance,
            "source": entry.path.name,
            "sha256": sha256_file(entry.path),
            "licence": entry.licence,
            "attribution": entry.attribution,
        })
        if progress:
            progress(entry.id)
    municipalities = inputs.frames[region.municipalities_layer]
    check_municipalities(municipalities, region.ags_prefix)
    return inputs


@contextmanager
def _timed(step: str, reporter: Reporter, timings: dict[str, float], total: int | None = None) -> Iterator[None]:
    reporter.start(step, total)
    t0 = time.perf_counter()
    yield
    timings[step] = round(time.perf_counter() - t0, 3)
    reporter.finish(step, timings[step])
