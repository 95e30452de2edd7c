"""Swaps.claim: before the deadline anyone pays a locked swap to its receiver with the
preimage of its hashlock and the lock's terms; the preimage goes public in `Claimed`,
which is how the other leg's receiver learns it. A swap is paid once: a claimed or
refunded id is settled for ever."""

from dataclasses import replace
from typing import Any

import ape
import pytest

from bpsa.core import swaps as sw
from bpsa.core.swaps import Side, Status
from tests.fixtures.swaps import APC_AMOUNT, BPC_AMOUNT, HOLDING, PREIMAGE, SwapDriver
from tests.unit.swaps.conftest import Locked
from tests.unit.swaps.helpers import (
    DEADLINE_PASSED,
    NO_SWAP,
    SETTLED,
    TRANSFER_FAILED,
    WRONG_PREIMAGE,
    WRONG_TERMS,
)


@pytest.mark.parametrize("sender", ["responder", "initiator", "attacker"])
def test_claim__right_preimage_before_the_deadline__pays_the_receiver_whoever_sends(
    swap_callers: dict[str, Any], swaps: Any, swap_driver: SwapDriver, swap_bpc: Any,
    swap_initiator: Any, swap_responder: Any, locked: Locked, sender: str,
) -> None:  # fmt: skip
    tx = swap_driver.claim(locked.intent, Side.INITIATOR, sender=swap_callers[sender])

    assert tx.events.filter(swaps.Claimed) == [swaps.Claimed(id=locked.id, preimage=PREIMAGE)]
    assert swap_bpc.balanceOf(swap_responder) == HOLDING + BPC_AMOUNT
    assert swap_bpc.balanceOf(swap_initiator) == HOLDING - BPC_AMOUNT
    assert swap_bpc.balanceOf(swaps) == 0
    assert swaps.status(locked.id) == Status.CLAIMED


def test_claim__in_the_last_second__pays(
    chain: Any, swaps: Any, swap_driver: SwapDriver, swap_responder: Any, locked: Locked
) -> None:
    chain.pending_timestamp = locked.deadline - 1

    swap_driver.claim(locked.intent, Side.INITIATOR, sender=swap_responder)

    assert swaps.status(locked.id) == Status.CLAIMED


@pytest.mark.parametrize("late", [0, 1, 86_400])
def test_claim__at_or_after_the_deadline__reverts(
    chain: Any, swap_driver: SwapDriver, swap_responder: Any, locked: Locked, late: int
) -> None:
    chain.pending_timestamp = locked.deadline + late

    with ape.reverts(DEADLINE_PASSED):
        swap_driver.claim(locked.intent, Side.INITIATOR, sender=swap_responder)


def test_claim__wrong_preimage__reverts(
    swap_driver: SwapDriver, swap_responder: Any, locked: Locked
) -> None:
    with ape.reverts(WRONG_PREIMAGE):
        swap_driver.claim(
            locked.intent, Side.INITIATOR, sender=swap_responder, preimage=b"\x00" * 32
        )


@pytest.mark.parametrize(
    "field, value",
    [
        ("receiver", "attacker"),
        ("sender", "attacker"),
        ("amount", BPC_AMOUNT + 1),
        ("amount", BPC_AMOUNT - 1),
        ("deadline", "later"),
        ("token", "apc"),
    ],
)
def test_claim__terms_other_than_the_locks__reverts(
    swaps: Any, swap_apc: Any, attacker: Any, locked: Locked, field: str, value: Any
) -> None:
    terms = locked.intent.terms(Side.INITIATOR)
    named = {"attacker": attacker.address, "later": terms.deadline + 1, "apc": swap_apc.address}
    value = named.get(value, value)
    forged = replace(terms, **{field: value})

    with ape.reverts(WRONG_TERMS):
        swaps.claim(locked.id, PREIMAGE, forged.as_arg(), sender=attacker)


def test_claim__own_preimage_and_hashlock__reverts(
    swaps: Any, attacker: Any, locked: Locked
) -> None:
    # The attacker opens a hashlock of its own making: the lock's commitment names another.
    own = b"\xaa" * 32
    forged = replace(locked.intent.terms(Side.INITIATOR), hashlock=sw.hashlock(own))

    with ape.reverts(WRONG_TERMS):
        swaps.claim(locked.id, own, forged.as_arg(), sender=attacker)


def test_claim__never_locked_id__reverts(
    swaps: Any, swap_responder: Any, local_intent: Any
) -> None:
    with ape.reverts(NO_SWAP):
        swaps.claim(*sw.claim_args(local_intent, Side.INITIATOR, PREIMAGE), sender=swap_responder)


def test_claim__another_locked_swaps_id_with_these_terms__reverts(
    swaps: Any, swap_driver: SwapDriver, swap_responder: Any, locked: Locked
) -> None:
    other = swap_driver.intent(initiator={"amount": 1})
    swap_driver.lock(other, Side.INITIATOR)
    terms = locked.intent.terms(Side.INITIATOR).as_arg()

    with ape.reverts(WRONG_TERMS):
        swaps.claim(other.swap_id(Side.INITIATOR), PREIMAGE, terms, sender=swap_responder)


def test_claim__settled_by_a_claim_or_a_refund__reverts(
    swap_driver: SwapDriver, swap_responder: Any, settled: Locked
) -> None:
    with ape.reverts(SETTLED):
        swap_driver.claim(settled.intent, Side.INITIATOR, sender=swap_responder)


def test_claim__preimage_read_from_the_other_legs_claim__completes_the_swap(
    swaps: Any, swap_driver: SwapDriver, swap_bpc: Any, swap_apc: Any,
    swap_initiator: Any, swap_responder: Any,
) -> None:  # fmt: skip
    # Both legs on this chain's Swaps: the whole swap, in its order.
    d, intent = swap_driver, swap_driver.intent(both_here=True)
    d.lock(intent, Side.INITIATOR)
    d.lock(intent, Side.RESPONDER)
    revealed = d.claim(intent, Side.RESPONDER, sender=swap_initiator)
    preimage = bytes(revealed.events.filter(swaps.Claimed)[0].preimage)

    d.claim(intent, Side.INITIATOR, sender=swap_responder, preimage=preimage)

    assert swap_bpc.balanceOf(swap_responder) == HOLDING + BPC_AMOUNT
    assert swap_apc.balanceOf(swap_initiator) == HOLDING + APC_AMOUNT
    assert (swap_bpc.balanceOf(swaps), swap_apc.balanceOf(swaps)) == (0, 0)
    assert swap_bpc.balanceOf(swap_initiator) == HOLDING - BPC_AMOUNT
    assert swap_apc.balanceOf(swap_responder) == HOLDING - APC_AMOUNT


# -- the token ---------------------------------------------------------------------------------


def _locked_in(d: SwapDriver, token: Any) -> Any:
    intent = d.intent(initiator={"token": token.address})
    sig = d.sign(intent, Side.INITIATOR)
    d.swaps.lock(intent.as_arg(), 0, sig, sender=d.initiator)
    return intent


@pytest.mark.parametrize("mode, reason", [(1, TRANSFER_FAILED), (2, "badtoken: refused")])
def test_claim__token_refuses_the_payout__reverts_and_the_swap_stays_locked(
    swaps: Any, swap_driver: SwapDriver, bad_token: Any, swap_responder: Any, mode: int,
    reason: str,
) -> None:  # fmt: skip
    intent = _locked_in(swap_driver, bad_token)
    bad_token.set_mode(mode, sender=swap_responder)

    with ape.reverts(reason):
        swap_driver.claim(intent, Side.INITIATOR, sender=swap_responder)

    assert swaps.status(intent.swap_id(Side.INITIATOR)) == Status.LOCKED
    bad_token.set_mode(0, sender=swap_responder)
    swap_driver.claim(intent, Side.INITIATOR, sender=swap_responder)
    assert bad_token.balanceOf(swap_responder) == BPC_AMOUNT


def test_claim__token_without_return_values__pays(
    swaps: Any, swap_driver: SwapDriver, quiet_token: Any, swap_responder: Any
) -> None:
    intent = _locked_in(swap_driver, quiet_token)

    swap_driver.claim(intent, Side.INITIATOR, sender=swap_responder)

    assert quiet_token.balanceOf(swap_responder) == BPC_AMOUNT
    assert quiet_token.balanceOf(swaps) == 0
