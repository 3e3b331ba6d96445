"""The one place where library errors become HTTP responses.

``STATUS_CODES`` maps PotenzialError subclasses to a status; the most specific class in an
error's MRO wins. Bodies are ``{"detail": ...}`` and never carry a filesystem path, a URL with
credentials, SQL or a traceback: server-side errors (5xx) get a fixed text and the full message
goes to the server log; client errors (4xx) keep their message with paths and URLs removed.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from potenzial.errors import (
    ConfigError,
    DiskFullError,
    GoneError,
    InputDataError,
    NotFoundError,
    ParameterError,
    PotenzialError,
    StoreError,
    StoreUnavailableError,
    UnknownLayerError,
)
from potenzial.tiles import TileMatrixError, TileRequestError, TileTimeoutError

log = logging.getLogger("potenzial.api")

STATUS_CODES: dict[type[PotenzialError], int] = {
    PotenzialError: 400,
    UnknownLayerError: 404,
    NotFoundError: 404,
    GoneError: 410,
    ParameterError: 422,
    ConfigError: 500,
    InputDataError: 500,
    StoreError: 500,
    StoreUnavailableError: 503,
    DiskFullError: 503,
    TileRequestError: 400,
    TileMatrixError: 404,
    TileTimeoutError: 503,
}

#: seconds a client should wait before retrying a 503
RETRY_AFTER_S = 5

#: what a client reads for a server-side failure; the log has the details
SERVER_TEXT = {
    500: "internal error; the server log has the details.",
    503: "the result store is unavailable; try again later (the server log has the details).",
}

_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://\S+")
_PATH = re.compile(r"(?<![\w.<>/-])(?:[A-Za-z]:\\|~/|/)[^\s'\"`,;()]*[^\s'\"`,;().]")


class ErrorBody(BaseModel):
    """Every error response."""

    detail: str


class FieldError(BaseModel):
    """One field a request got wrong: where (``loc``), what (``msg``) and the kind (``type``)."""

    loc: list[str | int]
    msg: str
    type: str


class InvalidRequestBody(BaseModel):
    """A 422: the request's fields that did not validate (FastAPI's layout), or one sentence naming the value
    out of range."""

    detail: str | list[FieldError]


def status_for(exc: PotenzialError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_CODES:
            return STATUS_CODES[cls]
    return 500


def public_message(message: str) -> str:
    """``message`` with URLs and filesystem paths replaced, for a response body."""
    message = _URL.sub("<url>", message)
    return _PATH.sub("<path>", message)


def error_response(exc: PotenzialError) -> JSONResponse:
    status = status_for(exc)
    if isinstance(exc, TileTimeoutError):  # a time limit: no internals in the message, keep it
        log.warning("%s -> %d: %s", type(exc).__name__, status, exc)
        detail = public_message(str(exc))
    elif status >= 500:
        log.error("%s -> %d: %s", type(exc).__name__, status, exc)
        detail = SERVER_TEXT.get(status, SERVER_TEXT[500])
    else:
        detail = public_message(str(exc))
    headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None
    return JSONResponse(status_code=status, content={"detail": detail}, headers=headers)


async def _potenzial_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, PotenzialError):  # registered only for PotenzialError
        raise exc
    return error_response(exc)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(status_code=500, content={"detail": SERVER_TEXT[500]})


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    """422 with where and what (FastAPI's layout) but without echoing the client's input back."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [{"loc": list(e.get("loc", ())), "msg": public_message(str(e.get("msg", ""))),
               "type": str(e.get("type", ""))} for e in errors[:20]]
    return JSONResponse(status_code=422, content={"detail": detail})


def documented_methods(app: FastAPI, path: str) -> list[str]:
    """The methods the OpenAPI document lists for ``path``: of its literal path if it has one (``POST
    /api/scenarios/evaluate``), else of the path templates it fits (``GET /api/scenarios/{scenario_id}``)."""
    literal: list[str] = []
    templated: set[str] = set()
    for template, item in app.openapi().get("paths", {}).items():
        methods = [m.upper() for m in item]
        if template == path:
            literal = methods
        elif "{" in template and re.fullmatch(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)), path):
            templated.update(methods)
    return sorted(literal or templated)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (404, 405, a body that is not JSON: 400) as FastAPI answers them, but a 405's
    ``Allow`` lists the methods of every route at the path (GET and POST /api/scenarios are two routes)."""
    response = await http_exception_handler(request, exc)  # type: ignore[arg-type]
    if response.status_code == 405:
        methods = documented_methods(request.app, request.url.path)
        if methods:
            response.headers["Allow"] = ", ".join(sorted(methods))
    return response


def add_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(PotenzialError, _potenzial_error)
    app.add_exception_handler(Exception, _unexpected_error)


#: OpenAPI ``responses=`` entries for routes
def error_responses(*statuses: int, non_json_route: bool = False) -> dict[int | str, dict]:
    """Error responses (JSON ``ErrorBody``) for a route. ``non_json_route``: the route's own
    response is HTML or a file, so the JSON error schema is spelled out (FastAPI would otherwise
    list it under the route's media type)."""
    def model(status: int) -> type[BaseModel]:
        return InvalidRequestBody if status == 422 else ErrorBody

    if not non_json_route:
        return {s: {"model": model(s)} for s in statuses}
    return {s: {"description": "error", "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{model(s).__name__}"}}}} for s in statuses}
