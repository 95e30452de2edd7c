"""PatentPool.rating_due: a valuation's re-rating date (its last settled rating + the
council's interval) and whether it is stale (rated or pooled, past that date)."""

from typing import Any

from bpsa.core.codes import Removal
from tests.fixtures.pool import PARAMS, PoolDriver
from tests.fixtures.suite import at, mine_at
from tests.unit.pool.helpers import INTERVAL


def test_rating_due__never_rated__zero_and_not_stale(patent_pool: Any, certified: bytes) -> None:
    assert patent_pool.rating_due(certified) == (0, False)


def test_rating_due__before_the_date__the_date_and_not_stale(
    chain: Any, patent_pool: Any, rated: bytes
) -> None:
    due = patent_pool.patents(rated).rated_at + INTERVAL
    mine_at(chain, due - 1)

    assert patent_pool.rating_due(rated) == (due, False)


def test_rating_due__rated_at_the_date__stale(chain: Any, patent_pool: Any, rated: bytes) -> None:
    due = patent_pool.patents(rated).rated_at + INTERVAL
    mine_at(chain, due)

    assert patent_pool.rating_due(rated) == (due, True)


def test_rating_due__pooled_at_the_date__stale(chain: Any, patent_pool: Any, pooled: bytes) -> None:
    due = patent_pool.patents(pooled).rated_at + INTERVAL
    mine_at(chain, due)

    assert patent_pool.rating_due(pooled) == (due, True)


def test_rating_due__rerated__moves_to_the_new_rating_and_is_fresh(
    chain: Any, driver: PoolDriver, patent_pool: Any, pooled: bytes
) -> None:
    at(chain, patent_pool.patents(pooled).rated_at + INTERVAL + 5)
    driver.rate(pooled, 80)
    rated_at = patent_pool.patents(pooled).rated_at

    assert patent_pool.rating_due(pooled) == (rated_at + INTERVAL, False)


def test_rating_due__interval_changed__every_date_follows(
    chain: Any, patent_pool: Any, pool_council: Any, pooled: bytes
) -> None:
    rated_at = patent_pool.patents(pooled).rated_at
    patent_pool.set_parameters(
        PARAMS.expert_threshold, PARAMS.core_threshold, INTERVAL // 2, sender=pool_council
    )
    mine_at(chain, rated_at + INTERVAL // 2)

    assert patent_pool.rating_due(pooled) == (rated_at + INTERVAL // 2, True)


def test_rating_due__left_the_registry__not_stale(
    chain: Any, patent_pool: Any, pool_council: Any, pooled: bytes
) -> None:
    """A removed patent's valuation counts nowhere: past its date it is not flagged."""
    due = patent_pool.patents(pooled).rated_at + INTERVAL
    patent_pool.remove(pooled, int(Removal.TRANSFERRED), sender=pool_council)
    mine_at(chain, due)

    assert patent_pool.rating_due(pooled) == (due, False)
