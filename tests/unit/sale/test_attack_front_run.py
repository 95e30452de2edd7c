"""Attack: the council's change of terms (or a re-rating) lands just before a buyer's
transaction, which then fills at terms the buyer never saw.

Defence: the buyer names the token it pays and the fewest BPC it accepts (from `quote`);
a change in price, token or NAV makes the buy revert instead."""

import ape
import pytest

from tests.fixtures.sale import FIRST_VALUATION, USDC, SaleWorld
from tests.fixtures.suite import wait
from tests.unit.pool.helpers import INTERVAL


@pytest.fixture
def world(sale_world: SaleWorld) -> SaleWorld:
    return sale_world


def test_price_raised_before_the_buy__reverts_on_min_bpc(world: SaleWorld) -> None:
    _, quoted = world.sale.quote(1_000 * USDC)
    world.terms(units_per_unit=2 * 10**6)  # the council's proposal executes first
    with ape.reverts("sale: fewer BPC than min_bpc"):
        world.sale.buy(world.usdc, 1_000 * USDC, quoted, sender=world.investors[0])


def test_token_switched_before_the_buy__reverts(world: SaleWorld) -> None:
    other = world.project.TestStable.deploy("Test Other", "OTH", 6, sender=world.deployer)
    world.fund_buyer(world.investors[0], other, 10**12)  # the buyer approved both
    world.terms(token=other)
    with ape.reverts("sale: not the payment token the council named"):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])
    assert int(other.balanceOf(world.investors[0])) == 10**12


def test_nav_raised_by_a_rerating_before_the_buy__reverts_on_min_bpc(world: SaleWorld) -> None:
    patent = bytes(world.pool.patent_id("US", "11000001"))
    _, quoted = world.sale.quote(1_000 * USDC)
    wait(world.chain, INTERVAL)
    world.driver.rate(patent, 80, 2 * FIRST_VALUATION)
    with ape.reverts("sale: fewer BPC than min_bpc"):
        world.sale.buy(world.usdc, 1_000 * USDC, quoted, sender=world.investors[0])
