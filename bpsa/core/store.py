"""A service's local state in one SQLite file: the one way the services open one.

    store = Store(path, SCHEMA, synchronous="FULL")
    with store.transaction() as db:
        db.execute("INSERT ...")
    store.db.execute("SELECT ...")  # outside a transaction: each statement commits alone

What every store of the project needs, once: the file's directory made; the write-ahead
log (readers never wait for the writer); the durability the store asks for (`FULL`: a
committed write survives a power cut; `NORMAL`: it may be lost, the file stays sound);
the schema applied (`CREATE ... IF NOT EXISTS`); columns a newer version added, added to
a file an older one wrote; transactions that take the write lock first (`BEGIN
IMMEDIATE`, so two writers never deadlock upgrading a read) and roll back on any
exception; and `bind`, which ties the file to one deployment.

Used by the oracle's board and monitor log, the channel payer's record, the pay gate's
redeemed receipts and the swap book. (The indexer's database is SQLAlchemy's, `bpsa.api.db`;
the hub's write-ahead log keeps its own connection: it is the hub's hot path.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

Synchronous = Literal["FULL", "NORMAL"]


class Store:
    def __init__(
        self,
        path: Path | str,
        schema: str,
        *,
        synchronous: Synchronous = "FULL",
        timeout: float = 5.0,
        threads: bool = False,
        columns: Mapping[str, Mapping[str, str]] | None = None,
    ) -> None:
        """`timeout`: seconds to wait for another process's write lock; `threads`: the
        connection may be used from other threads (the caller serialises them);
        `columns`: {table: {column: SQL type}} added where an older file lacks them."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(
            self.path, timeout=timeout, isolation_level=None, check_same_thread=not threads
        )
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(f"PRAGMA synchronous={synchronous}")
        self.db.executescript(schema)
        for table, wanted in (columns or {}).items():
            have = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            for column, sql_type in wanted.items():
                if column not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed at the end, rolled back on any exception."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def bind(self, key: str, value: str) -> str:
        """Ties the file to `value` under `key` (the first binding stays): the value it is
        bound to, for the caller to refuse a file written for another deployment."""
        self.db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, value))
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0])
