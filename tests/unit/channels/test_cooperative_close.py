"""Channels.cooperative_close: the payer's balance proof and the hub's consent over the same
(channel, nonce, amount) settle a channel at once, whoever sends them: the hub earns the
amount, the payer gets the rest of its deposit back. Each signature must be its signer's,
of its own type, in this contract's domain, with low s and v 27 or 28."""

from typing import Any

import ape
import pytest

from bpsa.core import channels as ch
from tests.channels_reasons import NO_CHANNEL, NOT_HUB_CONSENT, NOT_PAYER_PROOF, OVER_DEPOSIT
from tests.fixtures.channels import DEPOSIT, PAYER_BPC, ChannelDriver
from tests.unit.channels.conftest import Closing, ProofSigner
from tests.unit.channels.helpers import ONE, high_s, view, with_v

NONCE = 9
AMOUNT = 40 * ONE


def close_at(
    channels: Any, d: ChannelDriver, channel: int, payer: Any, sender: Any, amount: int = AMOUNT
) -> Any:
    payer_sig = d.proof(channel, NONCE, amount, payer)
    hub_sig = d.consent(channel, NONCE, amount)
    return channels.cooperative_close(channel, NONCE, amount, payer_sig, hub_sig, sender=sender)


def test_cooperative_close__both_signatures__settles_at_once_whoever_sends(
    channels: Any,
    channel_driver: ChannelDriver,
    bpc: Any,
    payer: Any,
    open_channel: int,
    anyone: Any,
) -> None:
    tx = close_at(channels, channel_driver, open_channel, payer, anyone)

    assert tx.events.filter(channels.ChannelSettled) == [
        channels.ChannelSettled(channel=open_channel, to_hub=AMOUNT, to_payer=DEPOSIT - AMOUNT)
    ]
    assert view(channels, open_channel) == ("0x" + "00" * 20, 0, 0, 0, 0)
    assert channels.hub_earnings() == AMOUNT
    assert bpc.balanceOf(payer) == PAYER_BPC - AMOUNT
    assert bpc.balanceOf(channels) == AMOUNT


def test_cooperative_close__amount_is_the_whole_deposit__nothing_back(
    channels: Any, channel_driver: ChannelDriver, bpc: Any, payer: Any, open_channel: int
) -> None:
    tx = close_at(channels, channel_driver, open_channel, payer, payer, amount=DEPOSIT)

    assert tx.events.filter(channels.ChannelSettled)[0].to_payer == 0
    assert bpc.balanceOf(payer) == PAYER_BPC - DEPOSIT
    assert channels.hub_earnings() == DEPOSIT


def test_cooperative_close__amount_zero__whole_deposit_back(
    channels: Any, channel_driver: ChannelDriver, bpc: Any, payer: Any, open_channel: int
) -> None:
    tx = close_at(channels, channel_driver, open_channel, payer, payer, amount=0)

    assert tx.events.filter(channels.ChannelSettled)[0].to_hub == 0
    assert bpc.balanceOf(payer) == PAYER_BPC
    assert channels.hub_earnings() == 0
    assert bpc.balanceOf(channels) == 0


def test_cooperative_close__amount_over_the_deposit__reverts(
    channels: Any, channel_driver: ChannelDriver, payer: Any, open_channel: int
) -> None:
    with ape.reverts(OVER_DEPOSIT):
        close_at(channels, channel_driver, open_channel, payer, payer, amount=DEPOSIT + 1)


def test_cooperative_close__unknown_channel__reverts(
    channels: Any, channel_driver: ChannelDriver, payer: Any, open_channel: int
) -> None:
    with ape.reverts(NO_CHANNEL):
        close_at(channels, channel_driver, open_channel + 1, payer, payer)


def test_cooperative_close__replayed_after_settling__reverts(
    channels: Any, channel_driver: ChannelDriver, payer: Any, open_channel: int
) -> None:
    d = channel_driver
    payer_sig, hub_sig = (
        d.proof(open_channel, NONCE, AMOUNT, payer),
        d.consent(open_channel, NONCE, AMOUNT),
    )
    channels.cooperative_close(open_channel, NONCE, AMOUNT, payer_sig, hub_sig, sender=payer)

    with ape.reverts(NO_CHANNEL):
        channels.cooperative_close(open_channel, NONCE, AMOUNT, payer_sig, hub_sig, sender=payer)


def test_cooperative_close__while_a_unilateral_close_is_pending__settles_at_once(
    channels: Any, channel_driver: ChannelDriver, bpc: Any, payer: Any, closing_channel: Closing
) -> None:
    # The hub closed with 30 BPC in force; the parties agree on 40 before the window ends.
    channel = closing_channel.channel

    tx = close_at(channels, channel_driver, channel, payer, payer)

    assert tx.events.filter(channels.ChannelSettled) == [
        channels.ChannelSettled(channel=channel, to_hub=AMOUNT, to_payer=DEPOSIT - AMOUNT)
    ]
    assert view(channels, channel) == ("0x" + "00" * 20, 0, 0, 0, 0)
    assert bpc.balanceOf(payer) == PAYER_BPC - AMOUNT
    with ape.reverts("channels: channel is not closing"):
        channels.settle(channel, sender=payer)


def test_cooperative_close__below_the_proof_in_force_with_the_hubs_consent__settles_there(
    channels: Any, channel_driver: ChannelDriver, bpc: Any, payer: Any, closing_channel: Closing
) -> None:
    # The hub put 30 BPC in force, then consents to close at 1 BPC: its consent decides.
    tx = close_at(channels, channel_driver, closing_channel.channel, payer, payer, amount=ONE)

    assert tx.events.filter(channels.ChannelSettled)[0].to_hub == ONE
    assert channels.hub_earnings() == ONE
    assert bpc.balanceOf(payer) == PAYER_BPC - ONE


def test_cooperative_close__consent_signed_before_later_payments__still_settles_at_its_amount(
    channels: Any, channel_driver: ChannelDriver, payer: Any, hub: Any, open_channel: int
) -> None:
    # A consent does not expire and names no "last" proof: a hub that keeps serving after
    # it consented can be settled at the consent's amount, whatever was paid since. The hub
    # must stop accepting payments on a channel once it consents to close it.
    d, early, late = channel_driver, 10 * ONE, 60 * ONE
    early_proof, consent = d.proof(open_channel, 1, early, payer), d.consent(open_channel, 1, early)
    d.proof(open_channel, 2, late, payer)  # paid off chain after the consent

    tx = channels.cooperative_close(open_channel, 1, early, early_proof, consent, sender=payer)

    assert tx.events.filter(channels.ChannelSettled)[0].to_hub == early
    assert channels.hub_earnings() == early < late


# -- the payer's balance proof ---------------------------------------------------------------


def test_cooperative_close__faulty_payer_signature__reverts(
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    open_channel: int,
    faulty_proof: ProofSigner,
) -> None:
    payer_sig = faulty_proof(open_channel, NONCE, AMOUNT)
    hub_sig = channel_driver.consent(open_channel, NONCE, AMOUNT)

    with ape.reverts(NOT_PAYER_PROOF):
        channels.cooperative_close(open_channel, NONCE, AMOUNT, payer_sig, hub_sig, sender=payer)


# -- the hub's close consent ------------------------------------------------------------------


def _bad_hub_sig(
    kind: str, d: ChannelDriver, channel: int, payer: Any, hub: Any, attacker: Any
) -> Any:
    good = d.consent(channel, NONCE, AMOUNT)
    if kind == "wrong signer":
        return d.consent(channel, NONCE, AMOUNT, signer=attacker)
    if kind == "other chain":
        return d.consent(channel, NONCE, AMOUNT, domain=ch.domain(1, d.domain.verifying_contract))
    if kind == "other contract":
        return d.consent(
            channel, NONCE, AMOUNT, domain=ch.domain(d.domain.chain_id, "0x" + "ab" * 20)
        )
    if kind == "other amount":
        return d.consent(channel, NONCE, AMOUNT + 1)
    if kind == "the payer's proof as consent":
        return d.proof(channel, NONCE, AMOUNT, payer)
    if kind == "hub's balance proof type":
        return d.proof(channel, NONCE, AMOUNT, hub)
    if kind == "high s":
        return high_s(good)
    if kind == "v 0 or 1":
        return with_v(good, good[0] - 27)
    raise AssertionError(kind)


HUB_SIG_FAULTS = [
    "wrong signer",
    "other chain",
    "other contract",
    "other amount",
    "the payer's proof as consent",
    "hub's balance proof type",
    "high s",
    "v 0 or 1",
]


@pytest.mark.parametrize("kind", HUB_SIG_FAULTS)
def test_cooperative_close__faulty_hub_consent__reverts(
    channels: Any,
    channel_driver: ChannelDriver,
    payer: Any,
    hub: Any,
    attacker: Any,
    open_channel: int,
    kind: str,
) -> None:
    payer_sig = channel_driver.proof(open_channel, NONCE, AMOUNT, payer)
    hub_sig = _bad_hub_sig(kind, channel_driver, open_channel, payer, hub, attacker)

    with ape.reverts(NOT_HUB_CONSENT):
        channels.cooperative_close(open_channel, NONCE, AMOUNT, payer_sig, hub_sig, sender=payer)


def test_cooperative_close__payer_proof_given_twice__reverts_at_the_consent(
    channels: Any, channel_driver: ChannelDriver, payer: Any, open_channel: int
) -> None:
    # Type confusion: the payer's balance proof cannot stand in for the hub's consent.
    payer_sig = channel_driver.proof(open_channel, NONCE, AMOUNT, payer)

    with ape.reverts(NOT_HUB_CONSENT):
        channels.cooperative_close(open_channel, NONCE, AMOUNT, payer_sig, payer_sig, sender=payer)
