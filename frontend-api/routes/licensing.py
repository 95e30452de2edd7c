"""Licensing, from the indexer's database: the published tier schedule and rates,
per-patent licences by holder and by patent, BPR holdings, device batches, and the
standard licence agreements (every licence names the CID of its agreement document)."""

from __future__ import annotations

from typing import Annotated, Any

from eth_utils.address import to_checksum_address
from fastapi import APIRouter, Query
from sqlalchemy import select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api import queries as q
from bpsa.api.errors import not_found, responses
from bpsa.api.models import (
    AgreementOut,
    BprOut,
    CoverageChangeOut,
    CoverageProofOut,
    DeviceBatchOut,
    HolderLicences,
    LicenceOut,
    Page,
    Schedule,
)
from bpsa.api.params import (
    AddressP,
    AddressQ,
    AgreementKindName,
    Hex32P,
    Hex32Q,
    IdP,
    Limit,
    Offset,
    code_of,
)
from bpsa.api.services import Db, Svc
from bpsa.core import coverage as cov
from bpsa.core.codes import AgreementKind

router = APIRouter(tags=["licensing"], responses=responses(422, 503))


@router.get(
    "/tiers",
    summary="The published tier schedule and rates",
    description="The BPC price of one BPR per member kind, the large-enterprise rate per "
    "basis point of market share, the minimum term, the non-member surcharge and the "
    "device schedule: one price list, the same for everyone in the same position. Values "
    "are as indexed (null until the chain has published them).",
    response_model=Schedule,
)
def tiers(s: Db, svc: Svc) -> dict[str, Any]:
    chain = svc.chain_id
    rows = s.scalars(select(db.Tier).where(db.Tier.chain_id == chain).order_by(db.Tier.kind)).all()
    st = s.get(db.Settings, chain)
    cursor = s.get(db.Cursor, chain)

    def get(name: str) -> Any:
        return getattr(st, name) if st is not None else None

    def text(name: str) -> str | None:
        value = get(name)
        return None if value is None else str(value)

    return {
        "chain_id": chain,
        "tiers": q.each(rows),
        "large_enterprise_price_per_bps": text("large_enterprise_price_per_bps"),
        "min_term": get("min_term"),
        "surcharge_bps": get("surcharge_bps"),
        "devices": {
            "free_per_year": text("device_free_per_year"),
            "low_rate": text("device_low_rate"),
            "volume_break": text("device_volume_break"),
            "high_rate": text("device_high_rate"),
            "annual_cap": text("device_annual_cap"),
        },
        "indexed_block": cursor.block_number if cursor else None,
    }


@router.get(
    "/licences",
    summary="Per-patent licences, by holder or by patent",
    response_model=Page[LicenceOut],
)
def licences(
    s: Db,
    svc: Svc,
    holder: AddressQ = None,
    patent_id: Hex32Q = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = q.filtered(
        select(db.Licence).where(db.Licence.chain_id == svc.chain_id),
        (db.Licence.holder, holder, db.addr),
        (db.Licence.patent_id, patent_id, db.hex32),
    )
    return svc.documents.agreements(
        q.page(s, stmt.order_by(db.Licence.licence_id.desc()), limit, offset)
    )


@router.get(
    "/licences/{licence_id}",
    summary="One per-patent licence",
    response_model=LicenceOut,
    responses=responses(404),
)
def licence(licence_id: IdP, s: Db, svc: Svc) -> dict[str, Any]:
    found = q.one(s, db.Licence, (svc.chain_id, licence_id), f"no licence #{licence_id}")
    return svc.documents.agreements(q.to_json(found))


@router.get(
    "/holders/{address}/licences",
    summary="Everything one holder is licensed by",
    description="The holder's BPR (pool licence), its per-patent licences and the device "
    "batches it registered as a maker (up to 500 of each, newest first).",
    response_model=HolderLicences,
)
def holder_licences(address: AddressP, s: Db, svc: Svc) -> dict[str, Any]:
    who, chain = db.addr(address), svc.chain_id
    bpr = s.get(db.BprHolding, (chain, who))

    def newest(model: Any, by: Any, order: Any) -> list[dict[str, Any]]:
        stmt = select(model).where(model.chain_id == chain, by == who)
        return q.each(s.scalars(stmt.order_by(order.desc()).limit(500)).all())

    return svc.documents.agreements(
        {
            "holder": to_checksum_address(who),
            "bpr": q.to_json(bpr) if bpr else None,
            "licences": newest(db.Licence, db.Licence.holder, db.Licence.licence_id),
            "device_batches": newest(db.DeviceBatch, db.DeviceBatch.maker, db.DeviceBatch.batch_id),
        }
    )


@router.get("/bprs", summary="BPR holdings (pool licences)", response_model=Page[BprOut])
def bprs(
    s: Db,
    svc: Svc,
    active: Annotated[bool | None, Query(description="Only held (true) or ended (false).")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = select(db.BprHolding).where(db.BprHolding.chain_id == svc.chain_id)
    if active is not None:
        stmt = stmt.where(db.BprHolding.active == active)
    stmt = stmt.order_by(db.BprHolding.since.desc(), db.BprHolding.holder)
    return svc.documents.agreements(q.page(s, stmt, limit, offset))


def _holding(s: Session, chain: int, holder: str) -> db.BprHolding:
    """`holder`'s BPR row (its latest, held or ended); 404 if it never held one."""
    found: db.BprHolding = q.one(
        s, db.BprHolding, (chain, db.addr(holder)), f"{holder} never held a BPR"
    )
    return found


def _snapshot(s: Session, chain: int, holder: str) -> tuple[db.BprHolding, int]:
    """`holder`'s BPR row and its snapshot size; 404 without one."""
    bpr = _holding(s, chain, holder)
    if bpr.coverage_size is None:
        raise not_found(f"{holder}'s BPR recorded no coverage snapshot (issued before Coverage)")
    return bpr, int(bpr.coverage_size)


@router.get(
    "/bprs/{holder}",
    summary="One BPR holding, with its coverage snapshot",
    description="The holder's pool licence (its latest, held or ended) and its snapshot: "
    "the Coverage log's size when it was converted or granted and the root of that size.",
    response_model=BprOut,
    responses=responses(404),
)
def bpr(holder: AddressP, s: Db, svc: Svc) -> dict[str, Any]:
    return q.to_json(_holding(s, svc.chain_id, holder))


@router.get(
    "/bprs/{holder}/coverage",
    summary="The patents a BPR covered on its date",
    description="The entry leaves of the stays open in the first `coverage_size` leaves of "
    "the pool's Coverage log (the pooled set the BPR's snapshot names), in the order the "
    "patents entered the pool.",
    response_model=Page[CoverageChangeOut],
    responses=responses(404),
)
def bpr_coverage(
    holder: AddressP, s: Db, svc: Svc, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    chain = svc.chain_id
    _, size = _snapshot(s, chain, holder)
    c = db.CoverageChange
    ended = select(c.stay).where(c.chain_id == chain, c.entering.is_(False), c.index < size)
    stmt = select(c).where(
        c.chain_id == chain, c.entering.is_(True), c.index < size, c.index.not_in(ended)
    )
    return q.page(s, stmt.order_by(c.index), limit, offset)


@router.get(
    "/bprs/{holder}/coverage/{patent_id}",
    summary="The proof that a BPR covered a patent",
    description="The Merkle proof of the patent's stay in the holder's snapshot, which "
    "`bpsa.core.coverage.verify` checks off chain and Licensing.covers on chain. 404 names "
    "why a patent was not covered: never pooled, pooled only after the snapshot, or out of "
    "the pool on its date.",
    response_model=CoverageProofOut,
    responses=responses(404),
)
def bpr_coverage_proof(holder: AddressP, patent_id: Hex32P, s: Db, svc: Svc) -> dict[str, Any]:
    chain = svc.chain_id
    bpr, size = _snapshot(s, chain, holder)
    c = db.CoverageChange
    rows = s.scalars(select(c).where(c.chain_id == chain).order_by(c.index)).all()
    log = cov.CoverageLog(
        cov.Change(r.index, bytes.fromhex(r.patent_id[2:]), r.stay, r.entering, r.at) for r in rows
    )
    if len(log) < size:
        raise not_found(f"the indexer has not yet read the log up to {holder}'s snapshot")
    try:
        proof = log.prove(size, bytes.fromhex(db.hex32(patent_id)[2:]))
    except cov.NotCovered as exc:
        raise not_found(f"{patent_id} was not covered by {holder}'s BPR: {exc}") from None
    return {"holder": to_checksum_address(bpr.holder), **proof.to_json()}


@router.get(
    "/device-batches",
    summary="Device batches (licences by production batch)",
    response_model=Page[DeviceBatchOut],
)
def device_batches(
    s: Db,
    svc: Svc,
    maker: AddressQ = None,
    product: Hex32Q = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = q.filtered(
        select(db.DeviceBatch).where(db.DeviceBatch.chain_id == svc.chain_id),
        (db.DeviceBatch.maker, maker, db.addr),
        (db.DeviceBatch.product, product, db.hex32),
    )
    stmt = stmt.order_by(db.DeviceBatch.batch_id.desc())
    return svc.documents.agreements(q.page(s, stmt, limit, offset))


@router.get(
    "/device-batches/{batch_id}",
    summary="One device batch",
    response_model=DeviceBatchOut,
    responses=responses(404),
)
def device_batch(batch_id: IdP, s: Db, svc: Svc) -> dict[str, Any]:
    found = q.one(s, db.DeviceBatch, (svc.chain_id, batch_id), f"no device batch #{batch_id}")
    return svc.documents.agreements(q.to_json(found))


@router.get(
    "/agreements",
    summary="The standard licence agreements, every version",
    description="The agreement documents the council set for each kind of licence (bpr: "
    "every BPR tier; per-patent: a listing that names no document of its own; device: a "
    "device batch), newest version first, each by the CIDv1 of the document pinned to IPFS. "
    "A licence keeps the version in force when it was made; its own `agreement` names it.",
    response_model=Page[AgreementOut],
)
def agreements(
    s: Db,
    svc: Svc,
    kind: Annotated[AgreementKindName | None, Query(description="Only this kind.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = select(db.Agreement).where(db.Agreement.chain_id == svc.chain_id)
    if kind is not None:
        stmt = stmt.where(db.Agreement.kind == code_of(AgreementKind, kind))
    stmt = stmt.order_by(db.Agreement.kind, db.Agreement.version.desc())
    return svc.documents.agreements(q.page(s, stmt, limit, offset))
