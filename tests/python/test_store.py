"""bpsa.core.store.Store: the one way the services open their SQLite files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bpsa.core.store import Store

SCHEMA = "CREATE TABLE IF NOT EXISTS items (key TEXT PRIMARY KEY, value TEXT);"


def test_store__new_file_in_a_new_folder__wal_journal_and_the_asked_durability(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "deep" / "state.sqlite", SCHEMA, synchronous="NORMAL")

    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert (
        Store(tmp_path / "full.sqlite", SCHEMA).db.execute("PRAGMA synchronous").fetchone()[0] == 2
    )  # FULL unless asked


def test_transaction__exception_inside__nothing_written(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite", SCHEMA)

    with pytest.raises(RuntimeError), store.transaction() as db:
        db.execute("INSERT INTO items VALUES ('a', '1')")
        raise RuntimeError("stop")
    with store.transaction() as db:
        db.execute("INSERT INTO items VALUES ('b', '2')")

    again = Store(tmp_path / "s.sqlite", SCHEMA)  # another connection sees what committed
    assert again.db.execute("SELECT key FROM items").fetchall() == [("b",)]


def test_transaction__another_writer_holds_the_lock__waits_then_times_out(tmp_path: Path) -> None:
    first = Store(tmp_path / "s.sqlite", SCHEMA)
    second = Store(tmp_path / "s.sqlite", SCHEMA, timeout=0.1)

    with (
        first.transaction(),
        pytest.raises(sqlite3.OperationalError, match="locked"),
        second.transaction(),
    ):
        pass


def test_columns__file_of_an_older_version__missing_column_added_once(tmp_path: Path) -> None:
    Store(tmp_path / "s.sqlite", SCHEMA).close()

    newer = Store(tmp_path / "s.sqlite", SCHEMA, columns={"items": {"note": "TEXT"}})
    newer.close()
    reopened = Store(tmp_path / "s.sqlite", SCHEMA, columns={"items": {"note": "TEXT"}})

    names = [row[1] for row in reopened.db.execute("PRAGMA table_info(items)")]
    assert names == ["key", "value", "note"]


def test_bind__another_deployment_later__the_first_binding_answers(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite", SCHEMA)

    assert store.bind("deployment", "31337:0xabc") == "31337:0xabc"
    assert store.bind("deployment", "1:0xdef") == "31337:0xabc"
