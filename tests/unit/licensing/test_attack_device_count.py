"""Issue 15, finding 1: device licences count what the maker says.

Before the fix `register_batch` charged the stated `count` while `verify_device` accepted
any leaf of the root (a root over 300,000 serials registered as 1 device was free, and
serial 250,000 verified), and the free allowance was counted per sending address, so
every fresh address got free devices. Now a leaf is the device's position and serial,
only positions below the count verify, proofs are exactly as deep as a tree of the
count, and the allowance belongs to an active member's record; a non-member pays every
device and the fund's surcharge on top."""

from typing import Any

import pytest
from eth_utils.crypto import keccak

from bpsa.core import devices
from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import YEAR, PoolDriver

BPC = 10**18
PRODUCT = devices.product_id("PRD-X1")
FREE, LOW = LICENSING.devices_free_per_year, LICENSING.device_low_rate
SURCHARGE_BPS = LICENSING.surcharge_bps


def _tree_of_leaves(leaves: list[bytes]) -> list[list[bytes]]:
    """Every level of a positional tree over leaves chosen by the attacker."""
    levels = [leaves]
    while len(levels[-1]) > 1:
        level = levels[-1] + ([bytes(32)] if len(levels[-1]) % 2 else [])
        levels.append([keccak(level[i] + level[i + 1]) for i in range(0, len(level), 2)])
    return levels


def _proof(levels: list[list[bytes]], position: int) -> list[bytes]:
    out = []
    for level in levels[:-1]:
        sibling = position ^ 1
        out.append(level[sibling] if sibling < len(level) else bytes(32))
        position >>= 1
    return out


@pytest.fixture
def attacker_with_bpc(
    driver: PoolDriver, bpc: Any, licensing: Any, provider: Any, attacker: Any
) -> Any:
    """A fresh address (not a member) with 100 BPC approved to Licensing."""
    driver.pooled(provider)  # 500 BPC to the provider, and a pooled patent for royalties
    bpc.transfer(attacker, 100 * BPC, sender=provider)
    bpc.approve(licensing, 100 * BPC, sender=attacker)
    return attacker


def test_register_batch__root_over_300k_serials_registered_as_one__no_device_past_it_verifies(
    licensing: Any, attacker_with_bpc: Any
) -> None:
    serials = devices.serials("PRD-X1", 300_000)
    tree = devices.DeviceTree(serials)

    licensing.register_batch(PRODUCT, tree.root, 1, sender=attacker_with_bpc)

    one = serials[250_000]
    assert not licensing.verify_device(1, 250_000, one, tree.proof(one))
    assert not licensing.verify_device(1, 0, one, tree.proof(one))  # claiming the paid position
    assert not licensing.verify_device(1, 0, serials[0], tree.proof(serials[0]))  # too deep


def test_verify_device__every_leaf_claims_position_zero__one_device_verifies_not_eight(
    licensing: Any, enterprise: Any
) -> None:
    """The attacker builds leaves H(0, serial) for eight serials and pays for one: only the
    leaf at position 0 can be shown with index 0; the others' paths are not position 0's,
    and their own positions' leaves would be H(i, serial)."""
    serials = devices.serials("PRD-DUP", 8)
    leaves = [devices.leaf(0, s) for s in serials]
    levels = _tree_of_leaves(leaves)
    licensing.register_batch(PRODUCT, levels[-1][0], 8, sender=enterprise)

    verified = [
        i
        for i, serial in enumerate(serials)
        for index in (0, i)
        if licensing.verify_device(1, index, serial, _proof(levels, i))
    ]

    assert verified == [0, 0]  # serial 0 at index 0 (listed once for each loop value)


def test_verify_device__a_deeper_proof_reusing_paid_positions__refused(
    licensing: Any, enterprise: Any
) -> None:
    """A root over 32 leaves registered as 2 devices: the leaves at positions 0 and 1 are
    genuine, but their proofs are 5 hashes deep where a tree of 2 is 1 deep."""
    serials = devices.serials("PRD-DEEP", 32)
    tree = devices.DeviceTree(serials)
    licensing.register_batch(PRODUCT, tree.root, 2, sender=enterprise)

    assert not licensing.verify_device(1, 0, serials[0], tree.proof(serials[0]))
    assert not licensing.verify_device(1, 1, serials[1], tree.proof(serials[1]))


def test_verify_device__an_inner_node_as_the_serial__refused(
    licensing: Any, enterprise: Any
) -> None:
    serials = devices.serials("PRD-IN", 8)
    levels = _tree_of_leaves([devices.leaf(i, s) for i, s in enumerate(serials)])
    licensing.register_batch(PRODUCT, levels[-1][0], 8, sender=enterprise)

    for height in (1, 2):
        for position, node in enumerate(levels[height]):
            upper = _proof(levels, position << height)[height:]
            for proof in (upper, [bytes(32)] * height + upper):
                assert not licensing.verify_device(1, position, node, proof)
    assert licensing.verify_device(1, 5, serials[5], _proof(levels, 5))  # the honest device


def test_register_batch__another_makers_root__licenses_nothing_new(
    licensing: Any, enterprise: Any, attacker_with_bpc: Any
) -> None:
    """The attacker copies a maker's root and pays for one device: the copy's devices are
    the maker's (already licensed), and past its count none verifies under the copy."""
    serials = devices.serials("PRD-X1", 64)
    tree = devices.DeviceTree(serials)
    licensing.register_batch(PRODUCT, tree.root, 64, sender=enterprise)

    licensing.register_batch(PRODUCT, tree.root, 1, sender=attacker_with_bpc)

    assert all(not licensing.verify_device(2, i, s, tree.proof(s)) for i, s in enumerate(serials))
    assert licensing.verify_device(1, 40, serials[40], tree.proof(serials[40]))
    assert licensing.batches(1).maker == enterprise.address


def test_register_batch__fresh_non_member_address__pays_every_device_and_the_surcharge(
    licensing: Any, bpc: Any, royalties: Any, fund: Any, attacker_with_bpc: Any
) -> None:
    fee = 100 * LOW
    surcharge = fee * SURCHARGE_BPS // 10_000
    assert licensing.device_fee(attacker_with_bpc, 100) == fee + surcharge
    before, fund_before = bpc.balanceOf(attacker_with_bpc), bpc.balanceOf(fund)
    split_before = royalties.paid_to_fund()

    tx = licensing.register_batch(PRODUCT, b"\x01" * 32, 100, sender=attacker_with_bpc)

    assert before - bpc.balanceOf(attacker_with_bpc) == fee + surcharge
    assert royalties.fees_in() == 0  # a non-member's fee enters the fund in full
    assert royalties.paid_to_fund() == split_before
    assert bpc.balanceOf(fund) - fund_before == surcharge + fee
    assert licensing.fees_to_fund() == fee
    event = tx.events.filter(licensing.BatchRegistered)[0]
    assert (event.fee, event.surcharge) == (fee, surcharge)
    assert licensing.surcharges_to_fund() == surcharge


def test_register_batch__member_record__allowance_once_a_year_and_none_while_suspended(
    chain: Any,
    licensing: Any,
    bpc: Any,
    pool_alliance: Any,
    pool_council: Any,
    provider: Any,
    attacker_with_bpc: Any,
) -> None:
    """The start-up (an active member) registers its year's allowance free, and the next
    device at the low rate; suspended, it pays as a non-member; reinstated in the next
    licensing year, its record has a fresh allowance."""
    bpc.approve(licensing, 100 * BPC, sender=provider)
    spent = bpc.balanceOf(provider)
    licensing.register_batch(PRODUCT, b"\x01" * 32, FREE, sender=provider)
    assert bpc.balanceOf(provider) == spent
    assert licensing.device_fee(provider, 1) == LOW

    pool_alliance.suspend(provider.address, sender=pool_council)
    assert licensing.device_fee(provider, 10) == 10 * LOW * (10_000 + SURCHARGE_BPS) // 10_000

    pool_alliance.reinstate(provider.address, sender=pool_council)
    chain.pending_timestamp = (int(chain.pending_timestamp) // YEAR + 1) * YEAR
    chain.mine()
    assert licensing.device_fee(provider, FREE) == 0
    assert licensing.device_fee(attacker_with_bpc, FREE) > 0  # a non-member never has one
