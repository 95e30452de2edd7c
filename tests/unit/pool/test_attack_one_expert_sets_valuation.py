"""Issue 15, finding 3: one expert sets the valuation (the lower median of two is the minimum).

The expert committee settles a round on the median of its ballots. With the shipped
threshold of two and the lower middle, the median was the smaller ballot: one dishonest
expert valued a patent at 1 wei, or scored a pooled patent 0 at its re-rating and took it
out of the pool. The quorum is now odd and at least three, and the median the true middle,
so one ballot, however far out, settles nothing outside the honest ballots.
"""

from typing import Any

import ape
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bpsa.core.codes import PatentStatus
from bpsa.sdk.deploy import PoolParams
from tests.fixtures.pool import PARAMS, REASONING, VALUATION, PoolDriver
from tests.fixtures.suite import wait
from tests.unit.pool.helpers import INTERVAL, MAX_VALUATION

QUORUM = "pool: expert threshold must be odd, 3 to 15"


def rate_with(patent_pool: Any, patent: bytes, ballots: list[tuple[Any, int, int]]) -> None:
    """Each (expert, score, valuation) rates in turn, until the round settles."""
    threshold = int(patent_pool.expert_threshold())
    for expert, score, valuation in ballots[:threshold]:
        patent_pool.rate(patent, score, valuation, REASONING, sender=expert)


def test_rate__one_expert_values_at_1_wei__valuation_stays_with_the_honest_experts(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    dishonest, *honest = experts
    ballots = [(dishonest, 80, 1)] + [(e, 80, VALUATION) for e in honest]

    rate_with(patent_pool, certified, ballots)

    record = patent_pool.patents(certified)
    assert record.status == PatentStatus.RATED
    assert record.valuation == VALUATION


def test_rate__one_expert_values_at_10_33__valuation_stays_with_the_honest_experts(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    dishonest, *honest = experts
    ballots = [(dishonest, 80, MAX_VALUATION)] + [(e, 80, VALUATION) for e in honest]

    rate_with(patent_pool, certified, ballots)

    assert patent_pool.patents(certified).valuation == VALUATION


def test_rerate__one_expert_scores_0__pooled_patent_stays_pooled(
    chain: Any, patent_pool: Any, experts: list[Any], pooled: bytes, other_pooled: bytes
) -> None:
    dishonest, *honest = experts
    value = patent_pool.pooled_value()
    wait(chain, INTERVAL)

    rate_with(patent_pool, pooled, [(dishonest, 0, 1)] + [(e, 80, VALUATION) for e in honest])

    record = patent_pool.patents(pooled)
    assert (record.status, record.score, record.valuation) == (PatentStatus.POOLED, 80, VALUATION)
    assert patent_pool.pooled_value() == value


def test_pool_params__default_expert_threshold__an_odd_quorum_of_three() -> None:
    assert PoolParams().expert_threshold == 3
    assert PARAMS.expert_threshold == 3


@pytest.mark.parametrize("threshold", [1, 2, 4, 16, 0, 17])
def test_set_parameters__expert_threshold_even_or_under_three__reverts(
    patent_pool: Any, pool_council: Any, threshold: int
) -> None:
    with ape.reverts(QUORUM):
        patent_pool.set_parameters(
            threshold, PARAMS.core_threshold, PARAMS.rerate_interval, sender=pool_council
        )


@pytest.mark.parametrize("threshold", [2, 4])
def test_constructor__even_expert_threshold__reverts(
    project: Any, deployer: Any, pool_contracts: dict[str, Any], pool_alliance: Any,
    pool_council: Any, threshold: int,
) -> None:  # fmt: skip
    c = pool_contracts
    with ape.reverts(QUORUM):
        project.PatentPool.deploy(
            "BPC", "USD", PARAMS.initial_nav, pool_alliance, c["Certificates"], c["BPC"],
            c["Royalties"], c["Fund"], pool_council, c["Mandates"], c["Coverage"], threshold,
            60, 0,
            sender=deployer,
        )  # fmt: skip


# One dishonest ballot among honest ones, anywhere in the order, at any extreme.

honest_valuations = st.integers(min_value=1, max_value=10**30)
honest_scores = st.integers(min_value=0, max_value=100)
dishonest = st.tuples(st.sampled_from([0, 100]), st.sampled_from([1, MAX_VALUATION]))


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    honest=st.lists(st.tuples(honest_scores, honest_valuations), min_size=2, max_size=2),
    bad=dishonest,
    position=st.integers(min_value=0, max_value=2),
)
def test_rate__one_dishonest_ballot_anywhere__settles_between_the_honest_ballots(
    chain: Any,
    patent_pool: Any,
    experts: list[Any],
    certified: bytes,
    honest: list[tuple[int, int]],
    bad: tuple[int, int],
    position: int,
) -> None:
    snapshot = chain.snapshot()
    try:
        ballots = list(honest)
        ballots.insert(position, bad)

        rate_with(patent_pool, certified, [(e, *b) for e, b in zip(experts, ballots, strict=True)])

        record = patent_pool.patents(certified)
        scores, values = [s for s, _ in honest], [v for _, v in honest]
        assert min(scores) <= record.score <= max(scores)
        assert min(values) <= record.valuation <= max(values)
    finally:
        chain.restore(snapshot)


def test_driver__rates_with_the_whole_quorum(driver: PoolDriver, experts: list[Any]) -> None:
    """Every fixture rates with three experts (the whole quorum)."""
    assert len(experts) == 3 and int(driver.pool.expert_threshold()) == 3
