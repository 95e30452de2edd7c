"""Licensing against a Python model: a hypothesis state machine over one collection's licence
desk.

The chain is titanoboa's EVM (a real EVM in-process, about a millisecond a transaction).
A module fixture deploys once, in the order of `bpsa.sdk.deploy.deploy_pool` and
`bpsa.sdk.deploy.deploy_licensing` (Certificates, Fund, BPC and Royalties naming the pool's
address computed from the deployer's nonce, the pool, then BPR naming Licensing's address
the same way, then Licensing, with the unit tests' schedule), under an Alliance whose owner,
and the owner of every contract, is a plain address standing in for the council. The set-up
pools three patents (one oracle attests, one expert rates, the council pools): one by the
start-up with the non-profit as centre, one by the SME without a centre, one by the start-up
with the SME as centre. titanoboa's pytest plugin runs each example in a snapshot of that
state. Time moves only when a rule waits: the transactions of a step share a timestamp.

Actors, named by role: members of every kind (a start-up and an SME, both providers, the
SME also a trusteeship centre; a large enterprise with a 12.5% market share; a non-profit
centre and a second non-profit; an individual, the expert), a `rogue` start-up the council
suspends and expels mid-run, two non-members (a licensee and an attacker), and an
`exchange` stand-in the council names in the pool, whose sales (PatentPool.assign) start a
new tenure of a patent. Every actor has a key, so every actor signs licence claims.

Attackers: the attacker (a stranger with a fresh address) lists terms for patents not its
own, delists others' listings, buys listings the patent's sale or removal ended, records
sales without being the exchange, acts as the council, registers device trees over more
devices than it pays for and shows devices at other positions, past the count paid for,
with short or tampered proofs; a member (the rogue) is suspended and expelled while its
claims are checked; a patent's own centre, holding no mandate, tries to list; a seller's listing
outlives the sale of its patent. BPC comes from the pool (impersonated to
mint exact amounts, as the unit tests' `fund_bpc` does) whenever a step is `funded`.

Each example starts with one listing per patent (by its contributor), one free batch of
devices and one paying member holding a converted BPR. Rules (the model, licensing_model.py,
predicts success or the exact revert reason of every transaction; a refused one changes
nothing): convert (approved exactly, unlimited, one wei short, zero or left as it was;
funded or not; every kind, a holder, a suspended or expelled member, a non-member, a kind
whose price is 0), release (before, exactly at and after the holder's `unlocks_at`; a
granted BPR; nothing held), grant (a non-profit, another kind, a holder, an inactive member,
a non-member, not the council), revoke (expelled or not; a converted, granted or no BPR),
expel_and_revoke, council_sets (set_tier, set_large_enterprise_rate, set_min_term: a lock
keeps the term in force at its conversion, set_surcharge, set_device_schedule: a break below
the allowance, no cap, caps of 1 BPC and 1 wei, edge rates and volumes), membership
(suspend, reinstate, expel), revoke_centre_role, council_changes_alliance_or_pool (a market
share; a pooled patent removed, so its listings stop selling; a pooled patent sold to
another member or the attacker, so its seller's listings stop selling), list_terms (by
contributor, centre or anyone else; edge prices and durations; a removed or never-pooled
patent), delist (its lister, the patent's current contributor, anyone else), buy (member,
suspended member, non-member: the surcharge; ended listings), register_batch (members with
their record's allowance, non-members with the surcharge; counts up to and across the free
allowance, the volume break and the annual cap, 10^9 and malformed batches, oversized
trees), waits (seconds to years; to the next licensing year, a lock's end, a licence's end,
on the second and one either side), verify_device (a real proof, a wrong serial, another
position, past the count, a short or tampered proof, another or no batch), verify_claim
(BPR and per-patent claims: signed by the holder, another key, for another chain or
contract, high s, bad v, unrecoverable, short; expired, at expiry, cancelled nonces;
someone else's, ended or unknown licences; suspended or expelled holders; patents out of
the pool) compared with the model, with `bpsa.core.claims.verify` on the chain's `claim_facts`
and with the QR verifier's judgement (all answer the number of pooled patents licensed),
and cancel_claims.

Invariants, after every step: every BPR is backed by its lock (at least 1 wei, held by
Licensing) or by a council grant to a non-profit; nothing is licensed without its owner's
consent (every licence sold came from a listing of the patent's tenure current at the sale,
by its contributor or its centre of that tenure); device fees match the trees' real size (no
batch licenses more of its tree's devices than the count it paid for, and exactly those the
model says); nobody holds more than one BPR and the model knows who holds
one; BPR's supply equals Licensing's conversions plus grants, which equal the model's
conversions and grants made less its releases and revocations; every converted holder's
lock is exactly the price it was quoted when it converted (at least 1 wei) and unlocks at
that conversion's time plus the term then in force, a granted BPR locks nothing; the BPC
Licensing holds is total_locked and the sum of the locks; what buyers and makers paid is
`fees_to_royalties` (members', a per-patent price to its patent alone, a device fee over
the pool) plus `fees_to_fund` (non-members'), what Royalties took in since the set-up is
the first, and Royalties' balance moved by exactly that less the fund's share (the split to
the wei, claimable amounts included, by `pool_model.RoyaltiesModel`); the surcharges
non-members paid are `surcharges_to_fund`, and the fund received them, their fees and its
royalty share; prices, tiers,
rate, term, surcharge, schedule, BPC balances, nonce floors, counts, `is_licensed` of every
licence, `is_open` of every listing, `open_listings` of every listed terms, devices and
payments in the current licensing year and `device_fee` agree with the model. Per-actor
views are re-read when a transaction named the actor (sender or argument) or a setting
changed; each listing, licence and batch is compared when made or changed.

Five scripted tests drive the same machine through paths that must run every time: a term
shortened after a conversion, a licensing year's boundary for devices, an expelled holder's
revocation, a non-member's licence ending, and a suspended holder's claims and an emptied
pool.

Profiles (tests/stateful/conftest.py): `ci` by default, `long` with HYPOTHESIS_PROFILE=long.
`--hypothesis-show-statistics` lists how often each outcome happened.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boa
import pytest
from eth_utils.crypto import keccak
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from bpsa.core import claims, eip712, qr
from bpsa.core.codes import Kind, PatentStatus, Role, Source
from bpsa.core.devices import DeviceTree, product_id, serials
from bpsa.sdk.deploy import LicensingParams, deploy_licensing
from tests.stateful.conftest import active_settings
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
from tests.stateful.licensing_model import (
    DEVICE_RATE_MAX,
    DEVICE_VOLUME_MAX,
    MIN_TERM_MAX,
    RATE_MAX,
    TIER_MAX,
    DeviceSchedule,
    LicensingModel,
    Member,
    PooledPatent,
)
from tests.stateful.pool_model import ZERO_ADDRESS, patent_id
from tests.stateful.records import struct_of

PARAMS = pool_params(oracle_threshold=1)
# The unit tests' schedule: small device volumes, so the bands and the cap are in reach.
LICENSING = LicensingParams(
    non_profit=0,
    start_up=20 * BPC,
    sme=100 * BPC,
    large_enterprise=500 * BPC,
    individual=10 * BPC,
    large_enterprise_per_bps=10**17,
    min_term=30 * DAY,
    surcharge_bps=2_000,
    devices_free_per_year=1_000,
    device_low_rate=10**16,
    device_volume_break=5_000,
    device_high_rate=5 * 10**15,
    device_annual_cap=100 * BPC,
)
ENTERPRISE_SHARE_BPS = 1_250
DOCUMENT = b"\xd1" * 32
EMPTY = b"\x00" * 32


# Members, their kinds and roles. `rogue` is the member the council suspends and expels.
MEMBERS: dict[str, tuple[Kind, Role]] = {
    "startup": (Kind.START_UP, Role.PROVIDER),
    "sme": (Kind.SME, Role.PROVIDER | Role.TRUSTEESHIP_CENTRE),
    "enterprise": (Kind.LARGE_ENTERPRISE, Role.EXPERT),  # rates the set-up's patents only
    "nonprofit": (Kind.NON_PROFIT, Role.TRUSTEESHIP_CENTRE),
    "nonprofit2": (Kind.NON_PROFIT, Role.EXPERT),  # rates the set-up's patents only
    "individual": (Kind.INDIVIDUAL, Role.EXPERT),
    "rogue": (Kind.START_UP, Role(0)),
    "oracle": (Kind.NON_PROFIT, Role.ORACLE),  # signs the set-up's certificates only
}
ACTORS = (
    "startup",
    "sme",
    "enterprise",
    "nonprofit",
    "nonprofit2",
    "individual",
    "rogue",
    "licensee",
    "attacker",
)
# "exchange": an account the council names as the pool's exchange, standing in for the
# Exchange contract's sales (PatentPool.assign).
KEYS = actor_keys("licensing", (*MEMBERS, *ACTORS, "council", "deployer", "exchange"))
ADDRESS = addresses_of(KEYS)
COUNCIL, DEPLOYER = ADDRESS["council"], ADDRESS["deployer"]
# The expert committee that rates the set-up's patents (Licensing reads no role).
SETUP_EXPERTS = ("individual", "enterprise", "nonprofit2")
# Contributors and centres earn from every fee (the royalty split, compared to the wei).
EARNERS = ("startup", "sme", "nonprofit")

# (office, number, contributor, centre, score, valuation): pooled by the set-up.
PATENTS = (
    ("US", "1", "startup", "nonprofit", 80, 50_000 * BPC),
    ("EP", "1", "sme", "none", 70, 20_000 * BPC),
    ("CN", "ZL201810123456.7", "startup", "sme", 90, 10_000 * BPC),
)
PATENT_IDS = [patent_id(o, n) for o, n, *_ in PATENTS]
NEVER_POOLED = patent_id("JP", "404")


@dataclass(frozen=True)
class Deployment(PoolContracts):
    bpr: Any
    licensing: Any


def deploy() -> Deployment:
    """The alliance, the pool with three patents pooled, BPR and Licensing, by
    bpsa.sdk.deploy's deploy_pool and deploy_licensing."""
    c = deploy_pool(DEPLOYER, COUNCIL, PARAMS)
    alliance, pool = c.alliance, c.pool
    desk = sdk_deploy(
        deploy_licensing, DEPLOYER, str(alliance.address), c.by_name(), COUNCIL, LICENSING
    )
    admit(
        alliance,
        COUNCIL,
        [(ADDRESS[n], kind, roles, IDENTITY) for n, (kind, roles) in MEMBERS.items()],
    )
    alliance.set_market_share(ADDRESS["enterprise"], ENTERPRISE_SHARE_BPS, sender=COUNCIL)
    pool.set_exchange(ADDRESS["exchange"], sender=COUNCIL)
    experts = [ADDRESS[e] for e in SETUP_EXPERTS]  # the pool's quorum: three experts
    for office, number, contributor, centre, score, valuation in PATENTS:
        patent = SetupPatent(
            office, number, DOCUMENT, source=Source.CONTRIBUTED,
            submitter=ADDRESS[contributor], owner=ADDRESS[contributor],
            centre=ZERO_ADDRESS if centre == "none" else ADDRESS[centre],
            score=score, valuation=valuation,
        )  # fmt: skip
        pool_at_setup(c, COUNCIL, KEYS["oracle"], experts, patent)
    return Deployment(**vars(c), bpr=desk["BPR"], licensing=desk["Licensing"])


DEPLOYED = Deployed(deploy)


@pytest.fixture(scope="module", autouse=True)
def licensing_deployment() -> Iterator[Deployment]:
    yield from DEPLOYED.once()


# -- strategies ------------------------------------------------------------------------------

everyone = st.sampled_from(ACTORS)
# Converters: the paying kinds most often, anyone else (refused, or a non-profit whose tier
# the council opened) now and then.
converters = st.one_of(
    st.sampled_from(["startup", "sme", "enterprise", "individual", "rogue"]),
    st.sampled_from(["startup", "sme", "enterprise", "individual", "rogue"]),
    everyone,
)
# Grantees: the non-profits most often.
grantees = st.one_of(st.sampled_from(["nonprofit", "nonprofit2"]), everyone)
councils = st.sampled_from(["council", "council", "council", "attacker"])
approvals = st.sampled_from(["exact"] * 5 + ["max"] * 2 + ["short", "zero", "keep"])
fundings = st.sampled_from([True] * 5 + [False])
picks = st.integers(min_value=0, max_value=63)
# Who the council suspends, reinstates or expels (the rogue most often).
targets = st.sampled_from(["rogue", "rogue", "rogue", "nonprofit2", "enterprise", "individual"])
memberships = st.sampled_from(["suspend", "suspend", "reinstate", "reinstate", "expel"])
kinds = st.one_of(st.sampled_from(list(Kind)), st.sampled_from([0, 6]))
tier_prices = st.one_of(
    st.sampled_from([0, 1, 5 * BPC, 40 * BPC, TIER_MAX, TIER_MAX + 1]),
    st.integers(1, 10**21),
)
rates = st.sampled_from([0, 1, 10**17, 10**18, RATE_MAX, RATE_MAX + 1])
terms = st.sampled_from([0, 1, DAY, 30 * DAY, YEAR, MIN_TERM_MAX, MIN_TERM_MAX + 1])
shares = st.sampled_from([0, 1, ENTERPRISE_SHARE_BPS, 10_000, 10_001])
surcharges = st.sampled_from([0, 1, 2_000, 3_333, 10_000, 10_001])
listers = st.sampled_from(["contributor", "contributor", "centre", "sme", "attacker", "licensee"])
listing_prices = st.one_of(
    st.sampled_from([1, 7, BPC, TIER_MAX, TIER_MAX + 1, 0]), st.integers(1, 10**21)
)
durations = st.one_of(
    st.sampled_from([1, DAY, YEAR, 50 * YEAR, 50 * YEAR + 1, 0]), st.integers(1, 3 * YEAR)
)
fields_of_use = st.sampled_from(["payment terminals", "", "x" * 64])
territories = st.sampled_from(["CN", "worldwide", "", "y" * 32])
makers = st.sampled_from(["sme", "sme", "enterprise", "licensee", "attacker", "startup"])
products = st.sampled_from(["phone-x", "phone-x", "tv-9", "empty"])
serial_sets = st.tuples(st.integers(1, 5), st.integers(0, 3))  # (how many, first index)
# A device count, or one that brings the maker's year to a band's edge (or one past it).
counts = st.one_of(
    st.just("exact"),
    st.integers(1, 1_500),
    st.sampled_from([1, 999, 1_000, 1_001, 4_000, 5_000, 20_000, 10**6, 10**9, 0, 10**9 + 1]),
    st.sampled_from(["to free", "to break", "past free", "past break", "to cap"]),
)
# "oversized": a tree over more devices than the maker means to pay for (an attacker's)
roots = st.sampled_from(["tree", "tree", "tree", "tree", "empty", "oversized"])
schedules = st.sampled_from(
    [
        LICENSING.device_schedule(),
        (0, 1, 0, 1, 0),  # one wei a device, no cap
        (10, 10**16, 5, 10**15, 0),  # a break below the allowance: the low band is empty
        (0, 0, 0, 0, 0),  # devices are free
        (100, 10**18, 200, 2 * BPC, BPC),  # a cap of one BPC
        (0, 10**16, 1_000, 10**16, 1),  # a cap of one wei
        (DEVICE_VOLUME_MAX, DEVICE_RATE_MAX, DEVICE_VOLUME_MAX, DEVICE_RATE_MAX, 0),
        (0, DEVICE_RATE_MAX, 0, DEVICE_RATE_MAX, 0),
        (0, DEVICE_RATE_MAX + 1, 0, 0, 0),
        (DEVICE_VOLUME_MAX + 1, 0, 0, 0, 0),
        (0, 0, DEVICE_VOLUME_MAX + 1, 0, 0),
        (0, 0, 0, DEVICE_RATE_MAX + 1, 0),
    ]
)
device_checks = st.sampled_from(
    [
        "real",
        "real",
        "real",
        "wrong serial",
        "tampered",
        "other batch",
        "no batch",
        "other index",
        "past count",
        "short proof",
    ]
)
waits = st.one_of(
    st.integers(1, 3_600),
    st.sampled_from([DAY, 30 * DAY, 31 * DAY, 200 * DAY, YEAR]),
    st.integers(1, 2 * YEAR),
)
edges = st.sampled_from(["year", "year", "unlock", "unlock", "licence end"])
offsets = st.sampled_from([0, -1, 1])
release_timings = st.sampled_from(["now", "before", "at", "at", "after", "after"])
# Claims: which licence, who signs what, when it expires and its nonce.
claimants = st.one_of(st.just("a holder"), st.just("a holder"), everyone)
claim_licences = st.sampled_from(["bpr", "bpr", "own", "own", "other's", "unknown", "ended"])
claim_signatures = st.one_of(
    st.just("holder"),
    st.sampled_from(
        [
            "other key",
            "other chain",
            "other contract",
            "high s",
            "bad v",
            "unrecoverable",
            "short",
        ]
    ),
)
claim_expiries = st.sampled_from(["later", "later", "later", "next second", "now", "past"])
claim_nonces = st.sampled_from(["floor", "floor", "above", "below"])
nonce_steps = st.sampled_from([1, 1, 5, 0])
removals = st.sampled_from([1, 1, 1, 4, 0, 5])
# What the council changes: licensing's own settings, or the alliance and pool around it.
setting_changes = st.one_of(
    st.tuples(st.just("tier"), kinds, tier_prices),
    st.tuples(st.just("rate"), rates),
    st.tuples(st.just("term"), terms),
    st.tuples(st.just("surcharge"), surcharges),
    st.tuples(st.just("schedule"), schedules),
)
# Who buys a pooled patent on the exchange (the seller itself now and then: refused).
patent_buyers = st.sampled_from(["sme", "startup", "enterprise", "attacker", "seller"])
outside_changes = st.one_of(
    st.tuples(st.just("share"), st.sampled_from(["enterprise", "enterprise", "startup"]), shares),
    st.tuples(st.just("removal"), st.integers(0, 2), removals),
    st.tuples(st.just("sale"), st.integers(0, 2), patent_buyers),
)


class LicensingMachine(PayingMachine):
    model: LicensingModel
    payee = "licensing"

    def __init__(self) -> None:
        super().__init__()
        # run by hand, outside pytest, a machine deploys its own copy inside its snapshot
        c = self.c = DEPLOYED.get()
        self.names = {
            **ADDRESS,
            "zero": ZERO_ADDRESS,
            **c.addresses(),
            "licensing": str(c.licensing.address),
        }
        self.who = {address: name for name, address in self.names.items()}
        self.chain_id = int(boa.env.evm.patch.chain_id)
        self.domain = claims.domain(self.chain_id, self.names["licensing"])
        self.tracked = (*ACTORS, "fund", "royalties", "licensing")
        # Royalties pulls fees from Licensing
        holders = [self.names[name] for name in self.tracked]
        token = bpc_model(c.bpc, holders, self.names["licensing"], self.names["royalties"])
        pooled = [
            (pid, ADDRESS[who], ZERO_ADDRESS if centre == "none" else ADDRESS[centre], score)
            for pid, (_, _, who, centre, score, _) in zip(PATENT_IDS, PATENTS, strict=True)
        ]
        patents, royalties = pooled_at_setup(c.pool, PARAMS, pooled, PooledPatent)
        self.model = LicensingModel(
            now=int(boa.env.evm.patch.timestamp),
            council=COUNCIL,
            licensing=self.names["licensing"],
            royalties_address=self.names["royalties"],
            fund=self.names["fund"],
            members={
                ADDRESS[n]: Member(
                    kind,
                    share=ENTERPRISE_SHARE_BPS if n == "enterprise" else 0,
                    centre=bool(roles & Role.TRUSTEESHIP_CENTRE),
                )
                for n, (kind, roles) in MEMBERS.items()
            },
            patents=patents,
            token=token,
            royalties=royalties,
            tiers=dict(zip(list(Kind), LICENSING.tiers(), strict=True)),
            large_enterprise_rate=LICENSING.large_enterprise_per_bps,
            min_term=LICENSING.min_term,
            surcharge_bps=LICENSING.surcharge_bps,
            schedule=DeviceSchedule(*LICENSING.device_schedule()),
        )
        # Royalties and the fund as the set-up left them: fees are counted from here.
        self.baseline = royalties_baseline(c, token)
        self.version = 0  # bumped by every successful transaction: storage changes only then
        self._view: dict[str, Any] | None = None
        self._view_key: tuple[int, int] = (-1, -1)
        # Per-actor views are re-read for the actors a successful transaction named (its
        # sender and address arguments), and for everyone after a council setting changed.
        self._actor_views: dict[str, tuple[Any, ...]] = {}
        self._dirty: set[str] = set(ACTORS)
        self._settings: tuple[Any, ...] | None = None
        # Who consented to licences of each patent in each tenure: its contributor (the
        # centre it named is no agent without a mandate, and the machine gives none).
        # Every licence sold must come from it, in the tenure current at the sale.
        self.consent: dict[tuple[bytes, int], set[str]] = {
            (pid, p.tenure): {p.contributor} for pid, p in self.model.patents.items()
        }
        self.sold_in: dict[int, int] = {}  # licence id -> its patent's tenure at the sale
        self.granted_kind: dict[str, int] = {}  # a granted holder -> its kind at the grant
        self.devices_shown: dict[int, int] = {}  # batch id -> its tree's devices that verify

    # -- chain plumbing ----------------------------------------------------------------------

    def _sent(self, name: str, args: tuple[Any, ...], sender: str) -> None:
        """A transaction went through: storage changed, and the views of the actors it named
        (all of them after a setting changed) are read again."""
        self.version += 1
        named = {sender, *(a for a in args if isinstance(a, str) and a.startswith("0x"))}
        self._dirty.update(self.who[a] for a in named if self.who.get(a) in ACTORS)
        if name.startswith("set_"):  # a tier, rate, term, share, surcharge or schedule
            self._dirty.update(ACTORS)
            self._settings = None

    def _events(self, name: str) -> list[Any]:
        """Licensing's events `name` in the last call to Licensing (read right after the
        transaction: boa keeps only the latest call's logs, a view call included)."""
        return [e for e in self.c.licensing.get_logs() if type(e).__name__ == name]

    def _wait_until(self, timestamp: int) -> None:
        if timestamp > self.model.now and timestamp // YEAR != self.model.now // YEAR:
            note_event("wait: into a new licensing year")
        super()._wait_until(timestamp)

    @initialize(
        terms=st.lists(
            st.tuples(st.integers(1, 10**21), st.sampled_from([DAY, 30 * DAY, YEAR])),
            min_size=3,
            max_size=3,
        ),
        batch=serial_sets,
        holder=st.sampled_from(["startup", "sme", "enterprise", "individual", "rogue"]),
    )
    def start(self, terms: list[tuple[int, int]], batch: tuple[int, int], holder: str) -> None:
        """The set-up left three patents pooled and nobody holding a BPR; each example
        starts with one listing per patent, by its contributor, one free batch of devices
        and one member holding a converted BPR, so that purchases, device checks, releases
        and BPR claims are common from the first step."""
        assert all(self.c.pool.patents(pid).status == PatentStatus.POOLED for pid in PATENT_IDS)
        assert self.c.bpr.totalSupply() == 0
        for pick, (price, duration) in enumerate(terms):
            self.list_terms(pick, "contributor", price, duration, "payment terminals", "CN")
        self.register_batch("sme", "phone-x", batch, "tree", "exact", "keep", False)
        self.convert(holder, "exact", True)
        assert len(self.model.listings) == 3 and len(self.model.batches) == 1
        assert self.model.conversions == 1

    # -- BPR ---------------------------------------------------------------------------------

    @rule(who=converters, approval=approvals, funded=fundings)
    def convert(self, who: str, approval: str, funded: bool) -> None:
        """A member (or not) converts: its quoted price, approved and funded or not."""
        m, c = self.model, self.c
        sender = ADDRESS[who]
        assert c.licensing.price_of(sender) == m.price_of(sender)
        self._pay_with(sender, m.quote(sender), approval, funded)
        reason, locked = m.convert(sender)
        out = self._send(reason, c.licensing.convert, sender=sender)
        if reason is None:
            assert out == locked
            assert c.licensing.unlocks_at(sender) == m.now + m.min_term
            note_event(f"convert: {Kind(m.kind_of(sender)).name.lower()}")

    @rule(pick=picks, timing=release_timings)
    def release(self, pick: int, timing: str) -> None:
        """A converted holder (or anyone) releases, now, a second before its lock ends,
        exactly then or a second after."""
        m = self.model
        converted = [a for a in ACTORS if m.locked(ADDRESS[a])]
        who = converted[pick % len(converted)] if converted and pick < 56 else ACTORS[pick % 9]
        sender = ADDRESS[who]
        at = m.unlocks_at(sender)
        if at and timing != "now":
            self._wait_until({"before": at - 1, "at": at, "after": at + 1}[timing])
        if at and m.now == at:
            note_event("release: exactly at unlocks_at")
        reason, amount = m.release(sender)
        out = self._send(reason, self.c.licensing.release, sender=sender)
        if reason is None:
            assert out == amount

    @rule(who=grantees, caller=councils)
    def grant(self, who: str, caller: str) -> None:
        reason = self.model.grant(ADDRESS[caller], ADDRESS[who])
        self._send(reason, self.c.licensing.grant, ADDRESS[who], sender=ADDRESS[caller])
        if reason is None:
            self.granted_kind[ADDRESS[who]] = self.c.alliance.kind_of(ADDRESS[who])

    def _revoke(self, who: str, caller: str) -> None:
        reason, returned = self.model.revoke(ADDRESS[caller], ADDRESS[who])
        self._send(reason, self.c.licensing.revoke, ADDRESS[who], sender=ADDRESS[caller])
        if reason is None:
            logs = self._events("Revoked")
            assert [(str(e.holder), e.returned) for e in logs] == [(ADDRESS[who], returned)]

    @rule(who=everyone, caller=councils)
    def revoke(self, who: str, caller: str) -> None:
        self._revoke(who, caller)

    @rule(pick=picks)
    def expel_and_revoke(self, pick: int) -> None:
        """The council expels the rogue (now and then another BPR holder) and revokes its
        BPR, if it holds one."""
        m = self.model
        holders = [a for a in ACTORS if m.holds_bpr(ADDRESS[a])]
        who = holders[pick % len(holders)] if holders and pick < 12 else "rogue"
        self._membership(who, "expel", "council")
        self._revoke(who, "council")

    def set_tier(self, kind: int, price: int, caller: str) -> None:
        reason = self.model.set_tier(ADDRESS[caller], kind, price)
        self._send(reason, self.c.licensing.set_tier, kind, price, sender=ADDRESS[caller])

    def set_large_enterprise_rate(self, rate: int, caller: str) -> None:
        reason = self.model.set_large_enterprise_rate(ADDRESS[caller], rate)
        fn = self.c.licensing.set_large_enterprise_rate
        self._send(reason, fn, rate, sender=ADDRESS[caller])

    def set_min_term(self, term: int, caller: str) -> None:
        reason = self.model.set_min_term(ADDRESS[caller], term)
        self._send(reason, self.c.licensing.set_min_term, term, sender=ADDRESS[caller])

    @rule(change=setting_changes, caller=councils)
    def council_sets(self, change: tuple[Any, ...], caller: str) -> None:
        """The council (or an attacker) changes a tier price, the large-enterprise rate,
        the minimum term, the surcharge or the device schedule (each a function below)."""
        what, *args = change
        setters: dict[str, Callable[..., None]] = {
            "tier": self.set_tier,
            "rate": self.set_large_enterprise_rate,
            "term": self.set_min_term,
            "surcharge": self.set_surcharge,
            "schedule": self.set_device_schedule,
        }
        setters[what](*args, caller)

    @rule(change=outside_changes, caller=councils)
    def council_changes_alliance_or_pool(self, change: tuple[Any, ...], caller: str) -> None:
        """The council sets a member's market share in Alliance, or takes a pooled patent
        out of the pool (its listings stop selling)."""
        what, *args = change
        changers: dict[str, Callable[..., None]] = {
            "share": self.set_market_share,
            "removal": self.remove_patent,
            "sale": self.sell_patent,
        }
        changers[what](*args, caller)

    # -- the alliance ------------------------------------------------------------------------

    def _membership(self, who: str, action: str, caller: str) -> None:
        m, alliance = self.model, self.c.alliance
        fn, model_fn = {
            "suspend": (alliance.suspend, m.suspend),
            "reinstate": (alliance.reinstate, m.reinstate),
            "expel": (alliance.expel, m.expel),
        }[action]
        reason = model_fn(ADDRESS[caller], ADDRESS[who])
        self._send(reason, fn, ADDRESS[who], sender=ADDRESS[caller])

    @rule(who=targets, action=memberships, caller=councils)
    def membership(self, who: str, action: str, caller: str) -> None:
        """The council suspends, reinstates or expels a member."""
        self._membership(who, action, caller)

    @rule(who=st.sampled_from(["nonprofit", "sme"]), caller=councils)
    def revoke_centre_role(self, who: str, caller: str) -> None:
        """The council (or, refused, the attacker) takes a trusteeship centre's role away:
        it may no longer list licences of the patents it was named for."""
        reason = self.model.revoke_centre_role(ADDRESS[caller], ADDRESS[who])
        role = int(Role.TRUSTEESHIP_CENTRE)
        fn = self.c.alliance.revoke_role
        self._send(reason, fn, ADDRESS[who], role, sender=ADDRESS[caller])

    def set_market_share(self, who: str, share: int, caller: str) -> None:
        reason = self.model.set_market_share(ADDRESS[caller], ADDRESS[who], share)
        fn = self.c.alliance.set_market_share
        self._send(reason, fn, ADDRESS[who], share, sender=ADDRESS[caller])

    # -- per-patent licences -----------------------------------------------------------------

    def sell_patent(self, pick: int, buyer: str, caller: str) -> None:
        """The exchange (or, refused, the attacker) records a pooled patent's sale: a new
        tenure, in which the seller's listings no longer sell and the buyer consents."""
        m = self.model
        pid = PATENT_IDS[pick % 3]
        patent = m.patents[pid]
        who = patent.contributor if buyer == "seller" else ADDRESS[buyer]
        sender = ADDRESS["exchange" if caller == "council" else caller]
        reason = m.assign(sender, ADDRESS["exchange"], pid, who)
        self._send(reason, self.c.pool.assign, pid, who, sender=sender)
        if reason is None:
            assert self.c.pool.tenure_of(pid) == patent.tenure
            self.consent[(pid, patent.tenure)] = {patent.contributor}
            self._dirty.update(ACTORS)  # royalty weights moved

    def remove_patent(self, pick: int, code: int, caller: str) -> None:
        """The council takes a pooled patent out of the pool: its listings stop selling."""
        pid = PATENT_IDS[pick % 3]
        if not self.model.is_pooled(pid):
            return
        reason = self.model.remove_patent(ADDRESS[caller], pid, code)
        self._send(reason, self.c.pool.remove, pid, code, sender=ADDRESS[caller])

    @rule(
        pick=picks,
        lister=listers,
        price=listing_prices,
        duration=durations,
        field_of_use=fields_of_use,
        territory=territories,
    )
    def list_terms(
        self, pick: int, lister: str, price: int, duration: int, field_of_use: str, territory: str
    ) -> None:
        m, c = self.model, self.c
        pid = NEVER_POOLED if pick >= 60 else PATENT_IDS[pick % 3]
        patent = m.patents.get(pid)
        sender = ADDRESS["attacker"] if lister in ("contributor", "centre") else ADDRESS[lister]
        if patent is not None and lister == "contributor":
            sender = patent.contributor
        elif patent is not None and lister == "centre" and patent.centre != ZERO_ADDRESS:
            sender = patent.centre
        reason, listing_id = m.list_terms(sender, pid, price, duration, field_of_use, territory)
        args = (pid, price, duration, field_of_use, territory)
        out = self._send(reason, c.licensing.list_terms, *args, sender=sender)
        if reason is None:
            assert out == listing_id
            listing = m.listing(listing_id)
            assert listing is not None
            assert tuple(c.licensing.listings(listing_id)) == struct_of(listing)

    def _listing_id(self, pick: int, active_first: bool) -> int:
        """A known listing (an active one if asked and any), or one that does not exist."""
        listings = self.model.listings
        if not listings or pick >= 58:
            return [0, len(listings) + 1][pick % 2]
        ids = [i + 1 for i, x in enumerate(listings) if x.active or not active_first]
        ids = ids or list(range(1, len(listings) + 1))
        return ids[pick % len(ids)]

    @rule(
        pick=picks,
        by=st.sampled_from(["lister", "lister", "contributor", "attacker", "council", "sme"]),
    )
    def delist(self, pick: int, by: str) -> None:
        """The lister, the patent's current contributor (a new owner after a sale), or
        someone else (refused) withdraws a listing."""
        m, c = self.model, self.c
        listing_id = self._listing_id(pick, active_first=True)
        listing = m.listing(listing_id)
        sender = ADDRESS["attacker" if by in ("lister", "contributor") else by]
        if listing is not None and by == "lister":
            sender = listing.lister
        elif listing is not None and by == "contributor":
            sender = m.patents[listing.patent].contributor
        reason = m.delist(sender, listing_id)
        self._send(reason, c.licensing.delist, listing_id, sender=sender)
        if listing is not None:
            assert tuple(c.licensing.listings(listing_id)) == struct_of(listing)

    @rule(pick=picks, buyer=everyone, approval=approvals, funded=fundings)
    def buy(self, pick: int, buyer: str, approval: str, funded: bool) -> None:
        """Someone buys a per-patent licence: a member pays the price, anyone else the price
        and the surcharge."""
        m, c = self.model, self.c
        sender = ADDRESS[buyer]
        listing_id = self._listing_id(pick, active_first=pick % 4 != 0)
        listing = m.listing(listing_id)
        if listing is not None:
            price = listing.price
            self._pay_with(sender, price + m.surcharge_for(sender, price), approval, funded)
        reason, licence_id, surcharge = m.buy(sender, listing_id)
        out = self._send(reason, c.licensing.buy, listing_id, sender=sender)
        if reason is None:
            assert out == licence_id
            bought = self._events("LicenceBought")
            licence = m.licence(licence_id)
            assert listing is not None and licence is not None
            assert [(e.price, e.surcharge) for e in bought] == [(listing.price, surcharge)]
            assert tuple(c.licensing.licences(licence_id)) == struct_of(licence)
            # nothing is licensed without its owner's consent: the listing was made in the
            # patent's current tenure by its contributor of that tenure
            tenure = c.pool.tenure_of(listing.patent)
            assert c.licensing.listings(listing_id).tenure == tenure
            self.sold_in[licence_id] = tenure
            note_event("buy: with a surcharge" if surcharge else "buy: no surcharge")

    # -- per-device licences -----------------------------------------------------------------

    def _count(self, maker: str, count: int | str) -> int:
        if isinstance(count, int):
            return count
        m = self.model
        s = m.schedule
        before = m.devices_in_year.get((maker, m.year), 0)
        target = {
            "to free": s.free_per_year,
            "past free": s.free_per_year + 1,
            "to break": max(s.volume_break, s.free_per_year),
            "past break": max(s.volume_break, s.free_per_year) + 1,
        }.get(count)
        if target is None:  # "to cap": enough high-rate devices to reach the cap
            rate = s.high_rate or s.low_rate or 1
            target = before + min(-(-max(s.annual_cap, 1) // rate), 10**9)
        return max(target - before, 1)

    @rule(
        maker=makers,
        product=products,
        serial_set=serial_sets,
        root=roots,
        count=counts,
        approval=approvals,
        funded=fundings,
    )
    def register_batch(
        self,
        maker: str,
        product: str,
        serial_set: tuple[int, int],
        root: str,
        count: int | str,
        approval: str,
        funded: bool,
    ) -> None:
        """A maker registers a batch of devices and pays the volume schedule's fee."""
        m, c = self.model, self.c
        sender = ADDRESS[maker]
        how_many, first = serial_set
        if root == "oversized":
            how_many += 8
        product_bytes = EMPTY if product == "empty" else product_id(product)
        batch_serials = tuple(serials(product, how_many, first))
        root_bytes = EMPTY if root == "empty" else DeviceTree(batch_serials).root
        n = how_many if count == "exact" else self._count(sender, count)
        due = m.device_fee(sender, n)
        assert c.licensing.device_fee(sender, n) == due
        self._pay_with(sender, due, approval, funded)
        year = m.year
        reason, batch_id, fee, surcharge = m.register_batch(
            sender, product_bytes, batch_serials, root_bytes, n
        )
        out = self._send(
            reason, c.licensing.register_batch, product_bytes, root_bytes, n, sender=sender
        )
        if reason is None:
            assert out == batch_id and fee + surcharge == due
            logs = self._events("BatchRegistered")
            assert [(e.count, e.fee, e.surcharge) for e in logs] == [(n, fee, surcharge)]
            batch = m.batch(batch_id)
            assert batch is not None
            assert tuple(c.licensing.batches(batch_id)) == struct_of(batch)
            assert c.licensing.devices_in_year(sender, year) == m.devices_in_year[(sender, year)]
            assert c.licensing.paid_in_year(sender, year) == m.paid_in_year.get((sender, year), 0)
            s = m.schedule
            if s.annual_cap and m.paid_in_year.get((sender, year), 0) == s.annual_cap:
                note_event("register_batch: the annual cap reached")
            if fee == 0:
                note_event("register_batch: free")
            if surcharge:
                note_event("register_batch: a non-member's surcharge")
            if n < how_many:
                note_event("register_batch: a tree over more devices than paid for")
            # every device of the tree, shown at its position: the chain licenses exactly
            # those the model does, never more than the count paid for
            tree = DeviceTree(batch_serials)
            shown = [
                i
                for i, s in enumerate(batch_serials)
                if c.licensing.verify_device(batch_id, i, s, tree.proof(s))
            ]
            assert shown == [
                i
                for i, s in enumerate(batch_serials)
                if m.verify_device(batch_id, i, s, tree.proof(s))
            ]
            self.devices_shown[batch_id] = len(shown)

    def set_device_schedule(self, schedule: tuple[int, ...], caller: str) -> None:
        s = DeviceSchedule(*schedule)
        reason = self.model.set_device_schedule(ADDRESS[caller], s)
        fn = self.c.licensing.set_device_schedule
        self._send(reason, fn, struct_of(s), sender=ADDRESS[caller])

    def set_surcharge(self, bps: int, caller: str) -> None:
        reason = self.model.set_surcharge(ADDRESS[caller], bps)
        self._send(reason, self.c.licensing.set_surcharge, bps, sender=ADDRESS[caller])

    @rule(pick=picks, check=device_checks, which=st.integers(0, 12))
    def verify_device(self, pick: int, check: str, which: int) -> None:
        """A device shows its licence from its position: a real proof, another device's
        serial with that proof, another position, a position past the count paid for
        (the attacker's oversized tree), a proof one hash short, a tampered proof, the
        proof against another batch or a batch that does not exist."""
        m = self.model
        batches = m.batches
        index = 0
        if not batches:
            batch_id, serial, proof = 1, serials("phone-x", 1)[0], []
        else:
            batch_id = pick % len(batches) + 1
            batch = batches[batch_id - 1]
            tree = DeviceTree(batch.serials)
            index = which % len(batch.serials)
            if check == "past count":
                index = min(batch.count, len(batch.serials) - 1)
            serial = batch.serials[index]
            proof = tree.proof(serial)
            if check == "wrong serial":
                serial = serials("phone-x", 1, start=1_000 + which)[0]
            elif check == "other index":
                index ^= 1
            elif check == "short proof" and proof:
                proof = proof[:-1]
            elif check == "tampered" and proof:
                proof = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
            elif check == "other batch":
                batch_id = (batch_id % len(batches)) + 1
            elif check == "no batch":
                batch_id = [0, len(batches) + 1][pick % 2]
        expected = m.verify_device(batch_id, index, serial, proof)
        assert self.c.licensing.verify_device(batch_id, index, serial, proof) == expected
        note_event(f"verify_device: {check} -> {expected}")

    # -- licence claims ----------------------------------------------------------------------

    @rule(who=everyone, step=nonce_steps)
    def cancel_claims(self, who: str, step: int) -> None:
        sender = ADDRESS[who]
        below = self.model.nonce_floor.get(sender, 0) + step
        reason = self.model.cancel_claims(sender, below)
        self._send(reason, self.c.licensing.cancel_claims, below, sender=sender)

    def _claimant(self, which: str, pick: int) -> str:
        """A BPR holder for a BPR claim, a licensee (with an ended licence if asked) for a
        per-patent one; the start-up when there is none."""
        m = self.model
        if which == "bpr":
            found = sorted(m.holdings)
        elif which == "ended":
            found = sorted({x.licensee for x in m.licences if x.end <= m.now})
        else:
            found = sorted({x.licensee for x in m.licences})
        return found[pick % len(found)] if found else ADDRESS["startup"]

    def _claim_licence(self, holder: str, which: str, pick: int) -> int:
        m = self.model
        licences = list(enumerate(m.licences, start=1))
        own = [i for i, x in licences if x.licensee == holder]
        others = [i for i, x in licences if x.licensee != holder]
        ended = [i for i, x in licences if x.licensee == holder and x.end <= m.now]
        chosen = {"own": own, "other's": others, "ended": ended}.get(which, [])
        if which == "bpr" or (which != "unknown" and not chosen):
            return 0
        if which == "unknown":
            return len(licences) + 1 + pick
        return chosen[pick % len(chosen)]

    def _signature(self, claim: claims.LicenceClaim, how: str) -> bytes:
        holder_key = KEYS[self.who[claim.holder]]
        domain = {
            "other chain": claims.domain(self.chain_id + 1, self.names["licensing"]),
            "other contract": claims.domain(self.chain_id, str(self.c.bpr.address)),
        }.get(how, self.domain)
        key = KEYS["attacker" if self.who[claim.holder] != "attacker" else "licensee"]
        sig = eip712.sign(claim.typed(domain), key if how == "other key" else holder_key)
        r, s, v = sig[:32], int.from_bytes(sig[32:64], "big"), sig[64]
        if how == "high s":
            return r + (eip712.SECP256K1_N - s).to_bytes(32, "big") + bytes([55 - v])
        if how == "bad v":
            return sig[:64] + bytes([v + 2])
        if how == "unrecoverable":
            return bytes(32) + sig[32:]
        if how == "short":
            return sig[:64]
        return sig

    @rule(
        who=claimants,
        which=claim_licences,
        how=claim_signatures,
        expiry=claim_expiries,
        nonce=claim_nonces,
        pick=picks,
    )
    def verify_claim(
        self, who: str, which: str, how: str, expiry: str, nonce: str, pick: int
    ) -> None:
        """A holder's signed claim is checked on chain, by the model, by bpsa.core.claims on the
        chain's facts and by the QR verifier's judgement of its code: all four answer the
        same number of pooled patents licensed (0: not licensed)."""
        self._verify_claim(who, which, how, expiry, nonce, pick)

    def _verify_claim(
        self, who: str, which: str, how: str, expiry: str, nonce: str, pick: int
    ) -> bool:
        m, c = self.model, self.c
        holder = ADDRESS[who] if who in ADDRESS else self._claimant(which, pick)
        licence_id = self._claim_licence(holder, which, pick)
        floor = m.nonce_floor.get(holder, 0)
        claim = claims.LicenceClaim(
            holder=holder,
            licence=licence_id,
            subject=keccak(text=f"device {pick}"),
            expiry={
                "later": m.now + DAY,
                "now": m.now,
                "past": m.now - 1,
                "next second": m.now + 1,
            }[expiry],
            nonce={"floor": floor, "above": floor + 3, "below": max(floor - 1, 0)}[nonce],
        )
        signature = self._signature(claim, how)
        expected = m.claim_covers(holder, licence_id, claim.expiry, claim.nonce, how == "holder")
        on_chain = c.licensing.verify_claim(claim.as_arg(), signature)
        facts = claims.read_facts(c.licensing, claim)
        assert facts.now == m.now
        off_chain = claims.verify(claim, signature, self.domain, facts)
        why = off_chain.why
        assert on_chain == expected, (on_chain, expected, why)
        assert (off_chain.covers, off_chain.holds) == (expected, expected > 0), (expected, why)
        scanned = qr.judge_claim(
            qr.ClaimPayload(self.chain_id, self.names["licensing"], claim, signature), facts
        )
        assert (scanned.licensed, scanned.covers) == (expected > 0, expected)
        note_event(f"verify_claim: {'holds' if expected else re.sub(r'[0-9]+', 'N', why)}")
        return expected > 0

    # -- time --------------------------------------------------------------------------------

    @rule(seconds=waits)
    def wait(self, seconds: int) -> None:
        self._wait_until(self.model.now + seconds)

    @rule(pick=picks, edge=edges, offset=offsets)
    def wait_for_edge(self, pick: int, edge: str, offset: int) -> None:
        """Jump to the next licensing year, a lock's end or a licence's end, on the second
        or one either side."""
        m = self.model
        if edge == "year":
            at = (m.year + 1) * YEAR
        elif edge == "unlock":
            ends = sorted(h.unlocks_at for h in m.holdings.values() if h.locked)
            at = ends[pick % len(ends)] if ends else 0
        else:
            ends = sorted(x.end for x in m.licences if x.end > m.now)
            at = ends[pick % len(ends)] if ends else 0
        if at:
            self._wait_until(at + offset)

    # -- invariants --------------------------------------------------------------------------

    def _actor_view(self, name: str) -> tuple[Any, ...]:
        """(holds a BPR, nonce floor, (locked, unlocks_at, granted), price_of, BPC)."""
        lic, x = self.c.licensing, ADDRESS[name]
        holding = (lic.locked(x), lic.unlocks_at(x), lic.granted(x))
        floor = lic.claim_nonce_floor(x)
        return (self.c.bpr.balanceOf(x), floor, holding, lic.price_of(x), self.c.bpc.balanceOf(x))

    def view(self) -> dict[str, Any]:
        """What the invariants read from the chain, read once per state (storage changes
        only with a successful transaction, time only with a wait). Each actor's views
        are re-read when a transaction named it or a setting changed; each listing, licence
        and batch is compared when it is made or changed (in its rule), `is_licensed` of
        every licence in every state."""
        key = (self.version, self.model.now)
        if self._view is not None and self._view_key == key:
            return self._view
        c, m = self.c, self.model
        lic = c.licensing
        for name in self._dirty:
            self._actor_views[name] = self._actor_view(name)
        self._dirty = set()
        if self._settings is None:
            self._settings = (
                [lic.tier_price(k) for k in range(7)],
                lic.large_enterprise_price_per_bps(),
                lic.min_term(),
                lic.surcharge_bps(),
                tuple(lic.device_schedule()),
            )
        year = m.year
        actors = self._actor_views
        self._view = {
            "bpr": {a: actors[a][0] for a in ACTORS},
            "floors": {a: actors[a][1] for a in ACTORS},
            "holdings": {a: actors[a][2] for a in ACTORS},
            "prices": {a: actors[a][3] for a in ACTORS},
            "balances": {
                **{a: actors[a][4] for a in ACTORS},
                **{n: c.bpc.balanceOf(self.names[n]) for n in ("fund", "royalties", "licensing")},
            },
            "bpr_supply": c.bpr.totalSupply(),
            "counters": (lic.conversions(), lic.grants(), lic.total_locked()),
            "fees": (lic.fees_to_royalties(), lic.fees_to_fund(), lic.surcharges_to_fund()),
            "royalties": (c.royalties.fees_in(), c.royalties.paid_to_fund()),
            "claimable": {a: c.royalties.claimable(ADDRESS[a]) for a in EARNERS},
            "supply": c.bpc.totalSupply(),
            "settings": self._settings,
            "counts": (lic.listing_count(), lic.licence_count(), lic.batch_count()),
            "open": [lic.is_open(i) for i in range(len(m.listings) + 2)],
            "open_terms": {
                terms: lic.open_listings(lic.terms_key(*terms))
                for terms in {x.terms() for x in m.listings}
            },
            "licensed": [lic.is_licensed(i) for i in range(len(m.licences) + 2)],
            "devices": {
                x: (lic.devices_in_year(x, year), lic.paid_in_year(x, year), lic.device_fee(x, 1))
                for x in {b.maker for b in m.batches}
            },
        }
        self._view_key = key
        return self._view

    def check_all_invariants(self) -> None:
        """Every invariant, for the scripted tests below."""
        self.one_bpr_at_most_and_every_bpr_counted()
        self.every_bpr_is_backed_by_its_lock_or_a_grant()
        self.nothing_is_licensed_without_its_owners_consent()
        self.device_fees_match_the_trees_real_size()
        self.every_lock_is_its_quoted_price()
        self.fees_reach_royalties_and_surcharges_the_fund()
        self.views_agree_with_model()

    @invariant()
    def one_bpr_at_most_and_every_bpr_counted(self) -> None:
        v, m = self.view(), self.model
        assert all(b in (0, 1) for b in v["bpr"].values())
        assert v["bpr"] == {a: int(m.holds_bpr(ADDRESS[a])) for a in ACTORS}
        conversions, grants, _ = v["counters"]
        assert v["bpr_supply"] == conversions + grants == sum(v["bpr"].values())
        assert (conversions, grants) == (m.conversions, m.grants)
        assert m.conversions + m.grants == m.converted + m.granted - m.released - m.revoked

    @invariant()
    def every_bpr_is_backed_by_its_lock_or_a_grant(self) -> None:
        """Whoever holds a BPR either locked at least 1 wei for it (and Licensing holds
        every lock) or was granted it by the council as a non-profit; and only a holder
        has a record (the desk asks its record, not BPR, whether someone holds one)."""
        v = self.view()
        for a in ACTORS:
            locked, _, granted = v["holdings"][a]
            assert bool(v["bpr"][a]) == (locked != 0 or granted)
            if v["bpr"][a]:
                locked, _, granted = v["holdings"][a]
                if granted:
                    assert locked == 0 and self.granted_kind[ADDRESS[a]] == Kind.NON_PROFIT
                else:
                    assert locked >= 1
        _, _, total_locked = v["counters"]
        assert v["balances"]["licensing"] == total_locked

    @invariant()
    def nothing_is_licensed_without_its_owners_consent(self) -> None:
        """Every per-patent licence was sold on a listing made in the patent's tenure then
        current, by its contributor or the centre it had named in that tenure."""
        for licence_id, licence in enumerate(self.model.licences, 1):
            listing = self.model.listing(licence.listing)
            assert listing is not None
            tenure = self.sold_in[licence_id]
            assert listing.tenure == tenure
            assert listing.lister in self.consent[(licence.patent, tenure)]

    @invariant()
    def device_fees_match_the_trees_real_size(self) -> None:
        """No batch licenses more devices than it paid for, whatever its root holds."""
        for batch_id, shown in self.devices_shown.items():
            batch = self.model.batch(batch_id)
            assert batch is not None and shown <= batch.count

    @invariant()
    def every_lock_is_its_quoted_price(self) -> None:
        """A converted holder locks exactly what it was quoted when it converted (at least
        1 wei) until then plus the term in force; a granted BPR locks nothing; Licensing's
        BPC is the sum of the locks."""
        v, m = self.view(), self.model
        for a in ACTORS:
            h = m.holdings.get(ADDRESS[a])
            chain = v["holdings"][a]
            if h is None:
                assert chain == (0, 0, False), a
            elif h.granted:
                assert chain == (0, 0, True), a
            else:
                assert chain == (h.price_then, h.unlocks_at, False), a
                assert h.price_then >= 1
        _, _, total_locked = v["counters"]
        locks = sum(locked for locked, _, _ in v["holdings"].values())
        assert v["balances"]["licensing"] == total_locked == locks == m.total_locked

    @invariant()
    def fees_reach_royalties_and_surcharges_the_fund(self) -> None:
        v, m = self.view(), self.model
        to_royalties, fees_to_fund, to_fund = v["fees"]
        fees_in, paid_to_fund = v["royalties"]
        fees_in -= self.baseline["fees_in"]
        paid_to_fund -= self.baseline["paid_to_fund"]
        assert (to_royalties, fees_to_fund) == (m.fees_to_royalties, m.fees_to_fund)
        assert to_royalties + fees_to_fund == m.paid_by_buyers + m.paid_by_makers
        assert fees_in == to_royalties
        assert v["balances"]["royalties"] - self.baseline["royalties"] == fees_in - paid_to_fund
        assert to_fund == m.surcharges_paid == m.surcharges_to_fund
        fund_gain = v["balances"]["fund"] - self.baseline["fund"]
        assert fund_gain == paid_to_fund + fees_to_fund + to_fund
        assert paid_to_fund == m.royalties.paid_to_fund
        assert v["claimable"] == {a: m.royalties.claimable(ADDRESS[a]) for a in EARNERS}

    @invariant()
    def views_agree_with_model(self) -> None:
        v, m = self.view(), self.model
        assert v["balances"] == {n: m.token.balance(self.names[n]) for n in self.tracked}
        assert v["supply"] == m.token.supply
        assert v["prices"] == {a: m.price_of(ADDRESS[a]) for a in ACTORS}
        assert v["floors"] == {a: m.nonce_floor.get(ADDRESS[a], 0) for a in ACTORS}
        tiers, rate, term, surcharge, schedule = v["settings"]
        assert tiers == [m.tiers.get(k, 0) for k in range(7)]
        assert (rate, term, surcharge) == (m.large_enterprise_rate, m.min_term, m.surcharge_bps)
        assert schedule == struct_of(m.schedule)
        assert v["counts"] == (len(m.listings), len(m.licences), len(m.batches))
        assert v["open"] == [m.is_open(i) for i in range(len(m.listings) + 2)]
        assert v["open_terms"] == {t: m.open_listings(t) for t in v["open_terms"]}
        assert v["licensed"] == [m.is_licensed(i) for i in range(len(m.licences) + 2)]
        year = m.year
        assert v["devices"] == {
            x: (
                m.devices_in_year.get((x, year), 0),
                m.paid_in_year.get((x, year), 0),
                m.device_fee(x, 1),
            )
            for x in v["devices"]
        }


TestLicensingAgreesWithModel = LicensingMachine.TestCase
# A step reads ~25 views after a successful transaction (~30 ms); `ci` runs 50 examples of
# up to 50 steps, about half a minute on two cores.
TestLicensingAgreesWithModel.settings = active_settings()


# -- scripted paths through the same machine (every run, whatever hypothesis draws) ----------


@contextlib.contextmanager
def started_machine() -> Iterator[LicensingMachine]:
    """A machine with an example's start: three listings at 1 BPC for a year, one batch,
    and the individual holding a converted BPR."""
    machine = LicensingMachine()
    try:
        machine.start([(BPC, YEAR)] * 3, (3, 0), "individual")
        yield machine
        machine.check_all_invariants()
    finally:
        machine.teardown()


def test_release__term_shortened_after_conversion__lock_keeps_its_term() -> None:
    """The start-up converts under a 30-day term; the council drops the term to 0. The SME,
    converting after, may release at once; the start-up is refused a second before its
    30 days end and released on the second."""
    with started_machine() as machine:
        m, lic = machine.model, machine.c.licensing
        startup, sme = ADDRESS["startup"], ADDRESS["sme"]
        converted_at, before = m.now, machine.c.bpc.balanceOf(startup)
        machine.convert("startup", "exact", True)
        machine.set_min_term(0, "council")
        machine.convert("sme", "exact", True)
        assert lic.unlocks_at(startup) == converted_at + LICENSING.min_term
        assert lic.unlocks_at(sme) == m.now
        machine.release(1, "now")  # the SME (the second converted holder)
        assert machine.c.bpr.balanceOf(sme) == 0
        machine.check_all_invariants()
        machine.release(0, "before")
        assert machine.c.bpr.balanceOf(startup) == 1
        assert m.now == converted_at + LICENSING.min_term - 1
        machine.release(0, "at")
        assert machine.c.bpr.balanceOf(startup) == 0
        assert machine.c.bpc.balanceOf(startup) == before  # it held its price already


def test_register_batch__across_a_licensing_year__allowance_and_cap_restart() -> None:
    """A second before a licensing year ends, the large enterprise registers 10^9 devices
    and pays the annual cap; one more device is free (capped). On the new year's first
    second the free allowance is back and the next device past it pays the low rate."""
    with started_machine() as machine:
        m, lic = machine.model, machine.c.licensing
        maker = ADDRESS["enterprise"]
        machine._wait_until((m.year + 1) * YEAR - 1)
        year = m.year
        machine.register_batch("enterprise", "tv-9", (3, 0), "tree", 10**9, "exact", True)
        assert lic.paid_in_year(maker, year) == LICENSING.device_annual_cap
        machine.register_batch("enterprise", "tv-9", (2, 1), "tree", 1, "zero", False)
        assert lic.devices_in_year(maker, year) == 10**9 + 1
        machine.wait_for_edge(0, "year", 0)
        assert m.year == year + 1 and lic.device_fee(maker, LICENSING.devices_free_per_year) == 0
        machine.register_batch("enterprise", "tv-9", (1, 0), "tree", "past free", "exact", True)
        assert lic.paid_in_year(maker, year + 1) == LICENSING.device_low_rate
        assert lic.devices_in_year(maker, year + 1) == LICENSING.devices_free_per_year + 1


def test_revoke__expelled_converted_holder__lock_returned_and_claims_fail() -> None:
    """The rogue start-up converts and its BPR claim holds; the council expels it: it may
    not convert again, its BPR is revoked with its 20 BPC returned, and the same claim no
    longer holds."""
    with started_machine() as machine:
        rogue = ADDRESS["rogue"]
        machine.convert("rogue", "exact", True)
        assert machine._verify_claim("rogue", "bpr", "holder", "later", "floor", 0)
        machine.membership("rogue", "expel", "council")
        machine.convert("rogue", "exact", False)  # refused: not an active member
        machine._revoke("rogue", "council")
        assert machine.c.bpc.balanceOf(rogue) == LICENSING.start_up
        assert machine.c.bpr.balanceOf(rogue) == 0
        assert not machine._verify_claim("rogue", "bpr", "holder", "later", "floor", 0)


def test_buy__non_member__pays_surcharge_and_claim_ends_with_licence() -> None:
    """The licensee (not a member) buys a 1-BPC licence for a year and pays 20% on top to
    the fund; its claim on that licence holds until the licence's last second, not after."""
    with started_machine() as machine:
        m = machine.model
        fund_before = machine.c.bpc.balanceOf(machine.names["fund"])
        machine.buy(0, "licensee", "exact", True)
        licence = m.licence(1)
        assert licence is not None and licence.licensee == ADDRESS["licensee"]
        surcharge = BPC * LICENSING.surcharge_bps // 10_000
        assert machine.c.licensing.surcharges_to_fund() == surcharge
        assert m.royalties.paid_to_fund == 0  # nothing went through the royalty split
        # a non-member's fee enters the fund in full (whitepaper 3.3), with its surcharge
        assert machine.c.bpc.balanceOf(machine.names["fund"]) == fund_before + surcharge + BPC
        machine._wait_until(licence.end - 1)
        assert machine._verify_claim("licensee", "own", "holder", "later", "floor", 0)
        machine.wait_for_edge(0, "licence end", 0)
        assert not machine._verify_claim("licensee", "own", "holder", "later", "floor", 0)
        assert not machine.c.licensing.is_licensed(1)


def test_verify_claim__holder_suspended_then_pool_emptied__licenses_nothing() -> None:
    """The individual's BPR claim covers the three pooled patents; suspended, it licenses
    nothing; reinstated, it covers them again; once the council has taken every patent
    out of the pool it licenses nothing, as the model says."""
    with started_machine() as machine:
        m, lic = machine.model, machine.c.licensing
        assert machine._verify_claim("individual", "bpr", "holder", "later", "floor", 0)
        machine.membership("individual", "suspend", "council")
        assert not machine._verify_claim("individual", "bpr", "holder", "later", "floor", 0)
        machine.membership("individual", "reinstate", "council")
        assert machine._verify_claim("individual", "bpr", "holder", "later", "floor", 0)
        for pick in range(3):
            machine.remove_patent(pick, 1, "council")
        assert m.pooled_count() == 0 and lic.claim_facts(ADDRESS["individual"], 0)[6] == 0
        assert not machine._verify_claim("individual", "bpr", "holder", "later", "floor", 0)
