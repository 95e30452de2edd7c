# pragma version ~=0.4.3
"""
@title licence_fees
@notice What Licensing's concern modules share: the suite's contracts the
        licence desk calls (Alliance, BPC, BPR, PatentPool, Royalties, the
        fund) and the way every fee it takes is paid. A member's fee goes into
        the royalty split: a per-patent price to that patent (Royalties.pay_for),
        a fee that licenses the whole pool over the pool (Royalties.pay). A
        non-member's fee, with its surcharge on top, goes to the foundation's
        fund (whitepaper 3.3: "the license fee entering the BIPF fund").
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
# @notice BPC paid through this contract: members' fees into the royalties,
#         non-members' fees and their surcharges to the fund.
fees_to_royalties: public(uint256)
fees_to_fund: public(uint256)
surcharges_to_fund: public(uint256)


event SurchargeSet:
    surcharge_bps: uint256


# @notice A non-member's fee and its surcharge, paid to the fund in full.
event FeeToFund:
    payer: indexed(address)
    reference: indexed(bytes32)
    fee: uint256
    surcharge: uint256


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
def _collect(payer: address, member: bool, amount: uint256, surcharge: uint256, patent: bytes32, reference: bytes32):
    """
    @dev Takes `amount` + `surcharge` BPC from `payer`. A member's `amount` goes
         into the royalty split: `patent`'s alone (`pay_for`), or the whole
         pool's when `patent` is empty. A non-member's `amount` and `surcharge`
         go to the fund.
    """
    assert extcall BPC.transferFrom(payer, self, amount + surcharge), "licensing: transfer failed"  # dev: BPC reverts first
    if not member:
        assert extcall BPC.transfer(FUND, amount + surcharge), "licensing: transfer failed"  # dev: BPC reverts first
        self.fees_to_fund += amount
        self.surcharges_to_fund += surcharge
        log FeeToFund(payer=payer, reference=reference, fee=amount, surcharge=surcharge)
        return
    assert surcharge == 0  # dev: a member pays none
    if patent == empty(bytes32):
        extcall ROYALTIES.pay(amount, reference)
    else:
        extcall ROYALTIES.pay_for(patent, amount, reference)
    self.fees_to_royalties += amount
