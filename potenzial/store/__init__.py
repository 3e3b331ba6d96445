"""The result store: one interface (:mod:`potenzial.store.base`), two backends
(:mod:`potenzial.store.gpkg`, embedded; :mod:`potenzial.store.postgis`), and :func:`open_store`
that picks one from a URL. The factory lives here, above the backends, so that no backend imports
the module that imports it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from potenzial.errors import StoreError

if TYPE_CHECKING:
    from potenzial.store.base import Store

POSTGIS_SCHEMES = ("postgresql://", "postgresql+psycopg://", "postgres://")
GPKG_PREFIX = "gpkg:"


def open_store(url: str, *, read_only: bool = False, allow_superuser: bool = True) -> Store:
    """``postgresql://…`` -> PostGIS; ``gpkg:<folder>`` or a plain folder path -> GeoPackage store.

    ``read_only`` and ``allow_superuser=False`` are the server's: read-only sessions, and a refusal of
    a PostgreSQL superuser (SuperuserRefusedError); the GeoPackage store has no roles."""
    if url.startswith(POSTGIS_SCHEMES):
        from potenzial.store.postgis import PostgisStore

        return PostgisStore(url, read_only=read_only, allow_superuser=allow_superuser)
    from potenzial.store.gpkg import GeoPackageStore

    folder = url[len(GPKG_PREFIX):] if url.startswith(GPKG_PREFIX) else url
    if "://" in folder:
        raise StoreError(f"store {url!r} is neither postgresql://… nor a folder. "
                         "Use POTENZIAL_STORE=postgresql://user@host/db or a folder path.")
    return GeoPackageStore(Path(folder))


__all__ = ["open_store"]
