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
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from potenzial.errors import (
    ConfigError,
    InputDataError,
    NotFoundError,
    PotenzialError,
    StoreError,
    StoreUnavailableError,
    UnknownLayerError,
)

log = logging.getLogger("potenzial.api")

STATUS_CODES: dict[type[PotenzialError], int] = {
    PotenzialError: 400,
    UnknownLayerError: 404,
    NotFoundError: 404,
    ConfigError: 500,
    InputDataError: 500,
    StoreError: 500,
    StoreUnavailableError: 503,
}

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
    if status >= 500:
        log.error("%s -> %d: %s", type(exc).__name__, status, exc)
        detail = SERVER_TEXT.get(status, SERVER_TEXT[500])
    else:
        detail = public_message(str(exc))
    return JSONResponse(status_code=status, content={"detail": detail})


async def _potenzial_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, PotenzialError):  # registered only for PotenzialError
        raise exc
    return error_response(exc)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(status_code=500, content={"detail": SERVER_TEXT[500]})


def add_exception_handlers(app: FastAPI) -> None:
    app.add_exception_handler(PotenzialError, _potenzial_error)
    app.add_exception_handler(Exception, _unexpected_error)


#: OpenAPI ``responses=`` entries for routes
def error_responses(*statuses: int) -> dict[int | str, dict]:
    return {s: {"model": ErrorBody} for s in statuses}
