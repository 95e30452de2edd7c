"""GET /health: is the node reachable, the database readable, how far the index is."""

from __future__ import annotations

from typing import Any

import anyio.to_thread
from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from bpsa.api import db
from bpsa.api.models import Health
from bpsa.api.services import Services, Svc
from bpsa.core.errors import ChainError

router = APIRouter(tags=["service"])
VERSION = "1"


def _indexed(svc: Services) -> tuple[bool, int | None]:
    try:
        with svc.sessions() as s:
            cursor = s.get(db.Cursor, svc.chain_id)
            return True, cursor.block_number if cursor else None
    except SQLAlchemyError:
        return False, None


def _block(svc: Services) -> int | None:
    try:
        return svc.rpc.block_number()
    except ChainError:
        return None


@router.get(
    "/health",
    summary="Service health",
    description="Always 200: `status` is ok when the node answers and the database reads.",
    response_model=Health,
)
async def health(svc: Svc) -> dict[str, Any]:
    block = await anyio.to_thread.run_sync(_block, svc)
    readable, indexed = await anyio.to_thread.run_sync(_indexed, svc)
    ok = block is not None and readable
    return {
        "status": "ok" if ok else "degraded",
        "chain_id": svc.chain_id,
        "network": svc.manifest.network,
        "node": "ok" if block is not None else "unreachable",
        "block": block,
        "database": "ok" if readable else "unavailable",
        "indexed_block": indexed,
        "version": VERSION,
    }
