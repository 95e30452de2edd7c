"""Issue 15, finding 7: a past seller re-certifies a patent it sold.

The registry kept a record per (patent, document, buyer) of the certificate in force at
each sale and never cleared it: after A sold to B and B to C and the patent was removed,
B submitted it again and certified on that record. And the original seller A, whom the
certificate still names until the office records the sale, submitted and certified it as
its own. Now only the current holder's tenure carries a sale record (every assignment
supersedes the last, a new life starts without one), and the registry remembers the
patent's seller of record, the owner the certificate named at its last sale: it may not
submit the patent again until it buys it back on the exchange or the council clears it by
a governance vote (after the office names it owner again). A seller the office no longer
names needs no record: no oracle certifies it, and no certificate still naming it can.
"""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Lapse, PatentStatus, Removal, Role
from tests.fixtures.pool import PoolDriver
from tests.unit.pool.helpers import (
    NOT_OWNER,
    NUMBER,
    OTHER_OWNER,
    ZERO,
    assert_new_life_refused,
    attest,
)

SELLER = "pool: the contributor sold this patent on the exchange"


@pytest.fixture
def buyer_c(grant: Callable[[Any, Role], Any], enterprise: Any) -> Any:
    """A third holder: the large enterprise, a provider too."""
    return grant(enterprise, Role.PROVIDER)


@pytest.fixture
def sold_twice(
    patent_pool: Any,
    exchange_stand_in: Any,
    pooled: bytes,
    provider2: Any,
    buyer_c: Any,
) -> bytes:
    """The provider's (A's) patent sold to the SME (B), then to the enterprise (C); the
    office has recorded neither sale: the certificate (nonce 1) still names A."""
    patent_pool.assign(pooled, provider2, sender=exchange_stand_in)
    patent_pool.assign(pooled, buyer_c, sender=exchange_stand_in)
    return pooled


def test_certify__middle_seller_after_the_patent_left__reverts(
    driver: PoolDriver, sold_twice: bytes, provider2: Any
) -> None:
    assert_new_life_refused(driver, sold_twice, provider2)


def test_submit__original_seller_still_named_by_the_certificate__reverts(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, sold_twice: bytes, provider: Any
) -> None:
    patent_pool.remove(sold_twice, int(Removal.TRANSFERRED), sender=pool_council)
    assert patent_pool.is_seller_of_record(sold_twice, provider)

    with ape.reverts(SELLER):
        driver.submit(provider, NUMBER)


def test_certify__last_buyer_after_the_patent_left__needs_a_certificate_naming_it(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, sold_twice: bytes, buyer_c: Any
) -> None:
    """The sale record belonged to the life that ended: C certifies once the office
    records C as owner, not on the certificate still naming A."""
    patent_pool.remove(sold_twice, int(Removal.TRANSFERRED), sender=pool_council)
    driver.submit(buyer_c, NUMBER)

    with ape.reverts(OTHER_OWNER):
        patent_pool.certify(sold_twice, sender=buyer_c)
    attest(driver, buyer_c)
    patent_pool.certify(sold_twice, sender=buyer_c)
    assert patent_pool.patents(sold_twice).status == PatentStatus.CERTIFIED


def test_assign__every_sale_supersedes_the_last__only_the_holder_rides_the_certificate(
    patent_pool: Any, exchange_stand_in: Any, sold_twice: bytes, provider: Any
) -> None:
    assert patent_pool.assignment_of(sold_twice) == (provider.address, 1)
    assert patent_pool.lapse_of(sold_twice) == Lapse.NONE


def test_assign__seller_buys_it_back__no_longer_a_seller_of_record(
    driver: PoolDriver,
    patent_pool: Any,
    pool_council: Any,
    exchange_stand_in: Any,
    sold_twice: bytes,
    provider: Any,
    provider2: Any,
) -> None:
    tx = patent_pool.assign(sold_twice, provider, sender=exchange_stand_in)  # C sells back to A

    assert not patent_pool.is_seller_of_record(sold_twice, provider)
    assert not patent_pool.is_seller_of_record(sold_twice, provider2)  # never named
    assert tx.events.filter(patent_pool.Assigned)[0].buyer == provider.address
    patent_pool.remove(sold_twice, int(Removal.TRANSFERRED), sender=pool_council)
    driver.submit(provider, NUMBER)
    patent_pool.certify(sold_twice, sender=provider)  # the office names A: A holds it
    assert patent_pool.patents(sold_twice).status == PatentStatus.CERTIFIED


def test_clear_seller__by_the_council__the_seller_may_submit_again(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, sold_twice: bytes, provider: Any
) -> None:
    patent_pool.remove(sold_twice, int(Removal.TRANSFERRED), sender=pool_council)

    tx = patent_pool.clear_seller(sold_twice, provider, sender=pool_council)

    assert tx.events == [patent_pool.SellerCleared(patent=sold_twice, seller=provider.address)]
    assert not patent_pool.is_seller_of_record(sold_twice, provider)
    driver.submit(provider, NUMBER)
    assert patent_pool.patents(sold_twice).contributor == provider.address


def test_clear_seller__by_anyone_else__reverts(
    patent_pool: Any, sold_twice: bytes, provider: Any
) -> None:
    with ape.reverts(NOT_OWNER):
        patent_pool.clear_seller(sold_twice, provider, sender=provider)


def test_clear_seller__not_a_seller__reverts(
    patent_pool: Any, pool_council: Any, sold_twice: bytes, buyer_c: Any
) -> None:
    patent_pool.remove(sold_twice, int(Removal.TRANSFERRED), sender=pool_council)

    with ape.reverts("pool: not the seller of record of this patent"):
        patent_pool.clear_seller(sold_twice, buyer_c, sender=pool_council)


def test_clear_seller__patent_still_pooled__reverts(
    patent_pool: Any, pool_council: Any, sold_twice: bytes, provider: Any
) -> None:
    """Its holder rides the certificate naming the seller: clearing waits until it left."""
    with ape.reverts("pool: the patent is in the registry"):
        patent_pool.clear_seller(sold_twice, provider, sender=pool_council)


def test_assignment_of__new_life__no_record(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, sold_twice: bytes, buyer_c: Any
) -> None:
    patent_pool.remove(sold_twice, int(Removal.TRANSFERRED), sender=pool_council)
    driver.submit(buyer_c, NUMBER)

    assert patent_pool.assignment_of(sold_twice) == (ZERO, 0)
