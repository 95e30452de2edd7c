"""Attack: the council (or whoever controls it) changes the standard BPR agreement between
the moment a buyer reads it and its conversion, so the buyer's BPC is locked under terms it
never read.

Invariant: a conversion given the digest of the agreement the buyer read goes through only
while that agreement is in force; otherwise it reverts with a clear reason and takes
nothing. A conversion records the version it was made under (`bpr_agreement`)."""

from collections.abc import Callable
from typing import Any

import ape
from eth_utils.crypto import keccak

from tests.unit.licensing.helpers import AGREEMENT_CHANGED, BPR_AGREEMENT, ZERO

READ, CHANGED = keccak(b"BPR agreement the buyer read"), keccak(b"BPR agreement v2")


def test_convert__agreement_changed_after_the_buyer_read_it__reverts_and_locks_nothing(
    bpc: Any,
    bpr: Any,
    licensing: Any,
    pool_council: Any,
    provider: Any,
    pay_licensing: Callable[[Any, int], None],
) -> None:
    licensing.set_agreement(BPR_AGREEMENT, READ, sender=pool_council)
    read = licensing.agreement(BPR_AGREEMENT, licensing.agreement_version(BPR_AGREEMENT))
    price = licensing.price_of(provider)
    pay_licensing(provider, price)
    # the council changes the terms while the buyer's conversion is pending
    licensing.set_agreement(BPR_AGREEMENT, CHANGED, sender=pool_council)

    with ape.reverts(AGREEMENT_CHANGED):
        licensing.convert(read, sender=provider)

    assert bpr.balanceOf(provider) == 0
    assert bpc.balanceOf(provider) == price
    assert licensing.bpr_agreement(provider) == bytes(32)


def test_convert__agreement_in_force_given__records_its_version(
    licensing: Any,
    pool_council: Any,
    provider: Any,
    pay_licensing: Callable[[Any, int], None],
) -> None:
    licensing.set_agreement(BPR_AGREEMENT, READ, sender=pool_council)
    licensing.set_agreement(BPR_AGREEMENT, CHANGED, sender=pool_council)
    pay_licensing(provider, licensing.price_of(provider))

    tx = licensing.convert(CHANGED, sender=provider)

    assert licensing.bpr_agreement(provider) == CHANGED
    event = tx.events.filter(licensing.Converted)[0]
    assert event.agreement_version == 2


def test_convert__agreement_given_when_none_is_in_force__reverts(
    licensing: Any, provider: Any, pay_licensing: Callable[[Any, int], None]
) -> None:
    pay_licensing(provider, licensing.price_of(provider))

    with ape.reverts(AGREEMENT_CHANGED):
        licensing.convert(READ, sender=provider)


def test_convert__no_agreement_given__accepts_the_one_in_force(
    licensing: Any,
    pool_council: Any,
    provider: Any,
    pay_licensing: Callable[[Any, int], None],
) -> None:
    # the old call (no argument) keeps working and is made under the agreement in force
    licensing.set_agreement(BPR_AGREEMENT, READ, sender=pool_council)
    pay_licensing(provider, licensing.price_of(provider))

    licensing.convert(sender=provider)

    assert licensing.bpr_agreement(provider) == READ
    assert licensing.bpr_agreement(ZERO) == bytes(32)
