"""The offline base map: vector tiles drawn from the region's own layers, and its description.

Tiles follow the tile routes' order of checks: tile address (422 / 404) before any I/O, then
``If-None-Match`` (304), the disk cache, then the tile built with a time limit (503 when exceeded).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.deps import BaseUrlDep, ServingDep
from api.errors import error_responses
from api.routers.tiles import TileX, TileY, Zoom, _record, _tile_responses, built_tile
from api.serving import Serving
from potenzial.errors import UnknownLayerError
from potenzial.serving.basemap import BASEMAP_MAX_ZOOM, BASEMAP_MIN_ZOOM
from potenzial.serving.plants import PLANTS_MAX_ZOOM
from potenzial.tiles import TileMatrixError
from potenzial.tiles.etag import cache_control, etag_matches, tile_etag
from potenzial.tiles.grid import check_tile
from potenzial.tiles.mvt import MVT_MEDIA_TYPE

router = APIRouter(tags=["tiles"])

PlantLayerId = Annotated[str, Path(description="plant layer id from /api/basemap", examples=["plants_wind_2015"],
                                   max_length=128)]

#: the tile cache's name of the base map (no served layer id starts with an underscore)
CACHE_LAYER = "_basemap"


@router.get("/api/basemap", responses=error_responses(404, 503))
def basemap(serving: ServingDep, base_url: BaseUrlDep) -> dict:
    """The offline base map of the current run: tile URL, zoom range, its layers, attribution (synthetic
    sources marked), the municipalities' label points, and the installed plants' layers of the catalog
    (``installed_plants``, described like the served layers of ``/api/layers``)."""
    record = serving.tracker.current(allow_stale=True)
    return {**serving.results.basemap(record).describe(base_url),
            "installed_plants": serving.results.plants().describe(base_url)}


@router.get("/basemap/{z}/{x}/{y}.pbf", response_class=Response, responses=_tile_responses(MVT_MEDIA_TYPE),
            summary="Base-map vector tile (Mapbox Vector Tile, WebMercatorQuad)")
async def basemap_tile(request: Request, z: Zoom, x: TileX, y: TileY) -> Response:
    """A tile of the offline base map: boundaries, water, forest, settlements, roads, railways."""
    check_tile(z, x, y)
    if not BASEMAP_MIN_ZOOM <= z <= BASEMAP_MAX_ZOOM:
        raise TileMatrixError(f"the base map is served at zoom {BASEMAP_MIN_ZOOM}..{BASEMAP_MAX_ZOOM}, not {z}.")
    serving: Serving = request.app.state.serving
    record = await _record(serving)
    return await built_tile(request, serving, record, CACHE_LAYER, z, x, y, "pbf", MVT_MEDIA_TYPE,
                            lambda: serving.results.basemap(record).tile(z, x, y),
                            limit_s=serving.config.vector_timeout_s, what="the base-map tile")


@router.get("/plants/{layer}/{z}/{x}/{y}.pbf", response_class=Response, responses=_tile_responses(MVT_MEDIA_TYPE),
            summary="Installed plants: vector tile (Mapbox Vector Tile, WebMercatorQuad)")
async def plants_tile(request: Request, layer: PlantLayerId, z: Zoom, x: TileX, y: TileY) -> Response:
    """A tile of an installed-plant layer (ids: ``/api/basemap`` ``installed_plants``)."""
    check_tile(z, x, y)
    serving: Serving = request.app.state.serving
    plants = await run_in_threadpool(serving.results.plants)
    if layer not in plants.frames:
        raise UnknownLayerError("no plant layer with that id is served; /api/basemap lists the ids.")
    if z > PLANTS_MAX_ZOOM:
        raise TileMatrixError(f"plant layers are served at zoom 0..{PLANTS_MAX_ZOOM}, not {z}.")
    record = await _record(serving)
    etag = tile_etag(record.run_id, layer, z, x, y, "pbf")
    headers = {"ETag": etag, "Cache-Control": cache_control(serving.config.tile_max_age_s)}
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    data = await run_in_threadpool(plants.tile, layer, z, x, y)
    if not data:
        return Response(status_code=204, headers=headers)
    return Response(content=data, media_type=MVT_MEDIA_TYPE, headers=headers)
