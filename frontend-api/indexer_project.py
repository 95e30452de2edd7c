"""The projection: how each suite event changes the derived tables.

`Projector.apply` takes events in chain order (live, or replayed from the
`events` table after a reorganisation) and mutates ORM rows it keeps in its own
cache for the batch; `finish` writes the end-of-batch aggregates (NAV points,
royalty balances) and the batch's append-only rows. The derived tables are a pure
function of the raw events: replaying every stored event into empty tables gives
the same rows.

Dispatch is on the event's ABI signature, scoped to its contract type: a handler says
which event it projects,

    @on("BPC", "Transfer(address,address,uint256)")
    def token_transfer(self, ev: Ev) -> None: ...

and `on` finds that signature in `indexer_abi.py` (read from the packaged ABIs,
`bpsa.core.abis`) at import, registering the handler under the event's topic 0. An event
renamed or re-typed in contracts/ therefore fails the import, naming the handler's
signature; an event no handler projects is listed in `IGNORED` with why.
tests/indexer/test_projection_table.py holds both ways.

An event that only writes one row from its arguments is not written out as a method but
declared in the table `ROWS` (model, key, columns: `inserts`, `updates`, `sets_settings`),
registered through `on` the same way; the `Projector` methods are the events with logic
(aggregates, several rows, state read back).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, TypeVar

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api.indexer_decode import EVENT_TYPES, EventType
from bpsa.core import codes, coverage
from bpsa.core.errors import BpsaError

ZERO = "0x" + "00" * 20
ZERO32 = "0x" + "00" * 32  # an empty bytes32: no agreement named
AGREEMENT_BPR, AGREEMENT_DEVICE = codes.AgreementKind.BPR, codes.AgreementKind.DEVICE
NAV_ONE = 10**18
M = TypeVar("M", bound=db.Base)
H = TypeVar("H", bound=Callable[..., Any])
# what the Exchange lists or mandates, and trusteeship mandates: rows a patent's tenure ends
X = TypeVar("X", db.ExchangeListing, db.ExchangeMandate, db.TrusteeshipMandate)


@dataclass(slots=True)
class Ev:
    """One event as the projection sees it (args: ints for uints, hex strings else)."""

    event_id: int
    chain_id: int
    block_number: int
    block_time: int
    tx_hash: str
    log_index: int
    contract: str  # manifest name
    contract_type: str
    name: str
    topic0: str  # the event's signature hash: what the projection dispatches on
    args: dict[str, Any]
    json_args: dict[str, Any]


class AbiMismatch(Exception):
    """A projection names an event the ABI (indexer_abi.py) does not have, or a column its
    table does not have."""


Handler = Callable[["Projector", Ev], str | None]

# (contract type, ABI signature) -> the event, as indexer_abi.py lists it
SIGNATURES: dict[tuple[str, str], EventType] = {
    (ctype, event.signature): event
    for ctype, table in EVENT_TYPES.items()
    for event in table.values()
}
# (contract type, topic 0) -> the projection of that event (a Projector method)
HANDLERS: dict[tuple[str, str], Handler] = {}


def _event(contract_type: str, signature: str) -> EventType:
    event = SIGNATURES.get((contract_type, signature))
    if event is None:
        listed = sorted(s for c, s in SIGNATURES if c == contract_type) or ["none"]
        raise AbiMismatch(
            f"{contract_type} has no event {signature} in indexer_abi.py (renamed or "
            f"re-typed in contracts/? its events: {', '.join(listed)}); fix the projection, "
            "or regenerate the packaged ABIs (`python -m bpsa.core.abis`)"
        )
    return event


def on(contract_type: str, signature: str) -> Callable[[H], H]:
    """Registers a `Projector` method as the projection of `contract_type`'s event with
    this ABI signature; fails at import if the ABI has no such event."""
    event = _event(contract_type, signature)

    def register(handler: H) -> H:
        key = (contract_type, event.topic0)
        if key in HANDLERS:
            raise AbiMismatch(f"two projections of {contract_type}.{signature}")
        HANDLERS[key] = handler
        return handler

    return register


# Events no derived table needs: they stay in `events` (and in a patent's history when
# they name one), deliberately not projected. Checked against the ABI at import too.
IGNORED: dict[tuple[str, str], str] = {
    **{
        (ctype, "OwnershipTransferred(address,address)"): "the owner is the council"
        for ctype in (
            "Alliance",
            "BPC",
            "Certificates",
            "Channels",
            "Exchange",
            "Fund",
            "Infringements",
            "Licensing",
            "PatentPool",
            "Royalties",
        )
    },
    ("BPC", "Approval(address,address,uint256)"): "allowances are not served",
    ("BPR", "Approval(address,address,uint256)"): "allowances are not served",
    ("BPC", "RoleMinterChanged(address,bool)"): "the minter is the pool",
    ("Channels", "EarningsSwept(uint256)"): "the sweep pays Royalties: RoyaltyPaid counts it",
    ("Fund", "Approved(address,address,uint256)"): "the fund's allowances are not served",
    ("Licensing", "FeeToFund(address,bytes32,uint256,uint256)"): (
        "a non-member's fee and surcharge: LicenceBought and BatchRegistered carry both"
    ),
    ("Fund", "Paid(address,address,uint256,bytes32)"): "the fund's payments are not served",
    ("Fund", "RoyaltiesCollected(address,uint256)"): "Royalties' Claimed counts it",
    ("Governance", "ParametersChanged(uint64,uint64,uint64)"): "proposals carry their times",
    ("Governance", "SeatAdded(address)"): "seats are not served",
    ("Governance", "SeatRemoved(address)"): "seats are not served",
    ("Licensing", "ExchangeSet(address)"): "wiring, set once by the council",
    ("PatentPool", "ExchangeSet(address)"): "wiring, set once by the council",
    ("PatentPool", "GracePeriodSet(uint256)"): "not a published parameter of the API",
    ("PatentPool", "PooledAgainForFund(bytes32,uint256,uint256)"): "the Pooled after it counts",
    ("PatentPool", "SellerCleared(bytes32,address)"): "in the patent's history",
    ("PatentPool", "UnownedValueToFund(uint256,uint256)"): "its mint is a BPC Transfer",
    ("PatentPool", "SaleDeskSet(address)"): "wiring, set once by the council",
    ("PatentPool", "Issued(address,uint256,uint256,uint256,uint256)"): "Sale's Sold counts it",
    ("PatentPool", "PooledWithProceeds(bytes32,uint256,uint256)"): "in the patent's history",
    ("Fund", "SaleDeskSet(address)"): "wiring, set once by the council",
    ("Sale", "OwnershipTransferred(address,address)"): "the owner is the council",
    (
        "Sale",
        "Spent(bytes32,address,address,uint256,uint256,bytes32)",
    ): "in the patent's history; cash becomes cost, the NAV unchanged",
}
for _ctype, _signature in IGNORED:
    _event(_ctype, _signature)


# CIDv1, raw codec, sha2-256 multihash: the bytes before the digest
_CID_PREFIX = b"\x01\x55\x12\x20"


def _cid(digest_hex: str) -> str:
    """`bpsa.core.cid.cid_from_digest` of a 0x digest, written out: the CIDv1 base32 text of a
    raw sha2-256 digest. multiformats takes 60 times longer, and each of its calls raises
    and catches exceptions whose tracebacks keep every calling frame alive, so a batch's
    logs and rows would wait for the cyclic collector instead of being freed.
    tests/indexer/test_projection_table.py pins it to `cid_from_digest`."""
    body = base64.b32encode(_CID_PREFIX + bytes.fromhex(digest_hex[2:]))
    return "b" + body.decode().lower().rstrip("=")


# ------------------------------------------------------------------ row projections
# `inserts(model, *key, ...)` writes a row, `updates(model, *key, ...)` sets columns of an
# existing one, `sets_settings(...)` sets published parameters. A key part is an argument's
# name (or a `From`); `copy` names the arguments that go to the column of the same name; every
# other keyword is a column, set to what a `From` reads off the event, or else to the
# constant given.


@dataclass(frozen=True, slots=True)
class From:
    """A value read off the event (in a row projection anything else is a constant)."""

    read: Callable[[Ev], Any]


def arg(name: str) -> From:
    """The event's argument `name` (for a column named otherwise)."""
    return From(lambda ev: ev.args[name])


def cid_of(name: str) -> From:
    """The CID of the IPFS document whose digest is argument `name`."""
    return From(lambda ev: _cid(ev.args[name]))


def cid_or_none(name: str) -> From:
    """The CID of the document whose digest is argument `name`, or None for an empty one."""
    return From(lambda ev: None if ev.args[name] == ZERO32 else _cid(ev.args[name]))


def address_or_none(name: str) -> From:
    """Argument `name`, an address, or None for the zero address (none named)."""
    return From(lambda ev: None if ev.args[name] == ZERO else ev.args[name])


BLOCK_TIME = From(attrgetter("block_time"))
BLOCK_NUMBER = From(attrgetter("block_number"))
CONTRACT = From(attrgetter("contract"))  # the emitting contract's manifest name


def _key(ev: Ev, key: tuple[str | From, ...]) -> tuple[Any, ...]:
    return tuple(ev.args[part] if isinstance(part, str) else part.read(ev) for part in key)


def _columns(ev: Ev, copy: list[str], columns: dict[str, Any]) -> dict[str, Any]:
    values = {name: ev.args[name] for name in copy}
    for column, value in columns.items():
        values[column] = value.read(ev) if isinstance(value, From) else value
    return values


def _check_columns(model: type[db.Base], names: list[str]) -> None:
    """Every name is a column of `model` (a misspelt one would only set a Python attribute)."""
    unknown = sorted(set(names) - {attr.key for attr in model.__mapper__.column_attrs})
    if unknown:
        raise AbiMismatch(f"{model.__tablename__} has no column {', '.join(unknown)}")


def _copied(model: type[db.Base], copy: str, columns: dict[str, Any]) -> list[str]:
    """`copy`'s argument names, once they and `columns` are known to be `model`'s columns."""
    names = copy.split()
    _check_columns(model, [*names, *columns])
    return names


def _zeros(model: type[db.Base]) -> dict[str, int]:
    """Every column of `model` but its key at zero: a new account's counters and totals."""
    return {
        attr.key: 0 for attr in model.__mapper__.column_attrs if not attr.columns[0].primary_key
    }


def inserts(model: type[db.Base], *key: str | From, copy: str = "", **columns: Any) -> Handler:
    """The projection that writes the `model` row with this key (after the chain id): a new
    row, or the existing one overwritten."""
    copied = _copied(model, copy, columns)

    def project(self: Projector, ev: Ev) -> None:
        self.add(model, *_key(ev, key), **_columns(ev, copied, columns))

    return project


def updates(
    model: type[db.Base],
    *key: str | From,
    copy: str = "",
    if_present: bool = False,
    patent_column: str | None = None,
    **columns: Any,
) -> Handler:
    """The projection that sets columns of the `model` row with this key: a row that must
    exist (`ProjectionError`), or with `if_present` one that may not (then nothing changes).
    With `patent_column`, the event (which names no patent) enters the history of the patent
    in that column of the row."""
    copied = _copied(model, copy, columns)
    _check_columns(model, [patent_column] if patent_column is not None else [])

    def project(self: Projector, ev: Ev) -> str | None:
        pk = _key(ev, key)
        row = self.get(model, *pk) if if_present else self.need(model, *pk)
        if row is None:
            return None
        for column, value in _columns(ev, copied, columns).items():
            setattr(row, column, value)
        return getattr(row, patent_column) if patent_column is not None else None

    return project


def sets_settings(copy: str = "", **columns: Any) -> Handler:
    """The projection of a parameter change: columns of the chain's one `settings` row."""
    copied = _copied(db.Settings, copy, columns)

    def project(self: Projector, ev: Ev) -> None:
        row = self.settings()
        for column, value in _columns(ev, copied, columns).items():
            setattr(row, column, value)

    return project


# Each event that writes one row from its arguments, and how (the rest are `Projector`
# methods below). Laid out as a table, one entry an event: the key, the arguments copied to
# columns of their name, then the other columns.
# fmt: off
ROWS: dict[tuple[str, str], Handler] = {
    # Alliance: an application; a member's market share
    ("Alliance", "Applied(address,uint256,uint8,bytes32)"): inserts(
        db.Member, "applicant", copy="kind identity application",
        status=codes.Status.APPLIED, roles=0, market_share_bps=0, active_since_block=None,
        activated_at=None,
        identity_cid=cid_of("identity"), applied_at=BLOCK_TIME, updated_block=BLOCK_NUMBER),
    ("Alliance", "MarketShareSet(address,uint16)"): updates(
        db.Member, "member", copy="market_share_bps", updated_block=BLOCK_NUMBER),
    # Governance: a proposal, with its counts at zero (VoteCast counts)
    ("Governance",
     "ProposalCreated(uint256,address,(address,bytes)[],string,uint64,uint64,uint64,uint32)"):
    inserts(
        db.Proposal, CONTRACT, "proposal_id",
        copy="proposer description calls vote_end eta expires seats",
        yes=0, no=0, abstain=0, executed=False, cancelled=False, created_block=BLOCK_NUMBER),
    # PatentPool: a certificate on the patent's row; an expert's rating
    ("PatentPool", "Certified(bytes32,address,uint40,uint48)"): updates(
        db.Patent, "patent", status=codes.PatentStatus.CERTIFIED,
        certificate_owner=arg("owner"), certificate_expiry=arg("expiry"),
        certificate_nonce=arg("nonce"), updated_at=BLOCK_TIME, updated_block=BLOCK_NUMBER),
    ("PatentPool", "Rated(bytes32,address,uint256,uint256,uint256,bytes32)"): inserts(
        db.Rating, "patent", "round", "expert", copy="score valuation reasoning",
        reasoning_cid=cid_of("reasoning"), block_number=BLOCK_NUMBER),
    # Certificates: revocations of certificates the indexer may not have seen accepted
    ("Certificates", "CertificateRevoked(bytes32,bytes32,uint48)"): updates(
        db.Certificate, "patent", "document", if_present=True,
        status=codes.CertStatus.REVOKED, revoked_at=BLOCK_TIME),
    ("Certificates", "BatchAccepted(bytes32,uint32,address[])"): inserts(
        db.CertificateBatch, "root", copy="count signers", revoked=False, accepted_at=BLOCK_TIME),
    ("Certificates", "BatchRevoked(bytes32)"): updates(
        db.CertificateBatch, "root", if_present=True, revoked=True),
    # Licensing: tiers, BPR grants and their ends, listings, device batches, claim floors
    ("Licensing", "TierSet(uint8,uint256)"): inserts(
        db.Tier, "kind", copy="price", updated_at=BLOCK_TIME),
    ("Licensing", "AgreementSet(uint8,uint256,bytes32)"): inserts(
        db.Agreement, "kind", "version", digest=arg("agreement"), agreement=cid_of("agreement"),
        set_at=BLOCK_TIME),
    ("Licensing", "Released(address,uint256)"): updates(
        db.BprHolding, "holder", copy="returned",
        active=False, ended_at=BLOCK_TIME, end_reason="released"),
    ("Licensing", "Revoked(address,uint256)"): updates(
        db.BprHolding, "holder", copy="returned",
        active=False, ended_at=BLOCK_TIME, end_reason="revoked"),
    ("Licensing",
     "Listed(uint256,bytes32,address,uint256,uint256,string,string,uint256,bytes32)"):
    inserts(
        db.Listing, "listing", copy="lister price duration field_of_use territory tenure",
        patent_id=arg("patent"), active=True, listed_at=BLOCK_TIME, ended_at=None,
        end_reason=None, agreement=cid_or_none("agreement")),
    ("Licensing", "ClaimsCancelled(address,uint256)"): inserts(
        db.ClaimFloor, "holder", copy="below_nonce"),
    # Exchange: listings opened and cancelled, mandates granted and revoked
    ("Exchange",
     "Listed(uint256,bytes32,address,uint8,address,uint256,uint256,string,string,bytes32,uint256,"
     "bytes32)"):
    inserts(
        db.ExchangeListing, "listing",
        copy="lister kind seller price duration field_of_use territory terms tenure",
        patent_id=arg("patent"), state="open", listed_at=BLOCK_TIME,
        agreement=cid_or_none("agreement")),
    ("Exchange", "Cancelled(uint256,bytes32,address)"): updates(
        db.ExchangeListing, "listing",
        state="cancelled", closed_at=BLOCK_TIME, cancelled_by=arg("by")),
    ("Exchange", "MandateGranted(bytes32,address,address,uint8,uint256,uint256,uint256)"): inserts(
        db.ExchangeMandate, "patent", "agent", "kind",
        copy="contributor floor_price expiry tenure",
        state="granted", granted_at=BLOCK_TIME, closed_at=None, revoked_by=None),
    ("Exchange", "MandateRevoked(bytes32,address,uint8,address)"): updates(
        db.ExchangeMandate, "patent", "agent", "kind",
        state="revoked", closed_at=BLOCK_TIME, revoked_by=arg("by")),
    # Coverage: one change of the pooled set, a leaf of the log
    ("Coverage", "CoverageLogged(bytes32,uint256,uint256,bool,uint256,bytes32)"): inserts(
        db.CoverageChange, "index", copy="stay entering at root", patent_id=arg("patent")),
    # Mandates: a trusteeship mandate offered (a new row, or the patent's last overwritten)
    ("Mandates", "MandateOffered(bytes32,address,address,bytes32,uint256,uint64,uint256)"):
    inserts(
        db.TrusteeshipMandate, "patent", copy="contributor centre terms share_bps expiry tenure",
        terms_cid=cid_of("terms"), state="offered", offered_at=BLOCK_TIME, accepted_at=None,
        closed_at=None, end_reason=None),
    # Infringements: a case filed, and the steps that change only its row (a case's events
    # name no patent: they enter the history of the case's)
    ("Infringements",
     "CaseFiled(uint256,bytes32,address,bytes32,bytes32,bytes32,uint256,address)"): inserts(
        db.Case, "case", copy="centre infringer product evidence bond",
        patent_id=arg("patent"), accused=address_or_none("accused"),
        evidence_cid=cid_of("evidence"), status=codes.CaseStatus.FILED,
        offers_standing=0, offered=0, filed_at=BLOCK_TIME),
    ("Infringements", "AccusedClaimed(uint256,address)"): updates(
        db.Case, "case", patent_column="patent_id", copy="accused"),
    ("Infringements", "CaseAuthorised(uint256,address,uint256)"): updates(
        db.Case, "case", patent_column="patent_id", copy="tenure",
        status=codes.CaseStatus.AUTHORISED, authorised_by=arg("provider"),
        agreed_offer=None),  # a new authorisation clears the provider's acceptance
    ("Infringements", "CaseDeclined(uint256,address,uint256)"): updates(
        db.Case, "case", patent_column="patent_id", copy="bond_returned",
        status=codes.CaseStatus.DECLINED, closed_at=BLOCK_TIME),
    ("Infringements", "OfferAccepted(uint256,uint256,address)"): updates(
        db.Case, "case", patent_column="patent_id", agreed_offer=arg("offer")),
    ("Infringements", "CaseDismissed(uint256,address,address,uint256)"): updates(
        db.Case, "case", patent_column="patent_id", copy="resolver bond_to",
        status=codes.CaseStatus.DISMISSED, closed_at=BLOCK_TIME, bond_returned=0),
    # Channels: a channel's life
    ("Channels", "ChannelOpened(uint256,address,uint256)"): inserts(
        db.Channel, "channel", copy="payer deposit",
        status="open", opened_at=BLOCK_TIME, updated_at=BLOCK_TIME),
    ("Channels", "ChannelToppedUp(uint256,uint256)"): updates(
        db.Channel, "channel", copy="deposit", updated_at=BLOCK_TIME),
    ("Channels", "ChannelClosing(uint256,address,uint64,uint256,uint256)"): updates(
        db.Channel, "channel", copy="closer nonce amount settle_after",
        status="closing", updated_at=BLOCK_TIME),
    ("Channels", "ChannelUpdated(uint256,uint64,uint256)"): updates(
        db.Channel, "channel", copy="nonce amount", updated_at=BLOCK_TIME),
    ("Channels", "ChannelSettled(uint256,uint256,uint256)"): updates(
        db.Channel, "channel", copy="to_hub to_payer", status="settled", updated_at=BLOCK_TIME),
    # the published parameters (the one `settings` row; PatentPool's is a method below)
    ("Certificates", "ThresholdSet(uint256)"): sets_settings(
        certificate_threshold=arg("threshold")),
    ("Licensing", "LargeEnterpriseRateSet(uint256)"): sets_settings(
        large_enterprise_price_per_bps=arg("price_per_bps")),
    ("Licensing", "MinTermSet(uint256)"): sets_settings(copy="min_term"),
    ("Licensing", "SurchargeSet(uint256)"): sets_settings(copy="surcharge_bps"),
    ("Licensing", "DeviceScheduleSet(uint256,uint256,uint256,uint256,uint256)"): sets_settings(
        device_free_per_year=arg("free_per_year"), device_low_rate=arg("low_rate"),
        device_volume_break=arg("volume_break"), device_high_rate=arg("high_rate"),
        device_annual_cap=arg("annual_cap")),
    ("Exchange", "PoolShareSet(uint256)"): sets_settings(
        exchange_pool_share_bps=arg("pool_share_bps")),
    ("Royalties", "SplitSet(uint256,uint256,uint256)"): sets_settings(
        copy="contributor_bps centre_bps fund_bps"),
    ("Infringements", "BondSet(uint256,bool)"): sets_settings(
        copy="dismissed_bond_to_accused", case_bond=arg("bond")),
    ("Channels", "ChallengeWindowSet(uint256)"): sets_settings(
        challenge_window=arg("seconds")),
}
# fmt: on
for (_ctype, _signature), _handler in ROWS.items():
    on(_ctype, _signature)(_handler)


class Projector:
    def __init__(self, session: Session, chain_id: int, collection: str, fund: str = ZERO) -> None:
        self.s = session
        self.chain_id = chain_id
        self.collection = collection  # the manifest's collection symbol ("BPC")
        self.fund = fund.lower()  # the Fund's address: its purchases are "purchased"
        self._cache: dict[tuple[type[db.Base], tuple[Any, ...]], Any] = {}
        self._nav: tuple[int, int, int] | None = None  # (pooled_value, supply, treasury)
        # pooled patent -> (valuation, re-rating date): what a NAV point's stale value sums
        self._pooled: dict[str, tuple[int, int | None]] | None = None
        self._royalty_paid = False
        self._royalty_dirty: set[str] = set()
        self._last_accepted: dict[str, str] = {}  # patent -> document (for CertificateProven)
        # rows of the append-only tables (a patent's history, royalty payments): nothing
        # reads them while projecting, so `finish` inserts them in bulk
        self._appended: dict[type[db.Base], list[dict[str, Any]]] = {}

    # -------------------------------------------------------------- rows

    def get(self, model: type[M], *pk: Any) -> M | None:
        key = (model, pk)
        row = self._cache.get(key)
        if row is None:
            row = self.s.get(model, (self.chain_id, *pk))
            if row is not None:
                self._cache[key] = row
        return row

    def add(self, model: type[M], *pk: Any, **fields: Any) -> M:
        """A new row (or an existing one overwritten with `fields`)."""
        row = self.get(model, *pk)
        if row is None:
            names: list[str] = [str(c.key) for c in model.__mapper__.primary_key]
            keys = dict(zip(names, (self.chain_id, *pk), strict=True))
            row = model(**keys, **fields)
            self.s.add(row)
            self._cache[(model, pk)] = row
        else:
            for k, v in fields.items():
                setattr(row, k, v)
        return row

    def need(self, model: type[M], *pk: Any) -> M:
        row = self.get(model, *pk)
        if row is None:
            raise ProjectionError(f"{model.__tablename__} {pk} referenced before it exists")
        return row

    def settings(self) -> db.Settings:
        row = self.get(db.Settings)
        return row if row is not None else self.add(db.Settings)

    # -------------------------------------------------------------- driving

    def apply(self, ev: Ev) -> None:
        handler = HANDLERS.get((ev.contract_type, ev.topic0))
        patent = handler(self, ev) if handler is not None else None
        if patent is None and "patent" in ev.args and isinstance(ev.args["patent"], str):
            patent = ev.args["patent"]
        if patent is not None:
            row = self.get(db.Patent, patent)
            self.append(
                db.PatentEvent,
                chain_id=self.chain_id,
                patent_id=patent,
                event_id=ev.event_id,
                contract=ev.contract,
                event=ev.name,
                status=row.status if row is not None else 0,
                block_number=ev.block_number,
                block_time=ev.block_time,
                tx_hash=ev.tx_hash,
                log_index=ev.log_index,
                args=ev.json_args,
            )

    def append(self, model: type[db.Base], **fields: Any) -> None:
        """A row of an append-only table, inserted by `finish`."""
        self._appended.setdefault(model, []).append(fields)

    def finish(self) -> None:
        """End of a batch: every royalty account's balances as of the batch's last fee."""
        if self._royalty_paid:
            accounts = self.s.scalars(
                select(db.Royalty).where(db.Royalty.chain_id == self.chain_id)
            ).all()
            for row in accounts:
                self._cache.setdefault((db.Royalty, (row.account,)), row)
            self._royalty_dirty.update(r.account for r in accounts)
        if self._royalty_dirty:
            totals = self.get(db.RoyaltyTotals)
            for account in self._royalty_dirty:
                row = self.need(db.Royalty, account)
                row.claimable = row.settled + db.pending_royalty(row, totals)
                row.accrued = row.claimed + row.claimable
        self._royalty_paid = False
        self._royalty_dirty.clear()
        self.s.flush()
        for model, rows in self._appended.items():
            self.s.execute(insert(db.Base.metadata.tables[model.__tablename__]), rows)
        self._appended.clear()

    # -------------------------------------------------------------- NAV

    def _nav_state(self) -> tuple[int, int, int]:
        if self._nav is None:
            last = self.s.scalars(
                select(db.NavPoint)
                .where(db.NavPoint.chain_id == self.chain_id)
                .order_by(db.NavPoint.block_number.desc())
                .limit(1)
            ).first()
            self._nav = (
                (last.pooled_value, last.supply, last.treasury_value)
                if last is not None
                else (0, 0, 0)
            )
        return self._nav

    def _nav_mark(
        self,
        ev: Ev,
        pooled: int | None = None,
        supply_delta: int = 0,
        treasury: int | None = None,
    ) -> None:
        """The block's NAV point holds the state after its last change; the NAV counts
        the fund's cash from sales (the sale desk's treasury) as PatentPool.nav does."""
        old_pooled, old_supply, old_treasury = self._nav_state()
        new = (
            old_pooled if pooled is None else pooled,
            old_supply + supply_delta,
            old_treasury if treasury is None else treasury,
        )
        self._nav = new
        nav = (new[0] + new[2]) * NAV_ONE // new[1] if new[1] else None
        self.add(
            db.NavPoint,
            ev.block_number,
            block_time=ev.block_time,
            pooled_value=new[0],
            supply=new[1],
            treasury_value=new[2],
            stale_value=self._stale_value(ev.block_time),
            nav=nav,
        )

    # -------------------------------------------------------------- stale valuations

    def _pooled_values(self) -> dict[str, tuple[int, int | None]]:
        """Every pooled patent's (valuation, re-rating date): read from the database (after
        a flush, so with this batch's rows) at the batch's first need, then kept up to date
        by each handler that changes a pooled patent (`_track`)."""
        if self._pooled is None:
            self.s.flush()
            rows = self.s.execute(
                select(db.Patent.patent_id, db.Patent.valuation, db.Patent.rating_due_at).where(
                    db.Patent.chain_id == self.chain_id,
                    db.Patent.status == int(codes.PatentStatus.POOLED),
                )
            ).all()
            self._pooled = {pid: (value or 0, due) for pid, value, due in rows}
        return self._pooled

    def _stale_value(self, now: int) -> int:
        """The pooled value whose valuations are past their re-rating date at `now`."""
        return sum(
            value for value, due in self._pooled_values().values() if due is not None and now >= due
        )

    def _track(self, row: db.Patent) -> None:
        """The pooled set after a change to `row` (its status, valuation or date)."""
        pooled = self._pooled_values()
        if row.status == codes.PatentStatus.POOLED:
            pooled[row.patent_id] = (row.valuation or 0, row.rating_due_at)
        else:
            pooled.pop(row.patent_id, None)

    @on("PatentPool", "ParametersSet(uint256,uint256,uint256)")
    def patent_pool_parameters_set(self, ev: Ev) -> None:
        """The published parameters; a new re-rating interval moves every rated patent's
        re-rating date (PatentPool.rating_due reads the interval now)."""
        row = self.settings()
        for name in ("expert_threshold", "core_threshold", "rerate_interval"):
            setattr(row, name, ev.args[name])
        interval = ev.args["rerate_interval"]
        self.s.flush()
        rated = self.s.scalars(
            select(db.Patent).where(
                db.Patent.chain_id == self.chain_id, db.Patent.rated_at.is_not(None)
            )
        ).all()
        for patent in rated:
            patent = self._cache.setdefault((db.Patent, (patent.patent_id,)), patent)
            patent.rating_due_at = patent.rated_at + interval
            if patent.status == codes.PatentStatus.POOLED:
                self._track(patent)

    @on("Families", "FamilySet(bytes32,bytes32,bytes32,address)")
    def families_family_set(self, ev: Ev) -> None:
        family = ev.args["family"]
        self._patent(ev).family = None if int(family, 16) == 0 else family

    # -------------------------------------------------------------- the sale of BPC

    def _sale_terms(self) -> db.SaleTerms:
        row = self.get(db.SaleTerms)
        if row is None:  # column defaults apply at the flush: the counters start here
            row = self.add(db.SaleTerms, is_open=False, stale_count=0, sold_value=0, sold_bpc=0)
        return row

    @on("Sale", "TermsSet(address,uint256,uint256,uint256,uint256,uint256,uint256)")
    def sale_terms_set(self, ev: Ev) -> None:
        row = self._sale_terms()
        for name in (
            "token", "units_per_unit", "minimum", "period", "period_cap", "buyer_cap",
            "stale_grace",
        ):  # fmt: skip
            setattr(row, name, ev.args[name])
        row.updated_block = ev.block_number

    @on("Sale", "OpenSet(bool)")
    def sale_open_set(self, ev: Ev) -> None:
        row = self._sale_terms()
        row.is_open = bool(ev.args["is_open"])
        row.updated_block = ev.block_number

    @on("Sale", "Sold(address,address,uint256,uint256,uint256,uint256)")
    def sale_sold(self, ev: Ev) -> None:
        a = ev.args
        self.add(
            db.BpcSale,
            ev.block_number,
            ev.log_index,
            buyer=a["buyer"],
            token=a["token"],
            amount=a["amount"],
            value=a["value"],
            minted=a["minted"],
            treasury_value=a["treasury_value"],
            block_time=ev.block_time,
            tx_hash=ev.tx_hash,
        )
        row = self._sale_terms()
        row.sold_value = row.sold_value + a["value"]
        row.sold_bpc = row.sold_bpc + a["minted"]
        self._nav_mark(ev, treasury=a["treasury_value"])

    @on("Sale", "CostPooled(bytes32,uint256)")
    @on("Sale", "CostWrittenOff(bytes32,uint256)")
    def sale_cost_left(self, ev: Ev) -> None:
        """A patent bought with the proceeds was pooled (its valuation replaces its cost:
        the Pooled after it sets the pooled value) or written off (the NAV falls)."""
        self._nav_mark(ev, treasury=self._nav_state()[2] - ev.args["value"])

    @on("Sale", "StaleReported(bytes32,address,uint8)")
    def sale_stale_reported(self, ev: Ev) -> None:
        row = self._sale_terms()
        row.stale_count = row.stale_count + 1

    @on("Sale", "StaleCleared(bytes32)")
    def sale_stale_cleared(self, ev: Ev) -> None:
        row = self._sale_terms()
        row.stale_count = row.stale_count - 1

    # -------------------------------------------------------------- Alliance

    def _member_status(self, ev: Ev, who: str, status: int) -> db.Member:
        row = self.need(db.Member, who)
        row.status = status
        row.updated_block = ev.block_number
        return row

    @on("Alliance", "Admitted(address,uint256)")
    def alliance_admitted(self, ev: Ev) -> None:
        self._activated(ev, self._member_status(ev, ev.args["member"], codes.Status.ACTIVE))

    @on("Alliance", "Reinstated(address)")
    def alliance_reinstated(self, ev: Ev) -> None:
        self._activated(ev, self._member_status(ev, ev.args["member"], codes.Status.ACTIVE))

    @staticmethod
    def _activated(ev: Ev, row: db.Member) -> None:
        """The member is active from this event's block (Alliance.active_since)."""
        row.active_since_block, row.activated_at = ev.block_number, ev.block_time

    @on("Alliance", "Rejected(address,uint256)")
    def alliance_rejected(self, ev: Ev) -> None:
        self._member_status(ev, ev.args["applicant"], codes.Status.REJECTED)

    @on("Alliance", "Suspended(address)")
    def alliance_suspended(self, ev: Ev) -> None:
        self._member_status(ev, ev.args["member"], codes.Status.SUSPENDED)

    @on("Alliance", "Expelled(address,uint256)")
    def alliance_expelled(self, ev: Ev) -> None:
        self._member_status(ev, ev.args["member"], codes.Status.EXPELLED).roles = 0

    @on("Alliance", "RoleGranted(address,uint256)")
    def alliance_role_granted(self, ev: Ev) -> None:
        row = self.need(db.Member, ev.args["member"])
        row.roles = row.roles | ev.args["role"]
        row.updated_block = ev.block_number

    @on("Alliance", "RoleRevoked(address,uint256)")
    def alliance_role_revoked(self, ev: Ev) -> None:
        row = self.need(db.Member, ev.args["member"])
        row.roles = row.roles & ~ev.args["role"]
        row.updated_block = ev.block_number

    # -------------------------------------------------------------- Governance

    @on("Governance", "VoteCast(uint256,address,uint8)")
    def governance_vote_cast(self, ev: Ev) -> None:
        row = self.need(db.Proposal, ev.contract, ev.args["proposal_id"])
        support = ev.args["support"]
        if support == codes.Vote.YES:
            row.yes += 1
        elif support == codes.Vote.NO:
            row.no += 1
        else:
            row.abstain += 1

    @on("Governance", "ProposalExecuted(uint256,address)")
    def governance_proposal_executed(self, ev: Ev) -> None:
        self.need(db.Proposal, ev.contract, ev.args["proposal_id"]).executed = True

    @on("Governance", "ProposalCancelled(uint256)")
    def governance_proposal_cancelled(self, ev: Ev) -> None:
        self.need(db.Proposal, ev.contract, ev.args["proposal_id"]).cancelled = True

    # -------------------------------------------------------------- PatentPool

    def _patent(self, ev: Ev, status: int | None = None) -> db.Patent:
        row = self.need(db.Patent, ev.args["patent"])
        if status is not None:
            row.status = status
        row.updated_at = ev.block_time
        row.updated_block = ev.block_number
        return row

    @on("PatentPool", "Submitted(bytes32,address,bytes32,uint8,address,uint64,string,string)")
    def patent_pool_submitted(self, ev: Ev) -> None:
        a = ev.args
        old = self.get(db.Patent, a["patent"])
        if old is not None:
            self._end_exchange(ev)  # a new life: a new tenure
            self._end_mandate(ev)
        self.add(
            db.Patent,
            a["patent"],
            collection=self.collection,
            office=a["office"],
            number=a["number"],
            provider=a["contributor"],
            centre=None,  # a centre named at submission is a nominee: see MandateAccepted
            source=a["source"],
            status=codes.PatentStatus.SUBMITTED,
            document=a["document"],
            document_cid=_cid(a["document"]),
            right_ends=a["right_ends"],
            rating=None,
            valuation=None,
            rounds=old.rounds + 1 if old is not None else 0,
            rated_at=None,
            rating_due_at=None,
            minted=None,
            certificate_owner=None,
            certificate_expiry=None,
            certificate_nonce=None,
            removal_reason=None,
            lapse=None,
            submitted_at=ev.block_time,
            pooled_at=None,
            updated_at=ev.block_time,
            updated_block=ev.block_number,
        )

    @on("PatentPool", "Withdrawn(bytes32)")
    def patent_pool_withdrawn(self, ev: Ev) -> None:
        self._patent(ev, codes.PatentStatus.WITHDRAWN)
        self._end_mandate(ev)

    # -------------------------------------------------------------- Mandates

    @on("Mandates", "MandateAccepted(bytes32,address,bytes32,uint256,uint64)")
    def mandates_accepted(self, ev: Ev) -> None:
        """The centre accepted: it earns and acts for the patent (the patent's centre)."""
        row = self.need(db.TrusteeshipMandate, ev.args["patent"])
        row.state = "accepted"
        row.accepted_at = ev.block_time
        self._patent(ev).centre = ev.args["centre"]

    @on("Mandates", "MandateEnded(bytes32,address,uint8,bool)")
    def mandates_ended(self, ev: Ev) -> None:
        row = self.need(db.TrusteeshipMandate, ev.args["patent"])
        row.state = "ended"
        row.closed_at = ev.block_time
        row.end_reason = ev.args["reason"]
        self._patent(ev).centre = None

    def _end_mandate(self, ev: Ev) -> None:
        """The patent changed hands, starts a new life or left the registry: its mandate
        or offer ends with no reason of Mandates' (the pool ended it)."""
        self.s.flush()  # rows added in this batch are queried below
        for state in ("offered", "accepted"):
            self._end_open(ev, db.TrusteeshipMandate, state)
        patent = self.get(db.Patent, ev.args["patent"])
        if patent is not None:
            patent.centre = None

    @on("PatentPool", "RatingSettled(bytes32,uint256,uint256,uint256,uint256)")
    def patent_pool_rating_settled(self, ev: Ev) -> None:
        row = self._patent(ev)
        row.rating = ev.args["score"]
        row.valuation = ev.args["valuation"]
        row.rated_at = ev.block_time
        interval = self.settings().rerate_interval
        row.rating_due_at = ev.block_time + interval if interval is not None else None
        row.rounds = ev.args["round"] + 1
        if row.status == codes.PatentStatus.CERTIFIED:
            row.status = codes.PatentStatus.RATED
        elif row.status == codes.PatentStatus.POOLED:
            self._track(row)  # dev: before Revalued (or Removed) marks the NAV point

    @on("PatentPool", "Pooled(bytes32,address,uint256,uint256,uint256,uint256)")
    def patent_pool_pooled(self, ev: Ev) -> None:
        row = self._patent(ev, codes.PatentStatus.POOLED)
        row.minted = ev.args["minted"]
        row.pooled_at = ev.block_time
        self._track(row)
        self._nav_mark(ev, pooled=ev.args["pooled_value"])

    @on("PatentPool", "Revalued(bytes32,uint256,uint256,uint256)")
    def patent_pool_revalued(self, ev: Ev) -> None:
        row = self._patent(ev)
        row.valuation = ev.args["new_valuation"]
        self._track(row)
        self._nav_mark(ev, pooled=ev.args["pooled_value"])

    def _left_pool(self, ev: Ev, status: codes.PatentStatus) -> db.Patent:
        """A patent out of the pool (removed or expired): its row in `status`, its mandate
        and listings ended, a NAV point at the pooled value after. The row is returned for
        the field only its own event sets."""
        row = self._patent(ev, status)
        self._track(row)
        self._end_mandate(ev)
        self._end_listings(ev, "left the pool")
        self._nav_mark(ev, pooled=ev.args["pooled_value"])
        return row

    @on("PatentPool", "Removed(bytes32,uint8,uint256,uint256)")
    def patent_pool_removed(self, ev: Ev) -> None:
        self._left_pool(ev, codes.PatentStatus.REMOVED).removal_reason = ev.args["reason"]

    @on("PatentPool", "Expired(bytes32,uint8,uint256,uint256)")
    def patent_pool_expired(self, ev: Ev) -> None:
        self._left_pool(ev, codes.PatentStatus.EXPIRED).lapse = ev.args["lapse"]

    @on("PatentPool", "Assigned(bytes32,address,address,address,uint48)")
    def patent_pool_assigned(self, ev: Ev) -> None:
        """A sale on the Exchange: the buyer becomes the contributor of record, a
        centre's mandate ends, the fund's purchase makes the source purchased; the
        seller's licence listings, exchange listings and mandates end with its tenure."""
        self._end_exchange(ev)
        self._end_mandate(ev)
        row = self._patent(ev)
        row.provider = ev.args["buyer"]
        row.centre = None
        self._end_listings(ev, "changed hands")
        row.source = (
            codes.Source.PURCHASED if ev.args["buyer"] == self.fund else codes.Source.CONTRIBUTED
        )

    # -------------------------------------------------------------- Certificates

    @on("Certificates", "CertificateAccepted(bytes32,address,bytes32,uint8,uint40,uint48)")
    def certificates_certificate_accepted(self, ev: Ev) -> None:
        a = ev.args
        self._last_accepted[a["patent"]] = a["document"]
        self.add(
            db.Certificate,
            a["patent"],
            a["document"],
            document_cid=_cid(a["document"]),
            owner=a["owner"],
            status=a["status"],
            expiry=a["expiry"],
            nonce=a["nonce"],
            batch_root=None,
            accepted_at=ev.block_time,
            accepted_block=ev.block_number,
            revoked_at=None,
        )

    @on("Certificates", "CertificateProven(bytes32,bytes32)")
    def certificates_certificate_proven(self, ev: Ev) -> None:
        document = self._last_accepted.get(ev.args["patent"])
        if document is None:
            raise ProjectionError("CertificateProven without a CertificateAccepted before it")
        self.need(db.Certificate, ev.args["patent"], document).batch_root = ev.args["root"]

    # -------------------------------------------------------------- Licensing

    def _agreement(self, kind: int, version: int) -> str | None:
        """The CID of version `version` of the standard agreement of `kind` (None for 0)."""
        row = self.get(db.Agreement, kind, version) if version else None
        return row.agreement if row is not None else None

    @on("Licensing", "Converted(address,uint8,uint256,uint256,uint256)")
    def licensing_converted(self, ev: Ev) -> None:
        min_term = self.settings().min_term or 0
        self._bpr_issued(
            ev,
            tier=ev.args["kind"],
            locked=ev.args["locked"],
            unlocks_at=ev.block_time + min_term,
            granted=False,
        )

    @on("Licensing", "Granted(address,uint256,uint256)")
    def licensing_granted(self, ev: Ev) -> None:
        self._bpr_issued(ev, tier=None, locked=0, unlocks_at=None, granted=True)

    def _bpr_issued(self, ev: Ev, **terms: Any) -> None:
        """A BPR converted or granted: held from now, under its agreement version and
        with its coverage snapshot (both events carry them)."""
        version = ev.args["agreement_version"]
        self.add(
            db.BprHolding,
            ev.args["holder"],
            **terms,
            active=True,
            since=ev.block_time,
            ended_at=None,
            end_reason=None,
            returned=None,
            agreement_version=version,
            agreement=self._agreement(AGREEMENT_BPR, version),
            coverage_size=ev.args["coverage"],
            coverage_root=self._coverage_root(ev.args["coverage"]),
        )

    def _coverage_root(self, size: int) -> str:
        """The Coverage log's root of `size` leaves: the root its leaf `size - 1` logged
        (the empty tree's for none)."""
        if size == 0:
            return "0x" + coverage.CoverageLog().root_at(0).hex()
        return str(self.need(db.CoverageChange, size - 1).root)

    @on(
        "Licensing",
        "BatchRegistered(uint256,address,bytes32,bytes32,uint256,uint256,uint256,uint256)",
    )
    def licensing_batch_registered(self, ev: Ev) -> None:
        a = ev.args
        version = a["agreement_version"]
        self.add(
            db.DeviceBatch,
            a["batch"],
            **{k: a[k] for k in ("maker", "product", "root", "count", "fee", "surcharge")},
            registered_at=ev.block_time,
            agreement_version=version,
            agreement=self._agreement(AGREEMENT_DEVICE, version),
        )

    @on("Licensing", "Delisted(uint256,address)")
    def licensing_delisted(self, ev: Ev) -> str:
        row = self.need(db.Listing, ev.args["listing"])
        if row.active:
            row.active, row.ended_at, row.end_reason = False, ev.block_time, "delisted"
        return row.patent_id

    def _end_listings(self, ev: Ev, reason: str) -> None:
        """A patent's per-patent listings end when it changes hands or leaves the pool
        (Licensing refuses them from then on; no Licensing event says so)."""
        self.s.flush()  # listings of this batch must be visible to the query (rare event)
        rows = self.s.scalars(
            select(db.Listing).where(
                db.Listing.chain_id == self.chain_id,
                db.Listing.patent_id == ev.args["patent"],
                db.Listing.active.is_(True),
            )
        ).all()
        for row in rows:
            row.active, row.ended_at, row.end_reason = False, ev.block_time, reason

    @on(
        "Licensing",
        "LicenceBought(uint256,uint256,address,bytes32,uint256,uint256,uint256,uint256,bytes32)",
    )
    def licensing_licence_bought(self, ev: Ev) -> None:
        a = ev.args
        listing = self.need(db.Listing, a["listing"])
        self._licence(
            ev, listing, listing_id=a["listing"], price=a["price"], surcharge=a["surcharge"]
        )

    @on(
        "Licensing",
        "ExclusiveLicenceRecorded(uint256,bytes32,address,bytes32,uint256,uint256,bytes32)",
    )
    def licensing_exclusive_licence_recorded(self, ev: Ev) -> None:
        a = ev.args
        self.s.flush()  # a listing of this batch must be visible to the query (rare event)
        listing = self.s.scalars(
            select(db.ExchangeListing)
            .where(
                db.ExchangeListing.chain_id == self.chain_id,
                db.ExchangeListing.patent_id == a["patent"],
                db.ExchangeListing.terms == a["terms"],
            )
            .order_by(db.ExchangeListing.listing_id.desc())
        ).first()
        # the price: the Exchange's Sold event that follows sets it
        self._licence(ev, listing, listing_id=0, price=0, surcharge=0, exclusive=True)

    def _licence(
        self, ev: Ev, listing: db.Listing | db.ExchangeListing | None, **fields: Any
    ) -> None:
        """A licence: the event's licensee, patent and term, with the field of use and the
        territory of the listing it was bought from (empty if none is found)."""
        a = ev.args
        self.add(
            db.Licence,
            a["licence"],
            patent_id=a["patent"],
            holder=a["licensee"],
            field_of_use=listing.field_of_use if listing is not None else "",
            territory=listing.territory if listing is not None else "",
            start=a["start"],
            end=a["end"],
            tx_hash=ev.tx_hash,
            agreement=None if a["agreement"] == ZERO32 else _cid(a["agreement"]),
            **fields,
        )

    # -------------------------------------------------------------- Exchange

    @on("Exchange", "Sold(uint256,bytes32,address,uint8,address,uint256,uint256,uint256,uint256)")
    def exchange_sold(self, ev: Ev) -> None:
        a = ev.args
        row = self.need(db.ExchangeListing, a["listing"])
        row.state = "sold"
        row.closed_at = ev.block_time
        row.buyer = a["buyer"]
        row.to_royalties = a["to_royalties"]
        row.to_seller = a["to_seller"]
        if a["licence"]:
            row.licence_id = a["licence"]
            self.need(db.Licence, a["licence"]).price = a["price"]

    def _end_exchange(self, ev: Ev) -> None:
        """The patent changed hands or starts a new life (a new tenure): its open listings
        and the mandates given for it end (the Exchange refuses them from now on)."""
        self.s.flush()  # rows added in this batch are queried below
        self._end_open(ev, db.ExchangeListing, "open")
        self._end_open(ev, db.ExchangeMandate, "granted")

    def _end_open(self, ev: Ev, model: type[X], state: str) -> None:
        """The patent's rows of `model` in `state` (still live) end at this event."""
        for row in self.s.scalars(
            select(model).where(
                model.chain_id == self.chain_id,
                model.patent_id == ev.args["patent"],
                model.state == state,
            )
        ):
            row.state = "ended"
            row.closed_at = ev.block_time

    # -------------------------------------------------------------- Royalties

    def _totals(self) -> db.RoyaltyTotals:
        row = self.get(db.RoyaltyTotals)
        return row if row is not None else self.add(db.RoyaltyTotals, **_zeros(db.RoyaltyTotals))

    def _account(self, account: str) -> db.Royalty:
        row = self.get(db.Royalty, account)
        if row is None:
            row = self.add(db.Royalty, account, **_zeros(db.Royalty))
        self._royalty_dirty.add(account)
        return row

    def _settle(self, row: db.Royalty, t: db.RoyaltyTotals) -> None:
        """Royalties._settle, exactly: one rounding down per settlement."""
        row.settled += db.earned(row, t) // db.PRECISION
        if row.contributor_weight:
            row.contributor_checkpoint = t.royalty_accumulator
        if row.centre_weight != row.delegated_weight:
            row.centre_checkpoint = t.centre_accumulator

    @on("Royalties", "WeightChanged(address,address,uint256,uint256)")
    def royalties_weight_changed(self, ev: Ev) -> None:
        """A patent's weight moves: its contributor's; with a named centre other than the
        contributor, also the contributor's delegated weight and the centre's managed
        weight (a patent without one leaves the centre part with its contributor)."""
        a, t = ev.args, self._totals()
        delta = a["new_weight"] - a["old_weight"]
        row = self._account(a["contributor"])
        self._settle(row, t)
        row.contributor_checkpoint = t.royalty_accumulator
        row.contributor_weight += delta
        t.total_contributor_weight += delta
        if a["centre"] not in (ZERO, a["contributor"]):
            row.delegated_weight += delta
            row.centre_checkpoint = t.centre_accumulator
            centre = self._account(a["centre"])
            self._settle(centre, t)
            centre.centre_weight += delta
            centre.centre_checkpoint = t.centre_accumulator

    @on("Royalties", "RoyaltyPaid(address,bytes32,uint256,uint256,uint256,uint256)")
    def royalties_royalty_paid(self, ev: Ev) -> None:
        """Royalties.pay's accumulators: both shares over the whole pool's weight."""
        a, t = ev.args, self._totals()
        total = t.total_contributor_weight
        if total:
            step = 0
            if a["to_contributors"]:
                scaled = a["to_contributors"] * db.PRECISION + t.contributor_carry
                step, t.contributor_carry = divmod(scaled, total)
            if a["to_centres"]:
                scaled = a["to_centres"] * db.PRECISION + t.centre_carry
                centre_step, t.centre_carry = divmod(scaled, total)
                t.centre_accumulator += centre_step
                step += centre_step
            t.royalty_accumulator += step
        self._royalty_paid = True
        self._payment(ev, a["to_contributors"], a["to_centres"])

    def _payment(
        self,
        ev: Ev,
        to_contributors: int,
        to_centres: int,
        patent: str | None = None,
        contributor: str | None = None,
        centre: str | None = None,
    ) -> None:
        """A fee into Royalties: its totals, and its row (over the pool, or to `patent`)."""
        a, t = ev.args, self._totals()
        t.fees_in += a["amount"]
        t.paid_to_fund += a["to_fund"]
        self.append(
            db.RoyaltyPayment,
            chain_id=self.chain_id,
            event_id=ev.event_id,
            payer=a["payer"],
            reference=a["reference"],
            amount=a["amount"],
            to_contributors=to_contributors,
            to_centres=to_centres,
            to_fund=a["to_fund"],
            patent=patent,
            contributor=contributor,
            centre=centre,
            block_number=ev.block_number,
            block_time=ev.block_time,
        )

    @on(
        "Royalties",
        "PatentRoyaltyPaid(address,bytes32,bytes32,uint256,address,uint256,address,uint256,uint256)",
    )
    def royalties_patent_royalty_paid(self, ev: Ev) -> None:
        """Royalties.pay_for: a fee one patent earned, credited to its contributor and its
        centre (settled at once; the accumulators do not move)."""
        a = ev.args
        self._account(a["contributor"]).settled += a["to_contributor"]
        if a["to_centre"]:
            self._account(a["centre"]).settled += a["to_centre"]
        centre = None if a["centre"] == ZERO else a["centre"]
        self._payment(
            ev, a["to_contributor"], a["to_centre"], a["patent"], a["contributor"], centre
        )

    @on("Royalties", "Claimed(address,uint256)")
    def royalties_claimed(self, ev: Ev) -> None:
        t = self._totals()
        row = self._account(ev.args["account"])
        self._settle(row, t)
        row.settled -= ev.args["amount"]
        row.claimed += ev.args["amount"]
        t.claimed += ev.args["amount"]

    # -------------------------------------------------------------- Infringements

    def _case(self, ev: Ev, status: int | None = None, closed: bool = False) -> db.Case:
        row = self.need(db.Case, ev.args["case"])
        if status is not None:
            row.status = status
        if closed:
            row.closed_at = ev.block_time
        return row

    def _offer_ends(self, ev: Ev, status: str) -> db.CaseOffer:
        offer = self.need(db.CaseOffer, ev.args["offer"])
        offer.status = status
        offer.closed_at = ev.block_time
        case = self.need(db.Case, offer.case_id)
        case.offers_standing -= 1
        case.offered -= offer.amount
        return offer

    @on("Infringements", "SettlementOffered(uint256,uint256,address,uint256)")
    def infringements_settlement_offered(self, ev: Ev) -> str:
        a = ev.args
        row = self._case(ev)
        self.add(
            db.CaseOffer,
            a["offer"],
            case_id=a["case"],
            offerer=a["offerer"],
            amount=a["amount"],
            status="standing",
            made_at=ev.block_time,
        )
        row.offers_standing += 1
        row.offered += a["amount"]
        return row.patent_id

    @on("Infringements", "OfferWithdrawn(uint256,uint256,address,uint256)")
    def infringements_offer_withdrawn(self, ev: Ev) -> str:
        self._offer_ends(ev, "withdrawn")
        return self._case(ev).patent_id

    @on("Infringements", "CaseSettled(uint256,address,address,uint256,uint256,uint256)")
    def infringements_case_settled(self, ev: Ev) -> str:
        self._offer_ends(ev, "accepted")
        row = self._case(ev, codes.CaseStatus.SETTLED, closed=True)
        row.accepted_offer = ev.args["offer"]
        row.settlement = ev.args["settlement"]
        row.resolver = ev.args["resolver"]
        row.payer = ev.args["payer"]
        row.bond_returned = ev.args["bond_returned"]
        return row.patent_id

    @on("Infringements", "CaseWithdrawn(uint256,address,uint256)")
    def infringements_case_withdrawn(self, ev: Ev) -> str:
        row = self._case(ev, codes.CaseStatus.WITHDRAWN, closed=True)
        row.bond_to = ev.args["bond_to"]
        # dev: the bond returns only when the case lost its ground; else it is forfeited
        row.bond_returned = ev.args["bond"] if ev.args["bond_to"] == row.centre else 0
        return row.patent_id

    # -------------------------------------------------------------- tokens

    def _transfer(self, ev: Ev) -> None:
        a, token = ev.args, ev.contract
        value = a["value"]
        supply_delta = 0
        if a["sender"] == ZERO:
            supply_delta += value
        else:
            row = self.get(db.TokenBalance, token, a["sender"])
            if row is None:
                raise ProjectionError(f"{token} transfer from {a['sender']} with no balance")
            row.balance = row.balance - value
        if a["receiver"] == ZERO:
            supply_delta -= value
        else:
            row = self.get(db.TokenBalance, token, a["receiver"])
            if row is None:
                self.add(db.TokenBalance, token, a["receiver"], balance=value)
            else:
                row.balance = row.balance + value
        if supply_delta:
            sup = self.get(db.TokenSupply, token)
            if sup is None:
                sup = self.add(db.TokenSupply, token, supply=0)
            sup.supply = sup.supply + supply_delta
            if token == "BPC":
                self._nav_mark(ev, supply_delta=supply_delta)

    @on("BPC", "Transfer(address,address,uint256)")
    @on("BPR", "Transfer(address,address,uint256)")
    def token_transfer(self, ev: Ev) -> None:
        self._transfer(ev)


class ProjectionError(BpsaError):
    """Events that contradict each other (an indexing bug or a foreign contract)."""
