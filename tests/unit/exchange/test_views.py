"""Exchange's views: a listing unpacked, and how a price splits."""

from typing import Any

from tests.unit.exchange.helpers import PRICE, TO_POOL, TO_SELLER, ZERO


def test_listings__unknown_id__all_zero(exchange: Any) -> None:
    record = exchange.listings(7)

    assert (record.patent, record.kind, record.state, record.lister, record.price) == (
        b"\x00" * 32, 0, 0, ZERO, 0
    )  # fmt: skip


def test_split__price__pool_share_rounded_down_and_the_rest_to_the_seller(exchange: Any) -> None:
    assert exchange.split(PRICE) == (TO_POOL, TO_SELLER)
    assert exchange.split(9) == (0, 9)  # 10% of 9 wei rounds to 0: the seller keeps it
    assert exchange.split(10) == (1, 9)
