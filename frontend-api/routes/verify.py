"""POST /verify: the hot path.

`answer` does the work for both ways in: the FastAPI route (what OpenAPI documents)
and `FastVerify`, a pure ASGI middleware that answers `POST /verify` before routing,
request objects and response models (about half of a small request's cost in the
stack). The body is parsed by pydantic-core straight from bytes, the answer
serialised by orjson; both carry the same models' schema."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bpsa.api.errors import ApiError, responses
from bpsa.api.models import VerifyRequest, VerifyResponse
from bpsa.api.services import Services, services
from bpsa.core.errors import ChainError

router = APIRouter(tags=["verification"])

BODY_SCHEMA = VerifyRequest.model_json_schema(ref_template="#/components/schemas/{model}")
MAX_BODY = 131_072  # over any body a valid or a merely too-long payload makes (422)
JSON = [(b"content-type", b"application/json")]


def _error(status: int, code: str, detail: str, **extra: Any) -> tuple[int, bytes]:
    return status, orjson.dumps({"code": code, "detail": detail, **extra})


async def answer(svc: Services, raw: bytes) -> tuple[int, bytes]:
    """(status, JSON body) for a POST /verify body."""
    if len(raw) > MAX_BODY:
        return _error(413, "too_large", f"the body is over {MAX_BODY} bytes")
    try:
        body = VerifyRequest.model_validate_json(raw)
    except ValidationError as exc:
        errors = [
            {"where": ".".join(("body", *map(str, e["loc"]))), "problem": e["msg"]}
            for e in exc.errors()
        ] or [{"where": "body", "problem": "invalid"}]
        detail = f"{errors[0]['where']}: {errors[0]['problem']}"
        return _error(422, "invalid_request", detail, errors=errors)
    try:
        return 200, orjson.dumps(await svc.verifier.verify(body.payload))
    except ApiError as exc:
        return _error(exc.status, exc.code, exc.detail)
    except ChainError as exc:  # the node is down, or answered nonsense
        return _error(503, "chain_unavailable", str(exc))


@router.post(
    "/verify",
    summary="Verify a scanned QR payload",
    description="Answers whether the device or the signed claim in a scanned BPSA code is "
    "licensed, why (`reason`, machine-readable), and the licence behind it. A device "
    "code's proof is checked against its batch's root on chain (a root read at most "
    "`root_ttl` seconds ago, default 2 s: roots never change once registered); a claim "
    "reads the chain's facts for every request. A code that cannot be read answers 400 "
    "`unreadable_code`; a node that does not answer, 503 `chain_unavailable`.",
    response_model=VerifyResponse,
    responses=responses(400, 413, 422, 503),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": BODY_SCHEMA}},
        }
    },
)
async def verify(request: Request) -> Response:
    status, body = await answer(services(request), await request.body())
    return Response(body, status, media_type="application/json")


class FastVerify:
    """Answers `POST /verify` at the ASGI level; everything else goes on to the app."""

    def __init__(self, app: ASGIApp, svc: Services) -> None:
        self.app, self.svc = app, svc

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/verify" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message: Message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size <= MAX_BODY:
                chunks.append(chunk)
            more = message.get("more_body", False)
        if size > MAX_BODY:
            status, body = _error(413, "too_large", f"the body is over {MAX_BODY} bytes")
        else:
            status, body = await answer(self.svc, b"".join(chunks))
        length = [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": JSON + length})
        await send({"type": "http.response.body", "body": body})
