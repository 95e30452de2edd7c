"""BPC.burn: any holder burns its own BPC (raising the pool's NAV)."""

from typing import Any

import ape

from tests.unit.bpc.conftest import HELD

ZERO = "0x" + "00" * 20


def test_burn__within_balance__lowers_balance_and_supply_and_logs(bpc: Any, holder: Any):
    tx = bpc.burn(400, sender=holder)

    assert bpc.balanceOf(holder) == HELD - 400
    assert bpc.totalSupply() == HELD - 400
    assert tx.events.filter(bpc.Transfer) == [
        bpc.Transfer(sender=holder.address, receiver=ZERO, value=400)
    ]


def test_burn__by_a_holder_of_pooled_bpc__raises_the_nav(
    driver: Any, patent_pool: Any, bpc: Any, provider: Any
) -> None:
    driver.pooled(provider)  # 500 BPC behind 50,000 USD: 100 USD each
    bpc.burn(250 * 10**18, sender=provider)

    assert patent_pool.nav() == 200 * 10**18


def test_burn__more_than_the_balance__reverts(bpc: Any, holder: Any) -> None:
    with ape.reverts("erc20: burn amount exceeds balance"):
        bpc.burn(HELD + 1, sender=holder)


def test_burn__without_bpc__reverts(bpc: Any, attacker: Any) -> None:
    with ape.reverts("erc20: burn amount exceeds balance"):
        bpc.burn(1, sender=attacker)


def test_burn__leaving_less_than_one_bpc__reverts(bpc: Any, holder: Any) -> None:
    with ape.reverts("bpc: a burn may leave 0 or at least 1 BPC outstanding"):
        bpc.burn(HELD - 10**18 + 1, sender=holder)


def test_burn__leaving_exactly_one_bpc__burns(bpc: Any, holder: Any) -> None:
    bpc.burn(HELD - 10**18, sender=holder)

    assert bpc.totalSupply() == 10**18


def test_burn__the_whole_supply__leaves_none(bpc: Any, holder: Any) -> None:
    bpc.burn(HELD, sender=holder)

    assert bpc.totalSupply() == 0
