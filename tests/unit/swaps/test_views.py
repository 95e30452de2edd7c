"""Swaps' views: `intent_digest` (what a counterparty signs), `swap_id`, `commitment` and
`status`, each pinned to bpsa.core.swaps, the Python side the coordinator and the parties use;
and the Python digest pinned to a generic EIP-712 encoder over `SwapIntent.typed`."""

from typing import Any

import pytest
from eth_utils.crypto import keccak

from bpsa.core import eip712
from bpsa.core import swaps as sw
from bpsa.core.swaps import Side, Status
from tests.fixtures.swaps import HASHLOCK, PREIMAGE, SwapDriver
from tests.unit.swaps.conftest import Locked


def test_intent_type__type_strings__as_eip712_composes_them() -> None:
    assert sw.INTENT_TYPE == (
        "SwapIntent(Leg initiator,Leg responder,bytes32 hashlock)"
        "Leg(uint256 chainId,address swaps,address token,uint256 amount,address sender,"
        "address receiver,uint256 deadline)"
    )
    assert keccak(text=sw.INTENT_TYPE) == sw.INTENT_TYPEHASH


@pytest.mark.parametrize("side", [Side.INITIATOR, Side.RESPONDER])
def test_intent_digest__leg_here__equals_pythons_and_the_generic_encoders(
    swaps: Any, swap_driver: SwapDriver, side: Side
) -> None:
    intent = swap_driver.intent(side)

    onchain = bytes(swaps.intent_digest(intent.as_arg()))

    assert onchain == intent.digest(side)
    assert onchain == eip712.digest(intent.typed(side))
    assert onchain != intent.digest(side.other)  # the other leg is signed in its own domain


def test_intent_digest__any_field_changed__changes(swaps: Any, swap_driver: SwapDriver) -> None:
    intent = swap_driver.intent()
    changed = swap_driver.intent(responder={"deadline": intent.responder.deadline - 1})

    assert swaps.intent_digest(changed.as_arg()) != swaps.intent_digest(intent.as_arg())
    assert bytes(swaps.intent_digest(changed.as_arg())) == changed.digest(Side.INITIATOR)


@pytest.mark.parametrize("side", [Side.INITIATOR, Side.RESPONDER])
def test_swap_id__each_side__equals_pythons(
    swaps: Any, swap_driver: SwapDriver, side: Side
) -> None:
    intent = swap_driver.intent()

    assert bytes(swaps.swap_id(intent.as_arg(), int(side))) == intent.swap_id(side)


def test_commitment__locked_swap__what_commitments_holds(swaps: Any, locked: Locked) -> None:
    terms = locked.intent.terms(Side.INITIATOR)

    assert bytes(swaps.commitment(terms.as_arg())) == terms.commitment()
    assert bytes(swaps.commitments(locked.id)) == terms.commitment()


def test_status__never_locked__none(swaps: Any, local_intent: Any) -> None:
    assert swaps.status(local_intent.swap_id(Side.INITIATOR)) == Status.NONE


def test_terms_from_event__locked_event__the_terms_a_claim_repeats(
    swaps: Any, swap_driver: SwapDriver, swap_responder: Any, locked: Locked
) -> None:
    terms = sw.Terms.from_event(locked.tx.events.filter(swaps.Locked)[0])

    assert terms == locked.intent.terms(Side.INITIATOR)
    assert terms.hashlock == HASHLOCK == sw.hashlock(PREIMAGE)
    swaps.claim(locked.id, PREIMAGE, terms.as_arg(), sender=swap_responder)
    assert swaps.status(locked.id) == Status.CLAIMED
