"""Families.set_family: the patent's party (its contributor of record, its centre under an
accepted mandate in force, the council for the fund's patents) sets, changes and clears
its family; one family per patent, each change logged."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Removal
from tests.fixtures.pool import PoolDriver
from tests.unit.families.helpers import (
    EP_NUMBER,
    FAMILY,
    NO_FAMILY,
    NOT_IN_REGISTRY,
    OTHER_FAMILY,
    SAME_FAMILY,
)


def test_set_family__by_the_contributor__set_and_logged(
    families: Any, provider: Any, submitted: bytes
) -> None:
    tx = families.set_family(submitted, FAMILY, sender=provider)

    assert bytes(families.family_of(submitted)) == FAMILY
    assert tx.events.filter(families.FamilySet) == [
        families.FamilySet(patent=submitted, family=FAMILY, previous=NO_FAMILY, by=provider.address)
    ]


def test_set_family__two_offices_one_invention__share_the_id(
    driver: PoolDriver, families: Any, provider: Any, submitted: bytes
) -> None:
    european = driver.submit(provider, EP_NUMBER, office="EP")
    families.set_family(submitted, FAMILY, sender=provider)
    families.set_family(european, FAMILY, sender=provider)

    assert bytes(families.family_of(submitted)) == bytes(families.family_of(european)) == FAMILY


def test_set_family__changed__the_new_family_replaces_the_old(
    families: Any, provider: Any, pooled: bytes
) -> None:
    families.set_family(pooled, FAMILY, sender=provider)

    tx = families.set_family(pooled, OTHER_FAMILY, sender=provider)

    assert bytes(families.family_of(pooled)) == OTHER_FAMILY
    assert tx.events.filter(families.FamilySet)[0].previous == FAMILY


def test_set_family__zero__leaves_the_family(families: Any, provider: Any, pooled: bytes) -> None:
    families.set_family(pooled, FAMILY, sender=provider)

    tx = families.set_family(pooled, NO_FAMILY, sender=provider)

    assert bytes(families.family_of(pooled)) == NO_FAMILY
    assert tx.events.filter(families.FamilySet)[0].family == NO_FAMILY


@pytest.mark.parametrize("family", [FAMILY, NO_FAMILY], ids=["same_family", "no_family_yet"])
def test_set_family__to_the_family_it_has__reverts(
    families: Any, provider: Any, pooled: bytes, family: bytes
) -> None:
    if family != NO_FAMILY:
        families.set_family(pooled, family, sender=provider)

    with ape.reverts(SAME_FAMILY):
        families.set_family(pooled, family, sender=provider)


def test_set_family__by_the_mandated_centre__set(
    driver: PoolDriver, families: Any, provider: Any, centre: Any, pooled: bytes
) -> None:
    driver.mandate(pooled, provider, centre)

    tx = families.set_family(pooled, FAMILY, sender=centre)

    assert bytes(families.family_of(pooled)) == FAMILY
    assert tx.events.filter(families.FamilySet)[0].by == centre.address


def test_set_family__fund_patent_by_the_council__set(
    families: Any, pool_council: Any, fund_patent: bytes
) -> None:
    families.set_family(fund_patent, FAMILY, sender=pool_council)

    assert bytes(families.family_of(fund_patent)) == FAMILY


def test_set_family__withdrawn_patent__reverts(
    driver: PoolDriver, families: Any, provider: Any, submitted: bytes
) -> None:
    driver.pool.withdraw(submitted, sender=provider)

    with ape.reverts(NOT_IN_REGISTRY):
        families.set_family(submitted, FAMILY, sender=provider)


def test_set_family__never_submitted__reverts(families: Any, provider: Any) -> None:
    with ape.reverts(NOT_IN_REGISTRY):
        families.set_family(b"\x01" * 32, FAMILY, sender=provider)


def test_set_family__left_the_registry__keeps_its_family(
    families: Any, patent_pool: Any, provider: Any, pool_council: Any, pooled: bytes
) -> None:
    """A family is a fact of the invention: it stays on record after the patent leaves
    (and nobody changes it then)."""
    families.set_family(pooled, FAMILY, sender=provider)
    patent_pool.remove(pooled, int(Removal.TRANSFERRED), sender=pool_council)

    assert bytes(families.family_of(pooled)) == FAMILY
    with ape.reverts(NOT_IN_REGISTRY):
        families.set_family(pooled, OTHER_FAMILY, sender=provider)
