"""Infringements against a Python model: a hypothesis state machine over one collection's case
register.

The chain is titanoboa's EVM (a real EVM in-process, about a millisecond a transaction). A
module fixture deploys once, in the order of `bpsa.sdk.deploy.deploy_pool` (Certificates, Fund,
BPC and Royalties naming the pool's address computed from the deployer's nonce, the pool)
and then `bpsa.sdk.deploy.deploy_infringements`, under an Alliance whose owner, and the owner of
every contract, is a plain address standing in for the council. The set-up pools three
patents (one oracle attests, one expert rates, the council pools): the start-up's with a
trusteeship centre, the SME's without one, and one the council purchased for the fund (the
fund is its contributor, so the council decides on its cases). titanoboa's pytest plugin
runs each example in a snapshot of that state. Time moves only when a rule waits.

Actors, named by role: two rights-protection centres (`monitor`, and `monitor2`, which also
holds the regulator role: an attacker that would resolve its own cases), a regulator, an
`accomplice` (a regulator the council vetted with the second infringer's identity: it would
resolve the cases that accuse it), `accused_member` (vetted with the first infringer's
identity: it may be named on, or claim, that infringer's cases and receive their dismissed
bonds), the two providers and the trusteeship centre (who decide on their patents' cases
while active members), two accused parties (non-members: they offer settlements), an
attacker and the council (which also decides for the fund's patent). BPC comes from the pool
(impersonated to mint exact amounts, as the unit tests' `fund_bpc` does) whenever a step is
`funded`; the exchange (impersonated) sells pooled patents, so their tenure moves on.

Rules (the model, infringements_model.py, predicts success or the exact revert reason of
every transaction; a refused one changes nothing): file (by each centre and by actors
without the role, against any of the three patents, a removed or a never-pooled one, with
empty digests, naming no accused, a vetted one, a non-member, the centre itself or the
attacker, over a small space of uses so that the same use is often filed twice; bond
approved exactly, without limit, one wei short or not at all, funded or not), file and
authorise in one step, claim_accused (by the vetted members, a non-member, the filing
centre, the attacker), accept_offer (by whoever decides for the case's patent, or not),
authorise and decline (by whoever decides the case's patent, its contributor (the fund
itself, for the fund's patent), its centre, another provider, a centre, the regulator, the
council and the attacker; on filed cases and on authorised ones whose patent changed hands),
offer_settlement (by either accused, the vetted members, the filing centre or the attacker,
on mostly authorised cases, so offers pile up; approved or not, funded or not; amounts from
0 to one past the cap), withdraw_offer (by its offerer or anyone else, on open and closed
cases, standing or not), settle (by the regulator, the council, the centre-regulator, the
accomplice and others, naming an offer standing on the case (mostly just accepted by whoever
decides for its patent), one of another case, a spent one or none), dismiss (the same
resolvers), withdraw (by the filing centre, the other centre and others), a whole case in
one step (ending settled, dismissed or withdrawn after none, one or two offers, or
declined), set_bond (the council or not; 0 to one past the cap; either policy), selling a
pooled patent to another provider or the fund, suspending and reinstating a centre, the
regulator, a provider, the trusteeship centre or the vetted accused, the council removing
the SME's patent from the pool, and waits.

Invariants, after every step: BPC is conserved: Infringements holds exactly `bonds_held` +
`offers_held`, the first the sum of the open cases' bonds, the second the sum of the
standing offers, both the model's; every offer (case, offerer, amount in escrow) is the
model's, so each ended with its offerer or in the royalty split; no bond went to the one who
resolved its case, and a bond went only to the filing centre, the fund or the case's
accused, a vetted member with the infringer's identity; a settled case was settled with the
offer its provider accepted, keeps that settlement, and any other case none; every tracked
balance (each actor, the fund, Royalties, Infringements) and the supply agree with the
model, so every bond ended where the model says; `settlements_paid` is the model's and
exactly what Royalties took in since the set-up, the fund got exactly its share of it and
every earner's claimable amount (the fund's included) is the model's; at most one open case
per use: the chain's `open_case` of every use ever filed is the model's, and points at an
open case of that use; a terminal case never changes again; every case record, the case and
offer counts, the bond and the policy agree with the model.

Profiles and statistics: tests/stateful/helpers.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boa
import pytest
from eth_utils.crypto import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from bpsa.core.codes import CaseStatus, Kind, PatentStatus, Removal, Role, Source
from bpsa.sdk.deploy import InfringementParams, deploy_infringements
from tests.stateful.conftest import active_profile, active_settings
from tests.stateful.helpers import (
    BPC,
    DAY,
    IDENTITY,
    YEAR,
    Deployed,
    PayingMachine,
    PoolContracts,
    SetupPatent,
    actor_keys,
    addresses_of,
    admit,
    bpc_model,
    deploy_pool,
    note_event,
    pool_at_setup,
    pool_params,
    pooled_at_setup,
    royalties_baseline,
    sdk_deploy,
)
from tests.stateful.infringements_model import (
    BOND_MAX,
    EMPTY,
    OPEN,
    SETTLEMENT_MAX,
    TERMINAL,
    InfringementsModel,
    PooledPatent,
    case_key,
)
from tests.stateful.pool_model import ZERO_ADDRESS, patent_id
from tests.stateful.records import struct_of

PARAMS = pool_params(oracle_threshold=1)
INFRINGEMENTS = InfringementParams(bond=50 * BPC, dismissed_bond_to_accused=False)
DOCUMENT = b"\xd1" * 32


INFRINGERS = (keccak(text="infringer: Acme"), keccak(text="infringer: Bolt"))
PRODUCTS = (keccak(text="product: AX-100"), keccak(text="product: BX-7"))
EVIDENCES = (keccak(text="evidence: cid 1"), keccak(text="evidence: cid 2"))

# name: (kind, roles, identity digest)
MEMBERS: dict[str, tuple[Kind, Role, bytes]] = {
    "provider": (Kind.START_UP, Role.PROVIDER, IDENTITY),
    "provider2": (Kind.SME, Role.PROVIDER, IDENTITY),
    "tcentre": (Kind.NON_PROFIT, Role.TRUSTEESHIP_CENTRE, IDENTITY),
    "monitor": (Kind.NON_PROFIT, Role.RIGHTS_PROTECTION_CENTRE, IDENTITY),
    # a centre that is also a regulator: it must never resolve a case it filed
    "monitor2": (Kind.NON_PROFIT, Role.RIGHTS_PROTECTION_CENTRE | Role.REGULATOR, IDENTITY),
    "regulator": (Kind.NON_PROFIT, Role.REGULATOR, IDENTITY),
    # vetted with the first infringer's identity: may be its cases' accused
    "accused_member": (Kind.SME, Role(0), INFRINGERS[0]),
    # a regulator vetted with the second infringer's identity: must never resolve its cases
    "accomplice": (Kind.NON_PROFIT, Role.REGULATOR, INFRINGERS[1]),
    "expert": (Kind.INDIVIDUAL, Role.EXPERT, IDENTITY),  # rates the set-up's patents only
    "expert2": (Kind.INDIVIDUAL, Role.EXPERT, IDENTITY),  # with these two: the quorum of three
    "expert3": (Kind.INDIVIDUAL, Role.EXPERT, IDENTITY),
    "oracle": (Kind.NON_PROFIT, Role.ORACLE, IDENTITY),  # signs the set-up's certificates only
}
OUTSIDERS = ("accused", "accused2", "attacker", "council", "deployer", "exchange")
KEYS = actor_keys("infringements", (*MEMBERS, *OUTSIDERS))
ADDRESS = addresses_of(KEYS)
ADDRESS["zero"] = ZERO_ADDRESS
COUNCIL, DEPLOYER, EXCHANGE = ADDRESS["council"], ADDRESS["deployer"], ADDRESS["exchange"]
# Whose BPC the invariants compare with the model (besides the fund, Royalties and the register).
ACTORS = (
    "provider",
    "provider2",
    "tcentre",
    "monitor",
    "monitor2",
    "regulator",
    "accused_member",
    "accomplice",
    "accused",
    "accused2",
    "attacker",
)
EARNERS = ("provider", "provider2", "tcentre", "fund")
# Members whose standing the council toggles (suspend / reinstate), with the model's sets of
# active holders of their gating roles (every one is in the model's `active`).
TOGGLED: dict[str, tuple[str, ...]] = {
    "monitor": ("protection_centres",),
    "monitor2": ("protection_centres", "regulators"),
    "regulator": ("regulators",),
    "provider": (),
    "provider2": (),
    "tcentre": (),
    "accused_member": (),
}

# (office, number, contributor, centre, score, valuation): pooled by the set-up. The fund's
# is purchased: the council submits it and the certificate names the fund as owner.
PATENTS = (
    ("US", "1", "provider", "tcentre", 80, 50_000 * BPC),
    ("EP", "1", "provider2", "zero", 70, 20_000 * BPC),
    ("JP", "1", "fund", "zero", 75, 30_000 * BPC),
)
PATENT_IDS = [patent_id(o, n) for o, n, *_ in PATENTS]
REMOVABLE = PATENT_IDS[1]
FUND_PATENT = PATENT_IDS[2]
NEVER_POOLED = patent_id("JP", "404")

# Every use a rule names (patent, infringer, product), never-pooled included: 16 keys.
USES = [(p, i, q) for p in (*PATENT_IDS, NEVER_POOLED) for i in INFRINGERS for q in PRODUCTS]


@dataclass(frozen=True)
class Deployment(PoolContracts):
    infringements: Any


def deploy() -> Deployment:
    """The alliance, the pool with three patents pooled, and the case register."""
    c = deploy_pool(DEPLOYER, COUNCIL, PARAMS)
    alliance, fund, pool = c.alliance, c.fund, c.pool
    infringements = sdk_deploy(
        deploy_infringements, DEPLOYER, str(alliance.address), c.by_name(), COUNCIL, INFRINGEMENTS
    )["Infringements"]
    admit(alliance, COUNCIL, [(ADDRESS[n], *member) for n, member in MEMBERS.items()])
    experts = [ADDRESS[e] for e in ("expert", "expert2", "expert3")]
    for office, number, contributor, centre, score, valuation in PATENTS:
        purchased = contributor == "fund"
        patent = SetupPatent(
            office, number, DOCUMENT,
            source=Source.PURCHASED if purchased else Source.CONTRIBUTED,
            submitter=COUNCIL if purchased else ADDRESS[contributor],
            owner=str(fund.address) if purchased else ADDRESS[contributor],
            centre=ADDRESS[centre], score=score, valuation=valuation,
        )  # fmt: skip
        pool_at_setup(c, COUNCIL, KEYS["oracle"], experts, patent)
    pool.set_exchange(EXCHANGE, sender=COUNCIL)  # an address the machine sells patents as
    return Deployment(**vars(c), infringements=infringements)


DEPLOYED = Deployed(deploy)


@pytest.fixture(scope="module", autouse=True)
def infringements_deployment() -> Iterator[Deployment]:
    yield from DEPLOYED.once()


# -- strategies ------------------------------------------------------------------------------

centres = st.sampled_from(["monitor", "monitor", "monitor2"])
intruders = st.sampled_from(["regulator", "provider", "tcentre", "attacker", "accomplice"])
# PATENT_IDS (the second may have been removed; the third is the fund's)
patent_picks = st.sampled_from([0, 0, 1, 2])
file_variants = st.sampled_from(
    [
        *["well-formed"] * 8,
        "not a centre",
        "never pooled",
        "empty infringer",
        "empty product",
        "empty evidence",
        "unfunded",
        "max",
        "short",
        "zero",
        "keep",
    ]
)
# whom a filing names as the accused: mostly nobody, or the vetted member of the use's
# infringer, or someone the record does not prove
accusations = st.sampled_from(
    ["zero", "zero", "zero", "vetted", "vetted", "accused_member", "accused", "filer", "attacker"]
)
approvals = st.sampled_from(["exact", "exact", "exact", "max", "short", "zero", "keep"])
fundings = st.sampled_from([True, True, True, False])
picks = st.integers(min_value=0, max_value=63)
deciders = st.sampled_from(
    [
        "rightful",
        "rightful",
        "rightful",
        "contributor",
        "centre",
        "centre",
        "other provider",
        "monitor",
        "regulator",
        "council",
        "attacker",
    ]
)
resolvers = st.sampled_from(
    [
        "regulator",
        "regulator",
        "regulator",
        "council",
        "council",
        "monitor2",
        "accomplice",
        "monitor",
        "attacker",
        "provider",
    ]
)
claimants = st.sampled_from(
    ["accused_member", "accused_member", "accomplice", "accused", "attacker", "filer"]
)
offerers = st.sampled_from(
    ["accused", "accused", "accused2", "accused_member", "accomplice", "filer", "attacker"]
)
settlements = st.one_of(
    st.integers(1, 10**22),
    st.sampled_from([1, BPC, 1_000 * BPC, SETTLEMENT_MAX, SETTLEMENT_MAX + 1, 0]),
)
# what the accused's side offers when every call is right (whole_case)
offers = st.one_of(st.integers(1, 10**22), st.sampled_from([1, SETTLEMENT_MAX]))
# which offer a settlement names: one standing on the case, one on another case, a spent
# one, or an id nobody made
named_offers = st.sampled_from(["standing", "standing", "standing", "other", "spent", "none"])
offer_withdrawers = st.sampled_from(["offerer", "offerer", "offerer", "attacker", "regulator"])
withdrawers = st.sampled_from(
    ["filer", "filer", "filer", "other centre", "regulator", "attacker", "rightful"]
)
bonds = st.one_of(
    st.sampled_from([0, 1, INFRINGEMENTS.bond, 80 * BPC, BOND_MAX, BOND_MAX + 1]),
    st.integers(0, 10**21),
)
councils = st.sampled_from(["council", "council", "council", "regulator", "attacker"])
buyers = st.sampled_from(["provider", "provider2", "fund"])
toggled = st.sampled_from(sorted(TOGGLED))
waits = st.one_of(st.integers(1, 3_600), st.sampled_from([DAY, 30 * DAY, YEAR]))


class InfringementsMachine(PayingMachine):
    model: InfringementsModel
    payee = "infringements"

    def __init__(self) -> None:
        super().__init__()
        # run by hand, outside pytest, a machine deploys its own copy inside its snapshot
        c = self.c = DEPLOYED.get()
        self.names = {**ADDRESS, **c.addresses(), "infringements": str(c.infringements.address)}
        self.tracked = (*ACTORS, "fund", "royalties", "infringements")
        # Royalties pulls settlements from the register
        register, royalties_address = self.names["infringements"], self.names["royalties"]
        holders = [self.names[name] for name in self.tracked]
        token = bpc_model(c.bpc, holders, register, royalties_address)
        pooled = [
            (pid, self.names[who], ADDRESS[centre], score)
            for pid, (_, _, who, centre, score, _) in zip(PATENT_IDS, PATENTS, strict=True)
        ]
        patents, royalties = pooled_at_setup(c.pool, PARAMS, pooled, PooledPatent)
        self.model = InfringementsModel(
            now=int(boa.env.evm.patch.timestamp),
            council=COUNCIL,
            infringements=register,
            royalties_address=royalties_address,
            fund=self.names["fund"],
            token=token,
            royalties=royalties,
            patents=patents,
            bond=INFRINGEMENTS.bond,
            to_accused=INFRINGEMENTS.dismissed_bond_to_accused,
            protection_centres={ADDRESS["monitor"], ADDRESS["monitor2"]},
            regulators={ADDRESS["regulator"], ADDRESS["monitor2"], ADDRESS["accomplice"]},
            active={ADDRESS[name] for name in MEMBERS},
            vetted={ADDRESS[name]: identity for name, (_, _, identity) in MEMBERS.items()},
        )
        self.suspended: set[str] = set()
        # Royalties and the fund as the set-up left them: settlements are counted from here.
        self.start = royalties_baseline(c, token)
        # each terminal case as first seen: it must never change again
        self.closed: dict[int, tuple[object, ...]] = {}
        self.version = 0  # bumped by every successful transaction: storage changes only then
        self._view: dict[str, Any] | None = None
        self._view_key: tuple[int, int] = (-1, -1)

    # -- chain plumbing ----------------------------------------------------------------------

    def _sent(self, name: str, args: tuple[Any, ...], sender: str) -> None:
        self.version += 1

    def _logs(self, name: str) -> list[Any]:
        """The register's events `name` in the last call (read right after the transaction:
        boa keeps only the latest call's logs)."""
        return [e for e in self.c.infringements.get_logs() if type(e).__name__ == name]

    def _case(self, pick: int, *statuses: CaseStatus) -> int:
        """Mostly a case in one of `statuses`; otherwise any id from 0 to one past the last."""
        m = self.model
        wanted = [i for i, x in enumerate(m.cases, start=1) if x.status in statuses]
        if wanted and pick < 48:
            return wanted[pick % len(wanted)]
        return pick % (len(m.cases) + 2)

    def _patent_of(self, case: int) -> PooledPatent | None:
        record = self.model.case(case)
        return self.model.patents.get(record.patent) if record else None

    def _decider(self, case: int, who: str) -> str:
        patent = self._patent_of(case)
        if who == "rightful":
            # the council for the fund's patent, else its contributor
            if patent and patent.contributor == self.names["fund"]:
                return COUNCIL
            who = "contributor"
        if who == "contributor":
            return patent.contributor if patent else ADDRESS["provider"]
        if who == "centre":
            # the case's patent's centre; the SME's patent has none: then a centre of another
            return patent.centre if patent and patent.centre != ZERO_ADDRESS else ADDRESS["tcentre"]
        if who == "other provider":
            mine = patent.contributor if patent else ADDRESS["provider"]
            return ADDRESS["provider2"] if mine == ADDRESS["provider"] else ADDRESS["provider"]
        return ADDRESS[who]

    def _filer(self, case: int) -> str:
        record = self.model.case(case)
        return record.centre if record else ADDRESS["monitor"]

    # -- rules -------------------------------------------------------------------------------

    @initialize()
    def start_checks(self) -> None:
        """The set-up left three patents pooled (one of them the fund's) and no case."""
        assert all(self.c.pool.patents(pid).status == PatentStatus.POOLED for pid in PATENT_IDS)
        assert self.c.pool.ownership(FUND_PATENT)[1] == self.names["fund"]
        assert self.c.infringements.case_count() == 0

    def _accused_for(self, accusation: str, who: str, infringer: int) -> str:
        """The address a filing names: nobody, the vetted member of the use's infringer,
        the first infringer's vetted member whatever the use, a non-member, the filing
        centre itself or the attacker."""
        if accusation == "vetted":
            return ADDRESS[("accused_member", "accomplice")[infringer]] if infringer < 2 else ""
        if accusation == "filer":
            return ADDRESS[who]
        return ADDRESS[accusation]

    def _file(
        self,
        who: str,
        patent: int,
        infringer: int,
        product: int,
        evidence: int,
        approval: str,
        funded: bool,
        accused: str = ZERO_ADDRESS,
    ) -> int:
        m, sender = self.model, ADDRESS[who]
        pid = (*PATENT_IDS, NEVER_POOLED)[patent]
        digests = (
            (*INFRINGERS, EMPTY)[infringer],
            (*PRODUCTS, EMPTY)[product],
            (*EVIDENCES, EMPTY)[evidence],
        )
        if m.bond:
            self._pay_with(sender, m.bond, approval, funded)
        reason, case = m.file(sender, pid, *digests, accused)
        out = self._send(reason, self.c.infringements.file, pid, *digests, accused, sender=sender)
        if reason is None:
            assert out == case
            logs = self._logs("CaseFiled")
            assert [(e.case, str(e.centre), e.bond, str(e.accused)) for e in logs] == [
                (case, sender, m.bond, accused)
            ]
            if accused != ZERO_ADDRESS:
                note_event("file: accused named")
        return case

    @rule(
        who=centres,
        patent=patent_picks,
        use=picks,
        variant=file_variants,
        intruder=intruders,
        accusation=accusations,
    )
    def file(
        self, who: str, patent: int, use: int, variant: str, intruder: str, accusation: str
    ) -> None:
        """A centre files against a use (mostly well-formed, funded and approved), or one
        thing is wrong: the filer lacks the role, the patent was never pooled, a digest is
        empty, the bond is not held or not (fully) approved; the accused it names is
        nobody, the use's vetted member, or someone the record does not prove."""
        digests = [use % 2, use // 2 % 2, use // 4 % 2]
        approval, funded = "exact", True
        if variant == "not a centre":
            who = intruder
        elif variant == "never pooled":
            patent = len(PATENT_IDS)
        elif variant.startswith("empty"):
            digests[("empty infringer", "empty product", "empty evidence").index(variant)] = 2
        elif variant == "unfunded":
            funded = False
        elif variant != "well-formed":
            approval = variant  # max, short, zero or keep
        accused = self._accused_for(accusation, who, digests[0]) or ZERO_ADDRESS
        infringer, product, evidence = digests
        self._file(who, patent, infringer, product, evidence, approval, funded, accused)

    @rule(who=centres, patent=patent_picks, infringer=picks, product=picks)
    def file_and_authorise(self, who: str, patent: int, infringer: int, product: int) -> None:
        """A centre files a well-formed case (funded, approved) and whoever decides for the
        patent (its contributor, or the council for the fund's) authorises it at once."""
        case = self._file(who, patent, infringer % 2, product % 2, 0, "exact", True)
        if case:
            self._authorise(case, "rightful")

    @rule(
        who=centres,
        patent=patent_picks,
        use=picks,
        end=st.sampled_from(["settle", "settle", "dismiss", "dismiss", "decline", "withdraw"]),
        resolver=st.sampled_from(["regulator", "council"]),
        amounts=st.lists(offers, max_size=2),
        named=st.booleans(),
    )
    def whole_case(
        self,
        who: str,
        patent: int,
        use: int,
        end: str,
        resolver: str,
        amounts: list[int],
        named: bool,
    ) -> None:
        """A case from filing to its end in one step, every call by the right actor: filed
        (funded, approved; naming the use's vetted member or nobody), then declined by
        whoever decides for the patent, or authorised, offered none, one or two settlements
        (the accused, then the other accused; funded, approved), and settled with the last
        offer or dismissed by a resolver, or withdrawn; then every offer left standing goes
        back to its offerer."""
        infringer = use % 2
        accused = ADDRESS[("accused_member", "accomplice")[infringer]] if named else ZERO_ADDRESS
        case = self._file(
            who, patent, infringer, use // 2 % 2, use // 4 % 2, "exact", True, accused
        )
        if not case:
            return
        if end == "decline":
            self._decline(case, self._decider(case, "rightful"))
            return
        self._authorise(case, "rightful")
        made = []
        for offerer, amount in zip(("accused", "accused2"), amounts, strict=False):
            made.append(self._offer(case, ADDRESS[offerer], amount, "exact", True))
        if end == "settle":
            chosen = made[-1] if made else 0
            self._accept(case, chosen, self._decider(case, "rightful"))
            self._settle(case, ADDRESS[resolver], chosen)
        elif end == "dismiss":
            self._dismiss(case, ADDRESS[resolver])
        else:
            self._withdraw(case, self._filer(case))
        for offer in made:
            if offer and self.model.offers[offer - 1].amount:
                self._withdraw_offer(offer, ADDRESS["attacker"])  # anyone, once it closed

    @rule(pick=picks, who=claimants)
    def claim_accused(self, pick: int, who: str) -> None:
        """Someone claims to be an open case's accused: a vetted member of either infringer,
        a non-member, the attacker or the filing centre."""
        case = self._case(pick, *OPEN)
        sender = self._filer(case) if who == "filer" else ADDRESS[who]
        reason = self.model.claim_accused(sender, case)
        self._send(reason, self.c.infringements.claim_accused, case, sender=sender)
        if reason is None:
            assert [(e.case, str(e.accused)) for e in self._logs("AccusedClaimed")] == [
                (case, sender)
            ]

    def _authorise(self, case: int, who: str) -> None:
        sender = self._decider(case, who)
        lapsed = self.model.status(case) == CaseStatus.AUTHORISED
        reason = self.model.authorise(sender, case)
        self._send(reason, self.c.infringements.authorise, case, sender=sender)
        if reason is None:
            logs = self._logs("CaseAuthorised")
            record = self.model.case(case)
            assert record is not None
            assert [(e.case, str(e.provider), e.tenure) for e in logs] == [
                (case, sender, record.tenure)
            ]
            if lapsed:
                note_event("authorise: again, after a change of hands")

    @rule(pick=picks, who=deciders)
    def authorise(self, pick: int, who: str) -> None:
        self._authorise(self._case(pick, CaseStatus.FILED, CaseStatus.AUTHORISED), who)

    @rule(pick=picks, who=deciders)
    def decline(self, pick: int, who: str) -> None:
        case = self._case(pick, CaseStatus.FILED, CaseStatus.AUTHORISED)
        self._decline(case, self._decider(case, who))

    def _decline(self, case: int, sender: str) -> None:
        reason, returned = self.model.decline(sender, case)
        self._send(reason, self.c.infringements.decline, case, sender=sender)
        if reason is None:
            logs = self._logs("CaseDeclined")
            assert [(e.case, e.bond_returned) for e in logs] == [(case, returned)]

    @rule(
        pick=picks,
        offerer=offerers,
        amount=settlements,
        approval=approvals,
        funded=fundings,
    )
    def offer_settlement(
        self, pick: int, offerer: str, amount: int, approval: str, funded: bool
    ) -> None:
        """Someone offers a settlement on a case (mostly an authorised one, often with
        offers standing): either accused, a vetted member, the filing centre itself or the
        attacker, approved and funded or not."""
        case = self._case(pick, CaseStatus.AUTHORISED)
        sender = self._filer(case) if offerer == "filer" else ADDRESS[offerer]
        self._offer(case, sender, amount, approval, funded)

    def _offer(self, case: int, sender: str, amount: int, approval: str, funded: bool) -> int:
        if 0 < amount <= SETTLEMENT_MAX:
            self._pay_with(sender, amount, approval, funded)
        standing = sum(1 for o in self.model.offers if o.case == case and o.amount)
        reason, offer = self.model.offer_settlement(sender, case, amount)
        out = self._send(reason, self.c.infringements.offer_settlement, case, amount, sender=sender)
        if reason is None:
            assert out == offer
            logs = self._logs("SettlementOffered")
            assert [(e.case, e.offer, str(e.offerer), e.amount) for e in logs] == [
                (case, offer, sender, amount)
            ]
            if standing:
                note_event("offer: beside others standing")
        return offer

    def _offer_pick(self, pick: int, case: int | None = None) -> int:
        """Mostly a standing offer (on `case`, if given); otherwise any id from 0 to one past
        the last."""
        m = self.model
        standing = [
            i
            for i, o in enumerate(m.offers, start=1)
            if o.amount and (case is None or o.case == case)
        ]
        if standing and pick < 48:
            return standing[pick % len(standing)]
        return pick % (len(m.offers) + 2)

    @rule(pick=picks, who=offer_withdrawers)
    def withdraw_offer(self, pick: int, who: str) -> None:
        """An offer goes back: at its offerer's call, or someone else's (refused while its
        case is open)."""
        offer = self._offer_pick(pick)
        record = self.model.offer(offer)
        if who == "offerer":
            sender = record.offerer if record else ADDRESS["accused"]
        else:
            sender = ADDRESS[who]
        self._withdraw_offer(offer, sender)

    def _withdraw_offer(self, offer: int, sender: str) -> None:
        reason, record = self.model.withdraw_offer(sender, offer)
        self._send(reason, self.c.infringements.withdraw_offer, offer, sender=sender)
        if reason is None:
            assert record is not None
            logs = self._logs("OfferWithdrawn")
            assert [(e.case, e.offer, str(e.offerer), e.amount) for e in logs] == [
                (record.case, offer, record.offerer, record.made)
            ]
            opened = self.model.status(record.case) in OPEN
            note_event(f"withdraw_offer: {'open' if opened else 'closed'} case")

    @rule(pick=picks, offer_pick=picks, who=deciders)
    def accept_offer(self, pick: int, offer_pick: int, who: str) -> None:
        """Whoever decides for the case's patent (or not) accepts an offer: mostly one
        standing on the case, else any id."""
        m = self.model
        offered = sorted({o.case for o in m.offers if o.amount and m.status(o.case) in OPEN})
        case = offered[pick % len(offered)] if offered and pick < 48 else None
        case = case or self._case(pick, CaseStatus.AUTHORISED)
        self._accept(case, self._offer_pick(offer_pick, case), self._decider(case, who))

    def _accept(self, case: int, offer: int, sender: str) -> None:
        reason = self.model.accept_offer(sender, case, offer)
        self._send(reason, self.c.infringements.accept_offer, case, offer, sender=sender)
        if reason is None:
            logs = self._logs("OfferAccepted")
            assert [(e.case, e.offer, str(e.provider)) for e in logs] == [(case, offer, sender)]

    @rule(pick=picks, offer_pick=picks, who=resolvers, named=named_offers, agreed=fundings)
    def settle(self, pick: int, offer_pick: int, who: str, named: str, agreed: bool) -> None:
        """A resolver (or not) settles a case: mostly an authorised one with an offer
        standing, naming one of its standing offers (mostly accepted by whoever decides
        for its patent just before), another case's, a spent one or none."""
        m = self.model
        offered = sorted({o.case for o in m.offers if o.amount and m.status(o.case) in OPEN})
        case = offered[pick % len(offered)] if offered and pick < 32 else None
        case = case or self._case(pick, CaseStatus.AUTHORISED)
        if named == "standing":
            offer = self._offer_pick(offer_pick, case)
        elif named == "other":
            others = [i for i, o in enumerate(m.offers, start=1) if o.case != case and o.amount]
            offer = others[offer_pick % len(others)] if others else 0
        elif named == "spent":
            spent = [i for i, o in enumerate(m.offers, start=1) if not o.amount]
            offer = spent[offer_pick % len(spent)] if spent else 0
        else:
            offer = len(m.offers) + 1
        if agreed and named == "standing":
            self._accept(case, offer, self._decider(case, "rightful"))
        self._settle(case, ADDRESS[who], offer)

    def _settle(self, case: int, sender: str, offer: int) -> None:
        reason, payer, settlement, returned = self.model.settle(sender, case, offer)
        self._send(reason, self.c.infringements.settle, case, offer, sender=sender)
        if reason is None:
            logs = self._logs("CaseSettled")
            assert [
                (e.case, str(e.resolver), str(e.payer), e.offer, e.settlement, e.bond_returned)
                for e in logs
            ] == [(case, sender, payer, offer, settlement, returned)]

    @rule(pick=picks, who=resolvers)
    def dismiss(self, pick: int, who: str) -> None:
        self._dismiss(self._case(pick, *OPEN), ADDRESS[who])

    def _dismiss(self, case: int, sender: str) -> None:
        reason, to = self.model.dismiss(sender, case)
        self._send(reason, self.c.infringements.dismiss, case, sender=sender)
        if reason is None:
            logs = self._logs("CaseDismissed")
            assert [(e.case, str(e.resolver), str(e.bond_to)) for e in logs] == [(case, sender, to)]
            note_event(f"dismiss: bond to {'the fund' if to == self.names['fund'] else 'accused'}")

    @rule(pick=picks, who=withdrawers)
    def withdraw(self, pick: int, who: str) -> None:
        case = self._case(pick, *OPEN)
        filer = self._filer(case)
        if who == "filer":
            sender = filer
        elif who == "other centre":
            sender = ADDRESS["monitor2"] if filer == ADDRESS["monitor"] else ADDRESS["monitor"]
        else:
            sender = self._decider(case, who)
        self._withdraw(case, sender)

    def _withdraw(self, case: int, sender: str) -> None:
        reason, to = self.model.withdraw(sender, case)
        self._send(reason, self.c.infringements.withdraw, case, sender=sender)
        if reason is None:
            logs = self._logs("CaseWithdrawn")
            record = self.model.case(case)
            assert record is not None
            assert [(e.case, str(e.bond_to), e.bond) for e in logs] == [(case, to, record.bond)]
            note_event(f"withdraw: bond {'returned' if to == sender else 'forfeited'}")

    @rule(bond=bonds, to_accused=st.booleans(), caller=councils)
    def set_bond(self, bond: int, to_accused: bool, caller: str) -> None:
        sender = ADDRESS[caller]
        reason = self.model.set_bond(sender, bond, to_accused)
        self._send(reason, self.c.infringements.set_bond, bond, to_accused, sender=sender)

    @rule(patent=patent_picks, buyer=buyers)
    def sell_patent(self, patent: int, buyer: str) -> None:
        """The exchange sells a pooled patent to a provider or the fund: its tenure moves
        on, so an authorisation the seller gave lapses."""
        pid, to = PATENT_IDS[patent], self.names[buyer]
        record = self.model.patents[pid]
        if record.status != PatentStatus.POOLED or record.contributor == to:
            return
        self._send(None, self.c.pool.assign, pid, to, sender=EXCHANGE)
        self.model.assign(pid, to, self.c.pool.tenure_of(pid))
        note_event("sell_patent: changed hands")

    @rule(who=toggled)
    def toggle_membership(self, who: str) -> None:
        """The council suspends an active centre, regulator, provider, trusteeship centre or
        vetted accused, or reinstates a suspended one: a suspended member is not active and
        holds no role (it stays vetted)."""
        address = ADDRESS[who]
        holders = [getattr(self.model, name) for name in TOGGLED[who]]
        alliance = self.c.alliance
        if address in self.suspended:
            self._send(None, alliance.reinstate, address, sender=COUNCIL)
            self.suspended.remove(address)
            for held in holders:
                held.add(address)
            self.model.active.add(address)
        else:
            self._send(None, alliance.suspend, address, sender=COUNCIL)
            self.suspended.add(address)
            for held in holders:
                held.discard(address)
            self.model.active.discard(address)

    @rule()
    def remove_patent(self) -> None:
        """The council takes the SME's patent out of the pool (once): no new case against it,
        while its open cases go on."""
        if self.model.patents[REMOVABLE].status != PatentStatus.POOLED:
            return
        self._send(None, self.c.pool.remove, REMOVABLE, int(Removal.SOLD), sender=COUNCIL)
        self.model.remove_patent(REMOVABLE)

    @rule(seconds=waits)
    def wait(self, seconds: int) -> None:
        self.model.now += seconds
        boa.env.evm.patch.timestamp = self.model.now
        boa.env.evm.patch.block_number += 1

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def settled_only_with_the_offer_the_provider_accepted(self) -> None:
        """Every settled case was settled with the offer its provider had accepted."""
        m = self.model
        for case, record in enumerate(m.cases, start=1):
            if record.status == CaseStatus.SETTLED:
                accepted = m.offer(m.accepted.get(case, 0))
                assert accepted is not None and accepted.accepted, case
                assert accepted.made == record.settlement, case

    def view(self) -> dict[str, Any]:
        """Everything the invariants read from the chain, read once per state (storage
        changes only with a successful transaction)."""
        key = (self.version, self.model.now)
        if self._view is not None and self._view_key == key:
            return self._view
        c, m = self.c, self.model
        reg = c.infringements
        self._view = {
            "cases": [
                (
                    bytes(x[0]),
                    bytes(x[1]),
                    bytes(x[2]),
                    bytes(x[3]),
                    str(x[4]),
                    str(x[5]),
                    *x[6:12],
                )
                for x in (tuple(reg.cases(i)) for i in range(1, len(m.cases) + 2))
            ],
            "offers": [
                (o[0], str(o[1]), o[2])
                for o in (tuple(reg.offers(i)) for i in range(1, len(m.offers) + 2))
            ],
            "counters": (
                reg.case_count(),
                reg.offer_count(),
                reg.bonds_held(),
                reg.offers_held(),
                reg.settlements_paid(),
            ),
            "settings": (reg.bond(), reg.dismissed_bond_to_accused()),
            "open": {u: reg.open_case(case_key(*u)) for u in USES},
            "balances": {n: c.bpc.balanceOf(self.names[n]) for n in self.tracked},
            "supply": c.bpc.totalSupply(),
            "royalties": (c.royalties.fees_in(), c.royalties.paid_to_fund()),
            "claimable": {a: c.royalties.claimable(self.names[a]) for a in EARNERS},
        }
        self._view_key = key
        return self._view

    @invariant()
    def bonds_and_offers_are_conserved(self) -> None:
        """The register holds exactly the bonds of its open cases and the standing offers."""
        v, m = self.view(), self.model
        *_, bonds_held, offers_held, _ = v["counters"]
        open_bonds = sum(x[6] for x in v["cases"] if x[7] in OPEN)
        standing = sum(amount for _, _, amount in v["offers"])
        assert bonds_held == open_bonds == m.bonds_held
        assert offers_held == standing == m.offers_held
        assert v["balances"]["infringements"] == bonds_held + offers_held

    @invariant()
    def offers_agree_with_model(self) -> None:
        """Every offer's case, offerer and escrow are the model's (so each ended with its
        offerer or in the royalty split); one past the last is no offer."""
        v, m = self.view(), self.model
        assert v["offers"][:-1] == [(o.case, o.offerer, o.amount) for o in m.offers]
        assert v["offers"][-1] == (0, ZERO_ADDRESS, 0)

    @invariant()
    def no_bond_goes_to_whoever_resolved_the_case(self) -> None:
        """A bond goes to the filing centre, the fund or the case's accused (a vetted member
        with the infringer's identity), never to the regulator or council who resolved it."""
        m = self.model
        for record in m.cases:
            if record.status not in TERMINAL:
                continue
            assert record.bond_to in (record.centre, m.fund, record.accused), record
            assert record.bond_to != record.resolver, record
            if record.accused != ZERO_ADDRESS:
                assert m.vetted.get(record.accused) == record.infringer, record
            if record.resolver != ZERO_ADDRESS:
                assert record.resolver not in (record.centre, record.accused), record

    @invariant()
    def settlements_only_on_settled_cases(self) -> None:
        for record in self.view()["cases"]:
            status, settlement = record[7], record[11]
            if status == CaseStatus.SETTLED:
                assert 0 < settlement <= SETTLEMENT_MAX, record
            else:
                assert settlement == 0, record

    @invariant()
    def every_balance_is_the_models(self) -> None:
        """Every bond (and every settlement) ended where the model says."""
        v, m = self.view(), self.model
        assert v["balances"] == {n: m.token.balance(self.names[n]) for n in self.tracked}
        assert v["supply"] == m.token.supply

    @invariant()
    def settlements_reach_royalties(self) -> None:
        v, m = self.view(), self.model
        *_, paid = v["counters"]
        fees_in, paid_to_fund = v["royalties"]
        assert paid == m.settlements_paid == fees_in - self.start["fees_in"]
        assert paid_to_fund - self.start["paid_to_fund"] == m.royalties.paid_to_fund
        assert v["claimable"] == {a: m.royalties.claimable(self.names[a]) for a in EARNERS}

    @invariant()
    def one_open_case_per_use_at_most(self) -> None:
        v, m = self.view(), self.model
        open_by_use = Counter(x.key for x in m.cases if x.status in OPEN)
        assert all(n == 1 for n in open_by_use.values())
        for use, case in v["open"].items():
            assert case == m.open_case.get(case_key(*use), 0), use
            if case:
                record = v["cases"][case - 1]
                assert record[7] in OPEN and tuple(record[:3]) == use

    @invariant()
    def terminal_cases_never_change(self) -> None:
        for case, record in enumerate(self.view()["cases"], start=1):
            if record[7] in TERMINAL:
                assert self.closed.setdefault(case, record) == record, case
            else:
                assert case not in self.closed, case

    @invariant()
    def records_agree_with_model(self) -> None:
        v, m = self.view(), self.model
        assert v["cases"][:-1] == [struct_of(x) for x in m.cases]
        assert v["cases"][-1][7] == CaseStatus.NONE  # one past the last: no case
        count, offer_count, *_ = v["counters"]
        assert (count, offer_count) == (len(m.cases), len(m.offers))
        assert v["settings"] == (m.bond, m.to_accused)


TestInfringementsAgreeWithModel = InfringementsMachine.TestCase
TestInfringementsAgreeWithModel.settings = (
    settings(active_settings(), max_examples=10) if active_profile() == "ci" else active_settings()
)
