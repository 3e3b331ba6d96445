"""Serving state built by the app factory's lifespan: the run tracker, the library's run services
(:class:`potenzial.serving.services.RunServices`: layer registries, figures, summaries, downloads,
fact sheets, point queries), the background builds of display COGs, the tile cache and the tile
renderers. Routers call into this; it wires library objects and reads no file itself."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from potenzial.errors import NotFoundError, StoreUnavailableError
from potenzial.region import Region
from potenzial.runs import RunRecord
from potenzial.serving.cache import RunCache
from potenzial.serving.headline import load_headline_params
from potenzial.serving.registry import LayerRegistry, ServedLayer
from potenzial.serving.saved_scenarios import SavedScenarioService
from potenzial.serving.scenarios import ScenarioService
from potenzial.serving.services import RunServices
from potenzial.settings import Settings
from potenzial.store.base import Store
from potenzial.store.schema import RESULTS, ResultSchema
from potenzial.tiles import TileTimeoutError
from potenzial.tiles.cache import TileCache
from potenzial.tiles.display import ensure_display_cog
from potenzial.tiles.grid import TILE_SIZE_PX
from potenzial.tiles.mvt import DEFAULT_MAX_FEATURES
from potenzial.tiles.raster import AnalysisTileSource, TileSource, render_tile
from web.figures import figure_values

log = logging.getLogger("potenzial.api")


#: serialised municipality answers kept in memory (30 municipalities × a few base URLs × 2 runs)
SUMMARIES_KEPT = 256


class ServingSettings(BaseSettings):
    """Serving limits and switches, from ``POTENZIAL_SERVE_*``; built by the app factory."""

    model_config = SettingsConfigDict(env_prefix="POTENZIAL_SERVE_", extra="ignore")

    tile_cache: bool = Field(True, description="keep rendered raster and vector tiles on disk (keyed by run id)")
    tile_cache_memory_mb: int = Field(64, ge=0, le=4096, description="hot tiles kept in memory [MB]")
    raster_timeout_s: float = Field(10.0, gt=0, le=120, description="time limit of one raster tile [s]")
    vector_timeout_s: float = Field(10.0, gt=0, le=120, description="time limit of one vector tile [s]")
    request_timeout_s: float = Field(60.0, gt=0, le=600, description="time limit of a download or fact sheet [s]")
    max_features_per_tile: int = Field(DEFAULT_MAX_FEATURES, ge=1, le=200_000, description="features per vector tile")
    run_check_interval_s: float = Field(1.0, ge=0, le=60, description="how often tiles re-read the current run [s]")
    store_retry_s: float = Field(2.0, ge=0, le=60, description="back-off after the store failed [s]")
    tile_max_age_s: int = Field(300, ge=0, le=86_400, description="Cache-Control max-age of tiles [s]")
    allow_superuser: bool = Field(False, description="serve even when the store URL names a PostgreSQL superuser")


class RunTracker:
    """The current run for the tile routes, re-read at most every ``interval_s``.

    When the store is unavailable the last known run keeps being served for tiles
    (``allow_stale``), and the store is asked again after ``retry_s``: the app recovers by
    itself when the database is back.
    """

    def __init__(self, store: Store, interval_s: float, retry_s: float) -> None:
        self.store = store
        self.interval_s = interval_s
        self.retry_s = retry_s
        self._record: RunRecord | None = None
        self._checked = -1e18
        self._failed = -1e18
        self._lock = threading.Lock()

    def fresh(self) -> RunRecord | None:
        """The known run if it was checked within the interval (no I/O), else None."""
        if self._record is not None and time.monotonic() - self._checked < self.interval_s:
            return self._record
        return None

    def current(self, allow_stale: bool = False) -> RunRecord:
        record = self.fresh()
        if record is not None:
            return record
        now = time.monotonic()
        if now - self._failed < self.retry_s:
            if allow_stale and self._record is not None:
                return self._record
            raise StoreUnavailableError("the result store was unavailable a moment ago; retrying shortly.")
        known = self._record
        if known is None:
            self._lock.acquire()
        elif not self._lock.acquire(blocking=False):
            return known  # another request is refreshing; the known run is fine meanwhile
        try:
            try:
                record = self.store.current_run()
            except StoreUnavailableError:
                self._failed = time.monotonic()
                if allow_stale and self._record is not None:
                    log.warning("store unavailable; serving tiles of the last known run %s", self._record.run_id)
                    return self._record
                raise
            if record is None:
                raise NotFoundError("no results yet: the store holds no run. Run `potenzial run` first, then reload.")
            self._record, self._checked, self._failed = record, time.monotonic(), -1e18
            return record
        finally:
            self._lock.release()


class Serving:
    """Everything the map routes share; one per app."""

    def __init__(self, settings: Settings, serving: ServingSettings, store: Store, region: Region,
                 schemas: Mapping[str, ResultSchema] = RESULTS) -> None:
        self.settings = settings
        self.config = serving
        self.store = store
        self.region = region
        self.raster_cache = Path(settings.raster_cache)
        self.tracker = RunTracker(store, serving.run_check_interval_s, serving.store_retry_s)
        self.tiles = TileCache(self.raster_cache, serving.tile_cache_memory_mb * 1024 * 1024)
        #: registries, figures, summaries, downloads, fact sheets and point queries of the runs
        self.results = RunServices(store, region, self.raster_cache, schemas, on_registry=self._start_display_builds,
                                   headline=load_headline_params(settings.params_dir, settings.figures_precedence),
                                   rules_dir=settings.rules_dir, params_dir=settings.params_dir)
        #: what-if scenarios on the fast path, with the map's figures of each answer
        self.scenarios = ScenarioService(self.results, figure_values=figure_values)
        self.saved_scenarios = SavedScenarioService(self.scenarios)
        #: a municipality's JSON, serialised (per run, AGS and base URL)
        self.summaries = RunCache(max_entries=SUMMARIES_KEPT)
        self._sources: dict[Path, TileSource] = {}
        self._builds: dict[Path, Future] = {}
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="display-cog")

    # -- registry
    def registry_if_built(self, run_id: str) -> LayerRegistry | None:
        return self.results.registry_if_built(run_id)

    def registry(self, record: RunRecord) -> LayerRegistry:
        return self.results.registry(record)

    def _start_display_builds(self, registry: LayerRegistry) -> None:
        for layer in registry.raster_layers():
            self.display_future(layer)

    # -- display COGs
    def display_future(self, layer: ServedLayer) -> Future:
        """The (background) build of a raster layer's display COG; one per file."""
        path = layer.display_path
        if path is None or layer.analysis_path is None:
            raise NotFoundError(f"layer {layer.id} has no raster.")
        with self._lock:
            future = self._builds.get(path)
            if future is None or (future.done() and future.exception() is not None and not path.is_file()):
                future = self._executor.submit(ensure_display_cog, layer.analysis_path, path, layer.resampling)
                self._builds[path] = future
            return future

    def prepare(self, record: RunRecord, timeout_s: float | None = None) -> LayerRegistry:
        """Build the registry and every display COG of ``record`` now (bench, tests, warm-up)."""
        registry = self.registry(record)
        for layer in registry.layers.values():
            if layer.kind == "raster":
                self.display_future(layer).result(timeout=timeout_s)
        return registry

    def tile_source(self, layer: ServedLayer) -> TileSource | None:
        """The display COG of ``layer`` opened for tiles, or None while it is being built (or its build
        failed): the caller then draws from the analysis raster (:class:`AnalysisTileSource`)."""
        path = layer.display_path
        if path is None:
            raise NotFoundError(f"layer {layer.id} has no raster.")
        source = self._sources.get(path)
        if source is not None:
            return source
        future = self.display_future(layer)
        if not future.done() or future.exception() is not None:
            return None
        with self._lock:
            source = self._sources.get(path)
            if source is None:
                source = TileSource(path)
                self._sources[path] = source
        return source

    # -- tiles
    def render_raster(self, layer: ServedLayer, z: int, x: int, y: int, scale: int) -> tuple[bytes, bool]:
        """(PNG bytes of a raster tile or ``b""`` when it holds no data, final). ``final`` is False for a
        tile drawn from the analysis raster while the display COG is built: right, but not the bytes the
        display COG gives, so it is neither cached nor tagged. Never waits for a display build."""
        if layer.scale is None or layer.analysis_path is None:
            raise NotFoundError(f"layer {layer.id} has no colour scale; it is not a raster layer.")
        started = time.monotonic()
        source = self.tile_source(layer)
        if source is None:
            fallback = AnalysisTileSource(layer.analysis_path, layer.resampling)
            return render_tile(fallback, layer.scale, z, x, y, TILE_SIZE_PX * scale), False
        data = render_tile(source, layer.scale, z, x, y, TILE_SIZE_PX * scale)
        if time.monotonic() - started > self.config.raster_timeout_s:
            raise TileTimeoutError(f"layer {layer.id}: the tile took longer than its time limit.")
        return data, True

    def vector_tile(self, layer: ServedLayer, z: int, x: int, y: int) -> bytes:
        return self.store.vector_tile(layer.id, z, x, y, run_id=layer.run_id,
                                      max_features=self.config.max_features_per_tile)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            for source in self._sources.values():
                source.close()
            self._sources.clear()


async def run_with_limit(serving: Serving, func: Callable[..., Any], *args: Any) -> Any:
    """Run a blocking product builder in the thread pool within the request time limit (503 after)."""
    import asyncio

    from fastapi.concurrency import run_in_threadpool

    limit = serving.config.request_timeout_s
    try:
        return await asyncio.wait_for(run_in_threadpool(func, *args), timeout=limit)
    except TimeoutError:
        raise TileTimeoutError(f"building the answer took longer than {limit:g} s; try again in a moment "
                               "(it continues in the background and is cached when done).") from None
