"""The hub's view of the chain: Channels.vy's events turned into the engine's state
changes, and the engine's chain events turned into transactions.

Each `step` reads the logs since the last block it saw (the cursor lives in the hub's
log), feeds them to the engine, lets the clock tick (disputes and settlements that fall
due), and sends what the engine asks: `update` with the best proof against a stale
close while the window is open, `settle` after it, and a `sweep` of the hub's earnings
into the royalties once they pass a threshold. Replaying a block range after a crash is
harmless: every chain state change is idempotent in the engine, and a dispute or
settlement already done is refused by the contract and logged.

Effects at the edge: the RPC calls happen here, outside the engine's thread; only the
state changes go in (through `submit`, which the hub serialises with its payments).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from eth_account.signers.local import LocalAccount

from bpsa import channels as ch
from bpsa.oracle.chain import ChainRejected, PoolChain
from bpsa.sidechains import state as st

EVENTS = ("ChannelOpened", "ChannelToppedUp", "ChannelClosing", "ChannelUpdated", "ChannelSettled")


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
    ) -> None:
        self.chain = chain
        self.channels = chain.contract("Channels")
        self.account = account
        self.submit = submit  # (changes, block, now) -> events, in the engine's thread
        self.cursor = cursor
        self.sweep_at = sweep_at
        self.start_block = chain.manifest.contracts["Channels"].block
        self.log = log or logging.getLogger("bpsa.hub.watcher")

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
        last = self.cursor()
        start = self.start_block if last is None else last + 1
        changes = self.logs(start, head) if head >= start else []
        events = self.submit(changes, head, self.chain.now())
        for event in events:
            self.act(event)
        earned = int(self.chain.call(self.channels.functions.hub_earnings().call))
        if earned >= self.sweep_at:
            self.chain.send(self.account, self.channels.functions.sweep())
            self.log.info("swept %d wei of the hub's earnings into the royalties", earned)
        return events

    def act(self, event: st.Event) -> None:
        try:
            if isinstance(event, st.ContractSendUpdate):
                proof, sig = event.proof, ch.as_arg(event.proof.signature)
                fn = self.channels.functions.update(event.channel, proof.nonce, proof.amount, sig)
                self.chain.send(self.account, fn)
                self.log.warning(
                    "disputed the close of channel %d with the proof for %d wei",
                    event.channel,
                    proof.amount,
                )
            elif isinstance(event, st.ContractSendSettle):
                self.chain.send(self.account, self.channels.functions.settle(event.channel))
            elif isinstance(event, st.ChannelClosedAgainstHub):
                self.log.error(
                    "channel %d settled for less than the hub held: %s", event.channel, event
                )
        except ChainRejected as exc:  # done already (a replayed range) or someone else did it
            self.log.info("%s: %s", type(event).__name__, exc)
