"""Channels.open: a payer opens a channel to the hub with a deposit of 1 wei to 2^96 - 1
BPC, drawn on its allowance; channel ids count up from 1."""

from typing import Any

import ape
import pytest

from tests.channels_reasons import (
    AMOUNT_MAX,
    BAD_DEPOSIT,
    HUB_PAYS_ITSELF,
    NO_ALLOWANCE,
    NO_BALANCE,
)
from tests.fixtures.channels import DEPOSIT, PAYER_BPC, ChannelDriver
from tests.unit.channels.helpers import view


def test_open__approved_deposit__moves_it_and_records_the_channel(
    channels: Any, bpc: Any, payer: Any
) -> None:
    bpc.approve(channels, DEPOSIT, sender=payer)

    tx = channels.open(DEPOSIT, sender=payer)

    assert tx.return_value == 1
    assert channels.channel_count() == 1
    assert view(channels, 1) == (payer.address, DEPOSIT, 0, 0, 0)
    assert bpc.balanceOf(payer) == PAYER_BPC - DEPOSIT
    assert bpc.balanceOf(channels) == DEPOSIT
    assert bpc.allowance(payer, channels) == 0
    assert tx.events.filter(channels.ChannelOpened) == [
        channels.ChannelOpened(channel=1, payer=payer.address, deposit=DEPOSIT)
    ]


def test_open__second_channel_of_another_payer__next_id_each_its_own(
    channels: Any, channel_driver: ChannelDriver, payer: Any, outsider: Any, fund_bpc: Any
) -> None:
    fund_bpc(outsider, 5)
    first = channel_driver.open(payer)

    second = channel_driver.open(outsider, 5)

    assert (first, second) == (1, 2)
    assert view(channels, 1) == (payer.address, DEPOSIT, 0, 0, 0)
    assert view(channels, 2) == (outsider.address, 5, 0, 0, 0)
    assert channels.channel_count() == 2


@pytest.mark.parametrize("deposit", [1, AMOUNT_MAX])
def test_open__deposit_at_a_bound__opened(
    channels: Any, channel_driver: ChannelDriver, outsider: Any, fund_bpc: Any, deposit: int
) -> None:
    fund_bpc(outsider, deposit)

    channel = channel_driver.open(outsider, deposit)

    assert view(channels, channel)[1] == deposit


@pytest.mark.parametrize("deposit", [0, AMOUNT_MAX + 1])
def test_open__deposit_out_of_bounds__reverts(
    channels: Any, bpc: Any, outsider: Any, fund_bpc: Any, deposit: int
) -> None:
    fund_bpc(outsider, AMOUNT_MAX + 1)
    bpc.approve(channels, deposit, sender=outsider)

    with ape.reverts(BAD_DEPOSIT):
        channels.open(deposit, sender=outsider)


def test_open__by_the_hub__reverts(channels: Any, bpc: Any, hub: Any, fund_bpc: Any) -> None:
    fund_bpc(hub, DEPOSIT)
    bpc.approve(channels, DEPOSIT, sender=hub)

    with ape.reverts(HUB_PAYS_ITSELF):
        channels.open(DEPOSIT, sender=hub)


def test_open__allowance_short_by_one_wei__reverts(channels: Any, bpc: Any, payer: Any) -> None:
    bpc.approve(channels, DEPOSIT - 1, sender=payer)

    with ape.reverts(NO_ALLOWANCE):
        channels.open(DEPOSIT, sender=payer)


def test_open__more_than_the_balance__reverts(channels: Any, bpc: Any, payer: Any) -> None:
    bpc.approve(channels, PAYER_BPC + 1, sender=payer)

    with ape.reverts(NO_BALANCE):
        channels.open(PAYER_BPC + 1, sender=payer)
