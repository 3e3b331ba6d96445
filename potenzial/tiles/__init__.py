"""Serving helpers: the WebMercatorQuad tile grid, colour maps, display COGs, raster and vector
tile encoding and the on-disk tile cache.

Pure library code (no web framework, no database): :mod:`api` wires it to the store and the
region catalog. Errors are :class:`~potenzial.errors.PotenzialError` subclasses so that the
API maps them to HTTP in its one place (``api/errors.py``).
"""

from __future__ import annotations

from potenzial.errors import NotFoundError, PotenzialError


class TileRequestError(PotenzialError):
    """A tile address that cannot exist (negative zoom, x or y outside ``[0, 2^z)``): HTTP 400."""


class TileMatrixError(NotFoundError):
    """A zoom level the tile matrix set does not serve: HTTP 404."""


class TileTimeoutError(PotenzialError):
    """A raster read or a query took longer than the per-request limit: HTTP 503."""
