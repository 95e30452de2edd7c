"""Channels.settle: from the settle time on, anyone pays out a closing channel: the hub
earns the proof in force, the payer gets the rest of its deposit back, and the channel is
gone. One second early, an open channel or an unknown one: refused."""

from typing import Any

import ape
import pytest

from tests.channels_reasons import NO_CHANNEL, NOT_CLOSING, WINDOW_NOT_OVER
from tests.fixtures.channels import DEPOSIT, PAYER_BPC, ChannelDriver
from tests.fixtures.suite import at
from tests.unit.channels.conftest import IN_FORCE_AMOUNT, Closing, ProofSigner
from tests.unit.channels.helpers import NO_SIG, ONE, ZERO, view


@pytest.fixture
def due_channel(chain: Any, closing_channel: Closing) -> int:
    """`closing_channel`, the chain at its settle time."""
    at(chain, closing_channel.settle_after)
    return closing_channel.channel


def test_settle__at_the_settle_time__pays_hub_and_payer_whoever_sends(
    channels: Any,
    bpc: Any,
    payer: Any,
    due_channel: int,
    anyone: Any,
) -> None:
    tx = channels.settle(due_channel, sender=anyone)

    assert tx.events.filter(channels.ChannelSettled) == [
        channels.ChannelSettled(
            channel=due_channel, to_hub=IN_FORCE_AMOUNT, to_payer=DEPOSIT - IN_FORCE_AMOUNT
        )
    ]
    assert bpc.balanceOf(payer) == PAYER_BPC - IN_FORCE_AMOUNT
    assert bpc.balanceOf(channels) == IN_FORCE_AMOUNT == channels.hub_earnings()
    assert view(channels, due_channel) == (ZERO, 0, 0, 0, 0)


def test_settle__one_second_before_the_settle_time__reverts(
    chain: Any, channels: Any, hub: Any, closing_channel: Closing
) -> None:
    at(chain, closing_channel.settle_after - 1)

    with ape.reverts(WINDOW_NOT_OVER):
        channels.settle(closing_channel.channel, sender=hub)


def test_settle__after_an_update__pays_the_updated_amount(
    chain: Any,
    channels: Any,
    payers_proof: ProofSigner,
    bpc: Any,
    payer: Any,
    hub: Any,
    closing_channel: Closing,
) -> None:
    channel, better = closing_channel.channel, IN_FORCE_AMOUNT + 5 * ONE
    channels.update(channel, 6, better, payers_proof(channel, 6, better), sender=hub)
    at(chain, closing_channel.settle_after)

    channels.settle(channel, sender=hub)

    assert channels.hub_earnings() == better
    assert bpc.balanceOf(payer) == PAYER_BPC - better


@pytest.mark.parametrize(
    ("closer", "nonce", "amount"),
    [
        pytest.param("payer", 0, 0, id="close without a proof: whole deposit back"),
        pytest.param("hub", 1, DEPOSIT, id="proof of the whole deposit: nothing back"),
    ],
)
def test_settle__closed_at_either_end_of_the_deposit__pays_the_proof_in_force(
    chain: Any,
    channels: Any,
    channel_actors: dict[str, Any],
    payers_proof: ProofSigner,
    bpc: Any,
    payer: Any,
    open_channel: int,
    closer: str,
    nonce: int,
    amount: int,
) -> None:
    sender = channel_actors[closer]
    sig = payers_proof(open_channel, nonce, amount) if nonce else NO_SIG
    tx = channels.close(open_channel, nonce, amount, sig, sender=sender)
    at(chain, int(tx.events[0].settle_after))

    settled = channels.settle(open_channel, sender=sender)

    assert settled.events.filter(channels.ChannelSettled) == [
        channels.ChannelSettled(channel=open_channel, to_hub=amount, to_payer=DEPOSIT - amount)
    ]
    assert channels.hub_earnings() == amount == bpc.balanceOf(channels)
    assert bpc.balanceOf(payer) == PAYER_BPC - amount


def test_settle__settled_channel__gone_for_every_function(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, due_channel: int
) -> None:
    channels.settle(due_channel, sender=hub)
    amount = IN_FORCE_AMOUNT + ONE
    sig = channel_driver.proof(due_channel, 99, amount, payer)

    with ape.reverts(NOT_CLOSING):
        channels.settle(due_channel, sender=hub)
    with ape.reverts(NOT_CLOSING):
        channels.update(due_channel, 99, amount, sig, sender=hub)
    with ape.reverts(NO_CHANNEL):
        channels.close(due_channel, 99, amount, sig, sender=hub)
    with ape.reverts(NO_CHANNEL):
        channels.top_up(due_channel, ONE, sender=payer)
    with ape.reverts(NO_CHANNEL):
        channels.cooperative_close(
            due_channel, 99, 0, sig, channel_driver.consent(due_channel, 99, 0), sender=payer
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
