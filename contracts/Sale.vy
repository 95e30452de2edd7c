# pragma version ~=0.4.3
"""
@title Sale
@notice The fund's sale of BPC to investors (whitepaper 3.2: "patent investors
        through the purchase of BPC"). An active member of the alliance pays a
        stable token the council names (USDC on a live chain) and the pool
        mints it new BPC at the net asset value; the payment goes to the Fund,
        for buying or filing patents. The council sets every limit by its
        proposals: the token and its units per valuation unit, whether sales
        are open, a minimum, a cap per period and per buyer per period, and
        how long an overdue re-rating is tolerated.
@dev The desk is the book of the fund's cash that counts in the NAV:
     `treasury_value` = sale proceeds the fund still holds (`cash_value`) plus
     what it spent of them on patents not yet pooled, at cost
     (`committed_value`). PatentPool counts it (NAV = (pooled value +
     treasury value) / BPC supply), so a sale at NAV dilutes nobody: the
     buyer's payment joins the assets as its BPC joins the supply. Counted cash
     leaves the fund only through `spend`, for a patent of the fund's that is
     not yet pooled (`cost_of`); pooling that patent mints nothing (the
     holders' cash bought it) and swaps its cost for its valuation; a patent
     that leaves unpooled is written off (`write_off`), a loss every holder
     bears. Nothing is counted twice: cash, then cost, then valuation.
     Rounding always goes against the buyer: the value credited and the BPC
     minted are rounded down.
@custom:security Who may buy: active members only (real-name members of the
                 alliance, which investors join as affiliates, whitepaper 3.2),
                 so a per-buyer cap binds a vetted member, not an address. A
                 buyer names the token and the fewest BPC it accepts, so a
                 council change of terms or a NAV move between its quote and
                 its transaction reverts instead of filling. Anyone may halt
                 sales by reporting a pooled patent whose valuation is stale
                 (under re-rating, overdue past the tolerance, or its
                 certificate lapsed), until it is cleared.
"""

from ethereum.ercs import IERC20
from ethereum.ercs import IERC20Detailed
from interfaces import IAlliance
from interfaces import IFund
from snekmate.auth import ownable
import codes

initializes: ownable

exports: (ownable.owner, ownable.transfer_ownership)


struct PatentRecord:
    status: uint8
    source: uint8
    contributor: address
    centre: address
    document: bytes32
    right_ends: uint64
    score: uint256
    valuation: uint256
    rated_at: uint64
    rounds: uint256
    tenure: uint256


struct Ballot:
    expert: address
    score: uint256
    valuation: uint256


interface IPool:
    def patents(patent: bytes32) -> PatentRecord: view
    def ballots_of(patent: bytes32) -> DynArray[Ballot, 16]: view
    def lapse_of(patent: bytes32) -> uint8: view
    def rerate_interval() -> uint256: view
    def pooled_value() -> uint256: view
    def issue(buyer: address, worth: uint256) -> uint256: nonpayable


ONE: constant(uint256) = 10**18
# @dev The pool's bound on a valuation: value x supply stays far from overflow.
VALUE_MAX: constant(uint256) = 10**33
DECIMALS_MAX: constant(uint256) = 36
# @dev A stable token is worth 0.01 to 100 valuation units: anything else is a
#      mistaken decimals count, not a price.
PRICE_BAND: constant(uint256) = 100
PERIOD_MIN: constant(uint256) = 86400
PERIOD_MAX: constant(uint256) = 366 * 86400
STALE_GRACE_MAX: constant(uint256) = 365 * 86400

POOL: public(immutable(IPool))
BPC: public(immutable(IERC20))
FUND: public(immutable(address))
ALLIANCE: public(immutable(IAlliance))

# @notice The payment token (zero until the council names one).
token: public(IERC20)
# @notice Token units (smallest) per whole valuation unit: 10^6 for USDC and USD.
units_per_unit: public(uint256)
# @notice Whether sales are open.
is_open: public(bool)
# @notice The smallest purchase, in valuation units (18 decimals).
minimum: public(uint256)
# @notice The length of a cap period in seconds; periods are block.timestamp // period.
period: public(uint256)
# @notice The most all buyers together may pay in one period (valuation units).
period_cap: public(uint256)
# @notice The most one buyer may pay in one period (valuation units).
buyer_cap: public(uint256)
# @notice Seconds past a pooled patent's re-rating date before it halts sales.
stale_grace: public(uint256)

# @notice Valuation units sold in a period, by period index.
sold_in: public(HashMap[uint256, uint256])
# @notice Valuation units a buyer paid in a period: period index -> buyer -> value.
bought_in: public(HashMap[uint256, HashMap[address, uint256]])

# @notice Sale proceeds the fund holds, per token (smallest units), counted in the NAV.
held_units: public(HashMap[address, uint256])
# @notice The valuation those proceeds were credited at, per token.
held_value: public(HashMap[address, uint256])
# @notice All proceeds the fund holds, in valuation units.
cash_value: public(uint256)
# @notice Proceeds spent on the fund's patents not yet pooled, at cost.
committed_value: public(uint256)
# @notice What the fund spent of the proceeds on a patent not yet pooled.
cost_of: public(HashMap[bytes32, uint256])

# @notice Pooled patents reported stale (they halt sales until cleared).
stale: public(HashMap[bytes32, bool])
stale_count: public(uint256)


event TermsSet:
    token: indexed(address)
    units_per_unit: uint256
    minimum: uint256
    period: uint256
    period_cap: uint256
    buyer_cap: uint256
    stale_grace: uint256


event OpenSet:
    is_open: bool


# @notice `buyer` paid `amount` of `token`, credited at `value`, for `minted` BPC;
#         `treasury_value` is the counted cash after it.
event Sold:
    buyer: indexed(address)
    token: indexed(address)
    amount: uint256
    value: uint256
    minted: uint256
    treasury_value: uint256


event Spent:
    patent: indexed(bytes32)
    token: indexed(address)
    to: indexed(address)
    amount: uint256
    value: uint256
    memo: bytes32


event CostPooled:
    patent: indexed(bytes32)
    value: uint256


event CostWrittenOff:
    patent: indexed(bytes32)
    value: uint256


event StaleReported:
    patent: indexed(bytes32)
    reporter: indexed(address)
    reason: uint8


event StaleCleared:
    patent: indexed(bytes32)


# @dev Why a pooled patent's valuation is stale (StaleReported.reason).
STALE_UNDER_REVIEW: constant(uint8) = 1
STALE_OVERDUE: constant(uint8) = 2
STALE_LAPSED: constant(uint8) = 3


@deploy
def __init__(pool: IPool, bpc: IERC20, fund: address, alliance: IAlliance, council: address):
    """
    @notice Deploys the desk, closed and without a token; the council opens it.
    @param pool The PatentPool that mints (it must name this desk).
    @param bpc The pool's BPC.
    @param fund The Fund the proceeds go to.
    @param alliance Who is a member.
    @param council The council's Governance contract (owner).
    """
    assert pool.address != empty(address), "sale: pool is the zero address"
    assert fund != empty(address), "sale: fund is the zero address"
    assert council != empty(address), "sale: council is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    POOL = pool
    BPC = bpc
    FUND = fund
    ALLIANCE = alliance


@external
def set_terms(
    token: IERC20,
    units_per_unit: uint256,
    minimum: uint256,
    period: uint256,
    period_cap: uint256,
    buyer_cap: uint256,
    stale_grace: uint256,
):
    """
    @notice Sets the sale's terms (council only). A buyer's transaction names
            the token and the fewest BPC it accepts, so a change it did not see
            makes it revert, never fill at terms it did not sign.
    @param token The stable payment token.
    @param units_per_unit Its smallest units per whole valuation unit (10^6 for
           USDC in USD): within a factor 100 of 10^decimals.
    @param minimum The smallest purchase, valuation units (18 decimals).
    @param period The cap period, one day to 366 days.
    @param period_cap The most sold in a period, valuation units.
    @param buyer_cap The most one buyer pays in a period, at most `period_cap`.
    @param stale_grace Seconds an overdue re-rating is tolerated, at most a year.
    """
    ownable._check_owner()
    assert token.address != empty(address), "sale: token is the zero address"
    assert token.address != BPC.address, "sale: the payment token cannot be BPC"
    decimals: uint256 = convert(staticcall IERC20Detailed(token.address).decimals(), uint256)
    assert decimals <= DECIMALS_MAX, "sale: token has more than 36 decimals"
    one: uint256 = 10**decimals
    # dev: a price of 0.01 to 100 valuation units per token: else the decimals are wrong
    assert units_per_unit * PRICE_BAND >= one and units_per_unit <= one * PRICE_BAND, "sale: units per valuation unit do not match the token's decimals"
    assert minimum != 0, "sale: minimum is zero"
    assert period >= PERIOD_MIN and period <= PERIOD_MAX, "sale: period must be one day to 366 days"
    assert period_cap <= VALUE_MAX, "sale: period cap above 10^15 units"
    assert buyer_cap <= period_cap, "sale: buyer cap above the period cap"
    assert minimum <= buyer_cap, "sale: minimum above the buyer cap"
    assert stale_grace <= STALE_GRACE_MAX, "sale: stale grace above one year"
    self.token = token
    self.units_per_unit = units_per_unit
    self.minimum = minimum
    self.period = period
    self.period_cap = period_cap
    self.buyer_cap = buyer_cap
    self.stale_grace = stale_grace
    log TermsSet(token=token.address, units_per_unit=units_per_unit, minimum=minimum, period=period, period_cap=period_cap, buyer_cap=buyer_cap, stale_grace=stale_grace)


@external
def set_open(is_open: bool):
    """
    @notice Opens or closes sales (council only).
    @param is_open True to open (terms must be set).
    """
    ownable._check_owner()
    if is_open:
        assert self.token.address != empty(address), "sale: no terms set"
    self.is_open = is_open
    log OpenSet(is_open=is_open)


@external
@nonreentrant
def buy(token: IERC20, amount: uint256, min_bpc: uint256) -> uint256:
    """
    @notice Buys BPC at NAV for `amount` of `token` (an active member only).
            The caller approves this desk for `amount` first; the payment goes
            to the Fund and the BPC to the caller.
    @param token The payment token the caller expects (must be the current one).
    @param amount The payment, in the token's smallest units.
    @param min_bpc The fewest BPC (wei) the caller accepts.
    @return The BPC (wei) minted to the caller.
    @custom:security Rounds down twice, against the buyer: the value credited
                     (token units to valuation units) and the BPC minted. The
                     untrusted token is called last, under the reentrancy lock.
    """
    assert self.is_open, "sale: sales are closed"
    assert token.address == self.token.address, "sale: not the payment token the council named"
    assert staticcall ALLIANCE.is_active(msg.sender), "sale: buyer is not an active member"
    assert self.stale_count == 0, "sale: a pooled patent's valuation is stale"
    assert amount <= max_value(uint256) // ONE, "sale: amount too large"
    value: uint256 = amount * ONE // self.units_per_unit  # dev: rounds down, against the buyer
    assert value >= self.minimum, "sale: below the minimum purchase"
    index: uint256 = block.timestamp // self.period
    sold: uint256 = self.sold_in[index] + value
    assert sold <= self.period_cap, "sale: the period's cap is reached"
    bought: uint256 = self.bought_in[index][msg.sender] + value
    assert bought <= self.buyer_cap, "sale: the buyer's cap for the period is reached"
    self.sold_in[index] = sold
    self.bought_in[index][msg.sender] = bought

    # dev: the pool prices against the treasury before this payment joins it
    minted: uint256 = extcall POOL.issue(msg.sender, value)
    assert minted >= min_bpc, "sale: fewer BPC than min_bpc"
    self.held_units[token.address] += amount
    self.held_value[token.address] += value
    self.cash_value += value

    before: uint256 = staticcall token.balanceOf(FUND)
    assert extcall token.transferFrom(msg.sender, FUND, amount, default_return_value=True), "sale: payment failed"
    # dev: a token that charges a fee or lies about transfers would credit cash the fund lacks
    assert staticcall token.balanceOf(FUND) == before + amount, "sale: the fund did not receive the payment in full"
    log Sold(buyer=msg.sender, token=token.address, amount=amount, value=value, minted=minted, treasury_value=self.cash_value + self.committed_value)
    return minted


@view
@external
def quote(amount: uint256) -> (uint256, uint256):
    """
    @notice What `amount` of the current token buys now, before caps.
    @param amount The payment, in the token's smallest units.
    @return The value credited (valuation units) and the BPC (wei) it mints.
    """
    units: uint256 = self.units_per_unit
    assert units != 0, "sale: no terms set"
    value: uint256 = amount * ONE // units
    supply: uint256 = staticcall BPC.totalSupply()
    assets: uint256 = staticcall POOL.pooled_value() + self.cash_value + self.committed_value
    if supply == 0 or assets == 0:
        return value, 0
    return value, value * supply // assets


@view
@external
def treasury_value() -> uint256:
    """
    @notice The fund's cash counted in the NAV: proceeds held plus proceeds
            spent on patents not yet pooled (at cost), valuation units.
    @return The value.
    """
    return self.cash_value + self.committed_value


@external
@nonreentrant
def spend(token: IERC20, to: address, amount: uint256, patent: bytes32, memo: bytes32):
    """
    @notice Pays `amount` of the proceeds in `token` from the Fund to `to` for
            `patent`, a patent of the fund's (purchased or filed) submitted but
            not yet pooled (council only). The value stays in the NAV as the
            patent's cost until it is pooled or written off.
    @param token The token the proceeds are held in.
    @param to The seller, office or agent paid.
    @param amount The amount, in the token's smallest units.
    @param patent The patent it buys or files.
    @param memo What the payment is for.
    """
    ownable._check_owner()
    assert amount != 0, "sale: amount is zero"
    record: PatentRecord = staticcall POOL.patents(patent)
    assert record.status >= codes.PATENT_SUBMITTED and record.status <= codes.PATENT_RATED, "sale: patent is not awaiting pooling"
    assert record.contributor == FUND, "sale: only the fund's own patents are bought with the proceeds"
    units: uint256 = self.held_units[token.address]
    assert amount <= units, "sale: more than the proceeds held in this token"
    held: uint256 = self.held_value[token.address]
    # dev: rounds up: the cash counted falls at least in proportion to what leaves
    value: uint256 = min(held, (held * amount + units - 1) // units)
    self.held_units[token.address] = units - amount
    self.held_value[token.address] = held - value
    self.cash_value -= value
    self.committed_value += value
    self.cost_of[patent] += value
    extcall IFund(FUND).pay_proceeds(token.address, to, amount, memo)
    log Spent(patent=patent, token=token.address, to=to, amount=amount, value=value, memo=memo)


@external
def take_cost(patent: bytes32) -> uint256:
    """
    @notice The pool pools a patent bought with the proceeds: its cost leaves
            the treasury as its valuation enters the pooled value (pool only).
    @param patent The patent's id.
    @return Its cost (0 if none).
    """
    assert msg.sender == POOL.address, "sale: only the pool takes a cost"
    cost: uint256 = self.cost_of[patent]
    if cost != 0:
        self.cost_of[patent] = 0
        self.committed_value -= cost
        log CostPooled(patent=patent, value=cost)
    return cost


@external
def write_off(patent: bytes32):
    """
    @notice Writes off the cost of a patent bought with the proceeds that left
            the registry without being pooled (withdrawn, removed, expired):
            the NAV falls by it. Anyone may call it.
    @param patent The patent's id.
    """
    cost: uint256 = self.cost_of[patent]
    assert cost != 0, "sale: no cost recorded for this patent"
    status: uint8 = (staticcall POOL.patents(patent)).status
    assert status >= codes.PATENT_REMOVED, "sale: the patent is still in the registry"
    self.cost_of[patent] = 0
    self.committed_value -= cost
    log CostWrittenOff(patent=patent, value=cost)


@external
def report_stale(patent: bytes32):
    """
    @notice Halts sales while a pooled patent's valuation is stale: its
            re-rating round has ballots, or it is past its re-rating date by
            more than `stale_grace`, or its certificate lapsed. Anyone may call it.
    @param patent The patent's id.
    """
    assert not self.stale[patent], "sale: already reported"
    reason: uint8 = self._stale_reason(patent)
    assert reason != 0, "sale: the patent's valuation is not stale"
    self.stale[patent] = True
    self.stale_count += 1
    log StaleReported(patent=patent, reporter=msg.sender, reason=reason)


@external
def clear_stale(patent: bytes32):
    """
    @notice Lifts a report once the patent's valuation is current again
            (re-rated, or no longer pooled). Anyone may call it.
    @param patent The patent's id.
    """
    assert self.stale[patent], "sale: not reported"
    assert self._stale_reason(patent) == 0, "sale: the patent's valuation is still stale"
    self.stale[patent] = False
    self.stale_count -= 1
    log StaleCleared(patent=patent)


@view
@external
def stale_reason(patent: bytes32) -> uint8:
    """
    @notice Why a pooled patent's valuation is stale: 1 under re-rating, 2
            overdue, 3 certificate lapsed; 0 if current or not pooled.
    @param patent The patent's id.
    @return The reason.
    """
    return self._stale_reason(patent)


@view
@internal
def _stale_reason(patent: bytes32) -> uint8:
    record: PatentRecord = staticcall POOL.patents(patent)
    if record.status != codes.PATENT_POOLED:
        return 0
    if len(staticcall POOL.ballots_of(patent)) != 0:
        return STALE_UNDER_REVIEW
    interval: uint256 = staticcall POOL.rerate_interval()
    # dev: an interval of 0 re-rates at will: no date to be overdue from
    if interval != 0 and block.timestamp >= convert(record.rated_at, uint256) + interval + self.stale_grace:
        return STALE_OVERDUE
    if staticcall POOL.lapse_of(patent) != 0:
        return STALE_LAPSED
    return 0
