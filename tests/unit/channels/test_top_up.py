"""Channels.top_up: the payer adds to an open channel's deposit (at least 1 wei, the
deposit staying under 2^96); nobody else tops up, and a closing channel takes no more."""

from typing import Any

import ape
import pytest

from tests.channels_reasons import (
    AMOUNT_MAX,
    BAD_TOP_UP,
    IS_CLOSING,
    NO_ALLOWANCE,
    NO_CHANNEL,
    ONLY_PAYER_TOPS_UP,
)
from tests.fixtures.channels import DEPOSIT, PAYER_BPC
from tests.unit.channels.conftest import Closing
from tests.unit.channels.helpers import ONE, view


def test_top_up__by_the_payer__raises_the_deposit(
    channels: Any, bpc: Any, payer: Any, open_channel: int
) -> None:
    bpc.approve(channels, 7 * ONE, sender=payer)

    tx = channels.top_up(open_channel, 7 * ONE, sender=payer)

    assert view(channels, open_channel) == (payer.address, DEPOSIT + 7 * ONE, 0, 0, 0)
    assert bpc.balanceOf(payer) == PAYER_BPC - DEPOSIT - 7 * ONE
    assert bpc.balanceOf(channels) == DEPOSIT + 7 * ONE
    assert tx.events.filter(channels.ChannelToppedUp) == [
        channels.ChannelToppedUp(channel=open_channel, deposit=DEPOSIT + 7 * ONE)
    ]


def test_top_up__to_exactly_2_96_minus_1__raises_the_deposit(
    channels: Any, bpc: Any, payer: Any, open_channel: int, fund_bpc: Any
) -> None:
    amount = AMOUNT_MAX - DEPOSIT
    fund_bpc(payer, amount)
    bpc.approve(channels, amount, sender=payer)

    channels.top_up(open_channel, amount, sender=payer)

    assert view(channels, open_channel)[1] == AMOUNT_MAX


def test_top_up__past_2_96_minus_1__reverts(
    channels: Any, bpc: Any, payer: Any, open_channel: int, fund_bpc: Any
) -> None:
    amount = AMOUNT_MAX - DEPOSIT + 1
    fund_bpc(payer, amount)
    bpc.approve(channels, amount, sender=payer)

    with ape.reverts(BAD_TOP_UP):
        channels.top_up(open_channel, amount, sender=payer)


def test_top_up__zero__reverts(channels: Any, payer: Any, open_channel: int) -> None:
    with ape.reverts(BAD_TOP_UP):
        channels.top_up(open_channel, 0, sender=payer)


def test_top_up__amount_near_2_256__reverts_with_the_bounds_reason(
    channels: Any, payer: Any, open_channel: int
) -> None:
    with ape.reverts(BAD_TOP_UP):
        channels.top_up(open_channel, 2**256 - 1, sender=payer)


@pytest.mark.parametrize("caller", ["attacker", "hub"])
def test_top_up__by_anyone_but_the_payer__reverts(
    channel_actors: dict[str, Any], channels: Any, open_channel: int, caller: str
) -> None:
    with ape.reverts(ONLY_PAYER_TOPS_UP):
        channels.top_up(open_channel, ONE, sender=channel_actors[caller])


def test_top_up__unknown_channel__reverts(channels: Any, payer: Any, open_channel: int) -> None:
    with ape.reverts(NO_CHANNEL):
        channels.top_up(open_channel + 1, ONE, sender=payer)


def test_top_up__while_closing__reverts(
    channels: Any, bpc: Any, payer: Any, closing_channel: Closing
) -> None:
    bpc.approve(channels, ONE, sender=payer)

    with ape.reverts(IS_CLOSING):
        channels.top_up(closing_channel.channel, ONE, sender=payer)


def test_top_up__without_allowance__reverts(channels: Any, payer: Any, open_channel: int) -> None:
    with ape.reverts(NO_ALLOWANCE):
        channels.top_up(open_channel, ONE, sender=payer)
