"""Helpers shared by the Royalties unit tests: the split's arithmetic, fee payment."""

from typing import Any

from tests.fixtures.pool import PARAMS

ZERO = "0x" + "00" * 20
REFERENCE = b"\x01" * 32  # what a fee is for (a licence id)
PRECISION = 10**27
BPS = 10_000
BPC = 10**18


def split(amount: int) -> tuple[int, int, int]:
    """(to_contributors, to_centres, to_fund) of a fee under PARAMS in a pool with pooled
    patents (with none, the whole fee goes to the fund): the fund and centre shares round
    down and the contributors take the rest."""
    to_fund = amount * PARAMS.fund_bps // BPS
    to_centres = amount * PARAMS.centre_bps // BPS
    return amount - to_fund - to_centres, to_centres, to_fund


def pay(bpc: Any, royalties: Any, payer: Any, amount: int, source: Any) -> Any:
    """`source` (a BPC holder) hands `payer` the fee; `payer` approves and pays it."""
    bpc.transfer(payer, amount, sender=source)
    bpc.approve(royalties, amount, sender=payer)
    return royalties.pay(amount, REFERENCE, sender=payer)
