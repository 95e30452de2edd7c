"""Licensing.revoke: the council ends an expelled member's BPR and returns its lock."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.fixtures.licensing import LICENSING
from tests.unit.licensing.helpers import (
    HOLDS_NO_BPR,
    NOT_OWNER,
    ONLY_EXPELLED,
    assert_lock_returned,
)

Act = Callable[[Any], Any]


@pytest.fixture
def expel(pool_alliance: Any, pool_council: Any) -> Act:
    """Has the council expel a member from the alliance."""
    return lambda member: pool_alliance.expel(member, sender=pool_council)


@pytest.fixture
def council_revokes(licensing: Any, pool_council: Any) -> Act:
    """Has the council revoke a member's BPR; returns the receipt."""
    return lambda member: licensing.revoke(member, sender=pool_council)


def test_revoke__expelled_converted_holder__burns_the_bpr_and_returns_its_lock(
    bpc: Any, bpr: Any, licensing: Any, expel: Act, council_revokes: Act, converted: Any
) -> None:
    expel(converted)

    tx = council_revokes(converted)  # within its minimum term

    assert_lock_returned(tx, licensing.Revoked, bpc, bpr, licensing, converted)


def test_revoke__expelled_grantee__burns_the_bpr_and_returns_nothing(
    bpc: Any, bpr: Any, licensing: Any, expel: Act, council_revokes: Act, granted: Any
) -> None:
    expel(granted)

    tx = council_revokes(granted)

    assert bpr.balanceOf(granted) == 0
    assert not licensing.granted(granted)
    assert licensing.grants() == 0
    assert licensing.conversions() == 0
    assert bpc.balanceOf(granted) == 0
    assert tx.events.filter(licensing.Revoked) == [
        licensing.Revoked(holder=granted.address, returned=0)
    ]
    assert tx.events.filter(bpc.Transfer) == []


def test_revoke__one_expelled_among_holders__leaves_the_others(
    licensing: Any, expel: Act, council_revokes: Act, converted: Any, granted: Any
) -> None:
    expel(converted)

    council_revokes(converted)

    assert licensing.grants() == 1
    assert licensing.granted(granted)


def test_revoke__by_anyone_but_the_council__reverts(
    bpr: Any, licensing: Any, expel: Act, converted: Any, attacker: Any
) -> None:
    expel(converted)

    with ape.reverts(NOT_OWNER):
        licensing.revoke(converted, sender=attacker)

    assert bpr.balanceOf(converted) == 1


def test_revoke__active_holder__reverts(
    bpr: Any, licensing: Any, council_revokes: Act, converted: Any
) -> None:
    with ape.reverts(ONLY_EXPELLED):
        council_revokes(converted)

    assert bpr.balanceOf(converted) == 1
    assert licensing.locked(converted) == LICENSING.start_up


def test_revoke__suspended_holder__reverts(
    pool_alliance: Any, pool_council: Any, council_revokes: Act, granted: Any
) -> None:
    pool_alliance.suspend(granted, sender=pool_council)

    with ape.reverts(ONLY_EXPELLED):
        council_revokes(granted)


@pytest.fixture(params=["outsider", "licensee"])
def never_admitted(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(request.param)


def test_revoke__non_member__reverts(council_revokes: Act, never_admitted: Any) -> None:
    with ape.reverts(ONLY_EXPELLED):
        council_revokes(never_admitted)


def test_revoke__expelled_member_without_a_bpr__reverts(
    expel: Act, council_revokes: Act, provider: Any
) -> None:
    expel(provider)

    with ape.reverts(HOLDS_NO_BPR):
        council_revokes(provider)


def test_revoke__twice__reverts(expel: Act, council_revokes: Act, converted: Any) -> None:
    expel(converted)
    council_revokes(converted)

    with ape.reverts(HOLDS_NO_BPR):
        council_revokes(converted)


def test_revoke__after_the_holder_released__reverts(
    chain: Any, licensing: Any, expel: Act, council_revokes: Act, converted: Any
) -> None:
    chain.pending_timestamp += LICENSING.min_term
    licensing.release(sender=converted)
    expel(converted)

    with ape.reverts(HOLDS_NO_BPR):
        council_revokes(converted)
