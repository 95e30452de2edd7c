"""Issue 15, finding 16: a stale close wins after one failed send.

The watcher marked a dispute as sent (in the engine's state) before its transaction went
out and had already moved its cursor past the close: when that one send failed (the RPC
dropped it), the hub never tried again, and a hub restarted mid-window rebuilt the same
mark from its log, so it never disputed either; the channel settled at the payer's
oldest proof. Now a dispute is derived, every round, from the chain's view and the log
(the best proof held against the proof in force), and sent until it is mined, the
window ends, or a proof at least as good is in force.

Against a real anvil: the hub (`python -m bpsa.sidechains.serve`) reaches the chain
through `RpcProxy`, which forwards JSON-RPC and drops the hub's transactions on demand:
by cutting the connection (the RPC endpoint went away) or by answering a transaction's
hash and never forwarding it (the node dropped it)."""

from __future__ import annotations

import pytest

from bpsa.core import channels as ch
from bpsa.sidechains.client import ChannelClient
from tests.sidechains.helpers import PRICE, wait_until


def close_stale(cheat: ChannelClient, channel: int) -> None:
    """The payer closes claiming 3 queries' worth (its proof 3)."""
    nonce, amount, signature = cheat.proof(channel, 3)
    fn = cheat.channels.functions.close(channel, nonce, amount, ch.as_arg(signature))
    cheat.chain.send(cheat.account, fn)


def settles_for_ten(chain, hub_world, channel: int) -> None:
    """The window ends; the hub settles the channel at the proof in force: all 10."""
    channels = hub_world["Channels"]
    earned = channels.hub_earnings()
    chain.pending_timestamp += int(channels.challenge_window())
    chain.mine()
    wait_until(lambda: channels.channel(channel)[1] == 0, what="the hub's settlement")
    assert channels.hub_earnings() - earned == 10 * PRICE


def test_dispute__first_send_cut_by_the_rpc__sent_again_and_the_hub_paid_in_full(
    chain, hub_world, proxy, hub_node, cheater_paid_ten
):
    cheat, channel = cheater_paid_ten
    proxy.drop, proxy.mode = 1, "cut"  # the hub's next transaction never reaches the chain

    close_stale(cheat, channel)

    channels = hub_world["Channels"]
    wait_until(lambda: proxy.dropped == 1, what="the hub's first dispute")
    wait_until(lambda: channels.channel(channel)[3] == 10 * PRICE, 20, "the hub's dispute again")
    settles_for_ten(chain, hub_world, channel)


def test_dispute__send_dropped_then_hub_killed_mid_window__restarted_hub_disputes(
    chain, hub_world, proxy, hub_node, cheater_paid_ten
):
    cheat, channel = cheater_paid_ten
    proxy.drop, proxy.mode = 10**6, "swallow"  # the node drops every transaction of the hub

    close_stale(cheat, channel)
    wait_until(lambda: proxy.dropped >= 1, what="the hub's dispute")
    hub_node.kill()  # mid-window, its dispute never mined
    proxy.drop = 0
    hub_node.start()  # on the same log

    channels = hub_world["Channels"]
    wait_until(
        lambda: channels.channel(channel)[3] == 10 * PRICE, 20, "the restarted hub's dispute"
    )
    settles_for_ten(chain, hub_world, channel)


@pytest.mark.parametrize("hub_extra", [["--tx-timeout", "2"]])
def test_dispute__first_send_swallowed_by_the_node__sent_again_after_the_timeout(
    chain, hub_world, proxy, hub_node, cheater_paid_ten
):
    cheat, channel = cheater_paid_ten
    proxy.drop, proxy.mode = 1, "swallow"  # answered with its hash, never forwarded

    close_stale(cheat, channel)

    channels = hub_world["Channels"]
    wait_until(lambda: proxy.dropped == 1, what="the hub's first dispute")
    wait_until(lambda: channels.channel(channel)[3] == 10 * PRICE, 20, "the hub's dispute again")
    settles_for_ten(chain, hub_world, channel)
