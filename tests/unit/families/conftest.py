"""Fixtures for the Families unit tests.

The pool, its council (an EOA), the alliance, the trusteeship centre `centre` and the
`families` contract come from tests/fixtures/pool.py. `submitted` is the provider's
patent `NUMBER` nominating the centre at submission (a nominee, no mandate); `pooled` is
it rated and pooled; `fund_patent` is a patent the fund bought, pooled.
"""

from typing import Any

import pytest

from bpsa.core import certificates as certs
from tests.fixtures.pool import PoolDriver
from tests.unit.families.helpers import FUND_NUMBER, NUMBER


@pytest.fixture
def submitted(driver: PoolDriver, provider: Any, centre: Any) -> bytes:
    """The provider's patent, submitted with the centre nominated (no mandate)."""
    return driver.submit(provider, NUMBER, centre=centre)


@pytest.fixture
def pooled(driver: PoolDriver, provider: Any, submitted: bytes, pool_council: Any) -> bytes:
    """The provider's patent, certified, rated 80 and pooled, with no mandate."""
    driver.certify(provider, NUMBER)
    driver.rate(submitted, 80)
    driver.pool.pool(submitted, sender=pool_council)
    return submitted


@pytest.fixture
def fund_patent(driver: PoolDriver, fund: Any, oracles: list[Any]) -> bytes:
    """A patent the fund bought (the council submitted it), certified, rated and pooled."""
    patent = driver.pooled_purchase(fund, FUND_NUMBER, oracles[0])
    assert patent == certs.patent_id("US", FUND_NUMBER)
    return patent
