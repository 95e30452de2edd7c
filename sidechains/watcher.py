"""The hub's view of the chain: Channels.vy's events turned into the engine's state
changes, and the engine's chain events turned into transactions.

Each `step` reads the logs since the last block it took in (the cursor lives in the
hub's log) up to the last block `confirmations` deep (a block that deep is final enough
for the hub to act on), feeds them to the engine, lets the clock tick (the latest
block's time: disputes and settlements that fall due), and sends what the engine asks:
`update` with the best proof against a stale close while the window is open, `settle`
after it, and a `sweep` of the hub's earnings into the royalties once they pass a
threshold.

What to send is derived at every step from the logged state and the clock, never from
a mark that it was sent: a dispute is asked for at every step until the chain shows a
proof as good in force. Before sending one the watcher reads the channel on chain
(latest block) and sends only if the proof in force pays less than the hub's and the
window is still open; a transaction that fails, is dropped by the node or is not mined
in `tx_timeout` seconds is simply asked for again at the next step, and a hub restarted
mid-window asks for it at its first step (its state is rebuilt from the log). One failed
action never keeps the others from being tried.

Effects at the edge: the RPC calls happen here, outside the engine's thread; only the
state changes go in (through `submit`, which the hub serialises with its payments).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from eth_account.signers.local import LocalAccount

from bpsa import channels as ch
from bpsa.oracle.chain import ChainRejected, PoolChain
from bpsa.sidechains import state as st

EVENTS = ("ChannelOpened", "ChannelToppedUp", "ChannelClosing", "ChannelUpdated", "ChannelSettled")
TX_TIMEOUT = 60.0  # seconds a transaction of the hub may take to be mined before it is resent


def to_change(name: str, args: Any) -> Any:
    """A Channels event as the engine's state change."""
    channel = int(args.channel)
    if name == "ChannelOpened":
        return st.ContractReceiveChannelOpened(channel, str(args.payer), int(args.deposit))
    if name == "ChannelToppedUp":
        return st.ContractReceiveChannelToppedUp(channel, int(args.deposit))
    if name == "ChannelClosing":
        return st.ContractReceiveChannelClosing(
            channel, str(args.closer), int(args.nonce), int(args.amount), int(args.settle_after)
        )
    if name == "ChannelUpdated":
        return st.ContractReceiveChannelUpdated(channel, int(args.nonce), int(args.amount))
    return st.ContractReceiveChannelSettled(channel, int(args.to_hub), int(args.to_payer))


class ChainWatcher:
    def __init__(
        self,
        chain: PoolChain,
        account: LocalAccount,
        submit: Callable[[list[Any], int, int], list[st.Event]],
        cursor: Callable[[], int | None],
        sweep_at: int = 10**18,
        log: logging.Logger | None = None,
        confirmations: int = 0,
        tx_timeout: float = TX_TIMEOUT,
    ) -> None:
        if confirmations < 0:
            raise ValueError("confirmations is a number of blocks, 0 or more")
        self.chain = chain
        self.channels = chain.contract("Channels")
        self.account = account
        self.submit = submit  # (changes, block, now) -> events, in the engine's thread
        self.cursor = cursor
        self.sweep_at = sweep_at
        self.confirmations = confirmations
        self.tx_timeout = tx_timeout
        self.start_block = chain.manifest.contracts["Channels"].block
        self.log = log or logging.getLogger("bpsa.hub.watcher")
        self.seen_at = time.monotonic()  # when the hub last took in the chain

    def logs(self, start: int, end: int) -> list[Any]:
        found = []
        for name in EVENTS:
            fetch = functools.partial(
                getattr(self.channels.events, name).get_logs, from_block=start, to_block=end
            )
            for entry in self.chain.call(fetch):
                found.append((entry.blockNumber, entry.logIndex, to_change(name, entry.args)))
        return [change for _, _, change in sorted(found, key=lambda f: (f[0], f[1]))]

    def step(self) -> list[st.Event]:
        head = self.chain.head()
        final = head - self.confirmations  # the last block final enough to act on
        last = self.cursor()
        start = self.start_block if last is None else last + 1
        if final < start:  # nothing new and final: the clock still ticks
            final = start - 1
        changes = self.logs(start, final) if final >= start else []
        events = self.submit(changes, final, self.chain.now())
        self.seen_at = time.monotonic()
        for event in dict.fromkeys(events):  # each once, in order
            self.act(event)
        self.sweep()
        return events

    def act(self, event: st.Event) -> None:
        """Send what `event` asks, if the chain still needs it; never raises (what failed
        is asked for again at the next step)."""
        try:
            if isinstance(event, st.ContractSendUpdate):
                self.dispute(event.channel, event.proof)
            elif isinstance(event, st.ContractSendSettle):
                self.settle(event.channel)
            elif isinstance(event, st.ChannelClosedAgainstHub):
                self.log.error(
                    "channel %d settled for less than the hub held: %s", event.channel, event
                )
        except ChainRejected as exc:  # done meanwhile, or someone else did it
            self.log.info("%s: %s", type(event).__name__, exc)
        except Exception as exc:  # not sent, or not mined: the next step asks again
            self.log.warning("%s not done, retried next round: %s", type(event).__name__, exc)

    def on_chain(self, channel: int) -> tuple[int, int]:
        """(amount in force, settle time) of `channel` at the latest block; (0, 0) when it
        is not closing (open, settled or unknown)."""
        view = self.chain.call(self.channels.functions.channel(channel).call)
        return int(view[3]), int(view[4])

    def dispute(self, channel: int, proof: st.Proof) -> None:
        in_force, settle_after = self.on_chain(channel)
        if settle_after == 0:  # settled (or not closing on this branch of the chain)
            return
        if in_force >= proof.amount:  # our dispute (or a better proof) landed already
            return
        if self.chain.now() >= settle_after:
            self.log.error(
                "channel %d: the window closed with %d wei in force; the hub held %d",
                channel,
                in_force,
                proof.amount,
            )
            return
        fn = self.channels.functions.update(
            channel, proof.nonce, proof.amount, ch.as_arg(proof.signature)
        )
        self.chain.send(self.account, fn, timeout=self.tx_timeout)
        self.log.warning(
            "disputed the close of channel %d with the proof for %d wei", channel, proof.amount
        )

    def settle(self, channel: int) -> None:
        _, settle_after = self.on_chain(channel)
        if settle_after == 0 or self.chain.now() < settle_after:  # settled, or not yet due
            return
        fn = self.channels.functions.settle(channel)
        self.chain.send(self.account, fn, timeout=self.tx_timeout)

    def sweep(self) -> None:
        try:
            earned = int(self.chain.call(self.channels.functions.hub_earnings().call))
            if earned >= self.sweep_at:
                fn = self.channels.functions.sweep()
                self.chain.send(self.account, fn, timeout=self.tx_timeout)
                self.log.info("swept %d wei of the hub's earnings into the royalties", earned)
        except Exception as exc:  # anyone may sweep; it is tried again next round
            self.log.warning("sweep not done: %s", exc)
