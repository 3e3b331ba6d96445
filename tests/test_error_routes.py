"""Errors on real routes: the status, the scrubbed body and the server log (api/errors.py in use).

The app is the real one (``create_app``) over a GeoPackage store in a temporary folder, so the
messages that reach a client carry real filesystem paths that the scrubber has to remove. The
last tests mount hand-made routes on a bare FastAPI app with the same handlers, for the branches
no real route reaches on demand (a store error, an unexpected exception, many invalid values).
"""

from __future__ import annotations

import logging
from typing import Annotated

import pytest
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import SERVER_TEXT, add_exception_handlers, error_responses, status_for
from api.serving import ServingSettings
from potenzial.errors import ConfigError, NotFoundError, PotenzialError, StoreError, StoreUnavailableError
from potenzial.tiles import TileTimeoutError
from tests.support.demo_run import publish_demo_run, settings_for

LOGGER = "potenzial.api"


@pytest.fixture
def store_folder(tmp_path):
    publish_demo_run(tmp_path / "store")
    return tmp_path / "store"


def handler_log(caplog) -> list[tuple[int, str]]:
    """(level, message) of what the error handlers logged (other app modules log too)."""
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == LOGGER and r.module == "errors"]


def client(store_folder, **serving) -> TestClient:
    settings = settings_for(store_folder, store_folder.parent)
    return TestClient(create_app(settings, serving_settings=ServingSettings(**serving)),
                      raise_server_exceptions=False)


# ------------------------------------------------------------------------------ 4xx: message kept, paths removed

def test_a_dangling_run_pointer_is_404_naming_the_run_without_the_folder(store_folder, caplog):
    """CURRENT names a run whose file is gone: the store says which run and which folder; the
    client reads the run and ``<path>`` instead of the folder, on JSON and HTML routes alike."""
    (store_folder / "CURRENT").write_text("gone-run\n", encoding="utf-8")
    with client(store_folder) as c, caplog.at_level(logging.WARNING, logger=LOGGER):
        for url in ("/api/municipalities", "/healthz", "/"):
            response = c.get(url)
            assert response.status_code == 404, url
            assert response.json() == {"detail": "run 'gone-run' is not in the store <path>."}, url
            assert str(store_folder) not in response.text
            assert "retry-after" not in response.headers
    assert handler_log(caplog) == []


def test_an_unknown_municipality_is_404_with_the_ags_and_where_to_look(store_folder):
    with client(store_folder) as c:
        response = c.get("/api/municipalities/14999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "no municipality with AGS 14999999 in run test-run-1 "
                                         "(see the list at api/municipalities)."}


def test_a_tile_outside_the_matrix_is_404_with_the_range(store_folder):
    with client(store_folder) as c:
        response = c.get("/tiles/municipalities/2/9/0.pbf")
    assert response.status_code == 404
    assert response.json() == {"detail": "tile x=9, y=0 is outside the tile matrix of zoom 2 (both must be in 0..3)."}


# ------------------------------------------------------------------------------ 5xx: fixed text, details in the log

def test_a_tile_over_its_time_limit_is_503_with_retry_after_and_its_message(store_folder, caplog):
    """The time limit is the client's business (it may zoom in): its message is kept, and logged as a warning."""
    with client(store_folder, vector_timeout_s=1e-6, tile_cache=False) as c, caplog.at_level(logging.INFO,
                                                                                                logger=LOGGER):
        response = c.get("/tiles/municipalities/12/2192/1366.pbf")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {"detail": "layer municipalities: the tile took longer than 1e-06 s."}
    assert handler_log(caplog) == [
        (logging.WARNING, "TileTimeoutError -> 503: layer municipalities: the tile took longer than 1e-06 s.")]


def test_an_unreachable_store_is_503_with_the_fixed_text_and_retry_after(tmp_path, caplog):
    missing = tmp_path / "nowhere" / "store"
    with client(missing) as c, caplog.at_level(logging.INFO, logger=LOGGER):
        response = c.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"detail": SERVER_TEXT[503]}
    assert response.headers["retry-after"] == "5"
    [(level, message)] = handler_log(caplog)
    assert level == logging.ERROR and message.startswith("StoreUnavailableError -> 503: ") and str(missing) in message


def test_a_corrupt_run_file_is_500_with_the_fixed_text_and_the_cause_in_the_log(store_folder, caplog):
    (store_folder / "runs" / "test-run-1.gpkg").write_bytes(b"not a geopackage")
    with client(store_folder) as c, caplog.at_level(logging.INFO, logger=LOGGER):
        response = c.get("/api/municipalities")
    assert response.status_code == 500
    assert response.json() == {"detail": SERVER_TEXT[500]}
    assert str(store_folder) not in response.text and "retry-after" not in response.headers
    records = [r for r in caplog.records if r.name == LOGGER and r.module == "errors"]
    assert [r.getMessage() for r in records] == ["unhandled error on GET /api/municipalities"]
    assert records[0].levelno == logging.ERROR and records[0].exc_info is not None


def test_invalid_query_values_are_422_with_where_and_what_but_not_the_input(store_folder):
    with client(store_folder) as c:
        response = c.get("/api/point", params={"lon": "/etc/passwd", "lat": "51.2"})
        too_far = c.get("/api/point", params={"lon": "200", "lat": "51.2"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{
        "loc": ["query", "lon"], "type": "float_parsing",
        "msg": "Input should be a valid number, unable to parse string as a number"}]}
    assert "passwd" not in response.text
    assert too_far.json() == {"detail": [{"loc": ["query", "lon"], "type": "less_than_equal",
                                          "msg": "Input should be less than or equal to 180"}]}


def test_openapi_documents_the_error_body_for_json_and_html_routes(store_folder):
    with client(store_folder) as c:
        openapi = c.get("/openapi.json").json()
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    page_404 = openapi["paths"]["/"]["get"]["responses"]["404"]
    assert page_404 == {"description": "error", "content": {"application/json": {"schema": ref}}}
    assert openapi["paths"]["/"]["get"]["responses"]["503"] == page_404
    json_404 = openapi["paths"]["/api/municipalities"]["get"]["responses"]["404"]
    assert json_404["content"] == {"application/json": {"schema": ref}}
    assert openapi["components"]["schemas"]["ErrorBody"]["required"] == ["detail"]


# ------------------------------------------------------------------------------ the handlers on hand-made routes

def bare_app(error: BaseException) -> TestClient:
    """A FastAPI app with the project's handlers and two routes: one raises ``error``, one takes 30 integers."""
    app = FastAPI()
    add_exception_handlers(app)

    @app.get("/boom")
    def boom() -> dict:
        raise error

    @app.get("/numbers")
    def numbers(n: Annotated[list[int], Query()]) -> dict:
        return {"n": n}

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(("error", "status", "detail"), [
    (PotenzialError("see https://user:pw@example.org/x and /srv/data/a.gpkg"), 400, "see <url> and <path>"),
    (NotFoundError("run 'r' is not in /srv/store."), 404, "run 'r' is not in <path>."),
    (ConfigError("bad value in /etc/potenzial.toml"), 500, SERVER_TEXT[500]),
    (StoreError("PostgreSQL at db:5432 failed: /var/lib/x"), 500, SERVER_TEXT[500]),
    (StoreUnavailableError("cannot reach /run/postgresql"), 503, SERVER_TEXT[503]),
    (TileTimeoutError("the tile from /srv/cache took longer than 5 s."), 503,
     "the tile from <path> took longer than 5 s."),
])
def test_each_error_class_gets_its_status_body_and_retry_header(error, status, detail, caplog):
    with bare_app(error) as c, caplog.at_level(logging.INFO, logger=LOGGER):
        response = c.get("/boom")
    assert response.status_code == status
    assert response.json() == {"detail": detail}
    assert response.headers.get("retry-after") == ("5" if status == 503 else None)
    logged = handler_log(caplog)
    if isinstance(error, TileTimeoutError):
        assert logged == [(logging.WARNING, f"TileTimeoutError -> 503: {error}")]
    elif status >= 500:  # the full message, path included, goes to the server log
        assert logged == [(logging.ERROR, f"{type(error).__name__} -> {status}: {error}")]
    else:
        assert logged == []


def test_an_unexpected_exception_is_500_with_the_fixed_text_and_a_logged_traceback(caplog):
    with bare_app(RuntimeError("secret /srv/internal detail")) as c, caplog.at_level(logging.INFO, logger=LOGGER):
        response = c.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": SERVER_TEXT[500]}
    assert "secret" not in response.text
    records = [r for r in caplog.records if r.name == LOGGER and r.module == "errors"]
    assert [r.getMessage() for r in records] == ["unhandled error on GET /boom"]
    assert records[0].exc_info is not None and records[0].exc_info[0] is RuntimeError


def test_at_most_twenty_validation_errors_come_back():
    with bare_app(RuntimeError()) as c:
        response = c.get("/numbers", params=[("n", f"x{k}") for k in range(30)])
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert len(detail) == 20
    assert detail[0] == {"loc": ["query", "n", 0], "type": "int_parsing",
                         "msg": "Input should be a valid integer, unable to parse string as an integer"}
    assert [d["loc"][2] for d in detail] == list(range(20))


def test_an_error_outside_the_hierarchy_maps_to_a_server_error():
    assert status_for(ValueError("not ours")) == 500  # type: ignore[arg-type]


def test_error_responses_for_openapi():
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    assert set(error_responses(404, 503)) == {404, 503}
    assert error_responses(404)[404]["model"].model_json_schema()["required"] == ["detail"]
    assert error_responses(404, 503, non_json_route=True) == {
        404: {"description": "error", "content": {"application/json": {"schema": ref}}},
        503: {"description": "error", "content": {"application/json": {"schema": ref}}},
    }
