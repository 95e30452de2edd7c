"""Licensing.revoke: the council ends an expelled member's BPR and returns its lock."""

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


def test_revoke__expelled_converted_holder__burns_the_bpr_and_returns_its_lock(
    bpc: Any,
    bpr: Any,
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    converted: Any,
) -> None:
    pool_alliance.expel(converted, sender=pool_council)

    tx = licensing.revoke(converted, sender=pool_council)  # within its minimum term

    assert_lock_returned(tx, licensing.Revoked, bpc, bpr, licensing, converted)


def test_revoke__expelled_grantee__burns_the_bpr_and_returns_nothing(
    bpc: Any,
    bpr: Any,
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    granted: Any,
) -> None:
    pool_alliance.expel(granted, sender=pool_council)

    tx = licensing.revoke(granted, sender=pool_council)

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
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    converted: Any,
    granted: Any,
) -> None:
    pool_alliance.expel(converted, sender=pool_council)

    licensing.revoke(converted, sender=pool_council)

    assert licensing.grants() == 1
    assert licensing.granted(granted)


def test_revoke__by_anyone_but_the_council__reverts(
    bpr: Any,
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    converted: Any,
    attacker: Any,
) -> None:
    pool_alliance.expel(converted, sender=pool_council)

    with ape.reverts(NOT_OWNER):
        licensing.revoke(converted, sender=attacker)

    assert bpr.balanceOf(converted) == 1


def test_revoke__active_holder__reverts(
    bpr: Any, licensing: Any, pool_council: Any, converted: Any
) -> None:
    with ape.reverts(ONLY_EXPELLED):
        licensing.revoke(converted, sender=pool_council)

    assert bpr.balanceOf(converted) == 1
    assert licensing.locked(converted) == LICENSING.start_up


def test_revoke__suspended_holder__reverts(
    licensing: Any, pool_alliance: Any, pool_council: Any, granted: Any
) -> None:
    pool_alliance.suspend(granted, sender=pool_council)

    with ape.reverts(ONLY_EXPELLED):
        licensing.revoke(granted, sender=pool_council)


@pytest.fixture(params=["outsider", "licensee"])
def never_admitted(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(request.param)


def test_revoke__non_member__reverts(
    licensing: Any, pool_council: Any, never_admitted: Any
) -> None:
    with ape.reverts(ONLY_EXPELLED):
        licensing.revoke(never_admitted, sender=pool_council)


def test_revoke__expelled_member_without_a_bpr__reverts(
    licensing: Any, pool_alliance: Any, pool_council: Any, provider: Any
) -> None:
    pool_alliance.expel(provider, sender=pool_council)

    with ape.reverts(HOLDS_NO_BPR):
        licensing.revoke(provider, sender=pool_council)


def test_revoke__twice__reverts(
    licensing: Any, pool_alliance: Any, pool_council: Any, converted: Any
) -> None:
    pool_alliance.expel(converted, sender=pool_council)
    licensing.revoke(converted, sender=pool_council)

    with ape.reverts(HOLDS_NO_BPR):
        licensing.revoke(converted, sender=pool_council)


def test_revoke__after_the_holder_released__reverts(
    chain: Any, licensing: Any, pool_alliance: Any, pool_council: Any, converted: Any
) -> None:
    chain.pending_timestamp += LICENSING.min_term
    licensing.release(sender=converted)
    pool_alliance.expel(converted, sender=pool_council)

    with ape.reverts(HOLDS_NO_BPR):
        licensing.revoke(converted, sender=pool_council)
