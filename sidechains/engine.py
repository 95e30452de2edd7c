"""The hub's durable engine: the pure transitions of `state` behind one commit
pipeline, over the write-ahead log of `wal`.

    edge (verifier)  ->  verified state changes  ->  Engine.commit  ->  events
                                                   (state_transition
                                                    on a staging view,
                                                    the log, one transaction,
                                                    then published)

`commit` is the only way a state change enters the hub and the only writer of the
log's changes: payments (the hub's pipeline, `submit_payments`), chain changes
(`submit_chain`, `advance`) and the payer's close (`consent`) all go through it. It
runs each change through `state.state_transition` (which checks its own invariants)
over a staging view of the channels, writes what must be kept (every chain change,
each accepted payment as the payer sent it, each consent given) in one transaction,
and only then publishes the new states: if the log cannot be written, nothing of the
batch is in memory either, and the error propagates. On return everything it decided
is durable, so a `PaymentAccepted` may be acknowledged: its receipt is signed after
`commit` returns (`sign_receipts` here, or the verifier processes, with the same
`messages.sign_receipts`), never before.

Signatures are recovered before `commit`, at the edge (`verifier`): `commit` takes a
payment only as a `ReceiveVerifiedPayment`. `recover` rebuilds every channel from the
log after a restart, sending each logged payment through the edge again (the log
keeps what the payer sent, not what the hub concluded). `rewind` forgets the chain
changes of blocks a reorganisation replaced and rebuilds the same way: a logged
payment whose channel or deposit went with them waits (`recover` parks it) for the
chain change that funds it again, then counts as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from coincurve import PrivateKey
from eth_account import Account
from eth_account.signers.local import LocalAccount

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.sidechains import messages, verifier
from bpsa.sidechains import state as st
from bpsa.sidechains.messages import ChannelId, Receipt, Timestamp
from bpsa.sidechains.wal import WriteAheadLog, open_wal

__all__ = ["Engine", "Outcome", "Receipt"]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the payer hears back: a receipt, or a rejection with its code."""

    receipt: Receipt | None = None
    rejected: st.PaymentRejected | None = None


class _Staging:
    """A batch's view of the channels: reads fall through to the published ones,
    writes stay here until the batch is durable (`Engine.commit`)."""

    __slots__ = ("channels", "parked", "published")

    def __init__(self, published: dict[ChannelId, st.ChannelState]) -> None:
        self.published = published
        self.channels: dict[ChannelId, st.ChannelState | None] = {}
        self.parked: dict[ChannelId, list[st.ReceivePayment]] = {}

    def get(self, channel: ChannelId) -> st.ChannelState | None:
        staged = self.channels
        if channel in staged:
            return staged[channel]
        return self.published.get(channel)


class Engine:
    def __init__(self, wal: WriteAheadLog, domain: eip712.Domain, key: LocalAccount) -> None:
        self.wal = wal
        self.domain = domain
        self.key = key
        self._private = PrivateKey(bytes(key.key))
        self.separator = eip712.domain_separator(domain)
        self.channels: dict[ChannelId, st.ChannelState] = {}
        # Channels closing on chain: the only ones the clock can make due (a tick costs
        # as many transitions as there are closes, not channels).
        self.closing: set[ChannelId] = set()
        # Logged payments a rewind left unfunded, by channel (see `recover`).
        self.parked: dict[ChannelId, list[st.ReceivePayment]] = {}
        self.now = Timestamp(0)

    @classmethod
    def open(cls, path: str | Path, domain: eip712.Domain, key: bytes | str, **wal: Any) -> Engine:
        engine = cls(open_wal(path, **wal), domain, Account.from_key(key))
        engine.recover()
        return engine

    # -- the edge, for callers without the verifier processes --------------------------

    def verify(self, payments: Iterable[st.ReceivePayment]) -> list[st.ReceiveVerifiedPayment]:
        """Each payment's signer recovered here (the edge, inline): state changes."""
        separator = self.separator
        return [verifier.verify_payment(separator, p) for p in payments]

    # -- the one commit pipeline --------------------------------------------------------

    def commit(
        self, changes: Sequence[st.StateChange], blocks: Sequence[int] | None = None
    ) -> list[st.Event]:
        """Run `changes` in order through `state_transition` and make them durable in one
        transaction; their events. What is logged: every chain change (with the block it
        came from, `blocks`, when given), each accepted payment, each consent given;
        nothing for a rejected payment or a clock tick. Nothing is published before the
        log committed: on an error the channels are as before and it propagates."""
        if blocks is not None and len(blocks) != len(changes):
            raise ValueError(f"{len(blocks)} blocks for {len(changes)} changes")
        staging = _Staging(self.channels)
        staged = staging.channels
        transition = st.state_transition
        accepted_type = st.PaymentAccepted
        verified_type = st.ReceiveVerifiedPayment
        logged: list[Any] = []
        logged_blocks: list[int] | None = None if blocks is None else []
        events: list[st.Event] = []
        published = self.channels
        for index, change in enumerate(changes):
            channel = change.channel  # type: ignore[union-attr]
            before = staged[channel] if channel in staged else published.get(channel)
            result = transition(before, change)
            new_state = result.new_state
            if new_state is not None:
                staged[channel] = new_state
            produced = result.events
            events += produced
            if type(change) is verified_type:
                if produced and type(produced[0]) is accepted_type:
                    logged.append(change.payment)
                    if logged_blocks is not None:
                        logged_blocks.append(blocks[index])  # type: ignore[index]
                continue
            if isinstance(change, st.ActionCooperativeClose) and not produced:
                continue  # nothing to consent to: nothing to keep
            logged.append(change)
            if logged_blocks is not None:
                logged_blocks.append(blocks[index])  # type: ignore[index]
            if (self.parked or staging.parked) and isinstance(change, st.CONTRACT_RECEIVE):
                self._unpark(staging, channel)
        if logged_blocks is not None:
            self.wal.append_many(logged, logged_blocks)
        elif logged:
            self.wal.append_many(logged)
        self._publish(staging)
        return events

    def _publish(self, staging: _Staging) -> None:
        channels, closing = self.channels, self.closing
        for channel, new_state in staging.channels.items():
            if new_state is None:
                continue
            channels[channel] = new_state
            if new_state.status is st.Status.CLOSING:
                closing.add(channel)
            else:
                closing.discard(channel)
        for channel, waiting in staging.parked.items():
            if waiting:
                self.parked[channel] = waiting
            else:
                self.parked.pop(channel, None)

    def _unpark(self, staging: _Staging, channel: ChannelId) -> None:
        """Try the parked payments of `channel` again, in order (see `recover`): through
        the edge again, and not logged again (the log holds them)."""
        waiting = staging.parked.get(channel, self.parked.get(channel))
        if not waiting:
            return
        still: list[st.ReceivePayment] = []
        for change in self.verify(waiting):
            result = st.state_transition(staging.get(channel), change)
            if result.new_state is not None:
                staging.channels[channel] = result.new_state
            if result.events and isinstance(result.events[0], st.PaymentRejected):
                still.append(change.payment)
        staging.parked[channel] = still

    # -- rebuilding from the log -------------------------------------------------------

    def recover(self) -> int:
        """Rebuild every channel from the log; how many changes were replayed.

        Every payment in the log was accepted when it was logged, so in a log replayed
        as written each is accepted again. After a `rewind` one may not be (its channel
        or its deposit came from blocks a reorganisation replaced): it is parked, and
        tried again, in order, after each later chain change of its channel (here or
        live, `commit`), so a payment the new branch funds again counts as before (and
        the same in every later replay)."""
        self.channels.clear()
        self.closing.clear()
        self.parked.clear()
        staging = _Staging(self.channels)
        count = 0
        separator = self.separator
        for logged in self.wal.replay():
            count += 1
            change: st.StateChange
            if isinstance(logged, st.ReceivePayment):
                change = verifier.verify_payment(separator, logged)  # the edge, again
            else:
                change = logged
            channel = change.channel  # type: ignore[union-attr]
            result = st.state_transition(staging.get(channel), change)
            if result.new_state is not None:
                staging.channels[channel] = result.new_state
            if isinstance(logged, st.ReceivePayment):
                if result.events and isinstance(result.events[0], st.PaymentRejected):
                    staging.parked.setdefault(channel, []).append(logged)
            elif staging.parked:
                self._unpark(staging, channel)
        self._publish(staging)
        return count

    def rewind(self, block: int) -> int:
        """The chain reorganised: forget the chain changes of the blocks after `block`
        (their hashes too; the cursor goes back to it) and rebuild every channel from
        what the log still holds; how many changes were forgotten."""
        gone = self.wal.rewind(block)
        self.recover()
        return gone

    # -- what callers ask ---------------------------------------------------------------

    def submit_payments(self, payments: Iterable[st.ReceivePayment]) -> list[Outcome]:
        """A batch through the whole pipeline in this thread: the edge (`verify`),
        `commit`, then the receipts of what is durable; one outcome per payment, in
        order."""
        decided = self.commit(self.verify(payments))
        accepted = [e for e in decided if isinstance(e, st.PaymentAccepted)]
        receipts = iter(self.sign_receipts(accepted))
        return [
            Outcome(receipt=next(receipts))
            if isinstance(e, st.PaymentAccepted)
            else Outcome(rejected=e)  # type: ignore[arg-type]
            for e in decided
        ]

    def sign_receipts(self, accepted: Sequence[st.PaymentAccepted]) -> list[Receipt]:
        """The hub's receipts for payments `commit` made durable (never before)."""
        items = [(a.channel, bytes.fromhex(a.payer[2:]), a.nonce, a.amount) for a in accepted]
        signed = messages.sign_receipts(self._private, self.separator, items) if items else []
        return [
            Receipt(a.channel, a.payer, a.nonce, a.amount, signature, proof, salt)
            for a, (salt, signature, proof) in zip(accepted, signed, strict=True)
        ]

    def submit_chain(
        self, changes: Iterable[st.ContractReceiveStateChange], blocks: list[int] | None = None
    ) -> list[st.Event]:
        """Chain events (opened, topped up, closing, updated, settled), each with the
        block it came from when given: committed. A close is stamped with the hub's
        clock (the chain time it was taken in at), so its replay decides the same."""
        now = self.now
        stamped = [
            replace(c, seen_at=now)
            if isinstance(c, st.ContractReceiveChannelClosing) and not c.seen_at
            else c
            for c in changes
        ]
        return self.commit(stamped, blocks)

    def consent(self, channel: ChannelId) -> st.SendCloseConsent | None:
        """The hub's consent to close `channel` at its best proof, committed first: from
        then on (restarts included) the channel takes no more payments."""
        events = self.commit([st.ActionCooperativeClose(channel)])
        return next((e for e in events if isinstance(e, st.SendCloseConsent)), None)

    def advance(
        self,
        changes: list[st.ContractReceiveStateChange],
        block: int,
        now: int,
        blocks: list[int] | None = None,
        block_hash: bytes | None = None,
    ) -> list[st.Event]:
        """The chain up to `block` (time `now`): its changes committed (each with its
        block), the cursor moved (and `block`'s hash kept), the clock ticked."""
        events = self.submit_chain(changes, blocks)
        self.wal.set_cursor(block, block_hash)
        return events + self.tick(now)

    def cursor(self) -> int | None:
        """The last chain block taken in (the log's cursor)."""
        return self.wal.cursor()

    def block_hashes(self) -> list[tuple[int, bytes]]:
        """The hashes kept of the blocks taken in, newest first."""
        return self.wal.block_hashes()

    def tick(self, timestamp: int) -> list[st.Event]:
        """The chain's time moved: disputes and settlements that fall due (a `Block` to
        each closing channel; nothing to log: derived from the logged state and the
        clock)."""
        self.now = Timestamp(timestamp)
        block = st.Block(Timestamp(timestamp))
        events: list[st.Event] = []
        for channel in sorted(self.closing):
            events += st.state_transition(self.channels[channel], block).events
        return events

    def proof_for(self, channel: ChannelId) -> ch.BalanceProof | None:
        state = self.channels.get(channel)
        if state is None or state.best is None:
            return None
        return ch.BalanceProof(channel, state.best.nonce, state.best.amount)
