"""Swaps.refund: from the deadline on, anyone pays a locked swap back to its sender, given
the lock's terms; a refunded id is settled for ever."""

from dataclasses import replace
from typing import Any

import ape
import pytest

from bpsa.core import swaps as sw
from bpsa.core.swaps import Side, Status
from tests.fixtures.swaps import HOLDING, SwapDriver
from tests.unit.swaps.conftest import Locked
from tests.unit.swaps.helpers import (
    DEADLINE_NOT_REACHED,
    NO_SWAP,
    SETTLED,
    TRANSFER_FAILED,
    WRONG_TERMS,
)


@pytest.mark.parametrize("sender", ["initiator", "responder", "attacker"])
def test_refund__at_the_deadline__pays_the_sender_back_whoever_sends(
    chain: Any, swap_callers: dict[str, Any], swaps: Any, swap_driver: SwapDriver,
    swap_bpc: Any, swap_initiator: Any, swap_responder: Any, locked: Locked, sender: str,
) -> None:  # fmt: skip
    chain.pending_timestamp = locked.deadline

    tx = swap_driver.refund(locked.intent, Side.INITIATOR, sender=swap_callers[sender])

    assert tx.events.filter(swaps.Refunded) == [swaps.Refunded(id=locked.id)]
    assert swap_bpc.balanceOf(swap_initiator) == HOLDING
    assert swap_bpc.balanceOf(swap_responder) == HOLDING
    assert swap_bpc.balanceOf(swaps) == 0
    assert swaps.status(locked.id) == Status.REFUNDED


@pytest.mark.parametrize("when", ["a second before the deadline", "right after the lock"])
def test_refund__before_the_deadline__reverts(
    chain: Any, swap_driver: SwapDriver, swap_initiator: Any, locked: Locked, when: str
) -> None:
    if when == "a second before the deadline":
        chain.pending_timestamp = locked.deadline - 1

    with ape.reverts(DEADLINE_NOT_REACHED):
        swap_driver.refund(locked.intent, Side.INITIATOR, sender=swap_initiator)


def test_refund__responders_leg_its_initiator_gone__pays_the_responder_back(
    chain: Any, swaps: Any, swap_driver: SwapDriver, swap_apc: Any, swap_responder: Any
) -> None:
    intent = swap_driver.intent(Side.RESPONDER)
    swap_driver.lock(intent, Side.RESPONDER)
    chain.pending_timestamp = intent.responder.deadline + 3_600

    swap_driver.refund(intent, Side.RESPONDER, sender=swap_responder)

    assert swap_apc.balanceOf(swap_responder) == HOLDING
    assert swaps.status(intent.swap_id(Side.RESPONDER)) == Status.REFUNDED
    assert swap_apc.balanceOf(swaps) == 0


@pytest.mark.parametrize("field", ["sender", "receiver", "amount", "deadline"])
def test_refund__terms_other_than_the_locks__reverts(
    chain: Any, swaps: Any, attacker: Any, locked: Locked, field: str
) -> None:
    chain.pending_timestamp = locked.deadline + 1
    terms = locked.intent.terms(Side.INITIATOR)
    value = {
        "sender": attacker.address,
        "receiver": attacker.address,
        "amount": terms.amount + 1,
        "deadline": terms.deadline - 1,
    }[field]

    with ape.reverts(WRONG_TERMS):
        swaps.refund(locked.id, replace(terms, **{field: value}).as_arg(), sender=attacker)


def test_refund__never_locked_id__reverts(
    chain: Any, swaps: Any, swap_initiator: Any, local_intent: Any
) -> None:
    chain.pending_timestamp = local_intent.initiator.deadline

    with ape.reverts(NO_SWAP):
        swaps.refund(*sw.refund_args(local_intent, Side.INITIATOR), sender=swap_initiator)


def test_refund__settled_by_a_claim_or_a_refund__reverts(
    chain: Any, swap_driver: SwapDriver, swap_initiator: Any, settled: Locked
) -> None:
    chain.pending_timestamp = max(int(chain.pending_timestamp), settled.deadline)

    with ape.reverts(SETTLED):
        swap_driver.refund(settled.intent, Side.INITIATOR, sender=swap_initiator)


def test_refund__token_returns_false__reverts_and_the_swap_stays_locked(
    chain: Any, swaps: Any, swap_driver: SwapDriver, bad_token: Any, swap_initiator: Any
) -> None:
    intent = swap_driver.intent(initiator={"token": bad_token.address})
    swaps.lock(intent.as_arg(), 0, swap_driver.sign(intent, Side.INITIATOR), sender=swap_initiator)
    bad_token.set_mode(1, sender=swap_initiator)
    chain.pending_timestamp = intent.initiator.deadline

    with ape.reverts(TRANSFER_FAILED):
        swap_driver.refund(intent, Side.INITIATOR, sender=swap_initiator)

    assert swaps.status(intent.swap_id(Side.INITIATOR)) == Status.LOCKED
