"""Attack: a buyer makes rounding work for it (tiny amounts, many small buys).

Defence: the value credited and the BPC minted both round down, against the buyer, so
no holder's claim on the assets ever falls and many small buys never beat one large one;
a payment too small to buy one BPC wei is refused rather than taken for nothing."""

from typing import Any

import ape
import pytest

from tests.fixtures.sale import USD, SaleWorld


def at_least(after: tuple[int, int], before: tuple[int, int]) -> bool:
    """after >= before, as exact fractions (numerator, denominator)."""
    return after[0] * before[1] >= before[0] * after[1]


@pytest.fixture
def on_sale(sale_world: SaleWorld) -> SaleWorld:
    sale_world.terms(minimum=1)  # the council allows dust, so the attack can be tried
    # an odd purchase and a burn first, so the NAV is no round number and every sale rounds
    sale_world.sale.buy(sale_world.usdc, 12_345_678_901, 0, sender=sale_world.investors[1])
    sale_world.bpc.burn(123_456_789, sender=sale_world.provider)
    assert sale_world.assets() * 10**18 % sale_world.supply() != 0
    return sale_world


def test_many_tiny_buys__each_rounds_against_the_buyer__holders_never_lose(
    on_sale: SaleWorld,
) -> None:
    attacker = on_sale.investors[0]
    holders = [on_sale.provider, on_sale.investors[1]]
    paid = 0
    for amount in [1] * 15 + [3, 7, 99, 101, 999_999]:
        before = [on_sale.claim(h) for h in holders]
        nav = int(on_sale.pool.nav())
        on_sale.sale.buy(on_sale.usdc, amount, 0, sender=attacker)
        paid += amount * 10**12  # valuation wei per USDC unit
        minted = int(on_sale.bpc.balanceOf(attacker))
        for holder, claim in zip(holders, before, strict=True):
            assert at_least(on_sale.claim(holder), claim), f"{holder} lost to a buy of {amount}"
        assert minted * on_sale.assets() <= paid * on_sale.supply()  # the buyer gained nothing
        assert int(on_sale.pool.nav()) >= nav  # the value per BPC never falls


def test_many_small_buys__never_beat_one_large_buy(on_sale: SaleWorld) -> None:
    attacker = on_sale.investors[0]
    snapshot = on_sale.chain.snapshot()
    for _ in range(12):
        on_sale.sale.buy(on_sale.usdc, 7, 0, sender=attacker)
    split = int(on_sale.bpc.balanceOf(attacker))
    on_sale.chain.restore(snapshot)
    on_sale.sale.buy(on_sale.usdc, 84, 0, sender=attacker)
    assert split <= int(on_sale.bpc.balanceOf(attacker))


def test_buy__pays_less_than_one_bpc_wei__reverts(on_sale: SaleWorld, project: Any) -> None:
    dai = project.TestStable.deploy("Test DAI", "DAI", 18, sender=on_sale.deployer)
    on_sale.fund_buyer(on_sale.investors[0], dai, 10**18)
    on_sale.terms(token=dai, units_per_unit=10**18, minimum=1)
    assert int(on_sale.pool.nav()) > 10**18  # one BPC wei costs more than one value wei
    with ape.reverts("pool: payment too small to buy one BPC wei"):
        on_sale.sale.buy(dai, 1, 0, sender=on_sale.investors[0])


def test_buy__value_credited_rounds_down(on_sale: SaleWorld, project: Any) -> None:
    odd = project.TestStable.deploy("Test Odd", "ODD", 18, sender=on_sale.deployer)
    on_sale.fund_buyer(on_sale.investors[0], odd, 10**24)
    on_sale.terms(token=odd, units_per_unit=3 * 10**17, minimum=1)  # 1 ODD = 3.33.. USD
    tx = on_sale.sale.buy(odd, 10**18 + 1, 0, sender=on_sale.investors[0])
    value = tx.events.filter(on_sale.sale.Sold)[0].value
    assert value == (10**18 + 1) * USD // (3 * 10**17)
    assert value * 3 * 10**17 <= (10**18 + 1) * USD  # never more than paid
