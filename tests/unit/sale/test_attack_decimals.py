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
def world(sale_world: SaleWorld) -> SaleWorld:
    return sale_world


def token(world: SaleWorld, decimals: int) -> Any:
    return world.project.TestStable.deploy(
        f"Test {decimals}", "TOK", decimals, sender=world.deployer
    )


@pytest.mark.parametrize(("decimals", "units"), [(18, 10**6), (6, 10**18), (2, 10**6), (0, 10**3)])
def test_set_terms__units_not_matching_decimals__reverts(
    world: SaleWorld, decimals: int, units: int
) -> None:
    with ape.reverts(MISMATCH):
        world.terms(token=token(world, decimals), units_per_unit=units)


def test_set_terms__more_than_36_decimals__reverts(world: SaleWorld) -> None:
    with ape.reverts("sale: token has more than 36 decimals"):
        world.terms(token=token(world, 40), units_per_unit=10**40)


def test_set_terms__bpc_as_payment__reverts(world: SaleWorld) -> None:
    with ape.reverts("sale: the payment token cannot be BPC"):
        world.terms(token=world.bpc, units_per_unit=10**18)


@pytest.mark.parametrize("decimals", [18, 2, 0])
def test_buy__token_of_other_decimals__a_dollar_buys_what_a_usdc_dollar_buys(
    world: SaleWorld, decimals: int
) -> None:
    snapshot = world.chain.snapshot()
    world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])
    by_usdc = int(world.bpc.balanceOf(world.investors[0]))
    world.chain.restore(snapshot)
    other = token(world, decimals)
    world.fund_buyer(world.investors[0], other, 10**6 * 10**decimals)
    world.terms(token=other, units_per_unit=10**decimals)
    tx = world.sale.buy(other, 1_000 * 10**decimals, 0, sender=world.investors[0])
    assert tx.events.filter(world.sale.Sold)[0].value == 1_000 * USD
    assert int(world.bpc.balanceOf(world.investors[0])) == by_usdc
