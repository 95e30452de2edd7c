"""Royalties.change_weight: only the pool moves a patent's weight (pooled, re-rated,
removed or expired); the contributor's weight moves, and with a named centre the centre's
managed weight and the contributor's delegated weight move with it."""

from typing import Any

import ape

from bpsa.core.codes import Removal
from tests.fixtures.pool import PARAMS, REASONING, PoolDriver
from tests.unit.royalties.conftest import PATENT
from tests.unit.royalties.helpers import ZERO


def test_change_weight__pool_pools_a_patent__contributor_and_centre_gain_its_score(
    driver: PoolDriver, royalties: Any, provider: Any, centre: Any
) -> None:
    driver.pooled(provider, PATENT, score=80, centre=centre)

    assert royalties.contributor_weight(provider) == royalties.total_contributor_weight() == 80
    assert royalties.centre_weight(centre) == royalties.delegated_weight(provider) == 80
    assert royalties.contributor_weight(centre) == royalties.delegated_weight(centre) == 0


def test_change_weight__pool_pools__logs_weight_changed(
    driver: PoolDriver,
    patent_pool: Any,
    royalties: Any,
    pool_council: Any,
    provider: Any,
    centre: Any,
) -> None:
    patent = driver.submit(provider, PATENT, centre=centre)
    driver.mandate(patent, provider, centre)
    driver.certify(provider, PATENT)
    driver.rate(patent, 80)

    tx = patent_pool.pool(patent, sender=pool_council)

    assert tx.events.filter(royalties.WeightChanged) == [
        royalties.WeightChanged(
            contributor=provider.address, centre=centre.address, old_weight=0, new_weight=80
        )
    ]


def test_change_weight__patent_without_centre__its_contributor_manages_it(
    driver: PoolDriver, royalties: Any, provider: Any, centre: Any
) -> None:
    driver.pooled(provider, PATENT, score=80)

    assert royalties.contributor_weight(provider) == royalties.total_contributor_weight() == 80
    assert royalties.delegated_weight(provider) == 0  # it keeps the centre part too
    assert royalties.centre_weight(centre) == 0
    assert royalties.centre_weight(ZERO) == royalties.contributor_weight(ZERO) == 0


def test_change_weight__contributor_names_itself_centre__manages_it_itself(
    royalties: Any, provider2: Any, self_managed: bytes
) -> None:
    assert royalties.contributor_weight(provider2) == 60
    assert royalties.centre_weight(provider2) == royalties.delegated_weight(provider2) == 0


def test_change_weight__pool_re_rates__weight_follows_the_new_score(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    royalties: Any,
    experts: list[Any],
    provider: Any,
    centre: Any,
    pooled: bytes,
) -> None:
    chain.pending_timestamp += PARAMS.rerate_interval
    patent_pool.rate(pooled, 70, 10**18, REASONING, sender=experts[0])
    patent_pool.rate(pooled, 70, 10**18, REASONING, sender=experts[1])

    tx = patent_pool.rate(pooled, 70, 10**18, REASONING, sender=experts[2])

    assert tx.events.filter(royalties.WeightChanged) == [
        royalties.WeightChanged(
            contributor=provider.address, centre=centre.address, old_weight=80, new_weight=70
        )
    ]
    assert royalties.contributor_weight(provider) == royalties.total_contributor_weight() == 70
    assert royalties.centre_weight(centre) == royalties.delegated_weight(provider) == 70


def test_change_weight__pool_removes__weights_back_to_zero(
    patent_pool: Any,
    royalties: Any,
    pool_council: Any,
    provider: Any,
    centre: Any,
    pooled: bytes,
) -> None:
    tx = patent_pool.remove(pooled, int(Removal.TRANSFERRED), sender=pool_council)

    assert tx.events.filter(royalties.WeightChanged) == [
        royalties.WeightChanged(
            contributor=provider.address, centre=centre.address, old_weight=80, new_weight=0
        )
    ]
    assert royalties.contributor_weight(provider) == royalties.total_contributor_weight() == 0
    assert royalties.centre_weight(centre) == royalties.delegated_weight(provider) == 0


def test_change_weight__attacker__reverts(royalties: Any, attacker: Any, centre: Any) -> None:
    with ape.reverts("royalties: only the pool changes weights"):
        royalties.change_weight(attacker, centre, 0, 100, sender=attacker)


def test_change_weight__council__reverts(
    royalties: Any, pool_council: Any, provider: Any, centre: Any
) -> None:
    # Royalties' owner sets the split; weights are the pool's alone.
    with ape.reverts("royalties: only the pool changes weights"):
        royalties.change_weight(provider, centre, 0, 100, sender=pool_council)
