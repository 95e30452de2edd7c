"""PatentPool.rate: experts rate and value a certified patent; M ballots settle on the medians."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import PatentStatus, Removal, Role
from tests.fixtures.pool import PARAMS, REASONING, VALUATION, PoolDriver
from tests.fixtures.suite import at
from tests.unit.pool.helpers import (
    INTERVAL,
    MAX_VALUATION,
    NOT_CERTIFIED,
    NOT_DUE,
    NOT_EXPERT,
    OTHER_NUMBER,
    attest,
)

OWN_PATENT = "pool: an expert cannot rate its own patent"
ALREADY_RATED = "pool: expert already rated this round"

Weights = Callable[[], tuple[int, int, int]]


def set_expert_threshold(pool: Any, council: Any, threshold: int) -> None:
    pool.set_parameters(threshold, PARAMS.core_threshold, PARAMS.rerate_interval, sender=council)


def test_rate__first_ballot__is_recorded_and_logged_without_settling(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    tx = patent_pool.rate(certified, 75, VALUATION, REASONING, sender=experts[0])

    assert patent_pool.ballots_of(certified) == [(experts[0].address, 75, VALUATION)]
    assert tx.events.filter(patent_pool.Rated) == [
        patent_pool.Rated(
            patent=certified,
            expert=experts[0].address,
            round=0,
            score=75,
            valuation=VALUATION,
            reasoning=REASONING,
        )
    ]
    assert tx.events.filter(patent_pool.RatingSettled) == []
    record = patent_pool.patents(certified)
    assert (record.status, record.score, record.valuation) == (PatentStatus.CERTIFIED, 0, 0)


def test_rate__threshold_reached__settles_the_round_and_opens_the_next(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    for expert in experts[:2]:
        patent_pool.rate(certified, 75, VALUATION, REASONING, sender=expert)

    tx = patent_pool.rate(certified, 75, VALUATION, REASONING, sender=experts[2])

    record = patent_pool.patents(certified)
    assert record.status == PatentStatus.RATED
    assert (record.score, record.valuation) == (75, VALUATION)
    assert record.rated_at == tx.timestamp
    assert record.rounds == 1
    assert patent_pool.ballots_of(certified) == []
    assert tx.events.filter(patent_pool.RatingSettled) == [
        patent_pool.RatingSettled(
            patent=certified, round=0, score=75, valuation=VALUATION, experts=3
        )
    ]


# Who may not rate the provider's certified patent, and why.
REFUSED_RATERS = {
    "attacker": NOT_EXPERT,
    "provider2": NOT_EXPERT,
    "centre": NOT_EXPERT,
    "oracle": NOT_EXPERT,
    "suspended_expert": NOT_EXPERT,
    "expert_provider": OWN_PATENT,
}


@pytest.fixture(params=list(REFUSED_RATERS))
def refused_rater(
    request: pytest.FixtureRequest,
    oracles: list[Any],
    experts: list[Any],
    pool_alliance: Any,
    pool_council: Any,
) -> tuple[Any, str]:
    """An outsider, members without the expert role, a suspended expert and an expert
    rating its own patent, each with the reason it is refused."""
    if request.param == "oracle":
        rater = oracles[0]
    elif request.param == "suspended_expert":
        rater = experts[0]
        pool_alliance.suspend(rater, sender=pool_council)
    else:
        rater = request.getfixturevalue(request.param)
    return rater, REFUSED_RATERS[request.param]


def test_rate__caller_not_a_rating_expert__reverts(
    patent_pool: Any, refused_rater: tuple[Any, str], certified: bytes
) -> None:
    rater, reason = refused_rater

    with ape.reverts(reason):
        patent_pool.rate(certified, 75, VALUATION, REASONING, sender=rater)


@pytest.fixture(params=["unknown", "submitted", "withdrawn", "removed"])
def uncertified(
    request: pytest.FixtureRequest, patent_pool: Any, provider: Any, pool_council: Any
) -> bytes:
    """A patent id that is not (or no longer) certified."""
    if request.param == "unknown":
        return certs.patent_id("US", "999")
    patent: bytes = request.getfixturevalue(
        "submitted" if request.param == "submitted" else "certified"
    )
    if request.param == "withdrawn":
        patent_pool.withdraw(patent, sender=provider)
    elif request.param == "removed":
        patent_pool.remove(patent, int(Removal.REJECTED), sender=pool_council)
    return patent


def test_rate__patent_not_certified__reverts(
    patent_pool: Any, experts: list[Any], uncertified: bytes
) -> None:
    with ape.reverts(NOT_CERTIFIED):
        patent_pool.rate(uncertified, 75, VALUATION, REASONING, sender=experts[0])


@pytest.fixture
def expert_provider(grant: Callable[[Any, Role], Any], provider: Any) -> Any:
    """The provider, also granted the expert role."""
    return grant(provider, Role.EXPERT)


@pytest.fixture
def expert_centre(grant: Callable[[Any, Role], Any], centre: Any) -> Any:
    """The trusteeship centre, also granted the expert role."""
    return grant(centre, Role.EXPERT)


def test_rate__expert_is_the_patents_trusteeship_centre__reverts(
    driver: PoolDriver, patent_pool: Any, provider: Any, expert_centre: Any
) -> None:
    patent = driver.submit(provider, OTHER_NUMBER)
    driver.mandate(patent, provider, expert_centre)
    driver.certify(provider, OTHER_NUMBER)

    with ape.reverts("pool: an expert cannot rate a patent its centre manages"):
        patent_pool.rate(patent, 75, VALUATION, REASONING, sender=expert_centre)


def test_rate__expert_only_nominated_as_centre__records_ballot(
    driver: PoolDriver, patent_pool: Any, provider: Any, expert_centre: Any
) -> None:
    # A nominee named at submission manages nothing: a provider cannot keep an expert off
    # its rating by naming it.
    patent = driver.submit(provider, OTHER_NUMBER, centre=expert_centre)
    driver.certify(provider, OTHER_NUMBER)

    tx = patent_pool.rate(patent, 75, VALUATION, REASONING, sender=expert_centre)

    assert [e.expert for e in tx.events.filter(patent_pool.Rated)] == [expert_centre.address]


def test_rate__expert_provider_rates_another_providers_patent__records_ballot(
    driver: PoolDriver, patent_pool: Any, expert_provider: Any, provider2: Any
) -> None:
    patent = driver.submit(provider2, OTHER_NUMBER)
    driver.certify(provider2, OTHER_NUMBER)

    patent_pool.rate(patent, 75, VALUATION, REASONING, sender=expert_provider)

    assert patent_pool.ballots_of(patent) == [(expert_provider.address, 75, VALUATION)]


@pytest.mark.parametrize("score", [0, 100])
def test_rate__score_at_the_bounds__records_ballot(
    patent_pool: Any, experts: list[Any], certified: bytes, score: int
) -> None:
    patent_pool.rate(certified, score, VALUATION, REASONING, sender=experts[0])

    assert patent_pool.ballots_of(certified)[0].score == score


def test_rate__score_above_100__reverts(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    with ape.reverts("pool: score above 100"):
        patent_pool.rate(certified, 101, VALUATION, REASONING, sender=experts[0])


@pytest.mark.parametrize("valuation", [1, MAX_VALUATION])
def test_rate__valuation_at_the_bounds__records_ballot(
    patent_pool: Any, experts: list[Any], certified: bytes, valuation: int
) -> None:
    patent_pool.rate(certified, 75, valuation, REASONING, sender=experts[0])

    assert patent_pool.ballots_of(certified)[0].valuation == valuation


def test_rate__valuation_zero__reverts(patent_pool: Any, experts: list[Any], certified: bytes):
    with ape.reverts("pool: valuation is zero"):
        patent_pool.rate(certified, 75, 0, REASONING, sender=experts[0])


def test_rate__valuation_above_10_pow_33__reverts(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    with ape.reverts("pool: valuation above 10^33"):
        patent_pool.rate(certified, 75, MAX_VALUATION + 1, REASONING, sender=experts[0])


def test_rate__same_expert_twice_in_a_round__reverts(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    patent_pool.rate(certified, 75, VALUATION, REASONING, sender=experts[0])

    with ape.reverts(ALREADY_RATED):
        patent_pool.rate(certified, 90, VALUATION, REASONING, sender=experts[0])


def test_rate__odd_number_of_ballots__settles_on_the_middle_of_each(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    # The middle score and the middle valuation come from different experts.
    ballots = [(90, 2 * 10**18), (70, 1 * 10**18), (80, 3 * 10**18)]

    for expert, (score, valuation) in zip(experts, ballots, strict=True):
        tx = patent_pool.rate(certified, score, valuation, REASONING, sender=expert)

    record = patent_pool.patents(certified)
    assert (record.score, record.valuation) == (80, 2 * 10**18)
    assert tx.events.filter(patent_pool.RatingSettled)[0].experts == 3


def test_rate__even_number_of_ballots__settles_on_the_mean_of_the_two_middles(
    patent_pool: Any,
    pool_alliance: Any,
    pool_council: Any,
    provider2: Any,
    experts: list[Any],
    certified: bytes,
) -> None:
    """A round reaches an even count only when the council lowers the threshold mid-round
    (five to three, with three ballots in: the fourth settles). The median is the mean of
    the two middles (scores 20 and 30, valuations 2 and 3 units)."""
    pool_alliance.grant_role(provider2, int(Role.EXPERT), sender=pool_council)
    set_expert_threshold(patent_pool, pool_council, 5)
    ballots = [(40, 4 * 10**18), (10, 3 * 10**18), (30, 1 * 10**18), (20, 2 * 10**18)]
    voters = [*experts, provider2]
    for expert, (score, valuation) in zip(voters[:3], ballots, strict=False):
        patent_pool.rate(certified, score, valuation, REASONING, sender=expert)
    set_expert_threshold(patent_pool, pool_council, 3)

    tx = patent_pool.rate(certified, *ballots[3], REASONING, sender=provider2)

    record = patent_pool.patents(certified)
    assert (record.score, record.valuation) == (25, 25 * 10**17)
    assert tx.events.filter(patent_pool.RatingSettled)[0].experts == 4


def test_rate__two_ballots__do_not_settle_a_round(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    """Two ballots used to settle on the lower of the two, so one expert set the value;
    the quorum is now three."""
    patent_pool.rate(certified, 90, 1 * 10**18, REASONING, sender=experts[0])
    patent_pool.rate(certified, 70, 5 * 10**18, REASONING, sender=experts[1])

    record = patent_pool.patents(certified)
    assert (record.status, record.score, record.valuation) == (PatentStatus.CERTIFIED, 0, 0)
    assert len(patent_pool.ballots_of(certified)) == 2


def test_rate__rated_patent_before_the_interval__reverts(
    chain: Any, patent_pool: Any, experts: list[Any], rated: bytes
) -> None:
    at(chain, patent_pool.patents(rated).rated_at + INTERVAL - 1)

    with ape.reverts(NOT_DUE):
        patent_pool.rate(rated, 75, VALUATION, REASONING, sender=experts[0])


def test_rate__rated_patent_at_the_interval__opens_the_next_round(
    chain: Any, patent_pool: Any, experts: list[Any], rated: bytes
) -> None:
    at(chain, patent_pool.patents(rated).rated_at + INTERVAL)

    # the same expert as before
    tx = patent_pool.rate(rated, 75, VALUATION, REASONING, sender=experts[0])

    assert tx.events.filter(patent_pool.Rated)[0].round == 1
    assert patent_pool.ballots_of(rated) == [(experts[0].address, 75, VALUATION)]


def test_rate__rerated_below_core_before_pooling__stays_rated_with_the_new_score(
    chain: Any, driver: PoolDriver, patent_pool: Any, rated: bytes
) -> None:
    at(chain, patent_pool.patents(rated).rated_at + INTERVAL)

    driver.rate(rated, 40, VALUATION)

    record = patent_pool.patents(rated)
    assert (record.status, record.score, record.rounds) == (PatentStatus.RATED, 40, 2)


@pytest.fixture
def due_pooled(chain: Any, patent_pool: Any, pooled: bytes) -> bytes:
    """The pooled patent at the end of its re-rating interval: due for the next round."""
    at(chain, patent_pool.patents(pooled).rated_at + INTERVAL)
    return pooled


@pytest.fixture
def weights(royalties: Any, provider: Any, centre: Any) -> Weights:
    """`weights()`: the provider's contributor weight, its centre's, and the total
    contributor weight."""
    return lambda: (
        royalties.contributor_weight(provider),
        royalties.centre_weight(centre),
        royalties.total_contributor_weight(),
    )


def test_rate__pooled_patent_rerated__moves_pooled_value_and_royalty_weight(
    patent_pool: Any, bpc: Any, experts: list[Any], due_pooled: bytes, weights: Weights
) -> None:
    supply = bpc.totalSupply()
    patent_pool.rate(due_pooled, 90, 3 * VALUATION, REASONING, sender=experts[0])
    patent_pool.rate(due_pooled, 95, 3 * VALUATION, REASONING, sender=experts[1])

    tx = patent_pool.rate(due_pooled, 85, 3 * VALUATION, REASONING, sender=experts[2])

    record = patent_pool.patents(due_pooled)
    assert (record.status, record.score, record.valuation) == (
        PatentStatus.POOLED,
        90,
        3 * VALUATION,
    )
    assert patent_pool.pooled_value() == 3 * VALUATION
    assert patent_pool.pooled_count() == 1
    assert bpc.totalSupply() == supply  # no BPC minted or burned: the NAV moves instead
    assert patent_pool.nav() == 3 * PARAMS.initial_nav
    assert weights() == (90, 90, 90)  # contributor, centre, total
    assert tx.events.filter(patent_pool.Revalued) == [
        patent_pool.Revalued(
            patent=due_pooled,
            old_valuation=VALUATION,
            new_valuation=3 * VALUATION,
            pooled_value=3 * VALUATION,
        )
    ]
    assert tx.events.filter(patent_pool.Removed) == []


def test_rate__pooled_patent_rerated_to_exactly_the_core_threshold__stays_pooled(
    driver: PoolDriver, patent_pool: Any, royalties: Any, provider: Any, due_pooled: bytes
) -> None:
    driver.rate(due_pooled, PARAMS.core_threshold, VALUATION // 2)

    assert patent_pool.patents(due_pooled).status == PatentStatus.POOLED
    assert patent_pool.pooled_value() == VALUATION // 2
    assert royalties.contributor_weight(provider) == PARAMS.core_threshold


def test_rate__pooled_patent_rerated_under_the_core_threshold__leaves_the_pool(
    patent_pool: Any, bpc: Any, experts: list[Any], due_pooled: bytes, weights: Weights
) -> None:
    supply = bpc.totalSupply()
    patent_pool.rate(
        due_pooled, PARAMS.core_threshold - 1, 2 * VALUATION, REASONING, sender=experts[0]
    )
    patent_pool.rate(due_pooled, 90, 2 * VALUATION, REASONING, sender=experts[1])

    tx = patent_pool.rate(
        due_pooled, PARAMS.core_threshold - 2, 2 * VALUATION, REASONING, sender=experts[2]
    )

    assert patent_pool.patents(due_pooled).status == PatentStatus.REMOVED
    assert patent_pool.pooled_value() == 0
    assert patent_pool.pooled_count() == 0
    assert bpc.totalSupply() == supply  # no BPC burned
    assert weights() == (0, 0, 0)  # contributor, centre, total
    assert tx.events.filter(patent_pool.Removed) == [
        patent_pool.Removed(
            patent=due_pooled, reason=int(Removal.BELOW_CORE), value_out=VALUATION, pooled_value=0
        )
    ]
    assert tx.events.filter(patent_pool.Revalued) == []


def test_rate__one_of_two_pooled_patents_rerated_under_core__keeps_the_other(
    driver: PoolDriver,
    patent_pool: Any,
    royalties: Any,
    provider: Any,
    provider2: Any,
    due_pooled: bytes,
) -> None:
    other = driver.pooled(provider2, OTHER_NUMBER, score=70, valuation=2 * VALUATION)

    driver.rate(due_pooled, 10, VALUATION)

    assert patent_pool.pooled_value() == 2 * VALUATION
    assert patent_pool.pooled_count() == 1
    assert patent_pool.patents(other).status == PatentStatus.POOLED
    assert royalties.contributor_weight(provider) == 0
    assert royalties.contributor_weight(provider2) == 70
    assert royalties.total_contributor_weight() == 70


def test_rate__pooled_patent_with_lapsed_certificate__still_rated(
    driver: PoolDriver, patent_pool: Any, provider: Any, provider2: Any, due_pooled: bytes
) -> None:
    """Rating does not check the certificate; `expire` is how a lapsed patent leaves."""
    attest(driver, provider2)  # the patent changed hands

    driver.rate(due_pooled, 85, VALUATION)

    assert patent_pool.patents(due_pooled).score == 85
