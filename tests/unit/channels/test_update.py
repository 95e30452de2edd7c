"""Channels.update: while the challenge window is open (until one second before the settle
time), anyone replaces the proof in force with a payer's proof that pays the hub more,
whatever its nonce (the payer can sign any nonce; the amount only rises). An old proof,
the one in force again, or one over the deposit changes nothing."""

from contextlib import nullcontext
from typing import Any

import ape
import pytest

from tests.channels_reasons import NOT_CLOSING, NOT_MORE, NOT_PAYER_PROOF, OVER_DEPOSIT, WINDOW_OVER
from tests.fixtures.channels import DEPOSIT, Sig
from tests.fixtures.suite import at
from tests.unit.channels.conftest import IN_FORCE_AMOUNT, IN_FORCE_NONCE, Closing, ProofSigner
from tests.unit.channels.helpers import NO_SIG, ONE, view

BETTER_NONCE = IN_FORCE_NONCE + 1
BETTER = IN_FORCE_AMOUNT + ONE


@pytest.fixture
def better_proof(payers_proof: ProofSigner, closing_channel: Closing) -> Sig:
    """The payer's proof paying the hub one BPC more than the one in force, a nonce later."""
    return payers_proof(closing_channel.channel, BETTER_NONCE, BETTER)


def test_update__proof_paying_more__in_force_settle_time_kept(
    channels: Any,
    payer: Any,
    closing_channel: Closing,
    better_proof: Sig,
    anyone: Any,
) -> None:
    channel = closing_channel.channel

    tx = channels.update(channel, BETTER_NONCE, BETTER, better_proof, sender=anyone)

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


@pytest.mark.parametrize(
    ("nonce", "amount", "reason"),
    [
        # The payer signed a higher nonce for less (the one in force); the amount decides.
        pytest.param(1, BETTER, None, id="lower nonce paying more in force"),
        pytest.param(BETTER_NONCE, DEPOSIT, None, id="whole deposit in force"),
        pytest.param(
            IN_FORCE_NONCE, IN_FORCE_AMOUNT, NOT_MORE, id="the proof in force again reverts"
        ),
        pytest.param(BETTER_NONCE, DEPOSIT + 1, OVER_DEPOSIT, id="over the deposit reverts"),
    ],
)
def test_update__by_amount__in_force_if_it_pays_more_within_the_deposit(
    channels: Any,
    payers_proof: ProofSigner,
    hub: Any,
    closing_channel: Closing,
    nonce: int,
    amount: int,
    reason: str | None,
) -> None:
    channel = closing_channel.channel
    sig = payers_proof(channel, nonce, amount)

    with ape.reverts(reason) if reason else nullcontext():
        channels.update(channel, nonce, amount, sig, sender=hub)

    in_force = (IN_FORCE_NONCE, IN_FORCE_AMOUNT) if reason else (nonce, amount)
    assert view(channels, channel)[2:4] == in_force


def test_update__old_proof_replayed_after_a_better_one__reverts(
    channels: Any, payers_proof: ProofSigner, payer: Any, hub: Any, closing_channel: Closing
) -> None:
    # The payer answers the hub's update with an older proof of a higher nonce.
    channel = closing_channel.channel
    channels.update(
        channel, BETTER_NONCE, BETTER, payers_proof(channel, BETTER_NONCE, BETTER), sender=hub
    )
    stale = payers_proof(channel, BETTER_NONCE + 5, IN_FORCE_AMOUNT)

    with ape.reverts(NOT_MORE):
        channels.update(channel, BETTER_NONCE + 5, IN_FORCE_AMOUNT, stale, sender=payer)
    assert view(channels, channel)[2:4] == (BETTER_NONCE, BETTER)


def test_update__one_second_before_the_settle_time__in_force(
    chain: Any, channels: Any, hub: Any, closing_channel: Closing, better_proof: Sig
) -> None:
    at(chain, closing_channel.settle_after - 1)

    tx = channels.update(closing_channel.channel, BETTER_NONCE, BETTER, better_proof, sender=hub)

    assert tx.timestamp == closing_channel.settle_after - 1
    assert view(channels, closing_channel.channel)[3] == BETTER


def test_update__at_the_settle_time__reverts(
    chain: Any, channels: Any, hub: Any, closing_channel: Closing, better_proof: Sig
) -> None:
    at(chain, closing_channel.settle_after)

    with ape.reverts(WINDOW_OVER):
        channels.update(closing_channel.channel, BETTER_NONCE, BETTER, better_proof, sender=hub)


def test_update__open_channel__reverts(
    channels: Any, payers_proof: ProofSigner, hub: Any, open_channel: int
) -> None:
    sig = payers_proof(open_channel, BETTER_NONCE, BETTER)

    with ape.reverts(NOT_CLOSING):
        channels.update(open_channel, BETTER_NONCE, BETTER, sig, sender=hub)


def test_update__unknown_channel__reverts(
    channels: Any, hub: Any, closing_channel: Closing
) -> None:
    with ape.reverts(NOT_CLOSING):
        channels.update(closing_channel.channel + 1, 1, 1, NO_SIG, sender=hub)


def test_update__faulty_proof__reverts(
    channels: Any, hub: Any, closing_channel: Closing, faulty_proof: ProofSigner
) -> None:
    channel = closing_channel.channel
    sig = faulty_proof(channel, BETTER_NONCE, BETTER)

    with ape.reverts(NOT_PAYER_PROOF):
        channels.update(channel, BETTER_NONCE, BETTER, sig, sender=hub)


def test_update__after_a_close_without_a_proof__any_paying_proof_in_force(
    channels: Any, payers_proof: ProofSigner, payer: Any, hub: Any, open_channel: int
) -> None:
    # The payer closes claiming nothing; the hub answers with its best proof.
    channels.close(open_channel, 0, 0, NO_SIG, sender=payer)

    channels.update(open_channel, 3, 1, payers_proof(open_channel, 3, 1), sender=hub)

    assert view(channels, open_channel)[2:4] == (3, 1)
