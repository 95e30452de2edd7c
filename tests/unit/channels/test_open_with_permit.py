"""Channels.open_with_permit: one transaction, an EIP-2612 permit for the deposit signed by
the payer, who sends it. A permit signed by anyone else, for another amount or spender,
or past its deadline opens nothing."""

from typing import Any

import ape
import pytest

from bpsa.core import channels as ch
from bpsa.core import eip712
from tests.channels_reasons import BAD_PERMIT, PERMIT_EXPIRED
from tests.fixtures.channels import DEPOSIT, PAYER_BPC
from tests.fixtures.suite import at
from tests.unit.channels.helpers import view

HOUR = 3_600


def signed_permit(
    chain: Any,
    bpc: Any,
    owner: Any,
    spender: str,
    value: int,
    deadline: int,
    signer: Any = None,
) -> tuple[int, bytes, bytes]:
    """`signer`'s (the owner's by default) permit for `spender` over `value`, as (v, r, s)."""
    dom = eip712.Domain(str(bpc.name()), "1", int(chain.chain_id), str(bpc.address))
    nonce = int(bpc.nonces(owner))
    key = (signer or owner).private_key
    signature = eip712.sign_permit(dom, key, owner.address, spender, value, nonce, deadline)
    return ch.as_arg(signature)


@pytest.fixture
def permit_deadline(chain: Any) -> int:
    return int(chain.pending_timestamp) + HOUR


def test_open_with_permit__payer_signed__opens_in_one_transaction(
    chain: Any, channels: Any, bpc: Any, payer: Any, permit_deadline: int
) -> None:
    permit = signed_permit(chain, bpc, payer, channels.address, DEPOSIT, permit_deadline)
    assert bpc.allowance(payer, channels) == 0

    tx = channels.open_with_permit(DEPOSIT, permit_deadline, permit, sender=payer)

    assert tx.return_value == 1
    assert view(channels, 1) == (payer.address, DEPOSIT, 0, 0, 0)
    assert bpc.balanceOf(payer) == PAYER_BPC - DEPOSIT
    assert bpc.balanceOf(channels) == DEPOSIT
    assert bpc.allowance(payer, channels) == 0
    assert bpc.nonces(payer) == 1
    assert tx.events.filter(channels.ChannelOpened) == [
        channels.ChannelOpened(channel=1, payer=payer.address, deposit=DEPOSIT)
    ]


def test_open_with_permit__at_the_deadline__opens(
    chain: Any, channels: Any, bpc: Any, payer: Any, permit_deadline: int
) -> None:
    permit = signed_permit(chain, bpc, payer, channels.address, DEPOSIT, permit_deadline)
    at(chain, permit_deadline)

    channels.open_with_permit(DEPOSIT, permit_deadline, permit, sender=payer)

    assert view(channels, 1)[1] == DEPOSIT


def test_open_with_permit__past_the_deadline__reverts(
    chain: Any, channels: Any, bpc: Any, payer: Any, permit_deadline: int
) -> None:
    permit = signed_permit(chain, bpc, payer, channels.address, DEPOSIT, permit_deadline)
    at(chain, permit_deadline + 1)

    with ape.reverts(PERMIT_EXPIRED):
        channels.open_with_permit(DEPOSIT, permit_deadline, permit, sender=payer)


@pytest.mark.parametrize(
    "fault", ["signed by someone else", "for another amount", "for another spender"]
)
def test_open_with_permit__bad_permit__reverts(
    chain: Any,
    channels: Any,
    bpc: Any,
    payer: Any,
    attacker: Any,
    royalties: Any,
    permit_deadline: int,
    fault: str,
) -> None:
    spender, value, signer = {
        "signed by someone else": (channels.address, DEPOSIT, attacker),
        "for another amount": (channels.address, DEPOSIT - 1, payer),
        "for another spender": (royalties.address, DEPOSIT, payer),
    }[fault]
    permit = signed_permit(chain, bpc, payer, spender, value, permit_deadline, signer=signer)

    with ape.reverts(BAD_PERMIT):
        channels.open_with_permit(DEPOSIT, permit_deadline, permit, sender=payer)


def test_open_with_permit__payers_permit_sent_by_an_attacker__reverts(
    chain: Any, channels: Any, bpc: Any, payer: Any, attacker: Any, permit_deadline: int
) -> None:
    # The permit is checked for the sender: a payer's permit cannot open an attacker's channel.
    permit = signed_permit(chain, bpc, payer, channels.address, DEPOSIT, permit_deadline)

    with ape.reverts(BAD_PERMIT):
        channels.open_with_permit(DEPOSIT, permit_deadline, permit, sender=attacker)

    assert bpc.balanceOf(payer) == PAYER_BPC


def test_open_with_permit__replayed__reverts(
    chain: Any, channels: Any, bpc: Any, payer: Any, permit_deadline: int
) -> None:
    permit = signed_permit(chain, bpc, payer, channels.address, DEPOSIT, permit_deadline)
    channels.open_with_permit(DEPOSIT, permit_deadline, permit, sender=payer)

    with ape.reverts(BAD_PERMIT):
        channels.open_with_permit(DEPOSIT, permit_deadline, permit, sender=payer)


def test_open_with_permit__zero_deposit__reverts(
    chain: Any, channels: Any, bpc: Any, payer: Any, permit_deadline: int
) -> None:
    permit = signed_permit(chain, bpc, payer, channels.address, 0, permit_deadline)

    with ape.reverts("channels: deposit must be 1 wei to 2^96 - 1"):
        channels.open_with_permit(0, permit_deadline, permit, sender=payer)


def test_open_with_permit__permit_front_run__still_opens(
    chain: Any, channels: Any, bpc: Any, payer: Any, attacker: Any, permit_deadline: int
) -> None:
    # Anyone who sees the permit may submit it to BPC first; the allowance it set is
    # enough, so the contract skips the used permit and the open goes through.
    permit = signed_permit(chain, bpc, payer, channels.address, DEPOSIT, permit_deadline)
    bpc.permit(payer, channels, DEPOSIT, permit_deadline, *permit, sender=attacker)

    tx = channels.open_with_permit(DEPOSIT, permit_deadline, permit, sender=payer)

    assert tx.return_value == 1
    assert view(channels, 1) == (payer.address, DEPOSIT, 0, 0, 0)
