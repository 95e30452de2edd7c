"""Attack: buying when the NAV is stale (a re-rating under way or overdue, a lapsed
certificate still counted) or when there is no NAV at all (nothing pooled, no BPC).

Defence: anyone reports a stale pooled patent and sales halt until it is current again
(`clear_stale`); the pool refuses to issue while nothing is pooled or no BPC exists."""

import ape
import pytest

from bpsa.core.codes import Removal
from tests.fixtures.pool import DAY
from tests.fixtures.sale import FIRST_VALUATION, TERMS, USD, USDC, SaleWorld
from tests.fixtures.suite import wait
from tests.unit.pool.helpers import INTERVAL

STALE = "sale: a pooled patent's valuation is stale"


@pytest.fixture
def world(sale_world: SaleWorld) -> SaleWorld:
    return sale_world


@pytest.fixture
def patent(world: SaleWorld) -> bytes:
    """The provider's patent the world pooled."""
    return bytes(world.pool.patent_id("US", "11000001"))


def test_rerating_under_way__report_halts_sales_until_it_settles(
    world: SaleWorld, patent: bytes
) -> None:
    wait(world.chain, INTERVAL)
    experts = world.driver.experts
    # two ballots of three are in: the third would move the NAV; a buyer who sees it coming
    world.pool.rate(patent, 80, 2 * FIRST_VALUATION, sender=experts[0])
    world.pool.rate(patent, 80, 2 * FIRST_VALUATION, sender=experts[1])
    tx = world.sale.report_stale(patent, sender=world.provider)
    assert tx.events.filter(world.sale.StaleReported)[0].reason == 1
    with ape.reverts(STALE):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])
    with ape.reverts("sale: the patent's valuation is still stale"):
        world.sale.clear_stale(patent, sender=world.investors[0])
    world.pool.rate(patent, 80, 2 * FIRST_VALUATION, sender=experts[2])
    world.sale.clear_stale(patent, sender=world.investors[0])
    nav = int(world.pool.nav())
    world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])
    assert int(world.bpc.balanceOf(world.investors[0])) == 1_000 * USD * 10**18 // nav


def test_rerating_overdue_past_the_grace__report_halts_sales(
    world: SaleWorld, patent: bytes
) -> None:
    wait(world.chain, INTERVAL + TERMS.stale_grace - 2 * DAY)
    with ape.reverts("sale: the patent's valuation is not stale"):
        world.sale.report_stale(patent, sender=world.provider)
    wait(world.chain, 2 * DAY)
    assert int(world.sale.stale_reason(patent)) == 2
    world.sale.report_stale(patent, sender=world.provider)
    with ape.reverts("sale: already reported"):
        world.sale.report_stale(patent, sender=world.provider)
    with ape.reverts(STALE):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])


def test_report_stale__current_patent__reverts(world: SaleWorld, patent: bytes) -> None:
    with ape.reverts("sale: the patent's valuation is not stale"):
        world.sale.report_stale(patent, sender=world.attacker)
    with ape.reverts("sale: not reported"):
        world.sale.clear_stale(patent, sender=world.attacker)


def test_stale_patent_removed__clears_and_sales_resume(world: SaleWorld, patent: bytes) -> None:
    world.driver.pooled(world.provider, "11000009")
    wait(world.chain, INTERVAL + TERMS.stale_grace)
    world.sale.report_stale(patent, sender=world.provider)
    world.pool.remove(patent, int(Removal.SOLD), sender=world.council)
    world.sale.clear_stale(patent, sender=world.attacker)
    assert int(world.sale.stale_count()) == 0


def test_buy__every_patent_left__reverts(world: SaleWorld, patent: bytes) -> None:
    world.pool.remove(patent, int(Removal.SOLD), sender=world.council)
    assert int(world.pool.pooled_value()) == 0 and world.supply() != 0
    with ape.reverts("pool: nothing pooled to sell a share of"):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])


def test_buy__every_bpc_burned__reverts(world: SaleWorld) -> None:
    world.bpc.burn(int(world.bpc.balanceOf(world.provider)), sender=world.provider)
    assert world.supply() == 0
    with ape.reverts("pool: nothing pooled to sell a share of"):
        world.sale.buy(world.usdc, 1_000 * USDC, 0, sender=world.investors[0])
