"""Least privilege on PostGIS: the read-only role the server connects as, and the refusal of a
superuser.

``potenzial db init`` (:func:`grant_reader`) creates the role (default ``potenzial_reader``: LOGIN,
no superuser, no CREATEDB/CREATEROLE) and gives it CONNECT on the database, USAGE on the schema and
SELECT on every table, now and (default privileges) on the tables later migrations of the same
owner create; its sessions default to read-only transactions. Without INSERT, UPDATE or DELETE, a
session of that role cannot write whatever it sets. The server connects with that role's URL; a
session that turns out to be a superuser's is refused (:func:`refuse_superuser`) unless
``--allow-superuser`` was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import psycopg
from psycopg import sql
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from potenzial.errors import StoreError

DEFAULT_READER_ROLE = "potenzial_reader"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class SuperuserRefusedError(StoreError):
    """The server's store URL names a superuser, and ``--allow-superuser`` was not given."""


@dataclass(frozen=True)
class RoleFacts:
    """Who a session is: the role, whether it is a superuser, whether it may change the store's tables."""

    user: str
    superuser: bool
    can_write: bool


def superuser_message(user: str, where: str) -> str:
    return (f"the server would connect to PostgreSQL at {where} as {user}, a superuser: whoever took over the "
            f"server could change or drop every table. Serve with the read-only role that `potenzial db init` "
            f"creates (--store postgresql://{DEFAULT_READER_ROLE}@host:5432/dbname), or start with "
            "--allow-superuser.")


def refuse_superuser(engine: Engine, where: str) -> None:
    """Check every new connection of ``engine``: a superuser's session raises SuperuserRefusedError."""

    @event.listens_for(engine, "connect")
    def _check(dbapi_connection, _record) -> None:  # the DB-API (psycopg) connection
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_setting('is_superuser')")
            user, superuser = cursor.fetchone()
        dbapi_connection.rollback()
        if superuser == "on":
            dbapi_connection.close()
            raise SuperuserRefusedError(superuser_message(user, where))


def role_facts(conn: Connection) -> RoleFacts:
    """The session's role, superuser flag and whether it may write into the run table."""
    user, superuser, can_write = conn.exec_driver_sql(
        "SELECT current_user, current_setting('is_superuser') = 'on', "
        "has_table_privilege(current_user, 'runs', 'INSERT, UPDATE, DELETE, TRUNCATE')").one()
    return RoleFacts(user=str(user), superuser=bool(superuser), can_write=bool(can_write))


def grant_reader(owner: Connection, role: str, password: str | None = None) -> bool:
    """Create ``role`` if missing (True when created) and grant it read access to the store's schema.

    ``owner`` is an autocommit connection of the store's owner. The role name is checked, then quoted
    as an identifier; the password is sent as a literal, never logged.
    """
    conn = owner.connection.driver_connection
    if not isinstance(conn, psycopg.Connection):
        raise StoreError("granting the reader role needs the psycopg driver (postgresql+psycopg://).")
    if not _ROLE_NAME.match(role):
        raise StoreError(f"reader role {role!r} is not a plain lower-case PostgreSQL name; use letters, digits "
                         f"and _ (default {DEFAULT_READER_ROLE}).")
    name = sql.Identifier(role)
    created = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None
    if created:
        try:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION")
                         .format(name))
        except psycopg.errors.DuplicateObject:  # created meanwhile by another init
            created = False
        except psycopg.errors.InsufficientPrivilege:
            raise StoreError(f"the store's user may not create the role {role}. Ask a superuser to run "
                             f"`CREATE ROLE {role} LOGIN;`, then run `potenzial db init` again.") from None
    database = conn.execute("SELECT current_database(), current_schema()").fetchone()
    if database is None:
        raise StoreError("the database named no current schema; check the store URL's search_path.")
    db, schema = sql.Identifier(database[0]), sql.Identifier(database[1])
    try:
        for statement in (
            "GRANT CONNECT ON DATABASE {db} TO {role}",
            "GRANT USAGE ON SCHEMA {schema} TO {role}",
            "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO {role}",
            "ALTER ROLE {role} SET default_transaction_read_only = on",
            # the one table the server writes: saved what-if scenarios (POST /api/scenarios)
            "GRANT INSERT ON TABLE {schema}.saved_scenarios TO {role}",
        ):
            conn.execute(sql.SQL(statement).format(db=db, schema=schema, role=name))
        if password:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(name, sql.Literal(password)))
    except psycopg.errors.InsufficientPrivilege as exc:
        detail = " ".join(str(exc).split())[:160]
        raise StoreError(f"the store's user may not give {role} read access ({detail}). Run `potenzial db "
                         "init` as the owner of the database and its tables, or skip the role with --reader-role ''."
                         ) from None
    return created


__all__ = ["DEFAULT_READER_ROLE", "RoleFacts", "SuperuserRefusedError", "grant_reader", "refuse_superuser",
           "role_facts", "superuser_message"]
