"""PostGIS helpers of the tests: the test database's URL, creating and dropping databases, and
emptying the store's tables. Used by the fixtures in ``tests/conftest.py`` and by tests that need
a second database."""

from __future__ import annotations

import os

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

DEFAULT_STORE_TEST_DB = "postgresql://postgres@127.0.0.1:5432/potenzial_test_store"


def store_test_db_url() -> str:
    """The PostGIS test database URL (created by the ``postgis_url`` fixture when missing); under
    pytest-xdist each worker has its own database, named after the worker (``…_gw0``, ``…_gw1``)."""
    url = os.environ.get("POTENZIAL_TEST_DB", DEFAULT_STORE_TEST_DB)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base, _, query = url.partition("?")
    return f"{base}_{worker}" + (f"?{query}" if query else "")


def connect_admin(url: str) -> psycopg.Connection:
    """An autocommit connection to the server's ``postgres`` database (to create/drop databases)."""
    params = conninfo_to_dict(url)
    params["dbname"] = "postgres"
    return psycopg.connect(**params, autocommit=True, connect_timeout=5)


def create_database(url: str, *, fresh: bool = False) -> None:
    """Create the database named in ``url`` if missing (``fresh``: drop it first)."""
    name = conninfo_to_dict(url)["dbname"]
    with connect_admin(url) as admin:
        if fresh:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    name = conninfo_to_dict(url)["dbname"]
    with connect_admin(url) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def reset_store_tables(url: str) -> None:
    """Drop every table in ``public`` that no extension owns (keeps PostGIS, drops the store)."""
    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        names = [row[0] for row in conn.execute(
            "SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e')"
        )]
        if names:
            conn.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(
                sql.SQL(", ").join(sql.Identifier(n) for n in names)))
