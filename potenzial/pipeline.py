"""Wiring of a run: run lock -> stand-ins -> inputs -> steps -> display files -> publish -> prepare.
No maths here.

Every selected step is checked first (:func:`run_steps`: its ``check`` reads and validates its
parameters, rule sets and rasters once and returns them), then run with what its check
prepared. Every step's results are collected in memory and published in one atomic operation
at the end; steps not selected with ``--only`` carry their results over from the current run.
After the publish, what users ask for first (tiles, downloads, fact sheets) is prepared
(:mod:`potenzial.serving.prepare`) and reported in the run record; that never fails the run.
"""

from __future__ import annotations

import dataclasses
import functools
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pyproj import CRS

from potenzial.errors import NotFoundError
from potenzial.municipalities import check_municipalities
from potenzial.params import ParameterSet
from potenzial.provenance import code_version, new_run_id, sha256_path, utc_now
from potenzial.region import Region
from potenzial.runs import RunRecord
from potenzial.scenarios.cells import CELLS_RASTER
from potenzial.serving.prepare import PrepareSettings, default_headline, one_line, prepare_run
from potenzial.serving.prepare import from_setting as prepare_from_setting
from potenzial.serving.services import RunServices
from potenzial.settings import Settings
from potenzial.sources.extent import check_region_span, check_within_region, to_analysis_bounds
from potenzial.stand_ins import ensure_stand_ins
from potenzial.steps import Step, all_steps, select_steps
from potenzial.steps.context import StepContext
from potenzial.store.base import RunResult, Store
from potenzial.store.runlock import RunLease
from potenzial.tiles.cog import ensure_run_cogs
from potenzial.tiles.display import CATALOG_DISPLAY_FOLDER, build_run_display_files
from potenzial.tiles.written import check_writable, disk_error

PREPARE_STEPS = ("stand_ins", "inputs")


class Reporter:
    """Progress sink for a run; the CLI shows it with rich, tests can record it."""

    def start(self, step: str, total: int | None = None) -> None:
        pass

    def advance(self, step: str, message: str = "") -> None:
        pass

    def finish(self, step: str, seconds: float) -> None:
        pass


def run_pipeline(region: Region, store: Store, params: ParameterSet,
                 reporter: Reporter | None = None,
                 on_layer_written: Callable[[str], None] | None = None,
                 only: list[str] | None = None,
                 raster_cache: Path | None = None,
                 rules_dir: Path | None = None,
                 wait: bool = False,
                 on_wait: Callable[[str], None] | None = None,
                 prepare: PrepareSettings | Literal["settings"] | None = "settings") -> RunRecord:
    """Run the steps for ``region`` and publish the results atomically into ``store``.

    The run holds the store's run lock from start to publish: another run holding it makes this
    one refuse (StoreBusyError) or, with ``wait``, queue behind it (``on_wait(holder)`` first).
    ``raster_cache`` and ``rules_dir`` default to the settings' (``POTENZIAL_RASTER_CACHE``,
    ``POTENZIAL_RULES_DIR``); the steps find the rules folder in their context. ``prepare``: what to
    build for the first users after the publish (None: nothing; by default what ``POTENZIAL_PREPARE``
    says, see :mod:`potenzial.serving.prepare`); the returned record carries its report (``prepared``)."""
    reporter = reporter or Reporter()
    if raster_cache is None or rules_dir is None or prepare == "settings":
        defaults = Settings()
        raster_cache = raster_cache or defaults.raster_cache
        rules_dir = rules_dir or defaults.rules_dir
        if prepare == "settings":
            prepare = prepare_from_setting(defaults.prepare)
    steps = select_steps(only)
    run_id = new_run_id()
    store.ping()
    check_writable(raster_cache)
    with locked_run(store, raster_cache, run_id, wait=wait, on_wait=on_wait):
        try:
            record = _run_locked(region, store, params, reporter, on_layer_written, steps, bool(only), run_id,
                                 raster_cache, rules_dir)
        except OSError as exc:
            full = disk_error(exc, f"run {run_id}")
            if full is None:
                raise
            raise full from None
        if prepare is not None:
            record = prepare_published(store, region, record, raster_cache, prepare, reporter)
        return record


def prepare_published(store: Store, region: Region, record: RunRecord, raster_cache: Path,
                      settings: PrepareSettings, reporter: Reporter | None = None) -> RunRecord:
    """Prepare the products of the published run ``record`` and add the report to its stored record
    (step ``prepare`` of the reporter). Never raises for a failed preparation: it is reported."""
    reporter = reporter or Reporter()
    t0 = time.perf_counter()
    started = False

    def start(total: int) -> None:
        nonlocal started
        reporter.start("prepare", total)
        started = True

    try:
        headline = settings.headline if settings.headline is not None else default_headline()
        services = RunServices(store, region, raster_cache, headline=headline)
        report = prepare_run(services, record, settings, start=start,
                             advance=lambda label: reporter.advance("prepare", label))
    except Exception as exc:  # reported, never failing the published run
        report = {"error": one_line(exc), "seconds": round(time.perf_counter() - t0, 3)}
    if not started:
        reporter.start("prepare", 0)
    reporter.finish("prepare", round(time.perf_counter() - t0, 3))
    try:
        return store.record_preparation(record.run_id, report)
    except Exception:  # the run stays published; its record only lacks the report
        return dataclasses.replace(record, prepared=report)


@contextmanager
def locked_run(store: Store, raster_cache: Path, run_id: str, wait: bool = False,
               on_wait: Callable[[str], None] | None = None) -> Iterator[RunLease]:
    """Hold the store's run lock for ``run_id`` (see :meth:`Store.run_lock`); taken, it removes the
    raster folders of the store's dead runs; released after a publish, those of the runs it pruned."""
    with store.run_lock(run_id, wait=wait, on_wait=on_wait) as lease:
        kept = {r.run_id for r in store.list_runs()}
        reclaim_raster_folders(raster_cache, (r for r in lease.dead_runs if r not in kept))
        yield lease
        # the runs this publish pruned: their rasters, display files, tiles and downloads go too
        reclaim_raster_folders(raster_cache, kept - {r.run_id for r in store.list_runs()})


def reclaim_raster_folders(raster_cache: Path, run_ids: Iterable[str]) -> None:
    """Remove ``raster_cache/<run_id>/`` of runs that are neither complete nor kept (dead or pruned).
    Called only under the store's run lock, with run ids of that store."""
    for run_id in run_ids:
        folder = raster_cache / run_id
        if run_id and folder.parent == raster_cache and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def _run_locked(region: Region, store: Store, params: ParameterSet, reporter: Reporter,
                on_layer_written: Callable[[str], None] | None, steps: list[Step[Any]], only: bool,
                run_id: str, raster_cache: Path, rules_dir: Path) -> RunRecord:
    timings: dict[str, float] = {}
    started = utc_now()
    previous = store.current_run()
    if only and previous is None:
        raise NotFoundError("--only needs a previous complete run to take the other results from. "
                            "Run the full pipeline once (without --only).")

    with _timed("stand_ins", reporter, timings):
        ensure_stand_ins(region, progress=lambda msg: reporter.advance("stand_ins", msg))

    raster_dir = raster_cache / run_id
    ctx = StepContext(region=region, params=params, run_id=run_id, raster_dir=raster_dir, rules_dir=rules_dir,
                      previous=(lambda name: store.read(name, previous.run_id)) if previous else None)
    with _timed("inputs", reporter, timings, total=len(region.layers)):
        provenance = load_inputs(ctx, lambda lid: reporter.advance("inputs", lid))
    try:
        carried, steps = _carry_over(store, previous, steps)
        ctx.results.update(carried)
        if carried and previous is not None:
            _copy_rasters(raster_dir.parent / previous.run_id, raster_dir)
        run_steps(ctx, steps, reporter, timings)
        with _timed("display", reporter, timings):
            ensure_run_cogs(raster_dir)
            build_run_display_files(raster_dir, [(e.id, e.path, str(e.extra.get("resampling", "average")))
                                                 for e in region.layers.values() if e.kind == "raster"],
                                    data_rasters=(CELLS_RASTER,))
        frames: dict[str, pd.DataFrame] = dict(ctx.results)
        frames["run_inputs"] = pd.DataFrame(provenance)

        record = RunRecord(
            run_id=run_id,
            region_id=region.id,
            started_at=started,
            finished_at=utc_now(),
            params_hash=params.sha256,
            code_version=code_version(),
            steps=tuple(PREPARE_STEPS + tuple(s.name for s in steps) + ("display", "publish")),
            timings_s=dict(timings),
            synthetic_inputs=tuple(sorted(e.id for e in region.layers.values() if e.synthetic)),
        )
        with _timed("publish", reporter, timings, total=len(frames)):
            def written(name: str) -> None:
                reporter.advance("publish", name)
                if on_layer_written:
                    on_layer_written(name)

            store.publish(RunResult(record=record, frames=frames), on_layer_written=written)
    except BaseException:
        shutil.rmtree(raster_dir, ignore_errors=True)
        raise
    return record


def run_steps(ctx: StepContext, steps: Sequence[Step[Any]], reporter: Reporter | None = None,
              timings: dict[str, float] | None = None) -> None:
    """Check every step, then run each with what its check prepared; results go into ``ctx.results``.

    All checks come first, so a mistake in the last step's parameters fails before the first step
    computes anything; each check runs once, and its result is released when its step has run."""
    reporter = reporter or Reporter()
    timings = timings if timings is not None else {}
    prepared = {step.name: step.check(ctx) for step in steps}
    for step in steps:
        ctx.progress = functools.partial(reporter.advance, step.name)
        with _timed(step.name, reporter, timings):
            produced = step.run(ctx, prepared.pop(step.name))
        ctx.results.update(produced)


def _carry_over(store: Store, previous: RunRecord | None, selected: list[Step[Any]]
                ) -> tuple[dict[str, pd.DataFrame], list[Step[Any]]]:
    """Results of the steps not selected, read from the previous run. A step whose results the
    previous run lacks (e.g. a potential added since) runs after all."""
    carried: dict[str, pd.DataFrame] = {}
    to_run = {s.name for s in selected}
    if previous is None:
        return carried, selected
    for step in all_steps():
        if step.always:
            to_run.add(step.name)
        if step.name in to_run:
            continue
        try:
            frames = {name: store.read(name, previous.run_id) for name in step.produces}
        except NotFoundError:
            to_run.add(step.name)
            continue
        carried.update(frames)
    return carried, [s for s in all_steps() if s.name in to_run]


def _copy_rasters(source: Path, target: Path) -> None:
    """Rasters of the previous run (top level, with their display files, and the catalog rasters'
    display files; not its tile cache) for carried-over steps; copies, not links, so a re-run step
    never writes into the previous run's files."""
    if not source.is_dir():
        return
    for folder, into in ((source, target), (source / CATALOG_DISPLAY_FOLDER, target / CATALOG_DISPLAY_FOLDER)):
        if not folder.is_dir():
            continue
        into.mkdir(parents=True, exist_ok=True)
        for path in folder.iterdir():
            if path.is_file() and path.suffix in (".tif", ".json"):
                shutil.copy2(path, into / path.name)


def load_inputs(ctx: StepContext, progress: Callable[[str], None] | None = None) -> list[dict[str, str]]:
    """Read and check every catalog layer before any step runs (a bad file fails the run early,
    before anything is written) and hash every file: the run's input provenance."""
    rows = []
    region_bounds = region_extent(ctx)
    for entry in ctx.region.layers.values():
        if entry.kind == "vector":
            layer_bounds = tuple(ctx.vector(entry.id).total_bounds)
        elif entry.kind == "table":
            ctx.table(entry.id)
        else:
            info = ctx.raster(entry.id)[1]
            layer_bounds = to_analysis_bounds(info.bounds, CRS.from_user_input(info.crs))
        if entry.kind != "table" and not entry.synthetic:
            check_within_region(layer_bounds, region_bounds, f"layer {entry.id!r} ({entry.path})")
        rows.append({
            "layer_id": entry.id,
            "title": entry.title,
            "kind": entry.kind,
            "provenance": entry.provenance,
            "source": entry.path.name,
            "sha256": sha256_path(entry.path),
            "licence": entry.licence,
            "attribution": entry.attribution,
        })
        if progress:
            progress(entry.id)
    check_municipalities(ctx.municipalities, ctx.region.ags_prefix)
    return rows


def region_extent(ctx: StepContext) -> tuple[float, float, float, float]:
    """The municipalities' box [EPSG:25833, m], refused when it is degrees read as metres."""
    entry = ctx.region.layer(ctx.region.municipalities_layer)
    bounds = tuple(float(v) for v in ctx.municipalities.total_bounds)
    check_region_span(bounds, f"layer {entry.id!r} ({entry.path})")  # type: ignore[arg-type]
    return bounds  # type: ignore[return-value]


@contextmanager
def _timed(step: str, reporter: Reporter, timings: dict[str, float], total: int | None = None) -> Iterator[None]:
    reporter.start(step, total)
    t0 = time.perf_counter()
    yield
    timings[step] = round(time.perf_counter() - t0, 3)
    reporter.finish(step, timings[step])
