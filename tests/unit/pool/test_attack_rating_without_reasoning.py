"""Attack: an expert rates with an empty reasoning digest, so its ballot moves a median
(and the NAV) while nobody can read why. Invariant: every ballot the pool counts carries
the digest of a reasoning document (`Rated.reasoning` is never zero)."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import PatentStatus
from tests.fixtures.pool import REASONING, VALUATION
from tests.fixtures.suite import at
from tests.unit.pool.helpers import INTERVAL, NO_REASONING

EMPTY = bytes(32)


def test_attack_rate__empty_reasoning_on_a_first_round__reverts_and_counts_nothing(
    patent_pool: Any, experts: list[Any], certified: bytes
) -> None:
    with ape.reverts(NO_REASONING):
        patent_pool.rate(certified, 75, VALUATION, EMPTY, sender=experts[0])

    assert patent_pool.ballots_of(certified) == []


@pytest.mark.parametrize("ballots_before", [0, 2], ids=["opening", "settling"])
def test_attack_rate__empty_reasoning_on_a_pooled_patent__reverts_and_its_value_stands(
    chain: Any,
    patent_pool: Any,
    experts: list[Any],
    pooled: bytes,
    ballots_before: int,
) -> None:
    """The ballot that would settle a re-rating (and move the NAV) is refused as well as
    the first: the digest is checked on every ballot."""
    at(chain, patent_pool.patents(pooled).rated_at + INTERVAL)
    for expert in experts[:ballots_before]:
        patent_pool.rate(pooled, 90, 3 * VALUATION, REASONING, sender=expert)
    value = patent_pool.pooled_value()

    with ape.reverts(NO_REASONING):
        patent_pool.rate(pooled, 90, 3 * VALUATION, EMPTY, sender=experts[ballots_before])

    record = patent_pool.patents(pooled)
    assert (record.status, record.valuation) == (PatentStatus.POOLED, VALUATION)
    assert patent_pool.pooled_value() == value
    assert len(patent_pool.ballots_of(pooled)) == ballots_before
