"""The channel hub's state machine, as Raiden structures its engine
(`raiden/transfer/architecture.py`, `node.py`, `channel.py`): frozen states, frozen
state changes in, a pure `state_transition(state, state_change) ->
TransitionResult(new_state, events)`, and events out for the service to act on. Pure:
no I/O, no clock, no process pool, no signature recovery; this module imports only
`messages` (the units). The hub's service (`engine`: the log and the commit pipeline;
`verifier`: the edge; `hub`: HTTP and WebSocket; `watcher`: the chain) feeds it state
changes and acts on its events.

`state_transition` checks the invariants itself (`sanity_check` on the state it
returns): a transition that would break conservation or monotonicity raises
`SanityError` instead of returning, whoever calls it.

A channel (Channels.vy) is one-way, payer -> hub, in BPC: the payer deposits, then pays
by signing balance proofs whose cumulative amount and nonce only rise. The hub accepts
a payment when the proof is the payer's, for this channel, domain and chain, newer and
larger than the last, and within the deposit; it then owes the payer a receipt. When
the channel closes on chain with a proof that pays the hub less than the best it holds,
the machine emits the dispute (`ContractSendUpdate`) at every block while the challenge
window is open and the chain shows no proof as good in force, and the settlement at
every block once it is over, until the chain shows it: what is due is derived from the
logged state and the clock, never from a mark that it was sent (a send that failed, or
a hub that restarted, would otherwise leave it undone). The watcher checks the chain
before it sends, so asking again costs a read, not a transaction.

Signatures are recovered at the edge, before a change enters the machine (Raiden's
`AuthenticatedSenderStateChange`): a `ReceivePayment` is a balance proof as the wire
or the log carries it, unverified, and is no state change; only the edge
(`verifier.verify_payment`, or the verifier processes for a batch) makes it a
`ReceiveVerifiedPayment`, which carries the recovered signer. `state_transition`
refuses anything else (`TypeError`; mypy refuses it before that).

State changes (`StateChange`):
    ContractReceiveChannelOpened / ToppedUp / Closing / Updated / Settled  (from chain)
    ReceiveVerifiedPayment  a balance proof from the payer, its signer recovered
    ActionCooperativeClose  the payer asks to close at the last accepted proof (the hub
                            consents and takes no more payments on the channel)
    Block                   the chain's time moved (disputes and settlements fall due)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from bpsa.core.units import units
from bpsa.sidechains.messages import ChannelId, Nonce, Timestamp, Wei

ZERO = Wei(0)
EPOCH = Timestamp(0)
NONCE_LIMIT = 2**64  # a nonce is a uint64
AMOUNT_LIMIT = 2**96  # an amount fits Channels.vy's uint96


class Status(Enum):
    OPEN = "open"
    CONSENTED = "consented"  # the hub signed a close consent: it takes no more payments
    CLOSING = "closing"
    SETTLED = "settled"


@dataclass(frozen=True, slots=True)
class Proof:
    """A balance proof the payer signed (cumulative `amount` at `nonce`)."""

    nonce: Nonce
    amount: Wei
    signature: bytes


@dataclass(frozen=True, slots=True)
class ChannelState:
    channel: ChannelId
    payer: str  # checksummed
    deposit: Wei
    status: Status = Status.OPEN
    best: Proof | None = None  # the last payment accepted: what the hub holds
    closing_amount: Wei = ZERO  # the proof in force on chain while closing
    settle_after: Timestamp = EPOCH
    to_hub: Wei = ZERO  # at settlement
    to_payer: Wei = ZERO

    @property
    def paid(self) -> Wei:
        return self.best.amount if self.best else Wei(0)

    @property
    def nonce(self) -> Nonce:
        return self.best.nonce if self.best else Nonce(0)


# -- what arrives at the edge (not a state change) ------------------------------------


@dataclass(frozen=True, slots=True)
class ReceivePayment:
    """A balance proof as the payer sent it (and as the log keeps it): unverified. It
    enters the state machine only as a `ReceiveVerifiedPayment`, once the edge has
    recovered its signer."""

    channel: ChannelId
    nonce: Nonce
    amount: Wei
    signature: bytes


# -- state changes ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContractReceiveChannelOpened:
    channel: ChannelId
    payer: str
    deposit: Wei


@dataclass(frozen=True, slots=True)
class ContractReceiveChannelToppedUp:
    channel: ChannelId
    deposit: Wei  # the new total


@dataclass(frozen=True, slots=True)
class ContractReceiveChannelClosing:
    channel: ChannelId
    closer: str
    nonce: Nonce
    amount: Wei
    settle_after: Timestamp
    seen_at: Timestamp = EPOCH  # the chain's time when the hub took it in


@dataclass(frozen=True, slots=True)
class ContractReceiveChannelUpdated:
    channel: ChannelId
    nonce: Nonce
    amount: Wei


@dataclass(frozen=True, slots=True)
class ContractReceiveChannelSettled:
    channel: ChannelId
    to_hub: Wei
    to_payer: Wei


@dataclass(frozen=True, slots=True)
class ReceiveVerifiedPayment:
    """A `ReceivePayment` whose signer the edge recovered (the pure
    `verifier.recover_signer`, in the verifier processes or inline): the transition
    compares that signer with the channel's payer. The log keeps the payment itself,
    so a replay goes through the edge again and recovers the signer anew."""

    payment: ReceivePayment
    signer: bytes | None  # 20 raw bytes; None for a signature that does not recover

    @property
    def channel(self) -> ChannelId:
        return self.payment.channel


@dataclass(frozen=True, slots=True)
class ActionCooperativeClose:
    channel: ChannelId


@dataclass(frozen=True, slots=True)
class Block:
    timestamp: Timestamp


ContractReceiveStateChange = (
    ContractReceiveChannelOpened
    | ContractReceiveChannelToppedUp
    | ContractReceiveChannelClosing
    | ContractReceiveChannelUpdated
    | ContractReceiveChannelSettled
)
StateChange = ContractReceiveStateChange | ReceiveVerifiedPayment | ActionCooperativeClose | Block
CONTRACT_RECEIVE: tuple[type, ...] = (
    ContractReceiveChannelOpened,
    ContractReceiveChannelToppedUp,
    ContractReceiveChannelClosing,
    ContractReceiveChannelUpdated,
    ContractReceiveChannelSettled,
)


# -- events -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PaymentAccepted:
    channel: ChannelId
    nonce: Nonce
    amount: Wei
    increment: Wei  # what this payment added
    payer: str  # the channel's payer: its receipt names it


@dataclass(frozen=True, slots=True)
class PaymentRejected:
    channel: ChannelId
    code: str  # machine-readable: stale, replayed, over_deposit, ...
    reason: str


@dataclass(frozen=True, slots=True)
class SendCloseConsent:
    channel: ChannelId
    nonce: Nonce
    amount: Wei
    payer_signature: bytes


@dataclass(frozen=True, slots=True)
class ContractSendUpdate:
    channel: ChannelId
    proof: Proof


@dataclass(frozen=True, slots=True)
class ContractSendSettle:
    channel: ChannelId


@dataclass(frozen=True, slots=True)
class ChannelClosedAgainstHub:
    """The chain settled for less than the hub held: an invariant broke (it missed the
    window); reported, never silent."""

    channel: ChannelId
    held: Wei
    settled: Wei


Event = (
    PaymentAccepted
    | PaymentRejected
    | SendCloseConsent
    | ContractSendUpdate
    | ContractSendSettle
    | ChannelClosedAgainstHub
)


@dataclass(frozen=True, slots=True)
class TransitionResult:
    """What one state change did: the channel's new state (None: no channel, as before)
    and the events to act on."""

    new_state: ChannelState | None
    events: list[Event] = field(default_factory=list)


class SanityError(AssertionError):
    """A transition broke an invariant of the channel (a bug, never bad input)."""


def _reject(
    state: ChannelState | None, channel: ChannelId, code: str, reason: str
) -> TransitionResult:
    return TransitionResult(state, [PaymentRejected(channel, code, reason)])


def handle_payment(state: ChannelState | None, change: ReceiveVerifiedPayment) -> TransitionResult:
    payment = change.payment
    channel = payment.channel
    if state is None or state.channel != channel:
        return _reject(state, channel, "unknown_channel", f"no open channel {channel} to this hub")
    if state.status is not Status.OPEN:
        return _reject(state, channel, "not_open", f"channel {channel} is {state.status.value}")
    if len(payment.signature) != 65:
        return _reject(state, channel, "malformed", "a signature is 65 bytes")
    nonce, amount = payment.nonce, payment.amount
    if not 0 < nonce < NONCE_LIMIT or not 0 <= amount < AMOUNT_LIMIT:
        return _reject(state, channel, "malformed", "nonce or amount out of range")
    best = state.best
    held_nonce, paid = (best.nonce, best.amount) if best else (0, 0)
    if nonce <= held_nonce:
        code = "replayed" if best and nonce == held_nonce else "stale"
        return _reject(state, channel, code, f"nonce {nonce} is not above {held_nonce}")
    if amount <= paid:
        why = f"amount {units(amount)} BPC does not exceed the {units(paid)} BPC paid"
        return _reject(state, channel, "stale", why)
    if amount > state.deposit:
        why = f"amount {units(amount)} BPC exceeds the deposit of {units(state.deposit)} BPC"
        return _reject(state, channel, "over_deposit", why)
    signer = change.signer
    if signer is None or signer != bytes.fromhex(state.payer[2:]):
        return _reject(
            state,
            channel,
            "bad_signature",
            "not signed by the channel's payer for this chain and contract",
        )
    payer = state.payer
    accepted = PaymentAccepted(channel, nonce, amount, Wei(amount - paid), payer)
    # The new state field by field (what `replace` does, without its introspection:
    # this is the hub's hot path).
    paid_state = ChannelState(
        channel,
        payer,
        state.deposit,
        state.status,
        Proof(nonce, amount, payment.signature),
        state.closing_amount,
        state.settle_after,
        state.to_hub,
        state.to_payer,
    )
    return TransitionResult(paid_state, [accepted])


def dispute_or_settle(state: ChannelState, now: Timestamp) -> list[Event]:
    """While closing: dispute a close for less than the hub holds (in time), or settle
    once the window is over; asked again at every block until the chain shows it done."""
    if state.status is not Status.CLOSING:
        return []
    if now < state.settle_after:
        if state.best and state.best.amount > state.closing_amount:
            return [ContractSendUpdate(state.channel, state.best)]
        return []
    return [ContractSendSettle(state.channel)]


def _transition(state: ChannelState | None, change: StateChange) -> TransitionResult:
    if type(change) is ReceiveVerifiedPayment:
        return handle_payment(state, change)
    if isinstance(change, ContractReceiveChannelOpened):
        if state is not None:
            return TransitionResult(state)  # seen before (a replayed log): nothing changes
        return TransitionResult(ChannelState(change.channel, change.payer, change.deposit))
    if not isinstance(change, (*CONTRACT_RECEIVE, ActionCooperativeClose, Block)):
        raise TypeError(
            f"{change!r} is not a state change (a payment enters only as a "
            "ReceiveVerifiedPayment, its signer recovered at the edge)"
        )
    if state is None:
        return TransitionResult(None)  # a channel to another hub, or one we never saw open
    if isinstance(change, ContractReceiveChannelToppedUp):
        return TransitionResult(replace(state, deposit=max(state.deposit, change.deposit)))
    if isinstance(change, ContractReceiveChannelClosing):
        closing = replace(
            state,
            status=Status.CLOSING,
            closing_amount=change.amount,
            settle_after=change.settle_after,
        )
        return TransitionResult(closing, dispute_or_settle(closing, change.seen_at))
    if isinstance(change, ContractReceiveChannelUpdated):
        updated = replace(state, closing_amount=max(state.closing_amount, change.amount))
        return TransitionResult(updated)
    if isinstance(change, ContractReceiveChannelSettled):
        settled = replace(
            state, status=Status.SETTLED, to_hub=change.to_hub, to_payer=change.to_payer
        )
        alarms: list[Event] = []
        if change.to_hub < state.paid:
            alarms.append(ChannelClosedAgainstHub(state.channel, state.paid, change.to_hub))
        return TransitionResult(settled, alarms)
    if isinstance(change, ActionCooperativeClose):
        # A consent never expires on chain, so once given the hub takes no more payments
        # on the channel: a later one could be lost to a close at the consented amount.
        if state.status not in (Status.OPEN, Status.CONSENTED) or state.best is None:
            return TransitionResult(state)
        best = state.best
        consent = SendCloseConsent(state.channel, best.nonce, best.amount, best.signature)
        return TransitionResult(replace(state, status=Status.CONSENTED), [consent])
    assert isinstance(change, Block)
    return TransitionResult(state, dispute_or_settle(state, change.timestamp))


def state_transition(state: ChannelState | None, change: StateChange) -> TransitionResult:
    """The new state of one channel and the events to act on. Pure: the same state
    and change give the same result, and `state` is never changed (frozen). Checks its
    own result (`sanity_check`): `SanityError` instead of a state that breaks an
    invariant. `TypeError` for anything but a state change (an unverified
    `ReceivePayment` among them)."""
    result = _transition(state, change)
    new_state = result.new_state
    if new_state is not state:  # an unchanged state has nothing new to check
        sanity_check(state, new_state)
    return result


def sanity_check(before: ChannelState | None, after: ChannelState | None) -> None:
    """Conservation and monotonicity after a transition; `SanityError` on a bug."""
    if after is None:
        if before is not None:
            raise SanityError("a channel's state disappeared")
        return
    paid = after.paid
    if not 0 <= paid <= after.deposit:
        raise SanityError(f"channel {after.channel}: paid {paid} outside its deposit")
    if before is not None:
        if paid < before.paid or after.nonce < before.nonce:
            raise SanityError(f"channel {after.channel}: paid or nonce went down")
        if after.deposit < before.deposit:
            raise SanityError(f"channel {after.channel}: deposit went down")
    if after.status is Status.SETTLED and after.to_hub + after.to_payer != after.deposit:
        raise SanityError(
            f"channel {after.channel}: settled {after.to_hub} + {after.to_payer} "
            f"!= deposit {after.deposit}"
        )
