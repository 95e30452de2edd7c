"""Swaps.lock_with_permit: `lock` in one transaction with the sender's EIP-2612 permit for
Swaps over the leg's amount, for tokens that have permit (BPC does); every check of
`lock` still applies."""

from typing import Any

import ape

from bpsa.core.swaps import Side, Status
from tests.fixtures.swaps import BPC_AMOUNT, HOLDING, SwapDriver
from tests.unit.swaps.helpers import BAD_PERMIT, NOT_COUNTERPARTY, permit


def _lock(
    d: SwapDriver, intent: Any, owner: Any, signer: Any = None, value: int = BPC_AMOUNT
) -> Any:
    deadline = d.now() + 3_600
    p = permit(d.bpc, d.chain_id, signer or owner, str(d.swaps.address), value, deadline)
    sig = d.sign(intent, Side.INITIATOR)
    return d.swaps.lock_with_permit(intent.as_arg(), 0, sig, deadline, p, sender=owner)


def test_lock_with_permit__no_prior_approval__locks_in_one_transaction(
    swaps: Any, swap_driver: SwapDriver, swap_bpc: Any, swap_initiator: Any, local_intent: Any
) -> None:
    tx = _lock(swap_driver, local_intent, swap_initiator)

    assert tx.return_value == local_intent.swap_id(Side.INITIATOR)
    assert swaps.status(local_intent.swap_id(Side.INITIATOR)) == Status.LOCKED
    assert swap_bpc.balanceOf(swap_initiator) == HOLDING - BPC_AMOUNT
    assert swap_bpc.allowance(swap_initiator, swaps) == 0


def test_lock_with_permit__permit_already_submitted_by_someone__still_locks(
    swaps: Any, swap_driver: SwapDriver, swap_bpc: Any, swap_initiator: Any, attacker: Any,
    local_intent: Any,
) -> None:  # fmt: skip
    # A front-runner submits the permit first: the allowance is set, the lock goes through.
    deadline = swap_driver.now() + 3_600
    p = permit(swap_bpc, swap_driver.chain_id, swap_initiator, swaps.address, BPC_AMOUNT, deadline)
    swap_bpc.permit(swap_initiator, swaps, BPC_AMOUNT, deadline, *p, sender=attacker)
    sig = swap_driver.sign(local_intent, Side.INITIATOR)

    swaps.lock_with_permit(local_intent.as_arg(), 0, sig, deadline, p, sender=swap_initiator)

    assert swap_bpc.balanceOf(swaps) == BPC_AMOUNT


def test_lock_with_permit__permit_signed_by_another__reverts(
    swap_driver: SwapDriver, swap_initiator: Any, attacker: Any, local_intent: Any
) -> None:
    with ape.reverts(BAD_PERMIT):
        _lock(swap_driver, local_intent, swap_initiator, signer=attacker)


def test_lock_with_permit__faulty_counterparty_signature__reverts(
    swaps: Any, swap_driver: SwapDriver, swap_initiator: Any, local_intent: Any
) -> None:
    deadline = swap_driver.now() + 3_600
    p = permit(
        swap_driver.bpc, swap_driver.chain_id, swap_initiator, swaps.address, BPC_AMOUNT, deadline
    )
    own = swap_driver.sign(local_intent, Side.INITIATOR, signer=swap_initiator)

    with ape.reverts(NOT_COUNTERPARTY):
        swaps.lock_with_permit(local_intent.as_arg(), 0, own, deadline, p, sender=swap_initiator)
