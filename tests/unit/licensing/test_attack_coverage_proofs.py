"""Attacks on a BPR's coverage snapshot (issue 17, point 5): a licensee may prove only the
patents pooled on its BPR's date, by its own snapshot, with a proof of that very stay.

Invariant (SECURITY.md): Licensing.covers(holder, patent, ...) is true only when an entry
leaf of `patent` lies among the first S leaves of the pool's Coverage log (S: the size the
holder's BPR recorded when it was converted or granted) and the stay it opened had not
ended among them; the off-chain verifier (bpsa.core.coverage.verify) agrees."""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core import coverage as cov
from bpsa.core.codes import Removal
from tests.fixtures.pool import PoolDriver
from tests.unit.coverage.helpers import log_of

EARLY = "41111111"
LATE = "42222222"
KEEP = "43333333"


def covers(licensing: Any, holder: Any, proof: cov.CoverageProof) -> bool:
    return bool(
        licensing.covers(holder, proof.patent, proof.entry, proof.entered_at, proof.entry_proof)
    )


def test_attack_covers__patent_pooled_after_the_conversion__is_refused(
    chain: Any, driver: PoolDriver, licensing: Any, coverage: Any, provider: Any,
    provider2: Any, convert_as: Callable[[Any], Any],
) -> None:  # fmt: skip
    driver.pooled(provider2, KEEP)
    convert_as(provider)
    late = driver.pooled(provider2, LATE)

    snapshot = int(licensing.snapshot_of(provider)[0])
    log = log_of(chain, coverage)
    with pytest.raises(cov.NotCovered, match="only after the snapshot"):
        log.prove(snapshot, late)
    # a true proof of the later stay, against the log as it is now
    now = log.prove(len(log), late)
    assert cov.verify(now)
    assert not covers(licensing, provider, now)
    assert not cov.verify(now, root=bytes(licensing.snapshot_of(provider)[1]))


def test_attack_covers__patent_that_left_before_the_conversion__is_refused(
    chain: Any, driver: PoolDriver, licensing: Any, coverage: Any, patent_pool: Any,
    pool_council: Any, provider: Any, provider2: Any, convert_as: Callable[[Any], Any],
) -> None:  # fmt: skip
    driver.pooled(provider2, KEEP)
    early = driver.pooled(provider, EARLY)
    patent_pool.remove(early, int(Removal.TRANSFERRED), sender=pool_council)
    convert_as(provider)

    snapshot = int(licensing.snapshot_of(provider)[0])
    log = log_of(chain, coverage)
    with pytest.raises(cov.NotCovered, match="left the pool before"):
        log.prove(snapshot, early)
    # its entry leaf is in the snapshot and its proof against the snapshot's root is true:
    # only the stay's recorded end refuses it
    entry = next(c for c in log.changes if c.patent == early and c.entering)
    proof = log.proof(entry.index, snapshot)
    assert cov.root_of(entry.leaf, entry.index, proof) == log.root_at(snapshot)
    assert not licensing.covers(provider, early, entry.index, entry.at, proof)


def test_attack_covers__forged_or_reused_proof__is_refused(
    chain: Any, driver: PoolDriver, licensing: Any, coverage: Any, provider: Any,
    provider2: Any, convert_as: Callable[[Any], Any],
) -> None:  # fmt: skip
    keep = driver.pooled(provider2, KEEP)
    early = driver.pooled(provider, EARLY)
    convert_as(provider)
    log = log_of(chain, coverage)
    proof = log.prove(int(licensing.snapshot_of(provider)[0]), early)
    assert covers(licensing, provider, proof)

    siblings = list(proof.entry_proof)
    siblings[0] = b"\x5a" * 32
    forged = [
        (early, proof.entry, proof.entered_at, siblings),  # a sibling changed
        (early, proof.entry, proof.entered_at + 1, proof.entry_proof),  # another time
        (early, proof.entry + 1, proof.entered_at, proof.entry_proof),  # another index
        (keep, proof.entry, proof.entered_at, proof.entry_proof),  # reused for another patent
    ]
    for patent, entry, at, path in forged:
        assert not licensing.covers(provider, patent, entry, at, path)
    tampered = cov.CoverageProof(**{**proof.__dict__, "entry_proof": tuple(siblings)})
    assert not cov.verify(tampered)


def test_attack_covers__another_holders_snapshot__is_refused(
    chain: Any, driver: PoolDriver, licensing: Any, coverage: Any, provider: Any,
    provider2: Any, enterprise: Any, convert_as: Callable[[Any], Any],
) -> None:  # fmt: skip
    driver.pooled(provider2, KEEP)
    convert_as(provider)
    late = driver.pooled(provider2, LATE)
    convert_as(enterprise)

    log = log_of(chain, coverage)
    theirs = log.prove(int(licensing.snapshot_of(enterprise)[0]), late)
    assert covers(licensing, enterprise, theirs)
    assert not covers(licensing, provider, theirs)
    assert not cov.verify(theirs, root=bytes(licensing.snapshot_of(provider)[1]))


def test_attack_covers__patent_removed_and_pooled_again__its_two_stays_are_distinct(
    chain: Any, driver: PoolDriver, licensing: Any, coverage: Any, patent_pool: Any,
    pool_council: Any, provider: Any, provider2: Any, enterprise: Any,
    convert_as: Callable[[Any], Any],
) -> None:  # fmt: skip
    driver.pooled(provider2, KEEP)
    early = driver.pooled(provider, EARLY)
    patent_pool.remove(early, int(Removal.TRANSFERRED), sender=pool_council)
    convert_as(provider)  # while it is out
    driver.pooled(provider, EARLY)  # a new life, a new stay
    convert_as(enterprise)

    log = log_of(chain, coverage)
    entries = [c for c in log.changes if c.patent == early and c.entering]
    assert len(entries) == 2 and entries[0].index != entries[1].index
    assert coverage.exit_of(entries[0].index)[0] and not coverage.exit_of(entries[1].index)[0]
    # the BPR converted while it was out covers it by neither stay
    out = int(licensing.snapshot_of(provider)[0])
    with pytest.raises(cov.NotCovered):
        log.prove(out, early)
    first = entries[0]
    assert not licensing.covers(provider, early, first.index, first.at, log.proof(first.index, out))
    # the BPR converted after its return covers it by the new stay only
    back = int(licensing.snapshot_of(enterprise)[0])
    proof = log.prove(back, early)
    assert proof.entry == entries[1].index
    assert covers(licensing, enterprise, proof)
    assert not licensing.covers(
        enterprise, early, first.index, first.at, log.proof(first.index, back)
    )
