"""The hub's durable engine: the pure transitions of `state`, the write-ahead log of
`wal`, and signed receipts, with group commit.

`submit_payments` takes a batch of balance proofs (what arrived while the last batch
was being written), runs each through `state_transition`, writes the accepted ones to
the log in one transaction, and only then signs their receipts. A rejected payment
changes nothing and gets its machine-readable code. The hub's pipeline calls the two
halves itself: `decide` (transitions and the log; the signers may come recovered from
the verifier pool) and, once that returned, the receipts (`sign_receipts`, or the
pool's workers with the same pure `verifier.sign_receipt`). `recover` rebuilds every channel
from the log after a restart: every acknowledged payment is there. `rewind` forgets the
chain changes of blocks a reorganisation replaced and rebuilds the same way: a logged
payment whose channel or deposit went with them waits (`recover` parks it) for the
chain change that funds it again, then counts as before.

A receipt is the hub's EIP-712 signature over `Receipt(channel, payer, nonce, amount)` in
the channels' domain: proof for the payer that the hub holds its payment, bound to that
payer (the pay gate spends it only on a query the payer signed), and a type the contract
never accepts (a close consent is a different type, given only to the payer who asks).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coincurve import PrivateKey
from eth_account import Account
from eth_account.signers.local import LocalAccount

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.sidechains import state as st
from bpsa.sidechains import verifier
from bpsa.sidechains.wal import WriteAheadLog, open_wal


@dataclass(frozen=True)
class Receipt:
    channel: int
    payer: str  # the channel's payer, whose payment this acknowledges
    nonce: int
    amount: int
    signature: bytes  # the hub's, over Receipt(channel, payer, nonce, amount)

    def signer(self, dom: eip712.Domain) -> str | None:
        digest = ch.receipt_digest(dom, self.channel, self.payer, self.nonce, self.amount)
        return eip712.recover_digest(digest, self.signature)

    def to_json(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "payer": self.payer,
            "nonce": self.nonce,
            "amount": str(self.amount),
            "signature": "0x" + self.signature.hex(),
        }


@dataclass(frozen=True)
class Outcome:
    """What the payer hears back: a receipt, or a rejection with its code."""

    receipt: Receipt | None = None
    rejected: st.PaymentRejected | None = None


class Engine:
    def __init__(self, wal: WriteAheadLog, domain: eip712.Domain, key: LocalAccount) -> None:
        self.wal = wal
        self.domain = domain
        self.key = key
        self._key = bytes(key.key)
        self._private = PrivateKey(self._key)
        self.separator = eip712.domain_separator(domain)
        self.channels: dict[int, st.ChannelState] = {}
        # Channels closing on chain: the only ones the clock can make due (a tick costs
        # as many transitions as there are closes, not channels).
        self.closing: set[int] = set()
        # Logged payments a rewind left unfunded, by channel (see `recover`).
        self.parked: dict[int, list[st.ReceivePayment]] = {}
        self.now = 0

    @classmethod
    def open(cls, path: str | Path, domain: eip712.Domain, key: bytes | str, **wal: Any) -> Engine:
        engine = cls(open_wal(path, **wal), domain, Account.from_key(key))
        engine.recover()
        return engine

    def recover(self) -> int:
        """Rebuild every channel from the log; how many changes were replayed.

        Every payment in the log was accepted when it was logged, so in a log replayed
        as written each is accepted again. After a `rewind` one may not be (its channel
        or its deposit came from blocks a reorganisation replaced): it is parked, and
        tried again, in order, after each later chain change of its channel (here or
        live, `submit_chain`), so a payment the new branch funds again counts as before
        (and the same in every later replay)."""
        self.channels.clear()
        self.closing.clear()
        self.parked.clear()
        count = 0
        for change in self.wal.replay():
            count += 1
            events = self._apply(change)
            if isinstance(change, st.ReceivePayment):
                if events and isinstance(events[0], st.PaymentRejected):
                    self.parked.setdefault(change.channel, []).append(change)
            else:
                self._unpark(change.channel)
        return count

    def _unpark(self, channel: int) -> None:
        """Try the parked payments of `channel` again, in order (see `recover`)."""
        waiting = self.parked.pop(channel, None)
        if not waiting:
            return
        for payment in waiting:
            events = self._apply(payment)
            if events and isinstance(events[0], st.PaymentRejected):
                self.parked.setdefault(channel, []).append(payment)

    def rewind(self, block: int) -> int:
        """The chain reorganised: forget the chain changes of the blocks after `block`
        (their hashes too; the cursor goes back to it) and rebuild every channel from
        what the log still holds; how many changes were forgotten."""
        gone = self.wal.rewind(block)
        self.recover()
        return gone

    def _apply(self, change: Any, channel: int | None = None) -> list[st.Event]:
        channel = change.channel if channel is None else channel
        before = self.channels.get(channel)
        result = st.state_transition(before, change, st.Context(self.domain, self.now))
        st.sanity_check(before, result.state)
        if result.state is not None:
            self.channels[channel] = result.state
            if result.state.status == st.Status.CLOSING:
                self.closing.add(channel)
            else:
                self.closing.discard(channel)
        return result.events

    def submit_payments(
        self,
        payments: Iterable[st.ReceivePayment],
        signers: Sequence[bytes | None] | None = None,
    ) -> list[Outcome]:
        """Decide a batch; durable before any receipt; one outcome per payment, in order."""
        decided = self.decide(payments, signers)
        accepted = [e for e in decided if isinstance(e, st.PaymentAccepted)]
        receipts = iter(self.sign_receipts(accepted))
        return [
            Outcome(receipt=next(receipts))
            if isinstance(e, st.PaymentAccepted)
            else Outcome(rejected=e)
            for e in decided
        ]

    def decide(
        self,
        payments: Iterable[st.ReceivePayment],
        signers: Sequence[bytes | None] | None = None,
    ) -> list[st.PaymentAccepted | st.PaymentRejected]:
        """Run a batch through the transitions in order and write the accepted payments
        to the log in one transaction: on return they are durable and may be
        acknowledged (`sign_receipts`). `signers`, when given, are the payments'
        signers recovered beforehand by `verifier.recover_signer` (the pool), one per
        payment; otherwise each transition recovers its own. If the log cannot be
        written, nothing of the batch stays in memory either, and the error propagates."""
        batch = list(payments)
        if signers is not None and len(signers) != len(batch):
            raise ValueError(f"{len(signers)} signers for {len(batch)} payments")
        decided: list[st.PaymentAccepted | st.PaymentRejected] = []
        accepted: list[st.ReceivePayment] = []
        saved: dict[int, st.ChannelState | None] = {}
        ctx = st.Context(self.domain, self.now)
        channels = self.channels
        for index, payment in enumerate(batch):
            channel = payment.channel
            before = channels.get(channel)
            if channel not in saved:
                saved[channel] = before
            change: st.ReceivePayment | st.ReceiveVerifiedPayment = payment
            if signers is not None:
                change = st.ReceiveVerifiedPayment(payment, signers[index])
            result = st.state_transition(before, change, ctx)
            st.sanity_check(before, result.state)
            if result.state is not None:
                channels[channel] = result.state
            event = result.events[0]
            assert isinstance(event, (st.PaymentAccepted, st.PaymentRejected))
            decided.append(event)
            if isinstance(event, st.PaymentAccepted):
                accepted.append(payment)
        try:
            self.wal.append_many(accepted)
        except BaseException:
            for channel, before in saved.items():  # nothing acknowledged: undo in memory
                if before is None:
                    channels.pop(channel, None)
                else:
                    channels[channel] = before
            raise
        return decided

    def sign_receipts(self, accepted: Sequence[st.PaymentAccepted]) -> list[Receipt]:
        """The hub's receipts for payments `decide` made durable (never before)."""
        separator = self.separator
        private = self._private
        return [
            Receipt(
                a.channel,
                a.payer,
                a.nonce,
                a.amount,
                verifier.sign_receipt(
                    private, separator, a.channel, bytes.fromhex(a.payer[2:]), a.nonce, a.amount
                ),
            )
            for a in accepted
        ]

    def submit_chain(
        self, changes: Iterable[Any], blocks: list[int] | None = None
    ) -> list[st.Event]:
        """Chain events (opened, topped up, closing, updated, settled): logged (with the
        block each came from, when given), applied."""
        batch = list(changes)
        self.wal.append_many(batch, blocks)
        events: list[st.Event] = []
        for change in batch:
            events += self._apply(change)
            if self.parked:
                self._unpark(change.channel)
        return events

    def consent(self, channel: int) -> st.SendCloseConsent | None:
        """The hub's consent to close `channel` at its best proof, logged first: from
        then on (restarts included) the channel takes no more payments."""
        change = st.ActionCooperativeClose(channel)
        state = self.channels.get(channel)
        if state is None or state.best is None:
            return None
        if state.status not in (st.Status.OPEN, st.Status.CONSENTED):
            return None
        self.wal.append_many([change])
        events = self._apply(change)
        return next((e for e in events if isinstance(e, st.SendCloseConsent)), None)

    def advance(
        self,
        changes: list[Any],
        block: int,
        now: int,
        blocks: list[int] | None = None,
        block_hash: bytes | None = None,
    ) -> list[st.Event]:
        """The chain up to `block` (time `now`): its changes logged (each with its block)
        and applied, the cursor moved (and `block`'s hash kept), the clock ticked."""
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
        """The chain's time moved: disputes and settlements that fall due (not logged:
        derived from the logged state and the clock)."""
        self.now = timestamp
        events: list[st.Event] = []
        for channel in sorted(self.closing):
            events += self._apply(st.Block(timestamp), channel)
        return events

    def proof_for(self, channel: int) -> ch.BalanceProof | None:
        state = self.channels.get(channel)
        if state is None or state.best is None:
            return None
        return ch.BalanceProof(channel, state.best.nonce, state.best.amount)
