# pragma version ~=0.4.3
"""
@title bpr_tiers
@notice Pool licences (BPR) at a published tier price. An active member locks
        exactly its tier's BPC and receives one BPR, the right to use every
        pooled patent; it releases the BPR after the council's minimum term
        and gets the same BPC back. The tier price depends only on the member's
        kind (and, for a large enterprise, its market share in Alliance), so it
        is the same for every member in the same position: fair, reasonable and
        non-discriminatory, and readable by anyone. Non-profit members receive
        a BPR free by council grant; the council revokes an expelled member's
        BPR and returns its lock. Each BPR is made under the pool's standard BPR
        agreement in force then (`agreements`): a buyer passes the digest it
        read to `convert`, which refuses it if the council changed it since.
@dev A holder's record is one word (`holding`): it is not zero exactly while
     the holder holds a BPR (a conversion locks a price of at least 1 wei; a
     grant sets its bit), so the desk asks it, not BPR, whether someone holds
     one. BPR keeps its own balance for wallets and refuses a second licence too.
"""

from interfaces import ICoverage
from snekmate.auth import ownable
import agreements
import codes
import licence_fees

uses: ownable
uses: licence_fees
uses: agreements


MIN_TERM_MAX: constant(uint256) = 10 * 365 * 86400

# @notice The log of the pooled set (Coverage) whose size a BPR records as its snapshot.
COVERAGE: public(immutable(ICoverage))

# A kind's tier in one word, which a conversion reads anyway: the BPC to lock for
# one BPR (bits 0-127; 0: no conversion) and the BPR agreement version in force
# (bits 128-143, the same in every kind's word: `agreements`' BPR version, copied
# here so a conversion reads no other word). Read it through `tier_price`.
tiers: HashMap[uint8, uint256]
TIER_PRICE_MASK: constant(uint256) = 2**128 - 1
TIER_VERSION_SHIFT: constant(uint256) = 128
# @notice Added to a large enterprise's price per basis point of its market share.
large_enterprise_price_per_bps: public(uint256)
# A BPR holder's record in one word: the BPC locked (bits 0-127, 0 for a grant),
# when the lock may be released (bits 128-167: the conversion's time plus the
# minimum term then in force, so a later change of term binds only later
# conversions), the BPR agreement version it was made under (bits 168-183), the
# snapshot of the patents it covered on its date (bits 184-223: Coverage's log size
# then, whose root is Coverage.root_at(size)) and whether the BPR was granted (bit
# 255). Read it through `locked`, `unlocks_at`, `granted`, `bpr_agreement` and
# `snapshot_of`.
holding: HashMap[address, uint256]
LOCK_MASK: constant(uint256) = 2**128 - 1
UNLOCK_SHIFT: constant(uint256) = 128
TIME_MASK: constant(uint256) = 2**40 - 1
AGREEMENT_SHIFT: constant(uint256) = 168
VERSION_MASK: constant(uint256) = 2**16 - 1
SNAPSHOT_SHIFT: constant(uint256) = 184
SNAPSHOT_MASK: constant(uint256) = 2**40 - 1
GRANTED_BIT: constant(uint256) = 1 << 255

# The minimum term and the desk's totals in one word, read and written once a
# conversion (and never zero once deployed with a term, so the first conversion
# changes it rather than creating it): the BPC locked (bits 0-147), the converted
# BPRs held (148-185), the granted ones (186-223) and the seconds a new conversion
# stays locked (224-255). Read them through `total_locked`, `conversions`, `grants`
# and `min_term`.
desk: uint256
LOCKED_MASK: constant(uint256) = 2**148 - 1
CONVERSIONS_SHIFT: constant(uint256) = 148
GRANTS_SHIFT: constant(uint256) = 186
COUNT_MASK: constant(uint256) = 2**38 - 1
MIN_TERM_SHIFT: constant(uint256) = 224

event TierSet:
    kind: indexed(uint8)
    price: uint256


event LargeEnterpriseRateSet:
    price_per_bps: uint256


event MinTermSet:
    min_term: uint256


# @notice agreement_version: the BPR agreement version it was made under
#         (`agreement(1, version)`); coverage: the snapshot, Coverage's log size
#         when the BPR was issued.
event Converted:
    holder: indexed(address)
    kind: uint8
    locked: uint256
    agreement_version: uint256
    coverage: uint256


event Released:
    holder: indexed(address)
    returned: uint256


event Granted:
    holder: indexed(address)
    agreement_version: uint256
    coverage: uint256


event Revoked:
    holder: indexed(address)
    returned: uint256


@deploy
def __init__(tier_prices: uint256[5], large_enterprise_price_per_bps: uint256, min_term: uint256, coverage: ICoverage):
    """
    @notice Sets the first tier schedule and names the log of the pooled set.
    @param tier_prices BPC per BPR for kinds 1 to 5 (non-profit, start-up, SME,
           large enterprise, individual); 0 closes conversion for a kind.
    @param large_enterprise_price_per_bps Added per basis point of market share.
    @param min_term Seconds a conversion stays locked.
    @param coverage The pool's Coverage log (PatentPool.COVERAGE).
    """
    COVERAGE = coverage
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
def convert(agreement: bytes32 = empty(bytes32)) -> uint256:
    """
    @notice Locks the caller's tier price in BPC and issues it one BPR, made
            under the BPR agreement in force (`agreements`).
    @dev The caller approves this contract for the price first (or permits).
    @param agreement The digest of the BPR agreement the caller read
           (`agreement(1, agreement_version(1))`): the conversion reverts if
           another is in force, so the council cannot change the terms under a
           pending conversion. Empty accepts the one in force.
    @return The BPC locked.
    """
    assert staticcall licence_fees.ALLIANCE.is_active(msg.sender), "licensing: not an active member"
    assert self.holding[msg.sender] == 0, "licensing: already holds a BPR"  # dev: see the module's @dev
    kind: uint8 = staticcall licence_fees.ALLIANCE.kind_of(msg.sender)
    tier: uint256 = self.tiers[kind]
    price: uint256 = self._price_from(msg.sender, kind, tier & TIER_PRICE_MASK)
    assert price != 0, "licensing: no tier price for this member kind"
    version: uint256 = tier >> TIER_VERSION_SHIFT
    if agreement != empty(bytes32):
        assert agreements.agreement[agreements.KIND_BPR][version] == agreement, "licensing: the BPR agreement in force is not the one given"
    assert extcall licence_fees.BPC.transferFrom(msg.sender, self, price), "licensing: transfer failed"  # dev: BPC reverts first
    desk: uint256 = self.desk
    snapshot: uint256 = staticcall COVERAGE.size()  # dev: under 2^24, Coverage's capacity
    self.holding[msg.sender] = (
        price
        | ((block.timestamp + (desk >> MIN_TERM_SHIFT)) << UNLOCK_SHIFT)
        | (version << AGREEMENT_SHIFT)
        | (snapshot << SNAPSHOT_SHIFT)
    )
    # dev: the BPC locked never pass the supply (PatentPool's SUPPLY_MAX, 10^44 < 2^148),
    # dev: and 2^38 holders at once are out of reach: no field carries into the next
    self.desk = desk + (price | (1 << CONVERSIONS_SHIFT))
    extcall licence_fees.BPR.mint(msg.sender)
    log Converted(holder=msg.sender, kind=kind, locked=price, agreement_version=version, coverage=snapshot)
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
    self._end(msg.sender, record)
    log Released(holder=msg.sender, returned=amount)
    return amount


@external
def grant(member: address):
    """
    @notice Issues a free BPR to an active non-profit member (council only).
    @param member The non-profit.
    """
    ownable._check_owner()
    assert staticcall licence_fees.ALLIANCE.is_active(member), "licensing: not an active member"
    assert staticcall licence_fees.ALLIANCE.kind_of(member) == codes.KIND_NON_PROFIT, "licensing: only non-profits receive a free BPR"
    assert self.holding[member] == 0, "licensing: already holds a BPR"  # dev: see the module's @dev
    version: uint256 = agreements.agreement_version[agreements.KIND_BPR]
    snapshot: uint256 = staticcall COVERAGE.size()  # dev: under 2^24, Coverage's capacity
    self.holding[member] = GRANTED_BIT | (version << AGREEMENT_SHIFT) | (snapshot << SNAPSHOT_SHIFT)
    self.desk += 1 << GRANTS_SHIFT  # dev: 2^38 grants held at once are out of reach
    extcall licence_fees.BPR.mint(member)
    log Granted(holder=member, agreement_version=version, coverage=snapshot)


@external
def revoke(holder: address):
    """
    @notice Ends an expelled member's BPR and returns its lock, if any (council
            only). A granted BPR is revoked the same way.
    @param holder The expelled member.
    """
    ownable._check_owner()
    assert staticcall licence_fees.ALLIANCE.status_of(holder) == codes.STATUS_EXPELLED, "licensing: only an expelled member's BPR is revoked"
    record: uint256 = self.holding[holder]
    assert record != 0, "licensing: holds no BPR"  # dev: see the module's @dev
    self._end(holder, record)
    log Revoked(holder=holder, returned=record & LOCK_MASK)


@view
@external
def tier_price(kind: uint8) -> uint256:
    """
    @notice BPC to lock for one BPR by a member of `kind` (codes.KIND_*); 0: no conversion.
    """
    return self.tiers[kind] & TIER_PRICE_MASK


@view
@external
def bpr_agreement(holder: address) -> bytes32:
    """
    @notice The digest of the agreement `holder`'s BPR was made under (empty
            if it holds none, or if no BPR agreement was in force then).
    """
    record: uint256 = self.holding[holder]
    if record == 0:
        return empty(bytes32)
    return agreements.agreement[agreements.KIND_BPR][(record >> AGREEMENT_SHIFT) & VERSION_MASK]


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
def snapshot_of(holder: address) -> (uint256, bytes32):
    """
    @notice The snapshot of the patents `holder`'s BPR covered on its date: Coverage's
            log size when it was converted or granted, and the root of that many leaves.
    @param holder A BPR holder.
    @return (log size, Coverage.root_at(size)).
    """
    record: uint256 = self.holding[holder]
    assert record != 0, "licensing: holds no BPR"  # dev: see the module's @dev
    size: uint256 = (record >> SNAPSHOT_SHIFT) & SNAPSHOT_MASK
    return size, staticcall COVERAGE.root_at(size)


@view
@external
def covers(holder: address, patent: bytes32, entry: uint256, at: uint256, proof: bytes32[24]) -> bool:
    """
    @notice Whether `holder`'s BPR covered `patent` on its date: a stay of the patent
            had begun and not ended in the log's first `snapshot_of(holder)` leaves
            (Coverage.covered). False for an address holding no BPR.
    @param holder A BPR holder.
    @param patent The patent's id.
    @param entry The index of the stay's entry leaf in the log.
    @param at The time that entry leaf records.
    @param proof The entry leaf's Merkle proof, leaf upwards.
    @return True when covered.
    """
    record: uint256 = self.holding[holder]
    if record == 0:
        return False
    return staticcall COVERAGE.covered((record >> SNAPSHOT_SHIFT) & SNAPSHOT_MASK, patent, entry, at, proof)


@view
@external
def min_term() -> uint256:
    """
    @notice Seconds a new conversion stays locked before it may be released (each
            conversion keeps the term in force when it was made).
    """
    return self.desk >> MIN_TERM_SHIFT


@view
@external
def total_locked() -> uint256:
    """
    @notice BPC locked by every converted BPR.
    """
    return self.desk & LOCKED_MASK


@view
@external
def conversions() -> uint256:
    """
    @notice Converted BPRs held now.
    """
    return (self.desk >> CONVERSIONS_SHIFT) & COUNT_MASK


@view
@external
def grants() -> uint256:
    """
    @notice Granted BPRs held now.
    """
    return (self.desk >> GRANTS_SHIFT) & COUNT_MASK


@view
@external
def price_of(member: address) -> uint256:
    """
    @notice The BPC `member` would lock to convert now.
    @param member Any address.
    @return BPC (wei); 0 when its kind has no price or it is not an active member.
    """
    if not staticcall licence_fees.ALLIANCE.is_active(member):
        return 0
    return self._price_of(member, staticcall licence_fees.ALLIANCE.kind_of(member))


@view
@internal
def _holds(holder: address) -> bool:
    """
    @dev Whether `holder` holds a BPR (converted or granted).
    """
    return self.holding[holder] != 0


@internal
def _set_tier(kind: uint8, price: uint256):
    assert kind >= codes.KIND_NON_PROFIT and kind <= codes.KIND_MAX, "licensing: unknown member kind"
    assert price <= licence_fees.PRICE_MAX, "licensing: price above 10^12 BPC"  # dev: under 2^128
    self.tiers[kind] = (self.tiers[kind] & ~TIER_PRICE_MASK) | price
    log TierSet(kind=kind, price=price)


@internal
def _set_large_enterprise_rate(price_per_bps: uint256):
    assert price_per_bps <= licence_fees.PRICE_MAX // codes.BPS, "licensing: rate above 10^12 BPC at full share"
    self.large_enterprise_price_per_bps = price_per_bps
    log LargeEnterpriseRateSet(price_per_bps=price_per_bps)


@internal
def _set_min_term(min_term: uint256):
    assert min_term <= MIN_TERM_MAX, "licensing: minimum term above ten years"  # dev: under 2^32
    desk: uint256 = self.desk
    self.desk = (desk & ((1 << MIN_TERM_SHIFT) - 1)) | (min_term << MIN_TERM_SHIFT)
    log MinTermSet(min_term=min_term)


@internal
def _set_agreement_version(version: uint256):
    """
    @dev Copies the BPR agreement version now in force into every kind's tier word.
    """
    for kind: uint8 in range(codes.KIND_NON_PROFIT, codes.KIND_MAX + 1):
        self.tiers[kind] = (self.tiers[kind] & TIER_PRICE_MASK) | (version << TIER_VERSION_SHIFT)


@view
@internal
def _price_of(member: address, kind: uint8) -> uint256:
    return self._price_from(member, kind, self.tiers[kind] & TIER_PRICE_MASK)


@view
@internal
def _price_from(member: address, kind: uint8, base: uint256) -> uint256:
    price: uint256 = base
    if kind == codes.KIND_LARGE_ENTERPRISE and price != 0:
        share: uint256 = convert(staticcall licence_fees.ALLIANCE.market_share_of(member), uint256)
        price += share * self.large_enterprise_price_per_bps
    return price


@internal
def _end(holder: address, record: uint256):
    """
    @dev Burns `holder`'s BPR and returns its lock (none for a grant).
    """
    amount: uint256 = record & LOCK_MASK
    if record & GRANTED_BIT != 0:
        self.desk -= 1 << GRANTS_SHIFT
    else:
        self.desk -= amount | (1 << CONVERSIONS_SHIFT)  # dev: what its conversion added
    self.holding[holder] = 0
    extcall licence_fees.BPR.burn(holder)
    if amount != 0:
        assert extcall licence_fees.BPC.transfer(holder, amount), "licensing: transfer failed"  # dev: BPC reverts first
