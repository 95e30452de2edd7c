"""Coverage.leave: the pool logs a patent leaving the pooled set (its stay ends)."""

from typing import Any

import ape

from tests.unit.coverage.helpers import NOT_POOLED, ONLY_POOL, key, log_of


def test_leave__a_pooled_patent__appends_an_exit_leaf_naming_its_stay(
    chain: Any, stand_in: Any, pool_stand_in: Any
) -> None:
    stand_in.enter(key(1), sender=pool_stand_in)
    stand_in.enter(key(2), sender=pool_stand_in)
    tx = stand_in.leave(key(1), sender=pool_stand_in)

    log = log_of(chain, stand_in)
    assert stand_in.size() == 3
    assert stand_in.stay_of(key(1)) == (False, 0)
    assert stand_in.exit_of(0) == (True, 2)
    assert stand_in.exit_of(1) == (False, 0)
    assert stand_in.root() == log.root_at(3)
    [logged] = tx.events.filter(stand_in.CoverageLogged)
    assert (logged.patent, logged.index, logged.stay, logged.entering) == (key(1), 2, 0, False)
    assert [c.patent for c in log.pooled_at(3)] == [key(2)]


def test_leave__a_patent_not_pooled__reverts(stand_in: Any, pool_stand_in: Any) -> None:
    with ape.reverts(NOT_POOLED):
        stand_in.leave(key(1), sender=pool_stand_in)


def test_leave__by_anyone_else__reverts(stand_in: Any, pool_stand_in: Any, attacker: Any) -> None:
    stand_in.enter(key(1), sender=pool_stand_in)

    with ape.reverts(ONLY_POOL):
        stand_in.leave(key(1), sender=attacker)
    assert stand_in.stay_of(key(1)) == (True, 0)
