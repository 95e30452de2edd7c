"""Licensing.grant: the council gives an active non-profit member a free BPR."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind
from tests.fixtures.suite import IDENTITY
from tests.unit.licensing.helpers import (
    HOLDS_BPR,
    NOT_ACTIVE,
    NOT_OWNER,
    ONE,
    ONLY_NON_PROFITS,
    ZERO,
    kind_id,
)


def test_grant__active_non_profit__issues_a_bpr_backed_by_nothing_locked(
    bpc: Any, bpr: Any, licensing: Any, pool_council: Any, centre: Any
) -> None:
    tx = licensing.grant(centre, sender=pool_council)

    assert bpr.balanceOf(centre) == 1
    assert bpr.totalSupply() == 1
    assert licensing.granted(centre)
    assert licensing.grants() == 1
    assert licensing.conversions() == 0
    assert licensing.locked(centre) == 0
    assert licensing.unlocks_at(centre) == 0
    assert licensing.total_locked() == 0
    assert bpc.balanceOf(licensing) == 0
    assert tx.events.filter(licensing.Granted) == [
        licensing.Granted(holder=centre.address, coverage=licensing.snapshot_of(centre)[0])
    ]
    assert tx.events.filter(bpr.Transfer) == [
        bpr.Transfer(sender=ZERO, receiver=centre.address, value=1)
    ]


def test_grant__two_non_profits__counts_both(
    bpr: Any, licensing: Any, pool_council: Any, centre: Any, oracles: list[Any]
) -> None:
    licensing.grant(centre, sender=pool_council)
    licensing.grant(oracles[0], sender=pool_council)

    assert licensing.grants() == 2
    assert bpr.totalSupply() == 2


@pytest.fixture(params=["centre", "attacker", "provider"])
def grant_caller(request: pytest.FixtureRequest) -> Any:
    """Anyone but the council: the non-profit itself, an attacker, another member."""
    return request.getfixturevalue(request.param)


def test_grant__by_anyone_but_the_council__reverts(
    bpr: Any, licensing: Any, centre: Any, grant_caller: Any
) -> None:
    with ape.reverts(NOT_OWNER):
        licensing.grant(centre, sender=grant_caller)

    assert bpr.balanceOf(centre) == 0


@pytest.mark.parametrize(
    "kind", [Kind.START_UP, Kind.SME, Kind.LARGE_ENTERPRISE, Kind.INDIVIDUAL], ids=kind_id
)
def test_grant__member_of_a_paying_kind__reverts(
    bpr: Any, licensing: Any, pool_council: Any, members_by_kind: dict[Kind, Any], kind: Kind
) -> None:
    member = members_by_kind[kind]

    with ape.reverts(ONLY_NON_PROFITS):
        licensing.grant(member, sender=pool_council)

    assert bpr.balanceOf(member) == 0


def test_grant__non_member__reverts(licensing: Any, pool_council: Any, outsider: Any) -> None:
    with ape.reverts(NOT_ACTIVE):
        licensing.grant(outsider, sender=pool_council)


def test_grant__non_profit_applicant_not_yet_admitted__reverts(
    licensing: Any, pool_alliance: Any, pool_council: Any, licensee: Any
) -> None:
    pool_alliance.apply(int(Kind.NON_PROFIT), IDENTITY, sender=licensee)

    with ape.reverts(NOT_ACTIVE):
        licensing.grant(licensee, sender=pool_council)


@pytest.mark.parametrize("action", ["suspend", "expel"])
def test_grant__suspended_or_expelled_non_profit__reverts(
    licensing: Any, pool_alliance: Any, pool_council: Any, centre: Any, action: str
) -> None:
    getattr(pool_alliance, action)(centre, sender=pool_council)

    with ape.reverts(NOT_ACTIVE):
        licensing.grant(centre, sender=pool_council)


def test_grant__twice__reverts(bpr: Any, licensing: Any, pool_council: Any, granted: Any) -> None:
    with ape.reverts(HOLDS_BPR):
        licensing.grant(granted, sender=pool_council)

    assert bpr.balanceOf(granted) == 1
    assert licensing.grants() == 1


def test_grant__non_profit_that_converted__reverts(
    licensing: Any, pool_council: Any, centre: Any, convert_as: Callable[[Any], Any]
) -> None:
    licensing.set_tier(int(Kind.NON_PROFIT), ONE, sender=pool_council)
    convert_as(centre)

    with ape.reverts(HOLDS_BPR):
        licensing.grant(centre, sender=pool_council)

    assert not licensing.granted(centre)
    assert licensing.locked(centre) == ONE
