"""The hub's engine without a chain: every state change, every rejection with its own
code, disputes in and out of the window, a hypothesis state machine of a payer and
the hub exchanging messages (Raiden-style bundles) with the engine's invariants, and
the machine's structure: `state_transition` is pure, checks its own result
(`sanity_check`), and takes only verified state changes."""

from __future__ import annotations

import copy
from dataclasses import FrozenInstanceError, replace
from typing import Any

import pytest
from eth_account import Account
from eth_utils.crypto import keccak
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.sidechains.state import (
    ActionCooperativeClose,
    Block,
    ChannelClosedAgainstHub,
    ChannelState,
    ContractReceiveChannelClosing,
    ContractReceiveChannelOpened,
    ContractReceiveChannelSettled,
    ContractReceiveChannelToppedUp,
    ContractReceiveChannelUpdated,
    ContractSendSettle,
    ContractSendUpdate,
    PaymentAccepted,
    PaymentRejected,
    ReceivePayment,
    ReceiveVerifiedPayment,
    SanityError,
    SendCloseConsent,
    StateChange,
    Status,
    sanity_check,
    state_transition,
)
from bpsa.sidechains.verifier import recover_signer, verify_payment

PAYER_KEY = keccak(text="bpsa hub payer")
PAYER = Account.from_key(PAYER_KEY).address
OTHER_KEY = keccak(text="bpsa hub someone else")
DOM = ch.domain(31337, "0x" + "cd" * 20)
NOW = 1_000  # the chain's clock in these tests
ONE = 10**18


def pay(channel: int, nonce: int, amount: int, key: bytes = PAYER_KEY, dom=DOM) -> ReceivePayment:
    signature = ch.sign(ch.BalanceProof(channel, nonce, amount), dom, key)
    return ReceivePayment(channel, nonce, amount, signature)


def opened(deposit: int = 10 * ONE) -> ChannelState:
    result = state_transition(None, ContractReceiveChannelOpened(1, PAYER, deposit))
    assert result.new_state is not None
    return result.new_state


def edge(change: Any, dom=DOM) -> StateChange:
    """What the hub's edge makes of a change: a payment with its signer recovered."""
    if isinstance(change, ReceivePayment):
        return verify_payment(eip712.domain_separator(dom), change)
    return change  # type: ignore[no-any-return]


def run(state: ChannelState | None, change) -> Any:
    """`change` through the edge, then the machine (which checks its own result)."""
    return state_transition(state, edge(change))


def test_payment__signed_newer_within_deposit__accepted_with_increment():
    state = run(opened(), pay(1, 1, 2 * ONE)).new_state
    result = run(state, pay(1, 2, 5 * ONE))

    assert result.events == [PaymentAccepted(1, 2, 5 * ONE, 3 * ONE, PAYER)]
    assert (result.new_state.paid, result.new_state.nonce) == (5 * ONE, 2)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (pay(1, 1, 2 * ONE), "replayed"),  # the same proof again
        (pay(1, 1, 3 * ONE), "replayed"),  # the same nonce, more money
        (pay(1, 2, 2 * ONE), "stale"),  # newer nonce, no more money
        (pay(1, 2, 11 * ONE), "over_deposit"),
        (pay(1, 2, 3 * ONE, key=OTHER_KEY), "bad_signature"),
        (pay(1, 2, 3 * ONE, dom=ch.domain(1, "0x" + "cd" * 20)), "bad_signature"),  # wrong chain
        (pay(1, 2, 3 * ONE, dom=ch.domain(31337, "0x" + "ce" * 20)), "bad_signature"),
        (pay(2, 2, 3 * ONE), "unknown_channel"),  # wrong channel
        (ReceivePayment(1, 2, 3 * ONE, b"\x00" * 64), "malformed"),
        (ReceivePayment(1, 2**64, 3 * ONE, b"\x00" * 65), "malformed"),
    ],
)
def test_payment__bad__rejected_with_its_code_and_nothing_changes(change, code):
    state = run(opened(), pay(1, 1, 2 * ONE)).new_state
    result = run(state, change)

    assert [type(e) for e in result.events] == [PaymentRejected]
    assert result.events[0].code == code
    assert result.new_state == state


def verified(change: ReceivePayment, dom=DOM) -> ReceiveVerifiedPayment:
    """The payment with its signer recovered beforehand, as the hub's pool does it."""
    separator = eip712.domain_separator(dom)
    signer = recover_signer(
        separator, change.channel, change.nonce, change.amount, change.signature
    )
    return ReceiveVerifiedPayment(change, signer)


@pytest.mark.parametrize(
    "change",
    [
        pay(1, 2, 3 * ONE),
        pay(1, 1, 2 * ONE),
        pay(1, 2, 11 * ONE),
        pay(1, 2, 3 * ONE, key=OTHER_KEY),
        pay(1, 2, 3 * ONE, dom=ch.domain(1, "0x" + "cd" * 20)),
        pay(2, 2, 3 * ONE),
        ReceivePayment(1, 2, 3 * ONE, b"\x00" * 64),
    ],
    ids=["accepted", "replayed", "over-deposit", "other-key", "other-chain", "other-channel",
         "short-signature"],
)  # fmt: skip
def test_verified_payment__signer_recovered_beforehand__same_transition(change):
    state = run(opened(), pay(1, 1, 2 * ONE)).new_state

    assert run(state, verified(change)) == run(state, change)


def test_verified_payment__signer_not_the_payer__bad_signature_and_nothing_changes():
    state = run(opened(), pay(1, 1, 2 * ONE)).new_state
    good = pay(1, 2, 3 * ONE)

    for signer in (None, bytes(20), Account.from_key(OTHER_KEY).address):
        raw = signer if not isinstance(signer, str) else bytes.fromhex(signer[2:])
        result = run(state, ReceiveVerifiedPayment(good, raw))
        assert result.events[0].code == "bad_signature"
        assert result.new_state == state


def test_payment__unfunded_or_closing__never_accepted():
    assert run(None, pay(1, 1, ONE)).events[0].code == "unknown_channel"
    closing = replace(opened(), status=Status.CLOSING)
    assert run(closing, pay(1, 1, ONE)).events[0].code == "not_open"


def test_opened__replayed_log__ignored():
    state = opened()

    assert run(state, ContractReceiveChannelOpened(1, PAYER, 99 * ONE)).new_state == state


def test_top_up__raises_the_deposit_never_lowers_it():
    state = run(opened(), ContractReceiveChannelToppedUp(1, 15 * ONE)).new_state
    assert state.deposit == 15 * ONE
    assert run(state, ContractReceiveChannelToppedUp(1, 12 * ONE)).new_state.deposit == 15 * ONE


def test_close__stale_proof_in_the_window__hub_disputes_with_its_best():
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state
    change = ContractReceiveChannelClosing(1, PAYER, 1, ONE, settle_after=NOW + 100, seen_at=NOW)

    result = run(state, change)

    assert result.events == [ContractSendUpdate(1, state.best)]
    # Asked again at the next block (the send may have failed; the watcher reads the
    # chain before sending), until the chain shows a proof as good in force.
    assert run(result.new_state, Block(NOW + 1)).events == [ContractSendUpdate(1, state.best)]
    updated = run(result.new_state, ContractReceiveChannelUpdated(1, 3, 6 * ONE)).new_state
    assert run(updated, Block(NOW + 2)).events == []


def test_close__seen_after_the_window__settles_instead():
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state
    change = ContractReceiveChannelClosing(1, PAYER, 1, ONE, settle_after=NOW, seen_at=NOW)

    assert run(state, change).events == [ContractSendSettle(1)]


def test_close__with_the_best_proof__no_dispute_then_settles_after_the_window():
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state
    change = ContractReceiveChannelClosing(
        1, PAYER, 3, 6 * ONE, settle_after=NOW + 100, seen_at=NOW
    )
    closing = run(state, change).new_state

    assert run(closing, Block(NOW + 99)).events == []
    assert run(closing, Block(NOW + 100)).events == [ContractSendSettle(1)]


def test_updated_then_settled__for_what_the_hub_held__no_alarm():
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state
    closing = run(state, ContractReceiveChannelClosing(1, PAYER, 0, 0, NOW + 100)).new_state
    updated = run(closing, ContractReceiveChannelUpdated(1, 3, 6 * ONE)).new_state
    settled = run(updated, ContractReceiveChannelSettled(1, 6 * ONE, 4 * ONE))

    assert settled.events == []
    assert settled.new_state.status == Status.SETTLED


def test_settled_for_less_than_held__reported():
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state

    result = run(state, ContractReceiveChannelSettled(1, ONE, 9 * ONE))

    assert result.events == [ChannelClosedAgainstHub(1, 6 * ONE, ONE)]


def test_cooperative_close__consent_for_the_last_accepted_proof():
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state

    assert run(state, ActionCooperativeClose(1)).events == [
        SendCloseConsent(1, 3, 6 * ONE, state.best.signature)
    ]
    assert run(opened(), ActionCooperativeClose(1)).events == []  # nothing paid yet


def test_sanity_check__conservation_broken__raises():
    state = opened()
    with pytest.raises(SanityError, match="outside its deposit"):
        sanity_check(
            state, replace(state, deposit=0, best=run(state, pay(1, 1, ONE)).new_state.best)
        )
    settled = replace(state, status=Status.SETTLED, to_hub=ONE, to_payer=ONE)
    with pytest.raises(SanityError, match="settled"):
        sanity_check(state, settled)
    with pytest.raises(SanityError, match="disappeared"):
        sanity_check(state, None)


class PayerAndHub(RuleBasedStateMachine):
    """A payer signs proofs (sent, resent, reordered, forged) and the chain reports
    top-ups, closes and settlements; the hub's engine must hold its invariants."""

    proofs = Bundle("proofs")

    def __init__(self) -> None:
        super().__init__()
        self.state: ChannelState | None = opened(5 * ONE)
        self.signed_total = 0
        self.nonce = 0
        self.accepted: list[PaymentAccepted] = []
        self.now = NOW

    def step(self, change: Any) -> list[Any]:
        before = self.state
        snapshot = copy.deepcopy(before)
        result = state_transition(before, edge(change))  # checks its own result
        assert before == snapshot  # pure: the state it was given is as it was
        self.state = result.new_state
        self.accepted += [e for e in result.events if isinstance(e, PaymentAccepted)]
        return result.events

    @rule(target=proofs, increment=st.integers(0, 2 * ONE))
    def payer_signs(self, increment):
        self.nonce += 1
        self.signed_total += increment
        return pay(1, self.nonce, self.signed_total)

    @rule(proof=proofs)
    def hub_receives(self, proof):
        self.step(proof)

    @rule(proof=proofs)
    def hub_receives_verified(self, proof):  # its signer recovered in the pool
        self.step(verified(proof))

    @rule(proof=proofs)
    def forged_copy_arrives(self, proof):
        forged = pay(1, proof.nonce + 1000, proof.amount + 1, key=OTHER_KEY)
        events = self.step(forged)
        assert events and isinstance(events[0], PaymentRejected)

    @rule(amount=st.integers(1, 3 * ONE))
    def top_up(self, amount):
        if self.state and self.state.status == Status.OPEN:
            self.step(ContractReceiveChannelToppedUp(1, self.state.deposit + amount))

    def act(self, events: list[Any]) -> None:
        """The hub's effects, and the chain's answer to each."""
        for event in events:
            state = self.state
            assert state is not None
            if isinstance(event, ContractSendUpdate) and state.status == Status.CLOSING:
                proof = event.proof
                self.step(ContractReceiveChannelUpdated(1, proof.nonce, proof.amount))
            if isinstance(event, ContractSendSettle):
                to_hub = state.closing_amount
                self.step(ContractReceiveChannelSettled(1, to_hub, state.deposit - to_hub))

    @rule(window=st.integers(1, 50), stale=st.booleans())
    def payer_closes(self, window, stale):
        """Seen by the hub's watcher in the block it happened (the window is never 0)."""
        if self.state and self.state.status == Status.OPEN:
            amount = 0 if stale or not self.state.best else self.state.paid
            closing = ContractReceiveChannelClosing(
                1, PAYER, 0, amount, self.now + window, self.now
            )
            self.act(self.step(closing))

    @rule(seconds=st.integers(0, 60))
    def time_passes(self, seconds):
        self.now += seconds
        self.act(self.step(Block(self.now)))

    @invariant()
    def no_receipt_for_unfunded_money(self):
        if self.state:
            assert self.state.paid <= self.state.deposit
            assert all(e.amount <= self.state.deposit for e in self.accepted)

    @invariant()
    def receipts_only_rise(self):
        amounts = [e.amount for e in self.accepted]
        nonces = [e.nonce for e in self.accepted]
        assert amounts == sorted(set(amounts)) and nonces == sorted(set(nonces))
        assert sum(e.increment for e in self.accepted) == (amounts[-1] if amounts else 0)

    @invariant()
    def settled_for_all_acknowledged(self):
        if self.state and self.state.status == Status.SETTLED:
            assert self.state.to_hub + self.state.to_payer == self.state.deposit
            assert self.state.to_hub == self.state.paid  # disputed in time: nothing lost


TestPayerAndHub = PayerAndHub.TestCase
TestPayerAndHub.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)


def test_cooperative_close__consented__later_payments_refused():
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state
    consented = run(state, ActionCooperativeClose(1)).new_state

    assert consented.status == Status.CONSENTED
    assert run(consented, pay(1, 4, 7 * ONE)).events[0].code == "not_open"
    # Asking again gives the same consent; the chain's close still moves it on.
    assert run(consented, ActionCooperativeClose(1)).events == [
        SendCloseConsent(1, 3, 6 * ONE, state.best.signature)
    ]
    closing = ContractReceiveChannelClosing(1, PAYER, 3, 6 * ONE, NOW + 10, NOW)
    assert run(consented, closing).new_state.status == Status.CLOSING


# -- the machine's structure (issue 16.4) -----------------------------------------------


def changes_on(state: ChannelState) -> list[StateChange]:
    """One of every kind of state change for channel 1, each through the edge."""
    return [
        edge(pay(1, 4, 7 * ONE)),
        edge(pay(1, 4, 7 * ONE, key=OTHER_KEY)),
        ContractReceiveChannelOpened(1, PAYER, ONE),
        ContractReceiveChannelToppedUp(1, state.deposit + ONE),
        ContractReceiveChannelClosing(1, PAYER, 1, ONE, NOW + 100, NOW),
        ContractReceiveChannelUpdated(1, 3, 6 * ONE),
        ContractReceiveChannelSettled(1, state.paid, state.deposit - state.paid),
        ActionCooperativeClose(1),
        Block(NOW + 5),
    ]


@pytest.mark.parametrize("kind", range(9))
def test_state_transition__any_change__same_input_same_output_and_input_untouched(kind):
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state
    closing = run(state, ContractReceiveChannelClosing(1, PAYER, 1, ONE, NOW + 100, NOW))
    for before in (state, closing.new_state):
        change = changes_on(before)[kind]
        snapshot = copy.deepcopy((before, change))

        first = state_transition(before, change)
        second = state_transition(before, change)

        assert first == second  # a function of its input alone
        assert (before, change) == snapshot  # neither the state nor the change moved
    with pytest.raises(FrozenInstanceError):
        state.deposit = 0


def test_state_transition__change_that_breaks_conservation__raises_inside_the_transition():
    state = run(opened(), pay(1, 3, 6 * ONE)).new_state

    # A settlement that does not add up to the deposit: no caller's check is needed.
    with pytest.raises(SanityError, match="settled"):
        state_transition(state, ContractReceiveChannelSettled(1, 6 * ONE, ONE))


def test_state_transition__checks_the_state_it_returns_itself(monkeypatch):
    from bpsa.sidechains import state as machine

    state = opened()
    checked: list[tuple[Any, Any]] = []
    monkeypatch.setattr(machine, "sanity_check", lambda b, a: checked.append((b, a)))

    result = machine.state_transition(state, edge(pay(1, 1, ONE)))

    assert checked == [(state, result.new_state)]


def test_state_transition__unverified_payment__refused_by_type():
    state = opened()
    unverified = pay(1, 1, ONE)  # as the wire or the log carries it: no signer recovered

    with pytest.raises(TypeError, match="not a state change"):
        state_transition(state, unverified)
    assert not isinstance(unverified, StateChange.__args__)
