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
def world(sale_world: SaleWorld) -> SaleWorld:
    sale_world.terms(period_cap=150_000 * USD, buyer_cap=100_000 * USD)
    return sale_world


def test_split_buys__add_up_to_the_buyer_cap__the_next_reverts(world: SaleWorld) -> None:
    investor = world.investors[0]
    for _ in range(4):
        world.sale.buy(world.usdc, 25_000 * USDC, 0, sender=investor)
    with ape.reverts("sale: the buyer's cap for the period is reached"):
        world.sale.buy(world.usdc, 100 * USDC, 0, sender=investor)


def test_second_member__shares_the_period_cap(world: SaleWorld) -> None:
    world.sale.buy(world.usdc, 100_000 * USDC, 0, sender=world.investors[0])
    world.sale.buy(world.usdc, 50_000 * USDC, 0, sender=world.investors[1])
    with ape.reverts("sale: the period's cap is reached"):
        world.sale.buy(world.usdc, 100 * USDC, 0, sender=world.investors[1])


def test_fresh_address_holding_bpc__still_refused(world: SaleWorld, accounts: Any) -> None:
    investor, fresh = world.investors[0], accounts[8]
    world.sale.buy(world.usdc, 100_000 * USDC, 0, sender=investor)
    world.bpc.transfer(fresh, int(world.bpc.balanceOf(investor)), sender=investor)
    world.fund_buyer(fresh, world.usdc, 1_000 * USDC)
    with ape.reverts("sale: buyer is not an active member"):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=fresh)


def test_next_period__caps_start_again(world: SaleWorld) -> None:
    investor = world.investors[0]
    world.sale.buy(world.usdc, 100_000 * USDC, 0, sender=investor)
    now = int(world.chain.pending_timestamp)
    wait(world.chain, TERMS.period - now % TERMS.period)
    world.sale.buy(world.usdc, 100_000 * USDC, 0, sender=investor)
    index = int(world.chain.pending_timestamp) // TERMS.period
    assert int(world.sale.bought_in(index, investor)) == 100_000 * USD


def test_set_terms__buyer_cap_above_period_cap__reverts(world: SaleWorld) -> None:
    with ape.reverts("sale: buyer cap above the period cap"):
        world.terms(period_cap=10_000 * USD, buyer_cap=10_001 * USD)
    with ape.reverts("sale: period must be one day to 366 days"):
        world.terms(period=DAY - 1)
    with ape.reverts("sale: minimum above the buyer cap"):
        world.terms(minimum=100_001 * USD)
    with ape.reverts("sale: minimum is zero"):
        world.terms(minimum=0)


def test_set_terms__not_council__reverts(world: SaleWorld) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        world.sale.set_terms(*TERMS.terms(str(world.usdc.address)), sender=world.attacker)
