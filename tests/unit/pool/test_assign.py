"""PatentPool.assign: the exchange records the sale of a pooled patent; the buyer becomes
its contributor of record, and the certificate in force at the sale keeps the patent in
force until the oracles' next certificate, which must name the buyer.

The exchange is stood in for by an account the council names in `set_exchange`."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import CertStatus, Lapse, Source
from tests.fixtures.pool import PoolDriver
from tests.unit.pool.helpers import (
    NOT_POOLED,
    OTHER_NUMBER,
    OTHER_OWNER,
    ZERO,
    assert_new_life_refused,
    attest,
)

ONLY_EXCHANGE = "pool: only the exchange assigns"
USAGE_RIGHT = "pool: a usage right cannot be assigned"
BUYER_ZERO = "pool: buyer is the zero address"
ALREADY_HOLDS = "pool: buyer already holds the patent"


def test_assign__by_the_exchange__makes_the_buyer_contributor_and_moves_the_weight(
    patent_pool: Any,
    royalties: Any,
    exchange_stand_in: Any,
    pooled: bytes,
    provider: Any,
    provider2: Any,
    centre: Any,
) -> None:
    tx = patent_pool.assign(pooled, provider2, sender=exchange_stand_in)

    record = patent_pool.patents(pooled)
    assert (record.status, record.contributor, record.centre, record.source) == (
        4, provider2.address, ZERO, Source.CONTRIBUTED
    )  # fmt: skip
    assert (royalties.contributor_weight(provider), royalties.contributor_weight(provider2)) == (
        0, 80
    )  # fmt: skip
    assert royalties.centre_weight(centre) == 0  # the centre's mandate was the seller's
    assert patent_pool.assignment_of(pooled) == (provider.address, 1)
    event = tx.events.filter(patent_pool.Assigned)[0]
    assert (event.seller, event.buyer, event.certified_owner, event.certificate_nonce) == (
        provider.address, provider2.address, provider.address, 1
    )  # fmt: skip


def test_assign__to_the_fund__source_becomes_purchased(
    patent_pool: Any, exchange_stand_in: Any, fund: Any, pooled: bytes
) -> None:
    patent_pool.assign(pooled, fund, sender=exchange_stand_in)

    record = patent_pool.patents(pooled)
    assert (record.contributor, record.source) == (fund.address, Source.PURCHASED)
    assert patent_pool.lapse_of(pooled) == Lapse.NONE


@pytest.mark.parametrize("caller", ["pool_council", "provider", "centre"])
def test_assign__by_anyone_but_the_exchange__reverts(
    patent_pool: Any,
    exchange_stand_in: Any,
    pooled: bytes,
    provider2: Any,
    pool_council: Any,
    provider: Any,
    centre: Any,
    caller: str,
) -> None:
    sender = {"pool_council": pool_council, "provider": provider, "centre": centre}[caller]

    with ape.reverts(ONLY_EXCHANGE):
        patent_pool.assign(pooled, provider2, sender=sender)


@pytest.mark.parametrize(("buyer", "reason"), [("zero", BUYER_ZERO), ("seller", ALREADY_HOLDS)])
def test_assign__buyer_zero_or_the_seller__reverts(
    patent_pool: Any, exchange_stand_in: Any, pooled: bytes, provider: Any, buyer: str, reason: str
) -> None:
    with ape.reverts(reason):
        patent_pool.assign(pooled, ZERO if buyer == "zero" else provider, sender=exchange_stand_in)


@pytest.fixture(params=["not_pooled", "certificate_no_longer_holds", "usage_right"])
def unassignable(
    request: pytest.FixtureRequest,
    driver: PoolDriver,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
) -> tuple[bytes, str]:
    """A patent the exchange may not assign, and the reason: rated but not pooled; pooled
    while the office names provider2, not by a sale the registry knows; a pooled usage
    right on a patent owned outside the alliance."""
    if request.param == "not_pooled":
        return request.getfixturevalue("rated"), NOT_POOLED
    if request.param == "certificate_no_longer_holds":
        patent: bytes = request.getfixturevalue("pooled")
        driver.nonce = 1
        attest(driver, provider2)
        return patent, OTHER_OWNER
    ends = driver.now() + 2 * 365 * 86400
    patent = driver.submit(provider, OTHER_NUMBER, source=Source.USAGE_RIGHT, right_ends=ends)
    attest(driver, "0x" + "ab" * 20, OTHER_NUMBER)
    patent_pool.certify(patent, sender=provider)
    driver.rate(patent, 80)
    patent_pool.pool(patent, sender=pool_council)
    return patent, USAGE_RIGHT


def test_assign__patent_not_assignable__reverts(
    patent_pool: Any, exchange_stand_in: Any, unassignable: tuple[bytes, str], provider2: Any
) -> None:
    patent, reason = unassignable

    with ape.reverts(reason):
        patent_pool.assign(patent, provider2, sender=exchange_stand_in)


def test_ownership_and_lapse__pooled_patent__what_the_exchange_reads_in_one_call(
    patent_pool: Any, pooled: bytes, provider: Any, centre: Any
) -> None:
    assert patent_pool.ownership_and_lapse(pooled) == (
        4, Source.CONTRIBUTED, provider.address, centre.address, Lapse.NONE, 1
    )  # fmt: skip


def test_tenure_of__assignment__moves_on_and_never_returns(
    patent_pool: Any, pooled: bytes, provider2: Any, exchange_stand_in: Any
) -> None:
    assert patent_pool.tenure_of(pooled) == 1  # the first life's first holder
    patent_pool.assign(pooled, provider2, sender=exchange_stand_in)
    assert patent_pool.tenure_of(pooled) == 2
    assert patent_pool.ownership(pooled)[3] == 2


def test_assignment_of__no_sale__zero(patent_pool: Any, pooled: bytes) -> None:
    assert patent_pool.assignment_of(pooled) == (ZERO, 0)


# The certificate rule after a sale.


@pytest.fixture
def sold(patent_pool: Any, exchange_stand_in: Any, pooled: bytes, provider2: Any) -> bytes:
    """The pooled patent, sold to provider2 (its certificate, nonce 1, names provider)."""
    patent_pool.assign(pooled, provider2, sender=exchange_stand_in)
    return pooled


def test_lapse__after_a_sale__the_certificate_naming_the_seller_holds(
    patent_pool: Any, sold: bytes, provider2: Any
) -> None:
    assert patent_pool.lapse_of(sold) == Lapse.NONE
    with ape.reverts("pool: certificate still in force"):
        patent_pool.expire(sold, sender=provider2)


def test_lapse__after_a_sale__a_new_certificate_naming_the_buyer_holds(
    driver: PoolDriver, patent_pool: Any, sold: bytes, provider2: Any
) -> None:
    driver.nonce = 1
    attest(driver, provider2)

    assert patent_pool.lapse_of(sold) == Lapse.NONE


def test_lapse__after_a_sale__a_new_certificate_naming_the_seller_lapses_it(
    driver: PoolDriver, patent_pool: Any, sold: bytes, provider: Any
) -> None:
    driver.nonce = 1
    attest(driver, provider)  # the office still names the seller after the sale

    assert patent_pool.lapse_of(sold) == Lapse.OWNER_CHANGED
    patent_pool.expire(sold, sender=provider)
    assert patent_pool.patents(sold).status == 6


def test_lapse__a_second_sale_before_the_office_records_the_first__still_holds(
    patent_pool: Any, exchange_stand_in: Any, sold: bytes, provider: Any, fund: Any
) -> None:
    patent_pool.assign(sold, fund, sender=exchange_stand_in)

    assert patent_pool.lapse_of(sold) == Lapse.NONE
    assert patent_pool.assignment_of(sold) == (provider.address, 1)  # the office's owner


def test_lapse__the_seller_revoked_certificate__lapses_after_a_sale_too(
    driver: PoolDriver, patent_pool: Any, sold: bytes
) -> None:
    driver.nonce = 1
    attest(driver, driver.oracles[0], status=CertStatus.INVALIDATED)

    assert patent_pool.lapse_of(sold) == Lapse.NOT_IN_FORCE


def test_certify__new_life_by_another_provider_on_the_sold_certificate__reverts(
    driver: PoolDriver, pool_alliance: Any, pool_council: Any, sold: bytes, enterprise: Any
) -> None:
    # the record speaks only for its buyer: a third provider cannot ride the old certificate
    pool_alliance.grant_role(enterprise, 1, sender=pool_council)  # a provider now

    assert_new_life_refused(driver, sold, enterprise)


def test_certify__new_life_by_the_buyer_on_the_sold_certificate__reverts(
    driver: PoolDriver, sold: bytes, provider2: Any
) -> None:
    """The sale record belonged to the tenure that ended with the patent's life (issue 15,
    finding 7): the buyer certifies a new life on a certificate naming it."""
    assert_new_life_refused(driver, sold, provider2)
