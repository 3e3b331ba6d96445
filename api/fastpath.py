"""A pure-ASGI fast path for tiles that are in the memory cache.

A map asks for the same tiles again and again; for those, routing and dependency solving cost
more than the answer. This middleware answers ``GET /tiles/<layer>/<z>/<x>/<y>.<png|pbf>``
(no query string) directly when the current run is known without I/O, the layer is in its
registry and the tile is in memory, with the same headers, ETag/304 and 204 as the router
(:mod:`api.routers.tiles`; both take them from :mod:`potenzial.tiles.etag`). Everything else,
including every error, goes to the app.
"""

from __future__ import annotations

import re

from api.routers.tiles import PNG
from potenzial.tiles.etag import cache_control, etag_matches, tile_etag
from potenzial.tiles.grid import matrix_size
from potenzial.tiles.mvt import MVT_MEDIA_TYPE

_TILE = re.compile(r"^/tiles/([a-z][a-z0-9_]{0,62})/(\d{1,2})/(\d{1,8})/(\d{1,8})\.(png|pbf)$")
_KIND = {"png": ("raster", PNG), "pbf": ("vector", MVT_MEDIA_TYPE)}


class CachedTileMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("query_string"):
            path = scope["path"]
            root = scope.get("root_path", "")
            if root and path.startswith(root):
                path = path[len(root):]
            match = _TILE.match(path) if path.startswith("/tiles/") else None
            if match is not None and await self._answer(scope, send, match):
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _answer(scope, send, match: re.Match) -> bool:
        serving = getattr(scope["app"].state, "serving", None)
        if serving is None or not serving.config.tile_cache:
            return False
        record = serving.tracker.fresh()
        registry = serving.registry_if_built(record.run_id) if record is not None else None
        layer = registry.layers.get(match[1]) if registry is not None else None
        if layer is None:
            return False
        z, x, y, ext = int(match[2]), int(match[3]), int(match[4]), match[5]
        kind, media_type = _KIND[ext]
        if layer.kind != kind or not layer.minzoom <= z <= layer.maxzoom:
            return False
        if not (x < matrix_size(z) and y < matrix_size(z)):
            return False
        data = serving.tiles.get_memory((layer.run_id, layer.id, z, x, y, ext))
        if data is None:
            return False
        etag = tile_etag(layer.run_id, layer.id, z, x, y, ext)
        headers = [(b"etag", etag.encode()), (b"cache-control", cache_control(serving.config.tile_max_age_s).encode())]
        inm = None
        for key, value in scope["headers"]:
            if key == b"if-none-match":
                inm = value.decode("latin-1")
        if etag_matches(inm, etag):
            status, body = 304, b""
        elif not data:
            status, body = 204, b""
        else:
            status, body = 200, data
            headers += [(b"content-type", media_type.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True
