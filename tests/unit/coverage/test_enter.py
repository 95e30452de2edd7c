"""Coverage.enter: the pool logs a patent entering the pooled set (a new stay)."""

from typing import Any

import ape

from bpsa.core.coverage import CoverageLog, leaf_hash
from tests.unit.coverage.helpers import ALREADY_POOLED, ONLY_POOL, key, log_of


def test_enter__by_the_pool__appends_an_entry_leaf_and_its_root(
    chain: Any, stand_in: Any, pool_stand_in: Any
) -> None:
    tx = stand_in.enter(key(1), sender=pool_stand_in)

    at = chain.blocks.head.timestamp
    log = log_of(chain, stand_in)
    assert stand_in.size() == 1
    assert stand_in.stay_of(key(1)) == (True, 0)
    assert stand_in.root() == stand_in.root_at(1) == log.root_at(1)
    assert stand_in.leaf_hash(key(1), 0, True, at) == leaf_hash(key(1), 0, True, at)
    assert tx.events.filter(stand_in.CoverageLogged) == [
        stand_in.CoverageLogged(
            patent=key(1), index=0, stay=0, entering=True, at=at, root=log.root_at(1)
        )
    ]


def test_enter__a_patent_already_pooled__reverts(stand_in: Any, pool_stand_in: Any) -> None:
    stand_in.enter(key(1), sender=pool_stand_in)

    with ape.reverts(ALREADY_POOLED):
        stand_in.enter(key(1), sender=pool_stand_in)


def test_enter__by_anyone_else__reverts(stand_in: Any, attacker: Any) -> None:
    with ape.reverts(ONLY_POOL):
        stand_in.enter(key(1), sender=attacker)
    assert stand_in.root() == CoverageLog().root_at(0)
