"""A certificate oracle node: watches the pool for submissions, fetches each document
and its contributor's identity record from the content store, checks them against the
patent office feed (and against who the patent's earlier certificates named: two members
answering to the owner's name are refused), and signs the EIP-712 certificate with its
own key, or refuses and says why. It also signs the Merkle roots of batches the
aggregator proposes, when every certificate in the batch is one it signed itself.

Restart-safe: what the node has seen and decided lives on the board (a checkpoint of
the last block scanned, a queue of submissions and their outcome); what it acts on is
re-read from the chain. A submission stays queued until it is signed, refused or no
longer awaits a certificate, so an unreachable RPC endpoint or IPFS daemon delays it
and never loses it.

Reorganisations: the node scans only blocks `confirmations` deep, so it acts on no
submission a short reorganisation can undo, and keeps the hashes of its last
checkpoints: when the checkpoint's block is no longer on the chain, it rewinds to the
newest checkpoint still there and scans again (a submission queued twice is handled
once: the second finds the first's certificate, or signs the same one again).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from eth_account.signers.local import LocalAccount

from bpsa.core import certificates as certs
from bpsa.core.chain import Backoff, ChainUnavailable, depth
from bpsa.core.cid import cid_from_digest
from bpsa.core.codes import CertStatus, Lapse, PatentStatus, Source
from bpsa.core.errors import BpsaError
from bpsa.core.progress import progress
from bpsa.oracle.board import Board, cert_id
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.checks import RECHECK, Held, Submission, assess, assess_renewal
from bpsa.oracle.feed import PatentOffice
from bpsa.oracle.store import ContentError, ContentNotFound, ContentStore, ContentUnavailable

T = TypeVar("T")
# In a long backlog, a node signs the aggregator's proposed batches this often between
# submissions, so a batch's root does not wait for the whole backlog.
BATCH_LOOK_SECONDS = 1.0
BACKLOG_BAR = 20  # queued submissions from which a step shows a bar (bpsa.core.progress)
MAX_ATTEMPTS = 5  # a document missing this many times is refused (it may never come)
# The statuses in which a node keeps a patent's certificate up to the office's record.
HELD = (PatentStatus.CERTIFIED, PatentStatus.RATED, PatentStatus.POOLED)


@dataclass
class Stats:
    scanned: int = 0
    signed: int = 0
    refused: int = 0
    skipped: int = 0
    deferred: int = 0
    batches_signed: int = 0
    renewed: int = 0  # certificates signed to keep held patents up to the office's record


def run_steps(
    step: Callable[[], T],
    eventful: Callable[[T], bool],
    stop: threading.Event,
    poll: float,
    log: logging.Logger,
) -> None:
    """A node's or the aggregator's long run: `step` every `poll` seconds until `stop`,
    backing off while the RPC endpoint or IPFS is unreachable; eventful steps logged."""
    backoff = Backoff()
    while not stop.is_set():
        try:
            result = step()
        except (ChainUnavailable, ContentUnavailable) as exc:
            delay = backoff.failed()
            log.warning("%s; retrying in %.1f s", exc, delay)
            stop.wait(delay)
            continue
        except BpsaError as exc:
            log.error("%s", exc)
            stop.wait(poll)
            continue
        backoff.succeeded()
        if eventful(result):
            log.info("%s", result)
        stop.wait(poll)


class BoardProcess(Generic[T]):
    """What a certificate node and the aggregator share: the board, tied to the deployment
    on the first step (`_bind`), and the long run of `step` (`run_steps`), logging the
    results `eventful` says something happened in."""

    chain: PoolChain
    board: Board
    log: logging.Logger
    _bound: bool  # the board is tied to the deployment on the first step

    def step(self) -> T:
        raise NotImplementedError

    def eventful(self, result: T) -> bool:
        raise NotImplementedError

    def run(self, stop: threading.Event, poll: float = 1.0) -> None:
        run_steps(self.step, self.eventful, stop, poll, self.log)

    def _bind(self) -> None:
        if not self._bound:
            self.board.bind(f"{self.chain.chain_id()}:{self.chain.pool.address}")
            self._bound = True


class CertificateNode(BoardProcess[Stats]):
    def __init__(
        self,
        name: str,
        chain: PoolChain,
        store: ContentStore,
        feed: PatentOffice,
        board: Board,
        account: LocalAccount,
        log: logging.Logger | None = None,
        confirmations: int = 0,
    ) -> None:
        self.name = name
        self.confirmations = depth(confirmations)  # how deep a block must be to be acted on
        self.chain = chain
        self.store = store
        self.feed = feed
        self.board = board
        self._bound = False  # the board is tied to the deployment on the first step
        self.account = account
        self.log = log or logging.getLogger(f"bpsa.oracle.{name}")
        self._domain: Any = None
        self._names: dict[tuple[str, bytes], str | None] = {}  # identity records read
        # each member's identity digest as this step read it (one read a step, not one a
        # submission: a backlog of one provider's patents asks once)
        self._identities: dict[str, bytes] = {}
        self._now: int | None = None  # the chain's time, read once per step
        self._batches_looked = 0.0  # when this step last signed proposed batches
        self._signed_meanwhile = 0  # and how many it signed so

    # -- one pass ---------------------------------------------------------------------

    def step(self) -> Stats:
        """Scan new blocks, decide every queued submission, sign proposed batches."""
        self._bind()
        stats = Stats()
        self._now = None
        self._identities = {}
        stats.scanned = self.scan()
        self._batches_looked, self._signed_meanwhile = time.monotonic(), 0
        queued = self.board.items(self.name, "queued")
        # a backlog (a node's first start on a busy pool) shows a bar on a terminal
        with progress(
            f"{self.name}: checking submissions",
            len(queued),
            unit="submissions",
            min_total=BACKLOG_BAR,
        ) as bar:
            for item in queued:
                outcome = self.handle(item.submission)
                setattr(stats, outcome, getattr(stats, outcome) + 1)
                self._sign_batches_meanwhile()
                bar.advance()
        stats.renewed = self.renew_due()
        stats.batches_signed = self._signed_meanwhile + self.sign_batches()
        return stats

    def _sign_batches_meanwhile(self) -> None:
        """In a long backlog (or many renewals), sign the aggregator's proposed batches
        every BATCH_LOOK_SECONDS, so a batch's root does not wait for the whole pass."""
        if time.monotonic() - self._batches_looked >= BATCH_LOOK_SECONDS:
            self._signed_meanwhile += self.sign_batches()
            self._batches_looked = time.monotonic()

    def scan(self) -> int:
        final = self.chain.head() - self.confirmations
        last = self.board.checkpoint(self.name)
        if last is not None:
            last = self._fork_point(last)
        start = self.chain.start_block if last is None else last + 1
        if final < start:
            return 0
        found = self.chain.submissions(start, final)
        return self.board.enqueue(self.name, found, final, self.chain.block_hash(final))

    def _fork_point(self, last: int) -> int | None:
        """The newest checkpoint whose block is still on the chain (the checkpoint itself
        unless a reorganisation replaced it; then the board is rewound to it); None when
        none is, and the node scans again from the deployment."""
        kept = self.board.checkpoint_hashes(self.name)
        if not kept:
            return last  # a board from before checkpoints kept hashes
        block = self.chain.newest_on_chain(kept)
        if block is None:
            self.board.rewind(self.name, None)
            self.log.warning(
                "reorganisation past every kept checkpoint: scanning again from the start"
            )
        elif block != last:
            self.board.rewind(self.name, block)
            self.log.warning("reorganisation: scanning again from block %d", block + 1)
        return block

    def domain(self) -> Any:
        if self._domain is None:
            self._domain = self.chain.domain()
        return self._domain

    def handle(self, sub: Submission) -> str:
        """Decide one submission: 'signed', 'refused', 'skipped' or 'deferred'."""
        status, document = self.chain.status(sub.patent)
        if status != PatentStatus.SUBMITTED or document != sub.document:
            why = f"{sub.key} no longer awaits a certificate for this document ({status.name})"
            self.board.settle(self.name, sub, "skipped", why)
            return "skipped"
        if self.chain.lapse(sub.patent) == Lapse.NONE:
            self.board.settle(self.name, sub, "skipped", f"{sub.key} already has a certificate")
            return "skipped"
        cid = cid_from_digest(sub.document)  # named so until its block says its codec
        try:
            cid = self.store.resolve(sub.document)
            content = self.store.get(cid)
        except ContentUnavailable:
            raise
        except ContentNotFound as exc:  # perhaps not yet propagated: ask again later
            attempts = self.board.retry_later(self.name, sub, f"document {cid}: {exc}")
            if attempts < MAX_ATTEMPTS:
                return "deferred"
            return self.refuse(sub, f"document {cid} not found after {attempts} attempts")
        except ContentError as exc:  # the bytes are not the file the CID names
            return self.refuse(sub, f"document {cid} cannot be used: {exc}")
        nonce = self.chain.last_nonce(sub.patent, sub.document) + 1
        others = {
            owner: self.owner_name(owner)
            for owner in self.chain.certified_owners(sub.patent)
            if owner.lower() != sub.contributor.lower()
        }
        decision = assess(
            sub,
            content,
            self.owner_name(sub.contributor),
            self.feed.lookup(sub.office, sub.number),
            self.now(),
            nonce,
            others,
        )
        if not decision.ok or decision.certificate is None:
            return self.refuse(sub, decision.reason)
        cert = decision.certificate
        signature = certs.sign_certificate(self.domain(), cert, self.account.key)
        self.store.pin(cid)  # the pool depends on it from now on
        self.board.publish(self.name, cert, signature)
        self.board.settle(self.name, sub, "signed", decision.reason)
        self.log.info("signed %s (nonce %d): %s", sub.key, nonce, decision.reason)
        return "signed"

    def renew_due(self) -> int:
        """Bring every held patent due for a look up to the office's record: sign its
        renewal (fee paid), a certificate that its fee is unpaid, or that it lapsed;
        let go of patents no longer certified or pooled. How many were signed. The
        pool's records and certificates of all of them are read in one batch."""
        due = self.board.due(self.name, self.now())
        read = self.chain.holdings([(patent, document) for patent, document, _, _ in due])
        signed = 0
        for (patent, document, office, number), (record, cert) in zip(due, read, strict=True):
            signed += self.renew(patent, document, office, number, record, cert)
            self._sign_batches_meanwhile()
        return signed

    def renew(
        self,
        patent: bytes,
        document: bytes,
        office: str,
        number: str,
        record: dict[str, Any],
        cert: tuple[str, CertStatus, int, int],
    ) -> int:
        """Look at one held patent, given the pool's record of it and its certificate
        for `document`; 1 if a certificate was signed."""
        status = PatentStatus(record["status"])
        if bytes(record["document"]) != document or status not in HELD:
            if status == PatentStatus.SUBMITTED and bytes(record["document"]) == document:
                self.board.look_again(
                    self.name, patent, document, self.now() + RECHECK, "awaits a certificate"
                )
                return 0
            self.board.let_go(self.name, patent, document)
            return 0
        _, cert_status, expiry, nonce = cert
        contributor = str(record["contributor"])
        if cert_status == CertStatus.NONE or int(record["source"]) == Source.USAGE_RIGHT:
            # certified by hand (a usage right): its renewals are signed by hand too
            self.board.let_go(self.name, patent, document)
            return 0
        held = Held(patent, office, number, document, contributor, cert_status, expiry, nonce)
        renewal = assess_renewal(
            held,
            self.owner_name(contributor),
            self.feed.lookup(office, number),
            self.now(),
        )
        self.board.look_again(self.name, patent, document, renewal.next_check, renewal.reason)
        if renewal.certificate is None:
            return 0
        signature = certs.sign_certificate(self.domain(), renewal.certificate, self.account.key)
        self.board.publish(self.name, renewal.certificate, signature)
        self.log.info("signed %s (nonce %d): %s", held.key, held.nonce + 1, renewal.reason)
        return 1

    def now(self) -> int:
        if self._now is None:
            self._now = self.chain.now()
        return self._now

    def refuse(self, sub: Submission, reason: str) -> str:
        self.board.settle(self.name, sub, "refused", reason)
        self.log.warning("refused %s: %s", sub.key, reason)
        return "refused"

    def owner_name(self, member: str) -> str | None:
        """The name in `member`'s identity record, or None if it has none we can read."""
        if member not in self._identities:
            self._identities[member] = self.chain.identity_of(member)
        digest = self._identities[member]
        if digest == bytes(32):
            return None
        if (member, digest) in self._names:  # content-addressed: the same digest, same name
            return self._names[(member, digest)]
        try:
            record = json.loads(self.store.get(self.store.resolve(digest)))
        except ContentUnavailable:
            raise
        except (ContentError, ValueError, UnicodeDecodeError):
            return None  # not cached: the record may yet appear
        name = record.get("name") if isinstance(record, dict) else None
        self._names[(member, digest)] = str(name) if name else None
        return self._names[(member, digest)]

    def sign_batches(self) -> int:
        """Sign each proposed batch whose every certificate this node signed."""
        mine, done, count = (
            self.board.signed_by(self.name),
            self.board.batch_signed_by(self.name),
            0,
        )
        for root, ids in self.board.open_batches():
            if root in done or not set(ids) <= mine:
                continue
            bodies = [self.board.body(i) for i in ids]
            if any(b is None or cert_id(b) != i for b, i in zip(bodies, ids, strict=True)):
                continue
            tree = certs.MerkleTree([b.leaf() for b in bodies if b is not None])
            if tree.root != root:
                self.log.warning("batch 0x%s does not match its certificates", root.hex())
                continue
            sig = certs.sign_batch(self.domain(), root, len(tree), self.account.key)
            self.board.sign_batch(root, self.name, sig)
            count += 1
        return count

    # -- the long run -----------------------------------------------------------------

    def eventful(self, stats: Stats) -> bool:
        return bool(stats.signed or stats.refused or stats.batches_signed or stats.renewed)
