"""The pool against a Python model: a hypothesis state machine over one collection.

The chain is titanoboa's EVM (a real EVM in-process, about a millisecond a transaction).
A module fixture deploys the contracts once, in the order of `bpsa.sdk.deploy.deploy_pool`
(Certificates, Fund, then BPC and Royalties naming the pool's address computed from the
deployer's nonce, then PatentPool), under an Alliance whose owner, and the owner of every
pool contract, is a plain address standing in for the council; titanoboa's pytest plugin
runs each example in a snapshot of that state. Time moves only when a rule waits: the
transactions of a step share the block's timestamp; waits jump to a certificate's expiry, a
usage right's end or a re-rating date, on the second or one either side.

Actors, named by role: two providers (the SME is also a trusteeship centre, so one account
earns on both sides), a trusteeship centre, five experts (the second is also a trusteeship
centre, the third also a provider: neither may rate a patent it manages or contributed;
the fifth, `rogue`, casts extreme ballots to set a value), three oracles (eth_account keys;
two or three sign, through bpsa.core.certificates), a licensee, an attacker (a stranger with no
membership: it calls the council's and the exchange's functions, buys patents from the
exchange stand-in and then earns on them), the exchange (an account the council names, as
the Exchange would record sales) and a patent owner abroad (not a member: a usage right's
owner). The fund contributes the purchased and filed patents; their royalties accrue to
it, but Fund.vy has no function that claims them, so the machine never claims as the fund.

Each example starts with one to three patents pooled (in two examples in three, each
under a mandate its nominee accepted). Rules: submit (well-formed and
malformed keys, every source, with and without a centre), attest (valid, expired, naming
another owner, a member or the last seller, not in force, for another document, with a
used nonce), certify, rate (any expert, the rogue or a provider; any score and valuation;
a quorum of three), re-rate (a round, after waiting until it is due), a rogue round (one
extreme ballot before, between or after two honest ones), pool (the council; anyone else
is refused), a whole lifecycle in one step (sometimes with dust valuations), remove, remove
under a raised core threshold, a certificate lapsing then expiry (within or past the grace
period), expire, a member's expired patent paid late and pooled again, sales on the
exchange (and a stranger posing as it), past sellers submitting a sold patent again after
it left, the council clearing a seller, the grace period, revoke, withdraw, waits (to a
certificate's expiry, the end of its grace period, a usage right's end, a re-rating date),
fees (from 1 wei, approved or not, then everyone claims), claim, transfer and burn BPC,
changes to the royalty split or the core threshold, and royalty weight moved by anyone but
the pool (an attacker, a centre, a contributor, the council: refused). Trusteeship
mandates (issue 17, point 4): offers (by the contributor of record, the council for the
fund's patents; by the council or a stranger for a member's patent, or to the contributor
itself, nobody, a non-centre, with empty terms, a share above the council's centre share,
an expiry not in the future: refused; a re-offer replaces an open offer or ends an
expired mandate, and is refused while one is in force), acceptances (the centre offered,
on the exact terms; changed terms, another centre, the contributor or a stranger:
refused), endings (either party at any time; a stranger, the council or another centre
only once the mandate expired or its centre lost the role), the council revoking and
granting back a centre's role, waits to a mandate's expiry, and fees one patent earned
alone (`Royalties.pay_for`), alone or around a mandate's end. The model
(pool_model.py) predicts, for every transaction, success or the exact revert reason.

Invariants, after every step: BPC's supply is the sum of every balance; the registry
(tenure included), pooled value and royalty ledger agree with the model; pooled value is
the sum of the valuations of the patents the chain says are pooled; every pooling kept the
NAV (minted rounds against the minter, exact rational comparison; into a pool every patent
had left, the new contributor holds at least (1 - 10^-6) of it) and happened with a
certificate in force and a settled rating, judged from what the chain held in that block; a
patent mints to its contributor once in its life (pooled again, to the fund); every settled
round lies between its second-lowest and second-highest ballots (no single ballot sets a
rating); nobody's claim on pooled value rises without a new valuation backing it (the value
per BPC rises only in a step that settled a rating, pooled a patent or burned BPC, and falls
only where value left); a sale's certificate speaks only for the tenure it began, and each
seller of record stays one until it buys back or the council clears it; what was claimed
plus what is claimable plus what went to the fund never exceeds the fees paid in, the rest
is exactly the model's rounding dust and at most a wei per settlement; Royalties holds
exactly fees in minus claims minus the fund's shares (plus BPC sent to it by mistake), and
never less than what is claimable; each account's earnings are within a few wei below its
exact rational share of every fee (both shares over the whole pool's weight, a patent
without a centre keeping its centre part with its contributor); a trusteeship centre (the
attacker's seat in issue 15, finding 5) never earns more than the centres' share times its
patents' weight over the whole pool's. Mandates: each patent's offer or mandate and the
payees the pool names agree with the model; judged from the chain alone, a patent out of
the registry has no mandate and no centre, a centre the pool stores holds an accepted
mandate of the current tenure, and the pool names a centre only while its mandate is in
force (so no mandate survives a change of hands or the patent leaving); a centre that
contributes nothing earns at most what its accepted mandates give it, summed exactly from
Mandates' records (a fee a patent earns alone: only while the mandate is in force);
what `pay_for` credited is the model's, and every fee is split to the wei.

Profiles and statistics: tests/stateful/helpers.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import boa
import pytest
from eth_account import Account
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    initialize,
    invariant,
    rule,
)

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Kind, MandateState, PatentStatus, Role, Source
from tests.stateful.conftest import active_profile, active_settings
from tests.stateful.helpers import (
    DAY,
    IDENTITY,
    REASONING,
    YEAR,
    Deployed,
    PoolContracts,
    SnapshotMachine,
    admit,
    allowance_for,
    deploy_pool,
    note_event,
    pool_params,
)
from tests.stateful.pool_model import (
    NAV_ONE,
    ROUNDING_LOSS_MAX,
    ZERO_ADDRESS,
    MandateEnding,
    PoolModel,
    Record,
    RoyaltiesModel,
    patent_id,
)
from tests.stateful.records import struct_of

PARAMS = pool_params(oracle_threshold=2)
EMPTY = b"\x00" * 32
DOCUMENTS = (b"\xd1" * 32, b"\xd2" * 32)
REFERENCE = b"\x01" * 32
PATENT_REFERENCE = b"\x02" * 32  # what a fee one patent earned alone is for
TERMS = (b"\x7e" * 32, b"\x5a" * 32)  # two mandate agreements' CID digests


def address_of(name: str) -> str:
    """A fixed address per role name (never a precompile, never a contract)."""
    return str(to_checksum_address(keccak(text=f"bpsa pool stateful {name}")[-20:]))


ORACLE_KEYS = [keccak(text=f"bpsa pool stateful oracle {i}") for i in range(3)]
ORACLES = [str(Account.from_key(k).address) for k in ORACLE_KEYS]

# Members of the alliance and their roles (all active; membership does not change here).
MEMBERS: dict[str, tuple[Kind, Role]] = {
    "provider": (Kind.START_UP, Role.PROVIDER),
    "provider2": (Kind.SME, Role.PROVIDER | Role.TRUSTEESHIP_CENTRE),
    "centre": (Kind.NON_PROFIT, Role.TRUSTEESHIP_CENTRE),
    "expert1": (Kind.INDIVIDUAL, Role.EXPERT),
    "expert2": (Kind.INDIVIDUAL, Role.EXPERT | Role.TRUSTEESHIP_CENTRE),
    "expert3": (Kind.INDIVIDUAL, Role.EXPERT | Role.PROVIDER),
    "expert4": (Kind.INDIVIDUAL, Role.EXPERT),
    # an expert who casts the extremes (1 wei or 10^33, a score of 0 or 100) to set a value
    "rogue": (Kind.INDIVIDUAL, Role.EXPERT),
}
# `exchange`: the account the council names as the pool's exchange (it records sales).
OUTSIDERS = ("council", "deployer", "licensee", "attacker", "abroad", "exchange")
ADDRESS = {name: address_of(name) for name in (*MEMBERS, *OUTSIDERS)}
ADDRESS["zero"] = ZERO_ADDRESS
COUNCIL, DEPLOYER, ABROAD = ADDRESS["council"], ADDRESS["deployer"], ADDRESS["abroad"]

# Who holds BPC (minted to contributors, claimed, or passed on) and who may claim.
HOLDERS = ("provider", "provider2", "centre", "expert2", "expert3", "licensee", "attacker")
# Who may buy a patent on the exchange (the stand-in sells to anyone it is told).
BUYERS = ("provider", "provider2", "expert3", "fund", "attacker")
# Whose standing as a seller of record the invariants compare with the model.
SELLERS = ("provider", "provider2", "expert3", "fund", "attacker")
# The fund may hold royalty weight (it contributes the purchased and filed patents) but never
# claims: Fund.vy has no function that calls Royalties.claim, so its share stays claimable.
# The attacker earns once it buys a patent on the exchange (the stand-in sells to anyone).
EARNERS = ("provider", "provider2", "centre", "expert2", "expert3", "attacker", "fund")
CLAIMERS = ("provider", "provider2", "centre", "expert2", "expert3", "licensee", "attacker")
CONTRIBUTORS = ("provider", "provider2", "expert3", "attacker", "fund")
CENTRES = ("centre", "provider2", "expert2")
# Centres that contribute nothing: whatever they earn, they earn by a mandate.
PURE_CENTRES = ("centre", "expert2")


def deploy() -> PoolContracts:
    """The alliance and the pool, as bpsa.sdk.deploy.deploy_pool deploys them, with members."""
    c = deploy_pool(DEPLOYER, COUNCIL, PARAMS)
    c.pool.set_exchange(ADDRESS["exchange"], sender=COUNCIL)
    members = [(ADDRESS[n], kind, role, IDENTITY) for n, (kind, role) in MEMBERS.items()]
    members += [(o, Kind.NON_PROFIT, Role.ORACLE, IDENTITY) for o in ORACLES]
    admit(c.alliance, COUNCIL, members)
    return c


DEPLOYED = Deployed(deploy)


@pytest.fixture(scope="module", autouse=True)
def pool_deployment() -> Iterator[PoolContracts]:
    yield from DEPLOYED.once()


# -- strategies ------------------------------------------------------------------------------

# An index into the known patents, latest first; 60 and above: a key never submitted.
picks = st.integers(min_value=0, max_value=63)
UNKNOWN = patent_id("JP", "404")

KEYS = [("US", "1"), ("US", "2"), ("EP", "1"), ("EP", "2"), ("CN", "ZL201810123456.7")]
MALFORMED = [
    ("us", "1"),
    ("USA", "1"),
    ("U1", "1"),
    ("US", ""),
    ("US", "-12"),
    ("US", "12a"),
    ("US", "1" * 33),
    ("US", "A B"),
]
keys = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), st.sampled_from(MALFORMED))
documents = st.sampled_from([DOCUMENTS[0], DOCUMENTS[0], DOCUMENTS[1], EMPTY])
sources = st.sampled_from([1, 1, 1, 4, 4, 2, 3, 0, 5])
good_sources = st.sampled_from([1, 4, 1, 4, 2, 3])
centres = st.sampled_from(["none", "none", "centre", "provider2", "expert2", "licensee"])
good_centres = st.sampled_from(["none", "centre", "centre", "provider2", "expert2"])
# "auto": a provider for contributed patents and usage rights, the council for the fund's.
submitters = st.sampled_from(
    ["auto", "auto", "auto", "auto", "provider2", "expert3", "council", "attacker"]
)
right_ends = st.sampled_from(["auto", "auto", "auto", "day", "now", "zero", "year"])
cert_kinds = st.sampled_from(
    [
        "valid",
        "valid",
        "valid",
        "expired",
        "other owner",
        "member owner",
        "not in force",
        "other document",
        "used nonce",
        "last seller",
    ]
)
validity = st.sampled_from([1, DAY, 30 * DAY, 400 * DAY, 3 * YEAR])
signer_sets = st.sampled_from([(0, 1), (0, 2), (1, 2), (0, 1, 2)])
raters = st.sampled_from(["expert1", "expert2", "expert3", "expert4", "rogue", "provider"])
# Any score and valuation, the edges included (hypothesis favours the first of a
# sampled_from, so edges come first where they are the point).
scores = st.one_of(st.integers(0, 100), st.sampled_from([59, 60, 61, 100, 101]))
valuations = st.one_of(
    st.sampled_from([1, 99, 100, 101, 10**18, 50_000 * 10**18, 10**33, 10**33 + 1, 0]),
    st.integers(1, 10**24),
)
# Ratings a lifecycle is meant to pass with: at or above the core, worth at least 1 USD
# (0.01 BPC at the initial NAV), so that pooled patents and BPC holders are common.
good_scores = st.integers(60, 100)
good_valuations = st.one_of(
    st.integers(10**18, 10**24), st.sampled_from([50_000 * 10**18, 10**33, 3 * 10**18 + 7])
)
anyone = st.sampled_from(["attacker", "licensee", "provider", "council"])
councils = st.sampled_from(["council", "council", "council", "attacker"])
waits = st.one_of(
    st.integers(1, 3_600),
    st.sampled_from([DAY, 30 * DAY, 31 * DAY, 400 * DAY]),
    st.integers(1, 2 * YEAR),
)
lapses = st.sampled_from(
    ["revoked", "not in force", "other owner", "member owner", "past expiry", "right ended"]
)
edges = st.sampled_from(["expiry", "right ends", "re-rating", "grace ends", "mandate ends"])
offsets = st.sampled_from([0, -1, 1])
payers = st.sampled_from(["licensee", "licensee", "provider", "provider2", "expert3", "attacker"])
# A number of wei, or a share of the sender's balance resolved when the step runs.
amounts = st.one_of(
    st.integers(0, 16),
    st.integers(1, 10**22),
    st.sampled_from(["all", "all + 1", "half", "half", "tenth"]),
)
# Fees: a few wei, or a share of the payer's balance (after it was handed the fee).
fees = st.one_of(
    st.integers(1, 16),
    st.integers(1, 1_000).map(lambda per_mille: f"{per_mille}/1000"),
    st.sampled_from(["half", "tenth", "all", "all + 1", 0]),
)
fundings = st.sampled_from([True, True, False])
approvals = st.sampled_from(["exact", "exact", "exact", "max", "none", "short"])
claimers = st.sampled_from(CLAIMERS)
holders = st.sampled_from(HOLDERS)
recipients = st.sampled_from([*HOLDERS, "fund", "royalties", "zero"])
splits = st.sampled_from(
    [
        (7_000, 1_000, 2_000),
        (10_000, 0, 0),
        (0, 0, 10_000),
        (3_333, 3_333, 3_334),
        (0, 10_000, 0),
        (5_000, 5_000, 1),
    ]
)
extremes = st.sampled_from([(0, 1), (100, 10**33), (0, 10**33), (100, 1)])
graces = st.sampled_from([0, DAY, 182 * DAY, 365 * DAY, 365 * DAY + 1])
sellers_by = st.sampled_from(["exchange", "exchange", "exchange", "attacker"])
lifecycles = st.tuples(
    st.sampled_from(KEYS),
    good_sources,
    good_centres,
    validity,
    st.tuples(good_scores, good_valuations),
    st.tuples(good_scores, good_valuations),
    st.sampled_from([1, 1, 1, 1, 10**18]),
)
seeds = st.lists(lifecycles, min_size=1, max_size=3, unique_by=lambda seed: seed[0])
cores = st.sampled_from([0, 40, 60, 61, 80, 101])
removal_reasons = st.sampled_from([1, 2, 3, 4, 0, 5])
# Mandates: who offers ("contributor": the council for the fund's patents), to whom
# ("contributor": itself; "zero": nobody), which terms, what share ("all": the council's
# centre share now), for how long (0 or -1: an expiry not in the future), and who accepts
# ("offered": the centre offered; "other centre": a centre not offered) with which terms
# changed, and who ends it.
mandate_offerers = st.sampled_from(
    ["contributor", "contributor", "contributor", "contributor", "council", "attacker", "centre"]
)
mandate_centres = st.sampled_from(
    ["centre", "centre", "expert2", "provider2", "licensee", "contributor", "zero"]
)
mandate_terms = st.sampled_from([TERMS[0], TERMS[0], TERMS[1], EMPTY])
mandate_shares = st.one_of(
    st.sampled_from(["all", "all", 0, 1, "all + 1", 10_000]), st.integers(0, 2_000)
)
mandate_spans = st.one_of(
    st.sampled_from([YEAR, 30 * DAY, DAY, 1, 0, -1]), st.integers(1, 2 * YEAR)
)
good_mandate_spans = st.sampled_from([100 * YEAR, YEAR, 30 * DAY, DAY])
acceptors = st.sampled_from(
    ["offered", "offered", "offered", "offered", "other centre", "contributor", "attacker"]
)
tampers = st.sampled_from([None, None, None, "terms", "share", "expiry"])
mandate_enders = st.sampled_from(
    ["contributor", "centre", "centre", "attacker", "council", "other centre"]
)
role_holders = st.sampled_from(["centre", "centre", "expert2", "provider2"])


@dataclass(frozen=True)
class PoolFact:
    """What the chain held in the block a patent was pooled, read just before and after."""

    patent: bytes
    now: int
    contributor: str
    source: int
    owner: str
    cert_status: int
    expiry: int
    status_before: int
    score: int
    rated_at: int
    right_ends: int
    core_threshold: int
    valuation: int
    minted: int
    old_value: int
    old_supply: int
    new_value: int
    new_supply: int
    unowned: int = 0  # BPC minted to the fund first for value nobody held
    first: bool = True  # the key's first pooling; pooled again, it mints to the fund


class PoolMachine(SnapshotMachine):
    model: PoolModel

    def __init__(self) -> None:
        super().__init__()
        # run by hand, outside pytest, a machine deploys its own copy inside its snapshot
        c = self.c = DEPLOYED.get()
        self.names = {**ADDRESS, "fund": str(c.fund.address), "royalties": str(c.royalties.address)}
        self.domain = certs.domain(int(boa.env.evm.patch.chain_id), str(c.certificates.address))
        roles = {ADDRESS[n]: int(r) for n, (_, r) in MEMBERS.items()}
        roles.update({o: int(Role.ORACLE) for o in ORACLES})
        self.model = PoolModel(
            now=int(boa.env.evm.patch.timestamp),
            council=COUNCIL,
            fund=self.names["fund"],
            royalties_address=self.names["royalties"],
            initial_nav=PARAMS.initial_nav,
            roles=roles,
            royalties=RoyaltiesModel(PARAMS.contributor_bps, PARAMS.centre_bps, PARAMS.fund_bps),
            expert_threshold=PARAMS.expert_threshold,
            core_threshold=PARAMS.core_threshold,
            rerate_interval=PARAMS.rerate_interval,
            exchange=ADDRESS["exchange"],
        )
        self.facts: list[PoolFact] = []
        # What moved the NAV since the last check: the functions that succeeded since.
        self.sent: set[str] = set()
        self.last_nav = (0, 0)  # (pooled value, supply) at the last check
        self.version = 0  # bumped by every successful transaction and every wait
        self._view: dict[str, Any] | None = None
        self._view_version = -1

    # -- chain plumbing ----------------------------------------------------------------------

    def _sent(self, name: str, args: tuple[Any, ...], sender: str) -> None:
        self.version += 1
        self.sent.add(name)

    def _wait_until(self, timestamp: int) -> None:
        # views that read the clock (a mandate's state, the payees) change with time alone
        if timestamp > self.model.now:
            self.version += 1
        super()._wait_until(timestamp)

    def _ids(self) -> list[bytes]:
        return list(self.model.keys)[::-1]

    def _pid(self, pick: int) -> bytes:
        ids = self._ids()
        if not ids or pick >= 60:
            return UNKNOWN
        return ids[pick % len(ids)]

    def _pid_where(self, pick: int, *statuses: PatentStatus) -> bytes:
        """A known patent in one of `statuses` if there is one, else any (or unknown)."""
        ids = [i for i in self._ids() if self.model.patent(i).status in statuses]
        return ids[pick % len(ids)] if ids else self._pid(pick)

    def _amount(self, amount: int | str, balance: int) -> int:
        if isinstance(amount, int):
            return amount
        if amount.endswith("/1000"):
            return balance * int(amount.removesuffix("/1000")) // 1_000
        return {
            "all": balance,
            "all + 1": balance + 1,
            "half": balance // 2,
            "tenth": balance // 10,
        }[amount]

    def _signatures(self, sign: Any, signers: tuple[int, ...]) -> list[Any]:
        return certs.quorum(sign(ORACLE_KEYS[i]) for i in signers)

    # -- the registry ------------------------------------------------------------------------

    def _submit(
        self,
        who: str,
        key: tuple[str, str],
        document: bytes,
        source: int,
        centre: str,
        ends: str,
    ) -> bytes | None:
        m = self.model
        if who == "auto":
            who = "council" if source in (Source.PURCHASED, Source.FILED) else "provider"
            if centre == "provider2" and source in (Source.CONTRIBUTED, Source.USAGE_RIGHT):
                who = "provider2"  # a centre managing its own patent: both sides of the ledger
        sender = ADDRESS[who]
        centre_address = ZERO_ADDRESS if centre == "none" else ADDRESS[centre]
        usage = source == Source.USAGE_RIGHT
        end = {
            "auto": m.now + 200 * DAY if usage else 0,  # mostly before its certificate ends
            "day": m.now + DAY,
            "now": m.now,
            "zero": 0,
            "year": m.now + YEAR,
        }[ends]
        office, number = key
        reason = m.submit(sender, office, number, document, source, centre_address, end)
        out = self._send(
            reason,
            self.c.pool.submit,
            office,
            number,
            document,
            source,
            centre_address,
            end,
            sender=sender,
        )
        if reason is not None:
            return None
        pid = patent_id(office, number)
        assert out == pid
        return pid

    def _attest(self, pid: bytes, kind: str, valid_for: int, signers: tuple[int, ...]) -> None:
        m = self.model
        p = m.patent(pid)
        office, number = m.keys[pid]
        owner = m.expected_owner(pid, ABROAD)
        document = p.document
        status = CertStatus.IN_FORCE
        expiry = m.now + valid_for
        nonce = m.last_nonce(pid, document) + 1
        if kind == "expired":
            expiry = max(1, m.now - valid_for + 1)  # at most now: lapsed in this block
        elif kind == "other owner":
            # a contributed patent now owned by an outsider; a usage right's owner is now
            # its contributor itself
            owner = p.contributor if p.source == Source.USAGE_RIGHT else ADDRESS["attacker"]
        elif kind == "member owner":
            owner = ADDRESS["centre"]  # a usage right's owner must stay outside the alliance
        elif kind == "not in force":
            status = CertStatus(2 + valid_for % 3)  # pending, lapsed or invalidated
        elif kind == "other document":
            document = DOCUMENTS[1] if document == DOCUMENTS[0] else DOCUMENTS[0]
            nonce = m.last_nonce(pid, document) + 1
        elif kind == "used nonce" and nonce > 1:
            nonce -= 1  # the latest certificate's nonce again
        elif kind == "last seller" and pid in m.sales:
            owner = m.sales[pid].owner  # the office renews the seller's, not yet the sale
        cert = certs.Certificate(office, number, document, owner, status, expiry, nonce)
        reason = m.attest(office, number, document, owner, int(status), expiry, nonce)
        self._send(
            reason,
            self.c.certificates.attest,
            cert.as_arg(),
            self._signatures(lambda k: certs.sign_certificate(self.domain, cert, k), signers),
            sender=ADDRESS["licensee"],
        )

    def _certify(self, pid: bytes, caller: str) -> None:
        reason = self.model.certify(pid)
        self._send(reason, self.c.pool.certify, pid, sender=ADDRESS[caller])

    def _rate(self, pid: bytes, expert: str, score: int, valuation: int) -> None:
        reason = self.model.rate(ADDRESS[expert], pid, score, valuation)
        self._send(
            reason, self.c.pool.rate, pid, score, valuation, REASONING, sender=ADDRESS[expert]
        )

    def _pool(self, pid: bytes, caller: str) -> None:
        m, c = self.model, self.c
        sender = ADDRESS[caller]
        chain_patent = c.pool.patents(pid)
        owner, cert_status, expiry, _ = c.certificates.certificate(pid, chain_patent.document)
        old_value, old_supply = c.pool.pooled_value(), c.bpc.totalSupply()
        unowned = m.unowned()
        first = pid not in m.minted_for
        assert (c.pool.minted_for(pid) == 0) == first
        fund_before = m.token.balance(self.names["fund"])
        reason, to_contributor = m.pool(sender, pid)
        # what it mints in all: to its contributor, or (pooled again) to the fund
        minted = to_contributor or m.token.balance(self.names["fund"]) - fund_before - unowned
        if reason is None:
            assert c.pool.mint_amount(chain_patent.valuation) == minted
        out = self._send(reason, c.pool.pool, pid, sender=sender)
        if reason is not None:
            return
        assert out == to_contributor
        fact = PoolFact(
            patent=pid,
            now=m.now,
            contributor=str(chain_patent.contributor),
            source=chain_patent.source,
            owner=str(owner),
            cert_status=cert_status,
            expiry=expiry,
            status_before=chain_patent.status,
            score=chain_patent.score,
            rated_at=chain_patent.rated_at,
            right_ends=chain_patent.right_ends,
            core_threshold=c.pool.core_threshold(),
            valuation=chain_patent.valuation,
            minted=minted,
            old_value=old_value,
            old_supply=old_supply,
            new_value=c.pool.pooled_value(),
            new_supply=c.bpc.totalSupply(),
            unowned=unowned,
            first=first,
        )
        # NAV kept: never lower for the holders, and the minter short by less than 1 wei
        check_nav(fact)
        if old_supply == 0 and old_value != 0:
            note_event("pool: every BPC burned, value still pooled; the fund took it")
        if old_supply != 0 and old_value == 0 and first:
            note_event("pool: every patent had left, BPC outstanding; diluted to a millionth")
        if not first:
            note_event("pool: pooled again, minted to the fund")
        self.facts.append(fact)

    @initialize(
        split=splits,
        seeds=seeds,
        mandated=st.sampled_from([False, True, True]),
        share=mandate_shares,
        span=good_mandate_spans,
    )
    def start(
        self,
        split: tuple[int, int, int],
        seeds: list[tuple[Any, ...]],
        mandated: bool = False,
        share: int | str = "all",
        span: int = YEAR,
    ) -> None:
        """The council picks the royalty split the example starts with, and one to three
        patents go through their lifecycle, so that most examples have BPC and weights.
        With `mandated`, each contributor then offers the centre its submission named
        (a nominee until then) a mandate for `share` and `span`, and the centre accepts."""
        reason = self.model.set_split(COUNCIL, split)
        self._send(reason, self.c.royalties.set_split, *split, sender=COUNCIL)
        for seed in seeds:
            self.lifecycle(*seed)
        for seed in seeds if mandated else ():
            pid, nominee = patent_id(*seed[0]), seed[2]
            if nominee != "none" and self.model.in_registry(pid):
                self._offer_and_accept(pid, "contributor", nominee, TERMS[0], share, span)

    @rule(
        who=submitters,
        key=keys,
        document=documents,
        source=sources,
        centre=centres,
        ends=right_ends,
    )
    def submit(
        self, who: str, key: tuple[str, str], document: bytes, source: int, centre: str, ends: str
    ) -> None:
        """A provider (or the council, or an outsider) submits a patent, well-formed or not."""
        self._submit(who, key, document, source, centre, ends)

    @rule(pick=picks, kind=cert_kinds, valid_for=validity, signers=signer_sets)
    def attest(self, pick: int, kind: str, valid_for: int, signers: tuple[int, ...]) -> None:
        """Two or three oracles attest a certificate for a known patent's document."""
        pid = self._pid(pick)
        if pid in self.model.keys:
            self._attest(pid, kind, valid_for, signers)

    @rule(pick=picks, caller=anyone)
    def certify(self, pick: int, caller: str) -> None:
        self._certify(self._pid_where(pick, PatentStatus.SUBMITTED), caller)

    @rule(pick=picks, expert=raters, score=scores, valuation=valuations)
    def rate(self, pick: int, expert: str, score: int, valuation: int) -> None:
        """One expert (or a provider) rates a patent, any score and valuation."""
        pid = self._pid_where(pick, PatentStatus.CERTIFIED, PatentStatus.RATED, PatentStatus.POOLED)
        self._rate(pid, expert, score, valuation)

    @rule(
        pick=picks,
        due=st.booleans(),
        first=st.tuples(scores, valuations),
        second=st.tuples(scores, valuations),
    )
    def rerate(self, pick: int, due: bool, first: tuple[int, int], second: tuple[int, int]) -> None:
        """A full rating round by three experts, on a pooled patent if any; with `due`,
        once the re-rating interval has passed (the second may manage the patent as its
        centre: refused, the fourth steps in)."""
        m = self.model
        pid = self._pid_where(pick, PatentStatus.POOLED, PatentStatus.RATED, PatentStatus.CERTIFIED)
        p = m.patent(pid)
        if due and p.rated_at:
            self._wait_until(p.rated_at + m.rerate_interval)
        rounds = m.patent(pid).rounds
        for expert, ballot in (("expert1", first), ("expert2", second), ("expert4", second)):
            if m.patent(pid).rounds != rounds:
                break  # settled
            self._rate(pid, expert, *ballot)

    @rule(
        pick=picks,
        honest=st.tuples(st.tuples(scores, valuations), st.tuples(scores, valuations)),
        extreme=extremes,
        position=st.integers(0, 2),
    )
    def rogue_round(
        self,
        pick: int,
        honest: tuple[tuple[int, int], tuple[int, int]],
        extreme: tuple[int, int],
        position: int,
    ) -> None:
        """The rogue expert casts an extreme ballot (score 0 or 100, 1 wei or 10^33) in a
        round of three, before, between or after two honest experts, after waiting until
        the patent is due: the median stays between the honest ballots (the invariant
        `no_single_ballot_sets_a_rating`)."""
        m = self.model
        pid = self._pid_where(pick, PatentStatus.POOLED, PatentStatus.RATED, PatentStatus.CERTIFIED)
        p = m.patent(pid)
        if p.rated_at:
            self._wait_until(p.rated_at + m.rerate_interval)
        ballots: list[tuple[str, tuple[int, int]]] = [
            ("expert1", honest[0]),
            ("expert4", honest[1]),
        ]
        ballots.insert(position, ("rogue", extreme))
        rounds = m.patent(pid).rounds
        for expert, ballot in ballots:
            if m.patent(pid).rounds != rounds:
                break
            self._rate(pid, expert, *ballot)
        if m.patent(pid).rounds != rounds:
            note_event("rogue round settled")

    @rule(pick=picks, caller=councils)
    def pool(self, pick: int, caller: str) -> None:
        self._pool(self._pid_where(pick, PatentStatus.RATED), caller)

    @rule(
        key=st.sampled_from(KEYS),
        source=good_sources,
        centre=good_centres,
        valid_for=validity,
        first=st.tuples(good_scores, good_valuations),
        second=st.tuples(good_scores, good_valuations),
        scale=st.sampled_from([1, 1, 1, 10**18]),
        who=st.sampled_from(["auto", "auto", "auto", "expert3", "provider2"]),
    )
    def lifecycle(
        self,
        key: tuple[str, str],
        source: int,
        centre: str,
        valid_for: int,
        first: tuple[int, int],
        second: tuple[int, int],
        scale: int = 1,
        who: str = "auto",
    ) -> None:
        """Submit, attest, certify, rate and pool one patent: each step a transaction the
        model judges (a registered key or a short-lived certificate stops it on the way).
        Scaled down by 10^18, valuations are dust: too small to mint any BPC at first, or
        to mint at the NAV without rounding away more than a millionth of them. The second
        expert may manage the patent as its centre, and the third may have contributed it:
        each is refused, and the third (or second) expert steps in."""
        m = self.model
        pid = self._submit(who, key, DOCUMENTS[0], source, centre, "auto")
        if pid is None:
            return
        self._attest(pid, "valid", max(valid_for, 30 * DAY), (0, 1))
        self._certify(pid, "provider")
        ballots = [("expert1", first), ("expert2", second), ("expert3", second)]
        ballots += [("expert4", first), ("rogue", second)]  # the rogue votes honestly here
        for expert, (score, valuation) in ballots:
            if m.patent(pid).status == PatentStatus.CERTIFIED:
                self._rate(pid, expert, score, max(valuation // scale, 1))
        self._pool(pid, "council")

    @rule(pick=picks, caller=anyone)
    def raise_core_and_remove(self, pick: int, caller: str) -> None:
        """The council raises the core threshold just above a pooled patent's score; anyone
        removes that patent; the council puts the threshold back."""
        m = self.model
        pid = self._pid_where(pick, PatentStatus.POOLED)
        core = m.core_threshold
        if m.patent(pid).status != PatentStatus.POOLED or m.patent(pid).score >= 100:
            return
        self.set_core_threshold(m.patent(pid).score + 1, "council")
        self._remove_below_core(pid, caller)
        self.set_core_threshold(core, "council")

    @rule(pick=picks, code=removal_reasons, caller=councils)
    def remove(self, pick: int, code: int, caller: str) -> None:
        pid = self._pid(pick)
        reason = self.model.remove(ADDRESS[caller], pid, code)
        self._send(reason, self.c.pool.remove, pid, code, sender=ADDRESS[caller])

    # -- the exchange's sales, sellers of record, the grace period ---------------------------

    @rule(pick=picks, buyer=st.sampled_from(BUYERS), by=sellers_by)
    def sell(self, pick: int, buyer: str, by: str) -> None:
        """The exchange (or a stranger posing as it) records the sale of a pooled patent
        (a contributed or purchased one if any): the buyer becomes its contributor of
        record, the seller a seller of record."""
        self._sell(pick, buyer, by)

    def _sell(self, pick: int, buyer: str, by: str) -> bytes:
        m = self.model
        sellable = [
            i for i in self._ids()
            if m.patent(i).status == PatentStatus.POOLED
            and m.patent(i).source != Source.USAGE_RIGHT
        ]  # fmt: skip
        pid = sellable[pick % len(sellable)] if sellable and pick < 60 else self._pid(pick)
        sender, recipient = ADDRESS[by], self.names[buyer]
        reason = m.assign(sender, pid, recipient)
        self._send(reason, self.c.pool.assign, pid, recipient, sender=sender)
        return pid

    @rule(pick=picks, buyer=st.sampled_from(BUYERS), code=st.sampled_from([2, 3]))
    def past_sellers_resubmit(self, pick: int, buyer: str, code: int) -> None:
        """A pooled patent is sold (the certificate still names its seller), then leaves
        the pool; its seller of record, a provider that may have sold it in between, then
        the last buyer submit it again and ask for certification on the certificate still
        in force: the seller of record is refused, and the others find that only the
        holder of record rode the sale's certificate, and only until the patent left."""
        m = self.model
        pid = self._sell(pick, buyer, "exchange")
        if pid not in m.sales:
            return
        reason = m.remove(COUNCIL, pid, code)
        self._send(reason, self.c.pool.remove, pid, code, sender=COUNCIL)
        office, number = m.keys[pid]
        previous = [s for s in (m.seller_of_record(pid),) if s != ZERO_ADDRESS]
        claimants = [*previous, self.names["provider"], m.patent(pid).contributor]
        for who in claimants:
            fund = who == self.names["fund"]
            sender = COUNCIL if fund else who
            source = Source.PURCHASED if fund else Source.CONTRIBUTED
            reason = m.submit(sender, office, number, DOCUMENTS[0], source, ZERO_ADDRESS, 0)
            args = (office, number, DOCUMENTS[0], int(source), ZERO_ADDRESS, 0)
            self._send(reason, self.c.pool.submit, *args, sender=sender)
            if reason is None:
                self._certify(pid, "licensee")
                break

    @rule(pick=picks, seller=st.sampled_from(SELLERS), caller=councils)
    def clear_seller(self, pick: int, seller: str, caller: str) -> None:
        """The council (or a stranger) clears a seller of record."""
        pid = self._pid(pick)
        named = self.model.seller_of_record(pid)
        who = named if named != ZERO_ADDRESS and pick % 2 else self.names[seller]
        reason = self.model.clear_seller(ADDRESS[caller], pid, who)
        self._send(reason, self.c.pool.clear_seller, pid, who, sender=ADDRESS[caller])

    @rule(pick=picks, ballot=st.tuples(good_scores, good_valuations))
    def expire_and_pool_again(self, pick: int, ballot: tuple[int, int]) -> None:
        """A member's pooled patent lapses (its fee unpaid past the grace period) and a
        stranger expires it; the member pays late, has it certified and rated again, and
        the council pools it again: it mints at NAV to the fund, so the member holds no
        more BPC than before and no holder's claim rises."""
        m = self.model
        pid = self._pid_where(pick, PatentStatus.POOLED)
        p, record = m.patent(pid), m.record(pid)
        if p.status != PatentStatus.POOLED or record is None:
            return
        self._wait_until(record.expiry + m.grace_period)
        self._expire(pid, "attacker")
        if m.patent(pid).status != PatentStatus.EXPIRED:
            return
        fund = p.contributor == self.names["fund"]
        sender = COUNCIL if fund else p.contributor
        held = m.token.balance(p.contributor)
        office, number = m.keys[pid]
        end = m.now + 200 * DAY if p.source == Source.USAGE_RIGHT else 0
        args = (office, number, p.document, p.source, p.centre, end)
        reason = m.submit(sender, *args)
        self._send(reason, self.c.pool.submit, *args, sender=sender)
        if reason is not None:
            return
        self._attest(pid, "valid", YEAR, (0, 2))
        self._certify(pid, "attacker")
        for expert in ("expert1", "expert2", "expert3", "expert4", "rogue"):
            if m.patent(pid).status == PatentStatus.CERTIFIED:
                self._rate(pid, expert, *ballot)
        self._pool(pid, "council")
        if m.patent(pid).status == PatentStatus.POOLED and not fund:
            assert m.token.balance(p.contributor) == held
            note_event("expired patent pooled again by its member: minted to the fund")

    @rule(seconds=graces, caller=councils)
    def set_grace_period(self, seconds: int, caller: str) -> None:
        reason = self.model.set_grace_period(ADDRESS[caller], seconds)
        self._send(reason, self.c.pool.set_grace_period, seconds, sender=ADDRESS[caller])

    @rule(core=cores, caller=councils)
    def set_core_threshold(self, core: int, caller: str) -> None:
        """The council raises or lowers the core threshold (expert threshold and re-rating
        interval unchanged)."""
        m = self.model
        args = (m.expert_threshold, core, m.rerate_interval)
        reason = m.set_parameters(ADDRESS[caller], *args)
        self._send(reason, self.c.pool.set_parameters, *args, sender=ADDRESS[caller])

    @rule(pick=picks, caller=anyone)
    def remove_below_core(self, pick: int, caller: str) -> None:
        self._remove_below_core(self._pid_where(pick, PatentStatus.POOLED), caller)

    def _remove_below_core(self, pid: bytes, caller: str) -> None:
        reason = self.model.remove_below_core(pid)
        self._send(reason, self.c.pool.remove_below_core, pid, sender=ADDRESS[caller])

    @rule(pick=picks, caller=anyone)
    def expire(self, pick: int, caller: str) -> None:
        """Anyone expires a patent; only one whose certificate no longer holds goes."""
        pid = self._pid_where(pick, PatentStatus.POOLED, PatentStatus.CERTIFIED, PatentStatus.RATED)
        self._expire(pid, caller)

    def _expire(self, pid: bytes, caller: str) -> None:
        m = self.model
        assert self.c.pool.lapse_of(pid) == m.lapse(pid)
        lapse = m.expire_lapse(pid)
        reason = m.expire(pid)
        self._send(reason, self.c.pool.expire, pid, sender=ADDRESS[caller])
        if reason is None:
            note_event(f"expire: {lapse.name.lower().replace('_', ' ')}")

    @rule(pick=picks, how=lapses, caller=anyone)
    def lapse_and_expire(self, pick: int, how: str, caller: str) -> None:
        """A pooled patent's certificate stops holding (revoked, superseded by one saying
        lapsed or naming another owner, past its expiry or its usage right's end), then
        anyone expires it: its value and weight leave, its earnings stay."""
        m = self.model
        pid = self._pid_where(pick, PatentStatus.POOLED)
        if pid not in m.keys:
            return
        record = m.record(pid)
        if how == "revoked":
            self._revoke(pid, (0, 1))
        elif how in ("not in force", "other owner", "member owner"):
            self._attest(pid, how, 1, (1, 2))
        elif how == "past expiry" and record is not None:
            self._wait_until(record.expiry + m.grace_period * (pick % 2))  # in grace, or past it
        elif how == "right ended" and m.patent(pid).right_ends:
            self._wait_until(m.patent(pid).right_ends)
        self._expire(pid, caller)

    @rule(pick=picks, signers=signer_sets)
    def revoke(self, pick: int, signers: tuple[int, ...]) -> None:
        """The oracles revoke a patent's latest certificate for its document."""
        self._revoke(self._pid(pick), signers)

    def _revoke(self, pid: bytes, signers: tuple[int, ...]) -> None:
        m = self.model
        if pid not in m.keys or m.record(pid) is None:
            return
        office, number = m.keys[pid]
        document = m.patent(pid).document
        record = m.record(pid)
        assert record is not None
        cert = certs.Certificate(
            office, number, document, record.owner, CertStatus.IN_FORCE, 1, record.nonce
        )
        sigs = self._signatures(lambda k: certs.sign_revocation(self.domain, cert, k), signers)
        reason = m.revoke(office, number, document, record.nonce)
        self._send(
            reason,
            self.c.certificates.revoke,
            office,
            number,
            document,
            record.nonce,
            sigs,
            sender=ADDRESS["licensee"],
        )

    @rule(pick=picks, by=st.sampled_from(["contributor", "contributor", "council", "attacker"]))
    def withdraw(self, pick: int, by: str) -> None:
        m = self.model
        pid = self._pid_where(
            pick, PatentStatus.SUBMITTED, PatentStatus.CERTIFIED, PatentStatus.RATED
        )
        sender = m.patent(pid).contributor if by == "contributor" else ADDRESS[by]
        if sender == ZERO_ADDRESS:
            sender = ADDRESS["attacker"]
        reason = m.withdraw(sender, pid)
        self._send(reason, self.c.pool.withdraw, pid, sender=sender)

    # -- trusteeship mandates ----------------------------------------------------------------

    def _mandated_pid(self, pick: int, accepted: bool | None = None) -> bytes:
        """A patent with a current offer or mandate (accepted or not, when asked) if there
        is one, else one in the registry (pooled first), else any."""
        m = self.model
        ids = [
            i for i in self._ids()
            if (mandate := m.current_mandate(i)) is not None
            and (accepted is None or mandate.accepted == accepted)
        ]  # fmt: skip
        if ids and pick % 4:
            return ids[pick % len(ids)]
        return self._registered_pid(pick)

    def _registered_pid(self, pick: int) -> bytes:
        """A patent in the registry, pooled ones two times in three, or any."""
        if pick % 3:
            return self._pid_where(pick, PatentStatus.POOLED)
        registered = (PatentStatus.SUBMITTED, PatentStatus.CERTIFIED, PatentStatus.RATED)
        return self._pid_where(pick, *registered, PatentStatus.POOLED)

    def _party(self, pid: bytes, who: str) -> str:
        """An actor's address for a mandate of `pid`: "contributor" the contributor of
        record (the council for the fund's patents), "centre" the centre offered (else the
        centre), "other centre" a centre not offered, "zero" nobody."""
        m = self.model
        p, mandate = m.patent(pid), m.current_mandate(pid)
        offered = mandate.centre if mandate is not None else ADDRESS["centre"]
        if who == "contributor":
            if p.contributor == ZERO_ADDRESS:
                return ADDRESS["attacker"]
            return COUNCIL if p.contributor == self.names["fund"] else p.contributor
        if who == "centre":
            return offered
        if who == "other centre":
            return next(ADDRESS[c] for c in ("expert2", "centre") if ADDRESS[c] != offered)
        return self.names[who]

    def _share(self, share: int | str) -> int:
        """A share in basis points: "all" the council's centre share now, "all + 1" above."""
        if isinstance(share, int):
            return share
        return self.model.royalties.centre_bps + (share == "all + 1")

    def _check_endings(self, before: int) -> None:
        """The MandateEnded events of the last transaction are the model's new endings."""
        ended = self.model.mandate_endings[before:]
        logs = [
            MandateEnding(e.patent, str(e.centre), e.reason, e.accepted)
            for e in self.c.mandates.get_logs(strict=False)
            if type(e).__name__ == "MandateEnded"
        ]
        assert logs == ended, (logs, ended)
        for e in ended:
            note_event(f"mandate ended: {e.reason.name.lower()}, accepted {e.accepted}")

    def _offer(
        self, pid: bytes, by: str, centre: str, terms: bytes, share: int | str, span: int
    ) -> tuple[int, int] | None:
        """An offer; its (share, expiry) if it went through."""
        m = self.model
        sender, to = self._party(pid, by), self._party(pid, centre)
        share_bps, expiry = self._share(share), m.now + span
        before = len(m.mandate_endings)
        reason = m.offer_mandate(sender, pid, to, terms, share_bps, expiry)
        args = (pid, to, terms, share_bps, expiry)
        self._send(reason, self.c.mandates.offer_mandate, *args, sender=sender)
        if reason is not None:
            return None
        self._check_endings(before)
        return share_bps, expiry

    def _accept(self, pid: bytes, who: str, tamper: str | None) -> None:
        m = self.model
        mandate = m.current_mandate(pid)
        if mandate is None:
            terms, share_bps, expiry = TERMS[0], 0, m.now + YEAR
        else:
            terms, share_bps, expiry = mandate.terms, mandate.share_bps, mandate.expiry
        if tamper == "terms":
            terms = TERMS[1] if terms == TERMS[0] else TERMS[0]
        elif tamper == "share":
            share_bps += 1
        elif tamper == "expiry":
            expiry += 1
        sender = self._party(pid, "centre" if who == "offered" else who)
        reason = m.accept_mandate(sender, pid, terms, share_bps, expiry)
        args = (pid, terms, share_bps, expiry)
        self._send(reason, self.c.mandates.accept_mandate, *args, sender=sender)

    def _offer_and_accept(
        self, pid: bytes, by: str, centre: str, terms: bytes, share: int | str, span: int
    ) -> None:
        if self._offer(pid, by, centre, terms, share, span) is not None:
            self._accept(pid, "offered", None)

    @rule(
        pick=picks,
        by=mandate_offerers,
        centre=mandate_centres,
        terms=mandate_terms,
        share=mandate_shares,
        span=mandate_spans,
    )
    def offer_mandate(
        self, pick: int, by: str, centre: str, terms: bytes, share: int | str, span: int
    ) -> None:
        """The contributor of record (the council for the fund's patents), or the council
        or a stranger or a centre for another's patent, offers a mandate: any centre,
        terms, share and expiry. An expired mandate ends here; one in force is refused."""
        self._offer(self._mandated_pid(pick), by, centre, terms, share, span)

    @rule(pick=picks, who=acceptors, tamper=tampers)
    def accept_mandate(self, pick: int, who: str, tamper: str | None) -> None:
        """The centre offered accepts the offer's exact terms (or changed ones: refused);
        another centre, the contributor or a stranger tries to accept it (refused)."""
        self._accept(self._mandated_pid(pick, accepted=False), who, tamper)

    @rule(
        pick=picks,
        centre=st.sampled_from(["centre", "expert2", "provider2"]),
        terms=mandate_terms,
        share=mandate_shares,
        span=good_mandate_spans,
    )
    def offer_and_accept(
        self, pick: int, centre: str, terms: bytes, share: int | str, span: int
    ) -> None:
        """The contributor offers a mandate and the centre accepts it as offered."""
        pid = self._registered_pid(pick)
        self._offer_and_accept(pid, "contributor", centre, terms, share, span)

    @rule(pick=picks, by=mandate_enders)
    def end_mandate(self, pick: int, by: str) -> None:
        """Either party ends a mandate or offer at any time; a stranger, the council (for
        a member's patent) or another centre only once it expired or its centre lost the
        role."""
        self._end_mandate(self._mandated_pid(pick), by)

    def _end_mandate(self, pid: bytes, by: str) -> None:
        m = self.model
        sender = self._party(pid, by) if by != "council" else COUNCIL
        before = len(m.mandate_endings)
        reason = m.end_mandate(sender, pid)
        self._send(reason, self.c.mandates.end_mandate, pid, sender=sender)
        if reason is None:
            self._check_endings(before)

    @rule(
        pick=picks,
        amounts=st.lists(fees, min_size=1, max_size=2),
        then=st.sampled_from(
            ["expiry", "expiry", "before expiry", "centre ends", "contributor ends", "role"]
        ),
    )
    def mandated_fees(self, pick: int, amounts: list[int | str], then: str) -> None:
        """A patent under a mandate in force (if none, its contributor offers the centre
        one, the council's whole centre share for a year, and the centre accepts) earns
        fees alone and pool-wide; then its mandate reaches its expiry (or the second
        before), or a party ends it, or its centre loses the role; the same fees again; a
        stranger then ends what is left if it may; everyone claims. The centre earns the
        first fees, and the second only while its mandate holds (pool-wide: until ended)."""
        m = self.model
        pid = self._mandated_pid(pick, accepted=True)
        mandate = m.current_mandate(pid)
        if mandate is None or not mandate.accepted:
            self._offer_and_accept(pid, "contributor", "centre", TERMS[0], "all", YEAR)
            mandate = m.current_mandate(pid)
            if mandate is None or not mandate.accepted:
                return
        for _ in range(2):
            for amount in amounts:
                self._pay_for(pid, "licensee", amount, "exact", True)
            self.pay("licensee", amounts[0], "exact", True)
            if then == "expiry":
                self._wait_until(mandate.expiry)
            elif then == "before expiry":
                self._wait_until(mandate.expiry - 1)
            elif then.endswith(" ends"):
                self._end_mandate(pid, then.removesuffix(" ends"))
            elif then == "role" and m.has_role(mandate.centre, Role.TRUSTEESHIP_CENTRE):
                self._toggle_centre_role(mandate.centre, "council")
            then = "done"
        self._end_mandate(pid, "attacker")
        self.everyone_claims()

    @rule(who=role_holders, caller=councils)
    def toggle_centre_role(self, who: str, caller: str) -> None:
        """The council revokes a centre's trusteeship-centre role (it stays a member), or
        grants it back; a stranger is refused."""
        self._toggle_centre_role(ADDRESS[who], caller)

    def _toggle_centre_role(self, address: str, caller: str) -> None:
        m, c = self.model, self.c
        sender = ADDRESS[caller]
        granting = not m.has_role(address, Role.TRUSTEESHIP_CENTRE)
        fn = c.alliance.grant_role if granting else c.alliance.revoke_role
        reason, _ = m.toggle_centre_role(sender, address)
        self._send(reason, fn, address, int(Role.TRUSTEESHIP_CENTRE), sender=sender)

    # -- time --------------------------------------------------------------------------------

    @rule(seconds=waits)
    def wait(self, seconds: int) -> None:
        self._wait_until(self.model.now + seconds)

    @rule(pick=picks, edge=edges, offset=offsets)
    def wait_for_edge(self, pick: int, edge: str, offset: int) -> None:
        """Jump to a patent's certificate expiry, usage-right end, re-rating date or
        mandate's expiry, on the second or one either side."""
        m = self.model
        pid = self._mandated_pid(pick) if edge == "mandate ends" else self._pid(pick)
        p, record = m.patent(pid), m.record(pid)
        at = {
            "expiry": record.expiry if record else 0,
            "right ends": p.right_ends,
            "re-rating": p.rated_at + m.rerate_interval if p.rated_at else 0,
            "grace ends": record.expiry + m.grace_period if record else 0,
            "mandate ends": m.mandates[pid].expiry if pid in m.mandates else 0,
        }[edge]
        if at:
            self._wait_until(at + offset)

    # -- royalties and BPC -------------------------------------------------------------------

    def _fee_ready(
        self, payer: str, amount: int | str, approval: str, funded: bool
    ) -> tuple[str, int]:
        """The payer of a fee (`pay`, `pay_for`) and the fee, made ready: with `funded` the
        richest holder hands it the fee first; then Royalties is approved as `approval`
        says (exact, unlimited, none or one wei short), on the model and the chain."""
        m, c = self.model, self.c
        sender = ADDRESS[payer]
        if funded:
            richest = max(HOLDERS, key=lambda h: m.token.balance(ADDRESS[h]))
            value = self._amount(amount, m.token.balance(ADDRESS[richest]))
            if richest != payer and 0 < value <= m.token.balance(ADDRESS[richest]):
                self._transfer(richest, payer, value)
        value = self._amount(amount, m.token.balance(sender))
        allowance = allowance_for(approval, value)
        if allowance is not None:
            assert m.token.approve(sender, m.royalties_address, allowance) is None
            self._send(None, c.bpc.approve, c.royalties.address, allowance, sender=sender)
        return sender, value

    @rule(payer=payers, amount=fees, approval=approvals, funded=fundings)
    def pay(self, payer: str, amount: int | str, approval: str, funded: bool) -> None:
        """Someone pays a fee in BPC; with `funded` the richest holder hands it the fee
        first. The approval is exact, unlimited, none or one wei short."""
        m, c = self.model, self.c
        sender, value = self._fee_ready(payer, amount, approval, funded)
        reason, shares = m.pay(sender, value)
        self._send(reason, c.royalties.pay, value, REFERENCE, sender=sender)
        if reason is None:
            paid = [
                e for e in c.royalties.get_logs(strict=False) if type(e).__name__ == "RoyaltyPaid"
            ]
            assert len(paid) == 1
            e = paid[0]
            assert (str(e.payer), e.reference, e.amount) == (sender, REFERENCE, value)
            assert (e.to_contributors, e.to_centres, e.to_fund) == shares
            if value == 1:
                note_event("pay: 1 wei")

    @rule(pick=picks, payer=payers, amount=fees, approval=approvals, funded=fundings)
    def pay_for(
        self, pick: int, payer: str, amount: int | str, approval: str, funded: bool
    ) -> None:
        """Someone pays a fee one patent earned alone (Royalties.pay_for: per-patent
        licences, settlements), for a mandated patent if any, else any known patent (or
        one never submitted): the fund's share, the mandate's share (capped by the council's
        centre share) to the centre whose mandate is in force, the rest to its contributor,
        to the wei."""
        pid = self._mandated_pid(pick, accepted=True) if pick % 2 else self._pid(pick)
        self._pay_for(pid, payer, amount, approval, funded)

    def _pay_for(
        self, pid: bytes, payer: str, amount: int | str, approval: str, funded: bool
    ) -> None:
        m, c = self.model, self.c
        sender, value = self._fee_ready(payer, amount, approval, funded)
        # what the chain says of the mandate before the fee: the centre it credits must
        # hold an accepted, unexpired mandate for the patent's current tenure
        centre, _, share, _, state = c.mandates.mandate_of(pid)
        reason, split = m.pay_for(sender, pid, value)
        self._send(reason, c.royalties.pay_for, pid, value, PATENT_REFERENCE, sender=sender)
        if reason is not None:
            return
        paid = [
            e for e in c.royalties.get_logs(strict=False)
            if type(e).__name__ == "PatentRoyaltyPaid"
        ]  # fmt: skip
        assert len(paid) == 1
        e = paid[0]
        assert (str(e.payer), e.patent, e.reference, e.amount) == (
            sender,
            pid,
            PATENT_REFERENCE,
            value,
        )
        logged = (str(e.contributor), e.to_contributor, str(e.centre), e.to_centre, e.to_fund)
        assert logged == split, (logged, split)
        assert e.to_contributor + e.to_centre + e.to_fund == value
        if e.centre != ZERO_ADDRESS:
            assert (str(centre), state) == (str(e.centre), MandateState.IN_FORCE)
            cap = min(share, m.royalties.centre_bps)
            assert e.to_centre == value * cap // 10_000
            note_event("pay_for: the mandated centre earned its share")
        elif state != MandateState.NONE:
            note_event(f"pay_for: no centre credited, mandate {MandateState(state).name}")

    @rule(who=claimers)
    def claim(self, who: str) -> None:
        self._claim(who)

    def _claim(self, who: str) -> None:
        sender = self.names[who]
        reason, amount = self.model.claim(sender)
        out = self._send(reason, self.c.royalties.claim, sender=sender)
        if reason is None:
            assert out == amount

    @rule(payer=payers, amounts=st.lists(fees, min_size=1, max_size=3))
    def fees_then_claims(self, payer: str, amounts: list[int | str]) -> None:
        """One to three fees, paid with the exact approval, then everyone claims."""
        for amount in amounts:
            self.pay(payer, amount, "exact", True)
        self.everyone_claims()

    @rule()
    def everyone_claims(self) -> None:
        """Every contributor and centre claims in turn (the fund cannot)."""
        for who in EARNERS[:-1]:
            self._claim(who)

    def _transfer(self, frm: str, to: str, value: int) -> None:
        sender, recipient = ADDRESS[frm], self.names[to]
        reason = self.model.transfer(sender, recipient, value)
        self._send(reason, self.c.bpc.transfer, recipient, value, sender=sender)

    @rule(frm=holders, to=recipients, amount=amounts)
    def transfer(self, frm: str, to: str, amount: int | str) -> None:
        """A holder passes BPC on (to the fund, to Royalties by mistake, or to nobody)."""
        self._transfer(frm, to, self._amount(amount, self.model.token.balance(ADDRESS[frm])))

    @rule(who=holders, amount=amounts)
    def burn(self, who: str, amount: int | str) -> None:
        sender = ADDRESS[who]
        value = self._amount(amount, self.model.token.balance(sender))
        reason = self.model.burn(sender, value)
        self._send(reason, self.c.bpc.burn, value, sender=sender)

    @rule(split=splits, caller=councils)
    def set_split(self, split: tuple[int, int, int], caller: str) -> None:
        reason = self.model.set_split(ADDRESS[caller], split)
        self._send(reason, self.c.royalties.set_split, *split, sender=ADDRESS[caller])

    @rule(
        who=st.sampled_from(["attacker", "centre", "provider2", "council"]),
        weight=st.sampled_from([1, 100, 10**6]),
    )
    def tamper_with_weights(self, who: str, weight: int) -> None:
        """An attacker, a centre, a contributor or the council moves royalty weight itself
        (a centre to itself; others to themselves under the centre): only the pool may."""
        centre = ADDRESS["centre"] if who != "centre" else ADDRESS["zero"]
        self._send(
            "royalties: only the pool changes weights",
            self.c.royalties.change_weight,
            ADDRESS[who],
            centre,
            0,
            weight,
            sender=ADDRESS[who],
        )

    @rule(split=st.sampled_from([(7_000, 1_000, 1_999), (7_000, 1_000, 2_001)]))
    def set_split_not_adding_up(self, split: tuple[int, int, int]) -> None:
        reason = self.model.set_split(COUNCIL, split)
        assert reason is not None
        self._send(reason, self.c.royalties.set_split, *split, sender=COUNCIL)

    # -- invariants --------------------------------------------------------------------------

    def view(self) -> dict[str, Any]:
        """Everything the invariants read from the chain, read once per state."""
        if self._view is not None and self._view_version == self.version:
            return self._view
        c, m = self.c, self.model
        names = self.names
        r = c.royalties
        ids = list(m.keys)
        self._view = {
            "supply": c.bpc.totalSupply(),
            "balances": {h: c.bpc.balanceOf(names[h]) for h in (*HOLDERS, "fund", "royalties")},
            "patents": {pid: c.pool.patents(pid) for pid in ids},
            "pooled_value": c.pool.pooled_value(),
            "pooled_count": c.pool.pooled_count(),
            "nav": c.pool.nav(),
            "claimable": {a: r.claimable(names[a]) for a in EARNERS},
            "fees_in": r.fees_in(),
            "paid_to_fund": r.paid_to_fund(),
            "claimed": r.claimed(),
            "accumulators": (r.royalty_accumulator(), r.centre_accumulator()),
            "total_weight": r.total_contributor_weight(),
            "contributor_weights": {a: r.contributor_weight(names[a]) for a in CONTRIBUTORS},
            "delegated_weights": {a: r.delegated_weight(names[a]) for a in CONTRIBUTORS},
            "centre_weights": {a: r.centre_weight(names[a]) for a in CENTRES},
            "split": (r.contributor_bps(), r.centre_bps(), r.fund_bps()),
            "minted_for": {pid: c.pool.minted_for(pid) for pid in ids},
            "grace_period": c.pool.grace_period(),
            "sales": {pid: tuple(c.pool.assignment_of(pid)) for pid in m.sales},
            "sellers": {
                (pid, who): c.pool.is_seller_of_record(pid, names[who])
                for pid in m.sales
                for who in SELLERS
            },
            "mandates": {pid: tuple(c.mandates.mandate_of(pid)) for pid in ids},
            "payees": {pid: tuple(c.pool.payees(pid)) for pid in ids},
            "credited": r.credited_to_patents(),
        }
        self._view_version = self.version
        return self._view

    @invariant()
    def bpc_supply_is_the_sum_of_balances(self) -> None:
        v, m = self.view(), self.model
        assert v["supply"] == sum(v["balances"].values())
        assert v["supply"] == m.token.supply
        assert v["balances"] == {h: m.token.balance(self.names[h]) for h in v["balances"]}

    @invariant()
    def registry_agrees_with_model(self) -> None:
        v, m = self.view(), self.model
        for pid, chain in v["patents"].items():
            assert tuple(chain) == struct_of(m.patent(pid)), (m.keys[pid], chain)
        assert (v["pooled_value"], v["pooled_count"]) == (m.pooled_value, m.pooled_count)
        assert v["nav"] == m.nav()

    @invariant()
    def a_patent_mints_once(self) -> None:
        """A key mints to its contributor at its first pooling only: pooled again after it
        expired or was removed, it mints at NAV to the fund (what the chain records per key
        agrees with the model's, and with the Pooled facts)."""
        v, m = self.view(), self.model
        assert v["minted_for"] == {pid: m.minted_for.get(pid, 0) for pid in v["minted_for"]}
        firsts: dict[bytes, int] = {}
        for f in self.facts:
            firsts[f.patent] = firsts.get(f.patent, 0) + f.first
        assert all(n == 1 for n in firsts.values()), firsts
        assert sum(p.first for p in m.poolings) == len(m.minted_for)

    @invariant()
    def no_single_ballot_sets_a_rating(self) -> None:
        """Every settled round (at least three ballots) settled between its second-lowest
        and second-highest ballots, score and valuation alike: one expert's extreme, the
        rogue's or anyone's, moves nothing outside the other ballots."""
        for settled in self.model.settlements:
            scores = sorted(b[1] for b in settled.ballots)
            values = sorted(b[2] for b in settled.ballots)
            assert len(scores) >= 3, settled
            assert scores[1] <= settled.score <= scores[-2], settled
            assert values[1] <= settled.valuation <= values[-2], settled

    @invariant()
    def nav_rises_only_with_a_new_valuation(self) -> None:
        """Nobody's claim on pooled value rises without a new valuation backing it: the
        value per BPC (an exact fraction) rises only in a step that settled a rating,
        pooled a patent or burned BPC (a holder giving up its claim); it falls only in a
        step where value left (a lower rating, removal, expiry), never in a pooling. A
        holder's claim is its balance times that value, and balances move only as the
        token model says."""
        v = self.view()
        now, old = (v["pooled_value"], v["supply"]), self.last_nav
        sent, self.sent, self.last_nav = self.sent, set(), now
        if not (old[1] and now[1]):
            return
        before, after = Fraction(old[0], old[1]), Fraction(now[0], now[1])
        if after > before:
            assert sent & {"rate", "pool", "burn"}, (sent, before, after)
        if after < before:
            assert sent & {"rate", "remove", "remove_below_core", "expire"}, sent

    @invariant()
    def sales_and_sellers_agree_with_model(self) -> None:
        """A sale's certificate speaks only for the tenure it began (a new life or the next
        sale supersedes it); each seller of record stays one until it buys back or the
        council clears it; the grace period is the council's."""
        v, m = self.view(), self.model
        assert v["grace_period"] == m.grace_period
        for pid, chain in v["sales"].items():
            sale, p = m.sales[pid], m.patent(pid)
            expected = (sale.owner, sale.nonce) if sale.tenure == p.tenure else (ZERO_ADDRESS, 0)
            assert (str(chain[0]), chain[1]) == expected, (m.keys[pid], chain, sale)
        for (pid, who), chain in v["sellers"].items():
            assert chain == (m.seller_of_record(pid) == self.names[who]), (m.keys[pid], who)

    @invariant()
    def pooled_value_is_the_sum_of_pooled_valuations(self) -> None:
        """Judged from the chain alone: the patents it says are pooled, and their values."""
        v = self.view()
        pooled = [p for p in v["patents"].values() if p.status == PatentStatus.POOLED]
        assert v["pooled_value"] == sum(p.valuation for p in pooled)
        assert v["pooled_count"] == len(pooled)

    @invariant()
    def pooled_patents_were_certified_and_rated(self) -> None:
        """Every pooling happened with a certificate in force for the patent's document,
        naming the right owner, and after a settled rating at or above the core threshold
        (from what the chain held in that block, and from the model's own record)."""
        for f in self.facts:
            assert f.status_before == PatentStatus.RATED, f
            assert f.rated_at != 0 and f.score >= f.core_threshold, f
            assert f.cert_status == CertStatus.IN_FORCE and f.now < f.expiry, f
            if f.source == Source.USAGE_RIGHT:
                assert f.now < f.right_ends, f
                assert f.owner != f.contributor and f.owner not in self.model.roles, f
            else:
                assert f.owner == f.contributor, f
        for p in self.model.poolings:
            record = p.record
            assert isinstance(record, Record) and record.status == CertStatus.IN_FORCE, p
            assert p.now < record.expiry, p
            assert p.status_before == PatentStatus.RATED and p.rated_at != 0, p
            assert p.score >= p.core_threshold and p.minted > 0, p
        assert len(self.facts) == len(self.model.poolings)

    @invariant()
    def poolings_kept_the_nav(self) -> None:
        for f in self.facts:
            check_nav(f)

    @invariant()
    def royalties_agree_with_model(self) -> None:
        v, m = self.view(), self.model
        rm = m.royalties
        names = self.names
        assert v["claimable"] == {a: rm.claimable(names[a]) for a in EARNERS}
        assert (v["fees_in"], v["paid_to_fund"], v["claimed"]) == (
            rm.fees_in,
            rm.paid_to_fund,
            rm.claimed,
        )
        assert v["accumulators"] == (rm.royalty_accumulator, rm.centre_accumulator)
        assert v["total_weight"] == rm.total_weight
        assert v["contributor_weights"] == {a: rm.weight.get(names[a], 0) for a in CONTRIBUTORS}
        assert v["delegated_weights"] == {a: rm.delegated.get(names[a], 0) for a in CONTRIBUTORS}
        assert v["centre_weights"] == {a: rm.managed.get(names[a], 0) for a in CENTRES}
        assert v["split"] == rm.split
        # every weight is a pooled patent's score; a centre's, the patents naming it
        pooled = [m.patents[i] for i in m.pooled_ids()]
        assert v["total_weight"] == sum(p.score for p in pooled)
        for a in CENTRES:
            managed = [p for p in pooled if p.centre == names[a] != p.contributor]
            assert v["centre_weights"][a] == sum(p.score for p in managed), a
        for a in CONTRIBUTORS:
            delegated = [
                p
                for p in pooled
                if p.contributor == names[a] and p.centre not in (ZERO_ADDRESS, names[a])
            ]
            assert v["delegated_weights"][a] == sum(p.score for p in delegated), a

    @invariant()
    def mandates_agree_with_model(self) -> None:
        """Each patent's offer or mandate (centre, terms, share, expiry, state) and the
        payees PatentPool names for a fee it earns alone agree with the model."""
        v, m = self.view(), self.model
        for pid, (centre, terms, share, expiry, state) in v["mandates"].items():
            chain = (str(centre), terms, share, expiry, state)
            assert chain == m.mandate_of(pid), (m.keys[pid], chain, m.mandate_of(pid))
        for pid, (status, contributor, centre, share) in v["payees"].items():
            chain_payees = (status, str(contributor), str(centre), share)
            assert chain_payees == m.payees(pid), (m.keys[pid], chain_payees)

    @invariant()
    def a_mandate_never_outlives_its_tenure(self) -> None:
        """Judged from the chain alone: a patent out of the registry has no mandate and no
        centre; a centre the pool stores holds an accepted mandate (in force or expired,
        not yet ended) of the patent's current tenure; the pool names a centre (payees,
        ownership) only while its mandate is in force, with the mandate's share. And every
        record of an earlier tenure (a change of hands, a new life) is without effect."""
        v, m = self.view(), self.model
        for pid, p in v["patents"].items():
            centre, _, share, _, state = v["mandates"][pid]
            _, _, paid, paid_share = v["payees"][pid]
            if not PatentStatus.SUBMITTED <= p.status <= PatentStatus.POOLED:
                assert state == MandateState.NONE and p.centre == ZERO_ADDRESS, m.keys[pid]
            if p.centre != ZERO_ADDRESS:
                assert state in (MandateState.IN_FORCE, MandateState.EXPIRED), m.keys[pid]
                assert centre == p.centre, m.keys[pid]
            if state == MandateState.IN_FORCE:
                assert (p.centre, paid, paid_share) == (centre, centre, share), m.keys[pid]
            else:
                assert (paid, paid_share) == (ZERO_ADDRESS, 0), m.keys[pid]
        for pid, record in m.mandates.items():
            if record.tenure != m.patent(pid).tenure:
                assert v["mandates"][pid][4] == MandateState.NONE, m.keys[pid]

    @invariant()
    def a_centre_earns_only_under_a_mandate(self) -> None:
        """A centre that contributes nothing earns only by the mandates it accepted (or
        what it earned under them before): at most the exact sum, judged from Mandates'
        records, of its mandates' share of the fees their patents earned alone while in
        force, and of the centres' share of pool-wide fees by their patents' weight over
        the whole pool's (until the mandate is ended: SECURITY.md, known limits)."""
        v, m = self.view(), self.model
        rm = m.royalties
        for a in PURE_CENTRES:
            account = self.names[a]
            earned = rm.claimed_by.get(account, 0) + v["claimable"][a]
            assert earned <= m.mandated.get(account, Fraction(0)) + Fraction(1, 10**9), a

    @invariant()
    def royalties_never_owe_more_than_came_in(self) -> None:
        """claimed + paid to the fund + everything claimable <= fees in; the difference is
        the model's rounding dust exactly, at most a wei per settlement."""
        v, rm = self.view(), self.model.royalties
        assert rm.accounts() <= {self.names[a] for a in EARNERS}
        owed = v["claimed"] + v["paid_to_fund"] + sum(v["claimable"].values())
        assert owed <= v["fees_in"]
        # what pay_for credited to patents' payees is the model's, and within the fees
        assert v["credited"] == rm.credited_to_patents
        assert v["credited"] + v["paid_to_fund"] <= v["fees_in"]
        dust = v["fees_in"] - owed
        assert dust == rm.dust(), (dust, rm.dust())
        assert dust <= rm.dust_bound(), (dust, rm.dust_bound())

    @invariant()
    def royalties_hold_what_they_owe(self) -> None:
        """Royalties' BPC: fees in less claims less the fund's shares, to the wei (plus BPC
        sent to it by plain transfer), and never less than what is claimable."""
        v = self.view()
        held = v["balances"]["royalties"]
        assert held == v["fees_in"] - v["claimed"] - v["paid_to_fund"] + self.model.stray
        assert held >= sum(v["claimable"].values())

    @invariant()
    def earnings_track_exact_shares(self) -> None:
        """Each account's claimed + claimable lies within a few wei under its exact rational
        share of every fee (its weight over the total at the time), never above it."""
        v, rm = self.view(), self.model.royalties
        for a in EARNERS:
            account = self.names[a]
            earned = rm.claimed_by.get(account, 0) + v["claimable"][a]
            fair = rm.fair.get(account, Fraction(0))
            assert earned <= fair + Fraction(1, 10**9), (a, earned, fair)
            assert fair - earned <= rm.settlements.get(account, 0) + 3, (a, earned, fair)
        assert sum(rm.fair.values()) + rm.fair_to_fund == v["fees_in"]

    @invariant()
    def a_centre_earns_at_most_its_patents_share(self) -> None:
        """Issue 15, finding 5: a trusteeship centre that contributes nothing earns at most
        the centres' share times its patents' weight over the whole pool's, fee by fee."""
        v, rm = self.view(), self.model.royalties
        for a in CENTRES:
            account = self.names[a]
            if a in CONTRIBUTORS:
                continue  # provider2 earns on both sides: earnings_track_exact_shares
            earned = rm.claimed_by.get(account, 0) + v["claimable"][a]
            assert earned <= rm.fair_centre.get(account, Fraction(0)) + Fraction(1, 10**9), a


def check_nav(f: PoolFact) -> None:
    """Pooling kept the NAV: holders are not diluted (new value / new supply >= old value /
    old supply) and the minter is short by less than one BPC wei (minted + 1 would have
    diluted them), and by at most a millionth of its patent's value. With no BPC
    outstanding, BPC is minted at the initial NAV (value nobody held goes to the fund
    first, at that NAV, and counts as outstanding). With BPC outstanding and nothing
    pooled, that BPC claims nothing: the new patent mints at the initial NAV or a million
    times it, and its minter holds at least (1 - 10^-6) of the pool. Pooled again, a patent
    mints by the same rules, to the fund."""
    old_supply = f.old_supply + f.unowned
    assert f.new_value == f.old_value + f.valuation
    assert f.new_supply == old_supply + f.minted
    if f.unowned:
        assert f.unowned == f.old_value * NAV_ONE // PARAMS.initial_nav
    at_initial_nav = f.valuation * NAV_ONE // PARAMS.initial_nav
    if old_supply == 0:
        assert f.minted == at_initial_nav
        return
    if f.old_value == 0:
        assert f.minted == max(at_initial_nav, old_supply * ROUNDING_LOSS_MAX), f
        assert f.minted * ROUNDING_LOSS_MAX >= f.new_supply * (ROUNDING_LOSS_MAX - 1), f
        return
    assert f.new_value * old_supply >= f.old_value * f.new_supply, f
    assert (f.minted + 1) * f.old_value > f.valuation * old_supply, f
    # and what rounding took from the minter is at most a millionth of its patent's value
    lost = f.valuation * old_supply - f.minted * f.old_value  # x (1 / old supply)
    assert lost * ROUNDING_LOSS_MAX <= f.valuation * old_supply, f


TestPoolAgreesWithModel = PoolMachine.TestCase
# A step reads ~40 views after any successful transaction (~20 ms); `ci` runs 12 examples
# of up to 40 steps, about a quarter of a minute on two cores.
TestPoolAgreesWithModel.settings = (
    settings(active_settings(), max_examples=12) if active_profile() == "ci" else active_settings()
)


def test_pool__every_bpc_burned_with_value_pooled__minter_gets_no_more_than_its_patent() -> None:
    """One provider pools a 50,000 USD patent and holds every BPC; it burns them all (a
    burn may leave zero outstanding); the same provider then pools a 1 USD patent. The
    unowned 50,000 USD go to the fund at the initial NAV first, so the provider's new BPC
    are worth its 1 USD patent, not the whole pool."""
    machine = PoolMachine()
    usd = 10**18
    try:
        patent = (
            ("US", "1"),
            Source.CONTRIBUTED,
            "none",
            YEAR,
            (80, 50_000 * usd),
            (80, 50_000 * usd),
        )
        machine.start(split=(7_000, 1_000, 2_000), seeds=[patent])
        machine.burn("provider", "all")
        assert machine.c.bpc.totalSupply() == 0
        assert machine.c.pool.pooled_value() == 50_000 * usd
        machine.lifecycle(("US", "2"), Source.CONTRIBUTED, "none", YEAR, (80, usd), (80, usd))
        f = machine.facts[-1]
        assert machine.c.bpc.balanceOf(machine.c.fund.address) == 500 * 10**18  # 50,000 USD
        # a contributor's new BPC are worth at most its patent (as any other pooling ensures)
        assert f.minted * f.new_value <= f.valuation * f.new_supply
        assert f.minted == 10**16  # 1 USD at 100 USD per BPC
    finally:
        machine.teardown()


def test_pool__mandate_expires_then_ends__centre_earns_only_while_it_holds() -> None:
    """A provider's patent, the only one pooled, under a mandate its centre accepted (5%
    of the fees it earns alone, for 30 days), earns a fee alone and a pool-wide fee: the
    centre takes 5% of the first and the centres' 10% of the second. At the expiry a fee
    the patent earns alone pays the centre nothing; a pool-wide one still credits it its
    weight (until someone ends the mandate: SECURITY.md, known limits); a stranger ends it,
    and the next pool-wide fee pays it nothing. Every invariant holds after each step."""
    machine = PoolMachine()
    usd = 10**18
    checks = [
        machine.mandates_agree_with_model,
        machine.a_mandate_never_outlives_its_tenure,
        machine.a_centre_earns_only_under_a_mandate,
        machine.royalties_agree_with_model,
        machine.royalties_never_owe_more_than_came_in,
        machine.royalties_hold_what_they_owe,
        machine.earnings_track_exact_shares,
    ]
    try:
        patent = (("US", "1"), Source.CONTRIBUTED, "centre", YEAR, (80, 50_000 * usd), (80, usd))
        machine.start((7_000, 1_000, 2_000), [patent], mandated=True, share=500, span=30 * DAY)
        pid, r = patent_id("US", "1"), machine.c.royalties
        centre, _, share, expiry, state = machine.c.mandates.mandate_of(pid)
        assert (centre, share, state) == (ADDRESS["centre"], 500, MandateState.IN_FORCE)
        fee = 10_000
        steps = [
            (lambda: machine._pay_for(pid, "licensee", fee, "exact", True), 500),
            (lambda: machine.pay("licensee", fee, "exact", True), 1_000),
            (lambda: machine._wait_until(expiry), 0),
            (lambda: machine._pay_for(pid, "licensee", fee, "exact", True), 0),
            (lambda: machine.pay("licensee", fee, "exact", True), 1_000),
            (lambda: machine._end_mandate(pid, "attacker"), 0),
            (lambda: machine.pay("licensee", fee, "exact", True), 0),
        ]
        for step, centre_earns in steps:
            before = r.claimable(ADDRESS["centre"])
            step()
            assert r.claimable(ADDRESS["centre"]) - before == centre_earns
            for check in checks:
                check()
        assert machine.c.mandates.mandate_of(pid)[4] == MandateState.NONE
        assert r.centre_weight(ADDRESS["centre"]) == 0
    finally:
        machine.teardown()
