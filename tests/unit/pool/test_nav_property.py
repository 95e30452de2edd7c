"""The NAV rule of PatentPool.pool, as a property: pooling never dilutes holders, by at most a wei.

For any pool built by pooling one to three patents, pooling one more at any
valuation mints `minted` BPC such that the value per BPC does not fall, and one
more wei of BPC would have made it fall (the rounding is against the minter,
and only just). Where that one wei is worth more than a millionth of the new
patent's value, pooling refuses instead of rounding the contributor's value away.
"""

from typing import Any

import ape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.pool import PoolDriver

# 10^3 units: even at a NAV a little under the initial 100 units per whole BPC it mints a wei.
valuations = st.integers(min_value=10**3, max_value=10**30)


@settings(
    max_examples=10,
    deadline=None,  # each example sends a few dozen transactions
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(existing=st.lists(valuations, min_size=1, max_size=3), valuation=valuations)
def test_pool__any_pool_and_valuation__never_dilutes_and_mints_the_most_that_does_not(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    bpc: Any,
    pool_council: Any,
    provider: Any,
    existing: list[int],
    valuation: int,
) -> None:
    snapshot = chain.snapshot()  # fixtures are set up once for all examples: undo each one
    try:
        for i, value in enumerate([*existing, valuation]):
            patent = driver.submit(provider, f"{1000 + i}")
            driver.certify(provider, f"{1000 + i}")
            driver.rate(patent, 80, value)
            old_value, old_supply = patent_pool.pooled_value(), bpc.totalSupply()
            product = value * old_supply
            if old_supply and product % old_value * 10**6 > product:
                with ape.reverts("pool: too few BPC outstanding to mint at NAV without loss"):
                    patent_pool.pool(patent, sender=pool_council)
                continue
            minted = patent_pool.pool(patent, sender=pool_council).return_value

            new_value, new_supply = patent_pool.pooled_value(), bpc.totalSupply()
            assert (new_value, new_supply) == (old_value + value, old_supply + minted)
            if old_supply:
                assert new_value * old_supply >= old_value * new_supply  # never dilutes
                assert (minted + 1) * old_value > value * old_supply  # one more wei would
            else:
                assert minted == value * 10**18 // patent_pool.INITIAL_NAV()
    finally:
        chain.restore(snapshot)
