"""The typed request and response bodies of the query service (OpenAPI's schemas).

The indexed entities' models (members, patents, licences, cases...) are not written here:
each comes from its table's one declaration in `db.py` (`entity.model`, see entity.py).
What is written here is what no table holds: requests, verification answers, pages and
the views that combine entities."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from bpsa.api import db
from bpsa.api.entity import Address, Hex32, Label, Uint, Wei, model
from bpsa.api.verify import Reason

T = TypeVar("T")

__all__ = ["Address", "Hex32", "Label", "Uint", "Wei"]  # the API's scalar types, re-exported


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="How many items match, over all pages.")
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last.")


class VerifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: str = Field(
        min_length=1,
        max_length=4096,
        description="The text a phone reads from the QR code: BPSA2D:... (a device) or "
        "BPSA2C:... (a signed licence claim). Version 1 codes are refused (400).",
        examples=["BPSA2D:AAAAAAAAAHppOaXv6R5bZqjHr2mqAYr6MLbgAAAAAAAAAAE..."],
    )


class DeviceFacts(BaseModel):
    batch: int
    index: int = Field(
        description="The device's position in its batch: licensed only below the batch's count."
    )
    serial: Hex32 = Field(description="keccak256 of the device's serial text.")
    proof_length: int


class ClaimFacts(BaseModel):
    holder: Address
    licence: Uint = Field(description="0: the holder's BPR; else a per-patent licence id.")
    subject: Hex32
    expiry: int = Field(description="Unix time the claim expires.")
    nonce: Uint


class BatchLicence(BaseModel):
    """The production batch whose root the device's proof is checked against."""

    kind: Literal["device_batch"]
    batch: int
    maker: Address
    product: Hex32 = Field(description="keccak256 of the product's model number.")
    root: Hex32
    count: int
    registered_at: int


class ClaimLicence(BaseModel):
    """What the chain says about the claim's holder and licence."""

    kind: Literal["bpr", "patent_licence"]
    holder: Address
    licence: Uint
    holds_bpr: bool
    holder_active: bool = Field(
        description="Whether the holder is an active member: a suspended or expelled "
        "member's BPR licenses nothing."
    )
    licensee: Address | None = Field(description="The per-patent licence's licensee.")
    licence_end: int | None
    nonce_floor: Uint
    covers: int = Field(
        description="Pooled patents the licence covers now: every pooled one for a BPR, "
        "1 or 0 for a per-patent licence (its patent pooled or not)."
    )


class Checked(BaseModel):
    source: Literal["chain", "cache"] = Field(
        description="chain: read for this request; cache: a batch root read at most "
        "root_ttl seconds ago (roots never change once registered)."
    )
    age_s: float
    block_time: int | None = None


class VerifyResponse(BaseModel):
    licensed: bool
    reason: Reason = Field(description="Machine-readable: why.")
    detail: str = Field(description="Why, for people.")
    covers: int | None = Field(
        default=None,
        description="A claim: how many pooled patents it licenses now (0 when it does not "
        "hold). Null for a device.",
    )
    kind: Literal["device", "claim"]
    chain_id: int
    licensing: Address
    device: DeviceFacts | None
    claim: ClaimFacts | None
    licence: Annotated[BatchLicence | ClaimLicence, Field(discriminator="kind")] | None = Field(
        description="The licence behind the answer (null: no such batch, or a foreign code)."
    )
    checked: Checked | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "licensed": True,
                    "reason": "device_in_batch",
                    "detail": "device 42 of batch 1",
                    "kind": "device",
                    "chain_id": 31337,
                    "licensing": "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                    "device": {
                        "batch": 1,
                        "index": 42,
                        "serial": "0x" + "1f" * 32,
                        "proof_length": 17,
                    },
                    "claim": None,
                    "licence": {
                        "kind": "device_batch",
                        "batch": 1,
                        "maker": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                        "product": "0x" + "2e" * 32,
                        "root": "0x" + "3d" * 32,
                        "count": 100000,
                        "registered_at": 1764000000,
                    },
                    "checked": {"source": "cache", "age_s": 0.4, "block_time": None},
                }
            ]
        }
    )


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    chain_id: int
    network: str
    node: Literal["ok", "unreachable"]
    block: int | None = Field(description="The node's latest block (null if unreachable).")
    database: Literal["ok", "unavailable"]
    indexed_block: int | None = Field(description="The last block the indexer has stored.")
    version: str


# ---------------------------------------------------------------- the indexed pool

# One model per entity, from its table's declaration (typed Any: built at import).
MemberOut: Any = model(db.Member)
PatentOut: Any = model(db.Patent)
RatingOut: Any = model(db.Rating)
CertificateOut: Any = model(db.Certificate)
ListingOut: Any = model(db.Listing)
MandateOut: Any = model(db.TrusteeshipMandate)
PatentEventOut: Any = model(db.PatentEvent)
LicenceOut: Any = model(db.Licence)
BprOut: Any = model(db.BprHolding)
CoverageChangeOut: Any = model(db.CoverageChange)
DeviceBatchOut: Any = model(db.DeviceBatch)
AgreementOut: Any = model(db.Agreement)
CaseOut: Any = model(db.Case)
CaseOfferOut: Any = model(db.CaseOffer)
NavPointOut: Any = model(db.NavPoint)
RoyaltyOut: Any = model(db.Royalty)
TierPrice: Any = model(db.Tier)
SaleTermsOut: Any = model(db.SaleTerms)
BpcSaleOut: Any = model(db.BpcSale)


class DeviceSchedule(BaseModel):
    free_per_year: Uint | None
    low_rate: Wei | None
    volume_break: Uint | None
    high_rate: Wei | None
    annual_cap: Wei | None


class Schedule(BaseModel):
    """The published price list: the same for everyone in the same position."""

    chain_id: int
    tiers: list[TierPrice]
    large_enterprise_price_per_bps: Wei | None = Field(
        description="Added to the large-enterprise tier per basis point of market share."
    )
    min_term: int | None = Field(description="Seconds a converted BPR stays locked.")
    surcharge_bps: int | None = Field(description="Non-member surcharge on per-patent licences.")
    devices: DeviceSchedule
    indexed_block: int | None


class PatentDetail(PatentOut):  # type: ignore[misc]  # PatentOut is built at import
    ratings: list[RatingOut]
    certificates: list[CertificateOut]
    listings: list[ListingOut]
    mandates: list[MandateOut]


class HolderLicences(BaseModel):
    holder: Address
    bpr: BprOut | None = Field(description="The holder's pool licence (BPR), if any.")
    licences: list[LicenceOut] = Field(description="Per-patent licences, newest first.")
    device_batches: list[DeviceBatchOut]


class StaleValue(BaseModel):
    """The pooled value resting on stale valuations (pooled patents past their re-rating
    date), as of the indexed head's block time: not the wall clock."""

    as_of: int | None = Field(description="The indexed head's block time (unix seconds).")
    value: Wei = Field(description="Their valuations' sum (18 decimals, valuation unit).")
    share: float | None = Field(
        description="value / (pooled value + treasury value): the share of the NAV (0 to 1); "
        "null with nothing counted."
    )
    patents: int = Field(description="How many pooled patents are stale.")


class PoolSummary(BaseModel):
    chain_id: int
    network: str
    indexed_block: int | None
    indexed_time: int | None
    members_active: int
    patents: dict[str, int] = Field(description="Patents by status label.")
    nav: NavPointOut | None
    stale: StaleValue = Field(
        description="The value in stale valuations now (as of indexed_time); each NAV point "
        "carries it as of its own block (stale_value, stale_share)."
    )
    royalties_in: Wei
    cases_open: int


class SaleSummary(BaseModel):
    """The fund's sale of BPC at NAV: the council's terms, what was sold, the NAV."""

    chain_id: int
    terms: SaleTermsOut | None = Field(description="Null until the council sets terms.")
    sales: int = Field(description="Purchases indexed.")
    nav: NavPointOut | None = Field(
        description="The latest NAV point; its treasury_value is the fund's counted cash."
    )


class PaymentInfo(BaseModel):
    """How to pay for a query: a channel to the hub, a payment, its receipt."""

    hub_url: str | None = Field(description="Where to pay (the hub's HTTP API).")
    hub: Address
    channels: Address = Field(description="The Channels contract (EIP-712 verifying contract).")
    chain_id: int
    price_wei: Wei = Field(description="What one query costs, in BPC wei.")
    header: Literal["X-Payment-Receipt"]
    receipt_format: str
    authorization_header: Literal["X-Payment-Authorization"]
    authorization_format: str
    how: str


class PaymentRequiredBody(BaseModel):
    code: str = Field(
        description="payment_required (no receipt), bad_receipt (not the hub's), "
        "receipt_used (already redeemed) or underpaid.",
        examples=["payment_required"],
    )
    detail: str
    payment: PaymentInfo


class PaidFor(BaseModel):
    channel: int
    nonce: int
    covered_wei: Wei


class SearchResults(Page[PatentOut]):
    query: str
    paid: PaidFor


class CoverageProofOut(BaseModel):
    """What a licensee keeps to show that a BPR covered a patent (bpsa.core.coverage.
    CoverageProof): the entry leaf of the patent's stay and its proof against the BPR's
    snapshot root; once the stay ended, its exit leaf (at the snapshot's size or later)
    and its proof against the root of `exit_size` leaves."""

    holder: Address
    size: int = Field(description="The snapshot: the Coverage log's size the BPR recorded.")
    root: Hex32 = Field(description="The log's root at that size (Coverage.root_at).")
    patent: Hex32 = Field(description="The patent's id.")
    entry: int = Field(description="The index of the stay's entry leaf (under `size`).")
    entered_at: int = Field(description="Unix time the entry leaf records.")
    entry_proof: list[Hex32] = Field(description="The entry leaf's siblings, leaf upwards.")
    exit: int | None = Field(description="The index of the stay's exit leaf; null if pooled.")
    left_at: int | None = Field(description="Unix time the exit leaf records.")
    exit_size: int | None = Field(description="The log size whose root proves the exit.")
    exit_root: Hex32 | None
    exit_proof: list[Hex32] | None
