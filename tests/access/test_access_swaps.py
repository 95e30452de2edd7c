"""Who may call what on Swaps, by hand (Swaps is not in the ABI-generated matrix: it has no
owner and no privileged function; every state-changing function is public and gated by
the swap itself).

- lock, lock_with_permit: only the leg's sender, with its counterparty's signature;
- claim: anyone before the deadline, paying only the receiver;
- refund: anyone from the deadline on, paying only the sender.

The first test fails when a state-changing function is added, until it is placed here.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

import ape
import pytest
from ape import project

from bpsa.core.swaps import Side, Status, SwapIntent
from tests.fixtures.swaps import BPC_AMOUNT, HOLDING, SwapDriver
from tests.unit.swaps.helpers import NOT_SENDER, permit

PUBLIC = {"lock", "lock_with_permit", "claim", "refund"}
CALLERS = ["initiator", "responder", "attacker", "deployer"]


def assert_only_the_initiator_locks(
    caller: str, lock: Callable[[], Any], swaps: Any, intent: Any
) -> None:
    """`lock()` (the initiator's leg, sent by `caller`) reverts unless the initiator sends it,
    and then locks the leg."""
    if caller != "initiator":
        with ape.reverts(NOT_SENDER):
            lock()
        return
    lock()
    assert swaps.status(intent.swap_id(Side.INITIATOR)) == Status.LOCKED


def assert_paid_only(token: Any, payee: Any, balance: int, caller: Any, before: int) -> None:
    """`payee` holds `balance` of `token`, and `caller` (if someone else) holds what it held."""
    assert token.balanceOf(payee) == balance
    if caller != payee:
        assert token.balanceOf(caller) == before


def test_swaps_abi__state_changing_functions__exactly_the_public_ones() -> None:
    abi = project.Swaps.contract_type.abi
    mutable = {
        item.name
        for item in abi
        if item.type == "function" and item.stateMutability not in ("view", "pure")
    }

    assert mutable == PUBLIC
    assert not {"owner", "transfer_ownership", "renounce_ownership"} & {
        getattr(item, "name", None) for item in abi
    }


@pytest.fixture
def locked(swap_driver: SwapDriver) -> SwapIntent:
    """An intent whose initiator's leg is locked on this chain's Swaps."""
    intent = swap_driver.intent(Side.INITIATOR)
    swap_driver.lock(intent, Side.INITIATOR)
    return intent


@pytest.mark.parametrize("caller", CALLERS)
def test_lock__by_each_caller__only_the_legs_sender(
    swap_driver: SwapDriver, swap_callers: dict[str, Any], caller: str
) -> None:
    swaps, initiator = swap_driver.swaps, swap_driver.initiator
    intent = swap_driver.intent(Side.INITIATOR)
    swap_driver.bpc.approve(swaps, BPC_AMOUNT, sender=initiator)
    sig = swap_driver.sign(intent, Side.INITIATOR)
    lock = partial(swaps.lock, intent.as_arg(), 0, sig, sender=swap_callers[caller])

    assert_only_the_initiator_locks(caller, lock, swaps, intent)


@pytest.mark.parametrize("caller", CALLERS)
def test_lock_with_permit__by_each_caller__only_the_legs_sender(
    swap_driver: SwapDriver, swap_callers: dict[str, Any], caller: str
) -> None:
    # The initiator's permit in hand does not let anyone else lock its leg.
    swaps, initiator = swap_driver.swaps, swap_driver.initiator
    deadline = swap_driver.now() + 3_600
    p = permit(
        swap_driver.bpc, swap_driver.chain_id, initiator, swaps.address, BPC_AMOUNT, deadline
    )
    intent = swap_driver.intent(Side.INITIATOR)
    sig = swap_driver.sign(intent, Side.INITIATOR)
    args = (intent.as_arg(), 0, sig, deadline, p)
    lock = partial(swaps.lock_with_permit, *args, sender=swap_callers[caller])

    assert_only_the_initiator_locks(caller, lock, swaps, intent)


@pytest.mark.parametrize("caller", CALLERS)
def test_claim__by_each_caller__pays_the_receiver_only(
    swap_driver: SwapDriver, swap_callers: dict[str, Any], locked: SwapIntent, caller: str
) -> None:
    who, bpc = swap_callers[caller], swap_driver.bpc
    before = bpc.balanceOf(who)

    swap_driver.claim(locked, Side.INITIATOR, sender=who)

    assert_paid_only(bpc, swap_driver.responder, HOLDING + BPC_AMOUNT, caller=who, before=before)


@pytest.mark.parametrize("caller", CALLERS)
def test_refund__by_each_caller__pays_the_sender_only(
    swap_driver: SwapDriver, swap_callers: dict[str, Any], locked: SwapIntent, caller: str
) -> None:
    swap_driver.chain.pending_timestamp = locked.initiator.deadline
    who, bpc = swap_callers[caller], swap_driver.bpc
    before = bpc.balanceOf(who)

    swap_driver.refund(locked, Side.INITIATOR, sender=who)

    assert_paid_only(bpc, swap_driver.initiator, HOLDING, caller=who, before=before)
