"""Request dependencies: everything a router needs comes from the app state built by the lifespan.

The ones that only read the app state are coroutines: FastAPI runs a plain function dependency in
its thread pool, a hop per dependency and request that costs more than the lookup under load."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.serving import Serving
from potenzial.errors import NotFoundError
from potenzial.region import Region
from potenzial.runs import RunRecord
from potenzial.serving.cache import RunCache
from potenzial.store.base import Store
from web.assets import STATIC_URL
from web.page import BaseMap


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_region(request: Request) -> Region:
    return request.app.state.region


async def get_cache(request: Request) -> RunCache:
    return request.app.state.cache


async def get_basemap(request: Request) -> BaseMap | None:
    return request.app.state.basemap


async def get_static_url(request: Request) -> str:
    """Where ``/static`` is as the browser sees it (honours a proxy's root_path)."""
    return f"{request.scope.get('root_path', '').rstrip('/')}{STATIC_URL}"


async def get_serving(request: Request) -> Serving:
    return request.app.state.serving


async def get_base_url(request: Request) -> str:
    """The app's absolute base URL as the client sees it (scheme, host, proxy root_path), no trailing /."""
    return str(request.base_url).rstrip("/")


def get_current_run(store: Annotated[Store, Depends(get_store)]) -> RunRecord:
    """The run served now; NotFoundError (404) before the first run."""
    record = store.current_run()
    if record is None:
        raise NotFoundError("no results yet: the store holds no run. Run `potenzial run` first, then reload.")
    return record


StoreDep = Annotated[Store, Depends(get_store)]
RegionDep = Annotated[Region, Depends(get_region)]
CacheDep = Annotated[RunCache, Depends(get_cache)]
BaseMapDep = Annotated[BaseMap | None, Depends(get_basemap)]
StaticUrlDep = Annotated[str, Depends(get_static_url)]
CurrentRunDep = Annotated[RunRecord, Depends(get_current_run)]
ServingDep = Annotated[Serving, Depends(get_serving)]
BaseUrlDep = Annotated[str, Depends(get_base_url)]
