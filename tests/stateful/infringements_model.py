"""A pure-Python model of Infringements: the case register, with the slices of Alliance
(who is an active rights-protection centre or regulator), PatentPool (which patents are
pooled, by whom and with which centre), BPC and the royalty ledger that it reads or pays
into.

No chain here: the state machine in `test_infringements_model.py` drives the contracts and
this model side by side and compares them. The model follows Infringements' NatSpec: an
active rights-protection centre files a case against a pooled patent (non-empty infringer,
product and evidence digests) and posts the bond then in force; at most one open case per
(patent, infringer, product); the patent's contributor or its centre, while an active
member, authorises or declines a filed case, and the council does for a patent the fund
contributed (declined: the bond returns to the filing centre); anyone offers a settlement
on an authorised case (1 wei to 10^12 BPC, paid into escrow; it replaces the standing offer,
which returns to its offerer); a regulator or the council settles an authorised case that
has an offer (the offer flows into the royalty split, the bond returns) or dismisses an
open one (the bond goes to the named accused when the council's policy says so and one is
named, else to the fund; never to the register itself); the filing centre withdraws an
open case (the bond returns). A dismissed or withdrawn case's pending offer returns to its
offerer. DECLINED, SETTLED, DISMISSED and WITHDRAWN are terminal.

Every operation returns the revert reason the chain must give (or None, having applied its
effects). A refused operation changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bpsa.codes import CaseStatus, PatentStatus
from tests.stateful.pool_model import OWNER_REASON, ZERO_ADDRESS, RoyaltiesModel, TokenModel

BOND_MAX = 10**27
SETTLEMENT_MAX = 10**30
EMPTY = b"\x00" * 32
OPEN = (CaseStatus.FILED, CaseStatus.AUTHORISED)
TERMINAL = (CaseStatus.DECLINED, CaseStatus.SETTLED, CaseStatus.DISMISSED, CaseStatus.WITHDRAWN)

NOT_PROTECTION_CENTRE = "infringements: not an active rights-protection centre"
NOT_POOLED = "infringements: patent is not pooled"
ALREADY_OPEN = "infringements: an open case covers this use"
NOT_AWAITING = "infringements: case is not awaiting the provider"
NOT_PROVIDER = "infringements: only the patent's provider or its centre decides"
NOT_RESOLVER = "infringements: only a regulator or the council resolves"
NOT_AUTHORISED = "infringements: only an authorised case is settled"
NO_OFFER = "infringements: no settlement offered"
OFFER_NOT_AUTHORISED = "infringements: only an authorised case takes an offer"
NOT_ACTIVE = "infringements: the provider is not an active member"
REGISTER_AS_ACCUSED = "infringements: the register cannot be the accused's payee"
BAD_SETTLEMENT = "infringements: settlement must be 1 wei to 10^12 BPC"
NOT_OPEN = "infringements: case is not open"
NOT_FILING_CENTRE = "infringements: only the filing centre withdraws"
BOND_ABOVE = "infringements: bond above 10^9 BPC"


def case_key(patent: bytes, infringer: bytes, product: bytes) -> bytes:
    return keccak(encode(["bytes32", "bytes32", "bytes32"], [patent, infringer, product]))


@dataclass
class Case:
    patent: bytes
    infringer: bytes
    product: bytes
    evidence: bytes
    centre: str
    bond: int
    status: CaseStatus = CaseStatus.FILED
    filed_at: int = 0
    closed_at: int = 0
    settlement: int = 0
    offerer: str = ZERO_ADDRESS
    bond_to: str = ZERO_ADDRESS  # where its bond went when it closed (not on chain)

    @property
    def key(self) -> bytes:
        return case_key(self.patent, self.infringer, self.product)

    def as_tuple(self) -> tuple[object, ...]:
        return (
            self.patent,
            self.infringer,
            self.product,
            self.evidence,
            self.centre,
            self.bond,
            int(self.status),
            self.filed_at,
            self.closed_at,
            self.settlement,
            self.offerer,
        )


@dataclass
class PooledPatent:
    contributor: str
    centre: str
    score: int
    status: PatentStatus = PatentStatus.POOLED


@dataclass
class InfringementsModel:
    now: int
    council: str
    infringements: str
    royalties_address: str
    fund: str
    token: TokenModel
    royalties: RoyaltiesModel
    patents: dict[bytes, PooledPatent]
    bond: int
    to_accused: bool
    # active members holding each role (a suspended member holds none), and every active
    # member
    protection_centres: set[str] = field(default_factory=set)
    regulators: set[str] = field(default_factory=set)
    active: set[str] = field(default_factory=set)
    cases: list[Case] = field(default_factory=list)  # case i is cases[i - 1]
    open_case: dict[bytes, int] = field(default_factory=dict)
    bonds_held: int = 0
    offers_held: int = 0
    settlements_paid: int = 0

    def case(self, case: int) -> Case | None:
        return self.cases[case - 1] if 1 <= case <= len(self.cases) else None

    def status(self, case: int) -> CaseStatus:
        record = self.case(case)
        return record.status if record else CaseStatus.NONE

    def _refund_offer(self, record: Case) -> int:
        """Returns a case's pending offer to its offerer; the amount returned."""
        if record.offerer == ZERO_ADDRESS:
            return 0
        amount, offerer = record.settlement, record.offerer
        record.settlement, record.offerer = 0, ZERO_ADDRESS
        self.offers_held -= amount
        reason = self.token.transfer(self.infringements, offerer, amount)
        assert reason is None, f"the model's register cannot refund an offer: {reason}"
        return amount

    def _close(self, record: Case, status: CaseStatus, bond_to: str) -> None:
        if status != CaseStatus.SETTLED:
            self._refund_offer(record)
        record.status = status
        record.closed_at = self.now
        record.bond_to = bond_to
        self.open_case[record.key] = 0
        if record.bond:
            self.bonds_held -= record.bond
            reason = self.token.transfer(self.infringements, bond_to, record.bond)
            assert reason is None, f"the model's register cannot return a bond: {reason}"

    # -- the council

    def set_bond(self, sender: str, bond: int, to_accused: bool) -> str | None:
        if sender != self.council:
            return OWNER_REASON
        if bond > BOND_MAX:
            return BOND_ABOVE
        self.bond, self.to_accused = bond, to_accused
        return None

    def remove_patent(self, patent: bytes) -> None:
        """The council takes a pooled patent out of the pool (its weight leaves the split)."""
        record = self.patents[patent]
        assert record.status == PatentStatus.POOLED
        self.royalties.change_weight(record.contributor, record.centre, record.score, 0)
        record.status = PatentStatus.REMOVED

    # -- the case register

    def file(
        self, sender: str, patent: bytes, infringer: bytes, product: bytes, evidence: bytes
    ) -> tuple[str | None, int]:
        if sender not in self.protection_centres:
            return NOT_PROTECTION_CENTRE, 0
        if infringer == EMPTY:
            return "infringements: empty infringer", 0
        if product == EMPTY:
            return "infringements: empty product", 0
        if evidence == EMPTY:
            return "infringements: empty evidence", 0
        pooled = self.patents.get(patent)
        if pooled is None or pooled.status != PatentStatus.POOLED:
            return NOT_POOLED, 0
        key = case_key(patent, infringer, product)
        if self.open_case.get(key, 0):
            return ALREADY_OPEN, 0
        if self.bond:
            reason = self.token.transfer_from(
                self.infringements, sender, self.infringements, self.bond
            )
            if reason:
                return reason, 0
            self.bonds_held += self.bond
        self.cases.append(
            Case(patent, infringer, product, evidence, sender, self.bond, filed_at=self.now)
        )
        case = len(self.cases)
        self.open_case[key] = case
        return None, case

    def _decider_reason(self, sender: str, case: int) -> str | None:
        """authorise's and decline's checks, in the contract's order."""
        record = self.case(case)
        if record is None or record.status != CaseStatus.FILED:
            return NOT_AWAITING
        # the pool's record of the patent, whatever its status now
        patent = self.patents.get(record.patent)
        contributor = patent.contributor if patent else ZERO_ADDRESS
        centre = patent.centre if patent else ZERO_ADDRESS
        if contributor == self.fund and sender == self.council:
            return None
        if sender != contributor and (centre == ZERO_ADDRESS or sender != centre):
            return NOT_PROVIDER
        if sender not in self.active:
            return NOT_ACTIVE
        return None

    def authorise(self, sender: str, case: int) -> str | None:
        reason = self._decider_reason(sender, case)
        if reason:
            return reason
        record = self.case(case)
        assert record is not None
        record.status = CaseStatus.AUTHORISED
        return None

    def decline(self, sender: str, case: int) -> tuple[str | None, int]:
        reason = self._decider_reason(sender, case)
        if reason:
            return reason, 0
        record = self.case(case)
        assert record is not None
        self._close(record, CaseStatus.DECLINED, record.centre)
        return None, record.bond

    def _resolver_reason(self, sender: str) -> str | None:
        if sender != self.council and sender not in self.regulators:
            return NOT_RESOLVER
        return None

    def offer_settlement(self, sender: str, case: int, amount: int) -> tuple[str | None, int]:
        """Returns (reason, the replaced offer's amount)."""
        record = self.case(case)
        if record is None or record.status != CaseStatus.AUTHORISED:
            return OFFER_NOT_AUTHORISED, 0
        if amount == 0 or amount > SETTLEMENT_MAX:
            return BAD_SETTLEMENT, 0
        # the new offer comes in before the old one goes out
        reason = self.token.transfer_from(self.infringements, sender, self.infringements, amount)
        if reason:
            return reason, 0
        replaced = self._refund_offer(record)
        record.settlement, record.offerer = amount, sender
        self.offers_held += amount
        return None, replaced

    def settle(self, sender: str, case: int) -> tuple[str | None, str, int, int]:
        """Returns (reason, payer, settlement, bond returned)."""
        reason = self._resolver_reason(sender)
        if reason:
            return reason, ZERO_ADDRESS, 0, 0
        record = self.case(case)
        if record is None or record.status != CaseStatus.AUTHORISED:
            return NOT_AUTHORISED, ZERO_ADDRESS, 0, 0
        settlement, payer = record.settlement, record.offerer
        if settlement == 0:
            return NO_OFFER, ZERO_ADDRESS, 0, 0
        self.offers_held -= settlement
        record.offerer = ZERO_ADDRESS
        # Royalties.pay pulls it under the constructor's unlimited approval, books the
        # split and sends the fund its share
        pulled = self.token.transfer_from(
            self.royalties_address, self.infringements, self.royalties_address, settlement
        )
        assert pulled is None, f"the model's register cannot pay Royalties: {pulled}"
        _, _, to_fund = self.royalties.book_fee(settlement)
        if to_fund:
            assert self.token.transfer(self.royalties_address, self.fund, to_fund) is None
        self.settlements_paid += settlement
        self._close(record, CaseStatus.SETTLED, record.centre)
        return None, payer, settlement, record.bond

    def dismiss(self, sender: str, case: int, accused: str) -> tuple[str | None, str]:
        reason = self._resolver_reason(sender)
        if reason:
            return reason, ZERO_ADDRESS
        record = self.case(case)
        if record is None or record.status not in OPEN:
            return NOT_OPEN, ZERO_ADDRESS
        if accused == self.infringements:
            return REGISTER_AS_ACCUSED, ZERO_ADDRESS
        to = accused if self.to_accused and accused != ZERO_ADDRESS else self.fund
        self._close(record, CaseStatus.DISMISSED, to)
        return None, to

    def withdraw(self, sender: str, case: int) -> tuple[str | None, int]:
        record = self.case(case)
        if record is None or record.status not in OPEN:
            return NOT_OPEN, 0
        if sender != record.centre:
            return NOT_FILING_CENTRE, 0
        self._close(record, CaseStatus.WITHDRAWN, sender)
        return None, record.bond
