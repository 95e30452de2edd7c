"""Licensing's views: the published schedule, what each member would lock, and the locks."""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.fixtures.suite import IDENTITY
from tests.unit.licensing.helpers import ONE, PRICE_BY_KIND, kind_id


@pytest.mark.parametrize("kind", list(Kind), ids=kind_id)
def test_price_of__member_of_each_kind__is_its_published_tier(
    licensing: Any, members_by_kind: dict[Kind, Any], kind: Kind
) -> None:
    assert licensing.price_of(members_by_kind[kind]) == PRICE_BY_KIND[kind]


def test_price_of__members_of_the_same_kind__pay_the_same(
    licensing: Any, centre: Any, oracles: list[Any], experts: list[Any]
) -> None:
    assert {licensing.price_of(e) for e in experts} == {LICENSING.individual}
    assert {licensing.price_of(m) for m in [centre, *oracles]} == {0}


@pytest.fixture(params=["licensee", "attacker", "outsider"])
def never_applied(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(request.param)


def test_price_of__address_that_never_applied__is_zero(licensing: Any, never_applied: Any) -> None:
    assert licensing.price_of(never_applied) == 0


def test_price_of__applicant_not_yet_admitted__is_zero(
    licensing: Any, pool_alliance: Any, licensee: Any
) -> None:
    pool_alliance.apply(int(Kind.START_UP), IDENTITY, sender=licensee)

    assert licensing.price_of(licensee) == 0


def test_price_of__expelled_member__is_zero(
    licensing: Any, pool_alliance: Any, pool_council: Any, provider: Any
) -> None:
    pool_alliance.expel(provider, sender=pool_council)

    assert licensing.price_of(provider) == 0


@pytest.mark.parametrize(
    "share_bps, price",
    [(0, 500 * ONE), (5_000, 1_000 * ONE), (10_000, 1_500 * ONE)],
    ids=["no_share", "half_the_market", "whole_market"],
)
def test_price_of__large_enterprise_after_a_market_share_change__follows_the_share(
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    enterprise: Any,
    share_bps: int,
    price: int,
) -> None:
    pool_alliance.set_market_share(enterprise, share_bps, sender=pool_council)

    assert licensing.price_of(enterprise) == price


def test_schedule__session_deployment__reads_back_the_published_tiers(licensing: Any) -> None:
    assert [licensing.tier_price(int(k)) for k in Kind] == LICENSING.tiers()
    assert licensing.tier_price(0) == 0
    assert licensing.large_enterprise_price_per_bps() == LICENSING.large_enterprise_per_bps
    assert licensing.min_term() == LICENSING.min_term


def test_holdings__before_anything__are_empty(licensing: Any, provider: Any, centre: Any) -> None:
    assert (licensing.total_locked(), licensing.conversions(), licensing.grants()) == (0, 0, 0)
    assert (licensing.locked(provider), licensing.unlocks_at(provider)) == (0, 0)
    assert not licensing.granted(centre)


def test_holdings__after_a_conversion_and_a_grant__read_each_holders_record(
    licensing: Any,
    provider: Any,
    provider2: Any,
    granted: Any,
    convert_as: Callable[[Any], Any],
) -> None:
    tx = convert_as(provider)

    assert (licensing.locked(provider), licensing.unlocks_at(provider)) == (
        LICENSING.start_up,
        tx.timestamp + LICENSING.min_term,
    )
    assert not licensing.granted(provider)
    assert (licensing.locked(granted), licensing.granted(granted)) == (0, True)
    assert licensing.locked(provider2) == 0
    assert (licensing.total_locked(), licensing.conversions(), licensing.grants()) == (
        LICENSING.start_up,
        1,
        1,
    )
