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
@dev Per-patent and per-device licences and licence claims extend this
     contract in later steps of the licensing issue.
"""

from interfaces import IAlliance
from interfaces import IBPC
from interfaces import IBPR
from snekmate.auth import ownable
import codes

initializes: ownable

exports: (ownable.owner, ownable.transfer_ownership)


# @dev Caps a tier price at 10^12 BPC so a share-scaled price stays far from overflow.
TIER_MAX: constant(uint256) = 10**30
MIN_TERM_MAX: constant(uint256) = 10 * 365 * 86400

ALLIANCE: public(immutable(IAlliance))
BPC: public(immutable(IBPC))
BPR: public(immutable(IBPR))

# @notice BPC to lock for one BPR, by member kind (codes.KIND_*); 0: no conversion.
tier_price: public(HashMap[uint8, uint256])
# @notice Added to a large enterprise's price per basis point of its market share.
large_enterprise_price_per_bps: public(uint256)
# @notice Seconds a conversion stays locked before it may be released.
min_term: public(uint256)

# @notice BPC locked by each holder (0 for a granted BPR).
locked: public(HashMap[address, uint256])
locked_since: public(HashMap[address, uint256])
granted: public(HashMap[address, bool])
total_locked: public(uint256)
conversions: public(uint256)
grants: public(uint256)


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


@deploy
def __init__(
    alliance: IAlliance,
    bpc: IBPC,
    bpr: IBPR,
    council: address,
    tier_prices: uint256[5],
    large_enterprise_price_per_bps: uint256,
    min_term: uint256,
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
    """
    assert council != empty(address), "licensing: council is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    ALLIANCE = alliance
    BPC = bpc
    BPR = bpr
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
    @notice Sets the seconds a conversion stays locked (council only).
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
    self.locked[msg.sender] = price
    self.locked_since[msg.sender] = block.timestamp
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
    amount: uint256 = self.locked[msg.sender]
    assert amount != 0, "licensing: no converted BPR to release"
    assert block.timestamp >= self.locked_since[msg.sender] + self.min_term, "licensing: minimum term not over"
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
    self.granted[member] = True
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
    returned: uint256 = self.locked[holder]
    self._end(holder)
    log Revoked(holder=holder, returned=returned)


@view
@external
def price_of(member: address) -> uint256:
    """
    @notice The BPC `member` would lock to convert now.
    @param member Any address.
    @return BPC (wei); 0 when its kind has no price or it is not a member.
    """
    return self._price_of(member)


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
    amount: uint256 = self.locked[holder]
    if self.granted[holder]:
        self.granted[holder] = False
        self.grants -= 1
    else:
        self.conversions -= 1
    self.locked[holder] = 0
    self.locked_since[holder] = 0
    self.total_locked -= amount
    extcall BPR.burn(holder)
    if amount != 0:
        assert extcall BPC.transfer(holder, amount), "licensing: transfer failed"  # dev: BPC reverts first
