"""Fixtures for the Exchange unit tests (constants and helpers live in helpers.py).

The Exchange comes from tests/fixtures/exchange.py over the session pool and licence
desk, all owned by the EOA `pool_council`. The seller is `provider` (a start-up), whose
patent NUMBER is lot once per module with the trusteeship `centre`; `provider2` (an
SME with the provider role) buys assignments, `enterprise` (a large enterprise without
it) exclusive licences; `licensee`, `attacker` and `outsider` are not members.
"""

from collections.abc import Callable
from typing import Any

import pytest

from tests.fixtures.pool import PoolDriver
from tests.unit.exchange.helpers import DURATION, FIELD, NUMBER, PATENT, PRICE, TERRITORY


@pytest.fixture(scope="module")
def walker(
    chain: Any,
    patent_pool: Any,
    certificates: Any,
    pool_council: Any,
    oracles: list[Any],
    experts: list[Any],
    cert_domain: Any,
) -> PoolDriver:
    """A PoolDriver for module fixtures (`driver` is per test)."""
    return PoolDriver(chain, patent_pool, certificates, pool_council, oracles, experts, cert_domain)


@pytest.fixture(scope="module")
def lot(
    walker: PoolDriver, exchange: Any, provider: Any, centre: Any, actors: dict[str, Any]
) -> bytes:
    """The provider's patent NUMBER, lot with the trusteeship centre (score 80, 500 BPC
    to the provider). Six transactions, once per module (ape's module snapshot)."""
    patent = walker.pooled(provider, NUMBER, centre=centre)
    assert patent == PATENT
    return bytes(patent)


@pytest.fixture
def assignment(exchange: Any, lot: bytes, provider: Any) -> int:
    """The provider's listing of its patent's assignment at PRICE."""
    return int(exchange.list_assignment(lot, PRICE, sender=provider).return_value)


@pytest.fixture
def exclusive(exchange: Any, lot: bytes, provider: Any) -> int:
    """The provider's listing of an exclusive licence (FIELD, TERRITORY, DURATION) at PRICE."""
    tx = exchange.list_exclusive(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)
    return int(tx.return_value)


@pytest.fixture
def pay(bpc: Any, exchange: Any, fund_bpc: Any) -> Callable[[Any, int], None]:
    """`pay(buyer, amount)`: mints `buyer` `amount` BPC and approves the exchange for it."""

    def _pay(buyer: Any, amount: int = PRICE) -> None:
        fund_bpc(buyer, amount)
        bpc.approve(exchange, amount, sender=buyer)

    return _pay


@pytest.fixture(scope="module")
def actors(
    provider: Any,
    provider2: Any,
    centre: Any,
    enterprise: Any,
    pool_council: Any,
    attacker: Any,
    licensee: Any,
) -> dict[str, Any]:
    """The actors by fixture name, for tests parametrized by caller. Set up with the module
    (`lot` asks for it): a session fixture first set up inside a test breaks the chain
    snapshots' order, and the test's changes outlive it."""
    return {
        "provider": provider,
        "provider2": provider2,
        "centre": centre,
        "enterprise": enterprise,
        "pool_council": pool_council,
        "attacker": attacker,
        "licensee": licensee,
    }
