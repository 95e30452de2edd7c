# pragma version ~=0.4.3
"""
@title Royalties
@notice Every fee paid into the pool, in BPC, splits three ways by the
        council's basis points: the contributors of pooled patents, their
        trusteeship centres and the foundation's fund. Both of the first two
        shares are divided over the whole pool's rating weight, so each patent
        earns its weight's part of each, whoever receives it: its contributor
        takes the contributor part; its trusteeship centre takes the centre
        part, or, for a patent that names no centre, its contributor, who
        manages the patent itself (whitepaper 4.3 (4): a centre's part of the
        proceeds comes from its agreement with the provider). A centre thus
        never earns more than its patents' share of the whole pool. Only a
        centre whose trusteeship mandate it accepted (PatentPool.accept_mandate)
        holds a patent's centre weight, from acceptance to the mandate's end. A
        fee one patent earned (a per-patent licence, an exclusive licence, an
        infringement settlement) goes to that patent alone (`pay_for`): the
        fund's share, the mandate's share (at most the centres' share) to the
        centre of a mandate in force, the rest to its contributor.
        Contributors and centres claim what they earned whenever they like
        (pull-based).
@dev Two global accumulators of BPC per unit of weight (MasterChef-style),
     advanced and read with the one arithmetic of `accumulator.vy`, in two
     roles: `royalty_accumulator` counts the contributors' and centres' shares
     together, `centre_accumulator` the centres' part of it. An account earns
     contributor_weight x royalty_accumulator (its patents earn both parts),
     plus centre_weight x centre_accumulator (the patents it manages for
     others as their named centre), less delegated_weight x
     centre_accumulator (its own patents that a named centre manages), each
     since its checkpoints; so an account whose patents name no centre keeps
     one weight and one checkpoint, as before, and `claim` reads a handful of
     words whatever the number of patents. The pool reports every change of a
     patent's weight through `change_weight`; the accounts are settled first,
     so a removed, expired or sold patent stops accruing and keeps what it
     earned. With no pooled patent, a fee goes to the fund.
     Rounding: each accumulator carries its division remainder to the next
     fee, and each settlement rounds down once (at most 1 wei per settlement
     stays in this contract, never more than was paid in).
"""

from interfaces import IBPC
from interfaces import IPatentPool
from snekmate.auth import ownable
import accumulator
import codes

initializes: ownable

exports: (ownable.owner, ownable.transfer_ownership)


PRECISION: constant(uint256) = accumulator.PRECISION
# @dev One half of a packed word (centre-side weights, carries). Scores are at most 100 a
#      patent, so weights and remainders under the total weight fit far below it.
HALF_MASK: constant(uint256) = 2**128 - 1
HALF_SHIFT: constant(uint256) = 128

BPC: public(immutable(IBPC))
POOL: public(immutable(address))
FUND: public(immutable(address))

# The three shares in one word (one read a fee): contributors' | centres' << 16 | the
# fund's << 32, each at most 10,000. Read them through `contributor_bps`, `centre_bps`
# and `fund_bps`.
split: uint256
BPS_MASK: constant(uint256) = 2**16 - 1
CENTRE_SHIFT: constant(uint256) = 16
FUND_SHIFT: constant(uint256) = 32

# @notice BPC per unit of weight, scaled by PRECISION, since deployment: the
#         contributors' and centres' shares together.
royalty_accumulator: public(uint256)
# @notice The centres' part of `royalty_accumulator`.
centre_accumulator: public(uint256)
# @dev The accumulators' division remainders, both under the total weight:
#      contributor carry | centre carry << 128 (one word: one write a fee).
carries: uint256

# @notice The whole pool's rating weight (every pooled patent's score).
total_contributor_weight: public(uint256)
# @notice The weight of the pooled patents an account contributed.
contributor_weight: public(HashMap[address, uint256])
# @dev An account's centre-side weights: managed | delegated << 128 (see `centre_weight`
#      and `delegated_weight`); 0 for an account whose patents name no centre.
centre_weights: HashMap[address, uint256]
# @dev On royalty_accumulator; meaningful while contributor_weight is not 0.
contributor_checkpoint: HashMap[address, uint256]
# @dev On centre_accumulator; meaningful while managed != delegated (and in step with
#      contributor_checkpoint then: both set in the same settlement).
centre_checkpoint: HashMap[address, uint256]

# @dev Earnings settled into an account and not yet claimed.
settled: HashMap[address, uint256]

# @notice Totals for auditors: every BPC that came in and where it went (fees_in =
#         paid_to_fund + what the accumulators spread + credited_to_patents).
fees_in: public(uint256)
paid_to_fund: public(uint256)
claimed: public(uint256)
# @notice What `pay_for` credited to patents' contributors and centres.
credited_to_patents: public(uint256)


event RoyaltyPaid:
    payer: indexed(address)
    reference: indexed(bytes32)
    amount: uint256
    to_contributors: uint256
    to_centres: uint256
    to_fund: uint256


# @notice A fee one patent earned and its split: `to_contributor` credited to its
#         contributor, `to_centre` to the trusteeship centre of its mandate in force
#         (the mandate's share; the zero address and 0 without one: the contributor
#         takes that part), `to_fund` paid.
event PatentRoyaltyPaid:
    payer: indexed(address)
    patent: indexed(bytes32)
    reference: indexed(bytes32)
    amount: uint256
    contributor: address
    to_contributor: uint256
    centre: address
    to_centre: uint256
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
    split: uint256 = self.split
    to_fund: uint256 = amount * (split >> FUND_SHIFT) // codes.BPS
    to_centres: uint256 = amount * ((split >> CENTRE_SHIFT) & BPS_MASK) // codes.BPS
    to_contributors: uint256 = amount - to_fund - to_centres  # dev: rounding dust goes to contributors

    total: uint256 = self.total_contributor_weight
    if total == 0:
        to_fund = amount  # dev: no pooled patent to earn it
        to_contributors = 0
        to_centres = 0
    else:
        # dev: every unit of weight has a manager (its centre or its contributor), so
        # dev: both shares divide over the whole pool's weight
        carries: uint256 = self.carries
        step: uint256 = 0
        contributor_carry: uint256 = 0
        centre_step: uint256 = 0
        centre_carry: uint256 = 0
        step, contributor_carry = accumulator._advance(to_contributors, carries & HALF_MASK, total)
        centre_step, centre_carry = accumulator._advance(to_centres, carries >> HALF_SHIFT, total)
        if centre_step != 0:
            self.centre_accumulator += centre_step
            step += centre_step
        # dev: both remainders are under the total weight, itself under 2**128 (change_weight)
        self.carries = contributor_carry | (centre_carry << HALF_SHIFT)
        if step != 0:
            # dev: moves by at least the centre accumulator's step, so no account's
            # dev: delegated part can exceed what its own weight earned (see _earned)
            self.royalty_accumulator += step

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
def pay_for(patent: bytes32, amount: uint256, reference: bytes32):
    """
    @notice Pays a fee of `amount` BPC that one patent earned, from the caller:
            the fund's share to the fund; to the trusteeship centre whose
            accepted mandate is in force, the mandate's share (at most the
            council's centre share); the rest to its contributor of record,
            each to claim.
    @dev The caller approves this contract first. The patent's contributor and
         centre are read from the pool when the fee is paid: a patent that
         changed hands pays its new contributor from then on, and a centre
         whose mandate was not accepted, ended or expired earns nothing.
    @param patent The patent's id (submitted at least once).
    @param amount The fee in BPC (wei).
    @param reference What the fee is for (a licence listing, a case).
    """
    assert amount != 0, "royalties: amount is zero"
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    share: uint256 = 0
    status, contributor, centre, share = staticcall IPatentPool(POOL).payees(patent)
    assert status != codes.PATENT_NONE, "royalties: no such patent"
    assert extcall BPC.transferFrom(msg.sender, self, amount), "royalties: transfer failed"  # dev: BPC reverts first
    split: uint256 = self.split
    to_fund: uint256 = amount * (split >> FUND_SHIFT) // codes.BPS
    to_centre: uint256 = 0
    if centre != empty(address) and centre != contributor:
        # dev: the mandate's share, capped by the council's centre share (lowered since the offer)
        to_centre = amount * min(share, (split >> CENTRE_SHIFT) & BPS_MASK) // codes.BPS
    else:
        centre = empty(address)  # dev: no mandate in force: the contributor manages the patent
    to_contributor: uint256 = amount - to_fund - to_centre  # dev: rounding dust to the contributor
    self.settled[contributor] += to_contributor
    if to_centre != 0:
        self.settled[centre] += to_centre
    self.fees_in += amount
    self.credited_to_patents += amount - to_fund
    if to_fund != 0:
        self.paid_to_fund += to_fund
        assert extcall BPC.transfer(FUND, to_fund), "royalties: transfer failed"  # dev: BPC reverts first
    log PatentRoyaltyPaid(
        payer=msg.sender,
        patent=patent,
        reference=reference,
        amount=amount,
        contributor=contributor,
        to_contributor=to_contributor,
        centre=centre,
        to_centre=to_centre,
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
            when re-rated, score -> 0 when removed, expired or sold.
    @dev The contributor's weight earns both shares; with a named centre
         (other than the contributor), the centre part moves to the centre.
    @param contributor The patent's contributor.
    @param centre The patent's trusteeship centre, or the zero address when
           its contributor manages it.
    @param old_weight The weight the patent had.
    @param new_weight The weight it has now.
    """
    assert msg.sender == POOL, "royalties: only the pool changes weights"
    self._settle(contributor)
    self.contributor_checkpoint[contributor] = self.royalty_accumulator
    self.contributor_weight[contributor] = self.contributor_weight[contributor] + new_weight - old_weight
    total: uint256 = self.total_contributor_weight + new_weight - old_weight
    assert total <= HALF_MASK, "royalties: weight out of range"  # dev: the carries' halves
    self.total_contributor_weight = total
    if centre != empty(address) and centre != contributor:
        # dev: the contributor's delegated half and the centre's managed half move
        # dev: together, each account's checkpoints set in step after its settlement
        acc: uint256 = self.centre_accumulator
        self.centre_weights[contributor] = self._moved(self.centre_weights[contributor], HALF_SHIFT, old_weight, new_weight)
        self.centre_checkpoint[contributor] = acc
        self._settle(centre)
        self.centre_weights[centre] = self._moved(self.centre_weights[centre], 0, old_weight, new_weight)
        self.centre_checkpoint[centre] = acc
    log WeightChanged(contributor=contributor, centre=centre, old_weight=old_weight, new_weight=new_weight)


@view
@external
def claimable(account: address) -> uint256:
    """
    @notice What `account` would receive from `claim` now.
    @param account A contributor or trusteeship centre.
    @return The BPC (wei).
    """
    return self.settled[account] + self._earned(account) // PRECISION  # dev: rounds down, as _settle


@view
@external
def centre_weight(account: address) -> uint256:
    """
    @notice The weight of the pooled patents `account` manages as their named
            trusteeship centre (for other contributors).
    @param account A trusteeship centre.
    @return The weight.
    """
    return self.centre_weights[account] & HALF_MASK


@view
@external
def delegated_weight(account: address) -> uint256:
    """
    @notice The weight of `account`'s pooled patents that a named trusteeship
            centre manages: their centre part goes to the centre.
    @param account A contributor.
    @return The weight.
    """
    return self.centre_weights[account] >> HALF_SHIFT


@view
@external
def contributor_bps() -> uint256:
    """
    @notice The contributors' share of every fee, in basis points.
    """
    return self.split & BPS_MASK


@view
@external
def centre_bps() -> uint256:
    """
    @notice The trusteeship centres' share of every fee, in basis points.
    """
    return (self.split >> CENTRE_SHIFT) & BPS_MASK


@view
@external
def fund_bps() -> uint256:
    """
    @notice The fund's share of every fee, in basis points.
    """
    return self.split >> FUND_SHIFT


@view
@external
def contributor_accumulator() -> uint256:
    """
    @notice The contributors' part of `royalty_accumulator`: BPC per unit of
            weight, scaled by 10^27, since deployment.
    @return The accumulator.
    """
    return self.royalty_accumulator - self.centre_accumulator


@internal
def _set_split(contributor_bps: uint256, centre_bps: uint256, fund_bps: uint256):
    assert contributor_bps + centre_bps + fund_bps == codes.BPS, "royalties: shares must add up to 10,000 basis points"
    # dev: the sum is checked, so each share is at most 10,000 and fits its 16 bits
    self.split = contributor_bps | (centre_bps << CENTRE_SHIFT) | (fund_bps << FUND_SHIFT)
    log SplitSet(contributor_bps=contributor_bps, centre_bps=centre_bps, fund_bps=fund_bps)


@internal
def _settle(account: address):
    """
    @dev Moves `account`'s pending earnings (see `_earned`) into `settled` and
         its checkpoints to the accumulators. A checkpoint it does not need (no
         contributor weight; managed = delegated) may stay stale:
         `change_weight` sets it when that changes.
    """
    earned: uint256 = 0
    weight: uint256 = self.contributor_weight[account]
    if weight != 0:
        acc: uint256 = self.royalty_accumulator
        checkpoint: uint256 = self.contributor_checkpoint[account]
        if checkpoint != acc:
            earned = accumulator._accrued(weight, acc, checkpoint)
            self.contributor_checkpoint[account] = acc
    centre_weights: uint256 = self.centre_weights[account]
    managed: uint256 = centre_weights & HALF_MASK
    delegated: uint256 = centre_weights >> HALF_SHIFT
    if managed != delegated:
        acc: uint256 = self.centre_accumulator
        checkpoint: uint256 = self.centre_checkpoint[account]
        if checkpoint != acc:
            # dev: no underflow, see _earned
            earned = earned + accumulator._accrued(managed, acc, checkpoint) - accumulator._accrued(delegated, acc, checkpoint)
            self.centre_checkpoint[account] = acc
    if earned >= PRECISION:
        self.settled[account] += earned // PRECISION  # dev: rounds down, against the account


@view
@internal
def _earned(account: address) -> uint256:
    """
    @dev What `account` earned since its checkpoints, scaled by PRECISION:
         contributor_weight x the royalty accumulator's rise, plus (managed -
         delegated) x the centre accumulator's rise. The subtraction cannot
         underflow: delegated <= contributor_weight, both checkpoints were set
         in the same settlement while delegated is not 0, and the royalty
         accumulator rises by at least the centre accumulator's rise.
    """
    earned: uint256 = 0
    weight: uint256 = self.contributor_weight[account]
    if weight != 0:
        earned = accumulator._accrued(weight, self.royalty_accumulator, self.contributor_checkpoint[account])
    centre_weights: uint256 = self.centre_weights[account]
    managed: uint256 = centre_weights & HALF_MASK
    delegated: uint256 = centre_weights >> HALF_SHIFT
    if managed != delegated:
        acc: uint256 = self.centre_accumulator
        checkpoint: uint256 = self.centre_checkpoint[account]
        earned = earned + accumulator._accrued(managed, acc, checkpoint) - accumulator._accrued(delegated, acc, checkpoint)
    return earned


@pure
@internal
def _moved(centre_weights: uint256, offset: uint256, old_weight: uint256, new_weight: uint256) -> uint256:
    """
    @dev `centre_weights` with its half at bit `offset` moved from old to new weight.
    """
    half: uint256 = (centre_weights >> offset) & HALF_MASK
    moved: uint256 = half + new_weight - old_weight
    assert moved <= HALF_MASK, "royalties: weight out of range"
    return (centre_weights & ~(HALF_MASK << offset)) | (moved << offset)
