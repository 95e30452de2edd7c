"""Licensing.list_terms / delist: a pooled patent's provider (or an agent under its mandate on
the exchange: tests/unit/licensing/test_attack_centre_lists.py) lists licence terms."""

from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from bpsa.core.codes import Removal
from tests.fixtures.pool import PoolDriver
from tests.unit.licensing.helpers import PER_PATENT_AGREEMENT

YEAR = 365 * 24 * 3600
BPC = 10**18


@pytest.fixture
def listed_patent(driver: PoolDriver, provider: Any, centre: Any) -> bytes:
    return driver.pooled(provider, "11234567", centre=centre)


def test_list_terms__by_the_provider__records_and_logs(
    licensing: Any, patent_pool: Any, listed_patent: bytes, provider: Any
) -> None:
    tx = licensing.list_terms(listed_patent, 5 * BPC, YEAR, "terminals", "CN", sender=provider)

    assert tx.return_value == 1
    listing = licensing.listings(1)
    assert (listing.patent, listing.lister, listing.price, listing.duration) == (
        listed_patent, provider.address, 5 * BPC, YEAR
    )  # fmt: skip
    assert (listing.field_of_use, listing.territory, listing.active) == ("terminals", "CN", True)
    assert listing.tenure == patent_pool.tenure_of(listed_patent) and licensing.is_open(1)
    event = tx.events.filter(licensing.Listed)[0]
    assert (event.price, event.tenure) == (5 * BPC, listing.tenure)
    assert listing.agreement == event.agreement == bytes(32)  # no standard set, none given


def test_list_terms__own_agreement__stored_logged_and_carried_by_its_licences(
    licensing: Any,
    pool_council: Any,
    listed_patent: bytes,
    provider: Any,
    fund_bpc: Any,
    bpc: Any,
    enterprise: Any,
) -> None:
    own, standard = keccak(b"the provider's agreement"), keccak(b"the pool's standard")
    licensing.set_agreement(PER_PATENT_AGREEMENT, standard, sender=pool_council)

    tx = licensing.list_terms(listed_patent, 5 * BPC, YEAR, "terminals", "CN", own, sender=provider)
    fund_bpc(enterprise, 5 * BPC)
    bpc.approve(licensing, 5 * BPC, sender=enterprise)
    bought = licensing.buy(tx.return_value, sender=enterprise)

    assert licensing.listings(tx.return_value).agreement == own  # not the standard
    assert tx.events.filter(licensing.Listed)[0].agreement == own
    assert bought.events.filter(licensing.LicenceBought)[0].agreement == own
    assert licensing.licences(bought.return_value).agreement == own


def test_list_terms__no_agreement_given__takes_the_standard_in_force(
    licensing: Any, pool_council: Any, listed_patent: bytes, provider: Any
) -> None:
    standard = keccak(b"the pool's standard")
    licensing.set_agreement(PER_PATENT_AGREEMENT, keccak(b"older"), sender=pool_council)
    licensing.set_agreement(PER_PATENT_AGREEMENT, standard, sender=pool_council)

    tx = licensing.list_terms(listed_patent, 5 * BPC, YEAR, "terminals", "CN", sender=provider)

    assert licensing.listings(tx.return_value).agreement == standard


@pytest.fixture(params=["centre", "provider2"])
def unmandated(request: pytest.FixtureRequest) -> Any:
    """The patent's own trusteeship centre (no exception) or another provider."""
    return request.getfixturevalue(request.param)


def test_list_terms__by_anyone_else_without_a_mandate__reverts(
    licensing: Any, listed_patent: bytes, unmandated: Any
) -> None:
    lister = unmandated
    with ape.reverts(
        "licensing: only the patent's contributor or an agent it mandated lists terms"
    ):
        licensing.list_terms(listed_patent, BPC, YEAR, "any", "worldwide", sender=lister)


def test_list_terms__provider_suspended__reverts_and_its_old_listing_still_sells(
    licensing: Any,
    bpc: Any,
    listed_patent: bytes,
    provider: Any,
    pool_alliance: Any,
    pool_council: Any,
    licensee: Any,
    fund_bpc: Any,
) -> None:
    licensing.list_terms(listed_patent, BPC, YEAR, "any", "worldwide", sender=provider)
    pool_alliance.suspend(provider.address, sender=pool_council)

    with ape.reverts("licensing: the lister is not an active member"):
        licensing.list_terms(listed_patent, BPC, YEAR, "other", "CN", sender=provider)
    fund_bpc(licensee, 2 * BPC)
    bpc.approve(licensing, 2 * BPC, sender=licensee)
    assert licensing.buy(1, sender=licensee).return_value == 1


def test_list_terms__patent_not_pooled__reverts(
    licensing: Any, patent_pool: Any, listed_patent: bytes, provider: Any, pool_council: Any
) -> None:
    patent_pool.remove(listed_patent, int(Removal.TRANSFERRED), sender=pool_council)

    with ape.reverts("licensing: patent is not pooled"):
        licensing.list_terms(listed_patent, BPC, YEAR, "any", "worldwide", sender=provider)


@pytest.mark.parametrize(
    ("price", "duration", "reason"),
    [
        (0, YEAR, "licensing: price must be 1 wei to 10^12 BPC"),
        (10**30 + 1, YEAR, "licensing: price must be 1 wei to 10^12 BPC"),
        (BPC, 0, "licensing: duration must be 1 second to 50 years"),
        (BPC, 50 * YEAR + 1, "licensing: duration must be 1 second to 50 years"),
    ],
    ids=["free", "too-dear", "no-time", "too-long"],
)
def test_list_terms__terms_out_of_bounds__reverts(
    licensing: Any, listed_patent: bytes, provider: Any, price: int, duration: int, reason: str
) -> None:
    with ape.reverts(reason):
        licensing.list_terms(listed_patent, price, duration, "any", "worldwide", sender=provider)


def test_delist__by_the_lister__closes_the_listing(
    licensing: Any, listed_patent: bytes, provider: Any
) -> None:
    licensing.list_terms(listed_patent, BPC, YEAR, "any", "worldwide", sender=provider)

    tx = licensing.delist(1, sender=provider)

    assert not licensing.listings(1).active and not licensing.is_open(1)
    assert tx.events.filter(licensing.Delisted) == [
        licensing.Delisted(listing=1, by=provider.address)
    ]
    with ape.reverts("licensing: no active listing"):
        licensing.delist(1, sender=provider)


def test_delist__by_someone_else__reverts(
    licensing: Any, listed_patent: bytes, provider: Any, attacker: Any
) -> None:
    licensing.list_terms(listed_patent, BPC, YEAR, "any", "worldwide", sender=provider)

    with ape.reverts("licensing: only the lister or the patent's contributor delists"):
        licensing.delist(1, sender=attacker)
