"""Attack: anyone but the pool appends to its Coverage log (a stranger, or a member that
would log its patent as pooled, or end another's stay).

Invariant (SECURITY.md): only PatentPool appends to its Coverage log, once at each entry
into the pooled set and once at each exit; nobody else moves a root."""

from typing import Any

import ape
import pytest

from tests.fixtures.pool import PoolDriver
from tests.unit.coverage.helpers import ONLY_POOL, key

NUMBER = "51111111"


@pytest.mark.parametrize("who", ["attacker", "provider", "pool_council"])
def test_attack_append__not_the_pool__reverts_and_the_log_stays(
    request: pytest.FixtureRequest, driver: PoolDriver, coverage: Any, provider: Any, who: str
) -> None:
    caller = request.getfixturevalue(who)
    pooled = driver.pooled(provider, NUMBER)
    size, root = coverage.size(), coverage.root()

    with ape.reverts(ONLY_POOL):
        coverage.enter(key(7), sender=caller)
    with ape.reverts(ONLY_POOL):
        coverage.leave(pooled, sender=caller)
    assert (coverage.size(), coverage.root()) == (size, root)
    assert coverage.stay_of(pooled)[0]
