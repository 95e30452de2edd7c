"""A pure-Python model of Infringements: the case register, with the slices of Alliance
(who is an active rights-protection centre or regulator, who is a vetted member and with
which identity), PatentPool (which patents are pooled, by whom, with which centre, under
which tenure), BPC and the royalty ledger that it reads or pays into.

No chain here: the state machine in `test_infringements_model.py` drives the contracts and
this model side by side and compares them. The model follows Infringements' NatSpec: an
active rights-protection centre files a case against a pooled patent (non-empty infringer,
product and evidence digests), naming no accused or a vetted member (admitted, whatever its
status since) whose identity is the infringer digest and who is not the centre, and posts
the bond then in force; at most one open case per (patent, infringer, product); a vetted
member with the infringer's identity claims an open case that names no accused; the patent's
contributor or its centre, while an active member, authorises (the patent pooled; the
authorisation records its tenure) or declines a filed case, or an authorised one whose
authorisation lapsed (the patent left the pool or changed hands), and the council does for a
patent the fund contributed (declined: the bond returns to the filing centre); anyone offers
a settlement on an authorised case whose authorisation holds (1 wei to 10^12 BPC, paid into
escrow under a new offer id); an offer returns to its offerer at the offerer's call, or at
anyone's once its case closed; a regulator or the council who is neither the case's centre
nor its accused settles an authorised case whose authorisation holds with one offer standing
on it that the patent's provider (its centre; the council for the fund's patent) accepted
under that authorisation (the offer flows into the royalty split, the bond returns) or
dismisses an open one (the bond goes to the case's accused when the council's policy says so
and one is named, else to the fund); the filing centre withdraws an open case (the bond
returns if the patent left the pool or changed hands since the authorisation, else it goes
where a dismissal sends it). DECLINED, SETTLED, DISMISSED and WITHDRAWN are terminal.

Every operation returns the revert reason the chain must give (or None, having applied its
effects). A refused operation changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bpsa.core.codes import CaseStatus, PatentStatus
from tests.infringements_reasons import (
    ALREADY_NAMED,
    ALREADY_OPEN,
    BAD_SETTLEMENT,
    BOND_ABOVE,
    LAPSED,
    NO_OFFER,
    NO_STANDING_OFFER,
    NOT_ACCEPTED,
    NOT_ACTIVE,
    NOT_AUTHORISED,
    NOT_AWAITING,
    NOT_FILING_CENTRE,
    NOT_OFFERER,
    NOT_OPEN,
    NOT_POOLED,
    NOT_PROTECTION_CENTRE,
    NOT_PROVIDER,
    NOT_RESOLVER,
    NOT_VETTED,
    OFFER_NOT_AUTHORISED,
    PARTY_RESOLVES,
    SELF_ACCUSED,
)
from tests.stateful.pool_model import OWNER_REASON, ZERO_ADDRESS, RoyaltiesModel, TokenModel
from tests.stateful.records import OFF_CHAIN

BOND_MAX = 10**27
SETTLEMENT_MAX = 10**30
EMPTY = b"\x00" * 32
OPEN = (CaseStatus.FILED, CaseStatus.AUTHORISED)
TERMINAL = (CaseStatus.DECLINED, CaseStatus.SETTLED, CaseStatus.DISMISSED, CaseStatus.WITHDRAWN)


def case_key(patent: bytes, infringer: bytes, product: bytes) -> bytes:
    return keccak(encode(["bytes32", "bytes32", "bytes32"], [patent, infringer, product]))


@dataclass
class Case:
    patent: bytes
    infringer: bytes
    product: bytes
    evidence: bytes
    centre: str
    accused: str
    bond: int
    status: CaseStatus = CaseStatus.FILED
    filed_at: int = 0
    closed_at: int = 0
    tenure: int = 0
    settlement: int = 0
    bond_to: str = field(default=ZERO_ADDRESS, metadata=OFF_CHAIN)  # where its bond went
    resolver: str = field(default=ZERO_ADDRESS, metadata=OFF_CHAIN)  # who settled or dismissed

    @property
    def key(self) -> bytes:
        return case_key(self.patent, self.infringer, self.product)


@dataclass
class Offer:
    case: int
    offerer: str
    amount: int  # in escrow; 0 once accepted or returned
    made: int  # what was offered
    accepted: bool = False


@dataclass
class PooledPatent:
    contributor: str
    centre: str
    score: int
    tenure: int
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
    # every member the council admitted (active, suspended or expelled since) and its
    # identity digest
    vetted: dict[str, bytes] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)  # case i is cases[i - 1]
    offers: list[Offer] = field(default_factory=list)  # offer i is offers[i - 1]
    open_case: dict[bytes, int] = field(default_factory=dict)
    accepted: dict[int, int] = field(default_factory=dict)  # case -> the provider's offer
    bonds_held: int = 0
    offers_held: int = 0
    settlements_paid: int = 0

    def case(self, case: int) -> Case | None:
        return self.cases[case - 1] if 1 <= case <= len(self.cases) else None

    def offer(self, offer: int) -> Offer | None:
        return self.offers[offer - 1] if 1 <= offer <= len(self.offers) else None

    def status(self, case: int) -> CaseStatus:
        record = self.case(case)
        return record.status if record else CaseStatus.NONE

    def _close(self, record: Case, status: CaseStatus, bond_to: str) -> None:
        record.status = status
        record.closed_at = self.now
        record.bond_to = bond_to
        self.open_case[record.key] = 0
        if record.bond:
            self.bonds_held -= record.bond
            reason = self.token.transfer(self.infringements, bond_to, record.bond)
            assert reason is None, f"the model's register cannot pay a bond: {reason}"

    def _forfeit_to(self, record: Case) -> str:
        if self.to_accused and record.accused != ZERO_ADDRESS:
            return record.accused
        return self.fund

    def _vetted_as(self, who: str, infringer: bytes) -> bool:
        return self.vetted.get(who) == infringer

    def authorisation_holds(self, record: Case) -> bool:
        patent = self.patents.get(record.patent)
        return (
            patent is not None
            and patent.status == PatentStatus.POOLED
            and patent.tenure == record.tenure
        )

    # -- the pool and the council

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

    def assign(self, patent: bytes, buyer: str, tenure: int) -> None:
        """The exchange sells a pooled patent: the buyer takes its weight, the seller's
        centre's mandate ends, its tenure moves on (to `tenure`, as the pool reports)."""
        record = self.patents[patent]
        assert record.status == PatentStatus.POOLED and buyer != record.contributor
        assert tenure > record.tenure
        self.royalties.change_weight(record.contributor, record.centre, record.score, 0)
        self.royalties.change_weight(buyer, ZERO_ADDRESS, 0, record.score)
        record.contributor, record.centre, record.tenure = buyer, ZERO_ADDRESS, tenure

    # -- the case register

    def file(
        self,
        sender: str,
        patent: bytes,
        infringer: bytes,
        product: bytes,
        evidence: bytes,
        accused: str,
    ) -> tuple[str | None, int]:
        if sender not in self.protection_centres:
            return NOT_PROTECTION_CENTRE, 0
        if infringer == EMPTY:
            return "infringements: empty infringer", 0
        if product == EMPTY:
            return "infringements: empty product", 0
        if evidence == EMPTY:
            return "infringements: empty evidence", 0
        if accused != ZERO_ADDRESS:
            if accused == sender:
                return SELF_ACCUSED, 0
            if not self._vetted_as(accused, infringer):
                return NOT_VETTED, 0
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
            Case(
                patent, infringer, product, evidence, sender, accused, self.bond, filed_at=self.now
            )
        )
        case = len(self.cases)
        self.open_case[key] = case
        return None, case

    def claim_accused(self, sender: str, case: int) -> str | None:
        record = self.case(case)
        if record is None or record.status not in OPEN:
            return NOT_OPEN
        if record.accused != ZERO_ADDRESS:
            return ALREADY_NAMED
        if sender == record.centre:
            return SELF_ACCUSED
        if not self._vetted_as(sender, record.infringer):
            return NOT_VETTED
        record.accused = sender
        return None

    def _decider_reason(self, sender: str, case: int, pooled: bool) -> str | None:
        """authorise's and decline's checks, in the contract's order."""
        record = self.case(case)
        awaiting = record is not None and (
            record.status == CaseStatus.FILED
            or (record.status == CaseStatus.AUTHORISED and not self.authorisation_holds(record))
        )
        if not awaiting:
            return NOT_AWAITING
        assert record is not None
        return self._provider_reason(sender, record.patent, pooled)

    def _provider_reason(self, sender: str, pid: bytes, pooled: bool) -> str | None:
        """The patent's provider or its centre (active members), or the council for the
        fund's patent; with `pooled`, the patent must be pooled."""
        # the pool's record of the patent, whatever its status now
        patent = self.patents.get(pid)
        if pooled and (patent is None or patent.status != PatentStatus.POOLED):
            return NOT_POOLED
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
        reason = self._decider_reason(sender, case, True)
        if reason:
            return reason
        record = self.case(case)
        assert record is not None
        record.status = CaseStatus.AUTHORISED
        record.tenure = self.patents[record.patent].tenure
        self.accepted.pop(case, None)  # a seller's acceptance ends with its authorisation
        return None

    def accept_offer(self, sender: str, case: int, offer: int) -> str | None:
        record = self.case(case)
        if record is None or record.status != CaseStatus.AUTHORISED:
            return NOT_AUTHORISED
        if not self.authorisation_holds(record):
            return LAPSED
        chosen = self.offer(offer)
        if chosen is None or chosen.amount == 0 or chosen.case != case:
            return NO_OFFER
        reason = self._provider_reason(sender, record.patent, True)
        if reason:
            return reason
        self.accepted[case] = offer
        return None

    def decline(self, sender: str, case: int) -> tuple[str | None, int]:
        reason = self._decider_reason(sender, case, False)
        if reason:
            return reason, 0
        record = self.case(case)
        assert record is not None
        self._close(record, CaseStatus.DECLINED, record.centre)
        return None, record.bond

    def _resolver_reason(self, sender: str, case: int) -> str | None:
        if sender != self.council and sender not in self.regulators:
            return NOT_RESOLVER
        record = self.case(case)
        if record is not None and sender in (record.centre, record.accused):
            return PARTY_RESOLVES
        return None

    def offer_settlement(self, sender: str, case: int, amount: int) -> tuple[str | None, int]:
        """Returns (reason, the new offer's id)."""
        record = self.case(case)
        if record is None or record.status != CaseStatus.AUTHORISED:
            return OFFER_NOT_AUTHORISED, 0
        if not self.authorisation_holds(record):
            return LAPSED, 0
        if amount == 0 or amount > SETTLEMENT_MAX:
            return BAD_SETTLEMENT, 0
        reason = self.token.transfer_from(self.infringements, sender, self.infringements, amount)
        if reason:
            return reason, 0
        self.offers.append(Offer(case, sender, amount, amount))
        self.offers_held += amount
        return None, len(self.offers)

    def withdraw_offer(self, sender: str, offer: int) -> tuple[str | None, Offer | None]:
        record = self.offer(offer)
        if record is None or record.amount == 0:
            return NO_STANDING_OFFER, None
        if self.status(record.case) in OPEN and sender != record.offerer:
            return NOT_OFFERER, None
        amount, record.amount = record.amount, 0
        self.offers_held -= amount
        reason = self.token.transfer(self.infringements, record.offerer, amount)
        assert reason is None, f"the model's register cannot return an offer: {reason}"
        return None, record

    def settle(self, sender: str, case: int, offer: int) -> tuple[str | None, str, int, int]:
        """Returns (reason, payer, settlement, bond returned)."""
        reason = self._resolver_reason(sender, case)
        if reason:
            return reason, ZERO_ADDRESS, 0, 0
        record = self.case(case)
        if record is None or record.status != CaseStatus.AUTHORISED:
            return NOT_AUTHORISED, ZERO_ADDRESS, 0, 0
        if not self.authorisation_holds(record):
            return LAPSED, ZERO_ADDRESS, 0, 0
        accepted = self.offer(offer)
        if accepted is None or accepted.amount == 0 or accepted.case != case:
            return NO_OFFER, ZERO_ADDRESS, 0, 0
        if self.accepted.get(case, 0) != offer:
            return NOT_ACCEPTED, ZERO_ADDRESS, 0, 0
        settlement, accepted.amount, accepted.accepted = accepted.amount, 0, True
        self.offers_held -= settlement
        record.settlement = settlement
        # Royalties.pay_for pulls it under the constructor's unlimited approval, credits the
        # infringed patent's contributor and mandated centre, and sends the fund its share
        pulled = self.token.transfer_from(
            self.royalties_address, self.infringements, self.royalties_address, settlement
        )
        assert pulled is None, f"the model's register cannot pay Royalties: {pulled}"
        infringed = self.patents[record.patent]
        _, _, to_fund = self.royalties.book_patent_fee(
            settlement, infringed.contributor, infringed.centre
        )
        if to_fund:
            assert self.token.transfer(self.royalties_address, self.fund, to_fund) is None
        self.settlements_paid += settlement
        record.resolver = sender
        self._close(record, CaseStatus.SETTLED, record.centre)
        return None, accepted.offerer, settlement, record.bond

    def dismiss(self, sender: str, case: int) -> tuple[str | None, str]:
        reason = self._resolver_reason(sender, case)
        if reason:
            return reason, ZERO_ADDRESS
        record = self.case(case)
        if record is None or record.status not in OPEN:
            return NOT_OPEN, ZERO_ADDRESS
        to = self._forfeit_to(record)
        record.resolver = sender
        self._close(record, CaseStatus.DISMISSED, to)
        return None, to

    def withdraw(self, sender: str, case: int) -> tuple[str | None, str]:
        record = self.case(case)
        if record is None or record.status not in OPEN:
            return NOT_OPEN, ZERO_ADDRESS
        if sender != record.centre:
            return NOT_FILING_CENTRE, ZERO_ADDRESS
        patent = self.patents[record.patent]
        stands = patent.status == PatentStatus.POOLED and (
            record.status == CaseStatus.FILED or patent.tenure == record.tenure
        )
        to = self._forfeit_to(record) if stands else sender
        self._close(record, CaseStatus.WITHDRAWN, to)
        return None, to
