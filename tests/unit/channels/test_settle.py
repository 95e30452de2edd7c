"""Channels.settle: from the settle time on, anyone pays out a closing channel: the hub
earns the proof in force, the payer gets the rest of its deposit back, and the channel is
gone. One second early, an open channel or an unknown one: refused."""

from typing import Any

import ape
import pytest

from tests.channels_reasons import NO_CHANNEL, NOT_CLOSING, WINDOW_NOT_OVER
from tests.fixtures.channels import DEPOSIT, PAYER_BPC, ChannelDriver
from tests.fixtures.suite import at
from tests.unit.channels.conftest import IN_FORCE_AMOUNT, Closing
from tests.unit.channels.helpers import NO_SIG, ONE, ZERO, view


@pytest.mark.parametrize("sender", ["attacker", "hub", "payer"])
def test_settle__at_the_settle_time__pays_hub_and_payer_whoever_sends(
    channel_actors: dict[str, Any],
    chain: Any,
    channels: Any,
    bpc: Any,
    payer: Any,
    closing_channel: Closing,
    sender: str,
) -> None:
    channel = closing_channel.channel
    at(chain, closing_channel.settle_after)

    tx = channels.settle(channel, sender=channel_actors[sender])

    assert tx.events.filter(channels.ChannelSettled) == [
        channels.ChannelSettled(
            channel=channel, to_hub=IN_FORCE_AMOUNT, to_payer=DEPOSIT - IN_FORCE_AMOUNT
        )
    ]
    assert bpc.balanceOf(payer) == PAYER_BPC - IN_FORCE_AMOUNT
    assert bpc.balanceOf(channels) == IN_FORCE_AMOUNT == channels.hub_earnings()
    assert view(channels, channel) == (ZERO, 0, 0, 0, 0)


def test_settle__one_second_before_the_settle_time__reverts(
    chain: Any, channels: Any, hub: Any, closing_channel: Closing
) -> None:
    at(chain, closing_channel.settle_after - 1)

    with ape.reverts(WINDOW_NOT_OVER):
        channels.settle(closing_channel.channel, sender=hub)


def test_settle__after_an_update__pays_the_updated_amount(
    chain: Any,
    channels: Any,
    channel_driver: ChannelDriver,
    bpc: Any,
    payer: Any,
    hub: Any,
    closing_channel: Closing,
) -> None:
    channel = closing_channel.channel
    better = IN_FORCE_AMOUNT + 5 * ONE
    channels.update(channel, 6, better, channel_driver.proof(channel, 6, better, payer), sender=hub)
    at(chain, closing_channel.settle_after)

    channels.settle(channel, sender=hub)

    assert channels.hub_earnings() == better
    assert bpc.balanceOf(payer) == PAYER_BPC - better


def test_settle__close_without_a_proof__whole_deposit_back(
    chain: Any, channels: Any, bpc: Any, payer: Any, open_channel: int
) -> None:
    settle_after = int(
        channels.close(open_channel, 0, 0, NO_SIG, sender=payer).events[0].settle_after
    )
    at(chain, settle_after)

    tx = channels.settle(open_channel, sender=payer)

    assert tx.events.filter(channels.ChannelSettled)[0].to_hub == 0
    assert bpc.balanceOf(payer) == PAYER_BPC
    assert channels.hub_earnings() == 0
    assert bpc.balanceOf(channels) == 0


def test_settle__proof_of_the_whole_deposit__nothing_back(
    chain: Any,
    channels: Any,
    channel_driver: ChannelDriver,
    bpc: Any,
    payer: Any,
    hub: Any,
    open_channel: int,
) -> None:
    sig = channel_driver.proof(open_channel, 1, DEPOSIT, payer)
    tx = channels.close(open_channel, 1, DEPOSIT, sig, sender=hub)
    at(chain, int(tx.events[0].settle_after))

    settled = channels.settle(open_channel, sender=hub)

    assert settled.events.filter(channels.ChannelSettled)[0].to_payer == 0
    assert channels.hub_earnings() == DEPOSIT
    assert bpc.balanceOf(payer) == PAYER_BPC - DEPOSIT


def test_settle__settled_channel__gone_for_every_function(
    chain: Any,
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    hub: Any,
    closing_channel: Closing,
) -> None:
    channel = closing_channel.channel
    at(chain, closing_channel.settle_after)
    channels.settle(channel, sender=hub)
    sig = channel_driver.proof(channel, 99, IN_FORCE_AMOUNT + ONE, payer)

    with ape.reverts(NOT_CLOSING):
        channels.settle(channel, sender=hub)
    with ape.reverts(NOT_CLOSING):
        channels.update(channel, 99, IN_FORCE_AMOUNT + ONE, sig, sender=hub)
    with ape.reverts(NO_CHANNEL):
        channels.close(channel, 99, IN_FORCE_AMOUNT + ONE, sig, sender=hub)
    with ape.reverts(NO_CHANNEL):
        channels.top_up(channel, ONE, sender=payer)
    with ape.reverts(NO_CHANNEL):
        channels.cooperative_close(
            channel, 99, 0, sig, channel_driver.consent(channel, 99, 0), sender=payer
        )


def test_settle__open_channel__reverts(channels: Any, hub: Any, open_channel: int) -> None:
    with ape.reverts(NOT_CLOSING):
        channels.settle(open_channel, sender=hub)


def test_settle__unknown_channel__reverts(channels: Any, hub: Any) -> None:
    with ape.reverts(NOT_CLOSING):
        channels.settle(1, sender=hub)


def test_settle__two_channels__each_its_own_payer_and_deposit(
    chain: Any,
    channels: Any,
    channel_driver: ChannelDriver,
    bpc: Any,
    payer: Any,
    hub: Any,
    outsider: Any,
    fund_bpc: Any,
    closing_channel: Closing,
) -> None:
    fund_bpc(outsider, 10 * ONE)
    other = channel_driver.open(outsider, 10 * ONE)
    channels.close(other, 2, 4 * ONE, channel_driver.proof(other, 2, 4 * ONE, outsider), sender=hub)
    at(chain, closing_channel.settle_after + 60)

    channels.settle(closing_channel.channel, sender=hub)

    assert view(channels, other)[:4] == (outsider.address, 10 * ONE, 2, 4 * ONE)
    assert bpc.balanceOf(outsider) == 0
    assert bpc.balanceOf(channels) == 10 * ONE + IN_FORCE_AMOUNT
