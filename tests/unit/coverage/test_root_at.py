"""Coverage.root_at against the Python mirror (bpsa.core.coverage) over many appends: the
same root after every one, and every leaf's proof from the mirror accepted by the contract."""

import random
from typing import Any

from bpsa.core.coverage import CoverageLog
from tests.unit.coverage.helpers import key, log_of

APPENDS = 70  # past 64: the tree's seventh level fills


def test_root_at__many_entries_and_exits__equals_the_python_tree_at_every_size(
    chain: Any, stand_in: Any, pool_stand_in: Any
) -> None:
    rng = random.Random(17)
    pooled: set[int] = set()
    for _ in range(APPENDS):
        patent = rng.randrange(12)
        if patent in pooled:
            stand_in.leave(key(patent), sender=pool_stand_in)
            pooled.remove(patent)
        else:
            stand_in.enter(key(patent), sender=pool_stand_in)
            pooled.add(patent)

    log = log_of(chain, stand_in)
    assert len(log) == stand_in.size() == APPENDS
    assert [stand_in.root_at(size) for size in range(APPENDS + 1)] == [
        log.root_at(size) for size in range(APPENDS + 1)
    ]
    assert stand_in.root_at(APPENDS + 1) == b"\x00" * 32  # a size not reached
    # every stay open at each size is covered there, on chain as off chain
    for size in (1, 9, 33, 64, APPENDS):
        for entry in log.pooled_at(size):
            proof = log.proof(entry.index, size)
            assert stand_in.covered(size, entry.patent, entry.index, entry.at, proof)
    assert sorted(c.patent for c in log.pooled_at(APPENDS)) == sorted(key(p) for p in pooled)


def test_root_at__empty_log__is_the_root_of_no_leaves(stand_in: Any) -> None:
    assert stand_in.root_at(0) == CoverageLog().root_at(0)
