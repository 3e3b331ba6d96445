"""Raster (PNG) and vector (Mapbox Vector Tile) tiles on the WebMercatorQuad grid.

Order of checks, cheapest first and before any I/O: tile address (422 negative, 404 beyond the
matrix), a tile prepared when the run was published (served from the disk cache before the new
run's layer registry is even built), layer id from the registry (404), zoom range of the layer
(404), tile outside the layer (204), ``If-None-Match`` (304), disk cache, then render with a time
limit (503 when exceeded). While a layer's display COG is being built its tiles are drawn from the
analysis raster (no ETag, not cached) instead of waiting.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.errors import error_responses
from api.serving import Serving
from potenzial.runs import RunRecord
from potenzial.serving.registry import LayerRegistry
from potenzial.tiles import TileMatrixError, TileTimeoutError
from potenzial.tiles.etag import cache_control, etag_matches, tile_etag
from potenzial.tiles.grid import MAX_ZOOM, check_tile, intersects, tile_bounds_3857
from potenzial.tiles.mvt import MVT_MEDIA_TYPE

router = APIRouter(tags=["tiles"])

PNG = "image/png"
#: path parameters, with examples in Grimma (Landkreis Leipzig) for the documentation and fuzzers
LayerId = Annotated[str, Path(description="layer id from /api/layers", examples=["municipalities"], max_length=128)]
RasterLayerId = Annotated[str, Path(description="raster layer id from /api/layers", examples=["wind_speed_150m"],
                                    max_length=128)]
Zoom = Annotated[int, Path(description="zoom level (WebMercatorQuad)", examples=[12], ge=0)]
TileX = Annotated[int, Path(description="tile column, 0 ≤ x < 2^z (404 beyond)", examples=[2192], ge=0,
                            le=2**MAX_ZOOM - 1)]
TileY = Annotated[int, Path(description="tile row from the north, 0 ≤ y < 2^z (404 beyond)", examples=[1366], ge=0,
                            le=2**MAX_ZOOM - 1)]
_TILE_PATH = "/tiles/{layer}/{z}/{x}/{y}"
#: a layer id as the registry and the tile cache spell them
_PLAIN = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def _tile_responses(media_type: str) -> dict[int | str, dict]:
    return {
        200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}},
              "description": "the tile"},
        204: {"description": "the tile holds no data (outside the layer, or empty)"},
        304: {"description": "not modified (If-None-Match matched the ETag)"},
        **error_responses(400, 404, 503),
    }


async def _record(serving: Serving) -> RunRecord:
    record = serving.tracker.fresh()
    if record is None:
        record = await run_in_threadpool(serving.tracker.current, True)
    return record


async def _registry(serving: Serving, record: RunRecord) -> LayerRegistry:
    registry = serving.registry_if_built(record.run_id)
    if registry is None:
        registry = await run_in_threadpool(serving.registry, record)
    return registry


def _headers(serving: Serving, etag: str) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": cache_control(serving.config.tile_max_age_s)}


def _cached(request: Request, serving: Serving, etag: str, data: bytes, media_type: str) -> Response:
    headers = _headers(serving, etag)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    if not data:
        return Response(status_code=204, headers=headers)
    return Response(content=data, media_type=media_type, headers=headers)


async def built_tile(request: Request, serving: Serving, record: RunRecord, cache_layer: str, z: int, x: int,
                     y: int, variant: str, media_type: str, build: Callable[[], bytes],
                     limit_s: float | None = None, what: str = "the tile") -> Response:
    """A tile of a layer outside the registry (the base map, the what-if cells): ETag and 304, the disk cache
    under ``cache_layer``, else ``build()`` in the thread pool (within ``limit_s`` when given), 204 when empty."""
    etag = tile_etag(record.run_id, cache_layer, z, x, y, variant)
    headers = _headers(serving, etag)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    cache = serving.config.tile_cache
    data = serving.tiles.get(record.run_id, cache_layer, z, x, y, variant) if cache else None
    if data is None:
        work = run_in_threadpool(build)
        try:
            data = await (asyncio.wait_for(work, timeout=limit_s) if limit_s is not None else work)
        except TimeoutError:
            raise TileTimeoutError(f"{what} took longer than {limit_s:g} s.") from None
        if cache:
            serving.tiles.put(record.run_id, cache_layer, z, x, y, variant, data)
    if not data:
        return Response(status_code=204, headers=headers)
    return Response(content=data, media_type=media_type, headers=headers)


async def _serve(request: Request, layer_id: str, z: int, x: int, y: int, kind: str, variant: str,
                 media_type: str, scale: int = 1) -> Response:
    check_tile(z, x, y)
    serving: Serving = request.app.state.serving
    record = await _record(serving)
    if serving.config.tile_cache and serving.registry_if_built(record.run_id) is None and _PLAIN.match(layer_id):
        # the first requests of a new run: a tile prepared at publish needs no layer registry yet
        prepared = await run_in_threadpool(serving.tiles.get, record.run_id, layer_id, z, x, y, variant)
        if prepared is not None:
            return _cached(request, serving, tile_etag(record.run_id, layer_id, z, x, y, variant), prepared,
                           media_type)
    registry = await _registry(serving, record)
    layer = registry.get(layer_id)
    if layer.kind != kind:
        raise TileMatrixError(f"layer {layer.id} is a {layer.kind} layer; its tiles end in .{layer.tile_format}.")
    if not layer.minzoom <= z <= layer.maxzoom:
        raise TileMatrixError(f"layer {layer.id} is served at zoom {layer.minzoom}..{layer.maxzoom}, not {z}.")
    etag = tile_etag(layer.run_id, layer.id, z, x, y, variant)
    headers = _headers(serving, etag)
    if not intersects(tile_bounds_3857(z, x, y), layer.bounds_3857):
        return Response(status_code=204, headers=headers)
    if etag_matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    cache = serving.config.tile_cache
    data = serving.tiles.get(layer.run_id, layer.id, z, x, y, variant) if cache else None
    if data is None:
        rendered: bytes
        final: bool
        if kind == "raster":
            work, limit = (lambda: serving.render_raster(layer, z, x, y, scale)), serving.config.raster_timeout_s
        else:
            work, limit = (lambda: (serving.vector_tile(layer, z, x, y), True)), serving.config.vector_timeout_s
        try:
            rendered, final = await asyncio.wait_for(run_in_threadpool(work), timeout=limit)
        except TimeoutError:
            raise TileTimeoutError(f"layer {layer.id}: the tile took longer than {limit:g} s.") from None
        data = rendered
        if not final:  # drawn from the analysis raster while the display COG is built: not cached
            headers = {"Cache-Control": "no-store"}
        elif cache:
            serving.tiles.put(layer.run_id, layer.id, z, x, y, variant, rendered)
    if not data:
        return Response(status_code=204, headers=headers)
    return Response(content=data, media_type=media_type, headers=headers)


@router.get(_TILE_PATH + ".png", response_class=Response, responses=_tile_responses(PNG),
            summary="Raster tile (PNG, WebMercatorQuad)")
async def raster_tile(request: Request, layer: RasterLayerId, z: Zoom, x: TileX, y: TileY,
                      scale: int = Query(1, ge=1, le=2,
                                         description="1: 256 px tiles, 2: 512 px (high-DPI)")) -> Response:
    """A raster layer's tile rendered with its colour map (nodata transparent). Layer ids: ``/api/layers``."""
    return await _serve(request, layer, z, x, y, "raster", "png" if scale == 1 else "2x.png", PNG, scale)


@router.get(_TILE_PATH + ".pbf", response_class=Response, responses=_tile_responses(MVT_MEDIA_TYPE),
            summary="Vector tile (Mapbox Vector Tile, WebMercatorQuad)")
async def vector_tile(request: Request, layer: LayerId, z: Zoom, x: TileX, y: TileY) -> Response:
    """A result layer's features in the tile (extent 4096, buffer 64), one MVT layer named like the layer."""
    return await _serve(request, layer, z, x, y, "vector", "pbf", MVT_MEDIA_TYPE)
