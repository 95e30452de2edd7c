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
def on_sale(sale_world: SaleWorld) -> SaleWorld:
    return sale_world


def test_price_raised_before_the_buy__reverts_on_min_bpc(on_sale: SaleWorld) -> None:
    _, quoted = on_sale.sale.quote(1_000 * USDC)
    on_sale.terms(units_per_unit=2 * 10**6)  # the council's proposal executes first
    with ape.reverts("sale: fewer BPC than min_bpc"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, quoted, sender=on_sale.investors[0])


def test_token_switched_before_the_buy__reverts(on_sale: SaleWorld) -> None:
    other = on_sale.project.TestStable.deploy("Test Other", "OTH", 6, sender=on_sale.deployer)
    on_sale.fund_buyer(on_sale.investors[0], other, 10**12)  # the buyer approved both
    on_sale.terms(token=other)
    with ape.reverts("sale: not the payment token the council named"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])
    assert int(other.balanceOf(on_sale.investors[0])) == 10**12


def test_nav_raised_by_a_rerating_before_the_buy__reverts_on_min_bpc(on_sale: SaleWorld) -> None:
    patent = bytes(on_sale.pool.patent_id("US", "11000001"))
    _, quoted = on_sale.sale.quote(1_000 * USDC)
    wait(on_sale.chain, INTERVAL)
    on_sale.driver.rate(patent, 80, 2 * FIRST_VALUATION)
    with ape.reverts("sale: fewer BPC than min_bpc"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, quoted, sender=on_sale.investors[0])
