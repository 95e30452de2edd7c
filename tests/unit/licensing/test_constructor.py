"""Licensing.__init__: the first schedule is published and bounded (its wiring and owner:
tests/unit/test_wiring.py)."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.unit.licensing.helpers import (
    MIN_TERM_MAX,
    PRICE_ABOVE,
    RATE_ABOVE,
    RATE_MAX,
    TERM_ABOVE,
    TIER_MAX,
    ZERO,
    deploy_licensing_raw,
)


def test_constructor__a_schedule__reads_back_and_logs_every_entry(
    chain: Any, project: Any, deployer: Any, collection_addresses: dict[str, Any], pool_council: Any
) -> None:
    tiers = [1, 2, 3, 4, 5]

    desk = deploy_licensing_raw(
        project,
        deployer,
        collection_addresses,
        tier_prices=tiers,
        large_enterprise_price_per_bps=6,
        min_term=7,
    )

    assert [desk.tier_price(int(k)) for k in Kind] == tiers
    assert desk.large_enterprise_price_per_bps() == 6
    assert desk.min_term() == 7
    assert desk.owner() == pool_council.address
    assert (desk.total_locked(), desk.conversions(), desk.grants()) == (0, 0, 0)
    events = chain.get_receipt(desk.txn_hash).events
    assert events.filter(desk.TierSet) == [
        desk.TierSet(kind=int(k), price=p) for k, p in zip(Kind, tiers, strict=True)
    ]
    assert events.filter(desk.LargeEnterpriseRateSet) == [
        desk.LargeEnterpriseRateSet(price_per_bps=6)
    ]
    assert events.filter(desk.MinTermSet) == [desk.MinTermSet(min_term=7)]
    assert events.filter(desk.OwnershipTransferred)[-1].new_owner == pool_council.address


def test_constructor__every_bound_at_its_cap__accepted(
    project: Any, deployer: Any, collection_addresses: dict[str, Any]
) -> None:
    desk = deploy_licensing_raw(
        project,
        deployer,
        collection_addresses,
        tier_prices=[TIER_MAX] * 5,
        large_enterprise_price_per_bps=RATE_MAX,
        min_term=MIN_TERM_MAX,
    )

    assert desk.tier_price(int(Kind.INDIVIDUAL)) == TIER_MAX
    assert desk.large_enterprise_price_per_bps() == RATE_MAX
    assert desk.min_term() == MIN_TERM_MAX


def test_constructor__zero_council__reverts(
    project: Any, deployer: Any, collection_addresses: dict[str, Any]
) -> None:
    with ape.reverts("licensing: council is the zero address"):
        deploy_licensing_raw(project, deployer, collection_addresses, council=ZERO)


@pytest.mark.parametrize("kind", list(Kind), ids=lambda k: k.name.lower())
def test_constructor__a_tier_above_10_30__reverts(
    project: Any, deployer: Any, collection_addresses: dict[str, Any], kind: Kind
) -> None:
    tiers = LICENSING.tiers()
    tiers[int(kind) - 1] = TIER_MAX + 1

    with ape.reverts(PRICE_ABOVE):
        deploy_licensing_raw(project, deployer, collection_addresses, tier_prices=tiers)


def test_constructor__rate_above_the_cap__reverts(
    project: Any, deployer: Any, collection_addresses: dict[str, Any]
) -> None:
    with ape.reverts(RATE_ABOVE):
        deploy_licensing_raw(
            project, deployer, collection_addresses, large_enterprise_price_per_bps=RATE_MAX + 1
        )


def test_constructor__term_above_ten_years__reverts(
    project: Any, deployer: Any, collection_addresses: dict[str, Any]
) -> None:
    with ape.reverts(TERM_ABOVE):
        deploy_licensing_raw(project, deployer, collection_addresses, min_term=MIN_TERM_MAX + 1)
