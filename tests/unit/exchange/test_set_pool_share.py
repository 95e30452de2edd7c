"""Exchange.set_pool_share: the council sets the pool's share of later sales."""

from typing import Any

import ape
import pytest

from tests.unit.exchange.conftest import Sell
from tests.unit.exchange.helpers import NOT_OWNER, PRICE, SHARE_ABOVE


@pytest.mark.parametrize("share", [0, 2_500, 10_000])
def test_set_pool_share__by_the_council__applies_to_the_next_sale(
    exchange: Any, pool_council: Any, assignment: int, sell: Sell, provider2: Any, share: int
) -> None:
    tx = exchange.set_pool_share(share, sender=pool_council)

    sell(assignment, provider2, to_pool=PRICE * share // 10_000)

    assert exchange.pool_share_bps() == share
    assert tx.events.filter(exchange.PoolShareSet)[0].pool_share_bps == share


def test_set_pool_share__above_the_whole__reverts(exchange: Any, pool_council: Any) -> None:
    with ape.reverts(SHARE_ABOVE):
        exchange.set_pool_share(10_001, sender=pool_council)


def test_set_pool_share__by_anyone_else__reverts(exchange: Any, provider: Any) -> None:
    with ape.reverts(NOT_OWNER):
        exchange.set_pool_share(0, sender=provider)
