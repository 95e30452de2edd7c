"""PatentPool appends to its Coverage log at every entry into the pooled set and every exit:
pooling, removal, removal below the core, expiry (pool/test_*: `assert_left_the_pool`) and a
re-rating under the core threshold; a sale keeps the stay."""

from typing import Any

from tests.fixtures.pool import PoolDriver
from tests.unit.coverage.helpers import log_of

NUMBER = "61111111"


def test_pool__a_rated_patent__logs_its_entry(
    chain: Any, driver: PoolDriver, coverage: Any, provider: Any
) -> None:
    size = coverage.size()

    patent = driver.pooled(provider, NUMBER)

    assert coverage.size() == size + 1
    assert coverage.stay_of(patent) == (True, size)
    log = log_of(chain, coverage)
    assert [c.patent for c in log.pooled_at(len(log))][-1] == patent
    assert coverage.root() == log.root_at(len(log))


def test_rate__settled_under_the_core_threshold__logs_the_exit(
    chain: Any, driver: PoolDriver, patent_pool: Any, coverage: Any, pool_council: Any,
    provider: Any,
) -> None:  # fmt: skip
    patent = driver.pooled(provider, NUMBER, score=80)
    entry = coverage.stay_of(patent)[1]
    chain.pending_timestamp += int(patent_pool.rerate_interval())

    driver.rate(patent, int(patent_pool.core_threshold()) - 1)

    assert coverage.stay_of(patent) == (False, 0)
    assert coverage.exit_of(entry) == (True, coverage.size() - 1)


def test_assign__a_pooled_patent_changes_hands__keeps_its_stay_and_logs_nothing(
    accounts: Any, driver: PoolDriver, patent_pool: Any, coverage: Any, pool_council: Any,
    provider: Any, provider2: Any,
) -> None:  # fmt: skip
    patent = driver.pooled(provider, NUMBER)
    stay, size, tenure = coverage.stay_of(patent), coverage.size(), patent_pool.tenure_of(patent)
    patent_pool.set_exchange(accounts[11], sender=pool_council)

    tx = patent_pool.assign(patent, provider2, sender=accounts[11])

    assert patent_pool.tenure_of(patent) == tenure + 1  # a new tenure, the same stay
    assert (coverage.stay_of(patent), coverage.size()) == (stay, size)
    assert tx.events.filter(coverage.CoverageLogged) == []
