"""Attack: a payment token with other decimals than USDC's 6 (a council that names an
18-decimal token but keeps 10^6 units per dollar would sell BPC for a trillionth).

Defence: `set_terms` reads the token's decimals and refuses units per valuation unit
outside a factor 100 of 10^decimals; with matching units a dollar buys the same BPC in
any token."""

from typing import Any

import ape
import pytest

from tests.fixtures.sale import USD, USDC, SaleWorld

MISMATCH = "sale: units per valuation unit do not match the token's decimals"


@pytest.fixture
def on_sale(sale_world: SaleWorld) -> SaleWorld:
    return sale_world


def token(on_sale: SaleWorld, decimals: int) -> Any:
    return on_sale.project.TestStable.deploy(
        f"Test {decimals}", "TOK", decimals, sender=on_sale.deployer
    )


@pytest.mark.parametrize(("decimals", "units"), [(18, 10**6), (6, 10**18), (2, 10**6), (0, 10**3)])
def test_set_terms__units_not_matching_decimals__reverts(
    on_sale: SaleWorld, decimals: int, units: int
) -> None:
    with ape.reverts(MISMATCH):
        on_sale.terms(token=token(on_sale, decimals), units_per_unit=units)


def test_set_terms__more_than_36_decimals__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("sale: token has more than 36 decimals"):
        on_sale.terms(token=token(on_sale, 40), units_per_unit=10**40)


def test_set_terms__bpc_as_payment__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("sale: the payment token cannot be BPC"):
        on_sale.terms(token=on_sale.bpc, units_per_unit=10**18)


@pytest.mark.parametrize("decimals", [18, 2, 0])
def test_buy__token_of_other_decimals__a_dollar_buys_what_a_usdc_dollar_buys(
    on_sale: SaleWorld, decimals: int
) -> None:
    snapshot = on_sale.chain.snapshot()
    on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])
    by_usdc = int(on_sale.bpc.balanceOf(on_sale.investors[0]))
    on_sale.chain.restore(snapshot)
    other = token(on_sale, decimals)
    on_sale.fund_buyer(on_sale.investors[0], other, 10**6 * 10**decimals)
    on_sale.terms(token=other, units_per_unit=10**decimals)
    tx = on_sale.sale.buy(other, 1_000 * 10**decimals, 0, sender=on_sale.investors[0])
    assert tx.events.filter(on_sale.sale.Sold)[0].value == 1_000 * USD
    assert int(on_sale.bpc.balanceOf(on_sale.investors[0])) == by_usdc
