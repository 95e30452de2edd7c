"""Fund.pay: the council pays out of the treasury."""

from functools import partial
from typing import Any

import ape
import pytest

from tests.unit.fund.conftest import HELD
from tests.unit.ownership import assert_follows_the_owner

ZERO = "0x" + "00" * 20
NOT_OWNER = "ownable: caller is not the owner"
MEMO = bytes.fromhex("ab" * 32)


def test_pay__by_the_council__transfers_and_logs(
    bpc: Any, funded: Any, pool_council: Any, outsider: Any
) -> None:
    tx = funded.pay(bpc, outsider, 30 * 10**18, MEMO, sender=pool_council)

    assert bpc.balanceOf(funded) == HELD - 30 * 10**18
    assert bpc.balanceOf(outsider) == 30 * 10**18
    assert tx.events.filter(funded.Paid) == [
        funded.Paid(token=bpc.address, to=outsider.address, amount=30 * 10**18, memo=MEMO)
    ]


def test_pay__whole_balance__empties_the_fund(
    bpc: Any, funded: Any, pool_council: Any, outsider: Any
) -> None:
    funded.pay(bpc, outsider, HELD, MEMO, sender=pool_council)

    assert bpc.balanceOf(funded) == 0


def test_pay__more_than_the_balance__reverts(
    bpc: Any, funded: Any, pool_council: Any, outsider: Any
) -> None:
    with ape.reverts("fund: balance too low"):
        funded.pay(bpc, outsider, HELD + 1, MEMO, sender=pool_council)


@pytest.mark.parametrize("caller", ["attacker", "provider", "deployer"], indirect=True)
def test_pay__not_the_council__reverts(bpc: Any, funded: Any, caller: Any) -> None:
    with ape.reverts(NOT_OWNER):
        funded.pay(bpc, caller, 1, MEMO, sender=caller)


def test_pay__zero_recipient__reverts(bpc: Any, funded: Any, pool_council: Any) -> None:
    with ape.reverts("fund: recipient is the zero address"):
        funded.pay(bpc, ZERO, 1, MEMO, sender=pool_council)


def test_pay__zero_amount__reverts(bpc: Any, funded: Any, pool_council: Any, outsider: Any):
    with ape.reverts("fund: amount is zero"):
        funded.pay(bpc, outsider, 0, MEMO, sender=pool_council)


def test_pay__fund_handed_over__the_successor_pays_not_the_old_council(
    bpc: Any, funded: Any, pool_council: Any, council_seats: list[Any], outsider: Any
) -> None:
    pay = partial(funded.pay, bpc, outsider, 1, MEMO)

    assert_follows_the_owner(funded, pay, pool_council, council_seats[1])
