"""Sale.spend, PatentPool.pool of a patent the proceeds bought, Sale.write_off, and the
Fund's guard on counted proceeds: the fund's cash counts in the NAV once, as cash, then as
a patent's cost, then as its valuation (never two at once)."""

import ape
import pytest

from bpsa.core.codes import PatentStatus, Source
from tests.fixtures.sale import USD, USDC, SaleWorld

MEMO = b"\x01" * 32
NUMBER = "11000002"


@pytest.fixture
def on_sale(sale_world: SaleWorld) -> SaleWorld:
    sale_world.sale.buy(sale_world.usdc, 20_000 * USDC, 0, sender=sale_world.investors[0])
    return sale_world


@pytest.fixture
def purchase(on_sale: SaleWorld) -> bytes:
    """A patent the fund buys: submitted by the council, not yet certified."""
    return on_sale.driver.submit(on_sale.provider, NUMBER, source=Source.PURCHASED)


def test_spend__for_a_fund_patent__pays_and_keeps_the_nav(
    on_sale: SaleWorld, purchase: bytes
) -> None:
    seller = on_sale.attacker
    nav, assets = int(on_sale.pool.nav()), on_sale.assets()
    tx = on_sale.sale.spend(
        on_sale.usdc, seller, 15_000 * USDC, purchase, MEMO, sender=on_sale.council
    )
    assert int(on_sale.usdc.balanceOf(seller)) == 15_000 * USDC
    assert int(on_sale.sale.cost_of(purchase)) == 15_000 * USD
    assert int(on_sale.sale.cash_value()) == 5_000 * USD
    assert (on_sale.assets(), int(on_sale.pool.nav())) == (assets, nav)  # cash became cost
    assert tx.events.filter(on_sale.sale.Spent)[0].value == 15_000 * USD


def test_pool__patent_bought_with_proceeds__mints_nothing_and_swaps_cost_for_valuation(
    on_sale: SaleWorld, purchase: bytes
) -> None:
    on_sale.sale.spend(
        on_sale.usdc, on_sale.attacker, 15_000 * USDC, purchase, MEMO, sender=on_sale.council
    )
    on_sale.driver.certify(on_sale.provider, NUMBER, owner=on_sale.fund)
    on_sale.driver.rate(purchase, 80, 40_000 * USD)
    supply, assets = on_sale.supply(), on_sale.assets()
    tx = on_sale.pool.pool(purchase, sender=on_sale.council)
    assert on_sale.supply() == supply  # the holders' cash bought it: nobody is owed BPC
    assert on_sale.assets() == assets - 15_000 * USD + 40_000 * USD
    assert int(on_sale.sale.cost_of(purchase)) == 0
    assert int(on_sale.sale.committed_value()) == 0
    event = tx.events.filter(on_sale.pool.PooledWithProceeds)[0]
    assert (event.cost, event.valuation) == (15_000 * USD, 40_000 * USD)


def test_pool__purchase_without_proceeds__mints_to_the_fund_as_before(
    on_sale: SaleWorld, purchase: bytes
) -> None:
    on_sale.driver.certify(on_sale.provider, NUMBER, owner=on_sale.fund)
    on_sale.driver.rate(purchase, 80, 40_000 * USD)
    expected = int(on_sale.pool.mint_amount(40_000 * USD))
    on_sale.pool.pool(purchase, sender=on_sale.council)
    assert int(on_sale.bpc.balanceOf(on_sale.fund)) == expected != 0


def test_write_off__patent_withdrawn__nav_falls_by_its_cost(
    on_sale: SaleWorld, purchase: bytes
) -> None:
    on_sale.sale.spend(
        on_sale.usdc, on_sale.attacker, 15_000 * USDC, purchase, MEMO, sender=on_sale.council
    )
    with ape.reverts("sale: the patent is still in the registry"):
        on_sale.sale.write_off(purchase, sender=on_sale.attacker)
    on_sale.pool.withdraw(purchase, sender=on_sale.council)
    assets = on_sale.assets()
    on_sale.sale.write_off(purchase, sender=on_sale.attacker)
    assert on_sale.assets() == assets - 15_000 * USD
    with ape.reverts("sale: no cost recorded for this patent"):
        on_sale.sale.write_off(purchase, sender=on_sale.attacker)


def test_spend__contributed_patent__reverts(on_sale: SaleWorld) -> None:
    patent = on_sale.driver.submit(on_sale.provider, NUMBER)
    with ape.reverts("sale: only the fund's own patents are bought with the proceeds"):
        on_sale.sale.spend(
            on_sale.usdc, on_sale.attacker, USDC, patent, MEMO, sender=on_sale.council
        )


def test_spend__pooled_patent__reverts(on_sale: SaleWorld) -> None:
    patent = on_sale.driver.pooled_purchase(on_sale.fund, NUMBER, on_sale.provider)
    assert int(on_sale.pool.patents(patent).status) == PatentStatus.POOLED
    with ape.reverts("sale: patent is not awaiting pooling"):
        on_sale.sale.spend(
            on_sale.usdc, on_sale.attacker, USDC, patent, MEMO, sender=on_sale.council
        )


def test_spend__more_than_held__reverts(on_sale: SaleWorld, purchase: bytes) -> None:
    with ape.reverts("sale: more than the proceeds held in this token"):
        on_sale.sale.spend(
            on_sale.usdc,
            on_sale.attacker,
            20_000 * USDC + 1,
            purchase,
            MEMO,
            sender=on_sale.council,
        )


def test_spend__not_council__reverts(on_sale: SaleWorld, purchase: bytes) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        on_sale.sale.spend(
            on_sale.usdc, on_sale.attacker, USDC, purchase, MEMO, sender=on_sale.attacker
        )


def test_take_cost__not_the_pool__reverts(on_sale: SaleWorld, purchase: bytes) -> None:
    with ape.reverts("sale: only the pool takes a cost"):
        on_sale.sale.take_cost(purchase, sender=on_sale.attacker)


def test_fund_pay__counted_proceeds__reverts_but_a_donation_pays(on_sale: SaleWorld) -> None:
    with ape.reverts(
        "fund: that would spend sale proceeds counted in the NAV (the sale desk spends them)"
    ):
        on_sale.fund.pay(on_sale.usdc, on_sale.attacker, 1, MEMO, sender=on_sale.council)
    on_sale.usdc.mint(on_sale.fund, 7 * USDC, sender=on_sale.deployer)  # a donation: not counted
    assets = on_sale.assets()
    on_sale.fund.pay(on_sale.usdc, on_sale.attacker, 7 * USDC, MEMO, sender=on_sale.council)
    assert on_sale.assets() == assets


def test_fund_approve__token_with_counted_proceeds__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("fund: the token holds sale proceeds counted in the NAV"):
        on_sale.fund.approve(on_sale.usdc, on_sale.attacker, 1, sender=on_sale.council)
    on_sale.fund.approve(
        on_sale.usdc, on_sale.attacker, 0, sender=on_sale.council
    )  # withdrawing is fine
