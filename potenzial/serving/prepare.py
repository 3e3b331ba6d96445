"""What publishing a run prepares, so that the first user of a new run gets the speed of the hundredth.

Right after a run is published (:func:`potenzial.pipeline.run_pipeline`, both stores), every
product a user asks for first is built into the run's folder of the raster cache, where the server
finds it by run id (a new run has a new folder, so nothing is invalidated in place):

- ``display``: the EPSG:3857 display COG of every raster layer (normally already built by the
  run's ``display`` step; then nothing is done);
- ``tiles``: the county-wide tiles of every layer, raster and vector, at :data:`PREPARED_ZOOMS`
  (the zooms a county map opens at), in the server's tile cache (same bytes, same ETag); a vector
  layer too dense for the page to draw at a zoom (roof planes at county scale) is left out there;
- ``downloads``: every municipality's GeoPackage;
- ``factsheets``: every municipality's fact sheet, drawn by
  :meth:`potenzial.serving.services.RunServices.render_factsheet` (the one function for it);
- ``rasters``: the county-wide COG of every raster layer (a COG copy of a catalog raster that is
  not one).

Preparation never fails the published run: each item that fails is counted (with the first
error) and left to be built on the first request, as before. The report, per product the counts
prepared and failed and the seconds spent, goes into the run record
(:attr:`potenzial.runs.RunRecord.prepared`).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from potenzial.errors import ConfigError, PotenzialError
from potenzial.runs import RunRecord
from potenzial.serving.headline import HeadlineParams, load_headline_params
from potenzial.serving.registry import ServedLayer
from potenzial.serving.services import RunServices
from potenzial.settings import Settings
from potenzial.tiles.cache import TileCache
from potenzial.tiles.display import ensure_display_cog
from potenzial.tiles.grid import tiles_covering
from potenzial.tiles.mvt import DEFAULT_MAX_FEATURES
from potenzial.tiles.raster import TileSource, render_tile

#: the products prepared, in this order (see the module docstring)
PRODUCTS = ("display", "tiles", "downloads", "factsheets", "rasters")
#: the fact sheet formats prepared (in German, the page's default language)
FACTSHEET_FORMATS = ("html", "pdf")
#: the zooms whose county-wide tiles are prepared: z8 shows the county on a phone, z12 a town
PREPARED_ZOOMS = (8, 9, 10, 11, 12)
#: the longest error message kept in the run record [characters]
MAX_ERROR_CHARS = 200


@dataclass(frozen=True)
class PrepareSettings:
    """What to prepare. ``headline``: the headline parameters of the fact sheets (default: those of
    the settings' parameter set, as the server loads them); ``max_features_per_tile`` must be the
    server's (``POTENZIAL_SERVE_MAX_FEATURES_PER_TILE``) for prepared vector tiles to be its tiles."""

    products: tuple[str, ...] = PRODUCTS
    zooms: tuple[int, ...] = PREPARED_ZOOMS
    headline: HeadlineParams | None = None
    max_features_per_tile: int = DEFAULT_MAX_FEATURES
    #: average features per tile beyond which the page does not draw a vector layer at a zoom (the
    #: page's budget, ``web.display.MAX_FEATURES_PER_TILE``); such tiles are not prepared
    dense_features_per_tile: int = 8_000
    workers: int = 2
    #: the municipalities whose downloads and fact sheets are prepared (None: every one)
    municipalities: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Job:
    """One item to prepare; ``work`` returns (items prepared, items failed, first error)."""

    product: str
    label: str
    work: Callable[[], tuple[int, int, str]]


def from_setting(value: str) -> PrepareSettings | None:
    """What ``POTENZIAL_PREPARE`` asks to prepare after a publish: ``all`` (default), ``none``, or a
    comma-separated list of products (e.g. ``downloads,factsheets``); ConfigError for another word."""
    words = [w.strip() for w in value.split(",") if w.strip()]
    if words in (["all"], []):
        return PrepareSettings()
    if words == ["none"]:
        return None
    unknown = [w for w in words if w not in PRODUCTS]
    if unknown:
        raise ConfigError(f"POTENZIAL_PREPARE={value!r}: {unknown[0]!r} is not a product; use all, none or a "
                          f"comma-separated list of {', '.join(PRODUCTS)}.")
    return PrepareSettings(products=tuple(words))


def default_headline() -> HeadlineParams:
    """The headline parameters the server loads with the default settings."""
    settings = Settings()
    return load_headline_params(settings.params_dir, settings.figures_precedence)


def one_line(exc: BaseException) -> str:
    """A one-line description of ``exc`` for the run record (a library error's own message; for
    anything else its type and, for a system error, its reason, never a path)."""
    if isinstance(exc, PotenzialError):
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    elif isinstance(exc, OSError) and exc.strerror:
        text = f"{type(exc).__name__}: {exc.strerror}"
    else:
        text = type(exc).__name__
    return text[:MAX_ERROR_CHARS]


def _single(work: Callable[[], object]) -> Callable[[], tuple[int, int, str]]:
    def run() -> tuple[int, int, str]:
        try:
            work()
        except Exception as exc:  # counted, never failing the published run
            return 0, 1, one_line(exc)
        return 1, 0, ""

    return run


def _tiles_job(services: RunServices, tiles: TileCache, layer: ServedLayer, z: int,
               max_features: int) -> Callable[[], tuple[int, int, str]]:
    def run() -> tuple[int, int, str]:
        done = failed = 0
        error = ""
        source = None
        try:
            if layer.kind == "raster":
                if layer.display_path is None or layer.scale is None:
                    return 0, 0, ""
                source = TileSource(layer.display_path)
            for x, y in tiles_covering(layer.bounds_3857, z):
                try:
                    if source is not None and layer.scale is not None:
                        data, ext = render_tile(source, layer.scale, z, x, y), "png"
                    else:
                        data = services.store.vector_tile(layer.id, z, x, y, run_id=layer.run_id,
                                                          max_features=max_features)
                        ext = "pbf"
                    tiles.put(layer.run_id, layer.id, z, x, y, ext, data)
                    done += 1
                except Exception as exc:  # counted per tile
                    failed += 1
                    error = error or one_line(exc)
        except Exception as exc:  # the layer's source: every tile of the zoom fails
            return done, failed + max(1, len(tiles_covering(layer.bounds_3857, z)) - done), one_line(exc)
        finally:
            if source is not None:
                source.close()
        return done, failed, error

    return run


def _drawn_at(features: int, layer: ServedLayer, z: int, dense_features_per_tile: int) -> bool:
    """Whether the page draws ``layer`` at zoom ``z``: a raster always; a vector layer unless its
    ``features`` spread over the county's tiles at ``z`` exceed ``dense_features_per_tile`` on average
    (roof planes at z8-z10: the page draws them only from a deeper zoom, so their tiles are not
    asked for)."""
    if layer.kind != "vector":
        return True
    return features <= dense_features_per_tile * max(1, len(tiles_covering(layer.bounds_3857, z)))


def plan(services: RunServices, record: RunRecord, settings: PrepareSettings) -> list[Job]:
    """Every item to prepare for ``record``, product by product (reads the registry and the
    municipalities; errors here are the caller's)."""
    registry = services.registry(record)
    tiles = TileCache(services.raster_cache, memory_bytes=0)
    ags_list = [str(a) for a in services.figures(record).municipalities["ags"]
                if settings.municipalities is None or str(a) in settings.municipalities]
    rasters = registry.raster_layers()
    jobs: list[Job] = []
    for product in settings.products:
        if product == "display":
            jobs += [Job(product, layer.id, _single(functools.partial(
                ensure_display_cog, layer.analysis_path, layer.display_path, layer.resampling)))
                for layer in rasters if layer.analysis_path is not None and layer.display_path is not None]
        elif product == "tiles":
            features = {layer.id: len(services.store.read(layer.id, record.run_id))
                        for layer in registry.vector_layers()}
            jobs += [Job(product, f"{layer.id} z{z}", _tiles_job(services, tiles, layer, z,
                                                                 settings.max_features_per_tile))
                     for layer in registry.layers.values() for z in settings.zooms
                     if layer.minzoom <= z <= layer.maxzoom
                     and _drawn_at(features.get(layer.id, 0), layer, z, settings.dense_features_per_tile)]
        elif product == "downloads":
            jobs += [Job(product, ags, _single(functools.partial(services.download_path, record, ags)))
                     for ags in ags_list]
        elif product == "factsheets":
            jobs += [Job(product, f"{ags} {fmt}", _single(functools.partial(services.factsheet_path, record, ags, fmt)))
                     for ags in ags_list for fmt in FACTSHEET_FORMATS]
        elif product == "rasters":
            jobs += [Job(product, layer.id, _single(functools.partial(services.county_raster_path, record, layer.id)))
                     for layer in rasters]
    return jobs


def _timed_job(job: Job) -> tuple[Job, tuple[int, int, str], float]:
    t0 = time.perf_counter()
    result = job.work()
    return job, result, time.perf_counter() - t0


def run_jobs(jobs: Sequence[Job], workers: int = 2, advance: Callable[[str], None] | None = None) -> dict:
    """Run ``jobs`` product by product (``workers`` threads each) and report per product
    ``{"prepared", "failed", "seconds", "error"}`` (seconds: summed over its items)."""
    report: dict[str, dict] = {}
    products = list(dict.fromkeys(job.product for job in jobs))
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="prepare") as pool:
        for product in products:
            prepared = failed_total = 0
            seconds_total = 0.0
            first_error = ""
            for job, (done, failed, error), seconds in pool.map(_timed_job, [j for j in jobs if j.product == product]):
                prepared += done
                failed_total += failed
                seconds_total += seconds
                first_error = first_error or error
                if advance is not None:
                    advance(f"{product} {job.label}")
            entry = {"prepared": prepared, "failed": failed_total, "seconds": round(seconds_total, 3),
                     "error": first_error}
            report[product] = entry
    return report


def prepare_run(services: RunServices, record: RunRecord, settings: PrepareSettings | None = None,
                start: Callable[[int], None] | None = None, advance: Callable[[str], None] | None = None) -> dict:
    """Prepare every product of the published run ``record`` (see the module docstring) and return the
    report for the run record: per product ``prepared``, ``failed``, ``seconds``, ``error``; and
    ``seconds`` (wall time), ``zooms``. Never raises for a failed item; a failure before any item
    (the registry, the municipalities) is reported as ``error``."""
    settings = settings or PrepareSettings()
    t0 = time.perf_counter()
    report: dict = {"zooms": list(settings.zooms)}
    try:
        jobs = plan(services, record, settings)
    except Exception as exc:  # reported, never failing the published run
        jobs = []
        report["error"] = one_line(exc)
    if start is not None:
        start(len(jobs))
    report["products"] = run_jobs(jobs, settings.workers, advance)
    report["seconds"] = round(time.perf_counter() - t0, 3)
    return report


def prepared_tile_path(raster_cache: Path, run_id: str, layer_id: str, z: int, x: int, y: int, ext: str) -> Path:
    """Where the tile cache keeps a prepared tile (the server's cache layout)."""
    return TileCache(raster_cache, memory_bytes=0).path(run_id, layer_id, z, x, y, ext)


__all__ = ["PREPARED_ZOOMS", "PRODUCTS", "Job", "PrepareSettings", "default_headline", "one_line", "plan",
           "prepare_run", "prepared_tile_path", "run_jobs"]
