"""PostGIS store: every run's rows in shared tables keyed by ``run_id``, and a current-run pointer.

A run is published in one transaction: the ``runs`` row, every result frame (bulk ``COPY``) and the switch of
``current_run`` commit together or not at all, so a failed or killed publish leaves the previous run current and
complete. Old runs beyond the newest :data:`KEEP_RUNS` are pruned afterwards (``ON DELETE CASCADE``), never the
current one.

The schema is created by Alembic migrations in ``potenzial/store/migrations`` (configured in code, see
:mod:`potenzial.store.migrate`). Every SQL statement here is static text with bind parameters; table and column names
come only from the result registry in :mod:`potenzial.store.schema`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import psycopg.errors
import shapely
from alembic import command
from sqlalchemy import create_engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from potenzial.crs import ANALYSIS_CRS, ANALYSIS_EPSG
from potenzial.errors import NotFoundError, PotenzialError, StoreError, StoreUnavailableError
from potenzial.runs import RunAttempt, RunRecord
from potenzial.store import postgis_sql as sql
from potenzial.store.base import LayerWritten, RunResult, Store, conform
from potenzial.store.migrate import alembic_config
from potenzial.store.postgis_errors import unavailable_message
from potenzial.store.postgis_lock import PostgisRunLock
from potenzial.store.postgis_roles import DEFAULT_READER_ROLE, grant_reader, refuse_superuser, role_facts
from potenzial.store.postgis_runs import PreparationRecord
from potenzial.store.postgis_serving import SERVING_STATEMENT_TIMEOUT_S, serving_engine
from potenzial.store.postgis_sql import GEOMETRY_COLUMN
from potenzial.store.runlock import LockHolder, OnWait
from potenzial.store.saved_scenarios import PostgisScenarios
from potenzial.store.schema import schema
from potenzial.store.snapshots import PostgisSnapshots

KEEP_RUNS = 3  #: complete runs kept besides the current one
#: key of the advisory lock that serialises init() across processes (any fixed bigint)
INIT_LOCK_KEY = 7_361_102_025

DEFAULT_CONNECT_TIMEOUT_S = 5
DEFAULT_STATEMENT_TIMEOUT_S = 120.0
DEFAULT_POOL_SIZE = 4
DEFAULT_POOL_OVERFLOW = 2
DEFAULT_POOL_TIMEOUT_S = 5.0


# -- the store ---------------------------------------------------------------------------------

def _engine_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except sa_exc.ArgumentError:
        raise StoreError("the store URL is not a valid PostgreSQL URL; expected "
                         "postgresql://user@host:5432/dbname (check POTENZIAL_STORE).") from None
    if parsed.drivername not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise StoreError(f"the store URL uses {parsed.drivername!r}; the PostGIS store needs "
                         "postgresql://user@host:5432/dbname (check POTENZIAL_STORE).")
    if not parsed.database:
        raise StoreError("the store URL names no database; use postgresql://user@host:5432/dbname "
                         "(check POTENZIAL_STORE).")
    return parsed.set(drivername="postgresql+psycopg")


class PostgisStore(PreparationRecord, Store):
    """Runs in PostGIS; see the module docstring for the layout and the atomicity argument."""

    kind = "postgis"

    def __init__(
        self,
        url: str,
        *,
        connect_timeout_s: int = DEFAULT_CONNECT_TIMEOUT_S,
        statement_timeout_s: float | None = DEFAULT_STATEMENT_TIMEOUT_S,
        pool_size: int = DEFAULT_POOL_SIZE,
        pool_overflow: int = DEFAULT_POOL_OVERFLOW,
        pool_timeout_s: float = DEFAULT_POOL_TIMEOUT_S,
        read_only: bool = False,
        allow_superuser: bool = True,
    ) -> None:
        """``read_only``: the server's store (every session read-only, named potenzial-serve);
        ``allow_superuser=False``: a connection as a superuser raises SuperuserRefusedError."""
        engine_url = _engine_url(url)
        #: the URL for display: plain postgresql:// scheme, password masked
        self.url = engine_url.set(drivername="postgresql").render_as_string(hide_password=True)
        self._password = engine_url.password
        self._host = engine_url.host or "local socket"
        self._port = engine_url.port or 5432
        self._database = engine_url.database
        self._user = engine_url.username or "(default user)"
        self.statement_timeout_s = statement_timeout_s
        self.allow_superuser = allow_superuser
        connect_args: dict[str, object] = {"application_name": "potenzial-serve" if read_only else "potenzial"}
        if "connect_timeout" not in engine_url.query:
            connect_args["connect_timeout"] = int(connect_timeout_s)
        if "options" not in engine_url.query:
            options = [f"-c statement_timeout={int(statement_timeout_s * 1000)}"] if statement_timeout_s else []
            options += ["-c default_transaction_read_only=on"] if read_only else []
            if options:
                connect_args["options"] = " ".join(options)
        self._engine = create_engine(
            engine_url,
            pool_size=pool_size,
            max_overflow=pool_overflow,
            pool_timeout=pool_timeout_s,
            pool_pre_ping=True,
            connect_args=connect_args,
        )
        if not allow_superuser:
            refuse_superuser(self._engine, self.where)
        self._runlock = PostgisRunLock(self._engine, self._guard)
        self._serving: Engine | None = None
        self._serving_lock = threading.Lock()

    # -- errors
    @property
    def where(self) -> str:
        """Host, port, database and user (never the password), for messages."""
        return f"{self._host}:{self._port}/{self._database} (user {self._user})"

    def _scrub(self, message: str) -> str:
        line = " ".join(message.split())
        if self._password:
            line = line.replace(self._password, "***")
        return line[:300]

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Translate driver and pool errors into one-line PotenzialErrors with the fix."""
        try:
            yield
        except PotenzialError:
            raise
        except sa_exc.TimeoutError:
            raise StoreUnavailableError(
                f"PostgreSQL at {self.where}: no free connection within the pool timeout while {doing}; "
                "the database is overloaded or connections leak. Retry, or raise the pool size."
            ) from None
        except (sa_exc.DBAPIError, psycopg.Error) as exc:
            orig = exc.orig if isinstance(exc, sa_exc.DBAPIError) else exc
            error, hide_cause = self._translate(orig, exc, doing)
            if hide_cause:
                raise error from None
            raise error from exc

    def _translate(self, orig: BaseException | None, exc: BaseException, doing: str) -> tuple[StoreError, bool]:
        detail = self._scrub(str(orig if orig is not None else exc).split("\n")[0])
        if isinstance(orig, psycopg.errors.QueryCanceled):
            return StoreError(
                f"PostgreSQL at {self.where} cancelled a statement while {doing} after the statement "
                f"timeout of {self.statement_timeout_s} s. Raise it (statement_timeout_s) or check for locks."
            ), False
        if isinstance(orig, (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn,
                             psycopg.errors.UndefinedFunction)):
            return StoreError(
                f"the database {self.where} is not set up for potenzial or is older than this code "
                f"({detail}). Run `potenzial db init`."
            ), True
        if isinstance(orig, psycopg.errors.UniqueViolation) and "runs_pkey" in str(orig):
            return StoreError(f"{doing}: that run id is already in the store {self.where}. "
                              "Every run needs a new run id."), True
        if isinstance(orig, psycopg.errors.InsufficientPrivilege):
            return StoreError(
                f"user {self._user} lacks a privilege on {self.where} while {doing} ({detail}). "
                "Ask a superuser to run `CREATE EXTENSION postgis;` in that database and to grant "
                "CREATE on its schema, then run `potenzial db init`."
            ), True
        if isinstance(orig, (psycopg.OperationalError, psycopg.InterfaceError)) or isinstance(
                exc, (sa_exc.OperationalError, sa_exc.InterfaceError)):
            # the whole text: with several host addresses psycopg lists one failure per line
            return StoreUnavailableError(self._unavailable_message(self._scrub(str(orig or exc)))), True
        return StoreError(f"PostgreSQL at {self.where} failed while {doing}: {detail}"), False

    def _unavailable_message(self, detail: str) -> str:
        return unavailable_message(detail, self.where, self._host, self._port, self._database, self._user)

    # -- Store interface
    def init(self) -> None:
        """Create the postgis extension if missing and migrate to the newest schema. Idempotent; concurrent calls
        from several processes queue on an advisory lock and the whole initialisation is one transaction."""
        with self._guard("initialising the schema"), self._engine.begin() as conn:
            conn.execute(sql.INIT_LOCK, {"key": INIT_LOCK_KEY})
            self._ensure_postgis(conn)
            command.upgrade(alembic_config(conn), "head")

    def _ensure_postgis(self, conn: Connection) -> None:
        if conn.execute(sql.POSTGIS_INSTALLED).scalar() is not None:
            return
        if not conn.execute(sql.POSTGIS_AVAILABLE).scalar():
            major = conn.execute(sql.SERVER_MAJOR).scalar()
            raise StoreError(
                f"PostGIS is not installed on the PostgreSQL {major} server at {self.where}. Install it "
                f"on that server (apt-get install postgresql-{major}-postgis-3), then run `potenzial db init`."
            )
        conn.execute(sql.CREATE_POSTGIS)

    def schema_revision(self) -> str | None:
        """The migration revision recorded in the database (None before init)."""
        from alembic.runtime.migration import MigrationContext

        with self._guard("reading the schema revision"), self._engine.connect() as conn:
            return MigrationContext.configure(conn, opts={"version_table": "alembic_version"}).get_current_revision()

    def ping(self) -> None:
        with self._guard("connecting"), self._engine.connect() as conn:
            conn.execute(sql.PING)

    # -- roles (potenzial/store/postgis_roles.py)
    def check_role(self) -> None:
        if not self.allow_superuser:  # the connection hook refuses a superuser
            with suppress(StoreUnavailableError), self._guard("checking the role"), self._engine.connect() as conn:
                role_facts(conn)

    def grant_reader(self, role: str = DEFAULT_READER_ROLE, password: str | None = None) -> bool:
        """Create the read-only serving role if missing (True when created) and grant it read access."""
        with self._guard(f"granting read access to {role}"), self._engine.connect() as conn:
            return grant_reader(conn.execution_options(isolation_level="AUTOCOMMIT"), role, password)

    def publish(self, result: RunResult, on_layer_written: LayerWritten | None = None) -> None:
        record = result.record
        names = list(result.frames)
        for name in names:
            schema(name)  # an unknown result name fails before anything is written
        with self.run_lock(record.run_id, wait=True), self._guard(f"publishing run {record.run_id}"):
            with self._engine.begin() as conn:
                conn.execute(sql.INSERT_RUN, {
                    "run_id": record.run_id,
                    "region_id": record.region_id,
                    "started_at": record.started_at,
                    "finished_at": record.finished_at,
                    "params_hash": record.params_hash,
                    "code_version": record.code_version,
                    "record": record.to_json(),
                    "layers": names,
                })
                for name, frame in result.frames.items():
                    self._copy(conn, name, conform(name, frame), record.run_id)
                    if on_layer_written:
                        on_layer_written(name)
                conn.execute(sql.SWITCH_CURRENT, {"run_id": record.run_id})
            self._prune()

    @staticmethod
    def _copy(conn: Connection, name: str, frame: pd.DataFrame, run_id: str) -> None:
        """Bulk-load ``frame`` (already conformed) with COPY; geometry as hex EWKB, SRID 25833."""
        sch = schema(name)
        columns = [frame[c].tolist() for c in sch.column_names]  # numpy scalars -> Python values
        if sch.geometry_type:
            geoms = shapely.set_srid(np.asarray(frame.geometry.values, dtype=object), ANALYSIS_EPSG)
            columns.append(list(shapely.to_wkb(geoms, hex=True, include_srid=True)))
        # SQLAlchemy types the raw connection as a plain DB-API one; under psycopg 3 its cursor is a
        # context manager with copy(), which the DB-API protocol does not declare
        with conn.connection.cursor() as cursor, cursor.copy(sql.COPY[name]) as copy:  # type: ignore[attr-defined]
            for row in zip(*columns, strict=True):
                copy.write_row((run_id, *row))

    def _prune(self, keep: int = KEEP_RUNS) -> None:
        """Delete runs beyond the newest ``keep`` (never the current one); rows go by cascade."""
        with self._guard("pruning old runs"), self._engine.begin() as conn:
            conn.execute(sql.PRUNE, {"keep": keep})

    # -- the run lock and the journal (potenzial/store/postgis_lock.py)
    def _hold_run_lock(self, holder: LockHolder, wait: bool, on_wait: OnWait | None):
        return self._runlock.hold(holder, self.where, wait, on_wait)

    def run_lock_holder(self) -> LockHolder | None:
        return self._runlock.holder()

    def _read_attempts(self) -> list[RunAttempt]:
        return self._runlock.read()

    def _write_attempt(self, attempt: RunAttempt) -> None:
        self._runlock.write(attempt)

    def _forget_attempt(self, run_id: str) -> None:
        self._runlock.forget(run_id)

    def current_run(self) -> RunRecord | None:
        with self._guard("reading the current run"), self._engine.connect() as conn:
            raw = conn.execute(sql.CURRENT_RECORD).scalar()
        return None if raw is None else RunRecord.from_json(raw)

    def list_runs(self) -> list[RunRecord]:
        with self._guard("listing runs"), self._engine.connect() as conn:
            return [RunRecord.from_json(raw) for raw in conn.execute(sql.ALL_RECORDS).scalars()]

    def read(self, name: str, run_id: str | None = None) -> pd.DataFrame:
        sch = schema(name)
        with self._guard(f"reading {name}"), self._engine.connect() as conn:
            # one snapshot: the pointer, the run's layer list and its rows agree
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if not run_id:
                    run_id = conn.execute(sql.CURRENT_ID).scalar()
                    if run_id is None:
                        raise NotFoundError("the store holds no run yet. Run `potenzial run` first.")
                layers = conn.execute(sql.RUN_LAYERS, {"run_id": run_id}).scalar()
                if layers is None:
                    raise NotFoundError(f"run {run_id!r} is not in the store {self.where}.")
                if name not in layers:
                    raise NotFoundError(f"run {run_id} has no result {name!r}.")
                rows = conn.execute(sql.SELECT[name], {"run_id": run_id}).all()
        columns = sch.column_names + ([GEOMETRY_COLUMN] if sch.geometry_type else [])
        frame = pd.DataFrame([tuple(r) for r in rows], columns=columns, dtype=object)
        if sch.geometry_type:
            wkb = frame.pop(GEOMETRY_COLUMN).to_numpy(dtype=object)
            geoms = shapely.from_wkb(wkb) if len(wkb) else np.array([], dtype=object)
            frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=ANALYSIS_CRS),
                                     crs=ANALYSIS_CRS)
        return conform(name, frame)

    # -- serving reads: a separate read-only pool with a short statement timeout --------------

    def _serving_engine(self) -> Engine:
        """Lazily built pool for the API (:func:`potenzial.store.postgis_serving.serving_engine`)."""
        with self._serving_lock:
            if self._serving is None:
                self._serving = serving_engine(self._engine.url)
                if not self.allow_superuser:
                    refuse_superuser(self._serving, self.where)
        return self._serving

    @contextmanager
    def _serving_guard(self, doing: str) -> Iterator[None]:
        """Like :meth:`_guard`, but a cancelled statement is a timeout of this request (HTTP 503)."""
        from potenzial.tiles import TileTimeoutError

        try:
            with self._guard(doing):
                yield
        except StoreError as exc:
            cause = exc.__cause__
            orig = getattr(cause, "orig", cause)
            if isinstance(orig, psycopg.errors.QueryCanceled):
                raise TileTimeoutError(f"the database took longer than {SERVING_STATEMENT_TIMEOUT_S} s "
                                       f"while {doing}; try again, or zoom in.") from None
            raise

    def run_layers(self, run_id: str) -> list[str]:
        """Names of the result layers and tables the run wrote (``runs.layers``)."""
        with self._serving_guard("listing a run's layers"), self._serving_engine().connect() as conn:
            layers = conn.execute(sql.RUN_LAYERS, {"run_id": run_id}).scalar()
        if layers is None:
            raise NotFoundError(f"run {run_id!r} is not in the store {self.where}.")
        return list(layers)

    def read_bbox(self, name: str, bbox: tuple[float, float, float, float], run_id: str | None = None,
                  limit: int | None = None) -> gpd.GeoDataFrame:
        """Rows whose geometry's box meets ``bbox`` (EPSG:25833); one indexed, read-only query."""
        sch = self._require_geometry_layer(name)
        run_id = self._require_run(run_id)
        params = {"run_id": run_id, "xmin": float(bbox[0]), "ymin": float(bbox[1]), "xmax": float(bbox[2]),
                  "ymax": float(bbox[3]), "limit": int(limit) if limit is not None else None}
        with self._serving_guard(f"reading {name} in a box"), self._serving_engine().connect() as conn:
            rows = conn.execute(sql.BBOX[name], params).all()
        columns = [*sch.column_names, GEOMETRY_COLUMN]
        frame = pd.DataFrame([tuple(r) for r in rows], columns=columns, dtype=object)
        wkb = frame.pop(GEOMETRY_COLUMN).to_numpy(dtype=object)
        geoms = shapely.from_wkb(wkb) if len(wkb) else np.array([], dtype=object)
        frame = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, index=frame.index, crs=ANALYSIS_CRS),
                                 crs=ANALYSIS_CRS)
        return conform(name, frame)

    def vector_tile(self, name: str, z: int, x: int, y: int, run_id: str | None = None, *,
                    extent: int = 4096, buffer: int = 64, max_features: int = 20_000) -> bytes:
        """The tile from ``ST_AsMVT`` (static SQL from the registry, bind parameters only); a dense
        layer's density grid below the zoom of its single features (:mod:`potenzial.tiles.density`)."""
        self._require_geometry_layer(name)
        tile = sql.mvt_query(name, z, x, y, self._require_run(run_id), extent, buffer, max_features)
        if tile is None:  # the tile lies where EPSG:25833 has no coordinates: no feature can be there
            return b""
        with self._serving_guard(f"building a vector tile of {name}"), self._serving_engine().connect() as conn:
            data = conn.execute(*tile).scalar()
        return bytes(data) if data else b""

    def snapshots(self) -> PostgisSnapshots:
        return PostgisSnapshots(self._engine)

    def saved_scenarios(self) -> PostgisScenarios:
        return PostgisScenarios(self._engine)

    def close(self) -> None:
        self._engine.dispose()
        if self._serving is not None:
            self._serving.dispose()
