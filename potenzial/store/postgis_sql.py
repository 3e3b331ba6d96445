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
from potenzial.tiles.density import DENSITY_GRIDS, DensityGrid, cell_size_m, density_grid
from potenzial.tiles.grid import tile_bounds_3857_within, tile_size_m

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


def _tile_envelope() -> str:
    """The tile envelope (``tile``, EPSG:3857) and, densified and transformed into EPSG:25833 for the
    index filter, the tile plus buffer cut to where EPSG:25833 is defined (``box``; ``:bx0 … :by1``
    [m, EPSG:3857], :func:`potenzial.tiles.grid.tile_bounds_3857_within`)."""
    return (
        "SELECT ST_TileEnvelope(CAST(:z AS integer), CAST(:x AS integer), CAST(:y AS integer)) AS tile, "
        "ST_Transform(ST_Segmentize(ST_MakeEnvelope(CAST(:bx0 AS float8), CAST(:by0 AS float8), "
        "CAST(:bx1 AS float8), CAST(:by1 AS float8), 3857), CAST(:segment AS float8)), "
        f"{ANALYSIS_EPSG}) AS box"
    )


def _mvt_sql(sch: ResultSchema) -> TextClause:
    """One layer's Mapbox Vector Tile: the rows whose box meets the tile's box, at most ``:limit`` of
    them in key order (the same tile, byte for byte, on every request), transformed to EPSG:3857.
    The matching rows are gathered first (``MATERIALIZED``) and sorted then: a sort the planner sees
    before the filter makes it walk the primary key of the whole run."""
    cols = ", ".join(f"h.{_quote(c)}" for c in sch.column_names)
    geom = _quote(GEOMETRY_COLUMN)
    key = sch.key or tuple(sch.column_names)
    order = ", ".join(_quote(c) for c in key)
    return text(
        f"WITH e AS MATERIALIZED ({_tile_envelope()}), "
        f"hit AS MATERIALIZED (SELECT r.* FROM {_quote(sch.name)} AS r, e "
        f"WHERE r.run_id = :run_id AND r.{geom} && e.box) "
        "SELECT ST_AsMVT(q, CAST(:layer AS text), CAST(:extent AS integer), 'geom' "
        f"ORDER BY {', '.join(f'q.{_quote(c)}' for c in key)}) FROM ("
        f"SELECT {cols}, ST_AsMVTGeom(ST_Transform(h.{geom}, 3857), e.tile, CAST(:extent AS integer), "
        "CAST(:buffer AS integer), true) AS geom "
        f"FROM (SELECT * FROM hit ORDER BY {order} LIMIT :limit) AS h, e"
        ") AS q WHERE q.geom IS NOT NULL"
    )


def _density_mvt_sql(sch: ResultSchema, grid: DensityGrid) -> TextClause:
    """A dense layer's tile below the zoom of its single features: the cells of side ``:cell`` [m,
    EPSG:25833] that meet the tile's box, each with the count and sums of the rows whose box centre
    lies in it, read from the tile's box grown by one cell (:mod:`potenzial.tiles.density`)."""
    geom = _quote(GEOMETRY_COLUMN)
    sums = ", ".join(f"sum(r.{_quote(c)}) AS {_quote(c)}" for c in grid.sums)
    out = ", ".join(f"CAST(g.{_quote(c)} AS float8) AS {_quote(c)}" for c in grid.sums)
    count = _quote(grid.count_column)
    cell = "CAST(:cell AS float8)"
    return text(
        f"WITH e AS MATERIALIZED ({_tile_envelope()}), "
        f"c AS (SELECT floor((ST_XMin(r.{geom}) + ST_XMax(r.{geom})) / 2.0 / {cell}) AS ix, "
        f"floor((ST_YMin(r.{geom}) + ST_YMax(r.{geom})) / 2.0 / {cell}) AS iy, count(*) AS {count}, {sums} "
        f"FROM {_quote(sch.name)} AS r, e WHERE r.run_id = :run_id AND r.{geom} && ST_Expand(e.box, {cell}) "
        "GROUP BY 1, 2), "
        f"g AS (SELECT c.*, ST_MakeEnvelope(c.ix * {cell}, c.iy * {cell}, (c.ix + 1) * {cell}, "
        f"(c.iy + 1) * {cell}, {ANALYSIS_EPSG}) AS cell FROM c) "
        "SELECT ST_AsMVT(q, CAST(:layer AS text), CAST(:extent AS integer), 'geom' ORDER BY q.cell_y_m, q.cell_x_m) "
        f"FROM (SELECT g.ix * {cell} AS cell_x_m, g.iy * {cell} AS cell_y_m, {cell} AS cell_size_m, "
        f"CAST(g.{count} AS bigint) AS {count}, {out}, "
        "ST_AsMVTGeom(ST_Transform(g.cell, 3857), e.tile, CAST(:extent AS integer), CAST(:buffer AS integer), "
        "true) AS geom FROM g, e WHERE g.cell && e.box) AS q WHERE q.geom IS NOT NULL"
    )


_GEOMETRY_RESULTS = {name: sch for name, sch in RESULTS.items() if sch.geometry_type}
BBOX = {name: _bbox_sql(sch) for name, sch in _GEOMETRY_RESULTS.items()}
MVT = {name: _mvt_sql(sch) for name, sch in _GEOMETRY_RESULTS.items()}
DENSITY_MVT = {name: _density_mvt_sql(_GEOMETRY_RESULTS[name], grid) for name, grid in DENSITY_GRIDS.items()}


def mvt_query(name: str, z: int, x: int, y: int, run_id: str, extent: int, buffer: int,
              max_features: int) -> tuple[TextClause, dict[str, object]] | None:
    """The statement and bind parameters of a layer's tile (single rows, or the density grid below
    the zoom of a dense layer's single features); None where EPSG:25833 has no coordinates."""
    grid = density_grid(name, z)
    box = tile_bounds_3857_within(z, x, y, ANALYSIS_EPSG, margin=buffer / extent)
    if box is None:
        return None
    params: dict[str, object] = {
        "layer": name, "extent": int(extent), "buffer": int(buffer), "z": int(z), "x": int(x), "y": int(y),
        "bx0": box[0], "by0": box[1], "bx1": box[2], "by1": box[3], "segment": tile_size_m(z) / 16.0,
        "run_id": run_id}
    if grid is not None:
        return DENSITY_MVT[name], params | {"cell": cell_size_m(grid, z)}
    return MVT[name], params | {"limit": int(max_features)}
