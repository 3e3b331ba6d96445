"""The app factory. Nothing is built at import time: run it with

    uvicorn --factory api.app:create_app

Settings come from the caller (or the environment, ``POTENZIAL_*``, when none are given); the
lifespan opens the store and loads the region. The map page's browser assets must be installed
(``make web``): without them the factory fails with a one-line error instead of serving a blank page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.cache import RunCache
from api.errors import add_exception_handlers
from api.routers import health, layers, municipalities, page
from potenzial.region import load_region
from potenzial.settings import Settings
from potenzial.store.base import open_store
from web.assets import OWN_MOUNT_PATH, OWN_STATIC, STATIC_URL, vendor_dirs
from web.page import MapSettings

TITLE = "potenzial"


def create_app(settings: Settings | None = None, map_settings: MapSettings | None = None) -> FastAPI:
    """Build the API. Raises MissingAssetsError if ``web/node_modules`` is not installed and
    ConfigError for a wrong base-map setting, both before anything is served."""
    settings = settings if settings is not None else Settings()
    map_settings = map_settings if map_settings is not None else MapSettings()
    basemap = map_settings.basemap()
    vendor = vendor_dirs()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.basemap = basemap
        app.state.cache = RunCache()
        app.state.region = load_region(settings.region, settings.regions_dir, settings.data_dir)
        app.state.store = open_store(settings.store_url)
        try:
            yield
        finally:
            app.state.store.close()

    app = FastAPI(
        title=TITLE,
        summary="Renewable-energy potentials per municipality: results, layer catalog and map.",
        lifespan=lifespan,
    )
    add_exception_handlers(app)
    for router in (health.router, municipalities.router, layers.router, page.router):
        app.include_router(router)
    for package, folder in vendor.items():
        app.mount(f"{STATIC_URL}/{package.mount_path}", StaticFiles(directory=folder),
                  name=f"vendor-{package.name}")
    app.mount(f"{STATIC_URL}/{OWN_MOUNT_PATH}", StaticFiles(directory=OWN_STATIC), name="web-static")
    return app
