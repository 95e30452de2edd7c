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

from bpsa.core.swaps import Side, Status
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


@pytest.mark.parametrize("caller", CALLERS)
def test_lock__by_each_caller__only_the_legs_sender(
    swap_callers: dict[str, Any], swaps: Any, swap_driver: SwapDriver, swap_bpc: Any,
    swap_initiator: Any, caller: str,
) -> None:  # fmt: skip
    intent = swap_driver.intent(Side.INITIATOR)
    swap_bpc.approve(swaps, BPC_AMOUNT, sender=swap_initiator)
    sig = swap_driver.sign(intent, Side.INITIATOR)
    lock = partial(swaps.lock, intent.as_arg(), 0, sig, sender=swap_callers[caller])

    assert_only_the_initiator_locks(caller, lock, swaps, intent)


@pytest.mark.parametrize("caller", CALLERS)
def test_lock_with_permit__by_each_caller__only_the_legs_sender(
    swap_callers: dict[str, Any], swaps: Any, swap_driver: SwapDriver, swap_bpc: Any,
    swap_initiator: Any, caller: str,
) -> None:  # fmt: skip
    # The initiator's permit in hand does not let anyone else lock its leg.
    intent = swap_driver.intent(Side.INITIATOR)
    deadline = swap_driver.now() + 3_600
    p = permit(swap_bpc, swap_driver.chain_id, swap_initiator, swaps.address, BPC_AMOUNT, deadline)
    sig = swap_driver.sign(intent, Side.INITIATOR)
    args = (intent.as_arg(), 0, sig, deadline, p)
    lock = partial(swaps.lock_with_permit, *args, sender=swap_callers[caller])

    assert_only_the_initiator_locks(caller, lock, swaps, intent)


@pytest.mark.parametrize("caller", CALLERS)
def test_claim__by_each_caller__pays_the_receiver_only(
    swap_callers: dict[str, Any], swaps: Any, swap_driver: SwapDriver, swap_bpc: Any,
    swap_responder: Any, caller: str,
) -> None:  # fmt: skip
    intent = swap_driver.intent(Side.INITIATOR)
    swap_driver.lock(intent, Side.INITIATOR)
    who = swap_callers[caller]
    before = swap_bpc.balanceOf(who)

    swap_driver.claim(intent, Side.INITIATOR, sender=who)

    assert_paid_only(swap_bpc, swap_responder, HOLDING + BPC_AMOUNT, caller=who, before=before)


@pytest.mark.parametrize("caller", CALLERS)
def test_refund__by_each_caller__pays_the_sender_only(
    chain: Any, swap_callers: dict[str, Any], swaps: Any, swap_driver: SwapDriver,
    swap_bpc: Any, swap_initiator: Any, caller: str,
) -> None:  # fmt: skip
    intent = swap_driver.intent(Side.INITIATOR)
    swap_driver.lock(intent, Side.INITIATOR)
    chain.pending_timestamp = intent.initiator.deadline
    who = swap_callers[caller]
    before = swap_bpc.balanceOf(who)

    swap_driver.refund(intent, Side.INITIATOR, sender=who)

    assert_paid_only(swap_bpc, swap_initiator, HOLDING, caller=who, before=before)
