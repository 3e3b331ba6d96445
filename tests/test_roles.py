"""Least privilege on PostGIS (real server): `potenzial db init` creates the read-only role the
server connects as; nothing the server's connections do can write, whatever the session sets; the
server refuses a superuser unless told --allow-superuser."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import exc as sa_exc

from api.app import create_app
from api.serving import ServingSettings
from potenzial.settings import PROJECT_ROOT, Settings
from potenzial.store.postgis_roles import SuperuserRefusedError
from tests.support.child_env import child_env
from tests.support.hand_run import hand_result

#: writes a session could try (the role has SELECT only; the last one tries to take the lock table)
WRITES = (
    "INSERT INTO runs (run_id, region_id, params_hash, code_version, record, layers) "
    "VALUES ('intruder', 'x', 'x', 'x', '{}', '{}')",
    "UPDATE current_run SET run_id = 'intruder'",
    "DELETE FROM municipalities",
    "TRUNCATE run_journal",
    "DROP TABLE runs",
    "CREATE TABLE intruder (x int)",
)


def cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = child_env() | {"COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "potenzial.cli.main", *args], capture_output=True, text=True,
                          env=env, cwd=PROJECT_ROOT, timeout=timeout)


def reader_url_of(url: str, role: str) -> str:
    params = conninfo_to_dict(url)
    return f"postgresql://{role}@{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}/{params['dbname']}"


def test_db_init_creates_the_read_only_role_and_the_servers_connections_cannot_write(postgis_store, postgis_url,
                                                                                     tmp_path):
    role = f"{conninfo_to_dict(postgis_url)['dbname']}_reader"
    result = cli("db", "init", "--store", postgis_url, "--reader-role", role)
    assert result.returncode == 0, result.stderr
    assert f"read-only role {role} " in result.stdout and f"--store postgresql://{role}@" in result.stdout
    postgis_store.publish(hand_result("run-1"))
    with psycopg.connect(postgis_url) as conn:
        assert conn.execute("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s",
                            (role,)).fetchone() == (False, False, False)

    settings = Settings(store=reader_url_of(postgis_url, role), data_dir=tmp_path)
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/municipalities").status_code == 200
        store = client.app.state.store
        for engine in (store._engine, store._serving_engine()):  # both pools of the server
            for statement in WRITES:
                with engine.connect() as conn:  # the session switches read-only off, as anyone may
                    conn.exec_driver_sql("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")
                    conn.commit()
                    assert conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "off"
                    with pytest.raises(sa_exc.DBAPIError) as info:
                        conn.exec_driver_sql(statement)
                    assert isinstance(info.value.orig, psycopg.errors.InsufficientPrivilege), statement
                    conn.rollback()
    with psycopg.connect(postgis_url) as conn:
        assert conn.execute("SELECT run_id FROM runs").fetchall() == [("run-1",)]
        assert conn.execute("SELECT run_id FROM current_run").fetchall() == [("run-1",)]
        assert conn.execute("SELECT count(*) FROM municipalities").fetchone() == (2,)
    again = cli("db", "init", "--store", postgis_url, "--reader-role", role)  # idempotent
    assert again.returncode == 0 and f"read-only role {role} granted" in again.stdout, again.stderr


def test_the_server_refuses_a_superuser_unless_allowed(postgis_store, postgis_url, tmp_path):
    user = conninfo_to_dict(postgis_url).get("user", "postgres")
    postgis_store.publish(hand_result("run-1"))
    settings = Settings(store=postgis_url, data_dir=tmp_path)
    with pytest.raises(SuperuserRefusedError) as info, TestClient(create_app(settings)):
        pytest.fail("the server started as a superuser")
    message = str(info.value)
    assert f"as {user}, a superuser" in message and "--allow-superuser" in message and "\n" not in message
    allowed = ServingSettings(allow_superuser=True)
    with TestClient(create_app(settings, serving_settings=allowed)) as client:
        assert client.get("/healthz").json()["run_id"] == "run-1"


def test_potenzial_serve_refuses_a_superuser_in_one_line(postgis_url):
    result = cli("serve", "--store", postgis_url, "--port", "8731", timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    text = " ".join(result.stderr.split())
    assert text.startswith("error: the server would connect to PostgreSQL at ") and "--allow-superuser" in text
