"""Rows of the indexer's database as the API's bodies, and paging. Reads only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.core import codes

R = TypeVar("R")


def label(enum: type[IntEnum], value: int | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        text = codes.label(enum(value))
    except ValueError:
        text = "unknown"
    return {"code": value, "label": text}


def wei(value: int | None) -> str | None:
    return None if value is None else str(value)


def page(
    session: Session, stmt: Select[Any], limit: int, offset: int, convert: Callable[[Any], R]
) -> dict[str, Any]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.limit(limit).offset(offset)).all()
    following = offset + len(rows)
    return {
        "items": [convert(r) for r in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": following if following < total else None,
    }


def member(m: db.Member) -> dict[str, Any]:
    return {
        "address": m.address,
        "kind": label(codes.Kind, m.kind),
        "status": label(codes.Status, m.status),
        "roles": codes.role_names(m.roles),
        "role_bits": m.roles,
        "market_share_bps": m.market_share_bps,
        "identity": m.identity,
        "identity_cid": m.identity_cid,
        "application": m.application,
        "applied_at": m.applied_at,
        "active_since": m.active_since,
    }


def patent(p: db.Patent) -> dict[str, Any]:
    return {
        "patent_id": p.patent_id,
        "collection": p.collection,
        "office": p.office,
        "number": p.number,
        "provider": p.provider,
        "centre": p.centre,
        "source": label(codes.Source, p.source),
        "status": label(codes.PatentStatus, p.status),
        "document": p.document,
        "document_cid": p.document_cid,
        "rating": p.rating,
        "valuation": wei(p.valuation),
        "rounds": p.rounds,
        "rated_at": p.rated_at,
        "minted": wei(p.minted),
        "certificate_owner": p.certificate_owner,
        "certificate_expiry": p.certificate_expiry,
        "right_ends": p.right_ends,
        "removal_reason": label(codes.Removal, p.removal_reason),
        "lapse": label(codes.Lapse, p.lapse),
        "submitted_at": p.submitted_at,
        "pooled_at": p.pooled_at,
        "updated_at": p.updated_at,
    }


def rating(r: db.Rating) -> dict[str, Any]:
    return {
        "round": r.round,
        "expert": r.expert,
        "score": r.score,
        "valuation": str(r.valuation),
        "block_number": r.block_number,
    }


def certificate(c: db.Certificate) -> dict[str, Any]:
    return {
        "patent_id": c.patent_id,
        "document": c.document,
        "document_cid": c.document_cid,
        "document_url": f"ipfs://{c.document_cid}",
        "owner": c.owner,
        "status": label(codes.CertStatus, c.status),
        "expiry": c.expiry,
        "nonce": c.nonce,
        "batch_root": c.batch_root,
        "accepted_at": c.accepted_at,
        "accepted_block": c.accepted_block,
        "revoked_at": c.revoked_at,
    }


def listing(x: db.Listing) -> dict[str, Any]:
    return {
        "listing_id": x.listing_id,
        "patent_id": x.patent_id,
        "lister": x.lister,
        "price": str(x.price),
        "duration": x.duration,
        "field_of_use": x.field_of_use,
        "territory": x.territory,
        "active": x.active,
        "listed_at": x.listed_at,
        "tenure": x.tenure,
        "ended_at": x.ended_at,
        "end_reason": x.end_reason,
    }


def patent_event(e: db.PatentEvent) -> dict[str, Any]:
    return {
        "contract": e.contract,
        "event": e.event,
        "status_after": label(codes.PatentStatus, e.status),
        "block_number": e.block_number,
        "block_time": e.block_time,
        "tx_hash": e.tx_hash,
        "log_index": e.log_index,
        "args": e.args,
    }


def licence(x: db.Licence) -> dict[str, Any]:
    return {
        "licence_id": x.licence_id,
        "listing_id": x.listing_id,
        "patent_id": x.patent_id,
        "holder": x.holder,
        "price": str(x.price),
        "surcharge": str(x.surcharge),
        "field_of_use": x.field_of_use,
        "territory": x.territory,
        "start": x.start,
        "end": x.end,
        "tx_hash": x.tx_hash,
    }


def bpr(b: db.BprHolding) -> dict[str, Any]:
    return {
        "holder": b.holder,
        "tier": label(codes.Kind, b.tier),
        "locked": str(b.locked),
        "unlocks_at": b.unlocks_at,
        "granted": b.granted,
        "active": b.active,
        "since": b.since,
        "ended_at": b.ended_at,
        "end_reason": b.end_reason,
    }


def device_batch(b: db.DeviceBatch) -> dict[str, Any]:
    return {
        "batch_id": b.batch_id,
        "maker": b.maker,
        "product": b.product,
        "root": b.root,
        "count": b.count,
        "fee": str(b.fee),
        "surcharge": str(b.surcharge),
        "registered_at": b.registered_at,
    }


def case(c: db.Case) -> dict[str, Any]:
    return {
        "case_id": c.case_id,
        "patent_id": c.patent_id,
        "centre": c.centre,
        "infringer": c.infringer,
        "accused": c.accused,
        "product": c.product,
        "evidence": c.evidence,
        "evidence_cid": c.evidence_cid,
        "bond": str(c.bond),
        "status": label(codes.CaseStatus, c.status),
        "authorised_by": c.authorised_by,
        "offers_standing": c.offers_standing,
        "offered": str(c.offered),
        "agreed_offer": c.agreed_offer,
        "accepted_offer": c.accepted_offer,
        "settlement": wei(c.settlement),
        "resolver": c.resolver,
        "bond_to": c.bond_to,
        "filed_at": c.filed_at,
        "closed_at": c.closed_at,
    }


def case_offer(o: db.CaseOffer) -> dict[str, Any]:
    return {
        "offer_id": o.offer_id,
        "case_id": o.case_id,
        "offerer": o.offerer,
        "amount": str(o.amount),
        "status": o.status,
        "made_at": o.made_at,
        "closed_at": o.closed_at,
    }


def nav_point(n: db.NavPoint) -> dict[str, Any]:
    return {
        "block_number": n.block_number,
        "block_time": n.block_time,
        "pooled_value": str(n.pooled_value),
        "supply": str(n.supply),
        "nav": wei(n.nav),
        "nav_units": None if n.nav is None else n.nav / 10**18,
    }


def royalty(r: db.Royalty) -> dict[str, Any]:
    return {
        "account": r.account,
        "contributor_weight": str(r.contributor_weight),
        "centre_weight": str(r.centre_weight),
        "delegated_weight": str(r.delegated_weight),
        "claimed": str(r.claimed),
        "claimable": str(r.claimable),
        "accrued": str(r.accrued),
    }


def each(convert: Callable[[Any], R], rows: Sequence[Any]) -> list[R]:
    return [convert(r) for r in rows]
