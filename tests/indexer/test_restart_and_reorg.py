"""Restarts and reorganisations end in the same database as an uninterrupted run over
the chain as it finally is."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api import indexer as indexer_module
from bpsa.api.indexer import Indexer
from bpsa.api.indexer_project import Projector
from bpsa.core.errors import ChainUnavailable

from .conftest import Scenario, dump


@pytest.fixture
def reference(make_indexer: Any, tmp_path: Path) -> Callable[[], dict[str, Any]]:
    """`reference()`: what an uninterrupted run over the chain as it is now stores in a
    fresh SQLite file, read back by `dump`."""

    def stored() -> dict[str, Any]:
        indexer = make_indexer(str(tmp_path / "reference.sqlite"))
        indexer.run_once()
        return dump(indexer.engine, indexer.chain_id)

    return stored


def test_restart__stopped_mid_stream__same_state_as_one_uninterrupted_run(
    scenario: Scenario, make_indexer: Any, db_target: str, tmp_path: Any, reference: Any
) -> None:
    scenario.everything()
    head = int(make_indexer(str(tmp_path / "probe.sqlite")).rpc.request("eth_blockNumber"), 16)
    first = make_indexer(db_target, batch_blocks=9)
    first.run_once(until=head // 2)
    assert first.cursor()[0] == head // 2

    second = make_indexer(db_target, batch_blocks=9)
    second.run_once()

    assert second.cursor()[0] == head
    assert dump(second.engine, second.chain_id) == reference()


def test_restart__crash_inside_a_batch__batch_rolled_back_and_rerun_gives_same_state(
    scenario: Scenario, make_indexer: Any, reference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario.everything()
    crashing = make_indexer(batch_blocks=20)
    apply = Projector.apply
    seen = [0]

    def crash_at_the_100th(self: Projector, ev: Any) -> None:
        seen[0] += 1
        if seen[0] == 100:
            raise RuntimeError("killed mid-batch")
        apply(self, ev)

    monkeypatch.setattr(Projector, "apply", crash_at_the_100th)
    with pytest.raises(RuntimeError, match="killed mid-batch"):
        crashing.run_once()
    monkeypatch.setattr(Projector, "apply", apply)
    cursor = crashing.cursor()[0]
    with Session(crashing.engine) as s:
        stored = s.execute(select(func.count()).select_from(db.Event)).scalar()
        newest = s.execute(select(func.max(db.Event.block_number))).scalar()
    assert 0 < (stored or 0) < 100 and newest is not None and newest <= cursor

    make_indexer(batch_blocks=20).run_once()

    assert dump(crashing.engine, crashing.chain_id) == reference()


def test_reorg__orphaned_blocks__rewound_to_the_state_of_a_chain_that_never_had_them(
    scenario: Scenario, make_indexer: Any, db_target: str, reference: Any
) -> None:
    scenario.members()
    patent = scenario.patents()
    fork = scenario.chain.snapshot()
    scenario.licences(patent)  # orphaned below
    indexer = make_indexer(db_target)
    indexer.run_once()
    orphaned_head = indexer.cursor()
    with Session(indexer.engine) as s:
        assert s.scalars(select(db.BprHolding)).all()

    scenario.chain.restore(fork)
    scenario.case(patent)  # the other branch: different blocks at the same heights
    scenario.channel()
    scenario.chain.mine(5)
    indexer.run_once()

    assert indexer.stats.reorgs == 1
    assert indexer.cursor() != orphaned_head
    with Session(indexer.engine) as s:
        assert not s.scalars(select(db.BprHolding)).all()
        converted = select(db.Event).where(db.Event.event == "Converted")
        assert not s.scalars(converted).all()
        assert s.scalars(select(db.Case)).one()
    assert dump(indexer.engine, indexer.chain_id) == reference()


def test_reorg__new_chain_shorter_than_the_cursor__rewound_without_new_blocks(
    scenario: Scenario, make_indexer: Any, reference: Any
) -> None:
    scenario.members()
    fork = scenario.chain.snapshot()
    scenario.patents()
    indexer = make_indexer()
    indexer.run_once()

    scenario.chain.restore(fork)
    indexer.run_once()

    assert indexer.stats.reorgs == 1
    with Session(indexer.engine) as s:
        assert not s.scalars(select(db.Patent)).all()
    assert dump(indexer.engine, indexer.chain_id) == reference()


def test_reorg__while_a_batch_is_being_fetched__batch_fetched_again_from_the_new_chain(
    scenario: Scenario, make_indexer: Any, reference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario.members()
    fork = scenario.chain.snapshot()
    scenario.patents()
    indexer = make_indexer()
    fetch = Indexer._logs
    reorganised: list[int] = []

    def reorg_after_the_first_fetch(self: Indexer, start: int, end: int) -> list[Any]:
        logs = fetch(self, start, end)
        if not reorganised:
            reorganised.append(end)
            scenario.chain.restore(fork)
            scenario.channel()
            scenario.chain.mine(40)  # the new chain is longer than the old
        return logs

    monkeypatch.setattr(Indexer, "_logs", reorg_after_the_first_fetch)
    indexer.run_once()

    assert reorganised and indexer.stats.refetches >= 1
    with Session(indexer.engine) as s:
        assert not s.scalars(select(db.Patent)).all()
        assert s.scalars(select(db.Channel)).one()
    indexer.run_once()  # the head it saw first was the old chain's: on to the new head
    assert dump(indexer.engine, indexer.chain_id) == reference()


def test_reorg__anvil_reorg_replaces_the_last_blocks__events_of_the_old_ones_gone(
    scenario: Scenario, make_indexer: Any, db_target: str, reference: Any
) -> None:
    scenario.members()
    indexer = make_indexer(db_target)
    indexer.run_once()
    head = indexer.cursor()[0]
    with Session(indexer.engine) as s:
        doomed = s.scalars(select(db.Event).where(db.Event.block_number > head - 3)).all()
    assert doomed  # the last three blocks carry events (expel, reinstate, ...)

    indexer.rpc.request("anvil_reorg", [3, []])  # three new, empty blocks at the same heights
    indexer.run_once()

    assert indexer.stats.reorgs == 1 and indexer.cursor()[0] == head
    with Session(indexer.engine) as s:
        assert not s.scalars(select(db.Event).where(db.Event.block_number > head - 3)).all()
    assert dump(indexer.engine, indexer.chain_id) == reference()


def test_batch__fetched_in_many_parts__same_state_as_fetched_whole(
    scenario: Scenario, make_indexer: Any, reference: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario.everything()
    monkeypatch.setattr(indexer_module, "LOGS_PER_FETCH", 3)  # a part of a block or two
    monkeypatch.setattr(indexer_module, "FIRST_SPAN", 1)
    parts: list[tuple[int, int]] = []
    fetch = Indexer._logs

    def counted(self: Indexer, start: int, end: int) -> list[Any]:
        parts.append((start, end))
        return fetch(self, start, end)

    monkeypatch.setattr(Indexer, "_logs", counted)
    indexer = make_indexer()
    indexer.run_once()

    assert indexer.stats.batches == 1 and len(parts) > 10  # one transaction, many fetches
    assert [start for start, _ in parts[1:]] == [end + 1 for _, end in parts[:-1]]
    monkeypatch.setattr(Indexer, "_logs", fetch)
    monkeypatch.setattr(indexer_module, "LOGS_PER_FETCH", 10**9)
    assert dump(indexer.engine, indexer.chain_id) == reference()


def test_batch__rpc_fails_while_a_later_part_is_fetched__error_raised_nothing_stored(
    scenario: Scenario, make_indexer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario.members()
    monkeypatch.setattr(indexer_module, "LOGS_PER_FETCH", 2)
    monkeypatch.setattr(indexer_module, "FIRST_SPAN", 1)
    fetch = Indexer._logs
    calls: list[int] = []

    def failing(self: Indexer, start: int, end: int) -> list[Any]:
        calls.append(start)
        if len(calls) == 4:
            raise ChainUnavailable("the node went away")
        return fetch(self, start, end)

    monkeypatch.setattr(Indexer, "_logs", failing)
    indexer = make_indexer()

    with pytest.raises(ChainUnavailable, match="the node went away"):
        indexer.run_once()

    assert indexer.cursor() == (indexer.start_block - 1, None)
    with Session(indexer.engine) as s:
        assert s.scalar(select(func.count()).select_from(db.Event)) == 0
