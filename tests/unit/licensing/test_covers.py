"""Licensing.snapshot_of and Licensing.covers: a BPR records the Coverage log's size when it
is converted or granted, and proves the patents pooled then (issue 17, point 5)."""

from collections.abc import Callable
from typing import Any

import ape

from bpsa.core import coverage as cov
from tests.fixtures.pool import PoolDriver
from tests.unit.coverage.helpers import log_of
from tests.unit.licensing.helpers import HOLDS_NO_BPR

NUMBER = "31111111"


def test_convert__after_a_pooling__records_the_log_size_and_covers_the_patent(
    chain: Any, driver: PoolDriver, licensing: Any, coverage: Any, provider: Any,
    convert_as: Callable[[Any], Any],
) -> None:  # fmt: skip
    patent = driver.pooled(provider, NUMBER)

    tx = convert_as(provider)

    size = int(coverage.size())
    log = log_of(chain, coverage)
    assert licensing.snapshot_of(provider) == (size, log.root_at(size))
    [converted] = tx.events.filter(licensing.Converted)
    assert converted.coverage == size
    proof = log.prove(size, patent)
    assert cov.verify(proof, root=bytes(licensing.snapshot_of(provider)[1]))
    assert licensing.covers(provider, patent, proof.entry, proof.entered_at, proof.entry_proof)


def test_grant__records_the_log_size_too(
    chain: Any, driver: PoolDriver, licensing: Any, coverage: Any, pool_council: Any,
    provider: Any, centre: Any,
) -> None:  # fmt: skip
    patent = driver.pooled(provider, NUMBER)

    tx = licensing.grant(centre, sender=pool_council)

    size = int(coverage.size())
    assert tx.events.filter(licensing.Granted) == [
        licensing.Granted(holder=centre.address, coverage=size)
    ]
    proof = log_of(chain, coverage).prove(size, patent)
    assert licensing.covers(centre, patent, proof.entry, proof.entered_at, proof.entry_proof)
    assert licensing.granted(centre)  # the snapshot's bits leave the record's other fields be
    assert licensing.locked(centre) == 0


def test_convert__snapshot_bits__leave_lock_and_unlock_time_as_they_were(
    chain: Any, driver: PoolDriver, licensing: Any, provider: Any,
    convert_as: Callable[[Any], Any],
) -> None:  # fmt: skip
    driver.pooled(provider, NUMBER)
    price = licensing.price_of(provider)

    tx = convert_as(provider)

    at = chain.blocks[tx.block_number].timestamp
    assert licensing.locked(provider) == price
    assert licensing.unlocks_at(provider) == at + licensing.min_term()
    assert not licensing.granted(provider)


def test_snapshot_of__no_bpr__reverts(licensing: Any, outsider: Any) -> None:
    with ape.reverts(HOLDS_NO_BPR):
        licensing.snapshot_of(outsider)


def test_covers__no_bpr__is_false(licensing: Any, outsider: Any) -> None:
    assert not licensing.covers(outsider, b"\x01" * 32, 0, 0, [b"\x00" * 32] * cov.DEPTH)
