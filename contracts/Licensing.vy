# pragma version ~=0.4.3
"""
@title Licensing
@notice Pool licences (BPR) at a published tier price. An active member locks
        exactly its tier's BPC and receives one BPR, the right to use every
        pooled patent; it releases the BPR after the council's minimum term
        and gets the same BPC back. The tier price depends only on the member's
        kind (and, for a large enterprise, its market share in Alliance), so it
        is the same for every member in the same position: fair, reasonable and
        non-discriminatory, and readable by anyone. Non-profit members receive
        a BPR free by council grant; the council revokes an expelled member's
        BPR and returns its lock.
        Per-patent licences: a pooled patent's contributor lists terms (price,
        field of use, territory, duration), or an agent (its trusteeship
        centre, a trading team) under the contributor's per-patent-licence
        mandate (Exchange.grant_mandate, kind 3: a floor price and an expiry;
        the contributor revokes it at will); anyone buys one; a non-member pays
        the fund's surcharge on top. A listing
        belongs to the patent's tenure (PatentPool's `tenure_of`) it was made
        in: it ends when the patent changes hands or leaves the pool, and the
        patent's current contributor may withdraw any listing of its patent. Per-device
        licences: a maker registers a production batch as the Merkle root of its
        device serials and pays the count at the pool's volume schedule (a free
        allowance a year, a low and a high rate, an annual cap per maker); any
        device proves its licence with `verify_device`. Every price flows into
        the pool's royalty split; surcharges go to the fund.
        Licence claims: a BPR holder or a per-patent licensee signs an EIP-712
        LicenceClaim (holder, licence (0 for the BPR), subject such as a product
        or device id, expiry, nonce); `verify_claim` answers what it licenses
        now (how many pooled patents: 0 when it does not hold), and
        `bpsa.claims` gives the same answer off chain. A released, revoked or
        expired licence, an expired claim, a nonce the holder has cancelled, a
        BPR holder no longer an active member (suspended or expelled), or
        nothing pooled for the licence to cover makes a claim fail.
"""

from interfaces import IAlliance
from interfaces import IBPC
from interfaces import IBPR
from interfaces import IExchange
from interfaces import IPatentPool
from interfaces import IRoyaltyPayee
from snekmate.auth import ownable
from snekmate.utils import eip712_domain_separator as eip712
import codes
import signatures

initializes: ownable
initializes: eip712

exports: (ownable.owner, ownable.transfer_ownership, eip712.eip712Domain)


struct Listing:
    patent: bytes32
    lister: address
    price: uint256
    duration: uint256
    field_of_use: String[64]
    territory: String[32]
    active: bool
    tenure: uint256


# A listing as stored: `word` packs the lister (bits 0-159), whether it is still
# listed (bit 160) and the patent's tenure it was made in (bits 168-255).
struct ListingRecord:
    patent: bytes32
    word: uint256
    price: uint256
    duration: uint256
    field_of_use: String[64]
    territory: String[32]


struct Licence:
    listing: uint256
    patent: bytes32
    licensee: address
    start: uint256
    end: uint256


struct DeviceSchedule:
    free_per_year: uint256
    low_rate: uint256
    volume_break: uint256
    high_rate: uint256
    annual_cap: uint256


struct LicenceClaim:
    holder: address
    licence: uint256
    subject: bytes32
    expiry: uint64
    nonce: uint256


struct Batch:
    maker: address
    product: bytes32
    root: bytes32
    count: uint256
    registered_at: uint256


# @dev Caps a tier price at 10^12 BPC so a share-scaled price stays far from overflow.
TIER_MAX: constant(uint256) = 10**30
MIN_TERM_MAX: constant(uint256) = 10 * 365 * 86400
DURATION_MAX: constant(uint256) = 50 * 365 * 86400
YEAR: constant(uint256) = 365 * 86400
# @dev One batch holds at most 10^9 devices; a device costs at most 10^6 BPC.
BATCH_MAX: constant(uint256) = 10**9
DEVICE_RATE_MAX: constant(uint256) = 10**24
MAX_PROOF_LENGTH: constant(uint256) = 40
# @dev secp256k1 order / 2: a larger s is the malleable twin (EIP-2).
CLAIM_TYPEHASH: constant(bytes32) = keccak256(
    "LicenceClaim(address holder,uint256 licence,bytes32 subject,uint64 expiry,uint256 nonce)"
)

ALLIANCE: public(immutable(IAlliance))
BPC: public(immutable(IBPC))
BPR: public(immutable(IBPR))
POOL: public(immutable(IPatentPool))
ROYALTIES: public(immutable(IRoyaltyPayee))
FUND: public(immutable(address))

# @notice BPC to lock for one BPR, by member kind (codes.KIND_*); 0: no conversion.
tier_price: public(HashMap[uint8, uint256])
# @notice Added to a large enterprise's price per basis point of its market share.
large_enterprise_price_per_bps: public(uint256)
# @notice Seconds a new conversion stays locked before it may be released (each
#         conversion keeps the term in force when it was made).
min_term: public(uint256)

# A BPR holder's record in one word: the BPC locked (bits 0-127, 0 for a grant),
# when the lock may be released (bits 128-167: the conversion's time plus the
# minimum term then in force, so a later change of term binds only later
# conversions) and whether the BPR was granted (bit 255). Read it through
# `locked`, `unlocks_at` and `granted`.
holding: HashMap[address, uint256]
LOCK_MASK: constant(uint256) = 2**128 - 1
UNLOCK_SHIFT: constant(uint256) = 128
TIME_MASK: constant(uint256) = 2**40 - 1
GRANTED_BIT: constant(uint256) = 1 << 255
total_locked: public(uint256)
conversions: public(uint256)
grants: public(uint256)

# @notice What a non-member pays on top of a per-patent price, for the fund.
surcharge_bps: public(uint256)
# Read a listing through `listings` (and `is_open`).
listing_records: HashMap[uint256, ListingRecord]
ACTIVE_BIT: constant(uint256) = 1 << 160
TENURE_SHIFT: constant(uint256) = 168
TENURE_MAX: constant(uint256) = 2**88 - 1
# @dev The kind of Exchange mandate that lets an agent list a patent's per-patent licences.
MANDATE_PER_PATENT_LICENCE: constant(uint8) = 3
listing_count: public(uint256)
# A licence in two words: the licensee (bits 0-159), start (160-199) and end
# (200-239), and its listing (the patent is the listing's). Read it through `licences`.
licence_terms: HashMap[uint256, uint256]
licence_listing: HashMap[uint256, uint256]
LICENSEE_MASK: constant(uint256) = 2**160 - 1
START_SHIFT: constant(uint256) = 160
END_SHIFT: constant(uint256) = 200
licence_count: public(uint256)

device_schedule: public(DeviceSchedule)
batches: public(HashMap[uint256, Batch])
batch_count: public(uint256)
# @notice Devices a maker registered in a licensing year (timestamp // 365 days).
devices_in_year: public(HashMap[address, HashMap[uint256, uint256]])
# @notice BPC a maker paid for devices in a licensing year.
paid_in_year: public(HashMap[address, HashMap[uint256, uint256]])

# @notice A holder's claims with a lower nonce no longer hold (it cancelled them).
claim_nonce_floor: public(HashMap[address, uint256])

# @notice BPC paid into the royalties and to the fund through this contract.
fees_to_royalties: public(uint256)
surcharges_to_fund: public(uint256)

# @notice The exchange that records exclusive licences (set by the council), or none.
exchange: public(address)
# @notice When the exclusive licence of `terms_key(patent, field, territory)` ends (0: none).
exclusive_ends: public(HashMap[bytes32, uint256])
# Listings not withdrawn, by terms key and the patent's tenure they were made in
# (`open_listings` reads the current tenure's), and the patent of each terms key.
open_count: HashMap[bytes32, HashMap[uint256, uint256]]
terms_patent: HashMap[bytes32, bytes32]
# @dev The patent of an exclusive licence, which has no listing here.
exclusive_patent: HashMap[uint256, bytes32]


event TierSet:
    kind: indexed(uint8)
    price: uint256


event LargeEnterpriseRateSet:
    price_per_bps: uint256


event MinTermSet:
    min_term: uint256


event Converted:
    holder: indexed(address)
    kind: uint8
    locked: uint256


event Released:
    holder: indexed(address)
    returned: uint256


event Granted:
    holder: indexed(address)


event Revoked:
    holder: indexed(address)
    returned: uint256


event Listed:
    listing: indexed(uint256)
    patent: indexed(bytes32)
    lister: indexed(address)
    price: uint256
    duration: uint256
    field_of_use: String[64]
    territory: String[32]
    tenure: uint256


event Delisted:
    listing: indexed(uint256)
    by: indexed(address)


event LicenceBought:
    licence: indexed(uint256)
    listing: indexed(uint256)
    licensee: indexed(address)
    patent: bytes32
    price: uint256
    surcharge: uint256
    start: uint256
    end: uint256


# @notice An exclusive licence sold on the exchange: while it runs no per-patent
#         licence of the same terms (patent, field of use, territory) is listed or
#         recorded. The exchange's events carry the field and territory.
event ExclusiveLicenceRecorded:
    licence: indexed(uint256)
    patent: indexed(bytes32)
    licensee: indexed(address)
    terms: bytes32
    start: uint256
    end: uint256


event ExchangeSet:
    exchange: address


event BatchRegistered:
    batch: indexed(uint256)
    maker: indexed(address)
    product: indexed(bytes32)
    root: bytes32
    count: uint256
    fee: uint256
    surcharge: uint256


event ClaimsCancelled:
    holder: indexed(address)
    below_nonce: uint256


event SurchargeSet:
    surcharge_bps: uint256


event DeviceScheduleSet:
    free_per_year: uint256
    low_rate: uint256
    volume_break: uint256
    high_rate: uint256
    annual_cap: uint256


@deploy
def __init__(
    alliance: IAlliance,
    bpc: IBPC,
    bpr: IBPR,
    pool: IPatentPool,
    royalties: IRoyaltyPayee,
    fund: address,
    council: address,
    tier_prices: uint256[5],
    large_enterprise_price_per_bps: uint256,
    min_term: uint256,
    surcharge_bps: uint256,
    device_schedule: DeviceSchedule,
):
    """
    @notice Deploys the licence desk of one collection with its first schedule.
    @param alliance The members, kinds and market shares.
    @param bpc The collection's token, locked for a BPR.
    @param bpr The licence token this contract mints.
    @param council The council's Governance contract (owner).
    @param tier_prices BPC per BPR for kinds 1 to 5 (non-profit, start-up, SME,
           large enterprise, individual); 0 closes conversion for a kind.
    @param large_enterprise_price_per_bps Added per basis point of market share.
    @param min_term Seconds a conversion stays locked.
    @param surcharge_bps A non-member's surcharge on per-patent prices.
    @param device_schedule The per-device volume schedule.
    """
    assert council != empty(address), "licensing: council is the zero address"
    assert fund != empty(address), "licensing: fund is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    eip712.__init__("BPSA Licensing", "1")
    ALLIANCE = alliance
    BPC = bpc
    BPR = bpr
    POOL = pool
    ROYALTIES = royalties
    FUND = fund
    # dev: fees reach Royalties.pay, which pulls them from this contract
    extcall bpc.approve(royalties.address, max_value(uint256))
    self._set_surcharge(surcharge_bps)
    self._set_device_schedule(device_schedule)
    for i: uint256 in range(5):
        self._set_tier(convert(i + 1, uint8), tier_prices[i])
    self._set_large_enterprise_rate(large_enterprise_price_per_bps)
    self._set_min_term(min_term)


@external
def set_tier(kind: uint8, price: uint256):
    """
    @notice Sets the BPC a member of `kind` locks for one BPR (council only).
            Holders keep the lock they made; the new price applies to later
            conversions.
    @param kind codes.KIND_* (1 to 5).
    @param price BPC (wei); 0 closes conversion for that kind.
    """
    ownable._check_owner()
    self._set_tier(kind, price)


@external
def set_large_enterprise_rate(price_per_bps: uint256):
    """
    @notice Sets what a large enterprise adds to its tier price per basis point
            of market share (council only).
    @param price_per_bps BPC (wei) per basis point.
    """
    ownable._check_owner()
    self._set_large_enterprise_rate(price_per_bps)


@external
def set_min_term(min_term: uint256):
    """
    @notice Sets the seconds a conversion stays locked (council only). It binds
            conversions made from now on; earlier ones keep their term.
    @param min_term Seconds, at most ten years.
    """
    ownable._check_owner()
    self._set_min_term(min_term)


@external
def convert() -> uint256:
    """
    @notice Locks the caller's tier price in BPC and issues it one BPR.
    @dev The caller approves this contract for the price first (or permits).
    @return The BPC locked.
    """
    assert staticcall ALLIANCE.is_active(msg.sender), "licensing: not an active member"
    assert staticcall BPR.balanceOf(msg.sender) == 0, "licensing: already holds a BPR"
    price: uint256 = self._price_of(msg.sender)
    assert price != 0, "licensing: no tier price for this member kind"
    assert extcall BPC.transferFrom(msg.sender, self, price), "licensing: transfer failed"  # dev: BPC reverts first
    self.holding[msg.sender] = price | ((block.timestamp + self.min_term) << UNLOCK_SHIFT)
    self.total_locked += price
    self.conversions += 1
    extcall BPR.mint(msg.sender)
    log Converted(holder=msg.sender, kind=staticcall ALLIANCE.kind_of(msg.sender), locked=price)
    return price


@external
def release() -> uint256:
    """
    @notice Ends the caller's converted BPR after the minimum term and returns
            its lock.
    @return The BPC returned.
    """
    record: uint256 = self.holding[msg.sender]
    amount: uint256 = record & LOCK_MASK
    assert amount != 0, "licensing: no converted BPR to release"
    assert block.timestamp >= (record >> UNLOCK_SHIFT) & TIME_MASK, "licensing: minimum term not over"
    self._end(msg.sender)
    log Released(holder=msg.sender, returned=amount)
    return amount


@external
def grant(member: address):
    """
    @notice Issues a free BPR to an active non-profit member (council only).
    @param member The non-profit.
    """
    ownable._check_owner()
    assert staticcall ALLIANCE.is_active(member), "licensing: not an active member"
    assert staticcall ALLIANCE.kind_of(member) == codes.KIND_NON_PROFIT, "licensing: only non-profits receive a free BPR"
    assert staticcall BPR.balanceOf(member) == 0, "licensing: already holds a BPR"
    self.holding[member] = GRANTED_BIT
    self.grants += 1
    extcall BPR.mint(member)
    log Granted(holder=member)


@external
def revoke(holder: address):
    """
    @notice Ends an expelled member's BPR and returns its lock, if any (council
            only). A granted BPR is revoked the same way.
    @param holder The expelled member.
    """
    ownable._check_owner()
    assert staticcall ALLIANCE.status_of(holder) == codes.STATUS_EXPELLED, "licensing: only an expelled member's BPR is revoked"
    assert staticcall BPR.balanceOf(holder) == 1, "licensing: holds no BPR"
    returned: uint256 = self.holding[holder] & LOCK_MASK
    self._end(holder)
    log Revoked(holder=holder, returned=returned)


@external
def set_surcharge(surcharge_bps: uint256):
    """
    @notice Sets a non-member's surcharge on per-patent prices (council only).
    @param surcharge_bps Basis points on top of the price, at most 10,000.
    """
    ownable._check_owner()
    self._set_surcharge(surcharge_bps)


@external
def set_device_schedule(schedule: DeviceSchedule):
    """
    @notice Sets the per-device volume schedule (council only).
    @param schedule Free devices an active member registers each year (its
           member record's allowance; a non-member has none), the rate up to
           the volume break (devices a year), the rate beyond it, and the most
           BPC a maker pays for devices in a year (0: no cap; a non-member's
           surcharge comes on top).
    """
    ownable._check_owner()
    self._set_device_schedule(schedule)


@external
def list_terms(
    patent: bytes32, price: uint256, duration: uint256, field_of_use: String[64], territory: String[32]
) -> uint256:
    """
    @notice Lists licence terms for a pooled patent, by its contributor, or by
            an agent holding the contributor's per-patent-licence mandate on the
            exchange (kind 3) at the mandate's floor price or more; the lister is
            an active member. The listing belongs to the patent's current tenure:
            it ends when the patent changes hands or leaves the pool; an agent's
            listing also stops selling when its mandate ends (revoked, expired)
            or its floor rises above the price. The contributor may withdraw any
            listing of its patent.
    @dev A trusteeship centre named at submission is not a mandate: a centre
         that could list alone would license the patent for 1 wei for 50 years
         to an accomplice before its owner could delist.
    @param patent The patent's id.
    @param price BPC (wei) per licence, paid into the royalty split.
    @param duration Seconds a licence lasts.
    @param field_of_use The field the licence covers (e.g. "payment terminals").
    @param territory Where it applies (e.g. "CN", "worldwide").
    @return The listing's id.
    """
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(patent)
    assert status == codes.PATENT_POOLED, "licensing: patent is not pooled"
    if msg.sender != contributor:
        self._check_agent(patent, msg.sender, price)
    assert staticcall ALLIANCE.is_active(msg.sender), "licensing: the lister is not an active member"
    assert price != 0 and price <= TIER_MAX, "licensing: price must be 1 wei to 10^12 BPC"
    assert duration != 0 and duration <= DURATION_MAX, "licensing: duration must be 1 second to 50 years"
    assert tenure <= TENURE_MAX  # dev: PatentPool counts tenures one by one: 2^88 is never reached
    terms: bytes32 = self._terms_key(patent, field_of_use, territory)
    assert self.exclusive_ends[terms] <= block.timestamp, "licensing: an exclusive licence runs for these terms"
    self.open_count[terms][tenure] += 1
    self.terms_patent[terms] = patent
    listing: uint256 = self.listing_count + 1
    self.listing_count = listing
    self.listing_records[listing] = ListingRecord(
        patent=patent,
        word=convert(msg.sender, uint256) | ACTIVE_BIT | (tenure << TENURE_SHIFT),
        price=price,
        duration=duration,
        field_of_use=field_of_use,
        territory=territory,
    )
    log Listed(
        listing=listing,
        patent=patent,
        lister=msg.sender,
        price=price,
        duration=duration,
        field_of_use=field_of_use,
        territory=territory,
        tenure=tenure,
    )
    return listing


@external
def delist(listing: uint256):
    """
    @notice Withdraws a listing: its lister, or the patent's current
            contributor (whoever listed it, in whichever tenure). Licences sold
            stay valid.
    @param listing The listing's id.
    """
    word: uint256 = self.listing_records[listing].word
    assert word & ACTIVE_BIT != 0, "licensing: no active listing"
    patent: bytes32 = self.listing_records[listing].patent
    if msg.sender != convert(word & LICENSEE_MASK, address):
        # dev: the pool is read only for someone other than the lister
        status: uint8 = 0
        contributor: address = empty(address)
        centre: address = empty(address)
        tenure: uint256 = 0
        status, contributor, centre, tenure = staticcall POOL.ownership(patent)
        assert msg.sender == contributor, "licensing: only the lister or the patent's contributor delists"
    self.listing_records[listing].word = word ^ ACTIVE_BIT
    terms: bytes32 = self._terms_key(
        patent, self.listing_records[listing].field_of_use, self.listing_records[listing].territory
    )
    # dev: counted under the tenure it was made in; a dead tenure's count is never read
    self.open_count[terms][word >> TENURE_SHIFT] -= 1
    log Delisted(listing=listing, by=msg.sender)


@external
def buy(listing: uint256) -> uint256:
    """
    @notice Buys a per-patent licence on a listing's terms. The price goes into
            the royalty split; a non-member also pays the surcharge to the fund.
    @dev The caller approves this contract for price + surcharge first.
    @param listing The listing's id.
    @return The licence's id.
    """
    word: uint256 = self.listing_records[listing].word
    assert word & ACTIVE_BIT != 0, "licensing: no active listing"
    patent: bytes32 = self.listing_records[listing].patent
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(patent)
    assert status == codes.PATENT_POOLED, "licensing: patent is no longer pooled"
    assert word >> TENURE_SHIFT == tenure, "licensing: the listing ended when the patent changed hands"
    price: uint256 = self.listing_records[listing].price
    lister: address = convert(word & LICENSEE_MASK, address)
    if lister != contributor:
        # dev: an agent's listing sells only while the owner's consent stands, at its floor
        self._check_agent(patent, lister, price)
    surcharge: uint256 = 0
    if not staticcall ALLIANCE.is_active(msg.sender):
        surcharge = price * self.surcharge_bps // codes.BPS
    self._collect(msg.sender, price, surcharge, convert(listing, bytes32))
    licence: uint256 = self.licence_count + 1
    self.licence_count = licence
    end: uint256 = block.timestamp + self.listing_records[listing].duration
    self.licence_terms[licence] = convert(msg.sender, uint256) | (block.timestamp << START_SHIFT) | (end << END_SHIFT)
    self.licence_listing[licence] = listing
    log LicenceBought(
        licence=licence,
        listing=listing,
        licensee=msg.sender,
        patent=patent,
        price=price,
        surcharge=surcharge,
        start=block.timestamp,
        end=end,
    )
    return licence


@external
def set_exchange(exchange: address):
    """
    @notice Names the exchange that records exclusive licences (council only);
            the zero address stops them.
    @param exchange The Exchange contract.
    """
    ownable._check_owner()
    self.exchange = exchange
    log ExchangeSet(exchange=exchange)


@external
def record_exclusive(patent: bytes32, terms: bytes32, licensee: address, duration: uint256) -> uint256:
    """
    @notice Records an exclusive licence the exchange sold (the exchange only):
            a licence of `licensee` from now for `duration`, whose claims
            `verify_claim` accepts like any per-patent licence's.
    @dev Exclusivity is by exact terms: `terms` is `terms_key(patent, field,
         territory)`, and while the licence runs `list_terms` refuses those
         terms. It is recorded only when no listing of those terms is open
         here (`open_listings`: the patent's current tenure's; their listers or
         the contributor delist first) and no exclusive licence of them runs.
         Licences sold before it keep their term.
    @param patent The pooled patent's id (the exchange checked its state).
    @param terms The licence's terms key.
    @param licensee The buyer.
    @param duration Seconds the licence lasts.
    @return The licence's id.
    """
    assert msg.sender == self.exchange, "licensing: only the exchange records exclusive licences"
    assert licensee != empty(address), "licensing: licensee is the zero address"
    assert duration != 0 and duration <= DURATION_MAX, "licensing: duration must be 1 second to 50 years"
    assert self._open_listings(terms) == 0, "licensing: per-patent listings of these terms are active"
    assert self.exclusive_ends[terms] <= block.timestamp, "licensing: an exclusive licence runs for these terms"
    end: uint256 = block.timestamp + duration
    self.exclusive_ends[terms] = end
    licence: uint256 = self.licence_count + 1
    self.licence_count = licence
    self.licence_terms[licence] = convert(licensee, uint256) | (block.timestamp << START_SHIFT) | (end << END_SHIFT)
    self.exclusive_patent[licence] = patent
    log ExclusiveLicenceRecorded(
        licence=licence, patent=patent, licensee=licensee, terms=terms, start=block.timestamp, end=end
    )
    return licence


@external
def register_batch(product: bytes32, root: bytes32, count: uint256) -> uint256:
    """
    @notice Registers a production batch: the Merkle root of its devices and
            their count, paid at the device schedule. An active member's
            devices are free up to the year's allowance of its member record;
            a non-member (or a suspended or expelled member) has no allowance
            and pays the fund's surcharge on top of the fee, as on a
            per-patent licence.
    @dev The tree is positional: the leaf of the device at position `index`
         (0 to count - 1) is keccak256(keccak256(abi_encode(index, serial))),
         a level of odd length pairs its last node with bytes32(0), and a pair
         hashes left then right. `verify_device` takes the index and accepts
         only an index below `count` with a proof exactly as long as a tree of
         `count` leaves is deep, so a batch licenses at most `count` devices
         whatever its root commits to.
    @custom:security The volume bands and the annual cap count per maker
                     address. Splitting a non-member's batches over fresh
                     addresses gains nothing while the high rate is at most
                     the low rate (a volume discount); a schedule whose high
                     rate exceeds its low rate lets non-members split.
    @param product The product's id (e.g. the digest of its model number).
    @param root The Merkle root of the devices' positional leaves.
    @param count How many devices the batch holds.
    @return The batch's id.
    """
    assert product != empty(bytes32), "licensing: empty product id"
    assert root != empty(bytes32), "licensing: empty root"
    assert count != 0 and count <= BATCH_MAX, "licensing: count must be 1 to 10^9"
    member: bool = staticcall ALLIANCE.is_active(msg.sender)
    year: uint256 = block.timestamp // YEAR
    before: uint256 = self.devices_in_year[msg.sender][year]
    fee: uint256 = self._device_fee(before, count, self.paid_in_year[msg.sender][year], member)
    surcharge: uint256 = 0
    if not member:
        surcharge = fee * self.surcharge_bps // codes.BPS  # dev: rounds down, as on a per-patent licence
    self.devices_in_year[msg.sender][year] = before + count
    if fee != 0:
        self.paid_in_year[msg.sender][year] += fee  # dev: the cap bounds the fee, not the surcharge
        self._collect(msg.sender, fee, surcharge, root)
    batch: uint256 = self.batch_count + 1
    self.batch_count = batch
    self.batches[batch] = Batch(maker=msg.sender, product=product, root=root, count=count, registered_at=block.timestamp)
    log BatchRegistered(batch=batch, maker=msg.sender, product=product, root=root, count=count, fee=fee, surcharge=surcharge)
    return batch


@view
@external
def verify_device(batch: uint256, index: uint256, serial: bytes32, proof: DynArray[bytes32, MAX_PROOF_LENGTH]) -> bool:
    """
    @notice Whether the device `serial` at position `index` is licensed by
            `batch`.
    @dev The position binds the count: only indices below the batch's count
         verify, and the proof must be exactly as deep as a tree of `count`
         leaves, so no two devices share a position and an inner node never
         passes as a leaf.
    @param batch The batch's id.
    @param index The device's position in the batch (0 to count - 1).
    @param serial The device's serial (as bytes32, e.g. keccak256 of its text).
    @param proof The sibling hashes from its leaf up to the root.
    @return True when the batch exists, the index is below its count and the
            proof holds.
    """
    count: uint256 = self.batches[batch].count
    if index >= count:
        return False  # dev: also an unknown batch, whose count is 0
    depth: uint256 = len(proof)
    # dev: the depth of a tree of `count` leaves is the bit length of count - 1
    if (count - 1) >> depth != 0 or (depth != 0 and (count - 1) >> (depth - 1) == 0):
        return False
    # dev: snekmate's proofs hash sorted pairs, which forget positions; this one
    # hashes left then right as the index's bits say
    node: bytes32 = keccak256(abi_encode(keccak256(abi_encode(index, serial))))
    position: uint256 = index
    for sibling: bytes32 in proof:
        if position & 1 == 0:
            node = keccak256(concat(node, sibling))
        else:
            node = keccak256(concat(sibling, node))
        position >>= 1
    return node == self.batches[batch].root


@external
def cancel_claims(below_nonce: uint256):
    """
    @notice Cancels every claim the caller signed with a nonce below `below_nonce`.
    @param below_nonce The new floor; it only rises.
    """
    assert below_nonce > self.claim_nonce_floor[msg.sender], "licensing: the nonce floor only rises"
    self.claim_nonce_floor[msg.sender] = below_nonce
    log ClaimsCancelled(holder=msg.sender, below_nonce=below_nonce)


@view
@external
def verify_claim(claim: LicenceClaim, signature: Bytes[65]) -> uint256:
    """
    @notice What a signed licence claim licenses now: how many pooled patents,
            0 when it does not hold. It holds when signed by its holder for this
            chain and contract, not expired, its nonce not cancelled, and the
            holder's licence in force and covering a pooled patent: a BPR
            (licence 0) of a holder still an active member covers every pooled
            patent; a per-patent licence of that id, which the holder bought,
            covers its patent while the patent is pooled.
    @dev A BPR is the right of a member: a suspended or expelled holder's claims
         fail at once (the council revokes an expelled member's BPR later). A
         per-patent licence was paid for, by members and non-members alike, so
         it does not depend on the holder's membership.
    @param claim The claim.
    @param signature The holder's 65-byte EIP-712 signature (low s).
    @return The number of pooled patents the claim licenses (0: not licensed).
    """
    if block.timestamp >= convert(claim.expiry, uint256):
        return 0
    if claim.nonce < self.claim_nonce_floor[claim.holder]:
        return 0
    covers: uint256 = 0
    if claim.licence == 0:
        if staticcall BPR.balanceOf(claim.holder) != 1:
            return 0
        if not staticcall ALLIANCE.is_active(claim.holder):
            return 0
        covers = staticcall POOL.pooled_count()
    else:
        terms: uint256 = self.licence_terms[claim.licence]
        if convert(terms & LICENSEE_MASK, address) != claim.holder or block.timestamp >= terms >> END_SHIFT:
            return 0
        covers = self._licence_covers(claim.licence)
    if covers == 0:
        return 0
    digest: bytes32 = eip712._hash_typed_data_v4(
        keccak256(abi_encode(CLAIM_TYPEHASH, claim.holder, claim.licence, claim.subject, claim.expiry, claim.nonce))
    )
    # dev: a malformed or malleable signature answers no (snekmate's ecdsa would revert)
    signer: address = signatures._signer_of_bytes(digest, signature)
    if signer == empty(address) or signer != claim.holder:
        return 0
    return covers


@view
@external
def claim_facts(holder: address, licence: uint256) -> (bool, address, uint256, uint256, uint256, bool, uint256):
    """
    @notice What a licence claim's verdict depends on, read in one call, for an
            off-chain verifier (`bpsa.claims.verify` answers as `verify_claim`).
    @param holder The claim's holder.
    @param licence 0 for the holder's BPR, else a per-patent licence's id.
    @return Whether `holder` holds a BPR, the licence's licensee and end (zero
            for licence 0 or an unknown id), the holder's claim nonce floor,
            the block's timestamp, whether `holder` is an active member, and
            how many pooled patents the licence covers now (all pooled ones for
            licence 0; 1 or 0 for a per-patent licence, whose patent is pooled
            or not).
    """
    terms: uint256 = self.licence_terms[licence]
    covers: uint256 = 0
    if licence == 0:
        covers = staticcall POOL.pooled_count()
    elif terms != 0:
        covers = self._licence_covers(licence)
    return (
        staticcall BPR.balanceOf(holder) == 1,
        convert(terms & LICENSEE_MASK, address),
        terms >> END_SHIFT,
        self.claim_nonce_floor[holder],
        block.timestamp,
        staticcall ALLIANCE.is_active(holder),
        covers,
    )


@view
@external
def device_fee(maker: address, count: uint256) -> uint256:
    """
    @notice What `maker` would pay now to register `count` more devices: the
            fee and, for a non-member, the fund's surcharge on top.
    @param maker The maker.
    @param count Devices.
    @return BPC (wei).
    """
    year: uint256 = block.timestamp // YEAR
    member: bool = staticcall ALLIANCE.is_active(maker)
    fee: uint256 = self._device_fee(self.devices_in_year[maker][year], count, self.paid_in_year[maker][year], member)
    if member:
        return fee
    return fee + fee * self.surcharge_bps // codes.BPS


@view
@external
def listings(listing: uint256) -> Listing:
    """
    @notice A per-patent listing (all zero for an unknown id).
    @param listing The listing's id.
    @return Its patent, lister, price, duration, field of use, territory,
            whether it is still listed (not withdrawn) and the patent's tenure
            it was made in. It sells only while `is_open`.
    """
    record: ListingRecord = self.listing_records[listing]
    return Listing(
        patent=record.patent,
        lister=convert(record.word & LICENSEE_MASK, address),
        price=record.price,
        duration=record.duration,
        field_of_use=record.field_of_use,
        territory=record.territory,
        active=record.word & ACTIVE_BIT != 0,
        tenure=record.word >> TENURE_SHIFT,
    )


@view
@external
def is_open(listing: uint256) -> bool:
    """
    @notice Whether a listing sells now: not withdrawn, its patent pooled and
            still in the tenure the listing was made in.
    @param listing The listing's id.
    @return True when `buy` would accept it (payment aside).
    """
    word: uint256 = self.listing_records[listing].word
    if word & ACTIVE_BIT == 0:
        return False
    return self._current_tenure(self.listing_records[listing].patent) == word >> TENURE_SHIFT


@view
@external
def open_listings(terms: bytes32) -> uint256:
    """
    @notice Listings that sell now of `terms_key(patent, field, territory)`:
            those of the patent's current tenure not withdrawn, none while the
            patent is out of the pool. The exchange reads it before selling an
            exclusive licence of those terms.
    @param terms The terms key.
    @return How many.
    """
    return self._open_listings(terms)


@pure
@external
def terms_key(patent: bytes32, field_of_use: String[64], territory: String[32]) -> bytes32:
    """
    @notice The key of a patent's licence terms, which exclusivity is checked by.
    @param patent The patent's id.
    @param field_of_use The field of use, exactly as listed.
    @param territory The territory, exactly as listed.
    @return keccak256(patent, keccak256(field_of_use), keccak256(territory)).
    """
    return self._terms_key(patent, field_of_use, territory)


@view
@external
def locked(holder: address) -> uint256:
    """
    @notice BPC locked for `holder`'s BPR (0 for a granted BPR or none).
    """
    return self.holding[holder] & LOCK_MASK


@view
@external
def unlocks_at(holder: address) -> uint256:
    """
    @notice When `holder` may release its converted BPR (0 if it has none).
    """
    return (self.holding[holder] >> UNLOCK_SHIFT) & TIME_MASK


@view
@external
def granted(holder: address) -> bool:
    """
    @notice Whether `holder`'s BPR is a council grant.
    """
    return self.holding[holder] & GRANTED_BIT != 0


@view
@external
def licences(licence: uint256) -> Licence:
    """
    @notice A per-patent licence: its listing, patent, licensee, start and end
            (all zero for an unknown id; listing 0 for an exclusive licence
            sold on the exchange).
    """
    terms: uint256 = self.licence_terms[licence]
    listing: uint256 = self.licence_listing[licence]
    patent: bytes32 = self.listing_records[listing].patent
    if listing == 0:
        patent = self.exclusive_patent[licence]
    return Licence(
        listing=listing,
        patent=patent,
        licensee=convert(terms & LICENSEE_MASK, address),
        start=(terms >> START_SHIFT) & TIME_MASK,
        end=terms >> END_SHIFT,
    )


@view
@external
def is_licensed(licence: uint256) -> bool:
    """
    @notice Whether a per-patent licence is in its term.
    @param licence The licence's id.
    @return True from its start until its end.
    """
    return block.timestamp < self.licence_terms[licence] >> END_SHIFT


@view
@external
def price_of(member: address) -> uint256:
    """
    @notice The BPC `member` would lock to convert now.
    @param member Any address.
    @return BPC (wei); 0 when its kind has no price or it is not an active member.
    """
    if not staticcall ALLIANCE.is_active(member):
        return 0
    return self._price_of(member)


@internal
def _set_surcharge(surcharge_bps: uint256):
    assert surcharge_bps <= codes.BPS, "licensing: surcharge above 10,000 bps"
    self.surcharge_bps = surcharge_bps
    log SurchargeSet(surcharge_bps=surcharge_bps)


@internal
def _set_device_schedule(s: DeviceSchedule):
    assert s.low_rate <= DEVICE_RATE_MAX and s.high_rate <= DEVICE_RATE_MAX, "licensing: device rate above 10^6 BPC"
    assert s.free_per_year <= BATCH_MAX * 1000 and s.volume_break <= BATCH_MAX * 1000, "licensing: device volume above 10^12"
    self.device_schedule = s
    log DeviceScheduleSet(
        free_per_year=s.free_per_year,
        low_rate=s.low_rate,
        volume_break=s.volume_break,
        high_rate=s.high_rate,
        annual_cap=s.annual_cap,
    )


@view
@internal
def _device_fee(before: uint256, count: uint256, paid: uint256, member: bool) -> uint256:
    """
    @dev The fee for devices before+1 .. before+count of a maker's year: free up
         to the allowance (an active member's only), the low rate up to the
         volume break, the high rate beyond; no more than the annual cap minus
         what it paid this year.
    """
    s: DeviceSchedule = self.device_schedule
    free: uint256 = 0
    if member:
        free = s.free_per_year
    after: uint256 = before + count
    fee: uint256 = 0
    low_from: uint256 = max(before, free)
    low_to: uint256 = min(after, max(s.volume_break, free))
    if low_to > low_from:
        fee += (low_to - low_from) * s.low_rate
    high_from: uint256 = max(before, max(s.volume_break, free))
    if after > high_from:
        fee += (after - high_from) * s.high_rate
    if s.annual_cap != 0:
        room: uint256 = 0
        if s.annual_cap > paid:
            room = s.annual_cap - paid
        fee = min(fee, room)
    return fee


@internal
def _collect(payer: address, amount: uint256, surcharge: uint256, reference: bytes32):
    """
    @dev Takes `amount` + `surcharge` BPC from `payer`: `amount` into the royalty
         split, `surcharge` to the fund.
    """
    assert extcall BPC.transferFrom(payer, self, amount + surcharge), "licensing: transfer failed"  # dev: BPC reverts first
    extcall ROYALTIES.pay(amount, reference)
    self.fees_to_royalties += amount
    if surcharge != 0:
        assert extcall BPC.transfer(FUND, surcharge), "licensing: transfer failed"  # dev: BPC reverts first
        self.surcharges_to_fund += surcharge


@view
@internal
def _current_tenure(patent: bytes32) -> uint256:
    """
    @dev The patent's tenure while it is pooled; max_value(uint256), which no
         listing holds, while it is not.
    """
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(patent)
    if status != codes.PATENT_POOLED:
        return max_value(uint256)
    return tenure


@view
@internal
def _licence_covers(licence: uint256) -> uint256:
    """
    @dev 1 while a per-patent (or exclusive) licence's patent is pooled, else 0.
    """
    patent: bytes32 = empty(bytes32)
    listing: uint256 = self.licence_listing[licence]
    if listing != 0:
        patent = self.listing_records[listing].patent
    else:
        patent = self.exclusive_patent[licence]
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(patent)
    if status == codes.PATENT_POOLED:
        return 1
    return 0


@view
@internal
def _open_listings(terms: bytes32) -> uint256:
    patent: bytes32 = self.terms_patent[terms]
    if patent == empty(bytes32):
        return 0  # dev: never listed
    tenure: uint256 = self._current_tenure(patent)
    if tenure == max_value(uint256):
        return 0
    return self.open_count[terms][tenure]


@view
@internal
def _check_agent(patent: bytes32, agent: address, price: uint256):
    """
    @dev Reverts unless `agent` holds the contributor's per-patent-licence
         mandate for `patent` on the exchange, in force now (not revoked or
         expired, given in the current tenure), at a floor `price` meets.
    """
    exchange: address = self.exchange
    assert exchange != empty(address), "licensing: only the patent's contributor or an agent it mandated lists terms"
    mandate: IExchange.Mandate = staticcall IExchange(exchange).mandate(patent, agent, MANDATE_PER_PATENT_LICENCE)
    assert mandate.in_force, "licensing: only the patent's contributor or an agent it mandated lists terms"
    assert price >= mandate.floor_price, "licensing: price below the mandate's floor"


@pure
@internal
def _terms_key(patent: bytes32, field_of_use: String[64], territory: String[32]) -> bytes32:
    return keccak256(abi_encode(patent, keccak256(field_of_use), keccak256(territory)))


@internal
def _set_tier(kind: uint8, price: uint256):
    assert kind >= codes.KIND_NON_PROFIT and kind <= codes.KIND_MAX, "licensing: unknown member kind"
    assert price <= TIER_MAX, "licensing: price above 10^12 BPC"
    self.tier_price[kind] = price
    log TierSet(kind=kind, price=price)


@internal
def _set_large_enterprise_rate(price_per_bps: uint256):
    assert price_per_bps <= TIER_MAX // codes.BPS, "licensing: rate above 10^12 BPC at full share"
    self.large_enterprise_price_per_bps = price_per_bps
    log LargeEnterpriseRateSet(price_per_bps=price_per_bps)


@internal
def _set_min_term(min_term: uint256):
    assert min_term <= MIN_TERM_MAX, "licensing: minimum term above ten years"
    self.min_term = min_term
    log MinTermSet(min_term=min_term)


@view
@internal
def _price_of(member: address) -> uint256:
    kind: uint8 = staticcall ALLIANCE.kind_of(member)
    price: uint256 = self.tier_price[kind]
    if kind == codes.KIND_LARGE_ENTERPRISE and price != 0:
        share: uint256 = convert(staticcall ALLIANCE.market_share_of(member), uint256)
        price += share * self.large_enterprise_price_per_bps
    return price


@internal
def _end(holder: address):
    """
    @dev Burns `holder`'s BPR and returns its lock (none for a grant).
    """
    record: uint256 = self.holding[holder]
    amount: uint256 = record & LOCK_MASK
    if record & GRANTED_BIT != 0:
        self.grants -= 1
    else:
        self.conversions -= 1
    self.holding[holder] = 0
    self.total_locked -= amount
    extcall BPR.burn(holder)
    if amount != 0:
        assert extcall BPC.transfer(holder, amount), "licensing: transfer failed"  # dev: BPC reverts first
