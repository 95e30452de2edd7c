"""What a swap party does next: a pure function of what it knows and what both chains show.

A swap has two legs, each a hash-time lock on its own chain (`Swaps.vy`). The initiator
knows the preimage and locks first on its chain; the responder locks on the other chain
once it sees the initiator's lock; the initiator claims the responder's leg, which
publishes the preimage; the responder claims the initiator's leg with it. The
initiator's deadline is later than the responder's by a safety margin, so the responder
always has time to claim after the preimage is out.

`decide` looks at one party's side and returns one `Action`. It never acts on a chain it
cannot see (a chain that is down is `Leg.unknown`), never claims or locks too close to a
deadline (a transaction needs `margin` seconds to land), and refunds its own leg only
once its deadline has passed. Restart safety comes from deciding again from the chains
each time: what was done is what the chains show.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class LegStatus(Enum):
    UNKNOWN = "unknown"  # the chain did not answer
    NONE = "none"  # not locked (yet)
    LOCKED = "locked"
    CLAIMED = "claimed"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class LegView:
    """One leg as its chain shows it now."""

    status: LegStatus
    now: int = 0  # the chain's latest block time
    preimage: bytes | None = None  # published by a claim

    @classmethod
    def unknown(cls) -> LegView:
        return cls(LegStatus.UNKNOWN)


class Do(Enum):
    WAIT = "wait"
    LOCK_MINE = "lock_mine"
    CLAIM_THEIRS = "claim_theirs"
    REFUND_MINE = "refund_mine"
    DONE = "done"
    ABANDON = "abandon"  # nothing locked and too late to start: nothing lost


@dataclass(frozen=True)
class Action:
    do: Do
    why: str
    preimage: bytes | None = None  # for CLAIM_THEIRS


def decide(
    initiator: bool,
    mine: LegView,
    theirs: LegView,
    my_deadline: int,
    their_deadline: int,
    margin: int,
    preimage: bytes | None = None,
) -> Action:
    """The next step for one party. `mine` is the leg this party locks (and may refund);
    `theirs` is the leg it receives. `preimage` is known to the initiator from the start;
    the responder learns it from the claim of its own leg (`mine.preimage`)."""
    secret = preimage or mine.preimage or theirs.preimage
    # 1. Our lock's deadline has passed: nobody can claim it any more; take it back.
    if mine.status is LegStatus.LOCKED and mine.now >= my_deadline:
        return Action(Do.REFUND_MINE, "our lock's deadline has passed")
    # 2. Their leg is locked, we hold the preimage, and a claim lands in time.
    if (
        theirs.status is LegStatus.LOCKED
        and secret is not None
        and mine.status is not LegStatus.NONE
        and theirs.now + margin < their_deadline
    ):
        return Action(Do.CLAIM_THEIRS, "their leg is locked and we hold the preimage", secret)
    # 3. Our leg is not locked yet.
    if mine.status is LegStatus.NONE:
        return _lock_or_not(initiator, mine, theirs, my_deadline, their_deadline, margin)
    if mine.status is LegStatus.UNKNOWN:
        return Action(Do.WAIT, "our chain does not answer")
    # 4. Our leg is over (claimed by them, or refunded): done unless theirs still waits.
    if mine.status in (LegStatus.CLAIMED, LegStatus.REFUNDED):
        if theirs.status is LegStatus.UNKNOWN:
            return Action(Do.WAIT, "their chain does not answer")
        if theirs.status is LegStatus.LOCKED and secret is None:
            return Action(Do.WAIT, "our leg was claimed: reading the preimage")
        return Action(Do.DONE, f"our leg {mine.status.value}, theirs {theirs.status.value}")
    # 5. Our leg is locked and in time.
    if theirs.status is LegStatus.LOCKED and secret is not None:
        return Action(Do.WAIT, "too late to claim their leg: ours refunds at its deadline")
    return Action(Do.WAIT, f"our leg is locked; theirs is {theirs.status.value}")


def _lock_or_not(
    initiator: bool,
    mine: LegView,
    theirs: LegView,
    my_deadline: int,
    their_deadline: int,
    margin: int,
) -> Action:
    if theirs.status is LegStatus.UNKNOWN:
        return Action(Do.WAIT, "their chain does not answer")
    if initiator:
        # The responder must still be able to lock, and we to claim after it, before
        # their deadline: two transactions' worth of time.
        if theirs.status in (LegStatus.CLAIMED, LegStatus.REFUNDED):
            return Action(Do.ABANDON, f"their leg is already {theirs.status.value}")
        if theirs.now + 2 * margin >= their_deadline:  # their deadline, their chain's clock
            return Action(Do.ABANDON, "too late to lock: the responder could not answer in time")
        return Action(Do.LOCK_MINE, "the intent is agreed: lock our leg first")
    if theirs.status is LegStatus.LOCKED:
        # Ours must leave the initiator time to claim, and theirs must outlive our claim.
        if mine.now + 2 * margin >= my_deadline or theirs.now + 2 * margin >= their_deadline:
            return Action(Do.ABANDON, "their lock came too late to answer safely")
        return Action(Do.LOCK_MINE, "their leg is locked: lock ours")
    if theirs.status is LegStatus.NONE:
        if mine.now + 2 * margin >= my_deadline:
            return Action(Do.ABANDON, "the initiator never locked")
        return Action(Do.WAIT, "waiting for the initiator's lock")
    return Action(Do.ABANDON, f"their leg is {theirs.status.value} without ours")
