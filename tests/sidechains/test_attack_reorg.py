"""Issue 15, review of the hub's watcher: a reorganised top-up funds receipts for ever.

The watcher took in every event once and never looked back: when the chain reorganised
and the block of a payer's top-up left it, the hub kept the higher deposit and went on
acknowledging payments the channel could not pay (each receipt a paid query). The hub
now keeps the hash of each block it takes in; when that block leaves the chain it
rewinds to the common ancestor, forgets the chain changes after it, rebuilds its
channels and reads the new branch. (On a live chain `confirmations` keeps ordinary
reorganisations from reaching the hub at all; this is the one deeper than that.)"""

from __future__ import annotations

import pytest

from bpsa.sidechains.client import PaymentRefused
from tests.sidechains.helpers import PRICE, wait_until

TOP_UP = 10**18


def test_pay__top_up_reorganised_away__hub_rewinds_and_refuses_the_unfunded_payment(
    chain, hub_world, cheater_paid_ten
):
    cheat, channel = cheater_paid_ten
    deposit = int(cheat.status(channel)["deposit"])
    cheat.top_up(channel, TOP_UP)
    wait_until(lambda: int(cheat.status(channel)["deposit"]) == deposit + TOP_UP, what="top-up")

    chain.provider.make_request("anvil_reorg", [2, []])  # the top-up's blocks leave the chain
    chain.mine(3)
    channels = hub_world["Channels"]
    assert channels.channel(channel)[1] == deposit  # the chain's deposit, without the top-up
    wait_until(lambda: int(cheat.status(channel)["deposit"]) == deposit, what="the hub to rewind")

    with pytest.raises(PaymentRefused) as refused:
        cheat.pay(channel, deposit)  # more than the channel holds, within the lost top-up

    assert refused.value.code == "over_deposit"
    assert int(cheat.status(channel)["paid"]) == 10 * PRICE  # its ten payments survive
