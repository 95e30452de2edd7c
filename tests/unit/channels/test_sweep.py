"""Channels.sweep: anyone pays the hub's settled earnings into the royalty split, which
treats them as a fee: the contributors, the trusteeship centres and the fund take their
70/10/20 shares."""

import functools
from collections.abc import Callable
from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from tests.channels_reasons import NOTHING_TO_SWEEP
from tests.fixtures.channels import DEPOSIT, ChannelDriver
from tests.fixtures.pool import PoolDriver
from tests.unit.channels.helpers import ONE

EARNED = 40 * ONE
REFERENCE = keccak(text="channels")
Earner = Callable[[int], None]


def earn(channels: Any, d: ChannelDriver, payer: Any, amount: int = EARNED) -> None:
    """The payer's channel settled cooperatively, the hub earning `amount`."""
    channel = d.open(payer)
    channels.cooperative_close(
        channel,
        1,
        amount,
        d.proof(channel, 1, amount, payer),
        d.consent(channel, 1, amount),
        sender=payer,
    )


@pytest.fixture
def hub_earns(channels: Any, channel_driver: ChannelDriver, payer: Any) -> Earner:
    """Settles a new channel of the payer's cooperatively, the hub earning `amount`."""
    return functools.partial(earn, channels, channel_driver, payer)


def test_sweep__earnings_with_a_pooled_patent__split_to_contributor_centre_and_fund(
    driver: PoolDriver,
    channels: Any,
    channel_driver: ChannelDriver,
    bpc: Any,
    royalties: Any,
    fund: Any,
    provider: Any,
    centre: Any,
    licensee: Any,
    fund_bpc: Any,
    attacker: Any,
) -> None:
    # Pooled first: the pool mints only while every outstanding BPC has value behind it.
    driver.pooled(provider, centre=centre)
    fund_bpc(licensee, DEPOSIT)
    earn(channels, channel_driver, licensee)
    before = royalties.claimable(provider), royalties.claimable(centre), bpc.balanceOf(fund)

    tx = channels.sweep(sender=attacker)

    assert tx.return_value == EARNED
    assert royalties.claimable(provider) - before[0] == 28 * ONE
    assert royalties.claimable(centre) - before[1] == 4 * ONE
    assert bpc.balanceOf(fund) - before[2] == 8 * ONE
    assert channels.hub_earnings() == 0
    assert bpc.balanceOf(channels) == 0
    assert tx.events.filter(channels.EarningsSwept) == [channels.EarningsSwept(amount=EARNED)]
    assert tx.events.filter(royalties.RoyaltyPaid) == [
        royalties.RoyaltyPaid(
            payer=channels.address,
            reference=REFERENCE,
            amount=EARNED,
            to_contributors=28 * ONE,
            to_centres=4 * ONE,
            to_fund=8 * ONE,
        )
    ]


def test_sweep__no_pooled_patent__all_to_the_fund(
    channels: Any, hub_earns: Earner, bpc: Any, royalties: Any, fund: Any, payer: Any
) -> None:
    hub_earns(EARNED)

    channels.sweep(sender=payer)

    assert bpc.balanceOf(fund) == EARNED
    assert royalties.fees_in() == EARNED


def test_sweep__two_settlements__paid_together(
    channels: Any, hub_earns: Earner, royalties: Any, hub: Any
) -> None:
    hub_earns(EARNED)
    hub_earns(1)

    tx = channels.sweep(sender=hub)

    assert tx.return_value == EARNED + 1
    assert royalties.fees_in() == EARNED + 1


def test_sweep__nothing_earned__reverts(channels: Any, attacker: Any) -> None:
    with ape.reverts(NOTHING_TO_SWEEP):
        channels.sweep(sender=attacker)


def test_sweep__twice__second_reverts(channels: Any, hub_earns: Earner, attacker: Any) -> None:
    hub_earns(EARNED)
    channels.sweep(sender=attacker)

    with ape.reverts(NOTHING_TO_SWEEP):
        channels.sweep(sender=attacker)


def test_sweep__settled_at_zero__nothing_to_sweep(
    channels: Any, hub_earns: Earner, attacker: Any
) -> None:
    hub_earns(0)

    with ape.reverts(NOTHING_TO_SWEEP):
        channels.sweep(sender=attacker)
