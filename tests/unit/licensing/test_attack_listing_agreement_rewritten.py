"""Attack: a lister changes the agreement of a listing someone already bought under (to
terms the licensee never accepted), directly or by moving the pool's standard agreement
the listing took.

Invariant: a listing's agreement is fixed when it is listed (the lister's own digest, or
the standard per-patent agreement in force then, copied); no call rewrites it, so every
licence bought on it keeps the agreement it was bought under. New terms need a new
listing, which is a new id."""

from collections.abc import Callable
from typing import Any

import pytest
from eth_utils.crypto import keccak

from tests.fixtures.pool import PoolDriver
from tests.unit.licensing.helpers import ONE, PER_PATENT_AGREEMENT, YEAR

SIGNED, REWRITTEN = keccak(b"the agreement the licensee signed"), keccak(b"worse terms")
STANDARD, NEW_STANDARD = keccak(b"standard per-patent v1"), keccak(b"standard per-patent v2")
PRICE = 10 * ONE


@pytest.fixture
def patent(driver: PoolDriver, provider: Any) -> bytes:
    return driver.pooled(provider)


@pytest.fixture
def buy(
    licensing: Any, enterprise: Any, pay_licensing: Callable[[Any, int], None]
) -> Callable[[int], int]:
    def _buy(listing: int) -> int:
        pay_licensing(enterprise, PRICE)
        return int(licensing.buy(listing, sender=enterprise).return_value)

    return _buy


def test_list_terms__lister_relists_with_other_terms__the_licence_keeps_its_agreement(
    licensing: Any, provider: Any, patent: bytes, buy: Callable[[int], int]
) -> None:
    first = licensing.list_terms(patent, PRICE, YEAR, "terminals", "CN", SIGNED, sender=provider)
    licence = buy(first.return_value)

    # the lister withdraws the listing and lists the same terms under another agreement
    licensing.delist(first.return_value, sender=provider)
    second = licensing.list_terms(
        patent, PRICE, YEAR, "terminals", "CN", REWRITTEN, sender=provider
    )

    assert second.return_value != first.return_value
    assert licensing.listings(first.return_value).agreement == SIGNED
    assert licensing.licences(licence).agreement == SIGNED
    assert licensing.listings(second.return_value).agreement == REWRITTEN


def test_list_terms__standard_changed_after_listing__the_listing_and_licence_keep_it(
    licensing: Any, pool_council: Any, provider: Any, patent: bytes, buy: Callable[[int], int]
) -> None:
    licensing.set_agreement(PER_PATENT_AGREEMENT, STANDARD, sender=pool_council)
    listed = licensing.list_terms(patent, PRICE, YEAR, "terminals", "CN", sender=provider)
    before = buy(listed.return_value)

    licensing.set_agreement(PER_PATENT_AGREEMENT, NEW_STANDARD, sender=pool_council)
    after = buy(listed.return_value)

    # the listing copied the standard in force when it was listed: the change binds only
    # listings made later, never a licence already sold nor one sold on the old listing
    assert licensing.listings(listed.return_value).agreement == STANDARD
    assert licensing.licences(before).agreement == STANDARD
    assert licensing.licences(after).agreement == STANDARD


def test_abi__no_function_rewrites_a_listing_s_agreement(licensing: Any) -> None:
    # the only writers of a listing are list_terms (a new id) and delist (its state)
    writers = {
        abi.name
        for abi in licensing.contract_type.abi
        if abi.type == "function"
        and abi.stateMutability not in ("view", "pure")
        and any(i.name == "listing" for i in abi.inputs)
    }
    assert writers == {"delist", "buy"}
