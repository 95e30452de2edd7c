# pragma version ~=0.4.3
"""
@title Infringements
@notice Infringement cases of one collection, from filing to their end. A
        rights-protection centre files a case against an unlicensed use of a
        pooled patent (the infringer's identity digest, the product, the
        evidence's IPFS CID digest) and posts the council's bond in BPC. The
        patent's provider (or its trusteeship centre) authorises litigation or
        declines it (the council decides for the fund's own patents). The
        infringer's side offers a settlement by paying it into escrow here; a
        regulator or the council resolves an authorised case: settled (the
        escrowed settlement flows into the royalty split and the bond returns to
        the centre) or dismissed (the bond goes to the accused's side or to the
        fund, as the council sets). A case may also be dismissed before the
        provider decides, and the centre may withdraw it (bond returned) until it
        is resolved; an offer not accepted returns to whoever made it. Money
        moves out of an account only by that account's own call. Every step is
        an event; every case is readable by anyone, regulators included.
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
    bond: uint256
    status: uint8
    filed_at: uint256
    closed_at: uint256
    settlement: uint256
    offerer: address


# @dev A bond is at most 10^9 BPC, a settlement at most 10^12 BPC.
BOND_MAX: constant(uint256) = 10**27
SETTLEMENT_MAX: constant(uint256) = 10**30

ALLIANCE: public(immutable(IAlliance))
BPC: public(immutable(IBPC))
POOL: public(immutable(IPatentPool))
ROYALTIES: public(immutable(IRoyaltyPayee))
FUND: public(immutable(address))

# @notice BPC a centre posts with each new case.
bond: public(uint256)
# @notice Whether a dismissed case's bond goes to the accused's side (else the fund).
dismissed_bond_to_accused: public(bool)

cases: public(HashMap[uint256, Case])
case_count: public(uint256)
# @notice The open case of keccak256(patent, infringer, product), or 0.
open_case: public(HashMap[bytes32, uint256])
# @notice BPC held as bonds of open cases.
bonds_held: public(uint256)
# @notice BPC held as settlement offers of open cases.
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


event CaseAuthorised:
    case: indexed(uint256)
    provider: indexed(address)


event CaseDeclined:
    case: indexed(uint256)
    provider: indexed(address)
    bond_returned: uint256


event SettlementOffered:
    case: indexed(uint256)
    offerer: indexed(address)
    amount: uint256
    replaced: uint256


event CaseSettled:
    case: indexed(uint256)
    resolver: indexed(address)
    payer: indexed(address)
    settlement: uint256
    bond_returned: uint256


event CaseDismissed:
    case: indexed(uint256)
    resolver: indexed(address)
    bond_to: address
    bond: uint256


event CaseWithdrawn:
    case: indexed(uint256)
    bond_returned: uint256


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
    @param dismissed_bond_to_accused True: to the accused's side; False: to the fund.
    """
    ownable._check_owner()
    self._set_bond(bond, dismissed_bond_to_accused)


@external
def file(patent: bytes32, infringer: bytes32, product: bytes32, evidence: bytes32) -> uint256:
    """
    @notice Files a case against an unlicensed use of a pooled patent and posts
            the bond (approve this contract for it first).
    @param patent The pooled patent's id.
    @param infringer The digest of the accused's identity record.
    @param product The digest of the product's id (model number).
    @param evidence The sha2-256 digest of the evidence's CID on IPFS.
    @return The case's id.
    """
    assert staticcall ALLIANCE.has_role(msg.sender, codes.ROLE_RIGHTS_PROTECTION_CENTRE), "infringements: not an active rights-protection centre"
    assert infringer != empty(bytes32), "infringements: empty infringer"
    assert product != empty(bytes32), "infringements: empty product"
    assert evidence != empty(bytes32), "infringements: empty evidence"
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.licensing_view(patent)
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
    self.cases[case] = Case(
        patent=patent,
        infringer=infringer,
        product=product,
        evidence=evidence,
        centre=msg.sender,
        bond=bond,
        status=codes.CASE_FILED,
        filed_at=block.timestamp,
        closed_at=0,
        settlement=0,
        offerer=empty(address),
    )
    log CaseFiled(
        case=case,
        patent=patent,
        centre=msg.sender,
        infringer=infringer,
        product=product,
        evidence=evidence,
        bond=bond,
    )
    return case


@external
def authorise(case: uint256):
    """
    @notice The patent's provider (or its trusteeship centre; the council for
            the fund's patents) authorises litigation of a filed case.
    @param case The case's id.
    """
    assert self.cases[case].status == codes.CASE_FILED, "infringements: case is not awaiting the provider"
    self._check_provider(self.cases[case].patent)
    self.cases[case].status = codes.CASE_AUTHORISED
    log CaseAuthorised(case=case, provider=msg.sender)


@external
def decline(case: uint256):
    """
    @notice The patent's provider (or its trusteeship centre; the council for
            the fund's patents) declines litigation; the case closes and the bond
            returns to the centre.
    @param case The case's id.
    """
    assert self.cases[case].status == codes.CASE_FILED, "infringements: case is not awaiting the provider"
    self._check_provider(self.cases[case].patent)
    returned: uint256 = self._close(case, codes.CASE_DECLINED, self.cases[case].centre)
    log CaseDeclined(case=case, provider=msg.sender, bond_returned=returned)


@external
def offer_settlement(case: uint256, amount: uint256):
    """
    @notice The infringer's side offers to settle an authorised case by paying
            `amount` BPC into escrow here (approve this contract first). A new
            offer replaces the previous one, which returns to its offerer.
    @param case The case's id.
    @param amount BPC (wei), at least 1 wei and at most 10^12 BPC.
    """
    assert self.cases[case].status == codes.CASE_AUTHORISED, "infringements: only an authorised case takes an offer"
    assert amount != 0 and amount <= SETTLEMENT_MAX, "infringements: settlement must be 1 wei to 10^12 BPC"
    assert extcall BPC.transferFrom(msg.sender, self, amount), "infringements: transfer failed"  # dev: BPC reverts first
    replaced: uint256 = self._refund_offer(case)
    self.cases[case].settlement = amount
    self.cases[case].offerer = msg.sender
    self.offers_held += amount
    log SettlementOffered(case=case, offerer=msg.sender, amount=amount, replaced=replaced)


@external
def settle(case: uint256, amount: uint256):
    """
    @notice A regulator or the council accepts the settlement offered on an
            authorised case: it flows into the royalty split, and the bond
            returns to the centre.
    @dev The resolver names the amount it decided on: an offer replaced in the
         meantime (say, cut to 1 wei before a council proposal executes) is not
         the one accepted, and the call reverts.
    @param case The case's id.
    @param amount The offer the resolver accepts, in BPC (wei).
    """
    self._check_resolver()
    assert self.cases[case].status == codes.CASE_AUTHORISED, "infringements: only an authorised case is settled"
    settlement: uint256 = self.cases[case].settlement
    assert settlement != 0, "infringements: no settlement offered"
    assert settlement == amount, "infringements: the offer standing is not the one accepted"
    payer: address = self.cases[case].offerer
    self.offers_held -= settlement
    self.cases[case].offerer = empty(address)
    extcall ROYALTIES.pay(settlement, convert(case, bytes32))
    self.settlements_paid += settlement
    returned: uint256 = self._close(case, codes.CASE_SETTLED, self.cases[case].centre)
    log CaseSettled(case=case, resolver=msg.sender, payer=payer, settlement=settlement, bond_returned=returned)


@external
def dismiss(case: uint256, accused: address):
    """
    @notice A regulator or the council dismisses a filed or authorised case. The
            bond goes to `accused` (the accused's payee) when the council's
            policy says so and one is given, else to the fund; a pending
            settlement offer returns to its offerer.
    @param case The case's id.
    @param accused The accused's payee, or the zero address.
    """
    self._check_resolver()
    status: uint8 = self.cases[case].status
    assert status == codes.CASE_FILED or status == codes.CASE_AUTHORISED, "infringements: case is not open"
    assert accused != self, "infringements: the register cannot be the accused's payee"
    to: address = FUND
    if self.dismissed_bond_to_accused and accused != empty(address):
        to = accused
    bond: uint256 = self._close(case, codes.CASE_DISMISSED, to)
    log CaseDismissed(case=case, resolver=msg.sender, bond_to=to, bond=bond)


@external
def withdraw(case: uint256):
    """
    @notice The filing centre withdraws an open case; its bond returns, and so
            does a pending settlement offer to its offerer.
    @param case The case's id.
    """
    status: uint8 = self.cases[case].status
    assert status == codes.CASE_FILED or status == codes.CASE_AUTHORISED, "infringements: case is not open"
    assert msg.sender == self.cases[case].centre, "infringements: only the filing centre withdraws"
    returned: uint256 = self._close(case, codes.CASE_WITHDRAWN, msg.sender)
    log CaseWithdrawn(case=case, bond_returned=returned)


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
    record: Case = self.cases[case]
    if status != codes.CASE_SETTLED:
        self._refund_offer(case)
    self.cases[case].status = status
    self.cases[case].closed_at = block.timestamp
    self.open_case[keccak256(abi_encode(record.patent, record.infringer, record.product))] = 0
    if record.bond != 0:
        self.bonds_held -= record.bond
        assert extcall BPC.transfer(bond_to, record.bond), "infringements: transfer failed"  # dev: BPC reverts first
    return record.bond


@internal
def _refund_offer(case: uint256) -> uint256:
    """
    @dev Returns a case's pending settlement offer to its offerer, if any.
    """
    amount: uint256 = self.cases[case].settlement
    offerer: address = self.cases[case].offerer
    if offerer == empty(address):
        return 0
    self.cases[case].settlement = 0
    self.cases[case].offerer = empty(address)
    self.offers_held -= amount
    assert extcall BPC.transfer(offerer, amount), "infringements: transfer failed"  # dev: BPC reverts first
    return amount


@view
@internal
def _check_provider(patent: bytes32):
    """
    @dev The patent's provider or its trusteeship centre (active members), or the
         council for a patent the fund contributed.
    """
    status: uint8 = 0
    contributor: address = empty(address)
    centre: address = empty(address)
    tenure: uint256 = 0
    status, contributor, centre, tenure = staticcall POOL.licensing_view(patent)
    if contributor == FUND and msg.sender == ownable.owner:
        return
    assert msg.sender == contributor or (centre != empty(address) and msg.sender == centre), "infringements: only the patent's provider or its centre decides"
    assert staticcall ALLIANCE.is_active(msg.sender), "infringements: the provider is not an active member"


@view
@internal
def _check_resolver():
    assert msg.sender == ownable.owner or staticcall ALLIANCE.has_role(msg.sender, codes.ROLE_REGULATOR), "infringements: only a regulator or the council resolves"


@internal
def _set_bond(bond: uint256, to_accused: bool):
    assert bond <= BOND_MAX, "infringements: bond above 10^9 BPC"
    self.bond = bond
    self.dismissed_bond_to_accused = to_accused
    log BondSet(bond=bond, dismissed_bond_to_accused=to_accused)
