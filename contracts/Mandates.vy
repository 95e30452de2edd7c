# pragma version ~=0.4.3
"""
@title Mandates
@notice Trusteeship mandates (whitepaper 4.3 (4)): the contributor of record
        of a patent in a PatentPool (the council for the fund's patents)
        offers a trusteeship centre a mandate (the digest of the agreement's
        CID, the centre's share of the patent's own revenue, an expiry); the
        centre accepts those exact terms; from then to the expiry it earns the
        centre's part of the patent's revenue and acts for it (authorises,
        declines and accepts offers in Infringements). Either side ends it at
        any time, anyone once it expired or its centre lost the role; it ends
        by itself when the patent changes hands (an Exchange assignment) or
        leaves the registry. A centre named at submission is a nominee only.
@dev One mandate (or open offer) per patent, tagged with the patent's tenure:
     a change of hands or a new life (a new tenure) or a terminal status
     leaves it without effect, and PatentPool forgets its centre then. On
     acceptance and at the end, PatentPool.set_centre moves a pooled patent's
     centre weight in Royalties, so `claim` stays O(1). The pool answers who
     acts and who is paid from what it stores (`ownership`, `payees`), which
     stop naming the centre at the expiry; the pool-wide weight stays with the
     centre until someone ends the expired mandate (`end_mandate`).
"""

from interfaces import IAlliance
from interfaces import IPatentPool
from interfaces import IRoyalties
import codes


# @dev An offer or an accepted mandate.
struct Mandate:
    centre: address
    terms: bytes32
    share_bps: uint16
    expiry: uint64
    accepted: bool
    tenure: uint256


POOL: public(immutable(IPatentPool))
ALLIANCE: public(immutable(IAlliance))
ROYALTIES: public(immutable(IRoyalties))
FUND: public(immutable(address))

# @dev patent -> its offer or mandate (see `mandate_of`).
mandates: HashMap[bytes32, Mandate]


# @notice The contributor of record (the council for the fund's patents) offered
#         `centre` a mandate: the agreement whose CID digest is `terms`, `share_bps`
#         of the fees the patent earns alone, until `expiry`, in the patent's `tenure`.
event MandateOffered:
    patent: indexed(bytes32)
    contributor: indexed(address)
    centre: indexed(address)
    terms: bytes32
    share_bps: uint256
    expiry: uint64
    tenure: uint256


# @notice `centre` accepted the offer: it earns and acts for the patent until `expiry`.
event MandateAccepted:
    patent: indexed(bytes32)
    centre: indexed(address)
    terms: bytes32
    share_bps: uint256
    expiry: uint64


# @notice A mandate or an open offer ended (codes.MANDATE_ENDED_*); `accepted` says
#         whether it had been accepted (a pooled patent's weight went back to its
#         contributor).
event MandateEnded:
    patent: indexed(bytes32)
    centre: indexed(address)
    reason: uint8
    accepted: bool


@deploy
def __init__(pool: IPatentPool):
    """
    @notice Deploys the mandates of `pool` (whose `MANDATES` must be this contract).
    @param pool The PatentPool.
    """
    assert pool.address != empty(address), "mandates: pool is the zero address"
    POOL = pool
    ALLIANCE = IAlliance(staticcall pool.ALLIANCE())
    ROYALTIES = IRoyalties(staticcall pool.ROYALTIES())
    FUND = staticcall pool.FUND()


@external
def offer_mandate(patent: bytes32, centre: address, terms: bytes32, share_bps: uint256, expiry: uint64):
    """
    @notice Offers `centre` a trusteeship mandate for a patent in the registry
            (its contributor of record; the council for the fund's patents).
            Nothing changes until the centre accepts these exact terms; an
            offer replaces an earlier one not yet accepted.
    @dev `share_bps` is the centre's part of every fee the patent earns alone
         (Royalties.pay_for: per-patent and exclusive licences, settlements),
         at most the council's centre share (the lower of the two when the
         council lowers it later), the rest to the contributor. Pool-wide fees
         credit the centre the council's centre share by the patent's weight.
    @custom:security A mandate accepted and unexpired cannot be re-offered:
                     either side ends it first, so its terms never change
                     under the centre.
    @param patent The patent's id.
    @param centre An active member with the trusteeship-centre role.
    @param terms The sha2-256 digest of the agreement's CID (as documents are stored).
    @param share_bps The centre's share of the patent's own revenue, basis points.
    @param expiry When the mandate ends, unix seconds.
    """
    status: uint8 = 0
    contributor: address = empty(address)
    in_force: address = empty(address)
    tenure: uint256 = 0
    status, contributor, in_force, tenure = staticcall POOL.ownership(patent)
    assert status >= codes.PATENT_SUBMITTED and status <= codes.PATENT_POOLED, "mandates: patent is not in the registry"
    self._check_contributor(contributor)
    assert centre != empty(address), "mandates: centre is the zero address"
    assert centre != contributor, "mandates: a contributor cannot be its own centre"
    assert staticcall ALLIANCE.has_role(centre, codes.ROLE_TRUSTEESHIP_CENTRE), "mandates: centre is not an active trusteeship centre"
    assert terms != empty(bytes32), "mandates: empty terms digest"
    assert share_bps <= staticcall ROYALTIES.centre_bps(), "mandates: share above the council's centre share"
    assert convert(expiry, uint256) > block.timestamp, "mandates: expiry must be in the future"
    old: Mandate = self.mandates[patent]
    if old.centre != empty(address) and old.tenure == tenure:
        # dev: an expired mandate ends here; one in force must be ended by a party first
        assert not old.accepted or block.timestamp >= convert(old.expiry, uint256), "mandates: a mandate is in force: end it first"
        reason: uint8 = codes.MANDATE_ENDED_REPLACED
        if old.accepted:
            reason = codes.MANDATE_ENDED_EXPIRED
        self._end(patent, old, reason)
    self.mandates[patent] = Mandate(
        centre=centre, terms=terms, share_bps=convert(share_bps, uint16), expiry=expiry, accepted=False, tenure=tenure
    )
    log MandateOffered(
        patent=patent, contributor=contributor, centre=centre, terms=terms, share_bps=share_bps, expiry=expiry, tenure=tenure
    )


@external
def accept_mandate(patent: bytes32, terms: bytes32, share_bps: uint256, expiry: uint64):
    """
    @notice The offered centre accepts the mandate exactly as it read it: from
            now to `expiry` it earns the centre's part of the patent's revenue
            and acts for it, and a pooled patent's centre weight moves to it.
    @param patent The patent's id.
    @param terms The offer's terms digest.
    @param share_bps The offer's share, basis points.
    @param expiry The offer's expiry.
    """
    m: Mandate = self.mandates[patent]
    self._check_current(patent, m)
    assert m.centre == msg.sender, "mandates: no offer to the caller for this patent"
    assert not m.accepted, "mandates: mandate already accepted"
    # dev: an offer changed after the centre read it cannot be accepted in its name
    assert m.terms == terms and convert(m.share_bps, uint256) == share_bps and m.expiry == expiry, "mandates: the offer's terms, share or expiry differ"
    assert convert(expiry, uint256) > block.timestamp, "mandates: the offer expired"
    assert staticcall ALLIANCE.has_role(msg.sender, codes.ROLE_TRUSTEESHIP_CENTRE), "mandates: centre is not an active trusteeship centre"
    self.mandates[patent].accepted = True
    extcall POOL.set_centre(patent, msg.sender, expiry, share_bps)
    log MandateAccepted(patent=patent, centre=msg.sender, terms=terms, share_bps=share_bps, expiry=expiry)


@external
def end_mandate(patent: bytes32):
    """
    @notice Ends a patent's mandate or withdraws its offer: its contributor
            (the council for the fund's patents) or its centre at any time;
            anyone once an accepted mandate expired or its centre is no longer
            an active trusteeship centre. A pooled patent's centre weight goes
            back to its contributor; the centre keeps what it earned.
    @param patent The patent's id.
    """
    m: Mandate = self.mandates[patent]
    contributor: address = self._check_current(patent, m)
    reason: uint8 = 0
    if msg.sender == contributor or (contributor == FUND and msg.sender == staticcall POOL.owner()):
        reason = codes.MANDATE_ENDED_BY_CONTRIBUTOR
    elif msg.sender == m.centre:
        reason = codes.MANDATE_ENDED_BY_CENTRE
    elif m.accepted and block.timestamp >= convert(m.expiry, uint256):
        reason = codes.MANDATE_ENDED_EXPIRED
    elif m.accepted and not staticcall ALLIANCE.has_role(m.centre, codes.ROLE_TRUSTEESHIP_CENTRE):
        reason = codes.MANDATE_ENDED_CENTRE_LEFT
    assert reason != 0, "mandates: only the contributor or the centre ends a mandate before its expiry"
    self._end(patent, m, reason)


@view
@external
def mandate_of(patent: bytes32) -> (address, bytes32, uint256, uint64, uint8):
    """
    @notice A patent's mandate or open offer in its current tenure.
    @param patent The patent's id.
    @return centre, terms digest, share (basis points), expiry, state
            (codes.MANDATE_*: none, offered, in force, expired and not yet ended).
    """
    m: Mandate = self.mandates[patent]
    status: uint8 = 0
    contributor: address = empty(address)
    in_force: address = empty(address)
    tenure: uint256 = 0
    status, contributor, in_force, tenure = staticcall POOL.ownership(patent)
    if m.centre == empty(address) or m.tenure != tenure or status < codes.PATENT_SUBMITTED or status > codes.PATENT_POOLED:
        return empty(address), empty(bytes32), 0, 0, codes.MANDATE_NONE
    state: uint8 = codes.MANDATE_OFFERED
    if m.accepted:
        state = codes.MANDATE_IN_FORCE
        if block.timestamp >= convert(m.expiry, uint256):
            state = codes.MANDATE_EXPIRED
    return m.centre, m.terms, convert(m.share_bps, uint256), m.expiry, state


@view
@internal
def _check_contributor(contributor: address):
    assert msg.sender == contributor or (contributor == FUND and msg.sender == staticcall POOL.owner()), "mandates: only the contributor of record offers a mandate"


@view
@internal
def _check_current(patent: bytes32, m: Mandate) -> address:
    """
    @dev Reverts unless `m` is an offer or mandate of the patent's current tenure
         while it is in the registry; returns its contributor of record.
    """
    status: uint8 = 0
    contributor: address = empty(address)
    in_force: address = empty(address)
    tenure: uint256 = 0
    status, contributor, in_force, tenure = staticcall POOL.ownership(patent)
    # dev: a change of hands or a new life moves the tenure; leaving ends the status
    assert m.centre != empty(address) and m.tenure == tenure and status >= codes.PATENT_SUBMITTED and status <= codes.PATENT_POOLED, "mandates: no mandate or offer for this patent"
    return contributor


@internal
def _end(patent: bytes32, m: Mandate, reason: uint8):
    self.mandates[patent] = empty(Mandate)
    if m.accepted:
        extcall POOL.set_centre(patent, empty(address), 0, 0)
    log MandateEnded(patent=patent, centre=m.centre, reason=reason, accepted=m.accepted)
