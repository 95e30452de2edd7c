"""Licensing.release: after the minimum term a converted BPR ends and its lock comes back."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.unit.licensing.helpers import (
    NOTHING_TO_RELEASE,
    ONE,
    TERM_NOT_OVER,
    YEAR,
    assert_lock_returned,
)


def test_release__exactly_at_the_minimum_term__burns_the_bpr_and_returns_the_lock(
    chain: Any, bpc: Any, bpr: Any, licensing: Any, converted: Any
) -> None:
    chain.pending_timestamp = licensing.unlocks_at(converted)

    tx = licensing.release(sender=converted)

    assert tx.return_value == LICENSING.start_up
    assert_lock_returned(tx, licensing.Released, bpc, bpr, licensing, converted)


def test_release__one_second_before_the_minimum_term__reverts(
    chain: Any, bpr: Any, licensing: Any, converted: Any
) -> None:
    chain.pending_timestamp = licensing.unlocks_at(converted) - 1

    with ape.reverts(TERM_NOT_OVER):
        licensing.release(sender=converted)

    assert bpr.balanceOf(converted) == 1
    assert licensing.locked(converted) == LICENSING.start_up


def test_release__right_after_converting__reverts(licensing: Any, converted: Any) -> None:
    with ape.reverts(TERM_NOT_OVER):
        licensing.release(sender=converted)


def test_release__years_after_the_term__returns_the_same_lock(
    chain: Any, bpc: Any, licensing: Any, converted: Any
) -> None:
    chain.pending_timestamp += 5 * YEAR

    assert licensing.release(sender=converted).return_value == LICENSING.start_up
    assert bpc.balanceOf(converted) == LICENSING.start_up


def test_release__one_of_two_holders__leaves_the_other_locked(
    chain: Any,
    bpc: Any,
    licensing: Any,
    converted: Any,
    provider2: Any,
    convert_as: Callable[[Any], Any],
) -> None:
    convert_as(provider2)
    chain.pending_timestamp += LICENSING.min_term

    licensing.release(sender=converted)

    assert licensing.locked(provider2) == LICENSING.sme
    assert licensing.total_locked() == LICENSING.sme
    assert bpc.balanceOf(licensing) == LICENSING.sme
    assert licensing.conversions() == 1


def test_release__granted_bpr__reverts(chain: Any, bpr: Any, licensing: Any, granted: Any) -> None:
    chain.pending_timestamp += LICENSING.min_term

    with ape.reverts(NOTHING_TO_RELEASE):
        licensing.release(sender=granted)

    assert bpr.balanceOf(granted) == 1
    assert licensing.grants() == 1


@pytest.fixture(params=["provider", "outsider", "released"])
def nothing_locked(
    request: pytest.FixtureRequest, chain: Any, licensing: Any, provider: Any, outsider: Any
) -> Any:
    """A member that never converted (`provider`), an address that is no member at all
    (`outsider`), and a holder that released its lock already (`released`)."""
    if request.param != "released":
        return {"provider": provider, "outsider": outsider}[request.param]
    holder = request.getfixturevalue("converted")
    chain.pending_timestamp += LICENSING.min_term
    licensing.release(sender=holder)
    return holder


def test_release__nothing_locked__reverts(licensing: Any, nothing_locked: Any) -> None:
    with ape.reverts(NOTHING_TO_RELEASE):
        licensing.release(sender=nothing_locked)


def test_release__then_convert_again__locks_the_current_price_from_now(
    chain: Any,
    bpc: Any,
    licensing: Any,
    pool_council: Any,
    converted: Any,
    fund_bpc: Any,
) -> None:
    licensing.set_tier(int(Kind.START_UP), 40 * ONE, sender=pool_council)
    chain.pending_timestamp += LICENSING.min_term
    licensing.release(sender=converted)
    fund_bpc(converted, 20 * ONE)  # 20 BPC back from the release, 20 more for the new price
    bpc.approve(licensing, 40 * ONE, sender=converted)

    tx = licensing.convert(sender=converted)

    assert tx.return_value == 40 * ONE
    assert licensing.locked(converted) == 40 * ONE
    assert licensing.unlocks_at(converted) == tx.timestamp + LICENSING.min_term
    assert licensing.total_locked() == 40 * ONE
    assert licensing.conversions() == 1
    assert bpc.balanceOf(converted) == 0


@pytest.mark.parametrize("action", ["suspend", "expel"])
def test_release__holder_suspended_or_expelled__still_gets_its_lock_back(
    chain: Any,
    bpc: Any,
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    converted: Any,
    action: str,
) -> None:
    """Membership gates conversion, not the return of a member's own BPC."""
    getattr(pool_alliance, action)(converted, sender=pool_council)
    chain.pending_timestamp += LICENSING.min_term

    assert licensing.release(sender=converted).return_value == LICENSING.start_up
    assert bpc.balanceOf(converted) == LICENSING.start_up
