"""The fund's sale of BPC at NAV, from the indexer's database: the terms and the purchases."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import func, select

from bpsa.api import db
from bpsa.api import queries as q
from bpsa.api.errors import responses
from bpsa.api.models import BpcSaleOut, Page, SaleSummary
from bpsa.api.params import AddressQ, Limit, Offset
from bpsa.api.services import Db, Svc

router = APIRouter(responses=responses(422, 503), tags=["sale"])


@router.get(
    "/sale",
    summary="The sale's terms and the NAV it sells at",
    description="The council's terms (payment token and its units per valuation unit, "
    "whether sales are open, the minimum, the caps per period and per member, the stale "
    "grace and how many pooled patents are reported stale), what was sold, and the latest "
    "NAV point, whose treasury_value is the fund's cash the NAV counts.",
    response_model=SaleSummary,
)
def summary(s: Db, svc: Svc) -> dict[str, Any]:
    chain = svc.chain_id
    terms = s.get(db.SaleTerms, chain)
    count = s.scalar(
        select(func.count()).select_from(db.BpcSale).where(db.BpcSale.chain_id == chain)
    )
    nav = q.latest(s, db.NavPoint, chain)
    return {
        "chain_id": chain,
        "terms": q.to_json(terms) if terms else None,
        "sales": count or 0,
        "nav": q.to_json(nav) if nav else None,
    }


@router.get(
    "/sales",
    summary="Purchases of BPC from the fund",
    description="Every purchase at NAV, newest first: buyer, token and amount paid, value "
    "credited, BPC minted and the fund's counted cash after it.",
    response_model=Page[BpcSaleOut],
)
def sales(
    s: Db,
    svc: Svc,
    buyer: AddressQ = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = select(db.BpcSale).where(db.BpcSale.chain_id == svc.chain_id)
    if buyer:
        stmt = stmt.where(db.BpcSale.buyer == db.addr(buyer))
    stmt = stmt.order_by(db.BpcSale.block_number.desc(), db.BpcSale.log_index.desc())
    return q.page(s, stmt, limit, offset)
