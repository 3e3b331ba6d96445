"""The PostGIS store's SQL: static text with bind parameters, built once from the result
registry (:mod:`potenzial.store.schema`), never from input. Table and column names are plain
lower-case registry identifiers, double-quoted.
"""

from __future__ import annotations

import re

from sqlalchemy import TextClause, text

from potenzial.crs import ANALYSIS_EPSG
from potenzial.errors import StoreError
from potenzial.store.schema import RESULTS, ResultSchema

GEOMETRY_COLUMN = "geom"

# -- static SQL --------------------------------------------------------------------------------

INSERT_RUN = text(
    "INSERT INTO runs (run_id, region_id, started_at, finished_at, params_hash, code_version, record, layers) "
    "VALUES (:run_id, :region_id, CAST(NULLIF(:started_at, '') AS timestamptz), "
    "CAST(NULLIF(:finished_at, '') AS timestamptz), :params_hash, :code_version, CAST(:record AS jsonb), "
    ":layers)"
)
SWITCH_CURRENT = text(
    "INSERT INTO current_run (id, run_id) VALUES (1, :run_id) "
    "ON CONFLICT (id) DO UPDATE SET run_id = EXCLUDED.run_id"
)
PRUNE = text(
    "DELETE FROM runs "
    "WHERE run_id IN (SELECT run_id FROM runs ORDER BY seq DESC OFFSET :keep) "
    "AND run_id IS DISTINCT FROM (SELECT run_id FROM current_run WHERE id = 1)"
)
CURRENT_RECORD = text(
    "SELECT CAST(r.record AS text) FROM current_run AS c JOIN runs AS r ON r.run_id = c.run_id WHERE c.id = 1"
)
CURRENT_ID = text("SELECT run_id FROM current_run WHERE id = 1")
RUN_LAYERS = text("SELECT layers FROM runs WHERE run_id = :run_id")
RECORD_PREPARATION = text(
    "UPDATE runs SET record = jsonb_set(record, '{prepared}', CAST(:prepared AS jsonb), true) "
    "WHERE run_id = :run_id RETURNING CAST(record AS text)"
)
ALL_RECORDS = text("SELECT CAST(record AS text) FROM runs ORDER BY seq DESC")
INIT_LOCK = text("SELECT pg_advisory_xact_lock(:key)")
POSTGIS_INSTALLED = text("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
POSTGIS_AVAILABLE = text("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")
SERVER_MAJOR = text("SELECT CAST(current_setting('server_version_num') AS integer) / 10000")
CREATE_POSTGIS = text("CREATE EXTENSION IF NOT EXISTS postgis")
PING = text("SELECT 1")

# the run lock: a session advisory lock; its holder names itself in application_name
TRY_RUN_LOCK = text("SELECT pg_try_advisory_lock(:key)")
RUN_LOCK = text("SELECT pg_advisory_lock(:key)")
RUN_UNLOCK = text("SELECT pg_advisory_unlock(:key)")
SET_APPLICATION_NAME = text("SELECT set_config('application_name', :name, false)")
NO_STATEMENT_TIMEOUT = text("SELECT set_config('statement_timeout', '0', false)")
#: a bigint advisory key is held as classid (high 32 bits), objid (low 32 bits), objsubid 1
RUN_LOCK_HOLDER = text(
    "SELECT a.application_name, l.pid, "
    "to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"') "
    "FROM pg_locks AS l LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND l.classid = CAST(:hi AS oid) AND l.objid = CAST(:lo AS oid) LIMIT 1"
)
# the run journal
JOURNAL_ALL = text(
    "SELECT run_id, to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'), status, message "
    "FROM run_journal ORDER BY started_at DESC, run_id DESC"
)
JOURNAL_WRITE = text(
    "INSERT INTO run_journal (run_id, started_at, status, message) "
    "VALUES (:run_id, CAST(:started_at AS timestamptz), :status, :message) "
    "ON CONFLICT (run_id) DO UPDATE SET status = EXCLUDED.status, message = EXCLUDED.message"
)
JOURNAL_FORGET = text("DELETE FROM run_journal WHERE run_id = :run_id")

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _quote(name: str) -> str:
    """Double-quote a registry identifier; registry names are plain lower-case words."""
    if not _IDENTIFIER.match(name):
        raise StoreError(f"registry name {name!r} is not a plain lower-case SQL identifier; "
                         "rename it in potenzial/store/schema.py.")
    return f'"{name}"'


def _select_sql(sch: ResultSchema) -> TextClause:
    cols = [_quote(c) for c in sch.column_names]
    if sch.geometry_type:
        cols.append(f"ST_AsBinary({_quote(GEOMETRY_COLUMN)}) AS {_quote(GEOMETRY_COLUMN)}")
    order = ", ".join(_quote(c) for c in sch.key) if sch.key else "1"
    return text(f"SELECT {', '.join(cols)} FROM {_quote(sch.name)} WHERE run_id = :run_id ORDER BY {order}")


def _copy_sql(sch: ResultSchema) -> str:
    cols = ["run_id", *sch.column_names] + ([GEOMETRY_COLUMN] if sch.geometry_type else [])
    return f"COPY {_quote(sch.name)} ({', '.join(_quote(c) for c in cols)}) FROM STDIN"


#: one SELECT and one COPY per registry entry, built once from the registry (never from input)
SELECT = {name: _select_sql(sch) for name, sch in RESULTS.items()}
COPY = {name: _copy_sql(sch) for name, sch in RESULTS.items()}


# -- serving SQL (read-only pool, short statement timeout) -------------------------------------

def _bbox_sql(sch: ResultSchema) -> TextClause:
    """Rows of one run whose geometry's box meets a box in EPSG:25833 (GiST index, ``&&``)."""
    cols = [_quote(c) for c in sch.column_names]
    cols.append(f"ST_AsBinary({_quote(GEOMETRY_COLUMN)}) AS {_quote(GEOMETRY_COLUMN)}")
    order = ", ".join(_quote(c) for c in sch.key) if sch.key else "1"
    return text(
        f"SELECT {', '.join(cols)} FROM {_quote(sch.name)} "
        f"WHERE run_id = :run_id AND {_quote(GEOMETRY_COLUMN)} && "
        f"ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, {ANALYSIS_EPSG}) "
        f"ORDER BY {order} LIMIT :limit"
    )


def _mvt_sql(sch: ResultSchema) -> TextClause:
    """One layer's Mapbox Vector Tile: the tile envelope plus buffer, cut to where EPSG:25833 is
    defined (``:bx0 … :by1`` [m, EPSG:3857], :func:`potenzial.tiles.grid.tile_bounds_3857_within`),
    densified, is transformed into EPSG:25833 for the index filter; only the matching rows are
    transformed to EPSG:3857. No ORDER BY: a sort before LIMIT makes the planner walk the primary
    key of the whole run."""
    cols = ", ".join(f"r.{_quote(c)}" for c in sch.column_names)
    geom = _quote(GEOMETRY_COLUMN)
    return text(
        "SELECT ST_AsMVT(q, CAST(:layer AS text), CAST(:extent AS integer), 'geom') FROM ("
        f"SELECT {cols}, ST_AsMVTGeom(ST_Transform(r.{geom}, 3857), e.tile, CAST(:extent AS integer), "
        "CAST(:buffer AS integer), true) AS geom "
        f"FROM {_quote(sch.name)} AS r, ("
        "SELECT ST_TileEnvelope(CAST(:z AS integer), CAST(:x AS integer), CAST(:y AS integer)) AS tile, "
        "ST_Transform(ST_Segmentize(ST_MakeEnvelope(CAST(:bx0 AS float8), CAST(:by0 AS float8), "
        "CAST(:bx1 AS float8), CAST(:by1 AS float8), 3857), CAST(:segment AS float8)), "
        f"{ANALYSIS_EPSG}) AS box"
        ") AS e "
        f"WHERE r.run_id = :run_id AND r.{geom} && e.box "
        "LIMIT :limit"
        ") AS q WHERE q.geom IS NOT NULL"
    )


_GEOMETRY_RESULTS = {name: sch for name, sch in RESULTS.items() if sch.geometry_type}
BBOX = {name: _bbox_sql(sch) for name, sch in _GEOMETRY_RESULTS.items()}
MVT = {name: _mvt_sql(sch) for name, sch in _GEOMETRY_RESULTS.items()}
