# pragma version ~=0.4.3
"""
@title Infringements
@notice Infringement cases of one collection, from filing to their end. A
        rights-protection centre files a case against an unlicensed use of a
        pooled patent (the infringer's identity digest, the product, the
        evidence's IPFS CID digest) and posts the council's bond in BPC. The
        accused is fixed by the record, never by whoever resolves the case: the
        centre names it at filing, or the accused claims the case later, and
        either way only a member the council vetted (admitted, whatever its
        status since) whose identity record is the infringer's digest can be
        named. The patent's provider (or its trusteeship centre; the council for
        the fund's own patents) authorises litigation or declines it; the
        authorisation holds only while the patent stays pooled in the same hands
        (PatentPool's tenure), else the new owner decides again. Anyone on the
        infringer's side offers a settlement by paying it into escrow here; each
        offer is kept apart under its own id, so no offer displaces another, and
        it returns to its offerer whenever the offerer asks (or, once the case is
        closed, whenever anyone asks). A settlement takes two keys: the patent's
        provider (or its centre; the council for the fund's patents) accepts one
        offer, and a regulator or the council who is not a party settles the
        case with it (the offer goes to the infringed patent: its contributor,
        its centre and the fund's share, Royalties.pay_for; the bond returns
        to the centre). A regulator or the council may also resolve a case as
        dismissed (the bond goes to the accused, if named and the council's
        policy says so, else to the fund). A case may also be dismissed before
        the provider decides. The centre may withdraw a case: its bond returns
        only if the case lost its ground (the patent left the pool or changed
        hands since it was authorised), else it goes where a dismissal would
        send it, so withdrawing never dodges a dismissal. Money moves out of
        an account only by that account's own call. Every step is an event;
        every case is readable by anyone, regulators included.
@dev One open case at a time per (patent, infringer, product): a monitor that
     sees the same unlicensed use twice cannot file it twice.
"""

from interfaces import IAlliance
from interfaces import IBPC
from interfaces import IPatentPool
from interfaces import IRoyaltyPayee
from snekmate.auth import ownable
import codes

initializes: ownable

exports: (ownable.owner, ownable.transfer_ownership)


struct Case:
    patent: bytes32
    infringer: bytes32
    product: bytes32
    evidence: bytes32
    centre: address
    accused: address
    bond: uint256
    status: uint8
    filed_at: uint256
    closed_at: uint256
    tenure: uint256
    settlement: uint256


struct Offer:
    case: uint256
    offerer: address
    amount: uint256


# @dev A bond is at most 10^9 BPC, a settlement at most 10^12 BPC.
BOND_MAX: constant(uint256) = 10**27
SETTLEMENT_MAX: constant(uint256) = 10**30
# @dev An offer's offerer and case share one word: the address in the low 160 bits.
ADDRESS_MASK: constant(uint256) = (1 << 160) - 1

ALLIANCE: public(immutable(IAlliance))
BPC: public(immutable(IBPC))
POOL: public(immutable(IPatentPool))
ROYALTIES: public(immutable(IRoyaltyPayee))
FUND: public(immutable(address))

# @notice BPC a centre posts with each new case.
bond: public(uint256)
# @notice Whether a dismissed case's bond goes to its named accused (else the fund).
dismissed_bond_to_accused: public(bool)

cases: public(HashMap[uint256, Case])
case_count: public(uint256)
# @notice The open case of keccak256(patent, infringer, product), or 0.
open_case: public(HashMap[bytes32, uint256])
# @notice Settlement offers made so far; an offer's id is its place in this count.
offer_count: public(uint256)
# @dev offer id -> offerer | case << 160 (read through `offers`)
offer_parties: HashMap[uint256, uint256]
# @dev offer id -> BPC in escrow; 0 once accepted or returned
offer_amount: HashMap[uint256, uint256]
# @notice The offer the patent's provider accepted on a case (0: none), under the
#         authorisation in force; only that offer can settle the case.
accepted_offer: public(HashMap[uint256, uint256])
# @notice BPC held as bonds of open cases.
bonds_held: public(uint256)
# @notice BPC held as standing settlement offers (on open or closed cases).
offers_held: public(uint256)
# @notice Settlements paid into the royalties through this contract.
settlements_paid: public(uint256)


event CaseFiled:
    case: indexed(uint256)
    patent: indexed(bytes32)
    centre: indexed(address)
    infringer: bytes32
    product: bytes32
    evidence: bytes32
    bond: uint256
    accused: address


event AccusedClaimed:
    case: indexed(uint256)
    accused: indexed(address)


event CaseAuthorised:
    case: indexed(uint256)
    provider: indexed(address)
    tenure: uint256


event CaseDeclined:
    case: indexed(uint256)
    provider: indexed(address)
    bond_returned: uint256


event SettlementOffered:
    case: indexed(uint256)
    offer: indexed(uint256)
    offerer: indexed(address)
    amount: uint256


event OfferAccepted:
    case: indexed(uint256)
    offer: indexed(uint256)
    provider: indexed(address)


event OfferWithdrawn:
    case: indexed(uint256)
    offer: indexed(uint256)
    offerer: indexed(address)
    amount: uint256


event CaseSettled:
    case: indexed(uint256)
    resolver: indexed(address)
    payer: indexed(address)
    offer: uint256
    settlement: uint256
    bond_returned: uint256


event CaseDismissed:
    case: indexed(uint256)
    resolver: indexed(address)
    bond_to: address
    bond: uint256


event CaseWithdrawn:
    case: indexed(uint256)
    bond_to: indexed(address)
    bond: uint256


event BondSet:
    bond: uint256
    dismissed_bond_to_accused: bool


@deploy
def __init__(
    alliance: IAlliance,
    bpc: IBPC,
    pool: IPatentPool,
    royalties: IRoyaltyPayee,
    fund: address,
    council: address,
    bond: uint256,
    dismissed_bond_to_accused: bool,
):
    """
    @notice Deploys the case register of one collection.
    @param alliance The members and their roles.
    @param bpc The collection's token: bonds and settlements.
    @param pool The registry whose pooled patents cases protect.
    @param royalties The royalty split settlements flow into.
    @param fund The fund (receives dismissed bonds unless the council says otherwise).
    @param council The council's Governance contract (owner).
    @param bond BPC per case.
    @param dismissed_bond_to_accused Where a dismissed case's bond goes.
    """
    assert council != empty(address), "infringements: council is the zero address"
    assert fund != empty(address), "infringements: fund is the zero address"
    ownable.__init__()
    ownable._transfer_ownership(council)
    ALLIANCE = alliance
    BPC = bpc
    POOL = pool
    ROYALTIES = royalties
    FUND = fund
    # dev: settlements reach Royalties.pay, which pulls them from this contract
    extcall bpc.approve(royalties.address, max_value(uint256))
    self._set_bond(bond, dismissed_bond_to_accused)


@external
def set_bond(bond: uint256, dismissed_bond_to_accused: bool):
    """
    @notice Sets the bond for new cases and where dismissed bonds go (council
            only). Open cases keep the bond they posted.
    @param bond BPC (wei), at most 10^9 BPC.
    @param dismissed_bond_to_accused True: to the named accused; False: to the fund.
    """
    ownable._check_owner()
    self._set_bond(bond, dismissed_bond_to_accused)


@external
def file(
    patent: bytes32, infringer: bytes32, product: bytes32, evidence: bytes32, accused: address
) -> uint256:
    """
    @notice Files a case against an unlicensed use of a pooled patent and posts
            the bond (approve this contract for it first).
    @param patent The pooled patent's id.
    @param infringer The digest of the accused's identity record.
    @param product The digest of the product's id (model number).
    @param evidence The sha2-256 digest of the evidence's CID on IPFS.
    @param accused The accused's address, or the zero address when the centre
           knows only the identity digest (the accused may claim the case
           later). A named accused must be a vetted member whose identity
           record is `infringer`, and not the centre itself.
    @return The case's id.
    """
    assert staticcall ALLIANCE.has_role(msg.sender, codes.ROLE_RIGHTS_PROTECTION_CENTRE), "infringements: not an active rights-protection centre"
    assert infringer != empty(bytes32), "infringements: empty infringer"
    assert product != empty(bytes32), "infringements: empty product"
    assert evidence != empty(bytes32), "infringements: empty evidence"
    if accused != empty(address):
        # dev: the centre may name only whom the record proves: else it could name
        # its own accomplice and take back through it the bond a dismissal forfeits
        assert accused != msg.sender, "infringements: a centre cannot accuse itself"
        self._check_vetted(accused, infringer)
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(patent)
    assert status == codes.PATENT_POOLED, "infringements: patent is not pooled"
    key: bytes32 = keccak256(abi_encode(patent, infringer, product))
    assert self.open_case[key] == 0, "infringements: an open case covers this use"
    bond: uint256 = self.bond
    if bond != 0:
        assert extcall BPC.transferFrom(msg.sender, self, bond), "infringements: transfer failed"  # dev: BPC reverts first
        self.bonds_held += bond
    case: uint256 = self.case_count + 1
    self.case_count = case
    self.open_case[key] = case
    # dev: the zero fields (closed_at, tenure, settlement) are not written
    self.cases[case].patent = patent
    self.cases[case].infringer = infringer
    self.cases[case].product = product
    self.cases[case].evidence = evidence
    self.cases[case].centre = msg.sender
    if accused != empty(address):
        self.cases[case].accused = accused
    if bond != 0:
        self.cases[case].bond = bond
    self.cases[case].status = codes.CASE_FILED
    self.cases[case].filed_at = block.timestamp
    log CaseFiled(
        case=case,
        patent=patent,
        centre=msg.sender,
        infringer=infringer,
        product=product,
        evidence=evidence,
        bond=bond,
        accused=accused,
    )
    return case


@external
def claim_accused(case: uint256):
    """
    @notice The accused names itself on an open case that names no accused:
            the caller must be a vetted member (admitted, whatever its status
            since) whose identity record is the case's infringer digest.
    @param case The case's id.
    """
    status: uint8 = self.cases[case].status
    assert status == codes.CASE_FILED or status == codes.CASE_AUTHORISED, "infringements: case is not open"
    assert self.cases[case].accused == empty(address), "infringements: the accused is already named"
    assert msg.sender != self.cases[case].centre, "infringements: a centre cannot accuse itself"
    self._check_vetted(msg.sender, self.cases[case].infringer)
    self.cases[case].accused = msg.sender
    log AccusedClaimed(case=case, accused=msg.sender)


@external
def authorise(case: uint256):
    """
    @notice The patent's provider (or its trusteeship centre; the council for
            the fund's patents) authorises litigation of a filed case, or of a
            case whose authorisation lapsed because the patent changed hands.
            The authorisation holds while the patent stays pooled in the hands
            that gave it (its tenure).
    @param case The case's id.
    """
    self._require_awaiting(case)
    tenure: uint256 = self._check_provider(self.cases[case].patent, True)
    self.cases[case].status = codes.CASE_AUTHORISED
    self.cases[case].tenure = tenure
    if self.accepted_offer[case] != 0:
        self.accepted_offer[case] = 0  # dev: the seller's acceptance ended with its authorisation
    log CaseAuthorised(case=case, provider=msg.sender, tenure=tenure)


@external
def decline(case: uint256):
    """
    @notice The patent's provider (or its trusteeship centre; the council for
            the fund's patents) declines litigation of a filed case (or of one
            whose authorisation lapsed); the case closes and the bond returns
            to the centre.
    @param case The case's id.
    """
    self._require_awaiting(case)
    self._check_provider(self.cases[case].patent, False)
    returned: uint256 = self._close(case, codes.CASE_DECLINED, self.cases[case].centre)
    log CaseDeclined(case=case, provider=msg.sender, bond_returned=returned)


@external
def offer_settlement(case: uint256, amount: uint256) -> uint256:
    """
    @notice Offers to settle an authorised case by paying `amount` BPC into
            escrow here (approve this contract first). Each offer stands on its
            own, under its own id, until it is accepted or returned.
    @param case The case's id.
    @param amount BPC (wei), at least 1 wei and at most 10^12 BPC.
    @return The offer's id.
    """
    assert self.cases[case].status == codes.CASE_AUTHORISED, "infringements: only an authorised case takes an offer"
    self._require_authorisation(case)
    assert amount != 0 and amount <= SETTLEMENT_MAX, "infringements: settlement must be 1 wei to 10^12 BPC"
    assert extcall BPC.transferFrom(msg.sender, self, amount), "infringements: transfer failed"  # dev: BPC reverts first
    offer: uint256 = self.offer_count + 1
    self.offer_count = offer
    # dev: a case id fits in 96 bits (it counts transactions)
    self.offer_parties[offer] = convert(msg.sender, uint256) | (case << 160)
    self.offer_amount[offer] = amount
    self.offers_held += amount
    log SettlementOffered(case=case, offer=offer, offerer=msg.sender, amount=amount)
    return offer


@external
def accept_offer(case: uint256, offer: uint256):
    """
    @notice The patent's provider (or its trusteeship centre; the council for
            the fund's patents) accepts one offer standing on its authorised
            case: the first of the two keys a settlement takes. A later call
            accepts another offer instead.
    @param case The case's id.
    @param offer The id of the offer accepted.
    """
    assert self.cases[case].status == codes.CASE_AUTHORISED, "infringements: only an authorised case is settled"
    self._require_authorisation(case)
    parties: uint256 = self.offer_parties[offer]
    assert self.offer_amount[offer] != 0 and parties >> 160 == case, "infringements: no such offer standing on this case"
    self._check_provider(self.cases[case].patent, True)
    self.accepted_offer[case] = offer
    log OfferAccepted(case=case, offer=offer, provider=msg.sender)


@external
def withdraw_offer(offer: uint256):
    """
    @notice Returns a standing offer to its offerer: at the offerer's call at
            any time, at anyone's once its case is closed.
    @param offer The offer's id.
    """
    amount: uint256 = self.offer_amount[offer]
    assert amount != 0, "infringements: no such offer standing"
    parties: uint256 = self.offer_parties[offer]
    offerer: address = convert(parties & ADDRESS_MASK, address)
    case: uint256 = parties >> 160
    status: uint8 = self.cases[case].status
    if status == codes.CASE_FILED or status == codes.CASE_AUTHORISED:
        assert msg.sender == offerer, "infringements: only the offerer withdraws an offer on an open case"
    self.offer_amount[offer] = 0
    self.offers_held -= amount
    assert extcall BPC.transfer(offerer, amount), "infringements: transfer failed"  # dev: BPC reverts first
    log OfferWithdrawn(case=case, offer=offer, offerer=offerer, amount=amount)


@external
def settle(case: uint256, offer: uint256):
    """
    @notice A regulator or the council, not a party to the case, settles an
            authorised case with the offer its provider accepted: the offer
            goes to the infringed patent (Royalties.pay_for), and the bond
            returns to the centre.
            Other offers stay standing for their offerers to take back.
    @param case The case's id.
    @param offer The id of the offer the provider accepted.
    """
    self._check_resolver(case)
    assert self.cases[case].status == codes.CASE_AUTHORISED, "infringements: only an authorised case is settled"
    self._require_authorisation(case)
    settlement: uint256 = self.offer_amount[offer]
    parties: uint256 = self.offer_parties[offer]
    assert settlement != 0 and parties >> 160 == case, "infringements: no such offer standing on this case"
    # dev: two keys: one regulator alone cannot settle the owner's claim for what it likes
    assert self.accepted_offer[case] == offer, "infringements: the patent's provider has not accepted this offer"
    payer: address = convert(parties & ADDRESS_MASK, address)
    self.offer_amount[offer] = 0
    self.offers_held -= settlement
    self.cases[case].settlement = settlement
    extcall ROYALTIES.pay_for(self.cases[case].patent, settlement, convert(case, bytes32))
    self.settlements_paid += settlement
    returned: uint256 = self._close(case, codes.CASE_SETTLED, self.cases[case].centre)
    log CaseSettled(
        case=case,
        resolver=msg.sender,
        payer=payer,
        offer=offer,
        settlement=settlement,
        bond_returned=returned,
    )


@external
def dismiss(case: uint256):
    """
    @notice A regulator or the council, not a party to the case, dismisses a
            filed or authorised case. The bond goes to the case's named accused
            when the council's policy says so and one is named, else to the
            fund; never to whom the resolver chooses. Standing offers stay
            standing for their offerers to take back.
    @param case The case's id.
    """
    self._check_resolver(case)
    status: uint8 = self.cases[case].status
    assert status == codes.CASE_FILED or status == codes.CASE_AUTHORISED, "infringements: case is not open"
    to: address = self._forfeit_to(case)
    bond: uint256 = self._close(case, codes.CASE_DISMISSED, to)
    log CaseDismissed(case=case, resolver=msg.sender, bond_to=to, bond=bond)


@external
def withdraw(case: uint256):
    """
    @notice The filing centre withdraws an open case. Its bond returns if the
            case lost its ground (the patent left the pool, or changed hands
            since it was authorised); else it goes where a dismissal would send
            it, so a centre cannot dodge a dismissal by withdrawing first.
    @param case The case's id.
    """
    status: uint8 = self.cases[case].status
    assert status == codes.CASE_FILED or status == codes.CASE_AUTHORISED, "infringements: case is not open"
    assert msg.sender == self.cases[case].centre, "infringements: only the filing centre withdraws"
    pool_status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    pool_status, contributor, centre, tenure = staticcall POOL.ownership(self.cases[case].patent)
    to: address = msg.sender
    if pool_status == codes.PATENT_POOLED and (status == codes.CASE_FILED or tenure == self.cases[case].tenure):
        to = self._forfeit_to(case)  # dev: the case still stands: withdrawing concedes it
    bond: uint256 = self._close(case, codes.CASE_WITHDRAWN, to)
    log CaseWithdrawn(case=case, bond_to=to, bond=bond)


@view
@external
def offers(offer: uint256) -> Offer:
    """
    @notice A settlement offer.
    @param offer The offer's id.
    @return Its case, its offerer and the BPC it holds in escrow (0 once
            accepted or returned; the events say which).
    """
    parties: uint256 = self.offer_parties[offer]
    return Offer(
        case=parties >> 160,
        offerer=convert(parties & ADDRESS_MASK, address),
        amount=self.offer_amount[offer],
    )


@view
@external
def authorisation_in_force(case: uint256) -> bool:
    """
    @notice Whether an authorised case's authorisation still holds: the patent
            is pooled, in the hands that authorised it.
    @param case The case's id.
    @return False for a case not authorised, or whose patent changed hands or
            left the pool since.
    """
    if self.cases[case].status != codes.CASE_AUTHORISED:
        return False
    return self._authorisation_holds(case)


@view
@external
def case_key(patent: bytes32, infringer: bytes32, product: bytes32) -> bytes32:
    """
    @notice The key `open_case` is indexed by.
    """
    return keccak256(abi_encode(patent, infringer, product))


@internal
def _close(case: uint256, status: uint8, bond_to: address) -> uint256:
    """
    @dev Ends an open case: frees its key and sends its bond to `bond_to`.
    """
    patent: bytes32 = self.cases[case].patent
    infringer: bytes32 = self.cases[case].infringer
    product: bytes32 = self.cases[case].product
    bond: uint256 = self.cases[case].bond
    self.cases[case].status = status
    self.cases[case].closed_at = block.timestamp
    self.open_case[keccak256(abi_encode(patent, infringer, product))] = 0
    if bond != 0:
        self.bonds_held -= bond
        assert extcall BPC.transfer(bond_to, bond), "infringements: transfer failed"  # dev: BPC reverts first
    return bond


@view
@internal
def _forfeit_to(case: uint256) -> address:
    """
    @dev Where a forfeited bond goes: the named accused under the council's
         policy, else the fund.
    """
    accused: address = self.cases[case].accused
    if self.dismissed_bond_to_accused and accused != empty(address):
        return accused
    return FUND


@view
@internal
def _check_vetted(who: address, infringer: bytes32):
    """
    @dev `who` is a member the council admitted (active, suspended or expelled
         since) and its identity record is `infringer`: an applicant's digest is
         only what it claims.
    """
    status: uint8 = staticcall ALLIANCE.status_of(who)
    vetted: bool = status == codes.STATUS_ACTIVE or status == codes.STATUS_SUSPENDED or status == codes.STATUS_EXPELLED
    assert vetted and staticcall ALLIANCE.identity_of(who) == infringer, "infringements: the accused must be a vetted member with the infringer's identity"


@view
@internal
def _authorisation_holds(case: uint256) -> bool:
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(self.cases[case].patent)
    return status == codes.PATENT_POOLED and tenure == self.cases[case].tenure


@view
@internal
def _require_authorisation(case: uint256):
    # dev: the authorisation was the owner's of its tenure; a new owner decides again
    assert self._authorisation_holds(case), "infringements: the authorisation lapsed: the patent changed hands or left the pool"


@view
@internal
def _require_awaiting(case: uint256):
    """
    @dev A filed case, or an authorised one whose authorisation lapsed.
    """
    status: uint8 = self.cases[case].status
    awaiting: bool = status == codes.CASE_FILED
    if status == codes.CASE_AUTHORISED:
        awaiting = not self._authorisation_holds(case)
    assert awaiting, "infringements: case is not awaiting the provider"


@view
@internal
def _check_provider(patent: bytes32, pooled: bool) -> uint256:
    """
    @dev The patent's provider or its trusteeship centre (active members), or the
         council for a patent the fund contributed. With `pooled`, the patent
         must be pooled. Returns the patent's tenure.
    """
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.ownership(patent)
    if pooled:
        assert status == codes.PATENT_POOLED, "infringements: patent is not pooled"
    if contributor == FUND and msg.sender == ownable.owner:
        return tenure
    assert msg.sender == contributor or (centre != empty(address) and msg.sender == centre), "infringements: only the patent's provider or its centre decides"
    assert staticcall ALLIANCE.is_active(msg.sender), "infringements: the provider is not an active member"
    return tenure


@view
@internal
def _check_resolver(case: uint256):
    assert msg.sender == ownable.owner or staticcall ALLIANCE.has_role(msg.sender, codes.ROLE_REGULATOR), "infringements: only a regulator or the council resolves"
    # dev: a resolver who filed the case or stands accused in it would be paid its bond
    assert msg.sender != self.cases[case].centre and msg.sender != self.cases[case].accused, "infringements: a party to the case cannot resolve it"


@internal
def _set_bond(bond: uint256, to_accused: bool):
    assert bond <= BOND_MAX, "infringements: bond above 10^9 BPC"
    self.bond = bond
    self.dismissed_bond_to_accused = to_accused
    log BondSet(bond=bond, dismissed_bond_to_accused=to_accused)
