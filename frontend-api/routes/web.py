"""The web page: the verification page at / and the pool dashboard at /dashboard,
plain HTML with a little vanilla JS and CSS under /static (no build step)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from starlette.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"
router = APIRouter(tags=["pages"])
HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "The page."}
}


@router.get(
    "/", summary="The licence verification page", response_class=FileResponse, responses=HTML
)
def verification_page() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/dashboard", summary="The pool dashboard", response_class=FileResponse, responses=HTML)
def dashboard_page() -> FileResponse:
    return FileResponse(STATIC / "dashboard.html", media_type="text/html")
