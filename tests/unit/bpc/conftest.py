"""Fixtures for the BPC unit tests.

The token is the session pool's (tests/fixtures/pool.py): PatentPool is its only
minter. `minter` is that pool as an impersonated sender, so a test can mint exact
amounts without walking a patent through the lifecycle; `holder` is the licensee
with 1,000 BPC minted that way.
"""

from typing import Any

import pytest

from tests.fixtures.actors import impersonated

HELD = 1_000 * 10**18


@pytest.fixture
def minter(accounts: Any, chain: Any, patent_pool: Any) -> Any:
    """The PatentPool contract as an impersonated sender."""
    return impersonated(accounts, chain, patent_pool)


@pytest.fixture
def holder(bpc: Any, minter: Any, licensee: Any) -> Any:
    """The licensee, holding `HELD` BPC."""
    bpc.mint(licensee, HELD, sender=minter)
    return licensee


@pytest.fixture
def caller(request: pytest.FixtureRequest) -> Any:
    """Parametrised indirectly with an actor fixture's name: that actor, as the caller."""
    return request.getfixturevalue(request.param)
