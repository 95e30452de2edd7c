"""Attack: someone who may not act for a patent puts it in (or takes it out of) a family,
to pass it off as part of a valuable invention or hide its counterparts. Invariant: only
the patent's contributor of record, its trusteeship centre under an accepted mandate in
force, or the council for the fund's patents changes its family."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.fixtures.pool import TERMS, YEAR, PoolDriver
from tests.fixtures.suite import mine_at
from tests.unit.families.helpers import FAMILY, NO_FAMILY, NOT_A_PARTY

Setup = Callable[[PoolDriver, Any, Any, bytes], None]


def _nominated(driver: PoolDriver, provider: Any, centre: Any, patent: bytes) -> None:
    """The centre was only nominated at submission (the fixture's patent)."""


def _offered(driver: PoolDriver, provider: Any, centre: Any, patent: bytes) -> None:
    """The provider offered the centre a mandate it has not accepted."""
    expiry = driver.now() + YEAR
    driver.mandates.offer_mandate(patent, centre, TERMS, 1_000, expiry, sender=provider)


def _expired(driver: PoolDriver, provider: Any, centre: Any, patent: bytes) -> None:
    """The centre's accepted mandate expired (nobody ended it yet)."""
    expiry = driver.mandate(patent, provider, centre, expiry=driver.now() + 100)
    mine_at(driver.chain, expiry)


def _ended(driver: PoolDriver, provider: Any, centre: Any, patent: bytes) -> None:
    """The provider ended the centre's mandate."""
    driver.mandate(patent, provider, centre)
    driver.mandates.end_mandate(patent, sender=provider)


CENTRES_WITHOUT_MANDATE = {
    "nominated": _nominated,
    "offered_not_accepted": _offered,
    "mandate_expired": _expired,
    "mandate_ended": _ended,
}


NOT_PARTIES = ["stranger", "another_member", "expert", "council_on_a_member_patent", "nominee"]


@pytest.mark.parametrize("who", NOT_PARTIES)
def test_attack_set_family__not_a_party__reverts(
    families: Any,
    attacker: Any,
    provider2: Any,
    experts: list[Any],
    pool_council: Any,
    centre: Any,
    pooled: bytes,
    who: str,
) -> None:
    actors = [attacker, provider2, experts[0], pool_council, centre]
    callers = dict(zip(NOT_PARTIES, actors, strict=True))

    for family in (FAMILY, NO_FAMILY):
        with ape.reverts(NOT_A_PARTY):
            families.set_family(pooled, family, sender=callers[who])

    assert bytes(families.family_of(pooled)) == NO_FAMILY


@pytest.mark.parametrize(
    "setup", list(CENTRES_WITHOUT_MANDATE.values()), ids=list(CENTRES_WITHOUT_MANDATE)
)
def test_attack_set_family__centre_without_a_mandate_in_force__reverts(
    driver: PoolDriver, families: Any, provider: Any, centre: Any, pooled: bytes, setup: Setup
) -> None:
    setup(driver, provider, centre, pooled)

    with ape.reverts(NOT_A_PARTY):
        families.set_family(pooled, FAMILY, sender=centre)


def test_attack_set_family__others_clear_a_family__reverts_and_it_stays(
    families: Any, provider: Any, provider2: Any, attacker: Any, pooled: bytes
) -> None:
    families.set_family(pooled, FAMILY, sender=provider)

    for caller in (provider2, attacker):
        with ape.reverts(NOT_A_PARTY):
            families.set_family(pooled, NO_FAMILY, sender=caller)

    assert bytes(families.family_of(pooled)) == FAMILY


def test_attack_set_family__contributor_of_the_fund_patent_is_no_member__only_the_council(
    families: Any, provider: Any, attacker: Any, fund_patent: bytes
) -> None:
    """The fund's patents answer to the council: not to a member, nor to anyone else."""
    for caller in (provider, attacker):
        with ape.reverts(NOT_A_PARTY):
            families.set_family(fund_patent, FAMILY, sender=caller)


def test_attack_set_family__former_contributor_after_a_sale__reverts_the_buyer_sets(
    families: Any,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
    pooled: bytes,
) -> None:
    """A sale makes the buyer the contributor of record: the seller no longer speaks for
    the patent (the council stands in as the exchange that records the sale)."""
    families.set_family(pooled, FAMILY, sender=provider)
    patent_pool.set_exchange(pool_council, sender=pool_council)
    patent_pool.assign(pooled, provider2, sender=pool_council)

    with ape.reverts(NOT_A_PARTY):
        families.set_family(pooled, NO_FAMILY, sender=provider)
    families.set_family(pooled, NO_FAMILY, sender=provider2)

    assert bytes(families.family_of(pooled)) == NO_FAMILY


def test_attack_set_family__old_council_after_a_hand_over__reverts_the_successor_sets(
    families: Any,
    patent_pool: Any,
    pool_council: Any,
    council_seats: list[Any],
    fund_patent: bytes,
) -> None:
    """The council's say over the fund's patents follows PatentPool's owner."""
    successor = council_seats[1]
    patent_pool.transfer_ownership(successor, sender=pool_council)

    with ape.reverts(NOT_A_PARTY):
        families.set_family(fund_patent, FAMILY, sender=pool_council)
    families.set_family(fund_patent, FAMILY, sender=successor)

    assert bytes(families.family_of(fund_patent)) == FAMILY
