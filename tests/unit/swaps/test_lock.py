"""Swaps.lock: the sender of one leg of a swap intent locks that leg on the leg's own chain
and contract, with the counterparty's signature over the intent in this contract's
domain; the leg's amount moves from the sender into Swaps under the leg's swap id, and
only a commitment to its terms is stored. The contract enforces the deadlines: the
initiator's at least the safety margin after the responder's, and at least the minimum
lock time left on the leg being locked."""

from dataclasses import replace
from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from bpsa.core import eip712
from bpsa.core import swaps as sw
from bpsa.core.swaps import Side, Status
from tests.fixtures.swaps import (
    APC_AMOUNT,
    BPC_AMOUNT,
    HASHLOCK,
    HOLDING,
    MIN_LOCK_TIME,
    SAFETY_MARGIN,
    SIBLING_SWAPS,
    SwapDriver,
)
from tests.unit.swaps.conftest import Locked
from tests.unit.swaps.helpers import (
    BAD_SIDE,
    ID_USED,
    NO_ALLOWANCE,
    NO_BALANCE,
    NOT_COUNTERPARTY,
    NOT_SENDER,
    ONE_PARTY,
    OTHER_CHAIN,
    OTHER_CONTRACT,
    TOO_CLOSE,
    TRANSFER_FAILED,
    UNSAFE_DEADLINES,
    ZERO,
    ZERO_AMOUNT,
    ZERO_RECEIVER,
    high_s,
    with_v,
)


def test_lock__initiators_leg_with_the_responders_signature__pulls_the_amount_under_its_id(
    swaps: Any, swap_driver: SwapDriver, swap_bpc: Any, swap_initiator: Any, swap_responder: Any
) -> None:
    intent = swap_driver.intent(Side.INITIATOR)
    swap_id = intent.swap_id(Side.INITIATOR)

    tx = swap_driver.lock(intent, Side.INITIATOR)

    assert tx.return_value == swap_id
    assert swaps.status(swap_id) == Status.LOCKED
    assert swaps.commitments(swap_id) == intent.terms(Side.INITIATOR).commitment()
    assert swap_bpc.balanceOf(swap_initiator) == HOLDING - BPC_AMOUNT
    assert swap_bpc.balanceOf(swaps) == BPC_AMOUNT
    assert swap_bpc.allowance(swap_initiator, swaps) == 0
    assert tx.events.filter(swaps.Locked) == [
        swaps.Locked(
            id=swap_id,
            hashlock=HASHLOCK,
            sender=swap_initiator.address,
            token=swap_bpc.address,
            receiver=swap_responder.address,
            amount=BPC_AMOUNT,
            deadline=intent.initiator.deadline,
        )
    ]


def test_lock__responders_leg_with_the_initiators_signature__pulls_the_amount_under_its_id(
    swaps: Any, swap_driver: SwapDriver, swap_apc: Any, swap_responder: Any
) -> None:
    intent = swap_driver.intent(Side.RESPONDER)

    tx = swap_driver.lock(intent, Side.RESPONDER)

    assert tx.return_value == intent.swap_id(Side.RESPONDER)
    assert swaps.status(intent.swap_id(Side.RESPONDER)) == Status.LOCKED
    assert swap_apc.balanceOf(swap_responder) == HOLDING - APC_AMOUNT
    assert swap_apc.balanceOf(swaps) == APC_AMOUNT
    assert tx.events.filter(swaps.Locked)[0].sender == swap_responder.address


def test_lock__both_legs_on_this_contract__each_locked_under_its_own_id(
    swaps: Any, swap_driver: SwapDriver, swap_bpc: Any, swap_apc: Any
) -> None:
    intent = swap_driver.intent(both_here=True)

    first = swap_driver.lock(intent, Side.INITIATOR).return_value
    second = swap_driver.lock(intent, Side.RESPONDER).return_value

    assert (first, second) == (intent.swap_id(Side.INITIATOR), intent.swap_id(Side.RESPONDER))
    assert first != second
    assert (swaps.status(first), swaps.status(second)) == (Status.LOCKED, Status.LOCKED)
    assert (swap_bpc.balanceOf(swaps), swap_apc.balanceOf(swaps)) == (BPC_AMOUNT, APC_AMOUNT)


def test_lock__side_out_of_range__reverts(
    swaps: Any, swap_driver: SwapDriver, local_intent: Any, swap_initiator: Any
) -> None:
    sig = swap_driver.sign(local_intent, Side.INITIATOR)

    with ape.reverts(BAD_SIDE):
        swaps.lock(local_intent.as_arg(), 2, sig, sender=swap_initiator)


# -- the leg must be this chain's, this contract's and the caller's --------------------------


def test_lock__leg_for_another_chain__reverts(swap_driver: SwapDriver) -> None:
    intent = swap_driver.intent(initiator={"chain_id": swap_driver.chain_id + 1})

    with ape.reverts(OTHER_CHAIN):
        swap_driver.lock(intent, Side.INITIATOR)


def test_lock__the_leg_on_the_sibling_chain__reverts(
    swap_driver: SwapDriver, local_intent: Any, swap_apc: Any
) -> None:
    # The responder tries to lock, here, the leg the intent puts on the sibling chain.
    with ape.reverts(OTHER_CHAIN):
        swap_driver.lock(local_intent, Side.RESPONDER)


def test_lock__leg_for_another_contract__reverts(swap_driver: SwapDriver) -> None:
    intent = swap_driver.intent(initiator={"swaps": SIBLING_SWAPS})

    with ape.reverts(OTHER_CONTRACT):
        swap_driver.lock(intent, Side.INITIATOR)


@pytest.mark.parametrize("sender", ["responder", "attacker"])
def test_lock__by_someone_but_the_legs_sender__reverts(
    swap_callers: dict[str, Any], swap_driver: SwapDriver, swap_bpc: Any, local_intent: Any,
    swap_initiator: Any, sender: str,
) -> None:  # fmt: skip
    # The initiator approved Swaps; nobody else may lock its BPC, even on terms it signed.
    swap_bpc.approve(swap_driver.swaps, BPC_AMOUNT, sender=swap_initiator)

    with ape.reverts(NOT_SENDER):
        swap_driver.lock(local_intent, Side.INITIATOR, sender=swap_callers[sender])


def test_lock__both_legs_sent_by_the_same_party__reverts(
    swap_driver: SwapDriver, swap_initiator: Any
) -> None:
    intent = swap_driver.intent(responder={"sender": swap_initiator.address})

    with ape.reverts(ONE_PARTY):
        swap_driver.lock(intent, Side.INITIATOR, sig=swap_driver.sign(intent, Side.INITIATOR))


def test_lock__receiver_is_the_zero_address__reverts(swap_driver: SwapDriver) -> None:
    intent = swap_driver.intent(initiator={"receiver": ZERO})

    with ape.reverts(ZERO_RECEIVER):
        swap_driver.lock(intent, Side.INITIATOR)


def test_lock__zero_amount__reverts(swap_driver: SwapDriver) -> None:
    intent = swap_driver.intent(initiator={"amount": 0})

    with ape.reverts(ZERO_AMOUNT):
        swap_driver.lock(intent, Side.INITIATOR)


def test_lock__one_wei__locked(swaps: Any, swap_driver: SwapDriver, swap_bpc: Any) -> None:
    intent = swap_driver.intent(initiator={"amount": 1})

    swap_driver.lock(intent, Side.INITIATOR)

    assert swap_bpc.balanceOf(swaps) == 1


# -- deadlines ---------------------------------------------------------------------------------


def _with_deadlines(d: SwapDriver, side: Side, initiator: int, responder: int) -> Any:
    now = d.now()
    return d.intent(
        side, initiator={"deadline": now + initiator}, responder={"deadline": now + responder}
    )


@pytest.mark.parametrize("side", [Side.INITIATOR, Side.RESPONDER])
def test_lock__deadlines_exactly_the_safety_margin_apart__locked(
    swaps: Any, swap_driver: SwapDriver, side: Side
) -> None:
    intent = _with_deadlines(swap_driver, side, 2 * SAFETY_MARGIN, SAFETY_MARGIN)

    swap_driver.lock(intent, side)

    assert swaps.status(intent.swap_id(side)) == Status.LOCKED


@pytest.mark.parametrize("side", [Side.INITIATOR, Side.RESPONDER])
@pytest.mark.parametrize(
    "initiator, responder",
    [
        (2 * SAFETY_MARGIN - 1, SAFETY_MARGIN),  # a second short of the margin
        (SAFETY_MARGIN, SAFETY_MARGIN),  # equal
        (SAFETY_MARGIN, 3 * SAFETY_MARGIN),  # inverted: the responder's outlives the initiator's
    ],
    ids=["one_second_short", "equal", "inverted"],
)
def test_lock__deadlines_closer_than_the_safety_margin__reverts(
    swap_driver: SwapDriver, side: Side, initiator: int, responder: int
) -> None:
    intent = _with_deadlines(swap_driver, side, initiator, responder)

    with ape.reverts(UNSAFE_DEADLINES):
        swap_driver.lock(intent, side)


def test_lock__responders_deadline_far_past_the_initiators__reverts_without_overflow(
    swap_driver: SwapDriver,
) -> None:
    intent = swap_driver.intent(responder={"deadline": 2**256 - 1})

    with ape.reverts(UNSAFE_DEADLINES):
        swap_driver.lock(intent, Side.INITIATOR)


def _leaving(side: Side, left: int) -> tuple[int, int]:
    """Deadlines (from now) that leave leg `side` `left` seconds, the margin apart."""
    if side is Side.INITIATOR:
        return (left, left - SAFETY_MARGIN)
    return (left + SAFETY_MARGIN, left)


@pytest.mark.parametrize("side", [Side.INITIATOR, Side.RESPONDER])
def test_lock__exactly_the_minimum_lock_time_left__locked(
    swaps: Any, swap_driver: SwapDriver, chain: Any, side: Side
) -> None:
    start = swap_driver.now() + 5  # the lock's block time, pinned below
    initiator, responder = _leaving(side, MIN_LOCK_TIME)
    intent = swap_driver.intent(
        side, initiator={"deadline": start + initiator}, responder={"deadline": start + responder}
    )
    leg = intent.leg(side)
    who = swap_driver.party(leg.sender)
    swap_driver.token(leg).approve(swaps.address, leg.amount, sender=who)
    # The approve took a block; a second of wall clock would leave the lock one short.
    chain.pending_timestamp = start

    swaps.lock(intent.as_arg(), int(side), swap_driver.sign(intent, side), sender=who)

    assert swaps.status(intent.swap_id(side)) == Status.LOCKED


@pytest.mark.parametrize("side", [Side.INITIATOR, Side.RESPONDER])
@pytest.mark.parametrize("left", [MIN_LOCK_TIME - 1, 0, -1])
def test_lock__less_than_the_minimum_lock_time_left__reverts(
    swap_driver: SwapDriver, side: Side, left: int
) -> None:
    intent = _with_deadlines(swap_driver, side, *_leaving(side, left))

    with ape.reverts(TOO_CLOSE):
        swap_driver.lock(intent, side)


# -- the counterparty's signature -------------------------------------------------------------


def _bad_sig(kind: str, d: SwapDriver, intent: Any, attacker: Any) -> Any:
    good = d.sign(intent, Side.INITIATOR)
    other_domain = replace(intent, initiator=replace(intent.initiator, chain_id=1))
    if kind == "the sender's own":
        return d.sign(intent, Side.INITIATOR, signer=d.initiator)
    if kind == "the attacker's":
        return d.sign(intent, Side.INITIATOR, signer=attacker)
    if kind == "for the other leg's lock":
        return d.sign(intent, Side.RESPONDER, signer=d.responder)
    if kind == "other chain":
        return _signed_in(intent, sw.domain(1, d.swaps.address), d.responder)
    if kind == "other contract":
        return _signed_in(intent, sw.domain(d.chain_id, SIBLING_SWAPS), d.responder)
    if kind == "other amount":
        changed = replace(intent, initiator=replace(intent.initiator, amount=1))
        return d.sign(changed, Side.INITIATOR)
    if kind == "other hashlock":
        return d.sign(replace(intent, hashlock=b"\x01" * 32), Side.INITIATOR)
    if kind == "other responder leg":
        changed = replace(intent, responder=replace(intent.responder, amount=1))
        return d.sign(changed, Side.INITIATOR)
    if kind == "other chain in the intent":
        return _signed_in(other_domain, sw.domain(d.chain_id, d.swaps.address), d.responder)
    if kind == "high s":
        return high_s(good)
    if kind == "v 0 or 1":
        return with_v(good, good[0] - 27)
    if kind == "v 29":
        return with_v(good, 29)
    if kind == "zeros":
        return (27, b"\x00" * 32, b"\x00" * 32)
    raise AssertionError(kind)


def _signed_in(intent: Any, dom: Any, signer: Any) -> Any:
    """`signer`'s signature over `intent` in the EIP-712 domain `dom`."""
    digest = keccak(b"\x19\x01" + eip712.domain_separator(dom) + intent.struct_hash())
    return sw.as_arg(eip712.sign_digest(digest, bytes.fromhex(signer.private_key[2:])))


SIG_FAULTS = [
    "the sender's own",
    "the attacker's",
    "for the other leg's lock",
    "other chain",
    "other contract",
    "other amount",
    "other hashlock",
    "other responder leg",
    "other chain in the intent",
    "high s",
    "v 0 or 1",
    "v 29",
    "zeros",
]


@pytest.mark.parametrize("kind", SIG_FAULTS)
def test_lock__faulty_counterparty_signature__reverts(
    swap_driver: SwapDriver, local_intent: Any, attacker: Any, kind: str
) -> None:
    sig = _bad_sig(kind, swap_driver, local_intent, attacker)

    with ape.reverts(NOT_COUNTERPARTY):
        swap_driver.lock(local_intent, Side.INITIATOR, sig=sig)


# -- an id is locked once ----------------------------------------------------------------------


def test_lock__same_leg_again__reverts(swap_driver: SwapDriver, locked: Locked) -> None:
    with ape.reverts(ID_USED):
        swap_driver.lock(locked.intent, Side.INITIATOR)


def test_lock__after_the_claim_or_the_refund__reverts(
    swap_driver: SwapDriver, settled: Locked
) -> None:
    with ape.reverts(ID_USED):
        swap_driver.lock(settled.intent, Side.INITIATOR)


# -- the token ---------------------------------------------------------------------------------


def test_lock__allowance_short_by_one_wei__reverts(
    swaps: Any, swap_bpc: Any, swap_driver: SwapDriver, local_intent: Any, swap_initiator: Any
) -> None:
    sig = swap_driver.sign(local_intent, Side.INITIATOR)
    swap_bpc.approve(swaps, BPC_AMOUNT - 1, sender=swap_initiator)

    with ape.reverts(NO_ALLOWANCE):
        swaps.lock(local_intent.as_arg(), 0, sig, sender=swap_initiator)


def test_lock__more_than_the_senders_balance__reverts(swap_driver: SwapDriver) -> None:
    intent = swap_driver.intent(initiator={"amount": HOLDING + 1})

    with ape.reverts(NO_BALANCE):
        swap_driver.lock(intent, Side.INITIATOR)


def _lock_in(swaps: Any, d: SwapDriver, token: Any, sender: Any) -> Any:
    intent = d.intent(initiator={"token": token.address})
    return intent, swaps.lock(intent.as_arg(), 0, d.sign(intent, Side.INITIATOR), sender=sender)


def test_lock__token_without_return_values__locked(
    swaps: Any, swap_driver: SwapDriver, quiet_token: Any, swap_initiator: Any
) -> None:
    intent, _ = _lock_in(swaps, swap_driver, quiet_token, swap_initiator)

    assert swaps.status(intent.swap_id(Side.INITIATOR)) == Status.LOCKED
    assert quiet_token.balanceOf(swaps) == BPC_AMOUNT


def test_lock__token_returns_false__reverts(
    swaps: Any, swap_driver: SwapDriver, bad_token: Any, swap_initiator: Any
) -> None:
    bad_token.set_mode(1, sender=swap_initiator)

    with ape.reverts(TRANSFER_FAILED):
        _lock_in(swaps, swap_driver, bad_token, swap_initiator)


def test_lock__token_reverts__reverts_with_its_reason(
    swaps: Any, swap_driver: SwapDriver, bad_token: Any, swap_initiator: Any
) -> None:
    bad_token.set_mode(2, sender=swap_initiator)

    with ape.reverts("badtoken: refused"):
        _lock_in(swaps, swap_driver, bad_token, swap_initiator)


def test_lock__token_returns_true__locked(
    swaps: Any, swap_driver: SwapDriver, bad_token: Any, swap_initiator: Any
) -> None:
    # The twin of the two above: the same token, honest.
    intent, _ = _lock_in(swaps, swap_driver, bad_token, swap_initiator)

    assert bad_token.balanceOf(swaps) == BPC_AMOUNT
    assert swaps.status(intent.swap_id(Side.INITIATOR)) == Status.LOCKED
