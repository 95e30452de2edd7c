"""Issue 15, review of the hub: receipts for money that is gone.

The hub acknowledged payments against the deposit it last saw, however long ago it last
saw the chain. With its watcher cut off (its RPC endpoint down), a payer closed its
channel with no proof, let the window pass, settled (anyone may) and took its whole
deposit back; the hub, none the wiser, went on signing receipts for payments on the
settled channel, and each receipt bought a paid query. A hub that has not read the chain
for `max_chain_lag` seconds (well under the shortest challenge window, 10 minutes) now
refuses payments (503 `chain_unseen`) until it has: a channel cannot close and settle
unseen in that time."""

from __future__ import annotations

import time

import pytest

from bpsa.sidechains.client import PaymentRefused
from tests.sidechains.helpers import PRICE, wait_until


@pytest.mark.parametrize("hub_extra", [["--max-chain-lag", "2"]])
def test_pay__hub_blind_to_the_chain_while_the_channel_settles__refused_not_receipted(
    chain,
    hub_world,
    proxy,
    cheater_paid_ten,
):
    cheat, channel = cheater_paid_ten
    proxy.down = True  # the hub's RPC endpoint is gone
    channels = hub_world["Channels"]
    nothing = cheat.channels.functions.close(channel, 0, 0, (27, bytes(32), bytes(32)))
    cheat.chain.send(cheat.account, nothing)  # the payer closes claiming nothing
    chain.pending_timestamp += int(channels.challenge_window())
    chain.mine()
    cheat.chain.send(cheat.account, cheat.channels.functions.settle(channel))
    assert channels.channel(channel)[1] == 0  # settled: the whole deposit back to the payer
    time.sleep(2.5)  # the hub has not seen the chain for longer than it may

    with pytest.raises(PaymentRefused) as refused:
        cheat.pay(channel, PRICE)  # money the channel no longer holds

    assert refused.value.code == "chain_unseen"
    proxy.down = False
    wait_until(lambda: cheat.status(channel)["status"] == "settled", what="the hub to catch up")
