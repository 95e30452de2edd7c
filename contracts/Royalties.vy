# pragma version ~=0.4.3
"""
@title Royalties
@notice Every fee paid into the pool, in BPC, splits three ways by the
        council's basis points: the contributors of pooled patents (by each
        patent's rating weight), their trusteeship centres (by the weight of
        the patents they manage) and the foundation's fund. Contributors and
        centres claim what they earned whenever they like (pull-based).
@dev Two global accumulators of BPC per unit of weight (MasterChef-style):
     an account's earnings are weight x (accumulator - its checkpoint), so
     `claim` reads a handful of words whatever the number of patents. The
     pool reports every change of a patent's weight through `change_weight`;
     the account is settled first, so a removed or expired patent stops
     accruing and keeps what it earned. A share with no weight to receive it
     (no pooled patent, or no patent with a centre) goes to the fund.
     Rounding: the accumulator carries its division remainder to the next
     fee, and each settlement rounds down (at most 1 wei per settlement
     stays in this contract, never more than was paid in).
"""

from interfaces import IBPC
from snekmate.auth import ownable
import codes

initializes: ownable

exports: (ownable.owner, ownable.transfer_ownership)


# @dev Accumulators are scaled by 1e27 so a 1-wei fee over 10^7 weight still moves them.
PRECISION: constant(uint256) = 10**27

BPC: public(immutable(IBPC))
POOL: public(immutable(address))
FUND: public(immutable(address))

contributor_bps: public(uint256)
centre_bps: public(uint256)
fund_bps: public(uint256)

# @notice BPC per unit of weight, scaled by PRECISION, since deployment.
contributor_accumulator: public(uint256)
centre_accumulator: public(uint256)
contributor_carry: uint256
centre_carry: uint256

total_contributor_weight: public(uint256)
total_centre_weight: public(uint256)
contributor_weight: public(HashMap[address, uint256])
centre_weight: public(HashMap[address, uint256])
contributor_checkpoint: HashMap[address, uint256]
centre_checkpoint: HashMap[address, uint256]

# @dev Earnings settled into an account and not yet claimed.
settled: HashMap[address, uint256]

# @notice Totals for auditors: every BPC that came in and where it went.
fees_in: public(uint256)
paid_to_fund: public(uint256)
claimed: public(uint256)


event RoyaltyPaid:
    payer: indexed(address)
    reference: indexed(bytes32)
    amount: uint256
    to_contributors: uint256
    to_centres: uint256
    to_fund: uint256


event Claimed:
    account: indexed(address)
    amount: uint256


event WeightChanged:
    contributor: indexed(address)
    centre: indexed(address)
    old_weight: uint256
    new_weight: uint256


event SplitSet:
    contributor_bps: uint256
    centre_bps: uint256
    fund_bps: uint256


@deploy
def __init__(bpc: IBPC, pool: address, fund: address, council: address, contributor_bps: uint256, centre_bps: uint256, fund_bps: uint256):
    """
    @notice Deploys the royalty ledger of `pool`, paying in `bpc`.
    @param bpc The pool's token.
    @param pool The PatentPool (the only caller of `change_weight`).
    @param fund The foundation's fund.
    @param council The council's Governance contract (sets the split).
    @param contributor_bps The contributors' share in basis points.
    @param centre_bps The trusteeship centres' share.
    @param fund_bps The fund's share; the three add up to 10,000.
    """
    assert bpc.address != empty(address), "royalties: token is the zero address"
    assert pool != empty(address), "royalties: pool is the zero address"
    assert fund != empty(address), "royalties: fund is the zero address"
    assert council != empty(address), "royalties: council is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    BPC = bpc
    POOL = pool
    FUND = fund
    self._set_split(contributor_bps, centre_bps, fund_bps)


@external
def set_split(contributor_bps: uint256, centre_bps: uint256, fund_bps: uint256):
    """
    @notice Sets the three shares of every later fee (council only).
    @param contributor_bps The contributors' share in basis points.
    @param centre_bps The trusteeship centres' share.
    @param fund_bps The fund's share; the three add up to 10,000.
    """
    ownable._check_owner()
    self._set_split(contributor_bps, centre_bps, fund_bps)


@external
def pay(amount: uint256, reference: bytes32):
    """
    @notice Pays a fee of `amount` BPC from the caller into the pool's royalties.
    @dev The caller approves this contract first (or uses BPC's permit).
    @param amount The fee in BPC (wei).
    @param reference What the fee is for (a licence id, a query batch).
    """
    assert amount != 0, "royalties: amount is zero"
    assert extcall BPC.transferFrom(msg.sender, self, amount), "royalties: transfer failed"  # dev: BPC reverts first
    to_fund: uint256 = amount * self.fund_bps // codes.BPS
    to_centres: uint256 = amount * self.centre_bps // codes.BPS
    to_contributors: uint256 = amount - to_fund - to_centres  # dev: rounding dust goes to contributors

    total: uint256 = self.total_contributor_weight
    if total == 0:
        to_fund += to_contributors
        to_contributors = 0
    elif to_contributors != 0:
        scaled: uint256 = to_contributors * PRECISION + self.contributor_carry
        self.contributor_accumulator += scaled // total
        self.contributor_carry = scaled % total

    total = self.total_centre_weight
    if total == 0:
        to_fund += to_centres
        to_centres = 0
    elif to_centres != 0:
        scaled: uint256 = to_centres * PRECISION + self.centre_carry
        self.centre_accumulator += scaled // total
        self.centre_carry = scaled % total

    self.fees_in += amount
    if to_fund != 0:
        self.paid_to_fund += to_fund
        assert extcall BPC.transfer(FUND, to_fund), "royalties: transfer failed"  # dev: BPC reverts first
    log RoyaltyPaid(
        payer=msg.sender,
        reference=reference,
        amount=amount,
        to_contributors=to_contributors,
        to_centres=to_centres,
        to_fund=to_fund,
    )


@external
def claim() -> uint256:
    """
    @notice Pays the caller everything it earned as a contributor and as a
            trusteeship centre.
    @return The BPC paid.
    """
    self._settle(msg.sender)
    amount: uint256 = self.settled[msg.sender]
    assert amount != 0, "royalties: nothing to claim"
    self.settled[msg.sender] = 0
    self.claimed += amount
    assert extcall BPC.transfer(msg.sender, amount), "royalties: transfer failed"  # dev: BPC reverts first
    log Claimed(account=msg.sender, amount=amount)
    return amount


@external
def change_weight(contributor: address, centre: address, old_weight: uint256, new_weight: uint256):
    """
    @notice Moves a pooled patent's rating weight from `old_weight` to
            `new_weight` (pool only): 0 -> score when pooled, score -> score'
            when re-rated, score -> 0 when removed or expired.
    @param contributor The patent's contributor.
    @param centre The patent's trusteeship centre, or the zero address.
    @param old_weight The weight the patent had.
    @param new_weight The weight it has now.
    """
    assert msg.sender == POOL, "royalties: only the pool changes weights"
    self._settle(contributor)
    self.contributor_checkpoint[contributor] = self.contributor_accumulator
    self.contributor_weight[contributor] = self.contributor_weight[contributor] + new_weight - old_weight
    self.total_contributor_weight = self.total_contributor_weight + new_weight - old_weight
    if centre != empty(address):
        self._settle(centre)
        self.centre_checkpoint[centre] = self.centre_accumulator
        self.centre_weight[centre] = self.centre_weight[centre] + new_weight - old_weight
        self.total_centre_weight = self.total_centre_weight + new_weight - old_weight
    log WeightChanged(contributor=contributor, centre=centre, old_weight=old_weight, new_weight=new_weight)


@view
@external
def claimable(account: address) -> uint256:
    """
    @notice What `account` would receive from `claim` now.
    @param account A contributor or trusteeship centre.
    @return The BPC (wei).
    """
    return (
        self.settled[account]
        + self._pending(self.contributor_weight[account], self.contributor_accumulator, self.contributor_checkpoint[account])
        + self._pending(self.centre_weight[account], self.centre_accumulator, self.centre_checkpoint[account])
    )


@internal
def _set_split(contributor_bps: uint256, centre_bps: uint256, fund_bps: uint256):
    assert contributor_bps + centre_bps + fund_bps == codes.BPS, "royalties: shares must add up to 10,000 basis points"
    self.contributor_bps = contributor_bps
    self.centre_bps = centre_bps
    self.fund_bps = fund_bps
    log SplitSet(contributor_bps=contributor_bps, centre_bps=centre_bps, fund_bps=fund_bps)


@internal
def _settle(account: address):
    """
    @dev Moves `account`'s pending earnings into `settled` and checkpoints
         each side that has weight. A side without weight keeps a stale
         checkpoint: `change_weight` resets it before any weight arrives.
    """
    weight: uint256 = self.contributor_weight[account]
    if weight != 0:
        acc: uint256 = self.contributor_accumulator
        checkpoint: uint256 = self.contributor_checkpoint[account]
        if checkpoint != acc:
            self.settled[account] += self._pending(weight, acc, checkpoint)
            self.contributor_checkpoint[account] = acc
    weight = self.centre_weight[account]
    if weight != 0:
        acc: uint256 = self.centre_accumulator
        checkpoint: uint256 = self.centre_checkpoint[account]
        if checkpoint != acc:
            self.settled[account] += self._pending(weight, acc, checkpoint)
            self.centre_checkpoint[account] = acc


@pure
@internal
def _pending(weight: uint256, accumulator: uint256, checkpoint: uint256) -> uint256:
    # dev: rounds down, against the account, so the ledger never owes more than it holds
    return weight * (accumulator - checkpoint) // PRECISION
