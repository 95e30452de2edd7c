# pragma version ~=0.4.3
"""
@title licence_claims
@notice Licence claims: a BPR holder or a per-patent licensee signs an EIP-712
        LicenceClaim (holder, licence (0 for the BPR), subject such as a
        product or device id, expiry, nonce); `verify_claim` answers what it
        licenses now (how many pooled patents: 0 when it does not hold), and
        `bpsa.claims` gives the same answer off chain from `claim_facts`. A
        released, revoked or expired licence, an expired claim, a nonce the
        holder has cancelled, a BPR holder no longer an active member
        (suspended or expelled), or nothing pooled for the licence to cover
        makes a claim fail.
@dev Reads the BPR holdings of `bpr_tiers` and the licences of
     `patent_licences`; its only state is each holder's nonce floor.
"""

from snekmate.utils import eip712_domain_separator as eip712
import bpr_tiers
import licence_fees
import patent_licences
import signatures

uses: eip712
uses: licence_fees
uses: bpr_tiers
uses: patent_licences


struct LicenceClaim:
    holder: address
    licence: uint256
    subject: bytes32
    expiry: uint64
    nonce: uint256


CLAIM_TYPEHASH: constant(bytes32) = keccak256(
    "LicenceClaim(address holder,uint256 licence,bytes32 subject,uint64 expiry,uint256 nonce)"
)

# @notice A holder's claims with a lower nonce no longer hold (it cancelled them).
claim_nonce_floor: public(HashMap[address, uint256])


event ClaimsCancelled:
    holder: indexed(address)
    below_nonce: uint256


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
        if not bpr_tiers._holds(claim.holder):
            return 0
        if not staticcall licence_fees.ALLIANCE.is_active(claim.holder):
            return 0
        covers = staticcall licence_fees.POOL.pooled_count()
    else:
        licensee: address = empty(address)
        end: uint256 = 0
        licensee, end = patent_licences._licence_of(claim.licence)
        if licensee != claim.holder or block.timestamp >= end:
            return 0
        covers = patent_licences._licence_covers(claim.licence)
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
    licensee: address = empty(address)
    end: uint256 = 0
    licensee, end = patent_licences._licence_of(licence)
    covers: uint256 = 0
    if licence == 0:
        covers = staticcall licence_fees.POOL.pooled_count()
    elif licensee != empty(address):
        covers = patent_licences._licence_covers(licence)
    return (
        bpr_tiers._holds(holder),
        licensee,
        end,
        self.claim_nonce_floor[holder],
        block.timestamp,
        staticcall licence_fees.ALLIANCE.is_active(holder),
        covers,
    )
