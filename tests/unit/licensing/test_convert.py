"""Licensing.convert: an active member locks exactly its tier's BPC for one BPR."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.fixtures.suite import IDENTITY
from tests.unit.licensing.helpers import (
    HOLDS_BPR,
    NO_ALLOWANCE,
    NO_BALANCE,
    NO_TIER,
    NOT_ACTIVE,
    ONE,
    PAYING_KINDS,
    PRICE_BY_KIND,
    ZERO,
    kind_id,
)


@pytest.mark.parametrize("kind", PAYING_KINDS, ids=kind_id)
def test_convert__active_member_of_each_paying_kind__locks_exactly_its_tier_price(
    bpc: Any,
    bpr: Any,
    licensing: Any,
    members_by_kind: dict[Kind, Any],
    pay_licensing: Callable[[Any, int], None],
    kind: Kind,
) -> None:
    member, price = members_by_kind[kind], PRICE_BY_KIND[kind]
    pay_licensing(member, price + ONE)  # more than the price: takes the price

    tx = licensing.convert(sender=member)

    assert tx.return_value == price
    assert bpc.balanceOf(member) == ONE
    assert bpc.balanceOf(licensing) == price
    assert bpc.allowance(member, licensing) == ONE
    assert bpr.balanceOf(member) == 1
    assert licensing.locked(member) == price
    assert licensing.unlocks_at(member) == tx.timestamp + LICENSING.min_term
    assert not licensing.granted(member)
    assert licensing.total_locked() == price
    assert licensing.conversions() == 1
    assert licensing.grants() == 0
    assert tx.events.filter(licensing.Converted) == [
        licensing.Converted(
            holder=member.address,
            kind=int(kind),
            locked=price,
            coverage=licensing.snapshot_of(member)[0],
        )
    ]
    assert tx.events.filter(bpr.Transfer) == [
        bpr.Transfer(sender=ZERO, receiver=member.address, value=1)
    ]
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=member.address, receiver=licensing.address, value=price)
    ]


@pytest.mark.parametrize(
    "share_bps, price",
    [(0, 500 * ONE), (1, 500 * ONE + ONE // 10), (10_000, 1_500 * ONE)],
    ids=["no_share", "one_bps", "whole_market"],
)
def test_convert__large_enterprise__pays_its_tier_plus_its_market_share(
    bpc: Any,
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    enterprise: Any,
    pay_licensing: Callable[[Any, int], None],
    share_bps: int,
    price: int,
) -> None:
    pool_alliance.set_market_share(enterprise, share_bps, sender=pool_council)
    pay_licensing(enterprise, 2_000 * ONE)

    tx = licensing.convert(sender=enterprise)

    assert tx.return_value == price
    assert licensing.locked(enterprise) == price
    assert bpc.balanceOf(enterprise) == 2_000 * ONE - price


def test_convert__two_members__add_up_their_locks(
    bpc: Any,
    licensing: Any,
    provider: Any,
    enterprise: Any,
    convert_as: Callable[[Any], Any],
) -> None:
    convert_as(provider)
    convert_as(enterprise)

    assert licensing.locked(provider) == LICENSING.start_up
    assert licensing.locked(enterprise) == PRICE_BY_KIND[Kind.LARGE_ENTERPRISE]
    total = LICENSING.start_up + PRICE_BY_KIND[Kind.LARGE_ENTERPRISE]
    assert licensing.total_locked() == total
    assert bpc.balanceOf(licensing) == total
    assert licensing.conversions() == 2


@pytest.fixture(params=["licensee", "attacker", "outsider"])
def non_member(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(request.param)


def test_convert__non_member_with_bpc_and_allowance__reverts(
    bpr: Any, licensing: Any, pay_licensing: Callable[[Any, int], None], non_member: Any
) -> None:
    caller = non_member
    pay_licensing(caller, 1_000 * ONE)

    with ape.reverts(NOT_ACTIVE):
        licensing.convert(sender=caller)

    assert bpr.balanceOf(caller) == 0


def test_convert__applicant_not_yet_admitted__reverts(
    licensing: Any, pool_alliance: Any, licensee: Any, pay_licensing: Callable[[Any, int], None]
) -> None:
    pool_alliance.apply(int(Kind.START_UP), IDENTITY, sender=licensee)
    pay_licensing(licensee, LICENSING.start_up)

    with ape.reverts(NOT_ACTIVE):
        licensing.convert(sender=licensee)


@pytest.mark.parametrize("action", ["suspend", "expel"])
def test_convert__suspended_or_expelled_member__reverts(
    bpr: Any,
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    provider: Any,
    pay_licensing: Callable[[Any, int], None],
    action: str,
) -> None:
    getattr(pool_alliance, action)(provider, sender=pool_council)
    pay_licensing(provider, LICENSING.start_up)

    with ape.reverts(NOT_ACTIVE):
        licensing.convert(sender=provider)

    assert bpr.balanceOf(provider) == 0


def test_convert__reinstated_member__converts_again(
    bpc: Any,
    bpr: Any,
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    provider: Any,
    convert_as: Callable[[Any], Any],
) -> None:
    pool_alliance.suspend(provider, sender=pool_council)
    pool_alliance.reinstate(provider, sender=pool_council)

    convert_as(provider)

    assert bpr.balanceOf(provider) == 1


def test_convert__second_time_while_holding__reverts(
    bpr: Any, licensing: Any, converted: Any, pay_licensing: Callable[[Any, int], None]
) -> None:
    pay_licensing(converted, LICENSING.start_up)

    with ape.reverts(HOLDS_BPR):
        licensing.convert(sender=converted)

    assert bpr.balanceOf(converted) == 1
    assert licensing.locked(converted) == LICENSING.start_up
    assert licensing.conversions() == 1


def test_convert__non_profit_holding_a_grant__reverts(licensing: Any, granted: Any) -> None:
    with ape.reverts(HOLDS_BPR):
        licensing.convert(sender=granted)


def test_convert__non_profit_once_the_council_prices_its_tier__locks_that_price(
    bpc: Any,
    licensing: Any,
    pool_council: Any,
    centre: Any,
    convert_as: Callable[[Any], Any],
) -> None:
    licensing.set_tier(int(Kind.NON_PROFIT), 3 * ONE, sender=pool_council)

    tx = convert_as(centre)

    assert tx.return_value == 3 * ONE
    assert licensing.locked(centre) == 3 * ONE


# A member whose tier is zero, the tier the council closed (None: the non-profit tier is
# zero from deploy) and what it is paid. A closed tier stays closed: the share rate never
# prices a large enterprise whose tier the council closed.
AT_TIER_ZERO = [
    pytest.param("centre", None, 1_000 * ONE, id="non_profit_at_tier_zero"),
    pytest.param("provider", Kind.START_UP, LICENSING.start_up, id="kind_closed_by_the_council"),
    pytest.param(
        "enterprise",
        Kind.LARGE_ENTERPRISE,
        1_000 * ONE,
        id="large_enterprise_tier_closed_despite_a_share",
    ),
]


@pytest.mark.parametrize(("member", "closed", "paid"), AT_TIER_ZERO)
def test_convert__tier_at_zero__reverts(
    licensing: Any,
    pool_council: Any,
    pay_licensing: Callable[[Any, int], None],
    centre: Any,
    provider: Any,
    enterprise: Any,
    member: str,
    closed: Kind | None,
    paid: int,
) -> None:
    converter = {"centre": centre, "provider": provider, "enterprise": enterprise}[member]
    if closed is not None:
        licensing.set_tier(int(closed), 0, sender=pool_council)
    pay_licensing(converter, paid)

    with ape.reverts(NO_TIER):
        licensing.convert(sender=converter)


PRICE = LICENSING.start_up  # the provider's


@pytest.mark.parametrize(
    ("held", "approved", "reason"),
    [
        pytest.param(PRICE, 0, NO_ALLOWANCE, id="without_allowance"),
        pytest.param(PRICE, PRICE - 1, NO_ALLOWANCE, id="allowance_one_wei_short"),
        pytest.param(PRICE - 1, PRICE, NO_BALANCE, id="balance_one_wei_short"),
    ],
)
def test_convert__payment_short__reverts_with_bpcs_reason(
    bpc: Any,
    bpr: Any,
    licensing: Any,
    provider: Any,
    fund_bpc: Any,
    held: int,
    approved: int,
    reason: str,
) -> None:
    fund_bpc(provider, held)
    if approved:
        bpc.approve(licensing, approved, sender=provider)

    with ape.reverts(reason):
        licensing.convert(sender=provider)

    assert bpr.balanceOf(provider) == 0
    assert licensing.total_locked() == 0


def test_convert__tier_raised_afterwards__keeps_the_lock_made(
    chain: Any,
    bpc: Any,
    licensing: Any,
    pool_council: Any,
    converted: Any,
) -> None:
    licensing.set_tier(int(Kind.START_UP), 40 * ONE, sender=pool_council)

    assert licensing.locked(converted) == LICENSING.start_up
    assert licensing.total_locked() == LICENSING.start_up
    chain.pending_timestamp += LICENSING.min_term
    assert licensing.release(sender=converted).return_value == LICENSING.start_up
    assert bpc.balanceOf(converted) == LICENSING.start_up


def test_convert__market_share_raised_afterwards__keeps_the_lock_made(
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    enterprise: Any,
    convert_as: Callable[[Any], Any],
) -> None:
    convert_as(enterprise)

    pool_alliance.set_market_share(enterprise, 10_000, sender=pool_council)

    assert licensing.locked(enterprise) == PRICE_BY_KIND[Kind.LARGE_ENTERPRISE]
    assert licensing.price_of(enterprise) == 1_500 * ONE
