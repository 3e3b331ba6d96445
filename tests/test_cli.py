"""The CLI as a user runs it: one clear line and a non-zero exit for every user mistake."""

import json
import os
import subprocess
import sys

import pytest

from potenzial.settings import PROJECT_ROOT
from tests.support.child_env import child_env


def cli(*args: str, data_dir, env_extra: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    env = child_env()
    env.update({"POTENZIAL_DATA_DIR": str(data_dir), "COLUMNS": "200"})
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "potenzial.cli.main", *args], capture_output=True, text=True,
                          env=env, cwd=PROJECT_ROOT, timeout=timeout)


def assert_one_line_error(result: subprocess.CompletedProcess, *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    text = " ".join(line.strip() for line in lines)
    assert text.startswith("error:"), result.stderr
    for needle in needles:
        assert needle in text, (needle, text)


def test_layers_lists_catalog_with_provenance_and_licence(tmp_path):
    result = cli("layers", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["municipalities"]["provenance"] == "real"
    assert rows["municipalities"]["licence"] == "dl-de/by-2-0"
    assert rows["buildings"]["provenance"] == "synthetic" and rows["buildings"]["synthetic"] is True
    table = cli("layers", data_dir=tmp_path)
    assert table.returncode == 0 and "synthetic" in table.stdout and "CC BY 4.0" in table.stdout


def test_unknown_region_is_one_line(tmp_path):
    assert_one_line_error(cli("run", "--region", "atlantis", data_dir=tmp_path), "unknown region 'atlantis'",
                          "lk-leipzig")


def test_unreachable_database_is_one_line_without_password(tmp_path):
    result = cli("run", "--store", "postgresql://planner:s3cret@127.0.0.1:1/potenzial", data_dir=tmp_path)
    assert_one_line_error(result, "127.0.0.1")
    assert "s3cret" not in result.stderr


def test_missing_parameter_file(tmp_path):
    assert_one_line_error(cli("run", "--params", str(tmp_path / "none.toml"), data_dir=tmp_path),
                          "none.toml", "does not exist")


def test_unknown_figures_precedence_is_one_line_before_the_server_starts(tmp_path):
    result = cli("serve", "--port", "8719", data_dir=tmp_path, env_extra={"POTENZIAL_FIGURES_PRECEDENCE": "wind"},
                 timeout=120)
    assert_one_line_error(result, "POTENZIAL_FIGURES_PRECEDENCE", "'wind'", "wind_first, pv_first")


def test_default_parameter_set_comes_from_the_settings(tmp_path):
    """Without --params the run takes settings.params_dir (POTENZIAL_PARAMS_DIR), not a path of its own."""
    result = cli("run", data_dir=tmp_path, env_extra={"POTENZIAL_PARAMS_DIR": str(tmp_path / "elsewhere")})
    assert_one_line_error(result, "elsewhere", "does not exist")


def test_db_init_creates_embedded_store(tmp_path):
    result = cli("db", "init", "--store", str(tmp_path / "store"), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "store" / "runs").is_dir()


@pytest.mark.parametrize("args", [["run", "--nonsense"], ["frobnicate"]])
def test_usage_errors_do_not_trace(tmp_path, args):
    result = cli(*args, data_dir=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr


def test_run_refuses_in_one_line_while_another_run_writes_into_the_store(tmp_path):
    from potenzial.store.gpkg import GeoPackageStore

    store = GeoPackageStore(tmp_path / "store")
    with store.run_lock("20260301T090000Z-abc123"):  # this test is the other run
        result = cli("run", "--store", str(tmp_path / "store"), data_dir=tmp_path, timeout=120)
    assert_one_line_error(result, f"run 20260301T090000Z-abc123 (process {os.getpid()} on ",
                          "so this run did not start", "--wait")
    assert store.list_runs() == [] and not (tmp_path / "regions").exists()  # refused before the stand-ins


def test_db_runs_marks_the_served_run_and_failed_and_incomplete_runs(tmp_path):
    from potenzial.errors import InputDataError
    from potenzial.store.gpkg import GeoPackageStore
    from tests.support.hand_run import RUN_DRIVER, hand_result

    store = GeoPackageStore(tmp_path / "store")
    with store.run_lock("run-good"):
        store.publish(hand_result("run-good"))
    with pytest.raises(InputDataError), store.run_lock("run-bad"):
        raise InputDataError("layer buildings: the file buildings.gpkg is missing.")
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    killed = subprocess.run([sys.executable, "-c", RUN_DRIVER, store.url, str(tmp_path / "cache"), "run-dead", "die",
                             str(tmp_path / "gate")], env=env, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    started = {a.run_id: a.started_at for a in store.attempts()}

    result = cli("db", "runs", "--store", str(tmp_path / "store"), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[1] if line.startswith("*") else line.split()[0]: line
             for line in result.stdout.splitlines() if line.strip()}
    assert lines["run-good"] == "* run-good  lk-test  params cdcdcdcdcdcd  9.9.9+hand"
    assert lines["run-bad"] == (f"  run-bad  FAILED (started {started['run-bad']}): layer buildings: the file "
                                "buildings.gpkg is missing.")
    assert lines["run-dead"] == (f"  run-dead  INCOMPLETE (started {started['run-dead']}; its process died, the "
                                 "next run removes what it left behind)")
