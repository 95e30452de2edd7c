# pragma version ~=0.4.3
"""
@title Licensing
@notice The pool's licence desk, one deployable wiring four concerns, each a
        module of its own:
        - `bpr_tiers`: pool licences (BPR) at a published tier price; an active
          member locks its tier's BPC for one BPR and releases it after the
          minimum term; non-profits receive one by council grant.
        - `patent_licences`: per-patent licences on a contributor's (or its
          mandated agent's) listed terms, and the exclusive licences the
          exchange sells.
        - `device_batches`: per-device licences, a production batch registered
          as the Merkle root of its serials and paid at the volume schedule.
        - `licence_claims`: EIP-712 licence claims a holder signs and anyone
          verifies (`verify_claim`, `claim_facts`).
        - `agreements`: the standard licence agreements the council sets (a
          versioned digest of each document's CID per licence kind); every
          licence carries the agreement it was made under.
        A member's per-patent price goes to the patent that earned it, a fee
        for the whole pool over the pool's royalty split; a non-member's fee
        and surcharge go to the fund (`licence_fees`, which also names the
        suite's contracts the desk calls).
@dev The council's Governance contract owns it. Modules are snake_case files
     beside this one; only this file says `initializes:`.
"""

from interfaces import IAlliance
from interfaces import IBPC
from interfaces import IBPR
from interfaces import ICoverage
from interfaces import ILicensing
from interfaces import IPatentPool
from interfaces import IRoyaltyPayee
from snekmate.auth import ownable
from snekmate.utils import eip712_domain_separator as eip712
import agreements
import bpr_tiers
import device_batches
import licence_claims
import licence_fees
import patent_licences

implements: ILicensing

initializes: ownable
initializes: eip712
initializes: licence_fees[ownable := ownable]
initializes: agreements
initializes: bpr_tiers[ownable := ownable, licence_fees := licence_fees, agreements := agreements]
initializes: patent_licences[ownable := ownable, licence_fees := licence_fees, agreements := agreements]
initializes: device_batches[ownable := ownable, licence_fees := licence_fees, agreements := agreements]
initializes: licence_claims[
    eip712 := eip712,
    licence_fees := licence_fees,
    bpr_tiers := bpr_tiers,
    patent_licences := patent_licences,
]

exports: (
    ownable.owner,
    ownable.transfer_ownership,
    eip712.eip712Domain,
    # the suite's contracts and the fees
    licence_fees.ALLIANCE,
    licence_fees.BPC,
    licence_fees.BPR,
    licence_fees.POOL,
    licence_fees.ROYALTIES,
    licence_fees.FUND,
    licence_fees.surcharge_bps,
    licence_fees.fees_to_royalties,
    licence_fees.fees_to_fund,
    licence_fees.surcharges_to_fund,
    licence_fees.set_surcharge,
    # the standard agreements
    agreements.agreement,
    agreements.agreement_version,
    # BPR at tier prices
    bpr_tiers.tier_price,
    bpr_tiers.large_enterprise_price_per_bps,
    bpr_tiers.min_term,
    bpr_tiers.set_tier,
    bpr_tiers.set_large_enterprise_rate,
    bpr_tiers.set_min_term,
    bpr_tiers.convert,
    bpr_tiers.release,
    bpr_tiers.grant,
    bpr_tiers.revoke,
    bpr_tiers.locked,
    bpr_tiers.unlocks_at,
    bpr_tiers.granted,
    bpr_tiers.bpr_agreement,
    bpr_tiers.total_locked,
    bpr_tiers.conversions,
    bpr_tiers.grants,
    bpr_tiers.price_of,
    bpr_tiers.COVERAGE,
    bpr_tiers.snapshot_of,
    bpr_tiers.covers,
    # per-patent licences
    patent_licences.exchange,
    patent_licences.exclusive_ends,
    patent_licences.list_terms,
    patent_licences.delist,
    patent_licences.buy,
    patent_licences.set_exchange,
    patent_licences.record_exclusive,
    patent_licences.listings,
    patent_licences.is_open,
    patent_licences.open_listings,
    patent_licences.terms_key,
    patent_licences.listing_count,
    patent_licences.licence_count,
    patent_licences.licences,
    patent_licences.is_licensed,
    # device batches
    device_batches.device_schedule,
    device_batches.batch_count,
    device_batches.devices_in_year,
    device_batches.paid_in_year,
    device_batches.set_device_schedule,
    device_batches.register_batch,
    device_batches.batches,
    device_batches.verify_device,
    device_batches.device_fee,
    # licence claims
    licence_claims.claim_nonce_floor,
    licence_claims.cancel_claims,
    licence_claims.verify_claim,
    licence_claims.claim_facts,
)


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
    device_schedule: device_batches.DeviceSchedule,
):
    """
    @notice Deploys the licence desk of one collection with its first schedule.
    @param alliance The members, kinds and market shares.
    @param bpc The collection's token, locked for a BPR.
    @param bpr The licence token this contract mints.
    @param pool The PatentPool whose patents are licensed.
    @param royalties The royalty ledger every price is paid into.
    @param fund The foundation's fund, which takes the surcharges.
    @param council The council's Governance contract (owner).
    @param tier_prices BPC per BPR for kinds 1 to 5 (non-profit, start-up, SME,
           large enterprise, individual); 0 closes conversion for a kind.
    @param large_enterprise_price_per_bps Added per basis point of market share.
    @param min_term Seconds a conversion stays locked.
    @param surcharge_bps A non-member's surcharge on per-patent prices and device fees.
    @param device_schedule The per-device volume schedule.
    """
    assert council != empty(address), "licensing: council is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    eip712.__init__("BPSA Licensing", "1")
    licence_fees.__init__(alliance, bpc, bpr, pool, royalties, fund, surcharge_bps)
    device_batches.__init__(device_schedule)
    bpr_tiers.__init__(tier_prices, large_enterprise_price_per_bps, min_term, ICoverage(staticcall pool.COVERAGE()))


@external
def set_agreement(kind: uint8, agreement: bytes32) -> uint256:
    """
    @notice Sets the pool's standard agreement for one kind of licence (council
            only): the next version, which licences made from now on carry;
            licences made before keep theirs.
    @param kind 1 (BPR, every tier), 2 (per-patent licence: what a listing
           without its own document is made under) or 3 (device batch).
    @param agreement The digest of the agreement document's CID (bpsa.core.cid).
    @return The new version.
    """
    ownable._check_owner()
    version: uint256 = agreements._set(kind, agreement)
    if kind == agreements.KIND_BPR:
        bpr_tiers._set_agreement_version(version)
    return version
