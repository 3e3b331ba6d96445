"""The app factory. Nothing is built at import time: run it with

    uvicorn --factory api.app:create_app

Settings come from the caller (or the environment, ``POTENZIAL_*``, when none are given); the
lifespan opens the store and loads the region. The map page's browser assets must be installed
(``make web``): without them the factory fails with a one-line error instead of serving a blank page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import add_exception_handlers
from api.fastpath import CachedTileMiddleware
from api.head import HeadAsGetMiddleware
from api.routers import basemap as basemap_routes
from api.routers import health, layers, monitoring, municipalities, page, point, scenarios, summary, tiles
from api.routers import schemas as schema_labels
from api.serving import Serving, ServingSettings
from potenzial import __version__
from potenzial.region import load_region
from potenzial.serving.cache import RunCache
from potenzial.settings import Settings
from potenzial.store import open_store
from potenzial.store.base import Store
from potenzial.store.schema import RESULTS, ResultSchema
from web.assets import OWN_MOUNT_PATH, OWN_STATIC, STATIC_URL, vendor_dirs
from web.page import MapSettings

TITLE = "potenzial"


def open_server_store(settings: Settings, serving_settings: ServingSettings) -> Store:
    """The store as the server opens it: read-only sessions; a PostgreSQL superuser refused
    (SuperuserRefusedError, before anything is served) unless ``allow_superuser``. A store that
    cannot be reached now is checked on its first connection instead."""
    store = open_store(settings.store_url, read_only=True, allow_superuser=serving_settings.allow_superuser)
    try:
        store.check_role()
    except BaseException:
        store.close()
        raise
    return store


def create_app(settings: Settings | None = None, map_settings: MapSettings | None = None,
               serving_settings: ServingSettings | None = None,
               schemas: Mapping[str, ResultSchema] = RESULTS) -> FastAPI:
    """Build the API. Raises MissingAssetsError if ``web/node_modules`` is not installed and
    ConfigError for a wrong base-map setting, both before anything is served.
    ``serving_settings`` (default: ``POTENZIAL_SERVE_*``) holds tile cache and time limits; ``schemas``
    (default: the result registry) are the result layers and tables served."""
    settings = settings if settings is not None else Settings()
    map_settings = map_settings if map_settings is not None else MapSettings()
    serving_settings = serving_settings if serving_settings is not None else ServingSettings()
    basemap = map_settings.basemap()
    vendor = vendor_dirs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.basemap = basemap
        app.state.cache = RunCache()
        app.state.region = load_region(settings.region, settings.regions_dir, settings.data_dir)
        app.state.store = open_server_store(settings, serving_settings)
        app.state.serving = Serving(settings, serving_settings, app.state.store, app.state.region, schemas)
        try:
            yield
        finally:
            app.state.serving.close()
            app.state.store.close()

    app = FastAPI(
        title=TITLE,
        summary="Renewable-energy potentials per municipality: results, layer catalog, tiles, downloads and map.",
        version=__version__,
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load Swagger UI and ReDoc from a CDN; nothing here may
        # (the API description stays at /openapi.json)
        docs_url=None,
        redoc_url=None,
    )
    add_exception_handlers(app)
    app.add_middleware(CachedTileMiddleware)
    app.add_middleware(HeadAsGetMiddleware)  # outermost: the fast path sees a HEAD as GET too
    for router in (health.router, municipalities.router, summary.router, point.router, layers.router,
                   schema_labels.router, tiles.router, basemap_routes.router, monitoring.router, scenarios.router,
                   page.router):
        app.include_router(router)
    for package, folder in vendor.items():
        app.mount(f"{STATIC_URL}/{package.mount_path}", StaticFiles(directory=folder),
                  name=f"vendor-{package.name}")
    app.mount(f"{STATIC_URL}/{OWN_MOUNT_PATH}", StaticFiles(directory=OWN_STATIC), name="web-static")
    return app
