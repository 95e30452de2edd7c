"""The swap parties' rules (bpsa.sidechains.swap_rules) against a model of two chains.

Each chain holds one leg with the contract's rules (lock once, claim with the preimage
before the deadline, refund after it); transactions land up to `MAX_DELAY` seconds after
they are sent, and only while their chain is up. Hypothesis drives time, chain outages
(each shorter than the gap between the two deadlines), a party vanishing for good, and
the order in which the parties act. Whatever happens, a party that stays ends whole:
with its own tokens back or the other side's, never with neither; and nothing is ever
claimed after its deadline or refunded before it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bpsa.sidechains.swap_rules import Action, Do, LegStatus, LegView, decide

PREIMAGE = b"\x11" * 32
MARGIN = 60
MAX_DELAY = 30
START = 1_000
DEADLINE_B = START + 600  # the responder's leg
DEADLINE_A = START + 1_200  # the initiator's leg: later by a safety margin


@dataclass
class Leg:
    deadline: int
    status: LegStatus = LegStatus.NONE
    preimage: bytes | None = None
    down_until: int = 0
    pending: list[tuple[int, Do, bytes | None]] = field(default_factory=list)

    def up(self, now: int) -> bool:
        return now >= self.down_until

    def land(self, now: int) -> None:
        """Every pending transaction due by `now` lands, under the contract's rules."""
        due = [p for p in self.pending if p[0] <= now]
        self.pending = [p for p in self.pending if p[0] > now]
        for at, do, secret in sorted(due, key=lambda p: p[0]):
            if do is Do.LOCK_MINE and self.status is LegStatus.NONE and at < self.deadline:
                self.status = LegStatus.LOCKED
            elif do is Do.CLAIM_THEIRS and self.status is LegStatus.LOCKED:
                assert secret == PREIMAGE
                if at < self.deadline:  # the contract refuses a late claim
                    self.status, self.preimage = LegStatus.CLAIMED, secret
            elif do is Do.REFUND_MINE and self.status is LegStatus.LOCKED:
                assert at >= self.deadline, "a refund before the deadline was sent"
                self.status = LegStatus.REFUNDED

    def view(self, now: int) -> LegView:
        if not self.up(now):
            return LegView.unknown()
        return LegView(self.status, now, self.preimage)


def act(initiator: bool, a: Leg, b: Leg, now: int, delay: int) -> Action:
    mine, theirs = (a, b) if initiator else (b, a)
    action = decide(
        initiator,
        mine.view(now),
        theirs.view(now),
        mine.deadline,
        theirs.deadline,
        MARGIN,
        PREIMAGE if initiator else None,
    )
    target = mine if action.do in (Do.LOCK_MINE, Do.REFUND_MINE) else theirs
    if action.do in (Do.LOCK_MINE, Do.REFUND_MINE, Do.CLAIM_THEIRS) and target.up(now):
        target.pending.append((now + delay, action.do, action.preimage))
    return action


steps = st.lists(
    st.tuples(
        st.sampled_from(["tick", "initiator", "responder", "outage_a", "outage_b"]),
        st.integers(1, MAX_DELAY),
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(
    steps=steps,
    initiator_leaves=st.one_of(st.none(), st.integers(START, DEADLINE_A + 100)),
    responder_leaves=st.one_of(st.none(), st.integers(START, DEADLINE_A + 100)),
)
def test_rules__any_order_outages_and_a_vanishing_party__whoever_stays_ends_whole(
    steps, initiator_leaves, responder_leaves
):
    a, b = Leg(DEADLINE_A), Leg(DEADLINE_B)
    now = START
    outage = (DEADLINE_A - DEADLINE_B) // 2 - MARGIN  # each outage shorter than the gap

    def alive(leaves: int | None) -> bool:
        return leaves is None or now < leaves

    for kind, amount in steps:
        if kind == "tick":
            now += amount * 10
        elif kind == "outage_a":
            a.down_until = now + min(outage, amount * 10)
        elif kind == "outage_b":
            b.down_until = now + min(outage, amount * 10)
        elif kind == "initiator" and alive(initiator_leaves):
            act(True, a, b, now, amount)
        elif kind == "responder" and alive(responder_leaves):
            act(False, a, b, now, amount)
        a.land(now)
        b.land(now)
    # Then time runs past both deadlines; the parties still there keep acting.
    end = max(now, DEADLINE_A) + 4 * MAX_DELAY + outage  # past every deadline and outage
    while now < end:
        now += MAX_DELAY
        if alive(initiator_leaves):
            act(True, a, b, now, MAX_DELAY)
        if alive(responder_leaves):
            act(False, a, b, now, MAX_DELAY)
        a.land(now + MAX_DELAY)
        b.land(now + MAX_DELAY)

    initiator_whole = b.status is LegStatus.CLAIMED or a.status in (
        LegStatus.NONE,
        LegStatus.REFUNDED,
    )
    responder_whole = a.status is LegStatus.CLAIMED or b.status in (
        LegStatus.NONE,
        LegStatus.REFUNDED,
    )
    if initiator_leaves is None:
        assert initiator_whole, (a, b)
        assert a.status is not LegStatus.LOCKED, "the initiator left its lock stuck"
    if responder_leaves is None:
        assert responder_whole, (a, b)
        assert b.status is not LegStatus.LOCKED, "the responder left its lock stuck"


def test_rules__both_stay_and_act_in_turn__the_swap_completes():
    a, b = Leg(DEADLINE_A), Leg(DEADLINE_B)
    now = START
    for _ in range(8):
        act(True, a, b, now, 5)
        a.land(now + 5)
        b.land(now + 5)
        act(False, a, b, now + 5, 5)
        a.land(now + 10)
        b.land(now + 10)
        now += 10

    assert (a.status, b.status) == (LegStatus.CLAIMED, LegStatus.CLAIMED)


# One party's view and the step it must take. The initiator knows PREIMAGE and locks the
# leg due at DEADLINE_A; the responder locks the one due at DEADLINE_B.
NONE, LOCKED = LegStatus.NONE, LegStatus.LOCKED
DECISIONS = [
    pytest.param(
        False, LegView(NONE, DEADLINE_B - MARGIN), LegView(NONE, DEADLINE_B - MARGIN), Do.ABANDON,
        id="responder_sees_no_lock_until_its_deadline_nears__abandons",
    ),
    pytest.param(
        True, LegView(LOCKED, START), LegView.unknown(), Do.WAIT,
        id="initiator_their_chain_down__waits_without_claiming",
    ),
    pytest.param(
        True, LegView(LOCKED, DEADLINE_B - MARGIN), LegView(LOCKED, DEADLINE_B - MARGIN), Do.WAIT,
        id="their_leg_locked_too_close_to_its_deadline__no_claim_sent",
    ),
    pytest.param(
        False, LegView(LOCKED, DEADLINE_B), LegView(LOCKED, DEADLINE_B), Do.REFUND_MINE,
        id="our_lock_past_its_deadline__refund",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("initiator", "mine", "theirs", "step"), DECISIONS)
def test_decide__edge_of_a_deadline_or_an_outage__the_safe_step(
    initiator: bool, mine: LegView, theirs: LegView, step: Do
) -> None:
    if initiator:
        action = decide(True, mine, theirs, DEADLINE_A, DEADLINE_B, MARGIN, PREIMAGE)
    else:
        action = decide(False, mine, theirs, DEADLINE_B, DEADLINE_A, MARGIN)

    assert action.do is step
