"""PatentPool.set_exchange: the council names the exchange whose sales `assign` records."""

from typing import Any

import ape

from tests.unit.pool.helpers import ZERO


def test_set_exchange__zero_address__stops_assignments(
    patent_pool: Any, pool_council: Any, accounts: Any, pooled: bytes, provider2: Any
) -> None:
    patent_pool.set_exchange(accounts[11], sender=pool_council)
    patent_pool.set_exchange(ZERO, sender=pool_council)

    with ape.reverts("pool: only the exchange assigns"):
        patent_pool.assign(pooled, provider2, sender=accounts[11])
