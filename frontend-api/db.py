"""The query database: what the indexer writes and the API reads (SQLAlchemy 2).

One schema for SQLite (a path, the default) and PostgreSQL (a
`postgresql+psycopg://` URL). Every derived row carries the `chain_id` of the
collection it belongs to, so several collections (one manifest each) can share
one database.

Conventions:
- uint256 values are exact Python ints in a `Uint256` column: NUMERIC(78, 0) on
  PostgreSQL, a 78-digit zero-padded decimal string on SQLite (so `<`, `>`,
  `ORDER BY` compare numerically on both; `SUM` is for PostgreSQL only).
- Addresses, bytes32 ids and hashes are lowercase `0x` hex (`addr()`/`hex32()`
  normalise user input the same way); CIDs of IPFS documents are CIDv1 base32
  strings (`bpsa.core.cid.cid_from_digest`).
- Times are the block's unix timestamp (seconds, an int).
- Status, kind, source and role numbers are `bpsa.core.codes` values.

Two kinds of tables:
- bookkeeping, written only by the indexer: `collections`, `cursors`, `blocks`
  and `events` (every raw log, unique per (chain_id, block_hash, log_index));
- derived tables, a pure function of the raw events (the indexer rebuilds them
  from `events` after a reorganisation): members, patents and their history,
  ratings, certificates and batches, listings, licences, BPR holdings, device
  batches, claim nonce floors, cases, NAV history, royalties, tiers and settings,
  channels, proposals, token balances.

    from bpsa.api import db
    engine = db.connect("indexer.sqlite")            # or "postgresql+psycopg://..."
    db.create_all(engine)
    with db.session(engine) as s:
        s.scalars(select(db.Patent).where(db.Patent.status == 4)).all()
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Dialect,
    Engine,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    object_session,
    sessionmaker,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

from bpsa.api import entity
from bpsa.api.entity import column, computed
from bpsa.core import codes
from bpsa.core.errors import InputError

UINT256_MAX = 2**256 - 1
_WIDTH = 78  # digits of 2**256 - 1


class DatabaseError(InputError):
    """A database URL or path that cannot be opened, with what was wrong."""


class Uint256(TypeDecorator[int]):
    """An exact unsigned 256-bit integer: NUMERIC(78,0) on PostgreSQL, a
    zero-padded 78-digit string on SQLite (orders and compares like the number).
    The API shows it as a decimal string (`entity.Wei` unless a column says otherwise)."""

    impl = String(_WIDTH)
    cache_ok = True
    api_type = entity.Wei

    @property
    def python_type(self) -> type[int]:
        return int

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(_WIDTH, 0, asdecimal=True))
        return dialect.type_descriptor(String(_WIDTH))

    def process_bind_param(self, value: int | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = int(value)
        if not 0 <= value <= UINT256_MAX:
            raise ValueError(f"{value} is not a uint256")
        if dialect.name == "postgresql":
            return value
        return str(value).zfill(_WIDTH)

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int(value)


def Address(**kw: Any) -> Any:
    """An address column (lowercase 0x hex); the API's `entity.Address`."""
    return column(String(42), out=entity.Address, **kw)


def Hex32(**kw: Any) -> Any:
    """A bytes32 column (lowercase 0x hex); the API's `entity.Hex32`."""
    return column(String(66), out=entity.Hex32, **kw)


def AgreementCid(**kw: Any) -> Any:
    """The CIDv1 of the agreement document a licence was made under (null: none named)."""
    return column(
        String(100),
        default=None,
        description="The CIDv1 (base32) of the agreement document it was made under, pinned "
        "to IPFS; null when none was named (no standard agreement was set then).",
        **kw,
    )


def ChainId() -> Any:
    """The chain a derived row belongs to: the first part of its key, never in the API
    (a service answers for one chain)."""
    return column(BigInteger, primary_key=True, autoincrement=False, private=True)


_ADDR = re.compile(r"^0x[0-9a-fA-F]{40}$")
_HEX32 = re.compile(r"^0x[0-9a-fA-F]{64}$")


def addr(text: str) -> str:
    """A user-given address as the database stores it (lowercase 0x hex)."""
    if not isinstance(text, str) or not _ADDR.match(text):
        raise InputError(f"{text!r} is not a 0x-prefixed 20-byte hex address")
    return text.lower()


def hex32(text: str) -> str:
    """A user-given bytes32 (patent id, hash, root) as stored (lowercase 0x hex)."""
    if not isinstance(text, str) or not _HEX32.match(text):
        raise InputError(f"{text!r} is not a 0x-prefixed 32-byte hex value")
    return text.lower()


class Base(DeclarativeBase):
    """Every table. A class with `__api__` (the name of its OpenAPI schema) is also an
    entity the API serves: `entity.model(cls)` and `entity.to_json(row)` (see entity.py)."""


# ---------------------------------------------------------------- bookkeeping


class Collection(Base):
    """One indexed deployment (a manifest): its chain, name and contracts."""

    __tablename__ = "collections"
    chain_id: Mapped[int] = ChainId()
    network: Mapped[str] = mapped_column(String(64))
    collection: Mapped[str] = mapped_column(String(8), default="BPC")  # the pool's symbol
    # {"Alliance": {"address": "0x..", "block": 2}, ...} as in the manifest
    contracts: Mapped[dict[str, Any]] = mapped_column(JSON)
    start_block: Mapped[int] = mapped_column(BigInteger)


class Cursor(Base):
    """The last block the indexer fully processed on a chain, with its hash."""

    __tablename__ = "cursors"
    chain_id: Mapped[int] = ChainId()
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = Hex32()
    block_time: Mapped[int] = mapped_column(BigInteger)


class Block(Base):
    """Blocks the indexer stored (those with events, and cursor blocks): for
    timestamps and for finding the common ancestor after a reorganisation."""

    __tablename__ = "blocks"
    chain_id: Mapped[int] = ChainId()
    number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = Hex32()
    time: Mapped[int] = mapped_column(BigInteger)


class Event(Base):
    """A raw log of a suite contract, decoded. `args` is a JSON object: uints as
    decimal strings, addresses/bytes32/bytes as lowercase 0x hex, bools, strings,
    lists and objects (tuples) as decoded."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("chain_id", "block_hash", "log_index", name="uq_events_log"),
        Index("ix_events_order", "chain_id", "block_number", "log_index"),
        Index("ix_events_name", "chain_id", "contract", "event"),
        Index("ix_events_tx", "tx_hash"),
    )
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    chain_id: Mapped[int] = mapped_column(BigInteger)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = Hex32()
    block_time: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = Hex32()
    tx_index: Mapped[int] = mapped_column(Integer)
    log_index: Mapped[int] = mapped_column(Integer)
    contract: Mapped[str] = mapped_column(String(32))  # manifest name: "PatentPool", "Council"
    address: Mapped[str] = Address()
    event: Mapped[str] = mapped_column(String(48))
    args: Mapped[dict[str, Any]] = mapped_column(JSON)


# ---------------------------------------------------------------- members, governance


class Member(Base):
    """An alliance member (or applicant): kind, status, roles, identity record."""

    __tablename__ = "members"
    __api__ = "MemberOut"
    chain_id: Mapped[int] = ChainId()
    address: Mapped[str] = Address(primary_key=True)
    kind: Mapped[int] = column(Integer, label=codes.Kind)
    status: Mapped[int] = column(Integer, index=True, label=codes.Status)
    role_names = computed(
        list[str],
        lambda m: codes.role_names(m.roles),
        api_name="roles",
        examples=[["provider", "demander"]],
    )
    roles: Mapped[int] = column(BigInteger, default=0, api_name="role_bits")  # codes.Role bits
    market_share_bps: Mapped[int] = mapped_column(Integer, default=0)
    identity: Mapped[str] = Hex32()  # sha2-256 digest of the KYC record's CID
    identity_cid: Mapped[str] = mapped_column(String(80))
    application: Mapped[int] = column(
        BigInteger, description="The number of its latest application"
    )
    applied_at: Mapped[int] = mapped_column(BigInteger)
    active_since_block: Mapped[int | None] = column(
        BigInteger,
        default=None,
        description="The block of its latest admission or reinstatement, as "
        "Alliance.active_since answers (a congress seat votes only on proposals made in "
        "a later block); null while it has never been active.",
    )
    activated_at: Mapped[int | None] = column(
        BigInteger,
        default=None,
        description="The time (unix seconds) of that block.",
    )
    updated_block: Mapped[int] = column(BigInteger, private=True)


class Proposal(Base):
    """A proposal of the council or the congress (`body` = manifest name)."""

    __tablename__ = "proposals"
    chain_id: Mapped[int] = ChainId()
    body: Mapped[str] = mapped_column(String(32), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    proposer: Mapped[str] = Address()
    description: Mapped[str] = mapped_column(Text)
    calls: Mapped[list[Any]] = mapped_column(JSON)  # [{"target": "0x..", "data": "0x.."}]
    vote_end: Mapped[int] = mapped_column(BigInteger)
    eta: Mapped[int] = mapped_column(BigInteger)
    expires: Mapped[int] = mapped_column(BigInteger)
    seats: Mapped[int] = mapped_column(Integer)
    yes: Mapped[int] = mapped_column(Integer, default=0)
    no: Mapped[int] = mapped_column(Integer, default=0)
    abstain: Mapped[int] = mapped_column(Integer, default=0)
    executed: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_block: Mapped[int] = mapped_column(BigInteger)


# ---------------------------------------------------------------- patents


def iso_time(timestamp: int | None) -> str | None:
    """Unix seconds as ISO-8601 UTC ("2027-01-31T12:00:00Z"), or None."""
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# A rated or pooled patent's valuation counts (in the NAV, or when it is pooled): only those
# are flagged stale, as PatentPool.rating_due flags them.
VALUED = (int(codes.PatentStatus.RATED), int(codes.PatentStatus.POOLED))


def head_time(session: Session, chain_id: int) -> int | None:
    """The indexed head's block time on `chain_id` (what "stale" is as of), or None before
    the first block. The cursor row is read once per session (the identity map keeps it)."""
    cursor = session.get(Cursor, chain_id)
    return cursor.block_time if cursor is not None else None


def _stale(patent: Patent) -> bool | None:
    """Whether the patent's valuation is past its re-rating date as of the indexed head
    (None for a row outside a session)."""
    session = object_session(patent)
    if session is None:
        return None
    if patent.status not in VALUED or patent.rating_due_at is None:
        return False
    now = head_time(session, patent.chain_id)
    return now is not None and now >= patent.rating_due_at


class Patent(Base):
    """A patent in the registry (latest life: a resubmission after removal
    overwrites the record; `patent_events` keeps every life)."""

    __tablename__ = "patents"
    __api__ = "PatentOut"
    __table_args__ = (
        Index("ix_patents_office_number", "office", "number"),
        Index("ix_patents_status", "chain_id", "status"),
        Index("ix_patents_due", "chain_id", "status", "rating_due_at"),
        Index("ix_patents_family", "chain_id", "family"),
    )
    chain_id: Mapped[int] = ChainId()
    patent_id: Mapped[str] = Hex32(primary_key=True)  # keccak of (office, number)
    collection: Mapped[str] = mapped_column(String(8), index=True)  # the manifest's symbol ("BPC")
    office: Mapped[str] = column(String(8), examples=["CN"])
    number: Mapped[str] = column(String(64), examples=["ZL201810123456.7"])
    provider: Mapped[str] = Address(index=True)  # the contributor (the fund for purchased/filed)
    centre: Mapped[str | None] = Address(default=None)  # trusteeship centre
    source: Mapped[int] = column(Integer, label=codes.Source)
    status: Mapped[int] = column(Integer, label=codes.PatentStatus)
    document: Mapped[str] = Hex32()
    document_cid: Mapped[str] = mapped_column(String(80))
    rating: Mapped[int | None] = column(
        Integer, default=None, description="Settled expert score 0-100."
    )
    valuation: Mapped[int | None] = column(
        Uint256, default=None, description="Settled valuation (18 decimals, valuation unit)."
    )
    rounds: Mapped[int] = mapped_column(Integer, default=0)  # settled rating rounds
    rated_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    rating_due_at: Mapped[int | None] = column(
        BigInteger,
        default=None,
        description="When the valuation falls due for re-rating (unix seconds): its last "
        "settled rating + the pool's re-rating interval now (PatentPool.rating_due); null: "
        "never rated.",
    )
    rating_due = computed(
        str | None,
        lambda p: iso_time(p.rating_due_at),
        description="rating_due_at as ISO-8601 UTC.",
        examples=["2027-01-31T12:00:00Z"],
    )
    stale = computed(
        bool | None,
        _stale,
        description="Whether the valuation is stale: the patent is rated or pooled and its "
        "re-rating date has passed AS OF THE INDEXED HEAD'S BLOCK TIME (GET /pool "
        "indexed_time), not the wall clock: an indexer behind the chain flags later.",
    )
    family: Mapped[str | None] = Hex32(
        default=None,
        description="The patent family's id (Families.family_of: keccak-256 of 'DOCDB:<family "
        "number>' or 'PRIORITY:<office> <application>'); null: none set.",
    )
    minted: Mapped[int | None] = mapped_column(Uint256, default=None)  # BPC minted when pooled
    certificate_owner: Mapped[str | None] = Address(default=None)
    certificate_expiry: Mapped[int | None] = mapped_column(BigInteger, default=None)
    certificate_nonce: Mapped[int | None] = column(BigInteger, default=None, private=True)
    right_ends: Mapped[int] = mapped_column(BigInteger, default=0)
    removal_reason: Mapped[int | None] = column(Integer, default=None, label=codes.Removal)
    lapse: Mapped[int | None] = column(Integer, default=None, label=codes.Lapse)
    submitted_at: Mapped[int] = mapped_column(BigInteger)
    pooled_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    updated_at: Mapped[int] = mapped_column(BigInteger)
    updated_block: Mapped[int] = column(BigInteger, private=True)


class PatentEvent(Base):
    """A patent's full history: every event that names it, in chain order."""

    __tablename__ = "patent_events"
    __api__ = "PatentEventOut"
    __table_args__ = (Index("ix_patent_events_patent", "chain_id", "patent_id", "id"),)
    id: Mapped[int] = column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, private=True
    )
    chain_id: Mapped[int] = column(BigInteger, private=True)
    patent_id: Mapped[str] = Hex32(private=True)
    event_id: Mapped[int] = column(ForeignKey("events.id", ondelete="CASCADE"), private=True)
    contract: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = column(String(48), examples=["Pooled"])
    # the patent's status after it (0: unknown)
    status: Mapped[int] = column(Integer, api_name="status_after", label=codes.PatentStatus)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_time: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = Hex32()
    log_index: Mapped[int] = mapped_column(Integer)
    args: Mapped[dict[str, Any]] = mapped_column(JSON)


class Rating(Base):
    """One expert's ballot in a rating round."""

    __tablename__ = "ratings"
    __api__ = "RatingOut"
    chain_id: Mapped[int] = ChainId()
    patent_id: Mapped[str] = Hex32(primary_key=True, private=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    expert: Mapped[str] = Address(primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    valuation: Mapped[int] = mapped_column(Uint256)
    reasoning: Mapped[str | None] = Hex32(
        default=None, description="The sha2-256 digest of the reasoning document's CID."
    )
    reasoning_cid: Mapped[str | None] = column(
        String(80),
        default=None,
        description="The expert's reasoning document, CIDv1 (as `ipfs add --cid-version 1` "
        "gives it).",
    )
    block_number: Mapped[int] = mapped_column(BigInteger)


class Certificate(Base):
    """An oracle-attested certificate of a patent's document (latest nonce)."""

    __tablename__ = "certificates"
    __api__ = "CertificateOut"
    chain_id: Mapped[int] = ChainId()
    patent_id: Mapped[str] = Hex32(primary_key=True)
    document: Mapped[str] = Hex32(primary_key=True)
    document_cid: Mapped[str] = column(
        String(80),
        description="The IPFS CID (v1) of the certified document, read with the raw codec: "
        "its CID when it is one chunk (up to 256 KiB); a larger document is an IPFS file "
        "whose CID is the same digest as dag-pb (bafybei...), which the content store's "
        "resolve() tells from the document's root block.",
    )
    document_url = computed(
        str, lambda c: f"ipfs://{c.document_cid}", examples=["ipfs://bafkrei..."]
    )
    owner: Mapped[str] = Address()
    # REVOKED after revocation
    status: Mapped[int] = column(Integer, label=codes.CertStatus)
    expiry: Mapped[int] = mapped_column(BigInteger)
    nonce: Mapped[int] = mapped_column(BigInteger)
    batch_root: Mapped[str | None] = Hex32(default=None)  # set when proven from a batch
    accepted_at: Mapped[int] = mapped_column(BigInteger)
    accepted_block: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger, default=None)


class CertificateBatch(Base):
    __tablename__ = "certificate_batches"
    chain_id: Mapped[int] = ChainId()
    root: Mapped[str] = Hex32(primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger)
    signers: Mapped[list[str]] = mapped_column(JSON)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_at: Mapped[int] = mapped_column(BigInteger)


# ---------------------------------------------------------------- licences


class Listing(Base):
    """Per-patent licence terms a provider or centre listed. `active` while it sells: it
    ends when withdrawn, or when its patent changes hands or leaves the pool (the
    patent's tenure it was made in is over)."""

    __tablename__ = "listings"
    __api__ = "ListingOut"
    chain_id: Mapped[int] = ChainId()
    listing_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    patent_id: Mapped[str] = Hex32(index=True)
    lister: Mapped[str] = Address()
    price: Mapped[int] = mapped_column(Uint256)
    duration: Mapped[int] = mapped_column(BigInteger)  # seconds
    field_of_use: Mapped[str] = mapped_column(String(64))
    territory: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = column(Boolean, default=True, description="Whether it sells now.")
    listed_at: Mapped[int] = mapped_column(BigInteger)
    tenure: Mapped[int] = column(
        BigInteger, default=0, description="The patent's tenure it was listed in."
    )
    agreement: Mapped[str | None] = AgreementCid()
    ended_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    end_reason: Mapped[str | None] = column(
        String(16),
        default=None,
        out=Literal["delisted", "changed hands", "left the pool"],
        description="Why it no longer sells: withdrawn, or its patent changed hands or left "
        "the pool (a listing belongs to the patent's owner when it was made).",
    )


class Licence(Base):
    """A per-patent licence bought on a listing (holder = licensee)."""

    __tablename__ = "licences"
    __api__ = "LicenceOut"
    chain_id: Mapped[int] = ChainId()
    licence_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    listing_id: Mapped[int] = mapped_column(BigInteger)
    patent_id: Mapped[str] = Hex32(index=True)
    holder: Mapped[str] = Address(index=True)
    price: Mapped[int] = mapped_column(Uint256)
    surcharge: Mapped[int] = mapped_column(Uint256)
    field_of_use: Mapped[str] = mapped_column(String(64))  # the listing's terms when bought
    territory: Mapped[str] = mapped_column(String(32))
    start: Mapped[int] = mapped_column(BigInteger)
    end: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = Hex32()
    agreement: Mapped[str | None] = AgreementCid()
    # An exclusive licence sold on the Exchange (listing_id 0; price from the sale).
    exclusive: Mapped[bool] = column(Boolean, default=False, private=True)


class BprHolding(Base):
    """A pool licence (BPR): converted (BPC locked at the holder's tier) or
    granted. A released or revoked one stays with `active` false; a later
    conversion by the same holder overwrites it."""

    __tablename__ = "bpr_holdings"
    __api__ = "BprOut"
    chain_id: Mapped[int] = ChainId()
    holder: Mapped[str] = Address(primary_key=True)
    tier: Mapped[int | None] = column(
        Integer,
        default=None,
        label=codes.Kind,
        description="The member kind it was converted at; null if granted.",
    )
    locked: Mapped[int] = mapped_column(Uint256)  # BPC locked (0 for a grant)
    unlocks_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    granted: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    since: Mapped[int] = mapped_column(BigInteger)
    ended_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    end_reason: Mapped[str | None] = mapped_column(String(16), default=None)  # released/revoked
    returned: Mapped[int | None] = column(Uint256, default=None, private=True)
    agreement_version: Mapped[int] = column(
        Integer, default=0, description="The BPR agreement version it was made under (0: none)."
    )
    agreement: Mapped[str | None] = AgreementCid()
    coverage_size: Mapped[int | None] = column(
        BigInteger,
        default=None,
        description="Its snapshot: the Coverage log's size when it was converted or granted "
        "(the patents it covered are that log's replay); null before Coverage.",
    )
    coverage_root: Mapped[str | None] = Hex32(
        default=None, description="The Coverage log's root at that size."
    )


class CoverageChange(Base):
    """One leaf of a pool's Coverage log: `patent_id` entered (`entering`) or left the
    pooled set at `at`; `stay` is the index of the stay's entry leaf (an entry names
    itself); `root` is the log's root after it (of `index` + 1 leaves)."""

    __tablename__ = "coverage_log"
    __api__ = "CoverageChangeOut"
    chain_id: Mapped[int] = ChainId()
    index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    patent_id: Mapped[str] = Hex32(index=True)
    stay: Mapped[int] = mapped_column(BigInteger, index=True)
    entering: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[int] = mapped_column(BigInteger)
    root: Mapped[str] = Hex32()


class DeviceBatch(Base):
    """A maker's production batch: the Merkle root of its device serials."""

    __tablename__ = "device_batches"
    __api__ = "DeviceBatchOut"
    chain_id: Mapped[int] = ChainId()
    batch_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    maker: Mapped[str] = Address(index=True)
    product: Mapped[str] = Hex32()
    root: Mapped[str] = Hex32(index=True)
    count: Mapped[int] = column(
        Uint256, out=int, description="Devices paid for: positions 0 to count - 1 verify."
    )
    fee: Mapped[int] = column(Uint256, description="Paid into the royalty split.")
    surcharge: Mapped[int] = column(
        Uint256, default=0, description="A non-member's surcharge, paid to the fund."
    )
    registered_at: Mapped[int] = mapped_column(BigInteger)
    agreement_version: Mapped[int] = column(
        Integer, default=0, description="The device agreement version in force (0: none)."
    )
    agreement: Mapped[str | None] = AgreementCid()


class ClaimFloor(Base):
    """A holder's licence claims with a nonce below `below_nonce` no longer hold."""

    __tablename__ = "claim_floors"
    chain_id: Mapped[int] = ChainId()
    holder: Mapped[str] = Address(primary_key=True)
    below_nonce: Mapped[int] = mapped_column(Uint256)


class Agreement(Base):
    """A version of the pool's standard licence agreement of one kind (1 BPR, 2
    per-patent, 3 device), as the council set it; every version stays (licences made
    under it name it)."""

    __tablename__ = "agreements"
    __api__ = "AgreementOut"
    chain_id: Mapped[int] = ChainId()
    kind: Mapped[int] = column(
        Integer,
        primary_key=True,
        autoincrement=False,
        description="1 (BPR, every tier), 2 (per-patent licence), 3 (device batch).",
    )
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    digest: Mapped[str] = column(
        String(66), out=entity.Hex32, description="The sha2-256 digest the contract stores."
    )
    agreement: Mapped[str] = column(
        String(100), description="The CIDv1 (base32) of the agreement document."
    )
    set_at: Mapped[int] = mapped_column(BigInteger)


class Tier(Base):
    """The published BPC price of one BPR per member kind (0: closed)."""

    __tablename__ = "tiers"
    __api__ = "TierPrice"
    chain_id: Mapped[int] = ChainId()
    kind: Mapped[int] = column(Integer, primary_key=True, autoincrement=False, label=codes.Kind)
    price: Mapped[int] = column(
        Uint256, description="BPC locked for one BPR; 0: no conversion (council grant)."
    )
    updated_at: Mapped[int] = mapped_column(BigInteger)


class Settings(Base):
    """The suite's published parameters, one row per chain (None until its
    setter's event is seen)."""

    __tablename__ = "settings"
    chain_id: Mapped[int] = ChainId()
    large_enterprise_price_per_bps: Mapped[int | None] = mapped_column(Uint256, default=None)
    min_term: Mapped[int | None] = mapped_column(BigInteger, default=None)
    surcharge_bps: Mapped[int | None] = mapped_column(Integer, default=None)
    device_free_per_year: Mapped[int | None] = mapped_column(Uint256, default=None)
    device_low_rate: Mapped[int | None] = mapped_column(Uint256, default=None)
    device_volume_break: Mapped[int | None] = mapped_column(Uint256, default=None)
    device_high_rate: Mapped[int | None] = mapped_column(Uint256, default=None)
    device_annual_cap: Mapped[int | None] = mapped_column(Uint256, default=None)
    contributor_bps: Mapped[int | None] = mapped_column(Integer, default=None)
    centre_bps: Mapped[int | None] = mapped_column(Integer, default=None)
    fund_bps: Mapped[int | None] = mapped_column(Integer, default=None)
    expert_threshold: Mapped[int | None] = mapped_column(Integer, default=None)
    core_threshold: Mapped[int | None] = mapped_column(Integer, default=None)
    rerate_interval: Mapped[int | None] = mapped_column(BigInteger, default=None)
    certificate_threshold: Mapped[int | None] = mapped_column(Integer, default=None)
    case_bond: Mapped[int | None] = mapped_column(Uint256, default=None)
    dismissed_bond_to_accused: Mapped[bool | None] = mapped_column(Boolean, default=None)
    challenge_window: Mapped[int | None] = mapped_column(BigInteger, default=None)
    exchange_pool_share_bps: Mapped[int | None] = mapped_column(Integer, default=None)


class ExchangeListing(Base):
    """A fixed-price listing on the Exchange: a patent's assignment (kind 1) or an
    exclusive licence of it (kind 2), by its contributor of record (the seller), an agent
    it mandated, or the council for the fund; state "open", "sold", "cancelled" or
    "ended" (the patent changed hands or started a new life: never buyable again)."""

    __tablename__ = "exchange_listings"
    chain_id: Mapped[int] = ChainId()
    listing_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    patent_id: Mapped[str] = Hex32(index=True)
    lister: Mapped[str] = Address()
    kind: Mapped[int] = mapped_column(Integer)
    seller: Mapped[str] = Address()
    price: Mapped[int] = mapped_column(Uint256)
    duration: Mapped[int] = mapped_column(BigInteger)  # exclusive licences: seconds
    field_of_use: Mapped[str] = mapped_column(String(64))
    territory: Mapped[str] = mapped_column(String(32))
    terms: Mapped[str] = Hex32()
    tenure: Mapped[int] = mapped_column(BigInteger, default=0)  # PatentPool.tenure_of then
    agreement: Mapped[str | None] = mapped_column(String(100), default=None)  # exclusive: CID
    state: Mapped[str] = mapped_column(String(10))
    listed_at: Mapped[int] = mapped_column(BigInteger)
    buyer: Mapped[str | None] = Address(default=None)
    licence_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    to_royalties: Mapped[int | None] = mapped_column(Uint256, default=None)
    to_seller: Mapped[int | None] = mapped_column(Uint256, default=None)
    closed_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    cancelled_by: Mapped[str | None] = Address(default=None)


class ExchangeMandate(Base):
    """A contributor's mandate on the Exchange: `agent` may list one kind of trade of the
    patent (1 assignment, 2 exclusive licence) at `floor_price` or more until `expiry`,
    in the patent's `tenure`; state "granted", "revoked" or "ended" (the patent changed
    hands or started a new life). A mandate granted again overwrites the row."""

    __tablename__ = "exchange_mandates"
    chain_id: Mapped[int] = ChainId()
    patent_id: Mapped[str] = Hex32(primary_key=True)
    agent: Mapped[str] = Address(primary_key=True)
    kind: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    contributor: Mapped[str] = Address()
    floor_price: Mapped[int] = mapped_column(Uint256)
    expiry: Mapped[int] = mapped_column(BigInteger)
    tenure: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(10))
    granted_at: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    revoked_by: Mapped[str | None] = Address(default=None)


class TrusteeshipMandate(Base):
    """A patent's trusteeship mandate (Mandates.vy), the latest offered: its contributor
    offered `centre` the agreement `terms` (its CID `terms_cid`), `share_bps` of the fees
    the patent earns alone, until `expiry`, in the patent's `tenure`; state "offered",
    "accepted" or "ended" (`end_reason`: codes.MandateEnd, or None when the patent changed
    hands or left the registry). A centre earns and acts for the patent only while its
    mandate is accepted and unexpired."""

    __tablename__ = "trusteeship_mandates"
    __api__ = "MandateOut"
    chain_id: Mapped[int] = ChainId()
    patent_id: Mapped[str] = Hex32(primary_key=True)
    contributor: Mapped[str] = Address()
    centre: Mapped[str] = Address()
    terms: Mapped[str] = Hex32()
    terms_cid: Mapped[str] = mapped_column(String(100))
    share_bps: Mapped[int] = mapped_column(Integer)
    expiry: Mapped[int] = mapped_column(BigInteger)
    tenure: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(10))
    offered_at: Mapped[int] = mapped_column(BigInteger)
    accepted_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    closed_at: Mapped[int | None] = mapped_column(BigInteger, default=None)
    end_reason: Mapped[int | None] = mapped_column(Integer, default=None)


# ---------------------------------------------------------------- cases, NAV, royalties


class Case(Base):
    """An infringement case a rights-protection centre filed, to its close."""

    __tablename__ = "cases"
    __api__ = "CaseOut"
    chain_id: Mapped[int] = ChainId()
    case_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    patent_id: Mapped[str] = Hex32(index=True)
    centre: Mapped[str] = Address()  # the filing rights-protection centre
    infringer: Mapped[str] = Hex32()  # identity digest
    accused: Mapped[str | None] = Address(
        default=None,
        description="The accused, a vetted member: named at filing or claimed; null if none",
    )
    product: Mapped[str] = Hex32()
    evidence: Mapped[str] = Hex32()
    evidence_cid: Mapped[str] = mapped_column(String(80))
    bond: Mapped[int] = mapped_column(Uint256)
    status: Mapped[int] = column(Integer, label=codes.CaseStatus)
    authorised_by: Mapped[str | None] = Address(default=None)
    tenure: Mapped[int | None] = column(BigInteger, default=None, private=True)  # authorised under
    offers_standing: Mapped[int] = column(
        Integer, default=0, description="Settlement offers standing, each under its id"
    )
    offered: Mapped[int] = column(Uint256, default=0, description="BPC held in the standing offers")
    agreed_offer: Mapped[int | None] = column(
        BigInteger,
        default=None,
        description="The offer the patent's provider accepted (a settlement's first key)",
    )
    accepted_offer: Mapped[int | None] = column(
        BigInteger, default=None, description="The offer the case was settled with"
    )
    settlement: Mapped[int | None] = mapped_column(Uint256, default=None)  # paid on settling
    resolver: Mapped[str | None] = Address(default=None)
    payer: Mapped[str | None] = Address(default=None, private=True)
    bond_returned: Mapped[int | None] = column(Uint256, default=None, private=True)
    bond_to: Mapped[str | None] = Address(default=None)  # dismissed: who got the bond
    filed_at: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[int | None] = mapped_column(BigInteger, default=None)


class CaseOffer(Base):
    """A settlement offer, each under its own id: standing until accepted or withdrawn."""

    __tablename__ = "case_offers"
    __api__ = "CaseOfferOut"
    chain_id: Mapped[int] = ChainId()
    offer_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(BigInteger, index=True)
    offerer: Mapped[str] = Address()
    amount: Mapped[int] = mapped_column(Uint256)
    status: Mapped[str] = column(String(10), out=Literal["standing", "accepted", "withdrawn"])
    made_at: Mapped[int] = mapped_column(BigInteger)
    closed_at: Mapped[int | None] = mapped_column(BigInteger, default=None)


def _share(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return (part or 0) / whole


class NavPoint(Base):
    """The pool's value and BPC supply at the end of each block that changed
    either. `nav` = (pooled_value + treasury_value) * 1e18 // supply (None while
    supply is 0): the fund's cash from BPC sales counts, as PatentPool.nav counts it."""

    __tablename__ = "nav_history"
    __api__ = "NavPointOut"
    chain_id: Mapped[int] = ChainId()
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    block_time: Mapped[int] = mapped_column(BigInteger)
    pooled_value: Mapped[int] = mapped_column(Uint256)
    treasury_value: Mapped[int] = column(
        Uint256,
        default=0,
        description="The fund's cash from BPC sales counted in the NAV: proceeds held plus "
        "proceeds spent on patents not yet pooled (18 decimals, valuation unit).",
    )
    supply: Mapped[int] = mapped_column(Uint256)
    stale_value: Mapped[int] = column(
        Uint256,
        default=0,
        description="The pooled value in stale valuations at this block's time: pooled "
        "patents past their re-rating date (18 decimals, valuation unit).",
    )
    stale_share = computed(
        float | None,
        lambda n: _share(n.stale_value, n.pooled_value + n.treasury_value),
        description="stale_value / (pooled value + treasury value): the share of the NAV "
        "that rests on stale valuations (0 to 1); null with nothing counted.",
    )
    nav: Mapped[int | None] = column(
        Uint256,
        description="(pooled value + treasury value) per BPC (18 decimals); null at zero supply.",
    )
    nav_units = computed(
        float | None,
        lambda n: None if n.nav is None else n.nav / 10**18,
        description="nav / 1e18, for charts.",
    )


class Royalty(Base):
    """A contributor's or centre's royalty account, replaying Royalties'
    accumulators exactly: `contributor_weight` earns the royalty accumulator (both
    shares), `centre_weight` (managed as a named centre) less `delegated_weight` (its
    own patents a named centre manages) the centre accumulator. `claimable` is what
    Royalties.claimable answers at the indexed block (settled + pending); `accrued` =
    claimed + claimable, everything the account has earned."""

    __tablename__ = "royalties"
    __api__ = "RoyaltyOut"
    chain_id: Mapped[int] = ChainId()
    account: Mapped[str] = Address(primary_key=True)
    contributor_weight: Mapped[int] = column(
        Uint256,
        default=0,
        description="Weight of its pooled patents: they earn the contributors' share and, "
        "unless a named centre manages them, the centres' share too.",
    )
    centre_weight: Mapped[int] = column(
        Uint256, default=0, description="Weight it manages as the named centre of patents."
    )
    delegated_weight: Mapped[int] = column(
        Uint256,
        default=0,
        description="Weight of its patents a named centre manages (their centre part goes "
        "to the centre).",
    )
    contributor_checkpoint: Mapped[int] = column(Uint256, default=0, private=True)
    centre_checkpoint: Mapped[int] = column(Uint256, default=0, private=True)
    settled: Mapped[int] = column(Uint256, default=0, private=True)
    claimed: Mapped[int] = mapped_column(Uint256, default=0)
    claimable: Mapped[int] = column(
        Uint256, default=0, description="What Royalties.claimable answers at the indexed block."
    )
    accrued: Mapped[int] = column(
        Uint256, default=0, description="claimed + claimable: everything earned."
    )


class RoyaltyTotals(Base):
    """Royalties' global state per chain (the accumulators, scaled by 1e27:
    `royalty_accumulator` counts the contributors' and centres' shares per unit of
    the whole pool's weight, `centre_accumulator` the centres' part)."""

    __tablename__ = "royalty_totals"
    chain_id: Mapped[int] = ChainId()
    royalty_accumulator: Mapped[int] = mapped_column(Uint256, default=0)
    centre_accumulator: Mapped[int] = mapped_column(Uint256, default=0)
    contributor_carry: Mapped[int] = mapped_column(Uint256, default=0)
    centre_carry: Mapped[int] = mapped_column(Uint256, default=0)
    total_contributor_weight: Mapped[int] = mapped_column(Uint256, default=0)
    fees_in: Mapped[int] = mapped_column(Uint256, default=0)
    paid_to_fund: Mapped[int] = mapped_column(Uint256, default=0)
    claimed: Mapped[int] = mapped_column(Uint256, default=0)


class RoyaltyPayment(Base):
    """A fee paid into the royalties and its three-way split: over the whole pool
    (Royalties.pay: `patent` empty), or to the one patent that earned it
    (Royalties.pay_for: `patent`, its `contributor` and `centre` credited)."""

    __tablename__ = "royalty_payments"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    chain_id: Mapped[int] = mapped_column(BigInteger, index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    payer: Mapped[str] = Address()
    reference: Mapped[str] = Hex32()
    amount: Mapped[int] = mapped_column(Uint256)
    to_contributors: Mapped[int] = mapped_column(Uint256)
    to_centres: Mapped[int] = mapped_column(Uint256)
    to_fund: Mapped[int] = mapped_column(Uint256)
    patent: Mapped[str | None] = Hex32(default=None, index=True)
    contributor: Mapped[str | None] = Address(default=None)
    centre: Mapped[str | None] = Address(default=None)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_time: Mapped[int] = mapped_column(BigInteger)


# ---------------------------------------------------------------- the sale of BPC


class SaleTerms(Base):
    """The sale desk's terms as the council last set them (one row per chain)."""

    __tablename__ = "sale_terms"
    __api__ = "SaleTermsOut"
    chain_id: Mapped[int] = ChainId()
    token: Mapped[str | None] = Address(default=None)
    units_per_unit: Mapped[int | None] = column(
        Uint256, default=None, description="Token units per whole valuation unit (10^6: USDC)."
    )
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    minimum: Mapped[int | None] = column(
        Uint256, default=None, description="Smallest purchase, valuation units (18 decimals)."
    )
    period: Mapped[int | None] = column(BigInteger, default=None, description="Cap period, s.")
    period_cap: Mapped[int | None] = column(
        Uint256, default=None, description="Most sold in a period, valuation units."
    )
    buyer_cap: Mapped[int | None] = column(
        Uint256, default=None, description="Most one member buys in a period, valuation units."
    )
    stale_grace: Mapped[int | None] = column(
        BigInteger, default=None, description="Seconds an overdue re-rating is tolerated."
    )
    stale_count: Mapped[int] = column(
        Integer, default=0, description="Pooled patents reported stale: sales halt while > 0."
    )
    sold_value: Mapped[int] = column(
        Uint256, default=0, description="Everything sold, valuation units."
    )
    sold_bpc: Mapped[int] = column(Uint256, default=0, description="Every BPC sold (wei).")
    updated_block: Mapped[int | None] = mapped_column(BigInteger, default=None)


class BpcSale(Base):
    """One purchase of BPC from the fund at NAV (Sale.Sold)."""

    __tablename__ = "bpc_sales"
    __api__ = "BpcSaleOut"
    chain_id: Mapped[int] = ChainId()
    block_number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    log_index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    buyer: Mapped[str] = Address(index=True)
    token: Mapped[str] = Address()
    amount: Mapped[int] = column(Uint256, description="Paid, in the token's smallest units.")
    value: Mapped[int] = column(Uint256, description="Credited, valuation units (rounded down).")
    minted: Mapped[int] = column(Uint256, description="BPC minted to the buyer (wei).")
    treasury_value: Mapped[int] = column(
        Uint256, description="The fund's counted cash after the sale, valuation units."
    )
    block_time: Mapped[int] = mapped_column(BigInteger)
    tx_hash: Mapped[str] = Hex32()


# ---------------------------------------------------------------- channels, tokens


class Channel(Base):
    """A payment channel to the hub (for paid search)."""

    __tablename__ = "channels"
    chain_id: Mapped[int] = ChainId()
    channel_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    payer: Mapped[str] = Address(index=True)
    deposit: Mapped[int] = mapped_column(Uint256)
    status: Mapped[str] = mapped_column(String(8))  # "open", "closing", "settled"
    closer: Mapped[str | None] = Address(default=None)
    nonce: Mapped[int | None] = mapped_column(
        BigInteger, default=None
    )  # latest balance proof on chain
    amount: Mapped[int | None] = mapped_column(Uint256, default=None)
    settle_after: Mapped[int | None] = mapped_column(BigInteger, default=None)
    to_hub: Mapped[int | None] = mapped_column(Uint256, default=None)
    to_payer: Mapped[int | None] = mapped_column(Uint256, default=None)
    opened_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class TokenBalance(Base):
    """ERC-20 balances of BPC and BPR (token = manifest name)."""

    __tablename__ = "token_balances"
    chain_id: Mapped[int] = ChainId()
    token: Mapped[str] = mapped_column(String(8), primary_key=True)
    holder: Mapped[str] = Address(primary_key=True)
    balance: Mapped[int] = mapped_column(Uint256)


class TokenSupply(Base):
    __tablename__ = "token_supply"
    chain_id: Mapped[int] = ChainId()
    token: Mapped[str] = mapped_column(String(8), primary_key=True)
    supply: Mapped[int] = mapped_column(Uint256)


# The derived tables in an order safe for deletion (children first).
DERIVED: tuple[type[Base], ...] = (
    PatentEvent,
    RoyaltyPayment,
    Member,
    Proposal,
    Patent,
    Rating,
    Certificate,
    CertificateBatch,
    Listing,
    Licence,
    ExchangeListing,
    ExchangeMandate,
    TrusteeshipMandate,
    BprHolding,
    CoverageChange,
    DeviceBatch,
    ClaimFloor,
    Agreement,
    Tier,
    Settings,
    CaseOffer,
    Case,
    NavPoint,
    SaleTerms,
    BpcSale,
    Royalty,
    RoyaltyTotals,
    Channel,
    TokenBalance,
    TokenSupply,
)


# ---------------------------------------------------------------- opening a database


def url_of(target: str | Path) -> str:
    """A SQLAlchemy URL for a path (SQLite) or a URL given as is.

    `postgres://` and `postgresql://` become `postgresql+psycopg://` (psycopg 3)."""
    text = str(target).strip()
    if not text:
        raise DatabaseError("empty database path or URL")
    if "://" not in text:
        if text == ":memory:":
            return "sqlite://"
        path = Path(text).expanduser()
        if path.is_dir():
            raise DatabaseError(f"database path {text!r} is a directory, not a file")
        if not path.parent.exists():
            raise DatabaseError(
                f"database path {text!r}: directory {str(path.parent)!r} does not exist"
            )
        return f"sqlite:///{path}"
    scheme = text.split("://", 1)[0]
    if scheme in ("postgres", "postgresql"):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    if scheme in ("sqlite", "postgresql+psycopg"):
        return text
    raise DatabaseError(
        f"unsupported database URL scheme {scheme!r}: use a file path (SQLite), "
        "sqlite:///path or postgresql+psycopg://user:pass@host/db"
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def connect(target: str | Path, *, check: bool = True, **engine_kw: Any) -> Engine:
    """An engine for a path (SQLite, WAL mode) or a URL; with `check`, connects
    once so a bad URL, host or password fails here with `DatabaseError`."""
    url = url_of(target)
    engine_kw.setdefault("json_serializer", _json_dumps)
    engine_kw.setdefault("json_deserializer", orjson.loads)
    try:
        engine = create_engine(url, **engine_kw)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise DatabaseError(f"cannot use database URL {_redact(url)}: {exc}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if check:
        try:
            with engine.connect():
                pass
        except Exception as exc:
            engine.dispose()
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise DatabaseError(f"cannot open database {_redact(url)}: {reason}") from None
    return engine


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _redact(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def create_all(engine: Engine) -> None:
    """Creates every table that does not exist yet (additive, idempotent)."""
    Base.metadata.create_all(engine)


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on an exception."""
    with Session(engine, expire_on_commit=False) as s, s.begin():
        yield s


def open_db(target: str | Path) -> Engine:
    """`connect` + `create_all`: what the API and the indexer call at start-up."""
    engine = connect(target)
    create_all(engine)
    return engine


# ---------------------------------------------------------------- readers the API may share


PRECISION = 10**27


def pending_royalty(row: Royalty, totals: RoyaltyTotals | None) -> int:
    """What `row` earned since its last settlement, as Royalties.claimable counts it
    (the stored `claimable` is as of the account's last change; this is as of the
    last indexed fee)."""
    if totals is None:
        return 0
    return earned(row, totals) // PRECISION  # rounds down, as Royalties does


def earned(row: Royalty, totals: RoyaltyTotals) -> int:
    """Royalties._earned: what `row` earned since its checkpoints, scaled by 1e27."""
    out = 0
    if row.contributor_weight:
        out = row.contributor_weight * (totals.royalty_accumulator - row.contributor_checkpoint)
    if row.centre_weight != row.delegated_weight:
        rise = totals.centre_accumulator - row.centre_checkpoint
        out += (row.centre_weight - row.delegated_weight) * rise
    return out
