"""The oracle committee's shared board: a SQLite database (WAL mode) the nodes and the
aggregator share on one host, durable across restarts.

Each node keeps here what it has seen and decided (its queue of submissions, each
signed, refused with a reason, or skipped), and publishes its certificate and batch
signatures; the aggregator reads signatures and proposes batches, and logs what it
posted. Nothing on the board is trusted for safety: before posting, the aggregator
checks the chain (a used nonce or root means already posted), and the contracts check
every signature. The board is what makes a restart cheap and a refusal visible.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bpsa.core import certificates as certs
from bpsa.core.codes import Source
from bpsa.core.errors import BpsaError
from bpsa.core.store import Store
from bpsa.oracle.checks import Submission

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY, value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS checkpoints (
    node TEXT PRIMARY KEY, block INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS queue (
    node TEXT NOT NULL, patent TEXT NOT NULL, document TEXT NOT NULL,
    office TEXT NOT NULL, number TEXT NOT NULL, contributor TEXT NOT NULL,
    source INTEGER NOT NULL, block INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',  -- queued, signed, refused, skipped
    reason TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0,
    updated REAL NOT NULL,
    PRIMARY KEY (node, patent, document, block)
);
CREATE TABLE IF NOT EXISTS signatures (
    cert TEXT NOT NULL, node TEXT NOT NULL, signer TEXT NOT NULL,
    v INTEGER NOT NULL, r TEXT NOT NULL, s TEXT NOT NULL,
    body TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (cert, node)
);
CREATE TABLE IF NOT EXISTS batches (
    root TEXT PRIMARY KEY, certs TEXT NOT NULL, created REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'open'  -- open, posted
);
CREATE TABLE IF NOT EXISTS batch_signatures (
    root TEXT NOT NULL, node TEXT NOT NULL, signer TEXT NOT NULL,
    v INTEGER NOT NULL, r TEXT NOT NULL, s TEXT NOT NULL,
    PRIMARY KEY (root, node)
);
CREATE TABLE IF NOT EXISTS posts (
    cert TEXT PRIMARY KEY, how TEXT NOT NULL, root TEXT NOT NULL DEFAULT '',
    tx TEXT NOT NULL, gas INTEGER NOT NULL, posted REAL NOT NULL
);
-- the hashes of a node's last checkpoints: a reorganisation shows as a changed hash
CREATE TABLE IF NOT EXISTS checkpoint_hashes (
    node TEXT NOT NULL, block INTEGER NOT NULL, hash TEXT NOT NULL,
    PRIMARY KEY (node, block)
);
-- the patents a node keeps certified (every submission it saw, until it leaves the pool):
-- when to read the office's record of each again (chain time), and what it found last
CREATE TABLE IF NOT EXISTS held (
    node TEXT NOT NULL, patent TEXT NOT NULL, document TEXT NOT NULL,
    office TEXT NOT NULL, number TEXT NOT NULL,
    next_check INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (node, patent, document)
);
-- the aggregator's posts not yet deep enough to be final: the block they landed in
CREATE TABLE IF NOT EXISTS unsettled (
    cert TEXT PRIMARY KEY, root TEXT NOT NULL DEFAULT '',
    block INTEGER NOT NULL, hash TEXT NOT NULL
);
"""
# A node keeps this many checkpoints' hashes to find where a reorganisation forked.
CHECKPOINTS_KEPT = 32


class BoardMismatch(BpsaError):
    """The board was made for another deployment."""


def cert_id(cert: certs.Certificate) -> str:
    """A certificate's board key: its Merkle leaf, hex (the same for every node)."""
    return cert.leaf().hex()


@dataclass(frozen=True)
class QueueItem:
    node: str
    submission: Submission
    state: str
    reason: str
    attempts: int


@dataclass(frozen=True)
class Signed:
    cert: certs.Certificate
    signatures: list[certs.Signature]
    ready: float = field(default=0.0, compare=False)  # when the quorum's last signature came


class Board:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._store = Store(path, SCHEMA, synchronous="NORMAL", timeout=30)
        self._db = self._store.db
        self._hold_what_was_queued()

    def _hold_what_was_queued(self) -> None:
        """Once in a board's life: a board from before nodes kept patents certified holds
        every submission it queued (later ones are held as they are queued, and a patent
        a node let go stays let go when the board is opened again)."""
        with self.transaction() as db:
            if db.execute("INSERT OR IGNORE INTO meta VALUES ('held', 'seeded')").rowcount:
                db.execute(
                    "INSERT OR IGNORE INTO held (node, patent, document, office, number)"
                    " SELECT node, patent, document, office, number FROM queue"
                )

    def close(self) -> None:
        self._store.close()

    def bind(self, deployment: str) -> None:
        """Tie the board to one deployment (chain id and pool address): its checkpoints
        and signatures mean nothing on another chain, so a mismatch is refused."""
        bound = self._store.bind("deployment", deployment)
        if bound != deployment:
            raise BoardMismatch(
                f"the board {self.path} belongs to deployment {bound}, not {deployment}: "
                "use a new board file for a new deployment"
            )

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._store.transaction()

    # -- a node's queue ---------------------------------------------------------------

    def checkpoint(self, node: str) -> int | None:
        row = self._db.execute("SELECT block FROM checkpoints WHERE node=?", (node,)).fetchone()
        return None if row is None else int(row[0])

    def enqueue(
        self,
        node: str,
        submissions: list[Submission],
        scanned_to: int,
        scanned_hash: bytes | None = None,
    ) -> int:
        """Queue new submissions and move the node's checkpoint (with its block's hash),
        atomically; how many were new (a submission queued before is not queued twice)."""
        now = time.time()
        added = 0
        with self.transaction() as db:
            for sub in submissions:
                cur = db.execute(
                    "INSERT OR IGNORE INTO queue (node, patent, document, office, number,"
                    " contributor, source, block, updated) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        node,
                        sub.patent.hex(),
                        sub.document.hex(),
                        sub.office,
                        sub.number,
                        sub.contributor,
                        int(sub.source),
                        sub.block,
                        now,
                    ),
                )
                added += cur.rowcount
                db.execute(
                    "INSERT OR IGNORE INTO held (node, patent, document, office, number)"
                    " VALUES (?,?,?,?,?)",
                    (node, sub.patent.hex(), sub.document.hex(), sub.office, sub.number),
                )
            db.execute(
                "INSERT INTO checkpoints (node, block) VALUES (?, ?) "
                "ON CONFLICT(node) DO UPDATE SET block=excluded.block",
                (node, scanned_to),
            )
            if scanned_hash is not None:
                db.execute(
                    "INSERT OR REPLACE INTO checkpoint_hashes VALUES (?,?,?)",
                    (node, scanned_to, scanned_hash.hex()),
                )
                db.execute(
                    "DELETE FROM checkpoint_hashes WHERE node=? AND block NOT IN (SELECT block"
                    " FROM checkpoint_hashes WHERE node=? ORDER BY block DESC LIMIT ?)",
                    (node, node, CHECKPOINTS_KEPT),
                )
        return added

    def checkpoint_hashes(self, node: str) -> list[tuple[int, bytes]]:
        """The node's last checkpoints with their blocks' hashes, newest first."""
        rows = self._db.execute(
            "SELECT block, hash FROM checkpoint_hashes WHERE node=? ORDER BY block DESC", (node,)
        ).fetchall()
        return [(int(b), bytes.fromhex(h)) for b, h in rows]

    def rewind(self, node: str, block: int | None) -> None:
        """Move the node's checkpoint back to `block` (None: to before the deployment),
        forgetting the hashes past it: a reorganisation replaced the blocks after it."""
        with self.transaction() as db:
            if block is None:
                db.execute("DELETE FROM checkpoints WHERE node=?", (node,))
                db.execute("DELETE FROM checkpoint_hashes WHERE node=?", (node,))
                return
            db.execute("UPDATE checkpoints SET block=? WHERE node=?", (block, node))
            db.execute("DELETE FROM checkpoint_hashes WHERE node=? AND block>?", (node, block))

    def items(self, node: str, state: str | None = None) -> list[QueueItem]:
        query = "SELECT * FROM queue WHERE node=?"
        args: tuple[Any, ...] = (node,)
        if state:
            query += " AND state=?"
            args += (state,)
        rows = self._db.execute(query + " ORDER BY block, patent", args).fetchall()
        return [self._item(row) for row in rows]

    @staticmethod
    def _item(row: Any) -> QueueItem:
        node, patent, document, office, number, contributor, source, block = row[:8]
        sub = Submission(
            bytes.fromhex(patent),
            office,
            number,
            bytes.fromhex(document),
            contributor,
            Source(source),
            block,
        )
        return QueueItem(node, sub, row[8], row[9], row[10])

    def settle(self, node: str, sub: Submission, state: str, reason: str) -> None:
        self._db.execute(
            "UPDATE queue SET state=?, reason=?, updated=? "
            "WHERE node=? AND patent=? AND document=? AND block=?",
            (state, reason, time.time(), node, sub.patent.hex(), sub.document.hex(), sub.block),
        )

    def retry_later(self, node: str, sub: Submission, reason: str) -> int:
        """Count a failed attempt (the item stays queued); the number of attempts."""
        with self.transaction() as db:
            db.execute(
                "UPDATE queue SET attempts=attempts+1, reason=?, updated=? "
                "WHERE node=? AND patent=? AND document=? AND block=?",
                (reason, time.time(), node, sub.patent.hex(), sub.document.hex(), sub.block),
            )
            row = db.execute(
                "SELECT attempts FROM queue WHERE node=? AND patent=? AND document=? AND block=?",
                (node, sub.patent.hex(), sub.document.hex(), sub.block),
            ).fetchone()
        return int(row[0]) if row else 0

    def refusals(self) -> list[QueueItem]:
        rows = self._db.execute(
            "SELECT * FROM queue WHERE state='refused' ORDER BY node, block"
        ).fetchall()
        return [self._item(row) for row in rows]

    def counts(self) -> dict[str, dict[str, int]]:
        """Per node, how many queue items are in each state."""
        out: dict[str, dict[str, int]] = {}
        for node, state, n in self._db.execute(
            "SELECT node, state, COUNT(*) FROM queue GROUP BY node, state"
        ):
            out.setdefault(node, {})[state] = n
        return out

    # -- the patents a node keeps certified -------------------------------------------

    def due(self, node: str, now: int) -> list[tuple[bytes, bytes, str, str]]:
        """(patent, document, office, number) of each held patent to look at by `now`."""
        rows = self._db.execute(
            "SELECT patent, document, office, number FROM held WHERE node=? AND next_check<=?"
            " ORDER BY next_check, patent",
            (node, now),
        ).fetchall()
        return [(bytes.fromhex(p), bytes.fromhex(d), str(o), str(n)) for p, d, o, n in rows]

    def look_again(
        self, node: str, patent: bytes, document: bytes, next_check: int, reason: str
    ) -> None:
        self._db.execute(
            "UPDATE held SET next_check=?, reason=? WHERE node=? AND patent=? AND document=?",
            (next_check, reason, node, patent.hex(), document.hex()),
        )

    def let_go(self, node: str, patent: bytes, document: bytes) -> None:
        """Stop keeping a patent certified (it left the pool, or has another document)."""
        self._db.execute(
            "DELETE FROM held WHERE node=? AND patent=? AND document=?",
            (node, patent.hex(), document.hex()),
        )

    def held(self, node: str) -> list[tuple[str, str, int, str]]:
        """(office, number, next check, last finding) of each patent `node` keeps."""
        rows = self._db.execute(
            "SELECT office, number, next_check, reason FROM held WHERE node=?"
            " ORDER BY next_check, office, number",
            (node,),
        ).fetchall()
        return [(str(o), str(n), int(t), str(r)) for o, n, t, r in rows]

    # -- signatures -------------------------------------------------------------------

    def publish(self, node: str, cert: certs.Certificate, sig: certs.Signature) -> None:
        """Publish a node's signature of a certificate."""
        body = json.dumps(certs.to_json(cert), sort_keys=True)
        self._db.execute(
            "INSERT OR IGNORE INTO signatures VALUES (?,?,?,?,?,?,?,?)",
            (cert_id(cert), node, sig.signer, sig.v, sig.r.hex(), sig.s.hex(), body, time.time()),
        )

    def signed_by(self, node: str) -> set[str]:
        rows = self._db.execute("SELECT cert FROM signatures WHERE node=?", (node,))
        return {r[0] for r in rows}

    def certificates(self, threshold: int) -> list[Signed]:
        """Certificates with at least `threshold` node signatures not yet posted,
        oldest first."""
        rows = self._db.execute(
            "SELECT cert, body, signer, v, r, s, created FROM signatures "
            "WHERE cert NOT IN (SELECT cert FROM posts) ORDER BY created"
        ).fetchall()
        grouped: dict[str, Signed] = {}
        ready: dict[str, float] = {}
        for cert, body, signer, v, r, s, created in rows:
            entry = grouped.setdefault(cert, Signed(certs.from_json(json.loads(body)), []))
            entry.signatures.append(
                certs.Signature(signer, int(v), bytes.fromhex(r), bytes.fromhex(s))
            )
            if len(entry.signatures) == threshold:
                ready[cert] = float(created)
        return [
            replace(e, ready=ready.get(cert, 0.0))
            for cert, e in grouped.items()
            if len(e.signatures) >= threshold
        ]

    # -- batches ----------------------------------------------------------------------

    def propose_batch(self, root: bytes, cert_ids: list[str]) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO batches (root, certs, created) VALUES (?,?,?)",
            (root.hex(), json.dumps(cert_ids), time.time()),
        )

    def open_batches(self) -> list[tuple[bytes, list[str]]]:
        rows = self._db.execute(
            "SELECT root, certs FROM batches WHERE state='open' ORDER BY created"
        ).fetchall()
        return [(bytes.fromhex(root), json.loads(ids)) for root, ids in rows]

    def sign_batch(self, root: bytes, node: str, sig: certs.Signature) -> None:
        self._db.execute(
            "INSERT OR IGNORE INTO batch_signatures VALUES (?,?,?,?,?,?)",
            (root.hex(), node, sig.signer, sig.v, sig.r.hex(), sig.s.hex()),
        )

    def batch_signatures(self, root: bytes) -> list[certs.Signature]:
        rows = self._db.execute(
            "SELECT signer, v, r, s FROM batch_signatures WHERE root=?", (root.hex(),)
        ).fetchall()
        return [
            certs.Signature(a, int(v), bytes.fromhex(r), bytes.fromhex(s)) for a, v, r, s in rows
        ]

    def batch_signed_by(self, node: str) -> set[bytes]:
        rows = self._db.execute("SELECT root FROM batch_signatures WHERE node=?", (node,))
        return {bytes.fromhex(r[0]) for r in rows}

    def close_batch(self, root: bytes) -> None:
        self._db.execute("UPDATE batches SET state='posted' WHERE root=?", (root.hex(),))

    def body(self, cert: str) -> certs.Certificate | None:
        row = self._db.execute(
            "SELECT body FROM signatures WHERE cert=? LIMIT 1", (cert,)
        ).fetchone()
        return None if row is None else certs.from_json(json.loads(row[0]))

    # -- the aggregator's log ----------------------------------------------------------

    def posted(self, cert: certs.Certificate, how: str, tx: str, gas: int, root: str = "") -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO posts VALUES (?,?,?,?,?,?)",
            (cert_id(cert), how, root, tx, gas, time.time()),
        )

    def landed(
        self, cert: certs.Certificate, block: int, block_hash: bytes, root: str = ""
    ) -> None:
        """The block a post's transaction landed in: unsettled until it is deep enough."""
        self._db.execute(
            "INSERT OR REPLACE INTO unsettled VALUES (?,?,?,?)",
            (cert_id(cert), root, block, block_hash.hex()),
        )

    def unsettled(self) -> list[tuple[str, str, int, bytes]]:
        """(cert, root, block, block hash) of every post not yet final, oldest first."""
        rows = self._db.execute("SELECT * FROM unsettled ORDER BY block").fetchall()
        return [(str(c), str(r), int(b), bytes.fromhex(h)) for c, r, b, h in rows]

    def settle_post(self, cert: str) -> None:
        self._db.execute("DELETE FROM unsettled WHERE cert=?", (cert,))

    def unpost(self, cert: str, root: str) -> None:
        """A reorganisation dropped the post: forget it (and reopen its batch), so the
        aggregator posts it again."""
        with self.transaction() as db:
            db.execute("DELETE FROM posts WHERE cert=?", (cert,))
            db.execute("DELETE FROM unsettled WHERE cert=?", (cert,))
            if root:
                db.execute("UPDATE batches SET state='open' WHERE root=?", (root,))

    def posts(self) -> list[tuple[str, str, str, str, int]]:
        return [
            (str(c), str(h), str(r), str(t), int(g))
            for c, h, r, t, g, _ in self._db.execute("SELECT * FROM posts ORDER BY posted")
        ]
