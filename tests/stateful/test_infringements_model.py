"""Infringements against a Python model: a hypothesis state machine over one collection's case
register.

The chain is titanoboa's EVM (a real EVM in-process, about a millisecond a transaction). A
module fixture deploys once, in the order of `bpsa.deploy.deploy_pool` (Certificates, Fund,
BPC and Royalties naming the pool's address computed from the deployer's nonce, the pool)
and then `bpsa.deploy.deploy_infringements`, under an Alliance whose owner, and the owner of
every contract, is a plain address standing in for the council. The set-up pools three
patents (one oracle attests, one expert rates, the council pools): the start-up's with a
trusteeship centre, the SME's without one, and one the council purchased for the fund (the
fund is its contributor, so the council decides on its cases). titanoboa's pytest plugin
runs each example in a snapshot of that state. Time moves only when a rule waits.

Actors, named by role: two rights-protection centres (`monitor`, `monitor2`), a regulator,
the two providers and the trusteeship centre (who decide on their patents' cases while
active members), two accused parties (non-members: they offer settlements and may receive
dismissed bonds), an attacker and the council (which also decides for the fund's patent).
BPC comes from the pool (impersonated to mint exact amounts, as the unit tests' `fund_bpc`
does) whenever a step is `funded`.

Rules (the model, infringements_model.py, predicts success or the exact revert reason of
every transaction; a refused one changes nothing): file (by each centre and by actors
without the role, against any of the three patents, a removed or a never-pooled one, with empty
digests, over a small space of uses so that the same use is often filed twice; bond
approved exactly, without limit, one wei short or not at all, funded or not), file and
authorise in one step, authorise and decline (by whoever decides the case's patent, its
contributor (the fund itself, for the fund's patent), its centre, another provider, a
centre, the regulator, the council and the attacker), offer_settlement (by either accused,
the filing centre or the attacker, on mostly authorised cases, so offers often replace
offers; approved or not, funded or not; amounts from 0 to one past the cap), settle (by the
regulator, the council and others, with or without an offer standing), dismiss (naming an
accused, the zero address, the centre itself or the register, under either policy),
withdraw (by the filing centre, the other centre and others), a whole case in one step
(ending settled, dismissed or withdrawn after none, one or two offers, or declined),
set_bond (the council or not; 0 to one past the cap; either policy), suspending and
reinstating a centre, the regulator, a provider or the trusteeship centre, the council
removing the SME's patent from the pool, and waits.

Invariants, after every step: BPC is conserved: Infringements holds exactly `bonds_held` +
`offers_held`, the first the sum of the open cases' bonds, the second the sum of the pending
offers, both the model's; an offer is pending only on an authorised case, a settled case
keeps its settlement and no offerer, and any other closed case neither; every tracked
balance (each actor, the fund, Royalties, Infringements) and the supply agree with the
model, so every bond ended where the model says; `settlements_paid` is the model's and
exactly what Royalties took in since the set-up, the fund got exactly its share of it and
every earner's claimable amount (the fund's included) is the model's; at most one open case
per use: the chain's `open_case` of every use ever filed is the model's, and points at an
open case of that use; a terminal case never changes again; every case record, the case
count, the bond and the policy agree with the model.

Profiles (tests/stateful/conftest.py): `ci` by default, `long` with HYPOTHESIS_PROFILE=long.
`--hypothesis-show-statistics` lists how often each outcome happened.
"""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import boa
import pytest
from boa.contracts.vyper.vyper_contract import VyperContract
from eth_account import Account
from eth_utils.crypto import keccak
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from bpsa import certificates as certs
from bpsa.codes import CaseStatus, CertStatus, Kind, PatentStatus, Removal, Role, Source
from bpsa.deploy import InfringementParams, PoolParams, create_address
from tests.stateful.conftest import active_profile, active_settings
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
from tests.stateful.pool_model import (
    MAX_UINT256,
    ZERO_ADDRESS,
    RoyaltiesModel,
    TokenModel,
    patent_id,
)

pytestmark = [pytest.mark.stateful, pytest.mark.slow]

DAY = 86_400
YEAR = 365 * DAY
BPC = 10**18
PARAMS = PoolParams(
    initial_nav=100 * BPC,
    oracle_threshold=1,
    expert_threshold=3,
    core_threshold=60,
    rerate_interval=30 * DAY,
)
INFRINGEMENTS = InfringementParams(bond=50 * BPC, dismissed_bond_to_accused=False)
IDENTITY = b"\x11" * 32
DOCUMENT = b"\xd1" * 32

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


def key_of(name: str) -> bytes:
    return keccak(text=f"bpsa infringements stateful {name}")


def address_of(name: str) -> str:
    return str(Account.from_key(key_of(name)).address)


MEMBERS: dict[str, tuple[Kind, Role]] = {
    "provider": (Kind.START_UP, Role.PROVIDER),
    "provider2": (Kind.SME, Role.PROVIDER),
    "tcentre": (Kind.NON_PROFIT, Role.TRUSTEESHIP_CENTRE),
    "monitor": (Kind.NON_PROFIT, Role.RIGHTS_PROTECTION_CENTRE),
    "monitor2": (Kind.NON_PROFIT, Role.RIGHTS_PROTECTION_CENTRE),
    "regulator": (Kind.NON_PROFIT, Role.REGULATOR),
    "expert": (Kind.INDIVIDUAL, Role.EXPERT),  # rates the set-up's patents only
    "expert2": (Kind.INDIVIDUAL, Role.EXPERT),  # with these two: the pool's quorum of three
    "expert3": (Kind.INDIVIDUAL, Role.EXPERT),
    "oracle": (Kind.NON_PROFIT, Role.ORACLE),  # signs the set-up's certificates only
}
OUTSIDERS = ("accused", "accused2", "attacker", "council", "deployer")
ADDRESS = {n: address_of(n) for n in (*MEMBERS, *OUTSIDERS)}
ADDRESS["zero"] = ZERO_ADDRESS
COUNCIL, DEPLOYER = ADDRESS["council"], ADDRESS["deployer"]
# Whose BPC the invariants compare with the model (besides the fund, Royalties and the register).
ACTORS = (
    "provider",
    "provider2",
    "tcentre",
    "monitor",
    "monitor2",
    "regulator",
    "accused",
    "accused2",
    "attacker",
)
EARNERS = ("provider", "provider2", "tcentre", "fund")
# Members whose standing the council toggles (suspend / reinstate), with the model's set of
# active holders of their gating role, if any (every one is in the model's `active`).
TOGGLED: dict[str, str | None] = {
    "monitor": "protection_centres",
    "monitor2": "protection_centres",
    "regulator": "regulators",
    "provider": None,
    "provider2": None,
    "tcentre": None,
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

INFRINGERS = (keccak(text="infringer: Acme"), keccak(text="infringer: Bolt"))
PRODUCTS = (keccak(text="product: AX-100"), keccak(text="product: BX-7"))
EVIDENCES = (keccak(text="evidence: cid 1"), keccak(text="evidence: cid 2"))
# Every use a rule names (patent, infringer, product), never-pooled included: 16 keys.
USES = [(p, i, q) for p in (*PATENT_IDS, NEVER_POOLED) for i in INFRINGERS for q in PRODUCTS]


@dataclass(frozen=True)
class Deployment:
    alliance: Any
    certificates: Any
    fund: Any
    bpc: Any
    royalties: Any
    pool: Any
    infringements: Any


@functools.cache
def deployers() -> dict[str, Any]:
    """Compiled once per session."""
    names = ("Alliance", "Certificates", "Fund", "BPC", "Royalties", "PatentPool", "Infringements")
    return {n: boa.load_partial(str(CONTRACTS / f"{n}.vy")) for n in names}


def _nonce(who: str) -> int:
    return int(boa.env.evm.vm.state.get_nonce(bytes.fromhex(who[2:])))


def deploy() -> Deployment:
    """The alliance, the pool with three patents pooled, and the case register."""
    load = deployers()
    with boa.env.prank(DEPLOYER):
        alliance = load["Alliance"].deploy(COUNCIL)
        certificates = load["Certificates"].deploy(
            alliance.address, COUNCIL, PARAMS.oracle_threshold
        )
        fund = load["Fund"].deploy(COUNCIL)
        pool_address = create_address(DEPLOYER, _nonce(DEPLOYER) + 2)
        bpc = load["BPC"].deploy(PARAMS.token_name, PARAMS.token_symbol, pool_address)
        royalties = load["Royalties"].deploy(
            bpc.address,
            pool_address,
            fund.address,
            COUNCIL,
            PARAMS.contributor_bps,
            PARAMS.centre_bps,
            PARAMS.fund_bps,
        )
        pool = load["PatentPool"].deploy(
            PARAMS.collection,
            PARAMS.valuation_unit,
            PARAMS.initial_nav,
            alliance.address,
            certificates.address,
            bpc.address,
            royalties.address,
            fund.address,
            COUNCIL,
            PARAMS.expert_threshold,
            PARAMS.core_threshold,
            PARAMS.rerate_interval,
        )
        assert str(pool.address) == pool_address, "the pool must land where BPC names it"
        infringements = load["Infringements"].deploy(
            alliance.address,
            bpc.address,
            pool.address,
            royalties.address,
            fund.address,
            COUNCIL,
            INFRINGEMENTS.bond,
            INFRINGEMENTS.dismissed_bond_to_accused,
        )
    for name, (kind, roles) in MEMBERS.items():
        who = ADDRESS[name]
        alliance.apply(int(kind), IDENTITY, sender=who)
        alliance.admit(who, sender=COUNCIL)
        for role in Role:
            if roles & role:
                alliance.grant_role(who, int(role), sender=COUNCIL)
    domain = certs.domain(int(boa.env.evm.patch.chain_id), str(certificates.address))
    expiry = int(boa.env.evm.patch.timestamp) + 100 * YEAR
    for office, number, contributor, centre, score, valuation in PATENTS:
        purchased = contributor == "fund"
        pid = pool.submit(
            office,
            number,
            DOCUMENT,
            int(Source.PURCHASED if purchased else Source.CONTRIBUTED),
            ADDRESS[centre],
            0,
            sender=COUNCIL if purchased else ADDRESS[contributor],
        )
        owner = str(fund.address) if purchased else ADDRESS[contributor]
        cert = certs.Certificate(office, number, DOCUMENT, owner, CertStatus.IN_FORCE, expiry, 1)
        signature = certs.sign_certificate(domain, cert, key_of("oracle"))
        certificates.attest(cert.as_arg(), certs.quorum([signature]), sender=COUNCIL)
        pool.certify(pid, sender=COUNCIL)
        for expert in ("expert", "expert2", "expert3"):
            pool.rate(pid, score, valuation, sender=ADDRESS[expert])
        pool.pool(pid, sender=COUNCIL)
        assert pool.patents(pid).status == PatentStatus.POOLED
    return Deployment(alliance, certificates, fund, bpc, royalties, pool, infringements)


_deployed: Deployment | None = None


@pytest.fixture(scope="module", autouse=True)
def infringements_deployment() -> Iterator[Deployment]:
    """Deployed once for this module. titanoboa's pytest plugin runs every hypothesis
    example in a snapshot (and every fixture's setup in one that lasts until its teardown),
    so each example starts from this deployment."""
    global _deployed
    _deployed = deploy()
    yield _deployed
    _deployed = None


def note_event(text: str) -> None:
    """Count an outcome for --hypothesis-show-statistics (no-op when replayed by hand)."""
    if currently_in_test_context():
        event(text)


def _short_repr(self: VyperContract) -> str:
    return f"<{self.compiler_data.contract_path} at {self.address}>"


# -- strategies ------------------------------------------------------------------------------

centres = st.sampled_from(["monitor", "monitor", "monitor2"])
intruders = st.sampled_from(["regulator", "provider", "tcentre", "attacker"])
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
    ["regulator", "regulator", "regulator", "council", "council", "monitor", "attacker", "provider"]
)
offerers = st.sampled_from(["accused", "accused", "accused", "accused2", "filer", "attacker"])
settlements = st.one_of(
    st.integers(1, 10**22),
    st.sampled_from([1, BPC, 1_000 * BPC, SETTLEMENT_MAX, SETTLEMENT_MAX + 1, 0]),
)
# what the accused's side offers when every call is right (whole_case)
offers = st.one_of(st.integers(1, 10**22), st.sampled_from([1, SETTLEMENT_MAX]))
accusations = st.sampled_from(["accused", "accused", "accused2", "zero", "filer", "register"])
withdrawers = st.sampled_from(
    ["filer", "filer", "filer", "other centre", "regulator", "attacker", "rightful"]
)
bonds = st.one_of(
    st.sampled_from([0, 1, INFRINGEMENTS.bond, 80 * BPC, BOND_MAX, BOND_MAX + 1]),
    st.integers(0, 10**21),
)
councils = st.sampled_from(["council", "council", "council", "regulator", "attacker"])
toggled = st.sampled_from(sorted(TOGGLED))
waits = st.one_of(st.integers(1, 3_600), st.sampled_from([DAY, 30 * DAY, YEAR]))


class InfringementsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._snapshot = contextlib.ExitStack()
        self._snapshot.enter_context(boa.env.anchor())
        # run by hand, outside pytest, a machine deploys its own copy inside its snapshot
        self.c = _deployed or deploy()
        # A revert makes boa render the reverting contract with all its storage (~10 ms);
        # the model's diff says more, so render contracts by name only.
        self._snapshot.enter_context(mock.patch.object(VyperContract, "__repr__", _short_repr))
        c = self.c
        self.names = {
            **ADDRESS,
            "fund": str(c.fund.address),
            "royalties": str(c.royalties.address),
            "infringements": str(c.infringements.address),
            "pool": str(c.pool.address),
        }
        self.tracked = (*ACTORS, "fund", "royalties", "infringements")
        token = TokenModel(supply=c.bpc.totalSupply())
        for name in self.tracked:
            token.balances[self.names[name]] = c.bpc.balanceOf(self.names[name])
        # the constructor lets Royalties pull settlements from the register without limit
        register, royalties_address = self.names["infringements"], self.names["royalties"]
        token.allowances[(register, royalties_address)] = c.bpc.allowance(
            register, royalties_address
        )
        assert token.allowances[(register, royalties_address)] == MAX_UINT256
        royalties = RoyaltiesModel(PARAMS.contributor_bps, PARAMS.centre_bps, PARAMS.fund_bps)
        patents = {}
        for pid, (_, _, contributor, centre, score, _) in zip(PATENT_IDS, PATENTS, strict=True):
            patents[pid] = PooledPatent(self.names[contributor], ADDRESS[centre], score)
            royalties.change_weight(self.names[contributor], ADDRESS[centre], 0, score)
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
            regulators={ADDRESS["regulator"]},
            active={ADDRESS[name] for name in MEMBERS},
        )
        self.suspended: set[str] = set()
        # Royalties and the fund as the set-up left them: settlements are counted from here.
        self.start = {
            "fees_in": c.royalties.fees_in(),
            "paid_to_fund": c.royalties.paid_to_fund(),
            "royalties": token.balance(royalties_address),
            "fund": token.balance(self.names["fund"]),
        }
        # each terminal case as first seen: it must never change again
        self.closed: dict[int, tuple[object, ...]] = {}
        self.version = 0  # bumped by every successful transaction: storage changes only then
        self._view: dict[str, Any] | None = None
        self._view_key: tuple[int, int] = (-1, -1)

    def teardown(self) -> None:
        self._snapshot.close()

    # -- chain plumbing ----------------------------------------------------------------------

    def _send(self, reason: str | None, fn: Any, *args: Any, sender: str) -> Any:
        """One transaction: it must revert with `reason`, or succeed."""
        name = fn.func_t.name
        if reason is None:
            out = fn(*args, sender=sender)
            self.version += 1
            note_event(f"{name}: ok")
            return out
        with boa.reverts(reason):
            fn(*args, sender=sender)
        note_event(f"{name}: {reason}")
        return None

    def _logs(self, name: str) -> list[Any]:
        """The register's events `name` in the last call (read right after the transaction:
        boa keeps only the latest call's logs)."""
        return [e for e in self.c.infringements.get_logs() if type(e).__name__ == name]

    def _pay_with(self, sender: str, amount: int, approval: str, funded: bool) -> None:
        """`sender` holds at least `amount` (when funded) and approves the register exactly,
        without limit, one wei short, not at all, or leaves its allowance as it was."""
        token = self.model.token
        if funded and (lacking := amount - token.balance(sender)) > 0:
            token.mint(sender, lacking)
            self._send(None, self.c.bpc.mint, sender, lacking, sender=self.names["pool"])
        allowance = {
            "exact": amount,
            "max": MAX_UINT256,
            "short": max(amount - 1, 0),
            "zero": 0,
        }.get(approval)
        if allowance is not None:
            assert token.approve(sender, self.names["infringements"], allowance) is None
            self._send(
                None, self.c.bpc.approve, self.names["infringements"], allowance, sender=sender
            )

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
        assert self.c.pool.licensing_view(FUND_PATENT)[1] == self.names["fund"]
        assert self.c.infringements.case_count() == 0

    def _file(
        self,
        who: str,
        patent: int,
        infringer: int,
        product: int,
        evidence: int,
        approval: str,
        funded: bool,
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
        reason, case = m.file(sender, pid, *digests)
        out = self._send(reason, self.c.infringements.file, pid, *digests, sender=sender)
        if reason is None:
            assert out == case
            logs = self._logs("CaseFiled")
            assert [(e.case, str(e.centre), e.bond) for e in logs] == [(case, sender, m.bond)]
        return case

    @rule(
        who=centres,
        patent=patent_picks,
        use=picks,
        variant=file_variants,
        intruder=intruders,
    )
    def file(self, who: str, patent: int, use: int, variant: str, intruder: str) -> None:
        """A centre files against a use (mostly well-formed, funded and approved), or one
        thing is wrong: the filer lacks the role, the patent was never pooled, a digest is
        empty, the bond is not held or not (fully) approved."""
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
        infringer, product, evidence = digests
        self._file(who, patent, infringer, product, evidence, approval, funded)

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
    )
    def whole_case(
        self, who: str, patent: int, use: int, end: str, resolver: str, amounts: list[int]
    ) -> None:
        """A case from filing to its end in one step, every call by the right actor: filed
        (funded, approved), then declined by whoever decides for the patent, or authorised,
        offered none, one or two settlements (the accused, then the other accused replacing
        it; funded, approved), and settled or dismissed by a resolver, or withdrawn."""
        case = self._file(who, patent, use % 2, use // 2 % 2, use // 4 % 2, "exact", True)
        if not case:
            return
        if end == "decline":
            self._decline(case, self._decider(case, "rightful"))
            return
        self._authorise(case, "rightful")
        for offerer, amount in zip(("accused", "accused2"), amounts, strict=False):
            self._offer(case, ADDRESS[offerer], amount, "exact", True)
        if end == "settle":
            self._settle(case, ADDRESS[resolver])
        elif end == "dismiss":
            self._dismiss(case, ADDRESS[resolver], ADDRESS["accused"])
        else:
            self._withdraw(case, self._filer(case))

    def _authorise(self, case: int, who: str) -> None:
        sender = self._decider(case, who)
        reason = self.model.authorise(sender, case)
        self._send(reason, self.c.infringements.authorise, case, sender=sender)
        if reason is None:
            logs = self._logs("CaseAuthorised")
            assert [(e.case, str(e.provider)) for e in logs] == [(case, sender)]

    @rule(pick=picks, who=deciders)
    def authorise(self, pick: int, who: str) -> None:
        self._authorise(self._case(pick, CaseStatus.FILED), who)

    @rule(pick=picks, who=deciders)
    def decline(self, pick: int, who: str) -> None:
        case = self._case(pick, CaseStatus.FILED)
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
        """Someone offers a settlement on a case (mostly an authorised one, often with an
        offer standing): either accused, the filing centre itself or the attacker, approved
        and funded or not."""
        case = self._case(pick, CaseStatus.AUTHORISED)
        sender = self._filer(case) if offerer == "filer" else ADDRESS[offerer]
        self._offer(case, sender, amount, approval, funded)

    def _offer(self, case: int, sender: str, amount: int, approval: str, funded: bool) -> None:
        if 0 < amount <= SETTLEMENT_MAX:
            self._pay_with(sender, amount, approval, funded)
        record = self.model.case(case)
        previous = record.offerer if record else ZERO_ADDRESS
        reason, replaced = self.model.offer_settlement(sender, case, amount)
        self._send(reason, self.c.infringements.offer_settlement, case, amount, sender=sender)
        if reason is None:
            logs = self._logs("SettlementOffered")
            assert [(e.case, str(e.offerer), e.amount, e.replaced) for e in logs] == [
                (case, sender, amount, replaced)
            ]
            if replaced:
                note_event(
                    "offer: replaced its own" if previous == sender else "offer: replaced another's"
                )

    @rule(pick=picks, who=resolvers)
    def settle(self, pick: int, who: str) -> None:
        """A resolver (or not) settles a case: mostly an authorised one with an offer
        standing, else an authorised one without, else any id."""
        m = self.model
        offered = [
            i
            for i, x in enumerate(m.cases, start=1)
            if x.status == CaseStatus.AUTHORISED and x.offerer != ZERO_ADDRESS
        ]
        case = offered[pick % len(offered)] if offered and pick < 32 else None
        self._settle(case or self._case(pick, CaseStatus.AUTHORISED), ADDRESS[who])

    def _settle(self, case: int, sender: str) -> None:
        reason, payer, settlement, returned = self.model.settle(sender, case)
        standing = int(self.c.infringements.cases(case).settlement)  # the offer accepted
        self._send(reason, self.c.infringements.settle, case, standing, sender=sender)
        if reason is None:
            logs = self._logs("CaseSettled")
            assert [
                (e.case, str(e.resolver), str(e.payer), e.settlement, e.bond_returned) for e in logs
            ] == [(case, sender, payer, settlement, returned)]

    @rule(pick=picks, who=resolvers, accused=accusations)
    def dismiss(self, pick: int, who: str, accused: str) -> None:
        case = self._case(pick, *OPEN)
        if accused == "filer":
            accused_address = self._filer(case)
        else:
            accused_address = self.names["infringements" if accused == "register" else accused]
        self._dismiss(case, ADDRESS[who], accused_address)

    def _offer_pending(self, case: int) -> bool:
        record = self.model.case(case)
        return record is not None and record.offerer != ZERO_ADDRESS

    def _dismiss(self, case: int, sender: str, accused: str) -> None:
        pending = self._offer_pending(case)
        reason, to = self.model.dismiss(sender, case, accused)
        self._send(reason, self.c.infringements.dismiss, case, accused, sender=sender)
        if reason is None:
            logs = self._logs("CaseDismissed")
            assert [(e.case, str(e.resolver), str(e.bond_to)) for e in logs] == [(case, sender, to)]
            note_event(f"dismiss: bond to {'the fund' if to == self.names['fund'] else 'accused'}")
            if pending:
                note_event("dismiss: offer refunded")

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
        pending = self._offer_pending(case)
        reason, returned = self.model.withdraw(sender, case)
        self._send(reason, self.c.infringements.withdraw, case, sender=sender)
        if reason is None:
            logs = self._logs("CaseWithdrawn")
            assert [(e.case, e.bond_returned) for e in logs] == [(case, returned)]
            if pending:
                note_event("withdraw: offer refunded")

    @rule(bond=bonds, to_accused=st.booleans(), caller=councils)
    def set_bond(self, bond: int, to_accused: bool, caller: str) -> None:
        sender = ADDRESS[caller]
        reason = self.model.set_bond(sender, bond, to_accused)
        self._send(reason, self.c.infringements.set_bond, bond, to_accused, sender=sender)

    @rule(who=toggled)
    def toggle_membership(self, who: str) -> None:
        """The council suspends an active centre, regulator, provider or trusteeship centre,
        or reinstates a suspended one: a suspended member is not active and holds no role."""
        address, role_set = ADDRESS[who], TOGGLED[who]
        holders = getattr(self.model, role_set) if role_set else set()
        alliance = self.c.alliance
        if address in self.suspended:
            self._send(None, alliance.reinstate, address, sender=COUNCIL)
            self.suspended.remove(address)
            holders.add(address)
            self.model.active.add(address)
        else:
            self._send(None, alliance.suspend, address, sender=COUNCIL)
            self.suspended.add(address)
            holders.discard(address)
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
                    *x[5:10],
                    str(x[10]),
                )
                for x in (tuple(reg.cases(i)) for i in range(1, len(m.cases) + 2))
            ],
            "counters": (
                reg.case_count(),
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
        """The register holds exactly the bonds of its open cases and the pending offers."""
        v, m = self.view(), self.model
        _, bonds_held, offers_held, _ = v["counters"]
        open_bonds = sum(x[5] for x in v["cases"] if x[6] in OPEN)
        pending = sum(x[9] for x in v["cases"] if x[10] != ZERO_ADDRESS)
        assert bonds_held == open_bonds == m.bonds_held
        assert offers_held == pending == m.offers_held
        assert v["balances"]["infringements"] == bonds_held + offers_held

    @invariant()
    def offers_stand_only_on_authorised_cases(self) -> None:
        """An offer is pending only on an authorised case; a settled case keeps what it was
        settled for and no offerer; any other closed case keeps neither."""
        for record in self.view()["cases"]:
            status, settlement, offerer = record[6], record[9], record[10]
            if offerer != ZERO_ADDRESS:
                assert status == CaseStatus.AUTHORISED and settlement > 0, record
            elif status == CaseStatus.SETTLED:
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
                assert record[6] in OPEN and tuple(record[:3]) == use

    @invariant()
    def terminal_cases_never_change(self) -> None:
        for case, record in enumerate(self.view()["cases"], start=1):
            if record[6] in TERMINAL:
                assert self.closed.setdefault(case, record) == record, case
            else:
                assert case not in self.closed, case

    @invariant()
    def records_agree_with_model(self) -> None:
        v, m = self.view(), self.model
        assert v["cases"][:-1] == [x.as_tuple() for x in m.cases]
        assert v["cases"][-1][6] == CaseStatus.NONE  # one past the last: no case
        count, *_ = v["counters"]
        assert count == len(m.cases)
        assert v["settings"] == (m.bond, m.to_accused)


TestInfringementsAgreeWithModel = InfringementsMachine.TestCase
TestInfringementsAgreeWithModel.settings = (
    settings(active_settings(), max_examples=20) if active_profile() == "ci" else active_settings()
)
