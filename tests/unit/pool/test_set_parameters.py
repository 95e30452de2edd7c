"""PatentPool.set_parameters: the council sets the expert and core thresholds and the interval."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import PatentStatus, Role
from tests.fixtures.pool import PARAMS, REASONING, VALUATION, YEAR
from tests.unit.pool.helpers import NOT_OWNER

TEN_YEARS = 10 * YEAR
QUORUM = "pool: expert threshold must be odd, 3 to 15"


@pytest.fixture
def five_experts(
    pool_alliance: Any, pool_council: Any, experts: list[Any], provider2: Any, enterprise: Any
) -> list[Any]:
    """The committee's three, and the SME and the enterprise granted the expert role."""
    for member in (provider2, enterprise):
        pool_alliance.grant_role(member, int(Role.EXPERT), sender=pool_council)
    return [*experts, provider2, enterprise]


def test_set_parameters__by_the_council__stores_and_logs(
    patent_pool: Any, pool_council: Any
) -> None:
    tx = patent_pool.set_parameters(5, 75, 7 * 24 * 3600, sender=pool_council)

    assert patent_pool.expert_threshold() == 5
    assert patent_pool.core_threshold() == 75
    assert patent_pool.rerate_interval() == 7 * 24 * 3600
    assert tx.events.filter(patent_pool.ParametersSet) == [
        patent_pool.ParametersSet(expert_threshold=5, core_threshold=75, rerate_interval=604800)
    ]


@pytest.mark.parametrize("caller", ["provider", "attacker"], indirect=True)
def test_set_parameters__not_the_council__reverts(patent_pool: Any, caller: Any) -> None:
    with ape.reverts(NOT_OWNER):
        patent_pool.set_parameters(3, 70, YEAR, sender=caller)


@pytest.mark.parametrize("params", [(3, 0, 0), (15, 100, TEN_YEARS)], ids=["lowest", "highest"])
def test_set_parameters__at_the_bounds__stores(
    patent_pool: Any, pool_council: Any, params: tuple[int, int, int]
) -> None:
    patent_pool.set_parameters(*params, sender=pool_council)

    assert (
        patent_pool.expert_threshold(),
        patent_pool.core_threshold(),
        patent_pool.rerate_interval(),
    ) == params


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ((0, 60, YEAR), QUORUM),
        ((1, 60, YEAR), QUORUM),
        ((2, 60, YEAR), QUORUM),
        ((4, 60, YEAR), QUORUM),
        ((16, 60, YEAR), QUORUM),
        ((17, 60, YEAR), QUORUM),
        ((3, 101, YEAR), "pool: core threshold above 100"),
        ((3, 60, TEN_YEARS + 1), "pool: re-rating interval above ten years"),
    ],
    ids=["no-expert", "one", "two", "even", "16", "17", "core-101", "interval-too-long"],
)
def test_set_parameters__out_of_bounds__reverts(
    patent_pool: Any, pool_council: Any, params: tuple[int, int, int], reason: str
) -> None:
    with ape.reverts(reason):
        patent_pool.set_parameters(*params, sender=pool_council)


def test_set_parameters__higher_expert_threshold__needs_more_ballots_to_settle(
    patent_pool: Any, pool_council: Any, five_experts: list[Any], certified: bytes
) -> None:
    patent_pool.set_parameters(
        5, PARAMS.core_threshold, PARAMS.rerate_interval, sender=pool_council
    )

    for expert in five_experts[:4]:
        patent_pool.rate(certified, 80, VALUATION, REASONING, sender=expert)
    assert patent_pool.patents(certified).status == PatentStatus.CERTIFIED
    patent_pool.rate(certified, 80, VALUATION, REASONING, sender=five_experts[4])

    assert patent_pool.patents(certified).status == PatentStatus.RATED


def test_set_parameters__threshold_lowered_mid_round__next_ballot_settles_with_all_ballots(
    patent_pool: Any, pool_council: Any, five_experts: list[Any], certified: bytes
) -> None:
    patent_pool.set_parameters(
        5, PARAMS.core_threshold, PARAMS.rerate_interval, sender=pool_council
    )
    for expert, score in zip(five_experts, (90, 70, 85), strict=False):
        patent_pool.rate(certified, score, VALUATION, REASONING, sender=expert)
    patent_pool.set_parameters(
        3, PARAMS.core_threshold, PARAMS.rerate_interval, sender=pool_council
    )
    assert patent_pool.patents(certified).status == PatentStatus.CERTIFIED  # not settled by itself

    tx = patent_pool.rate(certified, 80, VALUATION, REASONING, sender=five_experts[3])

    assert tx.events.filter(patent_pool.RatingSettled)[0].experts == 4
    assert patent_pool.patents(certified).score == 82  # (80 + 85) // 2


def test_set_parameters__higher_core__leaves_pooled_patents_until_removed(
    patent_pool: Any, pool_council: Any, pooled: bytes
) -> None:
    patent_pool.set_parameters(
        PARAMS.expert_threshold, 100, PARAMS.rerate_interval, sender=pool_council
    )

    assert patent_pool.patents(pooled).status == PatentStatus.POOLED
    assert patent_pool.pooled_value() == VALUATION


def test_set_parameters__zero_interval__allows_rerating_at_once(
    patent_pool: Any, pool_council: Any, experts: list[Any], rated: bytes
) -> None:
    patent_pool.set_parameters(
        PARAMS.expert_threshold, PARAMS.core_threshold, 0, sender=pool_council
    )

    tx = patent_pool.rate(rated, 90, VALUATION, REASONING, sender=experts[0])

    assert tx.events.filter(patent_pool.Rated)[0].round == 1
