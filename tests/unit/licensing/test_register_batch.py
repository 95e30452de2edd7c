"""Licensing.register_batch / verify_device / device_fee: a maker licenses a production batch
by the Merkle root of its devices' positional leaves, paid at the volume schedule (an active
member's record has a free allowance a year); any device proves its licence from its position.
The attacks on the count and the allowance are in test_attack_device_count.py."""

from typing import Any

import ape
import pytest

from bpsa.core import devices
from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import PoolDriver

BPC = 10**18
PRODUCT = devices.product_id("PRD-X1")
FREE, LOW = LICENSING.devices_free_per_year, LICENSING.device_low_rate
BREAK, HIGH = LICENSING.device_volume_break, LICENSING.device_high_rate
CAP = LICENSING.device_annual_cap


@pytest.fixture
def maker(driver: PoolDriver, bpc: Any, licensing: Any, provider: Any, enterprise: Any) -> Any:
    """The large enterprise (an active member) as a device maker with 200 BPC, all approved
    to Licensing."""
    driver.pooled(provider)  # 500 BPC to the provider, and a pooled patent for royalties
    bpc.transfer(enterprise, 200 * BPC, sender=provider)
    bpc.approve(licensing, 200 * BPC, sender=enterprise)
    return enterprise


def test_register_batch__within_the_free_allowance__costs_nothing_and_verifies_devices(
    licensing: Any, bpc: Any, maker: Any
) -> None:
    serials = devices.serials("PRD-X1", 300)
    tree = devices.DeviceTree(serials)

    tx = licensing.register_batch(PRODUCT, tree.root, 300, sender=maker)

    assert tx.return_value == 1
    assert bpc.balanceOf(maker) == 200 * BPC
    assert (
        licensing.devices_in_year(maker, licensing.batches(1).registered_at // (365 * 86400)) == 300
    )
    for index in (0, 150, 299):
        assert licensing.verify_device(1, index, serials[index], tree.proof(serials[index]))
    event = tx.events.filter(licensing.BatchRegistered)[0]
    assert (event.count, event.fee, event.surcharge) == (300, 0, 0)


def test_verify_device__serial_not_in_the_batch__false(licensing: Any, maker: Any) -> None:
    serials = devices.serials("PRD-X1", 10)
    tree = devices.DeviceTree(serials)
    licensing.register_batch(PRODUCT, tree.root, 10, sender=maker)
    stranger = devices.serial_id("PRD-X1-COUNTERFEIT")
    proof = tree.proof(serials[3])

    assert licensing.verify_device(1, 3, serials[3], proof)
    assert not licensing.verify_device(1, 3, stranger, proof)
    assert not licensing.verify_device(1, 2, serials[3], proof)  # another position
    assert not licensing.verify_device(1, 3, serials[3], proof[:-1])  # too short
    assert not licensing.verify_device(1, 3, serials[3], [*proof, b"\x00" * 32])  # too long
    assert not licensing.verify_device(2, 3, serials[3], proof)  # no batch 2


def test_register_batch__across_the_tiers__pays_free_low_and_high_rates(
    licensing: Any, bpc: Any, royalties: Any, maker: Any
) -> None:
    count = BREAK + 1_000  # free, then low up to the break, then 1,000 at the high rate
    expected = (BREAK - FREE) * LOW + 1_000 * HIGH
    assert licensing.device_fee(maker, count) == min(expected, CAP)

    licensing.register_batch(PRODUCT, b"\x01" * 32, count, sender=maker)

    assert 200 * BPC - bpc.balanceOf(maker) == min(expected, CAP)
    assert royalties.fees_in() == min(expected, CAP)


def test_register_batch__a_second_batch__continues_the_years_count(
    licensing: Any, maker: Any
) -> None:
    licensing.register_batch(PRODUCT, b"\x01" * 32, FREE - 10, sender=maker)

    assert licensing.device_fee(maker, 30) == 20 * LOW


def test_register_batch__over_the_annual_cap__pays_the_cap_then_nothing(
    licensing: Any, bpc: Any, maker: Any
) -> None:
    big = FREE + CAP // LOW + 10_000  # more than the cap buys at the low rate
    licensing.register_batch(PRODUCT, b"\x01" * 32, big, sender=maker)
    assert 200 * BPC - bpc.balanceOf(maker) == CAP

    licensing.register_batch(PRODUCT, b"\x02" * 32, 1_000, sender=maker)

    assert 200 * BPC - bpc.balanceOf(maker) == CAP


@pytest.mark.parametrize(
    ("product", "root", "count", "reason"),
    [
        (b"\x00" * 32, b"\x01" * 32, 1, "licensing: empty product id"),
        (PRODUCT, b"\x00" * 32, 1, "licensing: empty root"),
        (PRODUCT, b"\x01" * 32, 0, "licensing: count must be 1 to 10^9"),
        (PRODUCT, b"\x01" * 32, 10**9 + 1, "licensing: count must be 1 to 10^9"),
    ],
    ids=["no-product", "no-root", "none", "too-many"],
)
def test_register_batch__bad_input__reverts(
    licensing: Any, maker: Any, product: bytes, root: bytes, count: int, reason: str
) -> None:
    with ape.reverts(reason):
        licensing.register_batch(product, root, count, sender=maker)


def test_register_batch__fee_without_allowance__reverts(licensing: Any, attacker: Any) -> None:
    with ape.reverts("erc20: insufficient allowance"):
        licensing.register_batch(PRODUCT, b"\x01" * 32, 1, sender=attacker)


def test_set_device_schedule__owner_only_and_bounded(
    licensing: Any, pool_council: Any, attacker: Any
) -> None:
    schedule = (10, 1, 20, 2, 0)
    with ape.reverts("ownable: caller is not the owner"):
        licensing.set_device_schedule(schedule, sender=attacker)
    with ape.reverts("licensing: device rate above 10^6 BPC"):
        licensing.set_device_schedule((10, 10**24 + 1, 20, 2, 0), sender=pool_council)

    tx = licensing.set_device_schedule(schedule, sender=pool_council)

    assert tuple(licensing.device_schedule()) == schedule
    assert len(tx.events.filter(licensing.DeviceScheduleSet)) == 1


def test_set_surcharge__owner_only_and_bounded(
    licensing: Any, pool_council: Any, attacker: Any
) -> None:
    with ape.reverts("ownable: caller is not the owner"):
        licensing.set_surcharge(100, sender=attacker)
    with ape.reverts("licensing: surcharge above 10,000 bps"):
        licensing.set_surcharge(10_001, sender=pool_council)

    licensing.set_surcharge(500, sender=pool_council)

    assert licensing.surcharge_bps() == 500
