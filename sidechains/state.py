"""The channel hub's engine, as Raiden structures it: frozen state changes in, a pure
`state_transition(state, change) -> Transition(state, events)` per channel, a
`sanity_check` of conservation after every transition, and no I/O here. The hub's
service (persistence, HTTP, the chain) feeds it state changes and acts on its events.

A channel (Channels.vy) is one-way, payer -> hub, in BPC: the payer deposits, then pays
by signing balance proofs whose cumulative amount and nonce only rise. The hub accepts
a payment when the proof is the payer's, for this channel, domain and chain, newer and
larger than the last, and within the deposit; it then owes the payer a receipt. When
the channel closes on chain with a proof that pays the hub less than the best it holds,
the engine emits the dispute (`ContractSendUpdate`) at every block while the challenge
window is open and the chain shows no proof as good in force, and the settlement at
every block once it is over, until the chain shows it: what is due is derived from the
logged state and the clock, never from a mark that it was sent (a send that failed, or
a hub that restarted, would otherwise leave it undone). The watcher checks the chain
before it sends, so asking again costs a read, not a transaction.

State changes:
    ContractReceiveChannelOpened / ToppedUp / Closing / Updated / Settled  (from chain)
    ReceivePayment          a balance proof from the payer (over HTTP or WebSocket)
    ReceiveVerifiedPayment  the same, its signer recovered beforehand (the hub's pool)
    ActionCooperativeClose  the payer asks to close at the last accepted proof (the hub
                            consents and takes no more payments on the channel)
    Block                   the chain's time moved (disputes and settlements fall due)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from bpsa.core import eip712
from bpsa.sidechains.verifier import recover_signer


class Status(Enum):
    OPEN = "open"
    CONSENTED = "consented"  # the hub signed a close consent: it takes no more payments
    CLOSING = "closing"
    SETTLED = "settled"


@dataclass(frozen=True)
class Proof:
    """A balance proof the payer signed (cumulative `amount` at `nonce`)."""

    nonce: int
    amount: int
    signature: bytes


@dataclass(frozen=True)
class ChannelState:
    channel: int
    payer: str
    deposit: int
    status: Status = Status.OPEN
    best: Proof | None = None  # the last payment accepted: what the hub holds
    closing_amount: int = 0  # the proof in force on chain while closing
    settle_after: int = 0
    to_hub: int = 0  # at settlement
    to_payer: int = 0

    @property
    def paid(self) -> int:
        return self.best.amount if self.best else 0

    @property
    def nonce(self) -> int:
        return self.best.nonce if self.best else 0


# -- state changes ----------------------------------------------------------------------


@dataclass(frozen=True)
class ContractReceiveChannelOpened:
    channel: int
    payer: str
    deposit: int


@dataclass(frozen=True)
class ContractReceiveChannelToppedUp:
    channel: int
    deposit: int  # the new total


@dataclass(frozen=True)
class ContractReceiveChannelClosing:
    channel: int
    closer: str
    nonce: int
    amount: int
    settle_after: int


@dataclass(frozen=True)
class ContractReceiveChannelUpdated:
    channel: int
    nonce: int
    amount: int


@dataclass(frozen=True)
class ContractReceiveChannelSettled:
    channel: int
    to_hub: int
    to_payer: int


@dataclass(frozen=True)
class ReceivePayment:
    channel: int
    nonce: int
    amount: int
    signature: bytes


@dataclass(frozen=True)
class ReceiveVerifiedPayment:
    """A `ReceivePayment` whose signer was already recovered, by the same pure
    `verifier.recover_signer` the transition would call, in the hub's verifier pool (on
    another core, while the previous batch is being written): the transition compares
    that signer with the channel's payer instead of recovering it again. The log holds
    the payment itself, so a replay recovers the signer anew."""

    payment: ReceivePayment
    signer: bytes | None  # 20 raw bytes; None for a signature that does not recover


@dataclass(frozen=True)
class ActionCooperativeClose:
    channel: int


@dataclass(frozen=True)
class Block:
    timestamp: int


StateChange = (
    ContractReceiveChannelOpened
    | ContractReceiveChannelToppedUp
    | ContractReceiveChannelClosing
    | ContractReceiveChannelUpdated
    | ContractReceiveChannelSettled
    | ReceivePayment
    | ReceiveVerifiedPayment
    | ActionCooperativeClose
    | Block
)


# -- events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentAccepted:
    channel: int
    nonce: int
    amount: int
    increment: int  # what this payment added
    payer: str  # the channel's payer: its receipt names it


@dataclass(frozen=True)
class PaymentRejected:
    channel: int
    code: str  # machine-readable: stale, replayed, over_deposit, ...
    reason: str


@dataclass(frozen=True)
class SendCloseConsent:
    channel: int
    nonce: int
    amount: int
    payer_signature: bytes


@dataclass(frozen=True)
class ContractSendUpdate:
    channel: int
    proof: Proof


@dataclass(frozen=True)
class ContractSendSettle:
    channel: int


@dataclass(frozen=True)
class ChannelClosedAgainstHub:
    """The chain settled for less than the hub held: an invariant broke (it missed the
    window); reported, never silent."""

    channel: int
    held: int
    settled: int


Event = (
    PaymentAccepted
    | PaymentRejected
    | SendCloseConsent
    | ContractSendUpdate
    | ContractSendSettle
    | ChannelClosedAgainstHub
)


@dataclass(frozen=True)
class Context:
    """What every transition may read: the hub's chain, contract and clock."""

    domain: eip712.Domain
    now: int = 0


@dataclass(frozen=True)
class Transition:
    state: ChannelState | None
    events: list[Event] = field(default_factory=list)


class SanityError(AssertionError):
    """A transition broke an invariant of the channel (a bug, never bad input)."""


def reject(state: ChannelState | None, channel: int, code: str, reason: str) -> Transition:
    return Transition(state, [PaymentRejected(channel, code, reason)])


def handle_payment(
    state: ChannelState | None, change: ReceivePayment | ReceiveVerifiedPayment, ctx: Context
) -> Transition:
    payment = change.payment if isinstance(change, ReceiveVerifiedPayment) else change
    channel = payment.channel
    if state is None or state.channel != channel:
        return reject(state, channel, "unknown_channel", f"no open channel {channel} to this hub")
    if state.status != Status.OPEN:
        return reject(state, channel, "not_open", f"channel {channel} is {state.status.value}")
    if len(payment.signature) != 65:
        return reject(state, channel, "malformed", "a signature is 65 bytes")
    if not 0 < payment.nonce < 2**64 or not 0 <= payment.amount < 2**96:
        return reject(state, channel, "malformed", "nonce or amount out of range")
    paid = state.paid
    if payment.nonce <= state.nonce:
        code = "replayed" if state.best and payment.nonce == state.nonce else "stale"
        return reject(state, channel, code, f"nonce {payment.nonce} is not above {state.nonce}")
    if payment.amount <= paid:
        return reject(
            state, channel, "stale", f"amount {payment.amount} does not exceed {paid} paid"
        )
    if payment.amount > state.deposit:
        return reject(
            state,
            channel,
            "over_deposit",
            f"amount {payment.amount} exceeds the deposit {state.deposit}",
        )
    if isinstance(change, ReceiveVerifiedPayment):
        signer = change.signer
    else:
        separator = eip712.domain_separator(ctx.domain)
        signer = recover_signer(
            separator, channel, payment.nonce, payment.amount, payment.signature
        )
    if signer is None or signer.hex() != state.payer[2:].lower():
        return reject(
            state,
            channel,
            "bad_signature",
            "not signed by the channel's payer for this chain and contract",
        )
    best = Proof(payment.nonce, payment.amount, payment.signature)
    accepted = PaymentAccepted(
        channel, payment.nonce, payment.amount, payment.amount - paid, state.payer
    )
    return Transition(replace(state, best=best), [accepted])


def dispute_or_settle(state: ChannelState, now: int) -> list[Event]:
    """While closing: dispute a close for less than the hub holds (in time), or settle
    once the window is over; asked again at every block until the chain shows it done."""
    if state.status != Status.CLOSING:
        return []
    if now < state.settle_after:
        if state.best and state.best.amount > state.closing_amount:
            return [ContractSendUpdate(state.channel, state.best)]
        return []
    return [ContractSendSettle(state.channel)]


def state_transition(state: ChannelState | None, change: StateChange, ctx: Context) -> Transition:
    """The new state of one channel and the events to act on; pure."""
    if isinstance(change, (ReceivePayment, ReceiveVerifiedPayment)):
        return handle_payment(state, change, ctx)
    if isinstance(change, ContractReceiveChannelOpened):
        if state is not None:
            return Transition(state)  # seen before (a replayed log): nothing changes
        return Transition(ChannelState(change.channel, change.payer, change.deposit))
    if state is None:
        return Transition(None)  # a channel to another hub, or one we never saw open
    if isinstance(change, ContractReceiveChannelToppedUp):
        return Transition(replace(state, deposit=max(state.deposit, change.deposit)))
    if isinstance(change, ContractReceiveChannelClosing):
        closing = replace(
            state,
            status=Status.CLOSING,
            closing_amount=change.amount,
            settle_after=change.settle_after,
        )
        return Transition(closing, dispute_or_settle(closing, ctx.now))
    if isinstance(change, ContractReceiveChannelUpdated):
        return Transition(replace(state, closing_amount=max(state.closing_amount, change.amount)))
    if isinstance(change, ContractReceiveChannelSettled):
        settled = replace(
            state, status=Status.SETTLED, to_hub=change.to_hub, to_payer=change.to_payer
        )
        alarms: list[Event] = []
        if change.to_hub < state.paid:
            alarms.append(ChannelClosedAgainstHub(state.channel, state.paid, change.to_hub))
        return Transition(settled, alarms)
    if isinstance(change, ActionCooperativeClose):
        # A consent never expires on chain, so once given the hub takes no more payments
        # on the channel: a later one could be lost to a close at the consented amount.
        if state.status not in (Status.OPEN, Status.CONSENTED) or state.best is None:
            return Transition(state)
        best = state.best
        consent = SendCloseConsent(state.channel, best.nonce, best.amount, best.signature)
        return Transition(replace(state, status=Status.CONSENTED), [consent])
    if isinstance(change, Block):
        return Transition(state, dispute_or_settle(state, change.timestamp))
    raise TypeError(f"unknown state change {change!r}")


def sanity_check(before: ChannelState | None, after: ChannelState | None) -> None:
    """Conservation and monotonicity after a transition; `SanityError` on a bug."""
    if after is None:
        if before is not None:
            raise SanityError("a channel's state disappeared")
        return
    if not 0 <= after.paid <= after.deposit:
        raise SanityError(f"channel {after.channel}: paid {after.paid} outside its deposit")
    if before is not None:
        if after.paid < before.paid or after.nonce < before.nonce:
            raise SanityError(f"channel {after.channel}: paid or nonce went down")
        if after.deposit < before.deposit:
            raise SanityError(f"channel {after.channel}: deposit went down")
    if after.status == Status.SETTLED and after.to_hub + after.to_payer != after.deposit:
        raise SanityError(
            f"channel {after.channel}: settled {after.to_hub} + {after.to_payer} "
            f"!= deposit {after.deposit}"
        )
