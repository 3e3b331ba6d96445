"""Entity tags and conditional requests of tiles: one definition for every path that serves a tile.

A run never changes, so a tile's ETag is its address in the run (run id, layer id, z/x/y, the
variant such as ``png``, ``2x.png`` or ``pbf``) plus :data:`RENDER_VERSION`: the same request gives
the same bytes under the same ETag, and a client's cached copy stays valid until a new run is served
or the rendering changes.
"""

from __future__ import annotations

#: bump when the rendering of tiles changes, so that ETags change with it
RENDER_VERSION = "1"


def tile_etag(run_id: str, layer_id: str, z: int, x: int, y: int, variant: str) -> str:
    """The strong ETag (with its quotes) of a tile of ``layer_id`` in run ``run_id``."""
    return f'"{run_id}.{layer_id}.{z}.{x}.{y}.{variant}.{RENDER_VERSION}"'


def product_etag(run_id: str, product: str, *parts: str) -> str:
    """The strong ETag of a file product of run ``run_id`` (a download, a fact sheet, a raster), e.g.
    ``product_etag(run, "factsheet", ags)``: stable for the run, new with every run."""
    return f'"{".".join((run_id, product, *parts, RENDER_VERSION))}"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header value matches ``etag`` (RFC 9110 weak comparison:
    ``*``, or any listed tag with or without ``W/``). An absent or empty header never matches."""
    if not if_none_match:
        return False
    return if_none_match.strip() == "*" or etag in (t.strip().removeprefix("W/") for t in if_none_match.split(","))


def cache_control(max_age_s: int) -> str:
    """The ``Cache-Control`` value of a tile kept ``max_age_s`` seconds by browsers and proxies."""
    return f"public, max-age={max_age_s}"


__all__ = ["RENDER_VERSION", "cache_control", "etag_matches", "product_etag", "tile_etag"]
