"""Sale.buy: a member pays the named stable token and receives BPC at NAV."""

import ape
import pytest

from tests.fixtures.sale import USD, USDC, SaleWorld


@pytest.fixture
def world(sale_world: SaleWorld) -> SaleWorld:
    return sale_world


def test_buy__member_at_nav__mints_value_times_supply_over_assets(world: SaleWorld) -> None:
    investor = world.investors[0]
    supply, assets = world.supply(), world.assets()
    fund_before = int(world.usdc.balanceOf(world.fund))
    tx = world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=investor)
    minted = 1_000 * USD * supply // assets
    assert int(world.bpc.balanceOf(investor)) == minted == 10 * 10**18  # 100 USD per BPC
    assert int(world.usdc.balanceOf(world.fund)) == fund_before + 1_000 * USDC
    assert int(world.sale.cash_value()) == 1_000 * USD
    assert world.assets() == assets + 1_000 * USD
    sold = tx.events.filter(world.sale.Sold)[0]
    assert (sold.buyer, sold.amount, sold.value, sold.minted) == (
        investor.address, 1_000 * USDC, 1_000 * USD, minted,
    )  # fmt: skip
    issued = tx.events.filter(world.pool.Issued)[0]
    assert (issued.assets, issued.supply) == (assets, supply)


def test_buy__existing_holder__claim_on_assets_unchanged(world: SaleWorld) -> None:
    before = world.claim(world.provider)
    world.sale.buy(world.usdc, 12_345_678_901, 0, sender=world.investors[0])
    after = world.claim(world.provider)
    # exact fractions: the holder's claim after >= before (rounding against the buyer)
    assert after[0] * before[1] >= before[0] * after[1]
    # and it grew by less than one BPC wei's worth
    assert after[0] * before[1] - before[0] * after[1] < world.assets() * before[1]


def test_buy__non_member__reverts(world: SaleWorld) -> None:
    world.fund_buyer(world.attacker, world.usdc, 10_000 * USDC)
    with ape.reverts("sale: buyer is not an active member"):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.attacker)


def test_buy__suspended_member__reverts(world: SaleWorld) -> None:
    world.alliance.suspend(world.investors[0], sender=world.council)
    with ape.reverts("sale: buyer is not an active member"):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])


def test_buy__closed__reverts(world: SaleWorld) -> None:
    world.sale.set_open(False, sender=world.council)
    with ape.reverts("sale: sales are closed"):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])


def test_buy__below_minimum__reverts(world: SaleWorld) -> None:
    with ape.reverts("sale: below the minimum purchase"):
        world.sale.buy(world.usdc, 100 * USDC - 1, 0, sender=world.investors[0])
    world.sale.buy(world.usdc, 100 * USDC, 0, sender=world.investors[0])


def test_buy__fewer_bpc_than_min_bpc__reverts(world: SaleWorld) -> None:
    _, expected = world.sale.quote(1_000 * USDC)
    with ape.reverts("sale: fewer BPC than min_bpc"):
        world.sale.buy(world.usdc, 1_000 * USDC, expected + 1, sender=world.investors[0])
    world.sale.buy(world.usdc, 1_000 * USDC, expected, sender=world.investors[0])


def test_buy__without_allowance__reverts_and_credits_nothing(world: SaleWorld) -> None:
    investor = world.investors[0]
    world.usdc.approve(world.sale.address, 0, sender=investor)
    with ape.reverts():
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=investor)
    assert int(world.sale.cash_value()) == 0


def test_set_open__not_council__reverts(world: SaleWorld) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        world.sale.set_open(False, sender=world.attacker)


def test_issue__not_the_desk__reverts(world: SaleWorld) -> None:
    with ape.reverts("pool: only the sale desk issues"):
        world.pool.issue(world.attacker, 1_000 * USD, sender=world.attacker)


def test_set_sale_desk__twice__reverts(world: SaleWorld) -> None:
    with ape.reverts("pool: the sale desk is already set"):
        world.pool.set_sale_desk(world.attacker, sender=world.council)
    with ape.reverts("fund: the sale desk is already set"):
        world.fund.set_sale_desk(world.attacker, sender=world.council)


def test_pay_proceeds__not_the_desk__reverts(world: SaleWorld) -> None:
    with ape.reverts("fund: only the sale desk pays proceeds"):
        world.fund.pay_proceeds(world.usdc, world.attacker, 1, b"\x00" * 32, sender=world.attacker)
