"""The pool, from the indexer's database: members, patents (filters and full history),
certificates with their IPFS documents, cases, NAV history, royalties, a summary."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import and_, false, func, not_, select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api import queries as q
from bpsa.api.errors import not_found, responses
from bpsa.api.models import (
    CaseOfferOut,
    CaseOut,
    CertificateOut,
    MemberOut,
    NavPointOut,
    Page,
    PatentDetail,
    PatentEventOut,
    PatentOut,
    PoolSummary,
    RoyaltyOut,
)
from bpsa.api.params import (
    AddressP,
    AddressQ,
    CaseStatusName,
    CertStatusName,
    FamilyP,
    FamilyQ,
    Hex32P,
    Hex32Q,
    IdP,
    KindName,
    Limit,
    MemberStatusName,
    Offset,
    PatentStatusName,
    RoleName,
    code_of,
)
from bpsa.api.services import Db, Svc
from bpsa.core import codes
from bpsa.core.families import family_id

router = APIRouter(responses=responses(422, 503))


def _stale_now(s: Session, chain: int, now: int | None, nav: Any) -> dict[str, Any]:
    """The pooled value in stale valuations as of the indexed head (`now`): its amount, its
    share of what the NAV counts and how many patents (summed here: SQLite has no uint256
    SUM)."""
    values: list[int | None] = []
    if now is not None:
        values = list(
            s.scalars(
                select(db.Patent.valuation).where(
                    db.Patent.chain_id == chain,
                    db.Patent.status == int(codes.PatentStatus.POOLED),
                    db.Patent.rating_due_at <= now,
                )
            ).all()
        )
    value = sum(v or 0 for v in values)
    counted = (nav.pooled_value + nav.treasury_value) if nav is not None else 0
    return {
        "as_of": now,
        "value": str(value),
        "share": value / counted if counted else None,
        "patents": len(values),
    }


@router.get("/pool", tags=["pool"], summary="The pool at a glance", response_model=PoolSummary)
def summary(s: Db, svc: Svc) -> dict[str, Any]:
    chain = svc.chain_id
    cursor = s.get(db.Cursor, chain)
    active = s.scalar(
        select(func.count())
        .select_from(db.Member)
        .where(db.Member.chain_id == chain, db.Member.status == int(codes.Status.ACTIVE))
    )
    by_status = s.execute(
        select(db.Patent.status, func.count())
        .where(db.Patent.chain_id == chain)
        .group_by(db.Patent.status)
    ).all()
    nav = q.latest(s, db.NavPoint, chain)
    totals = s.get(db.RoyaltyTotals, chain)
    stale = _stale_now(s, chain, cursor.block_time if cursor else None, nav)
    open_cases = s.scalar(
        select(func.count())
        .select_from(db.Case)
        .where(
            db.Case.chain_id == chain,
            db.Case.status.in_([int(codes.CaseStatus.FILED), int(codes.CaseStatus.AUTHORISED)]),
        )
    )
    patents: dict[str, int] = {}
    for status, count in by_status:
        found = q.label(codes.PatentStatus, status)
        patents[found["label"] if found else "unknown"] = count
    return {
        "chain_id": chain,
        "network": svc.manifest.network,
        "indexed_block": cursor.block_number if cursor else None,
        "indexed_time": cursor.block_time if cursor else None,
        "members_active": active or 0,
        "patents": patents,
        "nav": q.to_json(nav) if nav else None,
        "stale": stale,
        "royalties_in": str(totals.fees_in if totals else 0),
        "cases_open": open_cases or 0,
    }


@router.get("/members", tags=["members"], summary="Members", response_model=Page[MemberOut])
def members(
    s: Db,
    svc: Svc,
    status: Annotated[MemberStatusName | None, Query(description="Only this status.")] = None,
    kind: Annotated[KindName | None, Query(description="Only this kind.")] = None,
    role: Annotated[RoleName | None, Query(description="Only members holding this role.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = select(db.Member).where(db.Member.chain_id == svc.chain_id)
    if status:
        stmt = stmt.where(db.Member.status == code_of(codes.Status, status))
    if kind:
        stmt = stmt.where(db.Member.kind == code_of(codes.Kind, kind))
    if role:
        bit = code_of(codes.Role, role)
        stmt = stmt.where(db.Member.roles.op("&")(bit) == bit)
    stmt = stmt.order_by(db.Member.applied_at, db.Member.address)
    return q.page(s, stmt, limit, offset)


@router.get(
    "/members/{address}",
    tags=["members"],
    summary="One member",
    response_model=MemberOut,
    responses=responses(404),
)
def member(address: AddressP, s: Db, svc: Svc) -> dict[str, Any]:
    return q.to_json(q.one(s, db.Member, (svc.chain_id, db.addr(address)), f"no member {address}"))


def _stale_filter(stmt: Any, stale: bool, now: int | None) -> Any:
    """Patents whose valuation is (or is not) stale as of `now`, the indexed head's time."""
    p = db.Patent
    is_stale = and_(p.status.in_(db.VALUED), p.rating_due_at.is_not(None), p.rating_due_at <= now)
    if now is None:  # nothing indexed yet: nothing is stale
        return stmt.where(false()) if stale else stmt
    return stmt.where(is_stale if stale else not_(is_stale))


def _family(text: str) -> str:
    """A family given as a 0x id (as stored: lowercase) or as its text (DOCDB:<number>,
    PRIORITY:<office> <application>: hashed as bpsa.core.families.family_id does)."""
    if text.startswith("0x"):
        return db.hex32(text)
    return "0x" + family_id(text).hex()


def _patents(
    chain: int,
    office: str | None,
    status: str | None,
    rating_min: int | None,
    rating_max: int | None,
    collection: str | None,
    provider: str | None,
) -> Any:
    stmt = select(db.Patent).where(db.Patent.chain_id == chain)
    if office:
        stmt = stmt.where(db.Patent.office == office.upper())
    if status:
        stmt = stmt.where(db.Patent.status == code_of(codes.PatentStatus, status))
    if rating_min is not None:
        stmt = stmt.where(db.Patent.rating >= rating_min)
    if rating_max is not None:
        stmt = stmt.where(db.Patent.rating <= rating_max)
    if collection:
        stmt = stmt.where(db.Patent.collection == collection)
    if provider:
        stmt = stmt.where(db.Patent.provider == db.addr(provider))
    return stmt


Rating = Annotated[int | None, Query(ge=0, le=100, description="Settled score bound (0-100).")]


@router.get(
    "/patents",
    tags=["patents"],
    summary="Patents, filtered",
    description="Filters combine: office (CN, US, EP...), status, a settled rating range, the "
    "collection (the pool's collection name, PatentPool.collection()), the provider, "
    "stale (valuations past their re-rating date, as of the indexed head's block time, not "
    "the wall clock) and the family. Newest first.",
    response_model=Page[PatentOut],
    responses=responses(400),
)
def patents(
    s: Db,
    svc: Svc,
    office: Annotated[str | None, Query(min_length=2, max_length=8, pattern=r"^[A-Za-z]+$")] = None,
    status: PatentStatusName | None = None,
    rating_min: Rating = None,
    rating_max: Rating = None,
    collection: Annotated[str | None, Query(max_length=64)] = None,
    provider: AddressQ = None,
    stale: Annotated[
        bool | None,
        Query(
            description="true: only rated or pooled patents whose re-rating date has passed "
            "as of the indexed head's block time (GET /pool indexed_time); false: the others."
        ),
    ] = None,
    family: FamilyQ = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = _patents(svc.chain_id, office, status, rating_min, rating_max, collection, provider)
    if stale is not None:
        stmt = _stale_filter(stmt, stale, db.head_time(s, svc.chain_id))
    if family:
        stmt = stmt.where(db.Patent.family == _family(family))
    stmt = stmt.order_by(db.Patent.submitted_at.desc(), db.Patent.patent_id)
    return svc.documents.page(q.page(s, stmt, limit, offset))


@router.get(
    "/families/{family}",
    tags=["patents"],
    summary="A patent family: its patents in every office, together",
    description="The patents that share a family id (Families.vy), by office and number. "
    "The family is its 0x id or its text: DOCDB:<family number> or PRIORITY:<office> "
    "<application> (the id is the keccak-256 of that text). Each patent carries its "
    "status, valuation, rating_due and stale flag (as of the indexed head).",
    response_model=Page[PatentOut],
    responses=responses(400, 404),
)
def family_patents(
    family: FamilyP, s: Db, svc: Svc, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    fid = _family(family)
    stmt = (
        select(db.Patent)
        .where(db.Patent.chain_id == svc.chain_id, db.Patent.family == fid)
        .order_by(db.Patent.office, db.Patent.number)
    )
    found = q.page(s, stmt, limit, offset)
    if found["total"] == 0:
        raise not_found(f"no patent in family {fid}")
    return svc.documents.page(found)


@router.get(
    "/patents/{patent_id}",
    tags=["patents"],
    summary="One patent, with its ratings, certificates, licence listings and mandate",
    response_model=PatentDetail,
    responses=responses(404),
)
def patent(patent_id: Hex32P, s: Db, svc: Svc) -> dict[str, Any]:
    pid = db.hex32(patent_id)
    row = q.one(s, db.Patent, (svc.chain_id, pid), f"no patent {patent_id}")

    def of_patent(model: Any, order: Any) -> list[dict[str, Any]]:
        where = (model.chain_id == svc.chain_id, model.patent_id == pid)
        return q.each(s.scalars(select(model).where(*where).order_by(order)).all())

    return svc.documents.name(
        q.to_json(row)
        | {
            "ratings": of_patent(db.Rating, db.Rating.round),
            "certificates": of_patent(db.Certificate, db.Certificate.accepted_block),
            "listings": of_patent(db.Listing, db.Listing.listing_id),
            "mandates": of_patent(db.TrusteeshipMandate, db.TrusteeshipMandate.offered_at),
        }
    )


@router.get(
    "/patents/{patent_id}/history",
    tags=["patents"],
    summary="A patent's full history",
    description="Every event that names the patent, in chain order, with its status after.",
    response_model=Page[PatentEventOut],
    responses=responses(404),
)
def history(
    patent_id: Hex32P, s: Db, svc: Svc, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    pid = db.hex32(patent_id)
    q.one(s, db.Patent, (svc.chain_id, pid), f"no patent {patent_id}")
    stmt = (
        select(db.PatentEvent)
        .where(db.PatentEvent.chain_id == svc.chain_id, db.PatentEvent.patent_id == pid)
        .order_by(db.PatentEvent.id)
    )
    return q.page(s, stmt, limit, offset)


@router.get(
    "/certificates",
    tags=["patents"],
    summary="Certificates with their IPFS documents",
    response_model=Page[CertificateOut],
)
def certificates(
    s: Db,
    svc: Svc,
    patent_id: Hex32Q = None,
    status: CertStatusName | None = None,
    owner: AddressQ = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = q.filtered(
        select(db.Certificate).where(db.Certificate.chain_id == svc.chain_id),
        (db.Certificate.patent_id, patent_id, db.hex32),
        (db.Certificate.status, status, partial(code_of, codes.CertStatus)),
        (db.Certificate.owner, owner, db.addr),
    )
    stmt = stmt.order_by(db.Certificate.accepted_block.desc(), db.Certificate.patent_id)
    return svc.documents.page(q.page(s, stmt, limit, offset))


@router.get("/cases", tags=["cases"], summary="Infringement cases", response_model=Page[CaseOut])
def cases(
    s: Db,
    svc: Svc,
    patent_id: Hex32Q = None,
    status: CaseStatusName | None = None,
    centre: AddressQ = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = q.filtered(
        select(db.Case).where(db.Case.chain_id == svc.chain_id),
        (db.Case.patent_id, patent_id, db.hex32),
        (db.Case.status, status, partial(code_of, codes.CaseStatus)),
        (db.Case.centre, centre, db.addr),
    )
    return q.page(s, stmt.order_by(db.Case.case_id.desc()), limit, offset)


@router.get(
    "/cases/{case_id}",
    tags=["cases"],
    summary="One case",
    response_model=CaseOut,
    responses=responses(404),
)
def case(case_id: IdP, s: Db, svc: Svc) -> dict[str, Any]:
    return q.to_json(q.one(s, db.Case, (svc.chain_id, case_id), f"no case #{case_id}"))


@router.get(
    "/cases/{case_id}/offers",
    tags=["cases"],
    summary="A case's settlement offers, newest first",
    response_model=Page[CaseOfferOut],
    responses=responses(404),
)
def case_offers(
    case_id: IdP, s: Db, svc: Svc, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    q.one(s, db.Case, (svc.chain_id, case_id), f"no case #{case_id}")
    stmt = select(db.CaseOffer).where(
        db.CaseOffer.chain_id == svc.chain_id, db.CaseOffer.case_id == case_id
    )
    return q.page(s, stmt.order_by(db.CaseOffer.offer_id.desc()), limit, offset)


@router.get(
    "/nav",
    tags=["pool"],
    summary="NAV history",
    description="The pool's value, BPC supply and NAV after every block that changed them, "
    "oldest first.",
    response_model=Page[NavPointOut],
)
def nav(
    s: Db,
    svc: Svc,
    from_block: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
    limit: Limit = 500,
    offset: Offset = 0,
) -> dict[str, Any]:
    stmt = (
        select(db.NavPoint)
        .where(db.NavPoint.chain_id == svc.chain_id, db.NavPoint.block_number >= from_block)
        .order_by(db.NavPoint.block_number)
    )
    return q.page(s, stmt, limit, offset)


@router.get(
    "/royalties",
    tags=["royalties"],
    summary="Royalties per contributor and centre",
    response_model=Page[RoyaltyOut],
)
def royalties(s: Db, svc: Svc, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    stmt = (
        select(db.Royalty)
        .where(db.Royalty.chain_id == svc.chain_id)
        .order_by(db.Royalty.accrued.desc(), db.Royalty.account)
    )
    return q.page(s, stmt, limit, offset)


@router.get(
    "/royalties/{account}",
    tags=["royalties"],
    summary="One account's royalties",
    response_model=RoyaltyOut,
    responses=responses(404),
)
def royalty(account: AddressP, s: Db, svc: Svc) -> dict[str, Any]:
    return q.to_json(
        q.one(s, db.Royalty, (svc.chain_id, db.addr(account)), f"no royalty account {account}")
    )
