"""Patent documents' CIDs as `ipfs add` gives them, for the API's answers.

A contract keeps a document as the sha2-256 digest of its root block; which codec the
CID has (raw for a document of one 256 KiB chunk, dag-pb for a larger IPFS file) is
read off that block (the digest rule in `bpsa.core.cid`). The indexer is a pure
projection of events and cannot read blocks, so it stores the raw reading
(`document_cid`, right for a document of one chunk), and the API corrects it when it
answers: `DocumentNames` asks the content store the service is given (`--ipfs-api`,
`--store-dir`) for the block's codec. A digest names one block for ever, so an answer
is kept for good; a document the store does not hold keeps the raw reading, and is
asked for again after `retry_after` seconds (it may arrive). One answer spends at most
`budget` seconds asking the store (a daemon takes its whole timeout to say it lacks a
block): what is left unasked keeps the raw reading in that answer and is asked by the
next one. Licence agreements follow the same rule (`agreements`): the indexer stores
each `agreement` as its raw reading, and the answer names the file an agreement of
more than one chunk is.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

from bpsa.core.cid import cid_from_digest, digest_of
from bpsa.core.errors import BpsaError
from bpsa.oracle.store import ContentStore

T = TypeVar("T")

RETRY_AFTER: Final = 60.0
MAX_KEPT: Final = 100_000  # digests remembered (about 10 MB)
BUDGET: Final = 1.0  # seconds of store lookups one answer may spend


class DocumentNames:
    """Digest -> document CID through a content store, remembered; None: no store."""

    def __init__(
        self,
        store: ContentStore | None,
        retry_after: float = RETRY_AFTER,
        budget: float = BUDGET,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.retry_after = retry_after
        self.budget = budget
        self.clock = clock
        self._known: dict[str, str] = {}
        self._missed: dict[str, float] = {}
        self._lock = threading.Lock()

    def cid(self, digest_hex: str, deadline: float = math.inf) -> str:
        """The CID of the document with this 0x digest (the raw reading if not resolved,
        or if `deadline`, on `clock`, has passed before the store was asked)."""
        digest = bytes.fromhex(digest_hex.removeprefix("0x"))
        raw = cid_from_digest(digest, "raw")
        if self.store is None:
            return raw
        with self._lock:
            if digest_hex in self._known:
                return self._known[digest_hex]
            if self.clock() < self._missed.get(digest_hex, 0.0):
                return raw
        if self.clock() >= deadline:  # this answer's budget is spent: the next one asks
            return raw
        try:
            found = self.store.resolve(digest)
        except BpsaError:  # not held, unreachable: the raw reading for now
            with self._lock:
                self._missed[digest_hex] = self.clock() + self.retry_after
            return raw
        with self._lock:
            if len(self._known) >= MAX_KEPT:
                self._known.clear()
            self._known[digest_hex] = found
            self._missed.pop(digest_hex, None)
        return found

    def name(self, row: dict[str, Any], deadline: float | None = None) -> dict[str, Any]:
        """`row` (a patent, certificate or rating as JSON) with `document_cid` and
        `document_url` (a rating: `reasoning_cid`) naming its document as `ipfs add`
        does; nested rows too. The store is asked until `deadline` (default: `budget`
        seconds from now)."""
        deadline = self._deadline(deadline)
        if self.store is not None:
            for digest, cid in (("document", "document_cid"), ("reasoning", "reasoning_cid")):
                if cid in row and isinstance(row.get(digest), str):
                    row[cid] = self.cid(row[digest], deadline)
            if "document_url" in row and "document_cid" in row:
                row["document_url"] = f"ipfs://{row['document_cid']}"
        for value in row.values():
            if isinstance(value, list):
                self.each(value, deadline)
        return row

    def each(self, rows: Iterable[Any], deadline: float | None = None) -> None:
        """`name` each row, all within one deadline."""
        deadline = self._deadline(deadline)
        for row in rows:
            if isinstance(row, dict):
                self.name(row, deadline)

    def agreements(self, found: T, deadline: float | None = None) -> T:
        """`found` (a row, a page or a list of rows, as JSON) with every `agreement` CID,
        nested ones too, as `ipfs add` names the agreement's file."""
        if self.store is None:
            return found
        deadline = self._deadline(deadline)
        if isinstance(found, list):
            for value in found:
                self.agreements(value, deadline)
        elif isinstance(found, dict):
            for key, value in found.items():
                if key == "agreement" and isinstance(value, str):
                    found[key] = self.cid("0x" + digest_of(value).hex(), deadline)
                elif isinstance(value, (list, dict)):
                    self.agreements(value, deadline)
        return found

    def _deadline(self, deadline: float | None) -> float:
        return self.clock() + self.budget if deadline is None else deadline

    def page(self, found: dict[str, Any]) -> dict[str, Any]:
        """A page of patents or certificates (`items`), named."""
        self.each(found.get("items", []))
        return found
