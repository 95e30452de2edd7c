"""Swaps on two chains against a Python model: a hypothesis state machine over an initiator,
a responder and an attacker.

The chains are titanoboa's EVM (a real EVM in-process) with its chain id switched before
every call: chain A (id 1001) holds BPC and a Swaps contract, chain B (id 1002) APC and
another Swaps contract, each deployed under its own chain id (their EIP-712 domains
differ by chain and contract). Both chains share one clock. A module fixture deploys once;
titanoboa runs each example in a snapshot of that state.

Actors, named by role: the initiator (a start-up holding BPC on A, and drawing each
swap's preimage), the responder (an AI lab holding APC on B) and an attacker (holding
both). Every swap intent gives the initiator's BPC on A for the responder's APC on B.
Rules: agree on an intent (amounts from zero to more than a party holds; deadlines at,
around and past the minimum lock time and the safety margin, inverted too); lock a leg
(by its sender or the attacker, on its own chain or the other, with the counterparty's
signature or a faulty one: the attacker's, the sender's own, the other leg's domain, or
the counterparty's own signature of another intent, as a sender replaying it on better
terms for itself would);
claim a leg (by anyone, with the preimage known to the claimer (the initiator's own, or
read from a `Claimed` event on either chain), a wrong one, or forged terms that pay the
attacker); refund a leg (by anyone, true or forged terms); wait (to a deadline, a second
either side, or a while); a whole swap in order with a responder that may vanish or
answer late; and everyone settling after the last deadline. The model (`SwapsModel`)
predicts, for every transaction, success or the exact revert reason, so no claim lands
at or after a deadline and no refund before one.

Invariants: each chain's token is conserved (Swaps holds exactly the amounts of the
swaps locked on it; every balance and the supply agree with the model); the attacker,
party to no intent, ends every step with exactly what it held; every swap's status on
chain agrees with the model. The whole-swap rule checks that the initiator
and a responder who answers in time each end with their own funds or the swap, and the
settling rule that nothing stays locked once every deadline has passed.

Profiles: tests/stateful/helpers.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import boa
import pytest
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis.stateful import initialize, invariant, rule

from bpsa.core import swaps as sw
from bpsa.core.swaps import Side, Status, SwapIntent, Terms
from tests.stateful.conftest import active_settings
from tests.stateful.helpers import Deployed, SnapshotMachine, actor_keys, addresses_of, compiled
from tests.unit.swaps.helpers import (
    DEADLINE_NOT_REACHED,
    DEADLINE_PASSED,
    ID_USED,
    NO_BALANCE,
    NO_SWAP,
    NOT_COUNTERPARTY,
    NOT_SENDER,
    OTHER_CHAIN,
    SETTLED,
    TOO_CLOSE,
    UNSAFE_DEADLINES,
    WRONG_PREIMAGE,
    WRONG_TERMS,
    ZERO_AMOUNT,
)

ONE = 10**18
HOLDING = 1_000 * ONE
SAFETY_MARGIN = 3_600
MIN_LOCK_TIME = 600
CHAIN_ID = {"A": 1001, "B": 1002}
START = 1_800_000_000


KEYS = actor_keys("swaps", ("initiator", "responder", "attacker"))
ADDRESS = addresses_of(KEYS)
for _name in ("deployer", "minter"):
    ADDRESS[_name] = str(to_checksum_address(keccak(text=f"bpsa swaps stateful {_name}")[-20:]))
PARTIES = ("initiator", "responder", "attacker")
LEG_CHAIN = {Side.INITIATOR: "A", Side.RESPONDER: "B"}


# -- the model ---------------------------------------------------------------------------------


@dataclass
class Swap:
    terms: Terms
    status: Status = Status.LOCKED


@dataclass
class Chain:
    """One chain's slice: its token's balances and its Swaps' records."""

    swaps_address: str
    balances: dict[str, int] = field(default_factory=dict)
    swaps: dict[bytes, Swap] = field(default_factory=dict)

    def locked(self) -> int:
        return sum(s.terms.amount for s in self.swaps.values() if s.status is Status.LOCKED)

    def move(self, source: str, to: str, amount: int) -> None:
        self.balances[source] -= amount
        self.balances[to] = self.balances.get(to, 0) + amount


@dataclass
class SwapsModel:
    """Swaps' NatSpec in Python: every operation returns the revert reason the chain must
    give, or None when the call succeeds (having applied its effects)."""

    now: int
    chains: dict[str, Chain]

    def lock(
        self, chain: str, intent: SwapIntent, side: Side, sender: str, sound: bool
    ) -> str | None:
        leg, c = intent.leg(side), self.chains[chain]
        swap_id = intent.swap_id(side)
        if leg.chain_id != CHAIN_ID[chain]:
            return OTHER_CHAIN
        if swap_id in c.swaps:
            return ID_USED
        if sender != leg.sender:
            return NOT_SENDER
        if leg.amount == 0:
            return ZERO_AMOUNT
        if intent.initiator.deadline - intent.responder.deadline < SAFETY_MARGIN:
            return UNSAFE_DEADLINES
        if leg.deadline < self.now + MIN_LOCK_TIME:
            return TOO_CLOSE
        if not sound:
            return NOT_COUNTERPARTY
        if c.balances.get(sender, 0) < leg.amount:
            return NO_BALANCE
        c.move(sender, c.swaps_address, leg.amount)
        c.swaps[swap_id] = Swap(intent.terms(side))
        return None

    def _close(self, c: Chain, swap_id: bytes, terms: Terms) -> str | None:
        swap = c.swaps.get(swap_id)
        if swap is not None and swap.status is not Status.LOCKED:
            return SETTLED
        if swap is None:
            return NO_SWAP
        if swap.terms != terms:
            return WRONG_TERMS
        return None

    def claim(self, chain: str, swap_id: bytes, preimage: bytes, terms: Terms) -> str | None:
        if sw.hashlock(preimage) != terms.hashlock:
            return WRONG_PREIMAGE
        c = self.chains[chain]
        reason = self._close(c, swap_id, terms)
        if reason is not None:
            return reason
        if self.now >= terms.deadline:
            return DEADLINE_PASSED
        c.swaps[swap_id].status = Status.CLAIMED
        c.move(c.swaps_address, terms.receiver, terms.amount)
        return None

    def refund(self, chain: str, swap_id: bytes, terms: Terms) -> str | None:
        c = self.chains[chain]
        reason = self._close(c, swap_id, terms)
        if reason is not None:
            return reason
        if self.now < terms.deadline:
            return DEADLINE_NOT_REACHED
        c.swaps[swap_id].status = Status.REFUNDED
        c.move(c.swaps_address, terms.sender, terms.amount)
        return None


# -- the chains --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deployment:
    tokens: dict[str, Any]
    swaps: dict[str, Any]


def deploy() -> Deployment:
    load, tokens, swaps = compiled("BPC", "Swaps"), {}, {}
    names = {"A": ("Basic Patent Coin", "BPC"), "B": ("AI Patent Coin", "APC")}
    holders = {"A": ("initiator", "attacker"), "B": ("responder", "attacker")}
    for chain in ("A", "B"):
        boa.env.evm.patch.chain_id = CHAIN_ID[chain]
        with boa.env.prank(ADDRESS["deployer"]):
            tokens[chain] = load["BPC"].deploy(*names[chain], ADDRESS["minter"])
            swaps[chain] = load["Swaps"].deploy(SAFETY_MARGIN, MIN_LOCK_TIME)
        for holder in holders[chain]:
            tokens[chain].mint(ADDRESS[holder], HOLDING, sender=ADDRESS["minter"])
    boa.env.evm.patch.timestamp = START
    return Deployment(tokens, swaps)


DEPLOYED = Deployed(deploy)


@pytest.fixture(scope="module", autouse=True)
def swaps_deployment() -> Iterator[Deployment]:
    yield from DEPLOYED.once()


# -- strategies --------------------------------------------------------------------------------

picks = st.integers(min_value=0, max_value=31)
amounts = st.one_of(
    st.integers(1, 10**6), st.integers(1, 200 * ONE), st.sampled_from([0, HOLDING, HOLDING + 1])
)
lock_times = st.sampled_from(
    [MIN_LOCK_TIME - 1, MIN_LOCK_TIME, MIN_LOCK_TIME + 1, 3_600, 2 * 3_600, 2 * 3_600, 6 * 3_600]
)
gaps = st.sampled_from(  # the initiator's deadline after the responder's: safe, then not
    [
        SAFETY_MARGIN,
        SAFETY_MARGIN + 1,
        2 * SAFETY_MARGIN,
        2 * SAFETY_MARGIN,
        SAFETY_MARGIN - 1,
        0,
        -SAFETY_MARGIN,
    ]
)
sides = st.sampled_from([Side.INITIATOR, Side.RESPONDER])
sig_faults = st.sampled_from(["sound"] * 7 + ["attacker", "own", "other domain", "other intent"])
lockers = st.sampled_from(["sender"] * 5 + ["attacker"])
where = st.sampled_from(["own"] * 7 + ["other"])
anyone = st.sampled_from(PARTIES)
preimages = st.sampled_from(["known", "known", "known", "wrong"])
forgeries = st.sampled_from(["true", "true", "true", "true", "to attacker", "more"])
waits = st.one_of(st.integers(1, 600), st.integers(1, 4 * 3_600))
offsets = st.sampled_from([-1, 0, 1])


@dataclass(frozen=True)
class Agreed:
    intent: SwapIntent
    preimage: bytes
    ids: tuple[bytes, bytes]  # the swap ids of the initiator's and the responder's legs


class SwapsMachine(SnapshotMachine):
    model: SwapsModel

    def __init__(self) -> None:
        super().__init__()
        self.d = DEPLOYED.get()
        boa.env.evm.patch.timestamp = START
        self.model = SwapsModel(
            now=START,
            chains={chain: Chain(str(self.d.swaps[chain].address), {}) for chain in ("A", "B")},
        )
        self.model.chains["A"].balances.update(
            {ADDRESS["initiator"]: HOLDING, ADDRESS["attacker"]: HOLDING}
        )
        self.model.chains["B"].balances.update(
            {ADDRESS["responder"]: HOLDING, ADDRESS["attacker"]: HOLDING}
        )
        self.agreed: list[Agreed] = []
        self.revealed: dict[bytes, bytes] = {}  # hashlock -> preimage, read from Claimed events
        self.touched: set[tuple[str, bytes]] = set()  # (chain, id) since the last invariant

    # -- plumbing ----------------------------------------------------------------------------

    def _on(self, chain: str) -> Any:
        boa.env.evm.patch.chain_id = CHAIN_ID[chain]
        return self.d.swaps[chain]

    def _send_on(self, reason: str | None, chain: str, fn: str, *args: Any, sender: str) -> None:
        method = getattr(self._on(chain), fn)
        if currently_in_test_context():  # --hypothesis-show-statistics counts the outcomes
            event(f"{fn}: {reason or 'ok'}")
        if reason is None:
            method(*args, sender=sender)
            return
        with boa.reverts(reason):
            method(*args, sender=sender)

    def _agree(self, amount_a: int, amount_b: int, lock_time: int, gap: int) -> Agreed:
        n = len(self.agreed)
        preimage = keccak(text=f"preimage {n}")
        responder_deadline = self.model.now + lock_time
        i, r = ADDRESS["initiator"], ADDRESS["responder"]
        a, b = self.d.swaps["A"], self.d.swaps["B"]
        intent = SwapIntent(
            sw.Leg(
                CHAIN_ID["A"], str(a.address), str(self.d.tokens["A"].address), amount_a, i, r,
                responder_deadline + gap,
            ),
            sw.Leg(
                CHAIN_ID["B"], str(b.address), str(self.d.tokens["B"].address), amount_b, r, i,
                responder_deadline,
            ),
            sw.hashlock(preimage),
        )  # fmt: skip
        ids = (intent.swap_id(Side.INITIATOR), intent.swap_id(Side.RESPONDER))
        agreed = Agreed(intent, preimage, ids)
        self.agreed.append(agreed)
        return agreed

    def _pick(self, pick: int, live_first: bool = False) -> Agreed | None:
        """Any intent agreed; with `live_first`, mostly one with a leg locked now."""
        live = [a for a in self.agreed if any(self._locked(a, side) for side in Side)]
        if live_first and live and pick % 4 != 3:
            return live[pick % len(live)]
        return self.agreed[pick % len(self.agreed)] if self.agreed else None

    def _side(self, agreed: Agreed, side: Side, pick: int) -> Side:
        """`side`, or mostly the other one when only that one is locked."""
        if not self._locked(agreed, side) and self._locked(agreed, side.other) and pick % 5:
            return side.other
        return side

    def _locked(self, agreed: Agreed, side: Side) -> bool:
        swap = self.model.chains[LEG_CHAIN[side]].swaps.get(agreed.ids[side])
        return swap is not None and swap.status is Status.LOCKED

    def _lock(self, agreed: Agreed, side: Side, locker: str, fault: str, chain: str) -> str | None:
        intent = agreed.intent
        leg = intent.leg(side)
        sender = ADDRESS[locker] if locker in PARTIES else leg.sender
        counterparty = "responder" if side is Side.INITIATOR else "initiator"
        signer, signed_side = KEYS[counterparty], side
        if fault == "attacker":
            signer = KEYS["attacker"]
        elif fault == "own":
            signer = KEYS["initiator" if counterparty == "responder" else "responder"]
        elif fault == "other domain":
            signed_side = side.other
        signed = intent
        if fault == "other intent":  # what the counterparty signed: its own leg for less
            theirs = intent.leg(side.other)
            smaller = replace(theirs, amount=theirs.amount - 1 if theirs.amount > 1 else 2)
            if side is Side.INITIATOR:
                signed = replace(intent, responder=smaller)
            else:
                signed = replace(intent, initiator=smaller)
        sig = sw.as_arg(sw.sign_intent(signed, signed_side, signer))
        boa.env.evm.patch.chain_id = CHAIN_ID[chain]
        token = self.d.tokens[chain]
        token.approve(self.d.swaps[chain].address, leg.amount, sender=sender)
        reason = self.model.lock(chain, intent, side, sender, fault == "sound")
        self.touched.add((chain, agreed.ids[side]))
        self._send_on(reason, chain, "lock", intent.as_arg(), int(side), sig, sender=sender)
        return reason

    def _terms(self, agreed: Agreed, side: Side, forgery: str, payee: str) -> Terms:
        """The leg's terms as a claim or refund presents them: true, or forged to pay the
        attacker (as `payee`, the claim's receiver or the refund's sender) or one unit more;
        the leg counts as touched."""
        terms = agreed.intent.terms(side)
        if forgery == "to attacker" and payee == "receiver":
            terms = replace(terms, receiver=ADDRESS["attacker"])
        elif forgery == "to attacker":
            terms = replace(terms, sender=ADDRESS["attacker"])
        elif forgery == "more":
            terms = replace(terms, amount=terms.amount + 1)
        self.touched.add((LEG_CHAIN[side], agreed.ids[side]))
        return terms

    def _claim(
        self, agreed: Agreed, side: Side, who: str, preimage: bytes, forgery: str = "true"
    ) -> str | None:
        chain, swap_id = LEG_CHAIN[side], agreed.ids[side]
        terms = self._terms(agreed, side, forgery, payee="receiver")
        reason = self.model.claim(chain, swap_id, preimage, terms)
        self._send_on(
            reason, chain, "claim", swap_id, preimage, terms.as_arg(), sender=ADDRESS[who]
        )
        if reason is None:
            logs = self.d.swaps[chain].get_logs()
            claimed = [log for log in logs if type(log).__name__ == "Claimed"]
            assert len(claimed) == 1 and bytes(claimed[0].id) == swap_id
            self.revealed[terms.hashlock] = bytes(claimed[0].preimage)
        return reason

    def _refund(self, agreed: Agreed, side: Side, who: str, forgery: str = "true") -> str | None:
        chain, swap_id = LEG_CHAIN[side], agreed.ids[side]
        terms = self._terms(agreed, side, forgery, payee="sender")
        reason = self.model.refund(chain, swap_id, terms)
        self._send_on(reason, chain, "refund", swap_id, terms.as_arg(), sender=ADDRESS[who])
        return reason

    def _known_preimage(self, agreed: Agreed, who: str) -> bytes:
        """What `who` can claim with: the initiator drew it; anyone else only once a claim
        published it (a wrong guess otherwise)."""
        if who == "initiator":
            return agreed.preimage
        return self.revealed.get(agreed.intent.hashlock, b"\x00" * 32)

    def _balances(self) -> dict[tuple[str, str], int]:
        return {
            (chain, who): int(self.d.tokens[chain].balanceOf(ADDRESS[who]))
            for chain in ("A", "B")
            for who in PARTIES
        }

    # -- rules -------------------------------------------------------------------------------

    @initialize(
        amounts=st.lists(st.integers(1, 100 * ONE), min_size=2, max_size=2),
        lock_time=st.sampled_from([3_600, 2 * 3_600]),
        both=st.booleans(),
    )
    def start(self, amounts: list[int], lock_time: int, both: bool) -> None:
        """Two swaps agreed and their initiators' legs locked; the first's responder's too
        (or not)."""
        for n, amount in enumerate(amounts):
            agreed = self._agree(amount, 2 * amount, lock_time, 2 * SAFETY_MARGIN)
            assert self._lock(agreed, Side.INITIATOR, "initiator", "sound", "A") is None
            if n == 0 and both:
                assert self._lock(agreed, Side.RESPONDER, "responder", "sound", "B") is None

    @rule(amount_a=amounts, amount_b=amounts, lock_time=lock_times, gap=gaps)
    def agree(self, amount_a: int, amount_b: int, lock_time: int, gap: int) -> None:
        """Off chain: both parties sign an intent (the machine signs for them on use)."""
        self._agree(amount_a, amount_b, lock_time, gap)

    @rule(pick=picks, side=sides, locker=lockers, fault=sig_faults, chain=where)
    def lock(self, pick: int, side: Side, locker: str, fault: str, chain: str) -> None:
        agreed = self._pick(pick)
        if agreed is None:
            return
        on = LEG_CHAIN[side] if chain == "own" else LEG_CHAIN[side.other]
        self._lock(agreed, side, locker if locker in PARTIES else "sender", fault, on)

    @rule(pick=picks, side=sides, who=anyone, preimage=preimages, forgery=forgeries)
    def claim(self, pick: int, side: Side, who: str, preimage: str, forgery: str) -> None:
        agreed = self._pick(pick, live_first=True)
        if agreed is None:
            return
        side = self._side(agreed, side, pick)
        secret = self._known_preimage(agreed, who) if preimage == "known" else b"\x01" * 32
        self._claim(agreed, side, who, secret, forgery)

    @rule(pick=picks, side=sides, who=anyone, forgery=forgeries)
    def refund(self, pick: int, side: Side, who: str, forgery: str) -> None:
        agreed = self._pick(pick, live_first=True)
        if agreed is None:
            return
        side = self._side(agreed, side, pick)
        self._refund(agreed, side, who, forgery)

    @rule(pick=picks, side=sides, offset=offsets)
    def wait_for_a_deadline(self, pick: int, side: Side, offset: int) -> None:
        agreed = self._pick(pick)
        if agreed is None:
            return
        self._wait_until(agreed.intent.leg(side).deadline + offset)

    @rule(seconds=waits)
    def wait(self, seconds: int) -> None:
        self._wait_until(self.model.now + seconds)

    @rule(
        amount_a=st.integers(1, 100 * ONE),
        amount_b=st.integers(1, 100 * ONE),
        responder_locks=st.booleans(),
        initiator_claims=st.sampled_from(["at once", "at the last second", "never"]),
        responder_claims=st.sampled_from(["at once", "at the last second", "late", "never"]),
    )
    def whole_swap(
        self,
        amount_a: int,
        amount_b: int,
        responder_locks: bool,
        initiator_claims: str,
        responder_claims: str,
    ) -> None:
        """A swap in order: the initiator locks on A; the responder (maybe) locks on B; the
        initiator (maybe) claims B, which publishes the preimage; the responder reads it
        from the event and claims A at once, at the last second, too late, or never; after
        the last deadline the rest is refunded. The initiator and a responder who answers
        in time each end with their own funds or the swap."""
        before = self._balances()
        if before[("A", "initiator")] < amount_a or before[("B", "responder")] < amount_b:
            return
        agreed = self._agree(amount_a, amount_b, 2 * 3_600, SAFETY_MARGIN + 600)
        intent = agreed.intent
        assert self._lock(agreed, Side.INITIATOR, "initiator", "sound", "A") is None
        if responder_locks:
            assert self._lock(agreed, Side.RESPONDER, "responder", "sound", "B") is None
            if initiator_claims != "never":
                if initiator_claims == "at the last second":
                    self._wait_until(intent.responder.deadline - 1)
                assert self._claim(agreed, Side.RESPONDER, "initiator", agreed.preimage) is None
                if responder_claims != "never":
                    when = {
                        "at once": self.model.now,
                        "at the last second": intent.initiator.deadline - 1,
                        "late": intent.initiator.deadline,
                    }[responder_claims]
                    self._wait_until(when)
                    secret = self._known_preimage(agreed, "responder")
                    reason = self._claim(agreed, Side.INITIATOR, "responder", secret)
                    assert reason == (DEADLINE_PASSED if responder_claims == "late" else None)
        self._wait_until(intent.initiator.deadline)
        for side in (Side.INITIATOR, Side.RESPONDER):
            if self._locked(agreed, side):
                self._refund(agreed, side, "attacker")
        after = self._balances()
        delta = {k: after[k] - before[k] for k in after}
        assert delta[("A", "attacker")] == delta[("B", "attacker")] == 0
        unchanged = {k: 0 for k in delta}
        swapped = {
            **unchanged,
            ("A", "initiator"): -amount_a,
            ("A", "responder"): amount_a,
            ("B", "responder"): -amount_b,
            ("B", "initiator"): amount_b,
        }
        responder_in_time = responder_claims in ("at once", "at the last second")
        if not responder_locks or initiator_claims == "never":
            assert delta == unchanged
        elif responder_in_time:
            assert delta == swapped
        else:  # the responder vanished after its leg was claimed: the initiator keeps its BPC
            assert delta == {**swapped, ("A", "initiator"): 0, ("A", "responder"): 0}

    @rule()
    def everyone_settles(self) -> None:
        """After the last deadline every swap still locked refunds to its sender: nothing
        stays locked, and each chain's Swaps holds nothing."""
        if not self.agreed:
            return
        self._wait_until(max(a.intent.initiator.deadline for a in self.agreed))
        for agreed in self.agreed:
            for side in (Side.INITIATOR, Side.RESPONDER):
                if self._locked(agreed, side):
                    assert self._refund(agreed, side, "attacker") is None
        for chain in ("A", "B"):
            assert int(self.d.tokens[chain].balanceOf(self.d.swaps[chain].address)) == 0

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def tokens_are_conserved(self) -> None:
        for chain, c in self.model.chains.items():
            token = self.d.tokens[chain]
            held = int(token.balanceOf(c.swaps_address))
            assert held == c.locked() == c.balances.get(c.swaps_address, 0), chain
            for who in PARTIES:
                assert int(token.balanceOf(ADDRESS[who])) == c.balances.get(ADDRESS[who], 0)
            assert int(token.totalSupply()) == 2 * HOLDING == sum(c.balances.values())

    @invariant()
    def attacker_gains_nothing(self) -> None:
        for chain in ("A", "B"):
            assert int(self.d.tokens[chain].balanceOf(ADDRESS["attacker"])) == HOLDING, chain

    @invariant()
    def touched_statuses_agree(self) -> None:
        """Every swap a transaction named since the last check (an id never locked too)
        reads on chain as the model has it; an untouched one cannot have changed."""
        for chain, swap_id in sorted(self.touched):
            swap = self.model.chains[chain].swaps.get(swap_id)
            swaps = self.d.swaps[chain]
            status = Status.NONE if swap is None else swap.status
            assert int(swaps.status(swap_id)) == status, (chain, swap_id.hex())
            if swap is not None and swap.status is Status.LOCKED:
                assert bytes(swaps.commitments(swap_id)) == swap.terms.commitment()
        self.touched.clear()


TestSwapsAgreeWithModel = SwapsMachine.TestCase
TestSwapsAgreeWithModel.settings = active_settings()


def test_swaps__responder_vanishes_before_locking__initiator_refunded_at_its_deadline() -> None:
    """The initiator locks; the responder never does: no claim is possible on B, a refund
    of A a second before the deadline is refused, and at the deadline it pays back."""
    machine = SwapsMachine()
    try:
        agreed = machine._agree(10 * ONE, 20 * ONE, 2 * 3_600, SAFETY_MARGIN)
        assert machine._lock(agreed, Side.INITIATOR, "initiator", "sound", "A") is None
        preimage = agreed.preimage
        assert machine._claim(agreed, Side.RESPONDER, "initiator", preimage) == NO_SWAP
        machine._wait_until(agreed.intent.initiator.deadline - 1)
        assert machine._refund(agreed, Side.INITIATOR, "initiator") == DEADLINE_NOT_REACHED
        machine._wait_until(agreed.intent.initiator.deadline)
        assert machine._claim(agreed, Side.INITIATOR, "responder", preimage) == DEADLINE_PASSED
        assert machine._refund(agreed, Side.INITIATOR, "responder") is None
        machine.tokens_are_conserved()
        machine.touched_statuses_agree()
        assert int(machine.d.tokens["A"].balanceOf(ADDRESS["initiator"])) == HOLDING
    finally:
        machine.teardown()
