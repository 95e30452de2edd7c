"""Sale.buy: a member pays the named stable token and receives BPC at NAV."""

import ape
import pytest

from tests.fixtures.sale import USD, USDC, SaleWorld


@pytest.fixture
def on_sale(sale_world: SaleWorld) -> SaleWorld:
    return sale_world


def test_buy__member_at_nav__mints_value_times_supply_over_assets(on_sale: SaleWorld) -> None:
    investor = on_sale.investors[0]
    supply, assets = on_sale.supply(), on_sale.assets()
    fund_before = int(on_sale.usdc.balanceOf(on_sale.fund))
    tx = on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=investor)
    minted = 1_000 * USD * supply // assets
    assert int(on_sale.bpc.balanceOf(investor)) == minted == 10 * 10**18  # 100 USD per BPC
    assert int(on_sale.usdc.balanceOf(on_sale.fund)) == fund_before + 1_000 * USDC
    assert int(on_sale.sale.cash_value()) == 1_000 * USD
    assert on_sale.assets() == assets + 1_000 * USD
    sold = tx.events.filter(on_sale.sale.Sold)[0]
    assert (sold.buyer, sold.amount, sold.value, sold.minted) == (
        investor.address, 1_000 * USDC, 1_000 * USD, minted,
    )  # fmt: skip
    issued = tx.events.filter(on_sale.pool.Issued)[0]
    assert (issued.assets, issued.supply) == (assets, supply)


def test_buy__existing_holder__claim_on_assets_unchanged(on_sale: SaleWorld) -> None:
    before = on_sale.claim(on_sale.provider)
    on_sale.sale.buy(on_sale.usdc, 12_345_678_901, 0, sender=on_sale.investors[0])
    after = on_sale.claim(on_sale.provider)
    # exact fractions: the holder's claim after >= before (rounding against the buyer)
    assert after[0] * before[1] >= before[0] * after[1]
    # and it grew by less than one BPC wei's worth
    assert after[0] * before[1] - before[0] * after[1] < on_sale.assets() * before[1]


def test_buy__non_member__reverts(on_sale: SaleWorld) -> None:
    on_sale.fund_buyer(on_sale.attacker, on_sale.usdc, 10_000 * USDC)
    with ape.reverts("sale: buyer is not an active member"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.attacker)


def test_buy__suspended_member__reverts(on_sale: SaleWorld) -> None:
    on_sale.alliance.suspend(on_sale.investors[0], sender=on_sale.council)
    with ape.reverts("sale: buyer is not an active member"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])


def test_buy__closed__reverts(on_sale: SaleWorld) -> None:
    on_sale.sale.set_open(False, sender=on_sale.council)
    with ape.reverts("sale: sales are closed"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])


def test_buy__below_minimum__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("sale: below the minimum purchase"):
        on_sale.sale.buy(on_sale.usdc, 100 * USDC - 1, 0, sender=on_sale.investors[0])
    on_sale.sale.buy(on_sale.usdc, 100 * USDC, 0, sender=on_sale.investors[0])


def test_buy__fewer_bpc_than_min_bpc__reverts(on_sale: SaleWorld) -> None:
    _, expected = on_sale.sale.quote(1_000 * USDC)
    with ape.reverts("sale: fewer BPC than min_bpc"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, expected + 1, sender=on_sale.investors[0])
    on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, expected, sender=on_sale.investors[0])


def test_buy__without_allowance__reverts_and_credits_nothing(on_sale: SaleWorld) -> None:
    investor = on_sale.investors[0]
    on_sale.usdc.approve(on_sale.sale.address, 0, sender=investor)
    with ape.reverts():
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=investor)
    assert int(on_sale.sale.cash_value()) == 0


def test_set_open__not_council__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        on_sale.sale.set_open(False, sender=on_sale.attacker)


def test_issue__not_the_desk__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("pool: only the sale desk issues"):
        on_sale.pool.issue(on_sale.attacker, 1_000 * USD, sender=on_sale.attacker)


def test_set_sale_desk__twice__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("pool: the sale desk is already set"):
        on_sale.pool.set_sale_desk(on_sale.attacker, sender=on_sale.council)
    with ape.reverts("fund: the sale desk is already set"):
        on_sale.fund.set_sale_desk(on_sale.attacker, sender=on_sale.council)


def test_pay_proceeds__not_the_desk__reverts(on_sale: SaleWorld) -> None:
    with ape.reverts("fund: only the sale desk pays proceeds"):
        on_sale.fund.pay_proceeds(
            on_sale.usdc, on_sale.attacker, 1, b"\x00" * 32, sender=on_sale.attacker
        )
