"""Attack: buying when the NAV is stale (a re-rating under way or overdue, a lapsed
certificate still counted) or when there is no NAV at all (nothing pooled, no BPC).

Defence: anyone reports a stale pooled patent and sales halt until it is current again
(`clear_stale`); the pool refuses to issue while nothing is pooled or no BPC exists."""

import ape
import pytest

from bpsa.core.codes import Removal
from tests.fixtures.pool import DAY, REASONING
from tests.fixtures.sale import FIRST_VALUATION, TERMS, USD, USDC, SaleWorld
from tests.fixtures.suite import wait
from tests.unit.pool.helpers import INTERVAL

STALE = "sale: a pooled patent's valuation is stale"


@pytest.fixture
def on_sale(sale_world: SaleWorld) -> SaleWorld:
    return sale_world


@pytest.fixture
def patent(on_sale: SaleWorld) -> bytes:
    """The provider's patent the on_sale pooled."""
    return bytes(on_sale.pool.patent_id("US", "11000001"))


def test_rerating_under_way__report_halts_sales_until_it_settles(
    on_sale: SaleWorld, patent: bytes
) -> None:
    wait(on_sale.chain, INTERVAL)
    experts = on_sale.driver.experts
    # two ballots of three are in: the third would move the NAV; a buyer who sees it coming
    on_sale.pool.rate(patent, 80, 2 * FIRST_VALUATION, REASONING, sender=experts[0])
    on_sale.pool.rate(patent, 80, 2 * FIRST_VALUATION, REASONING, sender=experts[1])
    tx = on_sale.sale.report_stale(patent, sender=on_sale.provider)
    assert tx.events.filter(on_sale.sale.StaleReported)[0].reason == 1
    with ape.reverts(STALE):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])
    with ape.reverts("sale: the patent's valuation is still stale"):
        on_sale.sale.clear_stale(patent, sender=on_sale.investors[0])
    on_sale.pool.rate(patent, 80, 2 * FIRST_VALUATION, REASONING, sender=experts[2])
    on_sale.sale.clear_stale(patent, sender=on_sale.investors[0])
    nav = int(on_sale.pool.nav())
    on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])
    assert int(on_sale.bpc.balanceOf(on_sale.investors[0])) == 1_000 * USD * 10**18 // nav


def test_rerating_overdue_past_the_grace__report_halts_sales(
    on_sale: SaleWorld, patent: bytes
) -> None:
    wait(on_sale.chain, INTERVAL + TERMS.stale_grace - 2 * DAY)
    with ape.reverts("sale: the patent's valuation is not stale"):
        on_sale.sale.report_stale(patent, sender=on_sale.provider)
    wait(on_sale.chain, 2 * DAY)
    assert int(on_sale.sale.stale_reason(patent)) == 2
    on_sale.sale.report_stale(patent, sender=on_sale.provider)
    with ape.reverts("sale: already reported"):
        on_sale.sale.report_stale(patent, sender=on_sale.provider)
    with ape.reverts(STALE):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])


def test_report_stale__current_patent__reverts(on_sale: SaleWorld, patent: bytes) -> None:
    with ape.reverts("sale: the patent's valuation is not stale"):
        on_sale.sale.report_stale(patent, sender=on_sale.attacker)
    with ape.reverts("sale: not reported"):
        on_sale.sale.clear_stale(patent, sender=on_sale.attacker)


def test_stale_patent_removed__clears_and_sales_resume(on_sale: SaleWorld, patent: bytes) -> None:
    on_sale.driver.pooled(on_sale.provider, "11000009")
    wait(on_sale.chain, INTERVAL + TERMS.stale_grace)
    on_sale.sale.report_stale(patent, sender=on_sale.provider)
    on_sale.pool.remove(patent, int(Removal.SOLD), sender=on_sale.council)
    on_sale.sale.clear_stale(patent, sender=on_sale.attacker)
    assert int(on_sale.sale.stale_count()) == 0


def test_buy__every_patent_left__reverts(on_sale: SaleWorld, patent: bytes) -> None:
    on_sale.pool.remove(patent, int(Removal.SOLD), sender=on_sale.council)
    assert int(on_sale.pool.pooled_value()) == 0 and on_sale.supply() != 0
    with ape.reverts("pool: nothing pooled to sell a share of"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])


def test_buy__every_bpc_burned__reverts(on_sale: SaleWorld) -> None:
    on_sale.bpc.burn(int(on_sale.bpc.balanceOf(on_sale.provider)), sender=on_sale.provider)
    assert on_sale.supply() == 0
    with ape.reverts("pool: nothing pooled to sell a share of"):
        on_sale.sale.buy(on_sale.usdc, 1_000 * USDC, 0, sender=on_sale.investors[0])
