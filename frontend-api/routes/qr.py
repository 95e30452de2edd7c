"""GET /qr: a QR code image (SVG or PNG, through segno) of a BPSA payload.

The payload is what a maker's `ape run licensing device-qr` (a device's Merkle proof
in its batch) or a holder's `claim-qr` (a signed licence claim) prints: the service
holds neither a batch's serial list nor anyone's key, so it draws codes, it does not
mint them. The payload is decoded first, so only a readable BPSA code is drawn."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from bpsa.api.errors import ErrorBody, responses
from bpsa.api.verify import ScanVerifier
from bpsa.core import qr

router = APIRouter(tags=["qr"])


class ImageFormat(StrEnum):
    SVG = "svg"
    PNG = "png"


MEDIA = {ImageFormat.SVG: "image/svg+xml", ImageFormat.PNG: "image/png"}


@router.get(
    "/qr",
    summary="Draw a BPSA payload as a QR code",
    description="SVG or PNG of a device proof (BPSA2D:...) or a signed claim (BPSA2C:...). "
    "400 `unreadable_code` when the payload is not a readable BPSA code.",
    response_class=Response,
    responses={
        200: {
            "description": "The QR code.",
            "content": {"image/svg+xml": {}, "image/png": {}},
        },
        400: {"model": ErrorBody, "description": "The payload is not a readable BPSA code."},
        **responses(422),
    },
)
def qr_image(
    payload: Annotated[str, Query(min_length=1, max_length=4096, description="The code's text.")],
    format: Annotated[ImageFormat, Query(description="svg or png.")] = ImageFormat.SVG,
    scale: Annotated[int, Query(ge=1, le=20, description="Pixels (PNG) per module.")] = 4,
) -> Response:
    ScanVerifier.decode(payload)
    image = qr.render(payload.strip(), kind=format.value, scale=scale)
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(image, media_type=MEDIA[format], headers=headers)
