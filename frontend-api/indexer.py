"""The chain indexer: follows the suite's events from a deployment manifest into the database.

    python -m bpsa.api.indexer --manifest deployments/local.json --rpc http://127.0.0.1:8545 \\
        --db indexer.sqlite [--once] [--poll 2] [--confirmations 0]

How it works, per batch of blocks (`--batch-blocks`, default 2,000):
1. ask the node for the batch's last block header and the cursor block's header: a
   cursor block whose hash changed means a reorganisation (see below);
2. `eth_getLogs` for every suite address (raw JSON-RPC) in parts of about
   `LOGS_PER_FETCH` logs (the span follows the chain's density), each followed by the
   headers of its blocks; a thread fetches the next part while this one is stored. A
   log whose block hash differs from its header, or a last block whose hash moved by
   the end, means the chain changed under us: the batch is fetched again;
3. decode (each topic's precomputed reader; static events by slicing words) and, in ONE
   database transaction for the whole batch: the blocks, the raw `events` rows, their
   effect on the derived tables and the cursor. A crash leaves the previous batch's state.

Reorganisation: the common ancestor is the highest stored block whose hash the
chain still has; raw events and blocks above it are deleted and the derived
tables are rebuilt from the remaining raw events (a full replay, in the same
transaction as the rewind), then indexing continues from the ancestor.
`(chain_id, block_hash, log_index)` is unique, so no log is ever stored twice.
"""

from __future__ import annotations

import argparse
import gc
import logging
import queue
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api.deployment import read_manifest
from bpsa.api.indexer_decode import EVENT_TYPES, DecodeError, EventType, from_json
from bpsa.api.indexer_project import Ev, Projector
from bpsa.core.chain import Backoff
from bpsa.core.errors import BpsaError, ChainError, ChainUnavailable, ManifestError
from bpsa.core.manifest import CONTRACT_TYPES, Manifest
from bpsa.core.progress import Bar, progress
from bpsa.core.rpc import Rpc

log = logging.getLogger("bpsa.indexer")


class IndexerError(BpsaError):
    """A problem the operator must fix (RPC unreachable, wrong chain, foreign database)."""


# An eth_getLogs asks for about this many logs, so that a batch is fetched in parts and
# the next part arrives while this one is stored; a batch's first span, in blocks.
LOGS_PER_FETCH = 2_000
FIRST_SPAN = 16


class ChainMoved(Exception):
    """The chain changed while a batch was fetched; fetch it again."""


class Reorganised(Exception):
    """The cursor block is no longer on the chain."""


# The raw events' columns in order, for the SQLite fast path (plain executemany).
_EVENT_COLUMNS = (
    "chain_id", "block_number", "block_hash", "block_time", "tx_hash",
    "tx_index", "log_index", "contract", "address", "event",
)  # fmt: skip
_SQLITE_INSERT = (
    f"INSERT INTO events (id, {', '.join(_EVENT_COLUMNS)}, args) "
    f"VALUES ({', '.join('?' * (len(_EVENT_COLUMNS) + 2))})"
)


class _Prefetch:
    """Runs a fetching generator in a thread, one part ahead of the consumer: the node
    answers the next eth_getLogs while this part is decoded and stored. Its errors (the
    chain moved, the RPC failed) are raised to the consumer; leaving stops the thread."""

    _DONE = object()

    def __init__(self, parts: Iterator[Any]) -> None:
        self._parts = parts
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="indexer-fetch", daemon=True)

    def _put(self, item: Any) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for part in self._parts:
                if not self._put(part):
                    return
            self._put(self._DONE)
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(exc)

    def __enter__(self) -> Iterator[Any]:
        self._thread.start()
        return self._consume()

    def _consume(self) -> Iterator[Any]:
        while True:
            item = self._queue.get()
            if item is self._DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def _no_gc() -> Iterator[None]:
    """A batch allocates tens of thousands of short-lived objects (freed by reference
    counting); the cyclic collector's full passes over a big heap (ape's, in the
    bench) would cost more than the batch itself. Reference cycles wait till after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# A log as the batch carries it: its `events` row (the columns above and the JSON args),
# and what the projection needs (its event type and arguments; None if not decoded).
Row = tuple[int, int, str, int, str, int, int, str, str, str, dict[str, Any]]
Decoded = tuple[EventType | None, dict[str, Any] | None]


# ------------------------------------------------------------------ manifest


def load_manifest(path: str | Path) -> Manifest:
    """A deployment manifest file; `ManifestError` says what is wrong with it."""
    manifest = read_manifest(path)
    if not set(manifest.contracts) & set(CONTRACT_TYPES):
        known = ", ".join(sorted(CONTRACT_TYPES))
        raise ManifestError(f"{path}: the manifest lists none of the indexed contracts ({known})")
    return manifest


# ------------------------------------------------------------------ the indexer


@dataclass
class Stats:
    events: int = 0
    batches: int = 0
    reorgs: int = 0
    refetches: int = 0  # batches fetched again because the chain moved meanwhile
    rebuild_seconds: float = 0.0


class Indexer:
    def __init__(
        self,
        manifest: Manifest,
        rpc: Rpc | str,
        engine: Engine,
        *,
        confirmations: int = 0,
        batch_blocks: int = 2000,
    ) -> None:
        if confirmations < 0:
            raise IndexerError("confirmations must be 0 or more")
        if batch_blocks < 1:
            raise IndexerError("batch_blocks must be at least 1")
        self.manifest = manifest
        self.rpc = Rpc(rpc, timeout=60.0) if isinstance(rpc, str) else rpc
        self.engine = engine
        self.confirmations = confirmations
        self.batch_blocks = batch_blocks
        self.chain_id = manifest.chain_id
        followed = [d for n, d in manifest.contracts.items() if n in CONTRACT_TYPES]
        if not followed:
            raise IndexerError(
                f"the {manifest.network} manifest lists no contract the indexer follows"
            )
        self.start_block = min(d.block for d in followed)
        # address -> (manifest name, contract type, topic0 -> event type)
        self.contracts: dict[str, tuple[str, str, dict[str, EventType]]] = {}
        # Contracts the suite's tables do not cover (e.g. a chain's Swaps) are left out.
        self.ignored = sorted(set(manifest.contracts) - set(CONTRACT_TYPES))
        for name, deployed in manifest.contracts.items():
            if name in self.ignored:
                continue
            ctype = CONTRACT_TYPES[name]
            self.contracts[deployed.address.lower()] = (name, ctype, EVENT_TYPES[ctype])
        self.by_name: dict[tuple[str, str], EventType] = {
            (ctype, et.name): et for ctype, table in EVENT_TYPES.items() for et in table.values()
        }
        self._span = min(batch_blocks, FIRST_SPAN)  # blocks an eth_getLogs asks for
        fund = manifest.contracts.get("Fund")
        self.fund = fund.address.lower() if fund is not None else "0x" + "00" * 20
        self.stats = Stats()
        self._started = False

    # -------------------------------------------------------------- start-up

    def start(self) -> None:
        """Checks the node serves the manifest's chain and records the collection."""
        chain = self.rpc.request("eth_chainId")
        if int(chain, 16) != self.chain_id:
            raise IndexerError(
                f"the RPC at {self.rpc.url} serves chain {int(chain, 16)} but the manifest "
                f"({self.manifest.network}) is for chain {self.chain_id}"
            )
        db.create_all(self.engine)
        contracts = self.manifest.to_json()["contracts"]
        with db.session(self.engine) as s:
            row = s.get(db.Collection, self.chain_id)
            if row is None:
                s.add(
                    db.Collection(
                        chain_id=self.chain_id,
                        network=self.manifest.network,
                        collection=self.manifest.collection,
                        contracts=contracts,
                        start_block=self.start_block,
                    )
                )
            elif row.contracts != contracts:
                raise IndexerError(
                    f"the database already indexes chain {self.chain_id} from another "
                    f"deployment ({row.network}, other addresses): use a fresh database"
                )
        if self.ignored:
            log.info("not indexed (no tables for them): %s", ", ".join(self.ignored))
        self._started = True

    # -------------------------------------------------------------- loop

    def head(self) -> int:
        return int(self.rpc.request("eth_blockNumber"), 16) - self.confirmations

    def cursor(self) -> tuple[int, str | None]:
        with Session(self.engine) as s:
            row = s.get(db.Cursor, self.chain_id)
            if row is None:
                return self.start_block - 1, None
            return row.block_number, row.block_hash

    def run_once(self, until: int | None = None) -> int:
        """Indexes up to the head (minus confirmations) or `until`; returns events added."""
        if not self._started:
            self.start()
        before = self.stats.events
        target = self.head() if until is None else min(until, self.head())
        self._check_cursor()
        first = self.cursor()[0]
        # a catch-up of more than one batch shows a bar on a terminal (bpsa.core.progress)
        with progress(
            "indexing blocks",
            max(target - first, 0),
            unit="blocks",
            min_total=self.batch_blocks + 1,
        ) as bar:
            self._catch_up(target, first, bar)
        return self.stats.events - before

    def _catch_up(self, target: int, first: int, bar: Bar) -> None:
        retries = 0
        while True:
            number, block_hash = self.cursor()
            bar.set_done(max(number - first, 0))
            if number >= target:
                break
            to = min(number + self.batch_blocks, target)
            try:
                self._batch(number, block_hash, to)
                retries = 0
            except Reorganised:
                self._rewind()
            except ChainMoved as moved:
                retries += 1
                self.stats.refetches += 1
                if retries > 20:
                    raise IndexerError(
                        f"the chain keeps changing under the indexer: {moved}"
                    ) from None
                log.info(
                    "chain moved while fetching blocks %d-%d (%s); again", number + 1, to, moved
                )
                time.sleep(min(0.05 * retries, 1.0))
                target = min(target, self.head())
                bar.set_total(max(target - first, 0))

    def _check_cursor(self) -> None:
        """Rewinds first if the cursor block left the chain (also when the new chain
        is shorter than the old one and no batch would look at it)."""
        number, block_hash = self.cursor()
        if block_hash is None:
            return
        header = self.rpc.request("eth_getBlockByNumber", [hex(number), False])
        if header is None or header["hash"] != block_hash:
            self._rewind()

    def run(self, poll: float) -> None:
        """Follows the chain forever, every `poll` seconds; an unreachable node or database
        is retried, backing off (`bpsa.core.chain.Backoff`, never more often than `poll`)."""
        backoff = Backoff(first=poll)
        while True:
            try:
                added = self.run_once()
                backoff.succeeded()
                if added:
                    log.info("indexed %d events; cursor at %d", added, self.cursor()[0])
                time.sleep(poll)
            except ChainError as exc:
                delay = backoff.failed()
                log.warning("%s; retrying in %.1f s", exc, delay)
                time.sleep(delay)
            except OperationalError as exc:  # the database went away; the batch rolled back
                reason = str(exc.orig or exc).strip().splitlines()[0]
                delay = backoff.failed()
                log.warning("database: %s; retrying in %.1f s", reason, delay)
                time.sleep(delay)

    # -------------------------------------------------------------- one batch

    def _fetch_headers(
        self, numbers: Sequence[int], cursor: int | None, cursor_hash: str | None
    ) -> dict[int, dict[str, Any]]:
        """Headers of `numbers`, checking the cursor block's on the way: a changed or
        missing cursor block is a reorganisation, any other missing block a moved chain."""
        wanted = sorted(set(numbers) | ({cursor} if cursor is not None else set()))
        headers = self.rpc.headers(wanted)
        if cursor is not None:
            header = headers[cursor]
            if header is None or header["hash"] != cursor_hash:
                raise Reorganised()
        out = {}
        for n in numbers:
            header = headers[n]
            if header is None:
                raise ChainMoved(f"block {n} is not on the chain (any more)")
            out[n] = header
        return out

    def _batch(self, number: int, cursor_hash: str | None, to: int) -> None:
        with _no_gc():
            self._fetch_and_store(number, cursor_hash, to)

    def _fetch_and_store(self, number: int, cursor_hash: str | None, to: int) -> None:
        at = number if cursor_hash is not None else None
        pre = self._fetch_headers([to], at, cursor_hash)
        stored: set[int] = set()  # blocks written
        events = 0
        with (
            _Prefetch(self._fetched(number + 1, to, at, cursor_hash)) as fetched,
            Session(self.engine, autoflush=False) as s,
            s.begin(),
        ):
            projector = Projector(s, self.chain_id, self.manifest.collection, self.fund)
            for logs, headers in fetched:  # a part of the range, while the next one is fetched
                self._store_blocks(s, headers, stored)  # first: the write lock, for the ids
                rows, decoded = self._rows(logs, headers)
                self._store_and_apply(s, rows, decoded, projector)
                events += len(rows)
            post = self._fetch_headers([to], at, cursor_hash)
            if post[to]["hash"] != pre[to]["hash"]:
                raise ChainMoved(f"block {to} changed")
            self._store_blocks(s, post, stored)
            projector.finish()
            cursor = s.get(db.Cursor, self.chain_id)
            head = post[to]
            if cursor is None:
                cursor = db.Cursor(chain_id=self.chain_id)
                s.add(cursor)
            cursor.block_number = to
            cursor.block_hash = head["hash"]
            cursor.block_time = int(head["timestamp"], 16)
        self.stats.events += events
        self.stats.batches += 1

    def _store_blocks(
        self, s: Session, headers: dict[int, dict[str, Any]], stored: set[int]
    ) -> None:
        new = [n for n in sorted(headers) if n not in stored]
        if new:
            rows = [
                {
                    "chain_id": self.chain_id,
                    "number": n,
                    "hash": headers[n]["hash"],
                    "time": int(headers[n]["timestamp"], 16),
                }
                for n in new
            ]
            s.execute(insert(db.Block), rows)
            stored.update(new)

    def _fetched(
        self, start: int, end: int, at: int | None, cursor_hash: str | None
    ) -> Iterator[tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]]:
        """[start, end]'s logs in parts of about `LOGS_PER_FETCH` logs (the span adapts to
        how dense the last part was), each with the headers of its blocks, fetched after
        its logs: a log whose block hash is not its header's means the chain moved."""
        while start <= end:
            stop = min(start + self._span - 1, end)
            logs = self._logs(start, stop)
            numbers = sorted({int(entry["blockNumber"], 16) for entry in logs})
            headers = self._fetch_headers(numbers, at, cursor_hash) if numbers else {}
            for entry in logs:
                if headers[int(entry["blockNumber"], 16)]["hash"] != entry["blockHash"]:
                    raise ChainMoved(f"a log of block {int(entry['blockNumber'], 16)} is stale")
            yield logs, headers
            density = (stop - start + 1) * LOGS_PER_FETCH // max(len(logs), 1)
            self._span = max(1, min(self.batch_blocks, density))
            start = stop + 1

    def _logs(self, start: int, end: int) -> list[dict[str, Any]]:
        """eth_getLogs over [start, end], halving the range if the node refuses it."""
        try:
            logs = self.rpc.request(
                "eth_getLogs",
                [{"fromBlock": hex(start), "toBlock": hex(end), "address": list(self.contracts)}],
            )
        except ChainError:
            if end <= start:
                raise
            middle = (start + end) // 2
            return self._logs(start, middle) + self._logs(middle + 1, end)
        if not isinstance(logs, list):
            raise ChainUnavailable(f"eth_getLogs answered {str(logs)[:200]}")
        logs.sort(key=lambda e: (int(e["blockNumber"], 16), int(e["logIndex"], 16)))
        return logs

    def _rows(
        self, logs: list[dict[str, Any]], headers: dict[int, dict[str, Any]]
    ) -> tuple[list[Row], list[Decoded]]:
        """Each log's `events` row and its decoded arguments (the topic's reader, once)."""
        chain, contracts = self.chain_id, self.contracts
        times = {n: int(h["timestamp"], 16) for n, h in headers.items()}
        rows: list[Row] = []
        decoded: list[Decoded] = []
        for entry in logs:
            address = entry["address"].lower()
            name, _, table = contracts[address]
            topics, data = entry["topics"], entry["data"]
            number = int(entry["blockNumber"], 16)
            log_index = int(entry["logIndex"], 16)
            event = table.get(topics[0]) if topics else None
            args: dict[str, Any] | None = None
            if event is None:
                label, shown = "?", {"topics": topics, "data": data}
            else:
                try:
                    shown, args = event.read(topics, data)
                    label = event.name
                except DecodeError as exc:
                    tx = entry["transactionHash"]
                    log.warning("undecodable log %s/%s: %s", tx, log_index, exc)
                    label, shown = "?" + event.name, {"topics": topics, "data": data}
            rows.append(
                (
                    chain,
                    number,
                    entry["blockHash"],
                    times[number],
                    entry["transactionHash"],
                    int(entry["transactionIndex"], 16),
                    log_index,
                    name,
                    address,
                    label,
                    shown,
                )
            )
            decoded.append((event, args))
        return rows, decoded

    def _store_and_apply(
        self, s: Session, rows: list[Row], decoded: list[Decoded], projector: Projector
    ) -> None:
        if not rows:
            return
        table = db.Base.metadata.tables["events"]
        conn = s.connection()
        ids: list[int]
        if conn.dialect.name == "sqlite":
            # SQLite cannot return the ids of a multi-row insert in order, so SQLAlchemy
            # would insert row by row; the batch's Block insert already holds the
            # database's write lock, so the next ids are this transaction's to assign.
            first = (conn.execute(select(func.max(table.c.id))).scalar() or 0) + 1
            ids = list(range(first, first + len(rows)))
            dumps = orjson.dumps
            conn.exec_driver_sql(
                _SQLITE_INSERT,
                [(i, *r[:-1], dumps(r[-1]).decode()) for i, r in zip(ids, rows, strict=True)],
            )
        else:
            returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            named = [dict(zip((*_EVENT_COLUMNS, "args"), r, strict=True)) for r in rows]
            ids = list(conn.execute(returning, named).scalars())
        apply = projector.apply
        for event_id, row, (event, args) in zip(ids, rows, decoded, strict=True):
            if event is not None and args is not None:
                apply(
                    Ev(
                        event_id,
                        row[0],
                        row[1],
                        row[3],
                        row[4],
                        row[6],
                        row[7],
                        event.contract_type,
                        event.name,
                        event.topic0,
                        args,
                        row[-1],
                    )
                )

    def _apply(self, projector: Projector, event_id: int, row: dict[str, Any]) -> None:
        """A stored raw event (a replay): its arguments' JSON form back to the projection's."""
        name = row["contract"]
        ctype = CONTRACT_TYPES.get(name)
        event = self.by_name.get((ctype, row["event"])) if ctype else None
        if event is None:
            return
        projector.apply(
            Ev(
                event_id=event_id,
                chain_id=self.chain_id,
                block_number=row["block_number"],
                block_time=row["block_time"],
                tx_hash=row["tx_hash"],
                log_index=row["log_index"],
                contract=name,
                contract_type=event.contract_type,
                name=event.name,
                topic0=event.topic0,
                args=from_json(event, row["args"]),
                json_args=row["args"],
            )
        )

    # -------------------------------------------------------------- reorganisations

    def common_ancestor(self, s: Session) -> tuple[int, str | None, int]:
        """The highest stored block the chain still has: (number, hash, time), or
        (start_block - 1, None, 0) when none is left."""
        stored = s.execute(
            select(db.Block.number, db.Block.hash, db.Block.time)
            .where(db.Block.chain_id == self.chain_id)
            .order_by(db.Block.number.desc())
        ).all()

        def on_chain(entries: Sequence[Any]) -> list[bool]:
            calls = [("eth_getBlockByNumber", (hex(n), False)) for n, _, _ in entries]
            answers = self.rpc.batch(calls)
            return [
                a is not None and a["hash"] == h
                for (_, h, _), a in zip(entries, answers, strict=True)
            ]

        # A shallow reorganisation is the common case: the newest hundred in one call.
        top = stored[:100]
        for entry, kept in zip(top, on_chain(top), strict=True):
            if kept:
                return entry[0], entry[1], entry[2]
        # Deeper: a block hash commits to all its ancestors, so the stored blocks the
        # chain still has are a prefix of the ascending list: bisect for its end.
        rest = stored[100:][::-1]  # ascending
        low, high = 0, len(rest)  # rest[:low] kept, rest[high:] gone
        while low < high:
            middle = (low + high) // 2
            if on_chain([rest[middle]])[0]:
                low = middle + 1
            else:
                high = middle
        if low == 0:
            return self.start_block - 1, None, 0
        n, h, t = rest[low - 1]
        return n, h, t

    def _rewind(self) -> None:
        started = time.perf_counter()
        with Session(self.engine, autoflush=False) as s, s.begin():
            number, block_hash, block_time = self.common_ancestor(s)
            old = s.get(db.Cursor, self.chain_id)
            log.warning(
                "reorganisation: cursor block %s left the chain; rewinding to %d",
                old.block_number if old else "?",
                number,
            )
            for model in db.DERIVED:
                s.execute(delete(model).where(model.chain_id == self.chain_id))  # type: ignore[attr-defined]
            s.execute(
                delete(db.Event).where(
                    db.Event.chain_id == self.chain_id, db.Event.block_number > number
                )
            )
            s.execute(
                delete(db.Block).where(db.Block.chain_id == self.chain_id, db.Block.number > number)
            )
            if block_hash is None:
                s.execute(delete(db.Cursor).where(db.Cursor.chain_id == self.chain_id))
            else:
                assert old is not None
                old.block_number, old.block_hash, old.block_time = number, block_hash, block_time
            self.replay(s)
        self.stats.reorgs += 1
        self.stats.rebuild_seconds += time.perf_counter() - started

    def replay(self, s: Session, chunk: int = 5000) -> int:
        """Rebuilds the derived tables from the stored raw events (which must be empty)."""
        e = db.Event
        columns = (e.id, e.contract, e.event, e.block_number, e.block_time, e.tx_hash)
        count, last = 0, -1
        while True:
            with _no_gc():
                rows = s.execute(
                    select(*columns, e.log_index, e.args)
                    .where(e.chain_id == self.chain_id, e.id > last)
                    .order_by(e.id)
                    .limit(chunk)
                ).all()
                if not rows:
                    return count
                projector = Projector(s, self.chain_id, self.manifest.collection, self.fund)
                for row in rows:
                    self._apply(
                        projector,
                        row[0],
                        {
                            "contract": row[1],
                            "event": row[2],
                            "block_number": row[3],
                            "block_time": row[4],
                            "tx_hash": row[5],
                            "log_index": row[6],
                            "args": row[7],
                        },
                    )
                projector.finish()
                s.expunge_all()
                count += len(rows)
                last = rows[-1][0]

    def rebuild(self) -> int:
        """Recomputes every derived table from the raw events (an audit or a repair)."""
        with Session(self.engine, autoflush=False) as s, s.begin():
            for model in db.DERIVED:
                s.execute(delete(model).where(model.chain_id == self.chain_id))  # type: ignore[attr-defined]
            return self.replay(s)


# ------------------------------------------------------------------ command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bpsa.api.indexer",
        description="Follow the BPSA suite's events from a deployment manifest into a database.",
    )
    parser.add_argument("--manifest", required=True, help="deployments/<network>.json")
    parser.add_argument("--rpc", required=True, help="the node's JSON-RPC URL (http://...)")
    parser.add_argument(
        "--db", default="indexer.sqlite", help="SQLite path or postgresql+psycopg:// URL"
    )
    parser.add_argument("--once", action="store_true", help="catch up to the head and exit")
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between polls (default 2)")
    parser.add_argument(
        "--confirmations", type=int, default=0, help="index only up to head - N (default 0)"
    )
    parser.add_argument("--batch-blocks", type=int, default=2000, help="blocks per eth_getLogs")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(asctime)s indexer %(levelname)s %(message)s",
    )
    if args.poll <= 0:
        parser.error("--poll must be positive")
    indexer: Indexer | None = None
    try:
        manifest = load_manifest(args.manifest)
        engine = db.connect(args.db)
        indexer = Indexer(
            manifest,
            args.rpc,
            engine,
            confirmations=args.confirmations,
            batch_blocks=args.batch_blocks,
        )
        indexer.start()
        if args.once:
            added = indexer.run_once()
            print(f"indexed {added} events; cursor at block {indexer.cursor()[0]}")
        else:
            indexer.run(args.poll)
    except BpsaError as exc:
        print(f"indexer: error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(f"indexer: error: database: {reason}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        if indexer is not None:
            indexer.rpc.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
