"""set_exchange of Licensing and of PatentPool: the council names the exchange (the one
that records exclusive licences, the one whose sales `assign` records); nobody else may.
What a zero exchange stops stays beside each contract's tests (licensing/ and pool/
test_set_exchange.py)."""

from typing import Any

import ape
import pytest

from tests.unit.ownership import NOT_OWNER


@pytest.fixture(params=["licensing", "patent_pool"])
def exchange_user(request: pytest.FixtureRequest, deployed: dict[str, Any]) -> Any:
    """The contract a case names: one that takes the exchange's word."""
    return deployed[request.param]


def test_set_exchange__by_the_council__names_it_and_logs(
    exchange_user: Any, pool_council: Any, accounts: Any
) -> None:
    tx = exchange_user.set_exchange(accounts[11], sender=pool_council)

    assert exchange_user.exchange() == accounts[11].address
    assert tx.events.filter(exchange_user.ExchangeSet)[0].exchange == accounts[11].address


def test_set_exchange__by_anyone_else__reverts(
    exchange_user: Any, provider: Any, accounts: Any
) -> None:
    with ape.reverts(NOT_OWNER):
        exchange_user.set_exchange(accounts[11], sender=provider)
