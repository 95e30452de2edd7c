"""The hub's write-ahead log: every state change the engine accepted, in order, in SQLite
(WAL journal mode). A payment is acknowledged (its receipt signed and sent) only after
the transaction holding it has committed; after a crash the hub rebuilds every channel
by replaying the log through the same pure transitions.

Group commit: `append_many` writes a batch of changes in one transaction, so the cost
of a durable commit (an fsync with `synchronous=FULL`) is shared by every payment that
arrived while the previous batch was being written.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from bpsa.sidechains import state as st

KINDS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (
        st.ContractReceiveChannelOpened,
        st.ContractReceiveChannelToppedUp,
        st.ContractReceiveChannelClosing,
        st.ContractReceiveChannelUpdated,
        st.ContractReceiveChannelSettled,
        st.ReceivePayment,
        st.ActionCooperativeClose,
    )
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chain_cursor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    block INTEGER NOT NULL
);
"""


FIELDS: dict[str, tuple[str, ...]] = {
    name: tuple(f.name for f in fields(cls)) for name, cls in KINDS.items()
}


def encode(change: Any) -> tuple[str, str, str]:
    """(channel, kind, body): the body a JSON list of the change's fields in order,
    integers as decimal strings (uint256 is beyond JSON's safe range), bytes as hex."""
    kind = type(change).__name__
    values = [getattr(change, name) for name in FIELDS[kind]]
    body = [
        v.hex() if isinstance(v, bytes) else str(v) if isinstance(v, int) else v for v in values
    ]
    return str(change.channel), kind, json.dumps(body)


def decode(kind: str, body: str) -> Any:
    cls = KINDS[kind]
    values: list[Any] = []
    for f, raw in zip(fields(cls), json.loads(body), strict=True):
        if f.type in ("bytes", bytes):
            values.append(bytes.fromhex(raw))
        elif f.type in ("int", int):
            values.append(int(raw))
        else:
            values.append(raw)
    return cls(*values)


class WriteAheadLog:
    def __init__(self, path: Path, synchronous: str = "FULL") -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous is FULL (every commit on disk) or NORMAL")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def append_many(self, changes: list[Any]) -> None:
        """Write `changes` in one transaction: all durable on return, or none."""
        if not changes:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany(
                "INSERT INTO changes (channel, kind, body) VALUES (?, ?, ?)",
                [encode(c) for c in changes],
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def replay(self) -> Iterator[Any]:
        for kind, body in self._db.execute("SELECT kind, body FROM changes ORDER BY seq"):
            yield decode(kind, body)

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM changes").fetchone()[0])

    def cursor(self) -> int | None:
        row = self._db.execute("SELECT block FROM chain_cursor WHERE id = 1").fetchone()
        return None if row is None else int(row[0])

    def set_cursor(self, block: int) -> None:
        self._db.execute(
            "INSERT INTO chain_cursor (id, block) VALUES (1, ?) "
            "ON CONFLICT(id) DO UPDATE SET block = excluded.block",
            (block,),
        )


def open_wal(target: str | Path, synchronous: str = "FULL") -> WriteAheadLog:
    """The log at `target`: a SQLite file's path (PostgreSQL URLs: see the hub's README)."""
    return WriteAheadLog(Path(target), synchronous=synchronous)
