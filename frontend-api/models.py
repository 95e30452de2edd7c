"""The typed request and response bodies of the query service (OpenAPI's schemas)."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from bpsa.api.verify import Reason

T = TypeVar("T")

Address = Annotated[
    str,
    Field(pattern=r"^0x[0-9a-fA-F]{40}$", examples=["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"]),
]
Hex32 = Annotated[str, Field(pattern=r"^0x[0-9a-f]{64}$", examples=["0x" + "ab" * 32])]
Uint = Annotated[
    str,
    Field(pattern=r"^[0-9]+$", description="A uint256 in decimal.", examples=["1000000000000000"]),
]


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

Wei = Annotated[str, Field(pattern=r"^[0-9]+$", description="BPC wei (18 decimals), decimal.")]


class Label(BaseModel):
    code: int
    label: str = Field(examples=["pooled"])


class TierPrice(BaseModel):
    kind: Label
    price: Wei = Field(description="BPC locked for one BPR; 0: no conversion (council grant).")
    updated_at: int


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


class MemberOut(BaseModel):
    address: Address
    kind: Label
    status: Label
    roles: list[str] = Field(examples=[["provider", "demander"]])
    role_bits: int
    market_share_bps: int
    identity: Hex32
    identity_cid: str
    application: int = Field(description="The number of its latest application")
    applied_at: int
    active_since: int | None


class RatingOut(BaseModel):
    round: int
    expert: Address
    score: int
    valuation: Wei
    block_number: int


class CertificateOut(BaseModel):
    patent_id: Hex32
    document: Hex32
    document_cid: str = Field(description="The IPFS CID (v1) of the certified document.")
    document_url: str = Field(examples=["ipfs://bafkrei..."])
    owner: Address
    status: Label
    expiry: int
    nonce: int
    batch_root: Hex32 | None
    accepted_at: int
    accepted_block: int
    revoked_at: int | None


class PatentOut(BaseModel):
    patent_id: Hex32
    collection: str
    office: str = Field(examples=["CN"])
    number: str = Field(examples=["ZL201810123456.7"])
    provider: Address
    centre: Address | None
    source: Label
    status: Label
    document: Hex32
    document_cid: str
    rating: int | None = Field(description="Settled expert score 0-100.")
    valuation: Wei | None = Field(description="Settled valuation (18 decimals, valuation unit).")
    rounds: int
    rated_at: int | None
    minted: Wei | None
    certificate_owner: Address | None
    certificate_expiry: int | None
    right_ends: int
    removal_reason: Label | None
    lapse: Label | None
    submitted_at: int
    pooled_at: int | None
    updated_at: int


class ListingOut(BaseModel):
    listing_id: int
    patent_id: Hex32
    lister: Address
    price: Wei
    duration: int
    field_of_use: str
    territory: str
    active: bool = Field(description="Whether it sells now.")
    listed_at: int
    tenure: int = Field(description="The patent's tenure it was listed in.")
    ended_at: int | None
    end_reason: Literal["delisted", "changed hands", "left the pool"] | None = Field(
        description="Why it no longer sells: withdrawn, or its patent changed hands or left "
        "the pool (a listing belongs to the patent's owner when it was made)."
    )


class PatentDetail(PatentOut):
    ratings: list[RatingOut]
    certificates: list[CertificateOut]
    listings: list[ListingOut]


class PatentEventOut(BaseModel):
    contract: str
    event: str = Field(examples=["Pooled"])
    status_after: Label
    block_number: int
    block_time: int
    tx_hash: Hex32
    log_index: int
    args: dict[str, Any]


class LicenceOut(BaseModel):
    licence_id: int
    listing_id: int
    patent_id: Hex32
    holder: Address
    price: Wei
    surcharge: Wei
    field_of_use: str
    territory: str
    start: int
    end: int
    tx_hash: Hex32


class BprOut(BaseModel):
    holder: Address
    tier: Label | None = Field(description="The member kind it was converted at; null if granted.")
    locked: Wei
    unlocks_at: int | None
    granted: bool
    active: bool
    since: int
    ended_at: int | None
    end_reason: str | None


class HolderLicences(BaseModel):
    holder: Address
    bpr: BprOut | None = Field(description="The holder's pool licence (BPR), if any.")
    licences: list[LicenceOut] = Field(description="Per-patent licences, newest first.")
    device_batches: list[DeviceBatchOut]


class DeviceBatchOut(BaseModel):
    batch_id: int
    maker: Address
    product: Hex32
    root: Hex32
    count: int = Field(description="Devices paid for: positions 0 to count - 1 verify.")
    fee: Wei = Field(description="Paid into the royalty split.")
    surcharge: Wei = Field(description="A non-member's surcharge, paid to the fund.")
    registered_at: int


class CaseOut(BaseModel):
    case_id: int
    patent_id: Hex32
    centre: Address
    infringer: Hex32
    accused: Address | None = Field(
        description="The accused, a vetted member: named at filing or claimed; null if none"
    )
    product: Hex32
    evidence: Hex32
    evidence_cid: str
    bond: Wei
    status: Label
    authorised_by: Address | None
    offers_standing: int = Field(description="Settlement offers standing, each under its id")
    offered: Wei = Field(description="BPC held in the standing offers")
    agreed_offer: int | None = Field(
        description="The offer the patent's provider accepted (a settlement's first key)"
    )
    accepted_offer: int | None = Field(description="The offer the case was settled with")
    settlement: Wei | None
    resolver: Address | None
    bond_to: Address | None
    filed_at: int
    closed_at: int | None


class CaseOfferOut(BaseModel):
    offer_id: int
    case_id: int
    offerer: Address
    amount: Wei
    status: Literal["standing", "accepted", "withdrawn"]
    made_at: int
    closed_at: int | None


class NavPointOut(BaseModel):
    block_number: int
    block_time: int
    pooled_value: Wei
    supply: Wei
    nav: Wei | None = Field(description="Pooled value per BPC (18 decimals); null at zero supply.")
    nav_units: float | None = Field(description="nav / 1e18, for charts.")


class RoyaltyOut(BaseModel):
    account: Address
    contributor_weight: Wei = Field(
        description="Weight of its pooled patents: they earn the contributors' share and, "
        "unless a named centre manages them, the centres' share too."
    )
    centre_weight: Wei = Field(description="Weight it manages as the named centre of patents.")
    delegated_weight: Wei = Field(
        description="Weight of its patents a named centre manages (their centre part goes "
        "to the centre)."
    )
    claimed: Wei
    claimable: Wei = Field(description="What Royalties.claimable answers at the indexed block.")
    accrued: Wei = Field(description="claimed + claimable: everything earned.")


class PoolSummary(BaseModel):
    chain_id: int
    network: str
    indexed_block: int | None
    indexed_time: int | None
    members_active: int
    patents: dict[str, int] = Field(description="Patents by status label.")
    nav: NavPointOut | None
    royalties_in: Wei
    cases_open: int


HolderLicences.model_rebuild()


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
