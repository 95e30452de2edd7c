"""bpsa.core.swaps, the Python side of Swaps that the parties and the coordinator use, without a
chain: values checked at the boundary, signatures that recover to their signer, the
arguments of claim and refund, and `check_intent` refusing what the contract refuses
(tests/unit/swaps/test_views.py pins the digests and ids to the contract's)."""

import hashlib
from dataclasses import replace
from typing import Any

import pytest
from eth_account import Account
from eth_utils.address import to_checksum_address

from bpsa.core import eip712
from bpsa.core import swaps as sw
from bpsa.core.swaps import Side
from bpsa.sdk.deploy import deploy_swaps

CHAIN_A, CHAIN_B = 31_337, 31_338
SWAPS_A, SWAPS_B = "0x" + "1a" * 20, "0x" + "1b" * 20
TOKEN_A, TOKEN_B = "0x" + "2a" * 20, "0x" + "2b" * 20
INITIATOR_KEY, RESPONDER_KEY = b"\x11" * 32, b"\x22" * 32
INITIATOR = str(Account.from_key(INITIATOR_KEY).address)
RESPONDER = str(Account.from_key(RESPONDER_KEY).address)
PREIMAGE = b"\x42" * 32
NOW = 1_800_000_000
MARGIN, MIN_LOCK = 3_600, 600


def intent(**initiator: Any) -> sw.SwapIntent:
    first = sw.Leg(CHAIN_A, SWAPS_A, TOKEN_A, 100, INITIATOR, RESPONDER, NOW + 3 * MARGIN)
    second = sw.Leg(CHAIN_B, SWAPS_B, TOKEN_B, 700, RESPONDER, INITIATOR, NOW + 2 * MARGIN)
    return sw.SwapIntent(replace(first, **initiator), second, sw.hashlock(PREIMAGE))


def check(
    it: sw.SwapIntent,
    side: Side = Side.INITIATOR,
    now: int = NOW,
    chain_id: int | None = None,
    swaps: str | None = None,
    sender: str | None = None,
) -> None:
    """check_intent for the leg's own chain, contract and sender unless told otherwise."""
    leg = it.leg(side)
    sw.check_intent(
        it,
        side,
        chain_id=leg.chain_id if chain_id is None else chain_id,
        swaps=swaps or leg.swaps,
        sender=sender or leg.sender,
        now=now,
        safety_margin=MARGIN,
        min_lock_time=MIN_LOCK,
    )


def test_hashlock__preimage__its_sha256_and_32_bytes_only() -> None:
    assert sw.hashlock(PREIMAGE) == hashlib.sha256(PREIMAGE).digest()
    assert len(sw.new_preimage()) == 32
    assert sw.new_preimage() != sw.new_preimage()
    with pytest.raises(sw.SwapError, match="32 bytes"):
        sw.hashlock(b"\x42" * 31)


def test_sign_intent__each_side__recovers_its_counterparty_and_differs_by_domain() -> None:
    it = intent()

    by_responder = sw.sign_intent(it, Side.INITIATOR, RESPONDER_KEY)
    by_initiator = sw.sign_intent(it, Side.RESPONDER, INITIATOR_KEY)

    assert sw.signer(it, Side.INITIATOR, by_responder) == RESPONDER == it.counterparty(Side(0))
    assert sw.signer(it, Side.RESPONDER, by_initiator) == INITIATOR == it.counterparty(Side(1))
    assert sw.signer(it, Side.RESPONDER, by_responder) != RESPONDER  # another chain's domain
    assert it.digest(Side.INITIATOR) == eip712.digest(it.typed(Side.INITIATOR))
    assert it.digest(Side.RESPONDER) == eip712.digest(it.typed(Side.RESPONDER))


def test_swap_id__two_sides__two_ids_and_any_change_moves_them() -> None:
    it = intent()

    assert it.swap_id(Side.INITIATOR) != it.swap_id(Side.RESPONDER)
    assert intent(amount=101).swap_id(Side.INITIATOR) != it.swap_id(Side.INITIATOR)


def test_claim_args__right_preimage__id_preimage_and_terms() -> None:
    it = intent()

    swap_id, preimage, terms = sw.claim_args(it, Side.RESPONDER, PREIMAGE)

    assert (swap_id, preimage) == (it.swap_id(Side.RESPONDER), PREIMAGE)
    leg = it.responder
    assert terms == (leg.token, 700, RESPONDER, INITIATOR, sw.hashlock(PREIMAGE), leg.deadline)
    assert leg.token == to_checksum_address(TOKEN_B)
    assert sw.refund_args(it, Side.RESPONDER) == (it.swap_id(Side.RESPONDER), terms)


def test_claim_args__wrong_preimage__refused() -> None:
    with pytest.raises(sw.SwapError, match="does not open"):
        sw.claim_args(intent(), Side.INITIATOR, b"\x00" * 32)


@pytest.mark.parametrize(
    "field, value, match",
    [
        ("token", "0x1234", "not an address"),
        ("amount", -1, "not a uint256"),
        ("amount", 2**256, "not a uint256"),
        ("deadline", "soon", "not a uint256"),
        ("chain_id", True, "not a uint256"),
    ],
)
def test_leg__bad_field__refused_naming_it(field: str, value: object, match: str) -> None:
    with pytest.raises(sw.SwapError, match=match):
        intent(**{field: value})


def test_leg__lowercase_addresses__checksummed() -> None:
    leg = intent(receiver=RESPONDER.lower()).initiator

    assert leg.receiver == RESPONDER


def test_check_intent__sound_intent_either_side__passes() -> None:
    check(intent(), Side.INITIATOR)
    check(intent(), Side.RESPONDER)


@pytest.mark.parametrize(
    "it, side, where, error, match",
    [
        (intent(), Side.INITIATOR, {"chain_id": CHAIN_B}, sw.LegMismatch, "for chain"),
        (intent(), Side.INITIATOR, {"swaps": SWAPS_B}, sw.LegMismatch, "for Swaps at"),
        (intent(), Side.INITIATOR, {"sender": RESPONDER}, sw.LegMismatch, "to lock"),
        (intent(sender=RESPONDER), Side.INITIATOR, {}, sw.SwapError, "two parties"),
        (intent(receiver=sw.ZERO_ADDRESS), Side.INITIATOR, {}, sw.SwapError, "zero address"),
        (intent(amount=0), Side.INITIATOR, {}, sw.SwapError, "amount is zero"),
        (intent(deadline=NOW + 3 * MARGIN - 1), Side.RESPONDER, {}, sw.UnsafeDeadlines, "after"),
        (intent(deadline=NOW + MARGIN), Side.INITIATOR, {}, sw.UnsafeDeadlines, "after"),
    ],
)
def test_check_intent__what_the_contract_refuses__raises_naming_it(
    it: sw.SwapIntent, side: Side, where: dict[str, Any], error: type, match: str
) -> None:
    with pytest.raises(error, match=match):
        check(it, side, **where)


def test_check_intent__too_little_time_left__raises() -> None:
    it = intent()
    late = it.responder.deadline - MIN_LOCK + 1

    check(it, Side.RESPONDER, now=late - 1)
    with pytest.raises(sw.UnsafeDeadlines, match="leaves under 600 s"):
        check(it, Side.RESPONDER, now=late)


def test_as_arg__not_65_bytes__refused() -> None:
    with pytest.raises(sw.SwapError, match="65 bytes"):
        sw.as_arg(b"\x00" * 64)


def test_deploy_swaps__margin_out_of_bounds__refused_without_a_chain() -> None:
    with pytest.raises(sw.SwapError, match="safety margin"):
        deploy_swaps(object(), object(), 0, MIN_LOCK)
