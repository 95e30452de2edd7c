"""Channels.close: the payer or the hub starts a unilateral close with the best balance
proof it holds (the payer may close with none: nonce 0, amount 0, any signature); the
challenge window opens. The proof must be the payer's, within the deposit."""

from typing import Any

import ape
import pytest

from bpsa.core import channels as ch
from tests.channels_reasons import (
    ALREADY_CLOSING,
    CLAIMS_NOTHING,
    NO_CHANNEL,
    NOT_PAYER_PROOF,
    ONLY_PARTIES_CLOSE,
    OVER_DEPOSIT,
)
from tests.fixtures.channels import DEPOSIT, PAYER_BPC, WINDOW, ChannelDriver
from tests.unit.channels.conftest import IN_FORCE_AMOUNT, IN_FORCE_NONCE, Closing
from tests.unit.channels.helpers import NO_SIG, ONE, high_s, view, with_v

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


@pytest.mark.parametrize("closer", ["payer", "hub"])
def test_close__with_the_payers_proof__puts_it_in_force(
    channel_actors: dict[str, Any],
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    open_channel: int,
    closer: str,
) -> None:
    sender = channel_actors[closer]
    sig = channel_driver.proof(open_channel, NONCE, AMOUNT, payer)

    tx = channels.close(open_channel, NONCE, AMOUNT, sig, sender=sender)

    settle_after = int(tx.timestamp) + WINDOW
    assert view(channels, open_channel) == (payer.address, DEPOSIT, NONCE, AMOUNT, settle_after)
    assert tx.events.filter(channels.ChannelClosing) == [
        channels.ChannelClosing(
            channel=open_channel,
            closer=sender.address,
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


def test_close__proof_of_the_whole_deposit__in_force(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, open_channel: int
) -> None:
    sig = channel_driver.proof(open_channel, NONCE, DEPOSIT, payer)

    channels.close(open_channel, NONCE, DEPOSIT, sig, sender=hub)

    assert view(channels, open_channel)[3] == DEPOSIT


def test_close__proof_over_the_deposit__reverts(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, open_channel: int
) -> None:
    sig = channel_driver.proof(open_channel, NONCE, DEPOSIT + 1, payer)

    with ape.reverts(OVER_DEPOSIT):
        channels.close(open_channel, NONCE, DEPOSIT + 1, sig, sender=hub)


@pytest.mark.parametrize("caller", ["attacker", "pool_council"])
def test_close__by_anyone_else__reverts(
    channel_actors: dict[str, Any],
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    open_channel: int,
    caller: str,
) -> None:
    sig = channel_driver.proof(open_channel, NONCE, AMOUNT, payer)

    with ape.reverts(ONLY_PARTIES_CLOSE):
        channels.close(open_channel, NONCE, AMOUNT, sig, sender=channel_actors[caller])


def test_close__unknown_channel__reverts(channels: Any, payer: Any, open_channel: int) -> None:
    with ape.reverts(NO_CHANNEL):
        channels.close(open_channel + 1, 0, 0, NO_SIG, sender=payer)


@pytest.mark.parametrize("closer", ["payer", "hub"])
def test_close__already_closing__reverts(
    channel_actors: dict[str, Any],
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    closing_channel: Closing,
    closer: str,
) -> None:
    channel = closing_channel.channel
    sig = channel_driver.proof(channel, NONCE + 10, IN_FORCE_AMOUNT + ONE, payer)

    with ape.reverts(ALREADY_CLOSING):
        channels.close(
            channel, NONCE + 10, IN_FORCE_AMOUNT + ONE, sig, sender=channel_actors[closer]
        )
    assert view(channels, channel)[2:] == (
        IN_FORCE_NONCE,
        IN_FORCE_AMOUNT,
        closing_channel.settle_after,
    )


@pytest.mark.parametrize(
    "kind",
    [
        "wrong signer",
        "other chain",
        "other contract",
        "other amount",
        "hub's consent",
        "payer's consent type",
        "high s",
        "v 0 or 1",
    ],
)
def test_close__faulty_proof__reverts(
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    hub: Any,
    attacker: Any,
    open_channel: int,
    kind: str,
) -> None:
    d = channel_driver
    good = d.proof(open_channel, NONCE, AMOUNT, payer)
    sig = {
        "wrong signer": lambda: d.proof(open_channel, NONCE, AMOUNT, attacker),
        "other chain": lambda: d.proof(
            open_channel, NONCE, AMOUNT, payer, domain=ch.domain(1, d.domain.verifying_contract)
        ),
        "other contract": lambda: d.proof(
            open_channel,
            NONCE,
            AMOUNT,
            payer,
            domain=ch.domain(d.domain.chain_id, "0x" + "ab" * 20),
        ),
        "other amount": lambda: d.proof(open_channel, NONCE, AMOUNT - 1, payer),
        "hub's consent": lambda: d.consent(open_channel, NONCE, AMOUNT),
        "payer's consent type": lambda: d.consent(open_channel, NONCE, AMOUNT, signer=payer),
        "high s": lambda: high_s(good),
        "v 0 or 1": lambda: with_v(good, good[0] - 27),
    }[kind]()

    with ape.reverts(NOT_PAYER_PROOF):
        channels.close(open_channel, NONCE, AMOUNT, sig, sender=hub)
    assert view(channels, open_channel)[4] == 0
