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
def world(sale_world: SaleWorld) -> SaleWorld:
    sale_world.sale.buy(sale_world.usdc, 20_000 * USDC, 0, sender=sale_world.investors[0])
    return sale_world


@pytest.fixture
def purchase(world: SaleWorld) -> bytes:
    """A patent the fund buys: submitted by the council, not yet certified."""
    return world.driver.submit(world.provider, NUMBER, source=Source.PURCHASED)


def test_spend__for_a_fund_patent__pays_and_keeps_the_nav(
    world: SaleWorld, purchase: bytes
) -> None:
    seller = world.attacker
    nav, assets = int(world.pool.nav()), world.assets()
    tx = world.sale.spend(world.usdc, seller, 15_000 * USDC, purchase, MEMO, sender=world.council)
    assert int(world.usdc.balanceOf(seller)) == 15_000 * USDC
    assert int(world.sale.cost_of(purchase)) == 15_000 * USD
    assert int(world.sale.cash_value()) == 5_000 * USD
    assert (world.assets(), int(world.pool.nav())) == (assets, nav)  # cash became cost
    assert tx.events.filter(world.sale.Spent)[0].value == 15_000 * USD


def test_pool__patent_bought_with_proceeds__mints_nothing_and_swaps_cost_for_valuation(
    world: SaleWorld, purchase: bytes
) -> None:
    world.sale.spend(
        world.usdc, world.attacker, 15_000 * USDC, purchase, MEMO, sender=world.council
    )
    world.driver.certify(world.provider, NUMBER, owner=world.fund)
    world.driver.rate(purchase, 80, 40_000 * USD)
    supply, assets = world.supply(), world.assets()
    tx = world.pool.pool(purchase, sender=world.council)
    assert world.supply() == supply  # the holders' cash bought it: nobody is owed BPC
    assert world.assets() == assets - 15_000 * USD + 40_000 * USD
    assert int(world.sale.cost_of(purchase)) == 0
    assert int(world.sale.committed_value()) == 0
    event = tx.events.filter(world.pool.PooledWithProceeds)[0]
    assert (event.cost, event.valuation) == (15_000 * USD, 40_000 * USD)


def test_pool__purchase_without_proceeds__mints_to_the_fund_as_before(
    world: SaleWorld, purchase: bytes
) -> None:
    world.driver.certify(world.provider, NUMBER, owner=world.fund)
    world.driver.rate(purchase, 80, 40_000 * USD)
    expected = int(world.pool.mint_amount(40_000 * USD))
    world.pool.pool(purchase, sender=world.council)
    assert int(world.bpc.balanceOf(world.fund)) == expected != 0


def test_write_off__patent_withdrawn__nav_falls_by_its_cost(
    world: SaleWorld, purchase: bytes
) -> None:
    world.sale.spend(
        world.usdc, world.attacker, 15_000 * USDC, purchase, MEMO, sender=world.council
    )
    with ape.reverts("sale: the patent is still in the registry"):
        world.sale.write_off(purchase, sender=world.attacker)
    world.pool.withdraw(purchase, sender=world.council)
    assets = world.assets()
    world.sale.write_off(purchase, sender=world.attacker)
    assert world.assets() == assets - 15_000 * USD
    with ape.reverts("sale: no cost recorded for this patent"):
        world.sale.write_off(purchase, sender=world.attacker)


def test_spend__contributed_patent__reverts(world: SaleWorld) -> None:
    patent = world.driver.submit(world.provider, NUMBER)
    with ape.reverts("sale: only the fund's own patents are bought with the proceeds"):
        world.sale.spend(world.usdc, world.attacker, USDC, patent, MEMO, sender=world.council)


def test_spend__pooled_patent__reverts(world: SaleWorld) -> None:
    patent = world.driver.pooled_purchase(world.fund, NUMBER, world.provider)
    assert int(world.pool.patents(patent).status) == PatentStatus.POOLED
    with ape.reverts("sale: patent is not awaiting pooling"):
        world.sale.spend(world.usdc, world.attacker, USDC, patent, MEMO, sender=world.council)


def test_spend__more_than_held__reverts(world: SaleWorld, purchase: bytes) -> None:
    with ape.reverts("sale: more than the proceeds held in this token"):
        world.sale.spend(
            world.usdc, world.attacker, 20_000 * USDC + 1, purchase, MEMO, sender=world.council
        )


def test_spend__not_council__reverts(world: SaleWorld, purchase: bytes) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        world.sale.spend(world.usdc, world.attacker, USDC, purchase, MEMO, sender=world.attacker)


def test_take_cost__not_the_pool__reverts(world: SaleWorld, purchase: bytes) -> None:
    with ape.reverts("sale: only the pool takes a cost"):
        world.sale.take_cost(purchase, sender=world.attacker)


def test_fund_pay__counted_proceeds__reverts_but_a_donation_pays(world: SaleWorld) -> None:
    with ape.reverts(
        "fund: that would spend sale proceeds counted in the NAV (the sale desk spends them)"
    ):
        world.fund.pay(world.usdc, world.attacker, 1, MEMO, sender=world.council)
    world.usdc.mint(world.fund, 7 * USDC, sender=world.deployer)  # a donation: not counted
    assets = world.assets()
    world.fund.pay(world.usdc, world.attacker, 7 * USDC, MEMO, sender=world.council)
    assert world.assets() == assets


def test_fund_approve__token_with_counted_proceeds__reverts(world: SaleWorld) -> None:
    with ape.reverts("fund: the token holds sale proceeds counted in the NAV"):
        world.fund.approve(world.usdc, world.attacker, 1, sender=world.council)
    world.fund.approve(world.usdc, world.attacker, 0, sender=world.council)  # withdrawing is fine
