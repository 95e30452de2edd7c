"""Fixtures for the Mandates unit tests.

The pool, its council (an EOA), the alliance and the trusteeship centre `centre` come
from tests/fixtures/pool.py. `pooled` is the provider's patent `NUMBER`, pooled (score
80) under no mandate; `offered` adds the provider's offer to the centre (TERMS, the
whole centre share, a year) and `accepted` the centre's acceptance. `pay_for(amount)`
pays a fee the patent earned alone, `pay(amount)` a pool-wide fee, each as the licensee.
"""

from collections.abc import Callable
from typing import Any

import pytest

from tests.fixtures.pool import YEAR, PoolDriver
from tests.unit.mandates.helpers import NUMBER, REFERENCE, SHARE, TERMS

Fee = Callable[[int], Any]


@pytest.fixture
def pooled(driver: PoolDriver, provider: Any) -> bytes:
    """The provider's patent, rated 80 and pooled, with no mandate."""
    return driver.pooled(provider, NUMBER, score=80)


@pytest.fixture
def expiry(driver: PoolDriver) -> int:
    """The offer's expiry: a year from now."""
    return driver.now() + YEAR


@pytest.fixture
def offered(mandates: Any, pooled: bytes, provider: Any, centre: Any, expiry: int) -> bytes:
    """The provider offered the centre a mandate for its pooled patent."""
    mandates.offer_mandate(pooled, centre, TERMS, SHARE, expiry, sender=provider)
    return pooled


@pytest.fixture
def accepted(mandates: Any, offered: bytes, centre: Any, expiry: int) -> bytes:
    """The centre accepted the offer: the mandate is in force."""
    mandates.accept_mandate(offered, TERMS, SHARE, expiry, sender=centre)
    return offered


@pytest.fixture
def pay_for(bpc: Any, royalties: Any, licensee: Any, provider: Any, pooled: bytes) -> Fee:
    """`pay_for(amount)`: the licensee pays a fee the pooled patent earned alone, in BPC
    the provider hands it."""

    def _pay(amount: int) -> Any:
        bpc.transfer(licensee, amount, sender=provider)
        bpc.approve(royalties, amount, sender=licensee)
        return royalties.pay_for(pooled, amount, REFERENCE, sender=licensee)

    return _pay


@pytest.fixture
def pay(bpc: Any, royalties: Any, licensee: Any, provider: Any, pooled: bytes) -> Fee:
    """`pay(amount)`: the licensee pays a pool-wide fee (split by rating weight)."""

    def _pay(amount: int) -> Any:
        bpc.transfer(licensee, amount, sender=provider)
        bpc.approve(royalties, amount, sender=licensee)
        return royalties.pay(amount, REFERENCE, sender=licensee)

    return _pay
