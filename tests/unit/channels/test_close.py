"""Channels.close: the payer or the hub starts a unilateral close with the best balance
proof it holds (the payer may close with none: nonce 0, amount 0, any signature); the
challenge window opens. The proof must be the payer's, within the deposit."""

from contextlib import nullcontext
from typing import Any

import ape
import pytest

from tests.channels_reasons import (
    ALREADY_CLOSING,
    CLAIMS_NOTHING,
    NO_CHANNEL,
    NOT_PAYER_PROOF,
    ONLY_PARTIES_CLOSE,
    OVER_DEPOSIT,
)
from tests.fixtures.channels import DEPOSIT, PAYER_BPC, WINDOW
from tests.unit.channels.conftest import IN_FORCE_AMOUNT, IN_FORCE_NONCE, Closing, ProofSigner
from tests.unit.channels.helpers import NO_SIG, ONE, view

NONCE = 7
AMOUNT = 25 * ONE


def test_close__by_the_payer_without_a_proof__opens_the_window_claiming_nothing(
    channels: Any, bpc: Any, payer: Any, open_channel: int
) -> None:
    tx = channels.close(open_channel, 0, 0, NO_SIG, sender=payer)

    settle_after = int(tx.timestamp) + WINDOW
    assert view(channels, open_channel) == (payer.address, DEPOSIT, 0, 0, settle_after)
    assert tx.events.filter(channels.ChannelClosing) == [
        channels.ChannelClosing(
            channel=open_channel, closer=payer.address, nonce=0, amount=0, settle_after=settle_after
        )
    ]
    assert bpc.balanceOf(channels) == DEPOSIT  # nothing moves before settlement
    assert bpc.balanceOf(payer) == PAYER_BPC - DEPOSIT


def test_close__without_a_proof_claiming_an_amount__reverts(
    channels: Any, payer: Any, open_channel: int
) -> None:
    with ape.reverts(CLAIMS_NOTHING):
        channels.close(open_channel, 0, 1, NO_SIG, sender=payer)


def test_close__with_the_payers_proof__puts_it_in_force(
    channels: Any,
    payers_proof: ProofSigner,
    payer: Any,
    open_channel: int,
    party: Any,
) -> None:
    sig = payers_proof(open_channel, NONCE, AMOUNT)

    tx = channels.close(open_channel, NONCE, AMOUNT, sig, sender=party)

    settle_after = int(tx.timestamp) + WINDOW
    assert view(channels, open_channel) == (payer.address, DEPOSIT, NONCE, AMOUNT, settle_after)
    assert tx.events.filter(channels.ChannelClosing) == [
        channels.ChannelClosing(
            channel=open_channel,
            closer=party.address,
            nonce=NONCE,
            amount=AMOUNT,
            settle_after=settle_after,
        )
    ]


def test_close__by_the_hub_without_a_proof__claims_nothing(
    channels: Any, hub: Any, open_channel: int
) -> None:
    channels.close(open_channel, 0, 0, NO_SIG, sender=hub)

    assert view(channels, open_channel)[2:4] == (0, 0)


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        pytest.param(DEPOSIT, None, id="whole deposit in force"),
        pytest.param(DEPOSIT + 1, OVER_DEPOSIT, id="over the deposit reverts"),
    ],
)
def test_close__proof_by_amount__in_force_within_the_deposit(
    channels: Any,
    payers_proof: ProofSigner,
    hub: Any,
    open_channel: int,
    amount: int,
    reason: str | None,
) -> None:
    sig = payers_proof(open_channel, NONCE, amount)

    with ape.reverts(reason) if reason else nullcontext():
        channels.close(open_channel, NONCE, amount, sig, sender=hub)

    assert view(channels, open_channel)[3] == (0 if reason else amount)


@pytest.mark.parametrize("caller", ["attacker", "pool_council"])
def test_close__by_anyone_else__reverts(
    channel_actors: dict[str, Any],
    channels: Any,
    payers_proof: ProofSigner,
    open_channel: int,
    caller: str,
) -> None:
    sig = payers_proof(open_channel, NONCE, AMOUNT)

    with ape.reverts(ONLY_PARTIES_CLOSE):
        channels.close(open_channel, NONCE, AMOUNT, sig, sender=channel_actors[caller])


def test_close__unknown_channel__reverts(channels: Any, payer: Any, open_channel: int) -> None:
    with ape.reverts(NO_CHANNEL):
        channels.close(open_channel + 1, 0, 0, NO_SIG, sender=payer)


def test_close__already_closing__reverts(
    channels: Any,
    payers_proof: ProofSigner,
    closing_channel: Closing,
    party: Any,
) -> None:
    channel = closing_channel.channel
    sig = payers_proof(channel, NONCE + 10, IN_FORCE_AMOUNT + ONE)

    with ape.reverts(ALREADY_CLOSING):
        channels.close(channel, NONCE + 10, IN_FORCE_AMOUNT + ONE, sig, sender=party)
    assert view(channels, channel)[2:] == (
        IN_FORCE_NONCE,
        IN_FORCE_AMOUNT,
        closing_channel.settle_after,
    )


def test_close__faulty_proof__reverts(
    channels: Any, hub: Any, open_channel: int, faulty_proof: ProofSigner
) -> None:
    with ape.reverts(NOT_PAYER_PROOF):
        channels.close(
            open_channel, NONCE, AMOUNT, faulty_proof(open_channel, NONCE, AMOUNT), sender=hub
        )
    assert view(channels, open_channel)[4] == 0
