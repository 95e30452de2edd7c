"""Every error the service answers: a status, a machine-readable `code` and a human
`detail`, never a stack trace. Validation errors (FastAPI's 422) carry a code too."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from bpsa.core.errors import BpsaError, ChainError, InputError, ManifestError

log = logging.getLogger("bpsa.api")


class FieldProblem(BaseModel):
    where: str = Field(description="Where in the request: query.limit, body.payload...")
    problem: str


class ErrorBody(BaseModel):
    """What every 4xx and 5xx answer carries."""

    code: str = Field(description="Machine-readable: what went wrong.", examples=["not_found"])
    detail: str = Field(description="A sentence for people.", examples=["no patent 0x12..."])
    errors: list[FieldProblem] | None = Field(
        None, description="For invalid_request: each field that was wrong."
    )


class ApiError(Exception):
    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def not_found(detail: str) -> ApiError:
    return ApiError(404, "not_found", detail)


def error_response(status: int, code: str, detail: str, **extra: Any) -> Response:
    body = {"code": code, "detail": detail, **extra}
    return Response(orjson.dumps(body), status, media_type="application/json")


HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
}


def _where(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"where": _where(tuple(e.get("loc", ()))), "problem": str(e.get("msg", "invalid"))}
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"where": "request", "problem": "invalid"}
    detail = f"{first['where']}: {first['problem']}"
    if len(problems) > 1:
        detail += f" (and {len(problems) - 1} more)"
    return error_response(422, "invalid_request", detail, errors=problems)


async def _api(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.detail)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = HTTP_CODES.get(exc.status_code, "http_error")
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no such path: {request.url.path}"
    response = error_response(exc.status_code, code, detail)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _bpsa(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ChainError):  # the node is down, or answered nonsense
        return error_response(503, "chain_unavailable", str(exc))
    if isinstance(exc, InputError):
        return error_response(400, "bad_input", str(exc))
    if isinstance(exc, ManifestError):
        return error_response(503, "not_configured", str(exc))
    return error_response(400, "refused", str(exc))


async def _database(request: Request, exc: Exception) -> Response:
    log.warning("database error on %s: %s", request.url.path, exc)
    return error_response(503, "database_unavailable", "the database cannot be read now")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal", "the service failed; the error is logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(ApiError, _api)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(BpsaError, _bpsa)
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(Exception, _unexpected)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer."""
    text = {
        400: "Bad input (the code says what).",
        402: "Payment required.",
        413: "The body is too large.",
        404: "Not found.",
        422: "Invalid request (a parameter or the body does not fit the schema).",
        503: "The node or the database cannot be reached.",
    }
    return {s: {"model": ErrorBody, "description": text.get(s, "Error.")} for s in statuses}
