"""Licensing.set_exchange: the council names the exchange that records exclusive licences."""

from typing import Any

import ape

from tests.unit.licensing.helpers import AGREEMENT, ZERO


def test_set_exchange__zero_address__stops_exclusive_licences(
    licensing: Any, pool_council: Any, accounts: Any
) -> None:
    licensing.set_exchange(accounts[11], sender=pool_council)
    licensing.set_exchange(ZERO, sender=pool_council)

    with ape.reverts("licensing: only the exchange records exclusive licences"):
        licensing.record_exclusive(
            b"\x01" * 32, b"\x02" * 32, accounts[11], 1, AGREEMENT, sender=accounts[11]
        )
