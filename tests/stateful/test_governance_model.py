"""Governance against a Python model: a hypothesis state machine per body.

The chain is titanoboa's EVM (a real EVM in-process, about a millisecond a transaction).
Each transaction is mined in its own block, as anvil's automine would: the harness moves
`block.number` up by one and `block.timestamp` up by `step` (1 or 12) seconds before every
transaction, and moves the model's clock the same way, so "a seat votes only if it was
seated in a block before the proposal's" is exercised exactly. Waits mine an empty block.

Two bodies:
- `CouncilMachine`: 1-7 seats from a pool of ten actors, changed only by the council's own
  executed proposals (`add_seat`, `remove_seat`).
- `CongressMachine`: seats are Alliance's active members. Alliance's owner is a one-seat
  council; the harness calls Alliance *as* that council (`sender=council`), which is what an
  executed council proposal does, without spending the congress's clock on council votes.

Every proposal's first call hits a target counter tagged with the proposal's id, so the
chain itself says how often each proposal executed. The model (governance_model.py)
predicts, for every transaction, success or the exact revert reason. The invariants check,
after every step, every proposal's `state()` against the model and that an expired
proposal stays expired; after every successful transaction, tallies, flags, execution
counts (at most one), timings and seats; and, from what the chain held when it happened,
that every execution had passed, was past its eta and before its expiry.

Besides single transactions (propose, vote, execute, cancel, waits to a proposal's exact
boundaries), rules run whole proposals (`lifecycle`, `pass_proposal`) and races between a
seat change and an open proposal (`seat_race`, `newcomer_votes`), so that executions and
seat changes are common rather than rare.

Profiles and statistics: tests/stateful/helpers.py.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import boa
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hypothesis import strategies as st
from hypothesis.stateful import (
    initialize,
    invariant,
    precondition,
    rule,
)

from bpsa.core.codes import Status
from tests.stateful.conftest import active_settings
from tests.stateful.governance_model import (
    ZERO_ADDRESS,
    AllianceModel,
    GovernanceModel,
    State,
)
from tests.stateful.helpers import YEAR, SnapshotMachine, compiled, note_event

# -- actors and contracts --------------------------------------------------------------------

# Would-be seats and members, named by role (STYLE.md rule 13).
ACTORS = (
    "chair",
    "provider",
    "licensee",
    "expert",
    "regulator",
    "trustee",
    "oracle",
    "hub_operator",
    "university",
    "attacker",
)


def address_of(name: str) -> str:
    """A fixed address per role name (never a precompile, never a contract)."""
    if name == "zero":
        return ZERO_ADDRESS
    return str(to_checksum_address(keccak(text=f"bpsa stateful {name}")[-20:]))


ADDRESS = {name: address_of(name) for name in ACTORS}
COUNCIL_CHAIR = address_of("alliance council chair")  # the congress flavour's one council seat
IDENTITY = b"\x11" * 32
OTHER_IDENTITY = b"\x22" * 32
KIND_NON_PROFIT, KIND_START_UP, KIND_LARGE_ENTERPRISE = 1, 2, 4
# Alliance's refusals of an admission or rejection naming another application.
STALE_REASONS = (
    "alliance: not the pending application",
    "alliance: kind differs from the application",
    "alliance: identity differs from the application",
)

# Counts how often each proposal executed: every proposal's first call is `hit(its id)`.
TARGET_SOURCE = """
# pragma version ~=0.4.3
hits: public(HashMap[uint256, uint256])

@external
def hit(tag: uint256):
    self.hits[tag] += 1

@external
def fail(tag: uint256):
    raise "target: refused"
"""


@functools.cache
def deployers() -> dict[str, Any]:
    """Compiled once per session; each example deploys fresh copies inside a snapshot."""
    return {
        **compiled("Governance", "Alliance"),
        "Target": boa.loads_partial(TARGET_SOURCE, name="Target"),
    }


# Proposals per example. Every step reads state() of every proposal (~0.7 ms each in
# py-evm); a handful of proposals interleaving is where the bugs are, hundreds are not.
MAX_PROPOSALS = 6


def can_propose(machine: Harness) -> bool:
    return machine.ready and machine.model.proposal_count < MAX_PROPOSALS


# -- strategies ------------------------------------------------------------------------------

actors = st.sampled_from(ACTORS)
# Half the time a current seat (resolved when the step runs), half the time anyone.
people = st.one_of(st.sampled_from([f"seat {i}" for i in range(1, 8)]), actors)
# An index into "the latest proposal first, then older ones, then the unknown ids 0 and
# count + 1" (see `_pid`); shrinks toward the latest proposal.
picks = st.integers(min_value=0, max_value=63)
# Long enough for several blocks of votes, or (12 s) over within one or a dozen blocks;
# proposals that change the timings reach the shortest periods.
voting_periods = st.sampled_from([600, 60, 3_600, 12])
delays = st.sampled_from([0, 1, 12, 60, 600])
graces = st.sampled_from([60, 600, 3_600, 1, 12])
timings = st.tuples(voting_periods, delays, graces)
# Seconds each transaction's block is after the previous block.
block_steps = st.sampled_from([1, 12])
# One to seven distinct actors: the seats a council is deployed with, or a congress's members.
seatings = st.lists(actors, min_size=1, max_size=7, unique=True)
votes = st.integers(0, 2)  # no, yes, abstain
supports = st.one_of(votes, st.sampled_from([3, 255]))
# One ballot per seat, in seat order: yes, no, abstain or no vote at all. Yes is likeliest
# and one seat in three stays away, so turnout often lands exactly on half the seats, the
# quorum's edge. (`pass_proposal` is the rule where every seat votes yes.)
ballots = st.lists(st.sampled_from([1, None, 1, 0, None, 2]), min_size=7, max_size=7)
flaws = st.sampled_from([None, None, None, None, "no calls", "eoa target"])

# Empty blocks: mostly a few seconds, sometimes across a boundary, now and then days.
waits = st.one_of(
    st.integers(1, 20), st.integers(1, 20), st.integers(21, 2_000), st.integers(2_001, 10**6)
)
# Where a lifecycle's execution lands: on a boundary, one second either side, or well inside.
edges = st.sampled_from(["eta", "eta", "expiry"])
offsets = st.sampled_from([0, 1, -1, 30])

# When a unanimous proposal's execution is tried: at its eta mostly, or at its expiry.
executions_at = st.sampled_from(
    [("eta", 0), ("eta", 1), ("eta", 0), ("eta", -1), ("expiry", 0), ("expiry", -1)]
)

# Calls a proposal makes after its counter hit. Names, not addresses, so a failing example
# reads well; "zero" is the zero address.
# "a newcomer" and "a seat" are resolved when the proposal is made (the first actor without
# a seat, the latest seat), so most seat changes are valid when proposed; named ones are
# often not, and any of them may have become invalid by the time the proposal executes.
seat_actions = st.one_of(
    st.tuples(st.just("add_seat"), st.just("a newcomer")),
    st.tuples(st.just("remove_seat"), st.just("a seat")),
    st.tuples(st.just("add_seat"), st.just("a newcomer")),
    st.tuples(st.just("add_seat"), st.sampled_from((*ACTORS, "zero"))),
    st.tuples(st.just("remove_seat"), actors),
)
# New timings: a later proposal's timeline changes, made ones must not. Zero voting or
# grace periods are refused, and so is anything above a year.
other_actions = st.one_of(
    st.tuples(
        st.just("set_parameters"),
        st.sampled_from([60, 1, 600, 3_600, 0, 60, 600, YEAR + 1]),
        st.sampled_from([0, 1, 60, 600, 86_400, YEAR, YEAR + 1]),
        st.sampled_from([60, 1, 600, 86_400, 0, 60, 600, YEAR + 1]),
    ),
    st.just(("fail",)),
)
council_extras = st.lists(st.one_of(seat_actions, seat_actions, other_actions), max_size=2)
congress_extras = st.lists(st.one_of(other_actions, seat_actions), max_size=2)


@dataclass(frozen=True)
class Execution:
    """What the chain said about a proposal in the block that executed it."""

    pid: int
    now: int
    proposal: Any  # Governance.proposals(pid): seats, yes, no, abstain, vote_end, eta, expires


class Harness(SnapshotMachine):
    """Chain plumbing, the model, the transactions each rule is made of, and the invariants
    every machine checks. No rules here: the machines below choose theirs."""

    model: GovernanceModel

    def __init__(self) -> None:
        super().__init__()
        self.ready = False
        self.changed = False
        self.seen_expired: set[int] = set()
        self.executions: list[Execution] = []
        # every application each address made, as a council reviewing it would name it
        self.reviewed: dict[str, list[tuple[int, int, bytes]]] = {}

    # -- chain plumbing ----------------------------------------------------------------------

    def _start(self, step: int, timing: tuple[int, int, int], alliance: bool) -> None:
        patch = boa.env.evm.patch
        vp, delay, grace = timing
        self.step = step
        self.model = GovernanceModel(
            voting_period=vp,
            execution_delay=delay,
            grace_period=grace,
            block=int(patch.block_number),
            now=int(patch.timestamp),
            alliance=AllianceModel() if alliance else None,
        )
        self._mine()
        self.target = deployers()["Target"].deploy()

    def _deploy_council(self, seats: list[str], timing: tuple[int, int, int], step: int) -> None:
        self._start(step, timing, alliance=False)
        self._mine()
        addresses = [ADDRESS[s] for s in seats]
        self.gov = deployers()["Governance"].deploy("council", addresses, ZERO_ADDRESS, *timing)
        for seat in addresses:
            assert self.model.add_seat(seat) is None
        self.ready = True

    def _mine(self, timestamp: int | None = None) -> None:
        """Open the next block: one block per transaction, `step` seconds apart."""
        m = self.model
        m.block += 1
        m.now = m.now + self.step if timestamp is None else timestamp
        boa.env.evm.patch.block_number = m.block
        boa.env.evm.patch.timestamp = m.now

    def _sent(self, name: str, args: tuple[Any, ...], sender: str) -> None:
        self.changed = True

    def _pid(self, pick: int) -> int:
        """The latest proposal for 0, older ones above; now and then an unknown id."""
        n = self.model.proposal_count
        if n == 0 or pick >= 62:
            return 0 if pick % 2 else n + 1
        return n - pick % n

    def _in_state(self, *states: State) -> list[int]:
        m = self.model
        return [pid for pid in sorted(m.proposals, reverse=True) if m.state(pid) in states]

    def _seat(self, pick: int) -> str:
        """A current seat (an outsider when there is none)."""
        seats = self._current_seats() or [ADDRESS["attacker"]]
        return seats[pick % len(seats)]

    def _who(self, ref: str) -> str:
        """An actor by name, or "seat N": the Nth current seat (counting round)."""
        if ref.startswith("seat "):
            return self._seat(int(ref.removeprefix("seat ")) - 1)
        return ADDRESS[ref]

    def _current_seats(self) -> list[str]:
        m = self.model
        if m.alliance is None:
            return list(m.seat_list)
        return [a for a in ADDRESS.values() if m.alliance.status_of(a) == Status.ACTIVE]

    def _encode(self, pid: int, extras: list[tuple[Any, ...]]) -> tuple[list[Any], list[Any]]:
        """Model actions and real calls for proposal `pid`: its counter hit, then `extras`."""
        actions: list[tuple[Any, ...]] = [("hit", pid)]
        calls = [(self.target.address, self.target.hit.prepare_calldata(pid))]
        gov = self.gov
        seats = self._current_seats()
        newcomers = [a for a in ADDRESS.values() if a not in seats]
        for extra in extras:
            kind = extra[0]
            if kind in ("add_seat", "remove_seat"):
                if extra[1] == "a newcomer":
                    who = newcomers.pop(0) if newcomers else ADDRESS["attacker"]
                elif extra[1] == "a seat":
                    who = seats.pop() if seats else ADDRESS["attacker"]
                else:
                    who = address_of(extra[1])
                actions.append((kind, who))
                calls.append((gov.address, getattr(gov, kind).prepare_calldata(who)))
            elif kind == "set_parameters":
                actions.append(tuple(extra))
                calls.append((gov.address, gov.set_parameters.prepare_calldata(*extra[1:])))
            elif kind == "fail":
                actions.append(("fail",))
                calls.append((self.target.address, self.target.fail.prepare_calldata(pid)))
            else:
                raise AssertionError(extra)
        return actions, calls

    # -- transactions ----------------------------------------------------------------------------

    def _propose(self, proposer: str, extras: list[tuple[Any, ...]], flaw: str | None) -> None:
        m = self.model
        self._mine()
        pid = m.proposal_count + 1
        actions, calls = self._encode(pid, extras)
        if flaw == "no calls":
            actions, calls = [], []
        elif flaw == "eoa target":
            actions.append(("eoa",))
            calls.append((ADDRESS["attacker"], b"\x01"))
        reason = m.propose(proposer, actions, calls)
        got = self._send(reason, self.gov.propose, calls, "stateful", sender=proposer)
        if reason is None:
            assert got == pid
            p = m.proposals[pid]
            chain = self.gov.proposals(pid)
            assert chain.proposer == proposer
            assert chain.created_block == p.created_block == m.block
            assert (chain.vote_end, chain.eta, chain.expires) == (p.vote_end, p.eta, p.expires)
            assert chain.seats == p.seats
            assert chain.calls_hash == p.calls_hash == self.gov.hash_calls(calls)

    def _vote(self, voter: str, pid: int, support: int) -> None:
        m = self.model
        self._mine()
        assert self.gov.can_vote(pid, voter) == m.can_vote(pid, voter)
        reason = m.vote(voter, pid, support)
        self._send(reason, self.gov.vote, pid, support, sender=voter)

    def _execute(self, pid: int, caller: str, tamper: bool) -> None:
        m, gov = self.model, self.gov
        self._mine()
        p = m.proposals.get(pid)
        if p is None:
            calls = [(self.target.address, self.target.hit.prepare_calldata(pid))]
        elif tamper:
            # the counter hit aimed at another tag: same target, different data
            calls = [(self.target.address, self.target.hit.prepare_calldata(pid + 1000))]
            calls += p.calls[1:]
        else:
            calls = list(p.calls)
        reason = m.execute(pid, calls)
        if reason is None:
            record = Execution(pid, m.now, gov.proposals(pid))
        self._send(reason, gov.execute, pid, calls, sender=caller)
        if reason is None:
            self.executions.append(record)
            for action in m.proposals[pid].actions[1:]:
                note_event(f"executed {action[0]}")

    def _lifecycle(
        self,
        seat: int,
        extras: list[tuple[Any, ...]],
        ballots: list[int | None],
        edge: str,
        offset: int,
        caller: str,
        meanwhile: list[int | None] | None = None,
    ) -> None:
        """One proposal from start to end: a seat proposes, the seats vote, time runs to
        `edge` + `offset` (eta or expiry) and someone executes. Each part is the same
        transaction, checked the same way, as the single-step rules.

        With `meanwhile`, a second proposal is made in the block before the execution, and
        after it every seat there is by then casts its `meanwhile` ballot on it: seats the
        first proposal added must be refused ("seat taken after the proposal"), seats it
        removed too."""
        m = self.model
        pid = m.proposal_count + 1
        self._propose(self._seat(seat), extras, None)
        if m.proposal_count < pid:
            return
        self._ballot(pid, ballots)
        second = None
        if meanwhile is not None and can_propose(self):
            # made in the block just before the execution, so still open after it
            self._wait_for(pid, edge, offset - self.step)
            self._propose(self._seat(seat + 1), [], None)
            second = m.proposal_count if m.proposal_count != pid else None
        else:
            self._wait_for(pid, edge, offset)
        self._execute(pid, ADDRESS[caller], tamper=False)
        if second is not None and meanwhile is not None:
            # newest seats first (seat lists append), then everyone without a seat
            voters = self._current_seats()[::-1]
            voters += [a for a in ADDRESS.values() if not m.is_seat(a)]
            self._ballot(second, meanwhile, voters)

    def _ballot(self, pid: int, ballots: list[int | None], voters: list[str] | None = None) -> None:
        """`voters` (by default the current seats) vote in turn; a None ballot skips."""
        for voter, support in zip(voters or self._current_seats(), ballots, strict=False):
            if support is not None:
                self._vote(voter, pid, support)

    def _wait_for(self, pid: int, edge: str, offset: int) -> None:
        m = self.model
        p = m.proposals.get(pid)
        if p is None:
            return
        at = {"vote_end": p.vote_end, "eta": p.eta, "expiry": p.expires}[edge]
        timestamp = at + offset - self.step
        if timestamp > m.now:
            self._mine(timestamp)

    # -- invariants --------------------------------------------------------------------------------

    @invariant()
    def states_agree_with_model(self) -> None:
        """state() of every proposal, after every step: time alone moves states, so this
        runs after waits and reverted transactions too. Independently of the model, a
        proposal once reported expired must stay expired (or be cancelled): a later
        `set_parameters` once revived expired proposals."""
        if not self.ready:
            return
        m, gov = self.model, self.gov
        for pid in range(1, m.proposal_count + 1):
            chain = State(gov.state(pid))
            assert chain == m.state(pid), f"proposal {pid}: chain {chain!r}, model {m.state(pid)!r}"
            if pid in self.seen_expired:
                assert chain in (State.EXPIRED, State.CANCELLED), f"expired {pid} is {chain!r}"
            elif chain == State.EXPIRED:
                self.seen_expired.add(pid)

    @invariant()
    def records_agree_with_model(self) -> None:
        """Tallies, flags, execution counts and seats, after every successful transaction.

        (Storage changes only when a transaction succeeds, so other steps are skipped.)"""
        if not (self.ready and self.changed):
            return
        self.changed = False
        m, gov = self.model, self.gov
        assert gov.proposal_count() == m.proposal_count
        assert gov.state(0) == gov.state(m.proposal_count + 1) == State.NONE
        for pid in range(1, m.proposal_count + 1):
            chain, p = gov.proposals(pid), m.proposals[pid]
            assert (chain.yes, chain.no, chain.abstain) == (p.yes, p.no, p.abstain), pid
            assert (chain.executed, chain.cancelled) == (p.executed, p.cancelled), pid
            # one vote per seat counted at creation, at most
            assert chain.yes + chain.no + chain.abstain <= chain.seats, pid
            # executed at most once, and exactly when the flag says so
            hits = self.target.hits(pid)
            assert hits == (1 if chain.executed else 0), f"proposal {pid} executed {hits} times"
            assert hits == m.hits.get(pid, 0), pid
        timing = (gov.voting_period(), gov.execution_delay(), gov.grace_period())
        assert timing == (m.voting_period, m.execution_delay, m.grace_period)
        assert gov.seat_count() == m.seat_count
        assert [gov.is_seat(a) for a in ADDRESS.values()] == [
            m.is_seat(a) for a in ADDRESS.values()
        ]
        assert [str(a) for a in gov.seats()] == m.seats()

    @invariant()
    def executions_were_allowed(self) -> None:
        """Every execution happened passed, after its delay and before its expiry.

        Judged from what the chain held in the executing block, not from the model."""
        for e in self.executions:
            p = e.proposal
            turnout = p.yes + p.no + p.abstain
            assert 2 * turnout > p.seats and p.yes > p.no, e
            assert p.vote_end <= p.eta <= e.now < p.expires, e
        assert len({e.pid for e in self.executions}) == len(self.executions)


class GovernanceMachine(Harness):
    """Single-transaction rules both bodies share; subclasses deploy and add their own."""

    # -- votes

    @rule(voter=people, pick=picks, support=supports)
    def vote(self, voter: str, pick: int, support: int) -> None:
        """A seat or anyone else votes on some proposal, with a valid support or not."""
        self._vote(self._who(voter), self._pid(pick), support)

    @precondition(lambda self: self.ready and self._in_state(State.VOTING))
    @rule(pick=picks, ballots=ballots)
    def seats_vote(self, pick: int, ballots: list[int | None]) -> None:
        """The current seats vote in turn on an open proposal, one block each; None skips.

        Turnout around half the seats and yes close to no are where quorum bugs live."""
        open_ = self._in_state(State.VOTING)
        self._ballot(open_[pick % len(open_)], ballots)

    # -- execute and cancel

    @rule(which=st.one_of(st.just("a ready one"), picks), caller=actors, tamper=st.booleans())
    def execute(self, which: str | int, caller: str, tamper: bool) -> None:
        """Anyone executes a proposal (one the model holds ready, or any), with its calls
        or with calls that differ."""
        ready = self._in_state(State.READY)
        if which == "a ready one" and ready:
            pid = ready[0]
        else:
            pid = self._pid(which if isinstance(which, int) else 0)
        self._execute(pid, ADDRESS[caller], tamper)

    @rule(pick=picks, by_proposer=st.booleans(), other=actors)
    def cancel(self, pick: int, by_proposer: bool, other: str) -> None:
        m = self.model
        pid = self._pid(pick)
        p = m.proposals.get(pid)
        sender = p.proposer if (p is not None and by_proposer) else ADDRESS[other]
        self._mine()
        reason = m.cancel(sender, pid)
        self._send(reason, self.gov.cancel, pid, sender=sender)

    @rule(caller=actors, which=st.sampled_from(["add_seat", "remove_seat", "set_parameters"]))
    def call_admin_directly(self, caller: str, which: str) -> None:
        """Seat and parameter changes from outside a proposal are refused."""
        self._mine()
        fn = getattr(self.gov, which)
        args = (60, 60, 60) if which == "set_parameters" else (ADDRESS[caller],)
        self._send("governance: only through a proposal", fn, *args, sender=ADDRESS[caller])

    # -- time

    @rule(seconds=waits)
    def wait(self, seconds: int) -> None:
        """An empty block `seconds` later (evm_increaseTime + evm_mine)."""
        self._mine(self.model.now + seconds)

    @precondition(lambda self: self.ready and self.model.proposal_count > 0)
    @rule(pick=picks, edge=st.sampled_from(["vote_end", "eta", "expiry"]), offset=offsets)
    def wait_for_edge(self, pick: int, edge: str, offset: int) -> None:
        """An empty block placed so that the next transaction lands on edge + offset."""
        self._wait_for(self._pid(pick), edge, offset)


def proposal_rules(body_extras: st.SearchStrategy[list[Any]]) -> tuple[Any, Any, Any]:
    """The rules that make proposals, the same in both bodies but for the extras each
    proposes (`body_extras`): `propose`, `lifecycle` and `pass_proposal`."""

    @precondition(can_propose)
    @rule(proposer=people, extras=body_extras, flaw=flaws)
    def propose(
        self: GovernanceMachine, proposer: str, extras: list[Any], flaw: str | None
    ) -> None:
        """A seat (in a congress, a member) or anyone else proposes: seats and active
        members succeed, others are refused."""
        self._propose(self._who(proposer), extras, flaw)

    @precondition(can_propose)
    @rule(
        seat=picks,
        extras=body_extras,
        ballots=ballots,
        edge=edges,
        offset=offsets,
        caller=actors,
        meanwhile=st.one_of(ballots, ballots, st.none()),
    )
    def lifecycle(
        self: GovernanceMachine,
        seat: int,
        extras: list[Any],
        ballots: list[int | None],
        edge: str,
        offset: int,
        caller: str,
        meanwhile: list[int | None] | None,
    ) -> None:
        """A proposal from start to end (and perhaps a second one made meanwhile)."""
        self._lifecycle(seat, extras, ballots, edge, offset, caller, meanwhile)

    @precondition(can_propose)
    @rule(
        seat=picks,
        extras=body_extras,
        when=executions_at,
        caller=actors,
        meanwhile=st.none() | ballots,
    )
    def pass_proposal(
        self: GovernanceMachine,
        seat: int,
        extras: list[Any],
        when: tuple[str, int],
        caller: str,
        meanwhile: list[int | None] | None,
    ) -> None:
        """Every seat votes yes; someone executes it at `when` (eta or expiry, on the
        second or one either side)."""
        self._lifecycle(seat, extras, [1] * 7, *when, caller, meanwhile)

    return propose, lifecycle, pass_proposal


class CouncilMachine(GovernanceMachine):
    """A council: seats given at deploy, then changed only by its own proposals."""

    @initialize(seats=seatings, timing=timings, step=block_steps)
    def deploy(self, seats: list[str], timing: tuple[int, int, int], step: int) -> None:
        self._deploy_council(seats, timing, step)

    propose, lifecycle, pass_proposal = proposal_rules(council_extras)

    @precondition(can_propose)
    @rule(change=seat_actions, caller=actors, meanwhile=ballots)
    def seat_race(self, change: tuple[str, str], caller: str, meanwhile: list[int | None]) -> None:
        """A seat change passes and executes while a later proposal is still open; then
        everyone votes on that one: the new seat must be refused (its seat is younger
        than the proposal), a removed one too."""
        self._lifecycle(0, [change], [1] * 7, "eta", 0, caller, meanwhile)


class CongressMachine(GovernanceMachine):
    """A member congress: seats are Alliance's active members."""

    @initialize(members=seatings, timing=timings, step=block_steps)
    def deploy(self, members: list[str], timing: tuple[int, int, int], step: int) -> None:
        self._start(step, timing, alliance=True)
        d = deployers()
        self._mine()
        self.council = d["Governance"].deploy(
            "council", [COUNCIL_CHAIR], ZERO_ADDRESS, 3600, 600, 7200
        )
        self._mine()
        self.alliance = d["Alliance"].deploy(self.council.address)
        self._mine()
        self.gov = d["Governance"].deploy("congress", [], self.alliance.address, *timing)
        for name in members:
            self.membership("join", name, KIND_START_UP, IDENTITY)
        self.ready = True

    @rule(
        action=st.sampled_from(
            ["join", "suspend", "reinstate", "apply", "admit", "reject", "expel"]
        ),
        who=actors,
        kind=st.sampled_from(
            [KIND_START_UP, KIND_START_UP, KIND_LARGE_ENTERPRISE, KIND_NON_PROFIT]
        ),
        identity=st.sampled_from([IDENTITY, IDENTITY, OTHER_IDENTITY]),
        stale=st.sampled_from([False, False, False, True]),
    )
    def membership(
        self, action: str, who: str, kind: int, identity: bytes, stale: bool = False
    ) -> None:
        """An applicant applies (as some kind, with some identity), or the council admits,
        rejects, suspends, reinstates, expels; "join" is apply then admit, two blocks. An
        admission or rejection names the application pending when the council reviewed
        it: mostly the current one, or (`stale`) an earlier one of the same address, as a
        proposal voted before a rejection and a new application would."""
        if action == "join":
            self.membership("apply", who, kind, identity)
            action = "admit"
        alliance_model = self.model.alliance
        assert alliance_model is not None
        addr = ADDRESS[who]
        self._mine()
        if action == "apply":
            reason = alliance_model.apply(addr, kind, identity)
            self._send(reason, self.alliance.apply, kind, identity, sender=addr)
            if reason is None:
                self.reviewed.setdefault(addr, []).append(alliance_model.application_of(addr))
        elif action in ("admit", "reject"):
            named = alliance_model.application_of(addr)
            if stale and self.reviewed.get(addr):
                named = self.reviewed[addr][0]  # the first application it ever made
            model_fn = getattr(alliance_model, action)
            reason = (
                model_fn(addr, self.model.block, named)
                if action == "admit"
                else model_fn(addr, named)
            )
            self._send(
                reason,
                getattr(self.alliance, action),
                addr,
                *named,
                sender=self.council.address,
            )
            if reason in STALE_REASONS:
                note_event(f"{action}: a stale application refused")
        else:
            model_fn = getattr(alliance_model, action)
            reason = model_fn(addr, self.model.block) if action == "reinstate" else model_fn(addr)
            self._send(reason, getattr(self.alliance, action), addr, sender=self.council.address)
        assert self.alliance.status_of(addr) == alliance_model.status_of(addr)
        assert self.alliance.active_since(addr) == alliance_model.active_since.get(addr, 0)

    @invariant()
    def every_admission_admitted_the_application_named(self) -> None:
        """Every member the council admitted holds, on chain, the application (number, kind,
        identity) its admission named."""
        if not self.ready:
            return
        alliance_model = self.model.alliance
        assert alliance_model is not None
        for addr, named in alliance_model.admitted_as.items():
            number, kind, identity = self.alliance.application_of(addr)
            assert (number, kind, bytes(identity)) == named, addr
            assert alliance_model.application_of(addr) == named, addr

    @precondition(lambda self: self.ready)
    @rule(pick=picks, who=actors)
    def expelled_proposer_cancels(self, pick: int, who: str) -> None:
        """A member proposes, is expelled, and tries to cancel its proposal: refused."""
        alliance_model = self.model.alliance
        assert alliance_model is not None
        addr = ADDRESS[who]
        mine = [pid for pid, p in self.model.proposals.items() if p.proposer == addr]
        if not mine or alliance_model.status_of(addr) not in (Status.ACTIVE, Status.SUSPENDED):
            return
        self.membership("expel", who, KIND_START_UP, IDENTITY)
        pid = mine[pick % len(mine)]
        reason = self.model.cancel(addr, pid)
        self._send(reason, self.gov.cancel, pid, sender=addr)
        if reason == "governance: the proposer holds no seat":
            note_event("cancel: by an expelled proposer, refused")

    propose, lifecycle, pass_proposal = proposal_rules(congress_extras)

    @precondition(lambda self: self.ready and self._in_state(State.VOTING))
    @rule(how=st.sampled_from(["join", "reinstate"]), who=picks, pick=picks, support=votes)
    def newcomer_votes(self, how: str, who: int, pick: int, support: int) -> None:
        """While a proposal is open, an outsider joins (or a member is suspended and
        reinstated), then votes on it: refused, its seat is younger than the proposal."""
        alliance_model = self.model.alliance
        assert alliance_model is not None
        if how == "join":
            fresh = (Status.NONE, Status.REJECTED)
            candidates = [n for n in ACTORS if alliance_model.status_of(ADDRESS[n]) in fresh]
        else:
            candidates = [n for n in ACTORS if self.model.is_seat(ADDRESS[n])]
        if not candidates:
            return
        name = candidates[who % len(candidates)]
        if how == "join":
            self.membership("join", name, KIND_START_UP, IDENTITY)
        else:
            self.membership("suspend", name, KIND_START_UP, IDENTITY)
            self.membership("reinstate", name, KIND_START_UP, IDENTITY)
        open_ = self._in_state(State.VOTING)
        if open_:
            self._vote(ADDRESS[name], open_[pick % len(open_)], support)


TestCouncilAgreesWithModel = CouncilMachine.TestCase
TestCouncilAgreesWithModel.settings = active_settings()
TestCongressAgreesWithModel = CongressMachine.TestCase
TestCongressAgreesWithModel.settings = active_settings()


def test_set_parameters__longer_grace_after_expiry__proposal_stays_expired() -> None:
    """Regression: the counterexample the stateful test found, replayed step for step.

    A one-seat council passes proposal 1 and lets its grace period run out unexecuted;
    proposal 2 then sets a grace period of a day. Governance used to apply new timings to
    proposals already made, which made proposal 1 READY again, executable by anyone. Each
    proposal now fixes its timeline when it is made.
    """
    machine = CouncilMachine()
    everyone_yes = [1] * 7
    try:
        machine.deploy(seats=["chair"], timing=(600, 0, 60), step=1)
        machine.lifecycle(
            seat=0,
            extras=[],
            ballots=everyone_yes,
            edge="expiry",
            offset=0,
            caller="chair",
            meanwhile=None,
        )
        machine.states_agree_with_model()
        assert State(machine.gov.state(1)) == State.EXPIRED
        machine.pass_proposal(
            seat=0,
            extras=[("set_parameters", 600, 0, 86_400)],
            when=("eta", 0),
            caller="chair",
            meanwhile=None,
        )
        assert State(machine.gov.state(2)) == State.EXECUTED
        assert machine.gov.grace_period() == 86_400
        machine.states_agree_with_model()
        assert State(machine.gov.state(1)) == State.EXPIRED
    finally:
        machine.teardown()
