"""The hub's view of the chain: Channels.vy's events turned into the engine's state
changes, and the engine's chain events turned into transactions.

Each `step` reads the logs since the last block it took in (the cursor lives in the
hub's log) up to the last block `confirmations` deep (a block that deep is final enough
for the hub to act on), feeds them to the engine with the block each came from and that
last block's hash, lets the clock tick (the latest block's time: disputes and
settlements that fall due), and sends what the engine asks:
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

A reorganisation deeper than `confirmations` (the hash kept for the cursor's block is no
longer the chain's) is rewound: the newest block whose kept hash the chain still has is
the common ancestor (the deployment's block when none is), the hub forgets every chain
change after it and rebuilds its channels (`Engine.rewind`), and the next step reads
the new branch from there.

Effects at the edge: the RPC calls happen here, outside the engine's thread; only the
state changes go in (through `submit`, which the hub serialises with its payments).
"""

from __future__ import annotations

import functools
import logging
import time
from typing import Any, Protocol

from eth_account.signers.local import LocalAccount

from bpsa.core import channels as ch
from bpsa.core.chain import ChainRejected, Gateway, depth
from bpsa.sidechains import state as st
from bpsa.sidechains.messages import ChannelId, Nonce, Timestamp, Wei

EVENTS = ("ChannelOpened", "ChannelToppedUp", "ChannelClosing", "ChannelUpdated", "ChannelSettled")
TX_TIMEOUT = 60.0  # seconds a transaction of the hub may take to be mined before it is resent


def to_change(name: str, args: Any) -> st.ContractReceiveStateChange:
    """A Channels event as the engine's state change."""
    channel = ChannelId(int(args.channel))
    if name == "ChannelOpened":
        return st.ContractReceiveChannelOpened(channel, str(args.payer), Wei(int(args.deposit)))
    if name == "ChannelToppedUp":
        return st.ContractReceiveChannelToppedUp(channel, Wei(int(args.deposit)))
    if name == "ChannelClosing":
        return st.ContractReceiveChannelClosing(
            channel,
            str(args.closer),
            Nonce(int(args.nonce)),
            Wei(int(args.amount)),
            Timestamp(int(args.settle_after)),
        )
    if name == "ChannelUpdated":
        return st.ContractReceiveChannelUpdated(
            channel, Nonce(int(args.nonce)), Wei(int(args.amount))
        )
    return st.ContractReceiveChannelSettled(channel, Wei(int(args.to_hub)), Wei(int(args.to_payer)))


class HubSide(Protocol):
    """What the watcher needs of the hub (`Hub` runs each on the engine's thread; an
    `Engine` is one too)."""

    def advance(
        self,
        changes: list[Any],
        block: int,
        now: int,
        blocks: list[int] | None = None,
        block_hash: bytes | None = None,
    ) -> list[st.Event]: ...

    def rewind(self, block: int) -> int: ...

    def cursor(self) -> int | None: ...

    def block_hashes(self) -> list[tuple[int, bytes]]: ...


class ChainWatcher:
    def __init__(
        self,
        chain: Gateway,
        account: LocalAccount,
        hub: HubSide,
        sweep_at: int = 10**18,
        log: logging.Logger | None = None,
        confirmations: int = 0,
        tx_timeout: float = TX_TIMEOUT,
    ) -> None:
        self.chain = chain
        self.channels = chain.contract("Channels")
        self.account = account
        self.hub = hub
        self.sweep_at = sweep_at
        self.confirmations = depth(confirmations)
        self.tx_timeout = tx_timeout
        self.start_block = chain.manifest.contracts["Channels"].block
        self.log = log or logging.getLogger("bpsa.hub.watcher")
        self.seen_at = time.monotonic()  # when the hub last took in the chain
        self.reorgs = 0

    def logs(self, start: int, end: int) -> tuple[list[Any], list[int]]:
        """The state changes of Channels' events in blocks `start` to `end`, in chain
        order, and the block each came from."""
        found = []
        for name in EVENTS:
            fetch = functools.partial(
                getattr(self.channels.events, name).get_logs, from_block=start, to_block=end
            )
            for entry in self.chain.call(fetch):
                found.append((entry.blockNumber, entry.logIndex, to_change(name, entry.args)))
        found.sort(key=lambda f: (f[0], f[1]))
        return [change for _, _, change in found], [int(block) for block, _, _ in found]

    def rewound(self) -> bool:
        """If the block the hub last took in left the chain, rewind the hub to the
        common ancestor and say so."""
        kept = self.hub.block_hashes()
        if not kept or self.chain.block_hash(kept[0][0]) == kept[0][1]:
            return False
        ancestor = self.chain.newest_on_chain(kept[1:])
        if ancestor is None:  # deeper than the hashes kept: read it all again
            ancestor = self.start_block - 1
        gone = self.hub.rewind(ancestor)
        self.reorgs += 1
        self.log.error(
            "the chain reorganised below block %d (deeper than %d confirmations): rewound to "
            "block %d, %d chain changes forgotten",
            kept[0][0],
            self.confirmations,
            ancestor,
            gone,
        )
        return True

    def step(self) -> list[st.Event]:
        self.rewound()
        head = self.chain.head()
        final = head - self.confirmations  # the last block final enough to act on
        last = self.hub.cursor()
        start = self.start_block if last is None else last + 1
        changes: list[Any] = []
        blocks: list[int] = []
        final_hash = None
        if final >= start:
            final_hash = self.chain.block_hash(final)
            changes, blocks = self.logs(start, final)
            if final_hash is None or self.chain.block_hash(final) != final_hash:
                return []  # the chain moved under the read: read again next round
        else:  # nothing new and final: the clock still ticks
            final = start - 1
        events = self.hub.advance(changes, final, self.chain.now(), blocks, final_hash)
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
