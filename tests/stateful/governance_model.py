"""A pure-Python model of Governance.vy (and of the slice of Alliance.vy a congress reads).

No chain here: the state machine in `test_governance_model.py` drives the contracts and this
model side by side and compares them. The model is written from the contracts' NatSpec and
DESIGN.md ("a vote passes with more than half of the seats taking part and a majority of votes
cast; a passed proposal executes after a delay; proposals expire"), not by transliterating the
Vyper, so a disagreement is a finding on one side or the other. A proposal's timeline (vote
end, eta, expiry) is fixed when it is made; `set_parameters` only affects later proposals.

Every operation returns the revert reason the chain must give, or None when the call succeeds
(having applied its effects to the model).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import ClassVar

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bpsa.core.codes import ProposalState, Status

ZERO_ADDRESS = "0x" + "00" * 20
MAX_PERIOD = 365 * 86_400  # no timing parameter may exceed a year

SUPPORT_NO, SUPPORT_YES, SUPPORT_ABSTAIN = 0, 1, 2


# The model speaks the contracts' own numbering (bpsa.core.codes, checked against the
# Vyper sources by tests/python/test_codes.py).
State = ProposalState


# What a proposal call does, as the model understands it. Each one is encoded to a real
# (target, calldata) pair by the harness.
#   ("hit", tag)                      target counter: counts one execution of proposal `tag`
#   ("fail",)                         target counter: always reverts "target: refused"
#   ("add_seat", who)                 Governance.add_seat
#   ("remove_seat", who)              Governance.remove_seat
#   ("set_parameters", vp, delay, grace)
#   ("eoa",)                          a call to an address with no code (propose refuses it)
Action = tuple[object, ...]


@dataclass
class Proposal:
    pid: int
    proposer: str
    created_block: int
    vote_end: int
    eta: int  # the timeline is fixed when the proposal is made
    expires: int
    seats: int
    actions: list[Action]
    calls: list[tuple[str, bytes]]
    yes: int = 0
    no: int = 0
    abstain: int = 0
    executed: bool = False
    cancelled: bool = False
    voters: set[str] = field(default_factory=set)

    @property
    def turnout(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def passed(self) -> bool:
        """More than half of the seats counted at creation took part; yes beat no."""
        return 2 * self.turnout > self.seats and self.yes > self.no

    @property
    def calls_hash(self) -> bytes:
        return calls_hash(self.calls)


def calls_hash(calls: list[tuple[str, bytes]]) -> bytes:
    """keccak256(abi_encode(calls)) for a DynArray[Call, 8], as Governance stores it."""
    return keccak(encode(["(address,bytes)[]"], [calls]))


# An application as `admit` and `reject` name it: (number, kind, identity digest).
Application = tuple[int, int, bytes]


@dataclass
class AllianceModel:
    """Member statuses, the block each member last became active, each address's latest
    application and the application each member was admitted on."""

    status: dict[str, Status] = field(default_factory=dict)
    active_since: dict[str, int] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    application_count: int = 0
    admitted_as: dict[str, Application] = field(default_factory=dict)

    def status_of(self, who: str) -> Status:
        return self.status.get(who, Status.NONE)

    @property
    def active_count(self) -> int:
        return sum(1 for s in self.status.values() if s == Status.ACTIVE)

    def application_of(self, who: str) -> Application:
        return self.applications.get(who, (0, 0, b"\x00" * 32))

    def apply(self, who: str, kind: int, identity: bytes) -> str | None:
        status = self.status_of(who)
        if status == Status.APPLIED:
            return "alliance: application already pending"
        if status == Status.EXPELLED:
            return "alliance: expelled members cannot apply"
        if status not in (Status.NONE, Status.REJECTED):
            return "alliance: already a member"
        self.status[who] = Status.APPLIED
        self.application_count += 1
        self.applications[who] = (self.application_count, kind, identity)
        return None

    def _named_reason(self, who: str, named: Application) -> str | None:
        """An admission or rejection names the pending application it decides."""
        if self.status_of(who) != Status.APPLIED:
            return "alliance: no pending application"
        number, kind, identity = self.application_of(who)
        if named[0] != number:
            return "alliance: not the pending application"
        if named[1] != kind:
            return "alliance: kind differs from the application"
        if named[2] != identity:
            return "alliance: identity differs from the application"
        return None

    def admit(self, who: str, block: int, named: Application) -> str | None:
        reason = self._named_reason(who, named)
        if reason:
            return reason
        self.status[who] = Status.ACTIVE
        self.active_since[who] = block
        self.admitted_as[who] = named
        return None

    def reject(self, who: str, named: Application) -> str | None:
        reason = self._named_reason(who, named)
        if reason:
            return reason
        self.status[who] = Status.REJECTED
        return None

    def suspend(self, who: str) -> str | None:
        if self.status_of(who) != Status.ACTIVE:
            return "alliance: not an active member"
        self.status[who] = Status.SUSPENDED
        return None

    def reinstate(self, who: str, block: int) -> str | None:
        if self.status_of(who) != Status.SUSPENDED:
            return "alliance: not a suspended member"
        self.status[who] = Status.ACTIVE
        self.active_since[who] = block
        return None

    def expel(self, who: str) -> str | None:
        if self.status_of(who) not in (Status.ACTIVE, Status.SUSPENDED):
            return "alliance: not a member"
        self.status[who] = Status.EXPELLED
        return None


@dataclass
class GovernanceModel:
    """One Governance body. `alliance` is None for a council, set for a congress.

    `block` and `now` are the number and timestamp of the block the chain is at: the harness
    mines one block per transaction, as anvil's automine does, and moves both here first.
    """

    voting_period: int
    execution_delay: int
    grace_period: int
    block: int
    now: int
    alliance: AllianceModel | None = None
    # Council seats in the contract's order (swap-and-pop on removal) and their seat blocks.
    seat_list: list[str] = field(default_factory=list)
    seat_since: dict[str, int] = field(default_factory=dict)
    proposals: dict[int, Proposal] = field(default_factory=dict)
    # Executions of each proposal's target counter, by tag (= proposal id).
    hits: dict[int, int] = field(default_factory=dict)

    # -- seats -------------------------------------------------------------------------------

    @property
    def is_council(self) -> bool:
        return self.alliance is None

    def is_seat(self, who: str) -> bool:
        if self.alliance is None:
            return who in self.seat_since
        return self.alliance.status_of(who) == Status.ACTIVE

    def seated_at(self, who: str) -> int:
        if self.alliance is None:
            return self.seat_since.get(who, 0)
        return self.alliance.active_since.get(who, 0)

    @property
    def seat_count(self) -> int:
        if self.alliance is None:
            return len(self.seat_list)
        return self.alliance.active_count

    def seats(self) -> list[str]:
        return list(self.seat_list) if self.alliance is None else []

    # -- proposals ---------------------------------------------------------------------------

    @property
    def proposal_count(self) -> int:
        return len(self.proposals)

    def state(self, pid: int) -> State:
        p = self.proposals.get(pid)
        if p is None:
            return State.NONE
        if p.executed:
            return State.EXECUTED
        if p.cancelled:
            return State.CANCELLED
        if self.now < p.vote_end:
            return State.VOTING
        if not p.passed:
            return State.DEFEATED
        if self.now < p.eta:
            return State.QUEUED
        if self.now < p.expires:
            return State.READY
        return State.EXPIRED

    def can_vote(self, pid: int, who: str) -> bool:
        p = self.proposals.get(pid)
        return (
            p is not None
            and self.state(pid) == State.VOTING
            and self.is_seat(who)
            and self.seated_at(who) < p.created_block
            and who not in p.voters
        )

    def propose(
        self, sender: str, actions: list[Action], calls: list[tuple[str, bytes]]
    ) -> str | None:
        if not self.is_seat(sender):
            return "governance: proposer is not a seat"
        if not actions:
            return "governance: proposal has no calls"
        if any(a[0] == "eoa" for a in actions):
            return "governance: call target is not a contract"
        pid = self.proposal_count + 1
        vote_end = self.now + self.voting_period
        eta = vote_end + self.execution_delay
        self.proposals[pid] = Proposal(
            pid=pid,
            proposer=sender,
            created_block=self.block,
            vote_end=vote_end,
            eta=eta,
            expires=eta + self.grace_period,
            seats=self.seat_count,
            actions=list(actions),
            calls=list(calls),
        )
        return None

    def vote(self, sender: str, pid: int, support: int) -> str | None:
        p = self.proposals.get(pid)
        if p is None:
            return "governance: unknown proposal"
        if p.cancelled:
            return "governance: proposal cancelled"
        if self.now >= p.vote_end:
            return "governance: voting closed"
        if support not in (SUPPORT_NO, SUPPORT_YES, SUPPORT_ABSTAIN):
            return "governance: support must be 0 (no), 1 (yes) or 2 (abstain)"
        if not self.is_seat(sender):
            return "governance: voter is not a seat"
        if self.seated_at(sender) >= p.created_block:
            return "governance: seat taken after the proposal"
        if sender in p.voters:
            return "governance: already voted"
        p.voters.add(sender)
        if support == SUPPORT_YES:
            p.yes += 1
        elif support == SUPPORT_NO:
            p.no += 1
        else:
            p.abstain += 1
        return None

    _EXECUTE_REFUSALS: ClassVar[dict[State, str]] = {
        State.NONE: "governance: unknown proposal",
        State.EXECUTED: "governance: already executed",
        State.CANCELLED: "governance: proposal cancelled",
        State.VOTING: "governance: voting still open",
        State.DEFEATED: "governance: proposal did not pass",
        State.QUEUED: "governance: execution delay not elapsed",
        State.EXPIRED: "governance: proposal expired",
    }

    def execute(self, pid: int, calls: list[tuple[str, bytes]]) -> str | None:
        state = self.state(pid)
        if state != State.READY:
            return self._EXECUTE_REFUSALS[state]
        p = self.proposals[pid]
        if calls_hash(calls) != p.calls_hash:
            return "governance: calls differ from the proposal"
        # All calls or none: run them on a scratch copy and keep it only if every one succeeds.
        scratch = copy.deepcopy(self)
        scratch.proposals[pid].executed = True
        for action in p.actions:
            reason = scratch._run(action)
            if reason is not None:
                return reason
        self.__dict__.update(scratch.__dict__)
        return None

    def cancel(self, sender: str, pid: int) -> str | None:
        p = self.proposals.get(pid)
        if p is None:
            return "governance: unknown proposal"
        if sender != p.proposer:
            return "governance: only the proposer may cancel"
        if not self.is_seat(sender):
            return "governance: the proposer holds no seat"
        if p.executed:
            return "governance: already executed"
        if p.cancelled:
            return "governance: proposal cancelled"
        p.cancelled = True
        return None

    # -- the calls a proposal makes, as this contract ----------------------------------------

    def _run(self, action: Action) -> str | None:
        kind = action[0]
        if kind == "hit":
            tag = int(action[1])  # type: ignore[call-overload]
            self.hits[tag] = self.hits.get(tag, 0) + 1
            return None
        if kind == "fail":
            return "target: refused"
        if kind == "add_seat":
            return self.add_seat(str(action[1]))
        if kind == "remove_seat":
            return self.remove_seat(str(action[1]))
        if kind == "set_parameters":
            vp, delay, grace = (int(x) for x in action[1:])  # type: ignore[call-overload]
            return self.set_parameters(vp, delay, grace)
        raise AssertionError(f"no such action {action!r}")

    def add_seat(self, who: str) -> str | None:
        if not self.is_council:
            return "governance: congress seats follow the alliance"
        if who == ZERO_ADDRESS:
            return "governance: seat is the zero address"
        if who in self.seat_since:
            return "governance: already a seat"
        self.seat_list.append(who)
        self.seat_since[who] = max(self.block, 1)
        return None

    def remove_seat(self, who: str) -> str | None:
        if not self.is_council:
            return "governance: congress seats follow the alliance"
        if who not in self.seat_since:
            return "governance: not a seat"
        if len(self.seat_list) == 1:
            return "governance: cannot remove the last seat"
        i = self.seat_list.index(who)
        last = self.seat_list.pop()
        if i < len(self.seat_list):
            self.seat_list[i] = last
        del self.seat_since[who]
        return None

    def set_parameters(self, voting_period: int, delay: int, grace: int) -> str | None:
        """New timings for proposals made from now on; made ones keep their timeline."""
        if voting_period == 0:
            return "governance: voting period must be positive"
        if grace == 0:
            return "governance: grace period must be positive"
        if voting_period > MAX_PERIOD:
            return "governance: voting period above one year"
        if delay > MAX_PERIOD:
            return "governance: execution delay above one year"
        if grace > MAX_PERIOD:
            return "governance: grace period above one year"
        self.voting_period, self.execution_delay, self.grace_period = voting_period, delay, grace
        return None
