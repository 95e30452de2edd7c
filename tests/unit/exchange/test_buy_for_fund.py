"""Exchange.buy_for_fund: the council buys for the fund, which pays through the allowance
an earlier call of the same proposal gives (Fund.approve); the fund becomes the patent's
contributor of record (source: purchased) or holds the exclusive licence."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Lapse, Source
from tests.fixtures.suite import Pass, calldata
from tests.unit.exchange.helpers import NO_ALLOWANCE, NOT_OWNER, PRICE, TO_POOL, TO_SELLER


def test_buy_for_fund__through_a_council_proposal__the_fund_pays_and_holds_the_patent(
    council: Any,
    council_pass: Pass,
    exchange: Any,
    fund: Any,
    bpc: Any,
    patent_pool: Any,
    pool_council: Any,
    fund_bpc: Callable[..., None],
    lot: bytes,
    assignment: int,
    provider: Any,
) -> None:
    # the suite's Council (a Governance contract) governs the fund and the exchange
    fund.transfer_ownership(council, sender=pool_council)
    exchange.transfer_ownership(council, sender=pool_council)
    fund_bpc(fund, PRICE)
    seller_before = bpc.balanceOf(provider)
    calls = [
        calldata(fund, "approve", bpc.address, exchange.address, PRICE),
        calldata(exchange, "buy_for_fund", assignment),
    ]

    tx = council_pass.run(calls, "buy patent 11234567 for the fund")

    record = patent_pool.patents(lot)
    assert (record.contributor, record.source) == (fund.address, Source.PURCHASED)
    assert patent_pool.lapse_of(lot) == Lapse.NONE
    assert bpc.balanceOf(provider) - seller_before == TO_SELLER
    # the fund paid the price and got back its 20% of the pool's share through Royalties
    assert bpc.balanceOf(fund) == TO_POOL * 2_000 // 10_000
    assert bpc.allowance(fund, exchange) == 0
    sold = tx.events.filter(exchange.Sold)[0]
    assert (sold.buyer, sold.price) == (fund.address, PRICE)


def test_buy_for_fund__exclusive_licence__the_fund_holds_the_licence(
    exchange: Any,
    licensing: Any,
    fund: Any,
    bpc: Any,
    pool_council: Any,
    fund_bpc: Callable[..., None],
    exclusive: int,
) -> None:
    fund_bpc(fund, PRICE)
    fund.approve(bpc, exchange, PRICE, sender=pool_council)

    licence = exchange.buy_for_fund(exclusive, sender=pool_council).return_value

    assert licensing.licences(licence).licensee == fund.address


@pytest.mark.parametrize("caller", ["provider2", "attacker", "centre"])
def test_buy_for_fund__by_anyone_but_the_council__reverts(
    exchange: Any, actors: dict[str, Any], assignment: int, caller: str
) -> None:
    with ape.reverts(NOT_OWNER):
        exchange.buy_for_fund(assignment, sender=actors[caller])


def test_buy_for_fund__fund_approved_nothing__reverts(
    exchange: Any, fund: Any, pool_council: Any, fund_bpc: Callable[..., None], assignment: int
) -> None:
    fund_bpc(fund, PRICE)

    with ape.reverts(NO_ALLOWANCE):
        exchange.buy_for_fund(assignment, sender=pool_council)
