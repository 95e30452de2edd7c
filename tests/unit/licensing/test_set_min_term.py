"""Licensing.set_min_term: the council sets how long a conversion stays locked."""

from typing import Any

import ape

from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import DAY
from tests.unit.licensing.helpers import (
    MIN_TERM_MAX,
    TERM_NOT_OVER,
)


def test_set_min_term__by_the_council__records_and_logs(licensing: Any, pool_council: Any) -> None:
    tx = licensing.set_min_term(90 * DAY, sender=pool_council)

    assert licensing.min_term() == 90 * DAY
    assert tx.events.filter(licensing.MinTermSet) == [licensing.MinTermSet(min_term=90 * DAY)]


def test_set_min_term__at_ten_years__accepted(licensing: Any, pool_council: Any) -> None:
    licensing.set_min_term(MIN_TERM_MAX, sender=pool_council)

    assert licensing.min_term() == MIN_TERM_MAX


def test_set_min_term__zero__lets_a_new_conversion_release_at_once(
    licensing: Any, pool_council: Any, convert_as: Any, provider: Any
) -> None:
    licensing.set_min_term(0, sender=pool_council)
    convert_as(provider)

    assert licensing.release(sender=provider).return_value == LICENSING.start_up


def test_set_min_term__raised_after_a_conversion__binds_only_later_conversions(
    chain: Any,
    licensing: Any,
    pool_council: Any,
    converted: Any,
    convert_as: Any,
    provider2: Any,
) -> None:
    """The term is fixed at conversion, like the price: a council change binds
    conversions made after it and leaves existing locks on their terms."""
    unlocks = licensing.unlocks_at(converted)
    licensing.set_min_term(2 * LICENSING.min_term, sender=pool_council)
    later = convert_as(provider2)

    assert licensing.unlocks_at(converted) == unlocks
    assert licensing.unlocks_at(provider2) == later.timestamp + 2 * LICENSING.min_term
    chain.pending_timestamp = unlocks
    licensing.release(sender=converted)
    with ape.reverts(TERM_NOT_OVER):
        licensing.release(sender=provider2)


def test_set_min_term__lowered_after_a_conversion__keeps_the_existing_lock(
    chain: Any, licensing: Any, pool_council: Any, converted: Any
) -> None:
    unlocks = licensing.unlocks_at(converted)
    licensing.set_min_term(0, sender=pool_council)

    with ape.reverts(TERM_NOT_OVER):
        licensing.release(sender=converted)
    chain.pending_timestamp = unlocks
    licensing.release(sender=converted)
