# pragma version ~=0.4.3
"""
@title licence_fees
@notice What Licensing's concern modules share: the suite's contracts the
        licence desk calls (Alliance, BPC, BPR, PatentPool, Royalties, the
        fund) and the way every fee it takes is paid: the price into the
        pool's royalty split, a non-member's surcharge on top of it to the fund.
@dev Initialized by the deployable (`Licensing.vy`); `bpr_tiers`,
     `patent_licences`, `device_batches` and `licence_claims` use it. State:
     the surcharge rate and two totals for auditors.
"""

from interfaces import IAlliance
from interfaces import IBPC
from interfaces import IBPR
from interfaces import IPatentPool
from interfaces import IRoyaltyPayee
from snekmate.auth import ownable
import codes

uses: ownable


# @dev The most any price of the desk may be: 10^12 BPC, so a share-scaled price
#      (a large enterprise's market share, a surcharge) stays far from overflow.
PRICE_MAX: constant(uint256) = 10**30

ALLIANCE: public(immutable(IAlliance))
BPC: public(immutable(IBPC))
BPR: public(immutable(IBPR))
POOL: public(immutable(IPatentPool))
ROYALTIES: public(immutable(IRoyaltyPayee))
FUND: public(immutable(address))

# @notice What a non-member pays on top of a per-patent price or a device fee, for the fund.
surcharge_bps: public(uint256)
# @notice BPC paid into the royalties and to the fund through this contract.
fees_to_royalties: public(uint256)
surcharges_to_fund: public(uint256)


event SurchargeSet:
    surcharge_bps: uint256


@deploy
def __init__(
    alliance: IAlliance, bpc: IBPC, bpr: IBPR, pool: IPatentPool, royalties: IRoyaltyPayee, fund: address, surcharge_bps: uint256
):
    """
    @notice Names the suite's contracts and sets the first surcharge.
    @param alliance The members, kinds and market shares.
    @param bpc The collection's token.
    @param bpr The licence token the desk mints.
    @param pool The PatentPool whose patents are licensed.
    @param royalties The royalty ledger every price is paid into.
    @param fund The foundation's fund, which takes the surcharges.
    @param surcharge_bps A non-member's surcharge.
    """
    assert fund != empty(address), "licensing: fund is the zero address"
    ALLIANCE = alliance
    BPC = bpc
    BPR = bpr
    POOL = pool
    ROYALTIES = royalties
    FUND = fund
    # dev: fees reach Royalties.pay, which pulls them from this contract
    extcall bpc.approve(royalties.address, max_value(uint256))
    self._set_surcharge(surcharge_bps)


@external
def set_surcharge(surcharge_bps: uint256):
    """
    @notice Sets a non-member's surcharge on per-patent prices and device fees
            (council only).
    @param surcharge_bps Basis points on top of the price, at most 10,000.
    """
    ownable._check_owner()
    self._set_surcharge(surcharge_bps)


@internal
def _set_surcharge(surcharge_bps: uint256):
    assert surcharge_bps <= codes.BPS, "licensing: surcharge above 10,000 bps"
    self.surcharge_bps = surcharge_bps
    log SurchargeSet(surcharge_bps=surcharge_bps)


@view
@internal
def _surcharge_on(amount: uint256) -> uint256:
    """
    @dev The surcharge a non-member pays on top of `amount`.
    """
    return amount * self.surcharge_bps // codes.BPS  # dev: rounds down, for the payer


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
