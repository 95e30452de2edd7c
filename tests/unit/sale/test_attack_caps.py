"""Attack: buying above the caps by splitting a purchase or using fresh addresses.

Defence: caps count the value paid in the period (block.timestamp // period), per buyer
and in all, so splitting adds up; only active members buy, so a fresh address is refused,
and every member together stays under the period's cap."""

from typing import Any

import ape
import pytest

from tests.fixtures.pool import DAY
from tests.fixtures.sale import TERMS, USD, USDC, SaleWorld
from tests.fixtures.suite import wait


@pytest.fixture
def on_sale(sale_world: SaleWorld) -> SaleWorld:
    sale_world.terms(period_cap=150_000 * USD, buyer_cap=100_000 * USD)
    return sale_world


def test_split_buys__add_up_to_the_buyer_cap__the_next_reverts(on_sale: SaleWorld) -> None:
    investor = on_sale.investors[0]
    for _ in range(4):
        on_sale.sale.buy(on_sale.usdc, 25_000 * USDC, 0, sender=investor)
    with ape.reverts("sale: the buyer's cap for the period is reached"):
        on_sale.sale.buy(on_sale.usdc, 100 * USDC, 0, sender=investor)


def test_second_member__shares_the_period_cap(on_sale: SaleWorld) -> None:
    on_sale.sale.buy(on_sale.usdc, 100_000 * USDC, 0, sender=on_sale.investors[0])
    on_sale.sale.buy(on_sale.usdc, 50_000 * USDC, 0, sender=on_sale.investors[1])
    with ape.reverts("sale: the period's cap is reached"):
        on_sale.sale.buy(on_sale.usdc, 100 * USDC, 0, sender=on_sale.investors[1])


def test_fresh_address_holding_bpc__still_refused(on_sale: SaleWorld, accounts: Any) -> None:
    investor, fresh = on_sale.investors[0], accounts[8]
    on_sale.sale.buy(on_sale.usdc, 100_000 * USDC, 0, sender=investor)
    on_sale.bpc.transfer(fresh, int(on_sale.bpc.balanceOf(investor)), sender=investor)
    on_sale.fund_buyer(fresh, on_sale.usdc, 1_000 * USDC)
    with ape.reverts("sale: buyer is not an active member"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=fresh)


def test_next_period__caps_start_again(on_sale: SaleWorld) -> None:
    investor = on_sale.investors[0]
    on_sale.sale.buy(on_sale.usdc, 100_000 * USDC, 0, sender=investor)
    now = int(on_sale.chain.pending_timestamp)
    wait(on_sale.chain, TERMS.period - now % TERMS.period)
    on_sale.sale.buy(on_sale.usdc, 100_000 * USDC, 0, sender=investor)
    index = int(on_sale.chain.pending_timestamp) // TERMS.period
    assert int(on_sale.sale.bought_in(index, investor)) == 100_000 * USD


def test_set_terms__buyer_cap_above_period_cap__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("sale: buyer cap above the period cap"):
        on_sale.terms(period_cap=10_000 * USD, buyer_cap=10_001 * USD)
    with ape.reverts("sale: period must be one day to 366 days"):
        on_sale.terms(period=DAY - 1)
    with ape.reverts("sale: minimum above the buyer cap"):
        on_sale.terms(minimum=100_001 * USD)
    with ape.reverts("sale: minimum is zero"):
        on_sale.terms(minimum=0)


def test_set_terms__not_council__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        on_sale.sale.set_terms(*TERMS.terms(str(on_sale.usdc.address)), sender=on_sale.attacker)
