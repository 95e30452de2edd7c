"""Channels.update: while the challenge window is open (until one second before the settle
time), anyone replaces the proof in force with a payer's proof that pays the hub more,
whatever its nonce (the payer can sign any nonce; the amount only rises). An old proof,
the one in force again, or one over the deposit changes nothing."""

from typing import Any

import ape
import pytest

from tests.channels_reasons import NOT_CLOSING, NOT_MORE, NOT_PAYER_PROOF, OVER_DEPOSIT, WINDOW_OVER
from tests.fixtures.channels import DEPOSIT, ChannelDriver
from tests.fixtures.suite import at
from tests.unit.channels.conftest import IN_FORCE_AMOUNT, IN_FORCE_NONCE, Closing
from tests.unit.channels.helpers import NO_SIG, ONE, high_s, view

BETTER_NONCE = IN_FORCE_NONCE + 1
BETTER = IN_FORCE_AMOUNT + ONE


@pytest.mark.parametrize("sender", ["hub", "payer", "attacker"])
def test_update__proof_paying_more__in_force_settle_time_kept(
    channel_actors: dict[str, Any],
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    closing_channel: Closing,
    sender: str,
) -> None:
    channel = closing_channel.channel
    sig = channel_driver.proof(channel, BETTER_NONCE, BETTER, payer)

    tx = channels.update(channel, BETTER_NONCE, BETTER, sig, sender=channel_actors[sender])

    assert view(channels, channel) == (
        payer.address,
        DEPOSIT,
        BETTER_NONCE,
        BETTER,
        closing_channel.settle_after,
    )
    assert tx.events.filter(channels.ChannelUpdated) == [
        channels.ChannelUpdated(channel=channel, nonce=BETTER_NONCE, amount=BETTER)
    ]


def test_update__lower_nonce_paying_more__in_force(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, closing_channel: Closing
) -> None:
    # The payer signed a higher nonce for less (the one in force); the amount decides.
    channel = closing_channel.channel
    sig = channel_driver.proof(channel, 1, BETTER, payer)

    channels.update(channel, 1, BETTER, sig, sender=hub)

    assert view(channels, channel)[2:4] == (1, BETTER)


def test_update__the_proof_in_force_again__reverts(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, closing_channel: Closing
) -> None:
    channel = closing_channel.channel
    sig = channel_driver.proof(channel, IN_FORCE_NONCE, IN_FORCE_AMOUNT, payer)

    with ape.reverts(NOT_MORE):
        channels.update(channel, IN_FORCE_NONCE, IN_FORCE_AMOUNT, sig, sender=hub)


def test_update__old_proof_replayed_after_a_better_one__reverts(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, closing_channel: Closing
) -> None:
    # The payer answers the hub's update with an older proof of a higher nonce.
    channel = closing_channel.channel
    channels.update(
        channel,
        BETTER_NONCE,
        BETTER,
        channel_driver.proof(channel, BETTER_NONCE, BETTER, payer),
        sender=hub,
    )
    stale = channel_driver.proof(channel, BETTER_NONCE + 5, IN_FORCE_AMOUNT, payer)

    with ape.reverts(NOT_MORE):
        channels.update(channel, BETTER_NONCE + 5, IN_FORCE_AMOUNT, stale, sender=payer)
    assert view(channels, channel)[2:4] == (BETTER_NONCE, BETTER)


def test_update__whole_deposit__in_force(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, closing_channel: Closing
) -> None:
    channel = closing_channel.channel
    sig = channel_driver.proof(channel, BETTER_NONCE, DEPOSIT, payer)

    channels.update(channel, BETTER_NONCE, DEPOSIT, sig, sender=hub)

    assert view(channels, channel)[3] == DEPOSIT


def test_update__over_the_deposit__reverts(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, closing_channel: Closing
) -> None:
    channel = closing_channel.channel
    sig = channel_driver.proof(channel, BETTER_NONCE, DEPOSIT + 1, payer)

    with ape.reverts(OVER_DEPOSIT):
        channels.update(channel, BETTER_NONCE, DEPOSIT + 1, sig, sender=hub)


def test_update__one_second_before_the_settle_time__in_force(
    chain: Any,
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    hub: Any,
    closing_channel: Closing,
) -> None:
    channel = closing_channel.channel
    sig = channel_driver.proof(channel, BETTER_NONCE, BETTER, payer)
    at(chain, closing_channel.settle_after - 1)

    tx = channels.update(channel, BETTER_NONCE, BETTER, sig, sender=hub)

    assert tx.timestamp == closing_channel.settle_after - 1
    assert view(channels, channel)[3] == BETTER


def test_update__at_the_settle_time__reverts(
    chain: Any,
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    hub: Any,
    closing_channel: Closing,
) -> None:
    channel = closing_channel.channel
    sig = channel_driver.proof(channel, BETTER_NONCE, BETTER, payer)
    at(chain, closing_channel.settle_after)

    with ape.reverts(WINDOW_OVER):
        channels.update(channel, BETTER_NONCE, BETTER, sig, sender=hub)


def test_update__open_channel__reverts(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, open_channel: int
) -> None:
    sig = channel_driver.proof(open_channel, BETTER_NONCE, BETTER, payer)

    with ape.reverts(NOT_CLOSING):
        channels.update(open_channel, BETTER_NONCE, BETTER, sig, sender=hub)


def test_update__unknown_channel__reverts(
    channels: Any, hub: Any, closing_channel: Closing
) -> None:
    with ape.reverts(NOT_CLOSING):
        channels.update(closing_channel.channel + 1, 1, 1, NO_SIG, sender=hub)


@pytest.mark.parametrize("kind", ["wrong signer", "hub's consent", "high s", "other amount"])
def test_update__faulty_proof__reverts(
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    hub: Any,
    attacker: Any,
    closing_channel: Closing,
    kind: str,
) -> None:
    d, channel = channel_driver, closing_channel.channel
    sig = {
        "wrong signer": lambda: d.proof(channel, BETTER_NONCE, BETTER, attacker),
        "hub's consent": lambda: d.consent(channel, BETTER_NONCE, BETTER),
        "high s": lambda: high_s(d.proof(channel, BETTER_NONCE, BETTER, payer)),
        "other amount": lambda: d.proof(channel, BETTER_NONCE, BETTER + 1, payer),
    }[kind]()

    with ape.reverts(NOT_PAYER_PROOF):
        channels.update(channel, BETTER_NONCE, BETTER, sig, sender=hub)


def test_update__after_a_close_without_a_proof__any_paying_proof_in_force(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, open_channel: int
) -> None:
    # The payer closes claiming nothing; the hub answers with its best proof.
    channels.close(open_channel, 0, 0, NO_SIG, sender=payer)
    sig = channel_driver.proof(open_channel, 3, 1, payer)

    channels.update(open_channel, 3, 1, sig, sender=hub)

    assert view(channels, open_channel)[2:4] == (3, 1)
