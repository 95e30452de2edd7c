"""bpsa.core.coverage: the Python mirror of the Coverage log (its roots are checked against
the contract's in tests/unit/coverage/test_root_at.py), its proofs and their JSON form."""

import json
import random

import pytest

from bpsa.core import coverage as cov
from bpsa.core.errors import InputError


def key(n: int) -> bytes:
    return n.to_bytes(32, "big")


def replay(appends: int, patents: int = 6, seed: int = 5) -> cov.CoverageLog:
    """A log of `appends` random entries and exits of `patents` patents, a second apart."""
    rng = random.Random(seed)
    log = cov.CoverageLog()
    stays: dict[bytes, int] = {}
    for index in range(appends):
        patent = key(rng.randrange(patents))
        if patent in stays:
            log.append(cov.Change(index, patent, stays.pop(patent), False, 1000 + index))
        else:
            stays[patent] = index
            log.append(cov.Change(index, patent, index, True, 1000 + index))
    return log


def test_root_at__empty_tree__is_the_zero_hash_of_its_height() -> None:
    assert cov.CoverageLog().root_at(0) == cov.ZERO_HASHES[cov.DEPTH]


def test_proof__every_leaf_at_every_size__leads_to_that_root() -> None:
    log = replay(40)
    for size in range(1, 41):
        root = log.root_at(size)
        for index in range(size):
            leaf = log.changes[index].leaf
            assert cov.root_of(leaf, index, log.proof(index, size)) == root


def test_prove__every_patent_pooled_at_a_size__verifies_and_survives_json() -> None:
    log = replay(60)
    for size in range(0, 61, 7):
        for stay in log.pooled_at(size):
            proof = log.prove(size, stay.patent)
            assert cov.verify(proof, root=log.root_at(size))
            again = cov.CoverageProof.from_json(json.loads(json.dumps(proof.to_json())))
            assert again == proof
            if proof.exit is not None:
                assert proof.exit >= size
                assert cov.verify(proof, exit_root=log.root_at(proof.exit + 1))


def test_verify__exit_before_the_snapshot_or_tampered__is_false() -> None:
    log = cov.CoverageLog(
        [
            cov.Change(0, key(1), 0, True, 10),
            cov.Change(1, key(2), 1, True, 11),
            cov.Change(2, key(1), 0, False, 12),
            cov.Change(3, key(3), 3, True, 13),
        ]
    )
    with pytest.raises(cov.NotCovered, match="left the pool before"):
        log.prove(3, key(1))
    with pytest.raises(cov.NotCovered, match="only after"):
        log.prove(3, key(3))
    with pytest.raises(cov.NotCovered, match="never pooled"):
        log.prove(3, key(9))
    covered = log.prove(2, key(1))  # the stay ended at leaf 2: after a snapshot of 2
    assert covered.exit == 2 and cov.verify(covered)
    # an exit leaf before the snapshot does not prove the stay lasted
    assert not cov.verify(cov.CoverageProof(**{**covered.__dict__, "size": 3}))
    assert not cov.verify(covered, root=log.root_at(3))  # not that snapshot's root
    assert not cov.verify(cov.CoverageProof(**{**covered.__dict__, "left_at": 99}))
    assert not cov.verify(cov.CoverageProof(**{**covered.__dict__, "patent": key(2)}))


def test_append__breaking_the_contracts_rules__raises() -> None:
    log = cov.CoverageLog([cov.Change(0, key(1), 0, True, 10)])
    with pytest.raises(InputError, match="already pooled"):
        log.append(cov.Change(1, key(1), 1, True, 11))
    with pytest.raises(InputError, match="not open"):
        log.append(cov.Change(1, key(2), 0, False, 11))
    with pytest.raises(InputError, match="arrived when 1 was next"):
        log.append(cov.Change(5, key(2), 5, True, 11))


def test_from_json__malformed__raises_input_error() -> None:
    proof = cov.CoverageLog([cov.Change(0, key(1), 0, True, 10)]).prove(1, key(1)).to_json()
    for broken in (
        {**proof, "root": "0x12"},
        {**proof, "entry_proof": proof["entry_proof"][:3]},
        {**proof, "size": -1},
        {k: v for k, v in proof.items() if k != "patent"},
    ):
        with pytest.raises(InputError):
            cov.CoverageProof.from_json(broken)
