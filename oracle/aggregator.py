"""The aggregator: collects the nodes' signatures from the board and posts each
certificate once M of them are in: one `attest` per certificate, or, when the backlog
makes it cheaper, a Merkle batch (the nodes sign its root) followed by its certificates
in chunks, each chunk one `prove_many` with a multi-proof: up to `chunk` certificates
(255 at most: the contract's bound, snekmate's uint8 arrays), neighbours in the tree
together so a chunk needs few proof nodes. A certificate whose quorum is in waits up to
`batch_wait` seconds for others to batch with (a burst of submissions is signed over
seconds), unless a chunk is full. Then it marks each patent that awaits it
certified (`PatentPool.certify`, open to anyone; sent back to back, one per patent); a
renewal's patent is certified already, so it only gets its new certificate.

Never posts twice: before every transaction it asks the chain whether the certificate's
nonce or the batch's root is already used, so a restart after a crash between sending
and logging finds the work done and moves on.

Never loses a post to a reorganisation: each post's block is kept until it is
`confirmations` deep; a post whose block left the chain is checked against the chain
and, if its certificate is gone, posted again (its batch reopened). A post that settles
is certified if its patent still awaits it (a reorganisation may have dropped only the
`certify`). The account's nonce is read afresh every step.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from eth_account.signers.local import LocalAccount

from bpsa.core import certificates as certs
from bpsa.core.codes import Lapse, PatentStatus
from bpsa.oracle.board import Board, Signed, cert_id
from bpsa.oracle.chain import ChainRejected, PoolChain
from bpsa.oracle.node import BoardProcess

# Receipt gas as `make bench` measures it (bench/README.md): one certificate with two
# signatures; a batch root with two signatures; a `prove_many` call as a fixed part
# (the 21,000 base, and the memory of its 255-long arrays) and a part per certificate.
SINGLE_GAS = 73_981
BATCH_ROOT_GAS = 69_700
PROVE_MANY_BASE_GAS = 105_700
PROVE_MANY_CERT_GAS = 33_700
CHUNK = 240  # certificates a `prove_many` call: about 8.2M gas, under 2^24 (EIP-7825)


def prove_many_gas(count: int, chunk: int = CHUNK) -> int:
    """What proving `count` certificates of a batch costs, in calls of `chunk`."""
    calls = -(-count // chunk)
    return calls * PROVE_MANY_BASE_GAS + count * PROVE_MANY_CERT_GAS


def cheaper_as_batch(count: int, chunk: int = CHUNK) -> bool:
    """Whether a root plus `count` multi-proven certificates costs less gas than
    `count` single posts (from 5 certificates on)."""
    return count > 1 and BATCH_ROOT_GAS + prove_many_gas(count, chunk) < count * SINGLE_GAS


@dataclass
class Posted:
    single: int = 0
    batched: int = 0
    found: int = 0
    certified: int = 0
    batches_proposed: int = 0
    gas: int = 0


class Aggregator(BoardProcess[Posted]):
    def __init__(
        self,
        chain: PoolChain,
        board: Board,
        account: LocalAccount,
        batch_min: int | None = None,
        log: logging.Logger | None = None,
        confirmations: int = 0,
        chunk: int = CHUNK,
        batch_wait: float = 0.0,
    ) -> None:
        if not 1 <= chunk <= certs.MAX_MULTI_PROOF:
            raise ValueError(f"chunk must be 1 to {certs.MAX_MULTI_PROOF}, got {chunk}")
        self.chunk = chunk  # certificates per `prove_many`
        # Seconds a ready certificate may wait for others to batch with (a burst comes
        # in over seconds): the gas model's batching then pays for more than its fixed
        # part. 0: post what is ready at every step.
        self.batch_wait = batch_wait
        self.chain = chain
        self.confirmations = confirmations  # how deep a post's block must be to be final
        self.board = board
        self._bound = False  # the board is tied to the deployment on the first step
        self.account = account
        self.batch_min = batch_min  # None: by the gas model
        self._oracles: dict[str, bool] = {}  # signer -> an active oracle, this step
        self.log = log or logging.getLogger("bpsa.oracle.aggregator")

    def batch_worth_it(self, count: int) -> bool:
        if self.batch_min is not None:
            return count >= self.batch_min
        return cheaper_as_batch(count, self.chunk)

    def gathering(self, fresh: list[Signed]) -> bool:
        """Whether to hold `fresh` back a step: none has waited `batch_wait` seconds
        since its quorum was in, and they do not fill a chunk yet."""
        if not fresh or self.batch_min is not None or len(fresh) >= self.chunk:
            return False
        return time.time() - min(s.ready for s in fresh) < self.batch_wait

    def step(self) -> Posted:
        self._bind()
        self.chain.forget_nonces()  # a reorganisation may have dropped what it counted
        self._oracles = {}
        out = Posted()
        self.settle_posts(out)
        threshold = self.chain.threshold()
        for root, ids in self.board.open_batches():
            sigs = self.board.batch_signatures(root)
            if len(sigs) >= threshold:
                self.post_batch(root, ids, sigs, threshold, out)
        in_batches = {i for _, ids in self.board.open_batches() for i in ids}
        ready = [s for s in self.board.certificates(threshold) if cert_id(s.cert) not in in_batches]
        if self.gathering(ready):
            return out  # and the chain is asked about them once they are posted
        fresh: list[Signed] = []
        for signed in ready:
            cert = signed.cert
            if self.chain.last_nonce(cert.patent, cert.document) >= cert.nonce:
                self.board.posted(cert, "found", "", 0)  # posted before a restart
                out.found += 1
                out.certified += self.certify(cert)
                continue
            fresh.append(signed)
        if self.batch_worth_it(len(fresh)):
            tree = certs.MerkleTree([s.cert.leaf() for s in fresh])
            self.board.propose_batch(tree.root, [cert_id(s.cert) for s in fresh])
            self.log.info("proposed a batch of %d: root 0x%s", len(fresh), tree.root.hex())
            out.batches_proposed += 1
        elif fresh:
            self.post_singles(fresh, threshold, out)
        return out

    def settle_posts(self, out: Posted) -> None:
        """Each post not yet final: deep enough with its block still on the chain, it is
        final (and its patent certified if it still awaits it); its block gone, it is
        final if the chain holds its certificate all the same, else posted again."""
        final = self.chain.head() - self.confirmations
        hashes: dict[int, bytes | None] = {}
        for cert, root, block, digest in self.board.unsettled():
            if block not in hashes:
                hashes[block] = self.chain.block_hash(block)
            on_chain = hashes[block] == digest
            if on_chain and block > final:
                continue  # not deep enough yet
            body = self.board.body(cert)
            if (
                not on_chain
                and body is not None
                and self.chain.last_nonce(body.patent, body.document) < body.nonce
            ):
                self.log.warning("a reorganisation dropped the post of %s: posting again", cert)
                self.board.unpost(cert, root)
                continue
            self.board.settle_post(cert)  # deep enough, or included again in another block
            out.certified += self.certify(body) if body is not None else 0

    def post_singles(self, fresh: list[Signed], threshold: int, out: Posted) -> None:
        """Post each certificate with its own `attest`, back to back (one wait for all
        receipts), then certify the patents that await it. A refused post stops the
        rest; the ones sent before it are logged first, and the next step finds them."""
        fns = [
            self.chain.certificates.functions.attest(
                s.cert.as_arg(), certs.quorum(self._valid(s.signatures)[:threshold])
            )
            for s in fresh
        ]
        receipts = self.chain.send_many(self.account, fns)
        for signed, receipt in zip(fresh, receipts, strict=True):
            cert = signed.cert
            self.board.posted(cert, "single", receipt["transactionHash"].hex(), receipt["gasUsed"])
            self.board.landed(cert, int(receipt["blockNumber"]), bytes(receipt["blockHash"]))
            out.single += 1
            out.gas += int(receipt["gasUsed"])
            self.log.info("posted %s %s (%d gas)", cert.office, cert.number, receipt["gasUsed"])
        out.certified += self.certify_all([s.cert for s in fresh])

    def _valid(self, sigs: list[certs.Signature]) -> list[certs.Signature]:
        """Signatures of active oracles, one per signer, ascending (what `attest` takes).
        Who is an oracle is read once a step (`_oracles`, emptied by `step`)."""
        seen: dict[str, certs.Signature] = {}
        for sig in sigs:
            if sig.signer not in self._oracles:
                self._oracles[sig.signer] = self.chain.is_oracle(sig.signer)
            if sig.signer not in seen and self._oracles[sig.signer]:
                seen[sig.signer] = sig
        return sorted(seen.values(), key=lambda s: int(s.signer, 16))

    def post_batch(
        self,
        root: bytes,
        ids: list[str],
        sigs: list[certs.Signature],
        threshold: int,
        out: Posted,
    ) -> None:
        bodies = [self.board.body(i) for i in ids]
        batch = [b for b in bodies if b is not None]
        tree = certs.MerkleTree([c.leaf() for c in batch])
        if len(batch) != len(ids) or tree.root != root:
            self.log.error("batch 0x%s does not match its certificates; dropped", root.hex())
            self.board.close_batch(root)
            return
        root_gas = 0
        if not self.chain.root_used(root):
            ordered = certs.quorum(self._valid(sigs)[:threshold])
            fn = self.chain.certificates.functions.attest_batch(root, len(tree), ordered)
            receipt = self.chain.send(self.account, fn)
            root_gas = int(receipt["gasUsed"])
            out.gas += root_gas
            self.log.info("posted batch root 0x%s of %d (%d gas)", root.hex(), len(tree), root_gas)
        share = root_gas // len(batch)
        todo = []
        for cert in batch:
            if self.chain.last_nonce(cert.patent, cert.document) >= cert.nonce:
                self.board.posted(cert, "found", "", 0, root.hex())
                out.found += 1
            else:
                todo.append(cert)
        by_leaf = {c.leaf(): c for c in todo}
        chunks = certs.multiproof_chunks(tree, by_leaf, self.chunk) if todo else []
        fns = [
            self.chain.certificates.functions.prove_many(
                [by_leaf[leaf].as_arg() for leaf in mp.leaves], root, mp.proof, mp.flags
            )
            for mp in chunks
        ]
        for mp, receipt in zip(chunks, self.chain.send_many(self.account, fns), strict=True):
            gas = int(receipt["gasUsed"])
            each, rest = divmod(gas, len(mp.leaves))  # the first of a chunk takes the rest
            tx_hash = receipt["transactionHash"].hex()
            block, digest = int(receipt["blockNumber"]), bytes(receipt["blockHash"])
            for k, leaf in enumerate(mp.leaves):
                cert = by_leaf[leaf]
                paid = each + (rest if k == 0 else 0) + share
                self.board.posted(cert, "batch", tx_hash, paid, root.hex())
                self.board.landed(cert, block, digest, root.hex())
            out.batched += len(mp.leaves)
            out.gas += gas
            self.log.info(
                "proved %d of batch 0x%s in one call (%d gas)", len(mp.leaves), root.hex(), gas
            )
        out.certified += self.certify_all(batch)
        self.board.close_batch(root)

    def certify_all(self, batch: list[certs.Certificate]) -> int:
        """Certify every patent of `batch` whose certificate now holds, back to back."""
        ready = [c for c in batch if self._certifiable(c)]
        if not ready:
            return 0
        fns = [self.chain.pool.functions.certify(c.patent) for c in ready]
        try:
            self.chain.send_many(self.account, fns)
        except ChainRejected as exc:  # someone certified one first: the rest one by one
            self.log.info("certify: %s", exc)
            return sum(self.certify(c) for c in ready if self._certifiable(c))
        return len(ready)

    def _certifiable(self, cert: certs.Certificate) -> bool:
        status, document = self.chain.status(cert.patent)
        if status != PatentStatus.SUBMITTED or document != cert.document:
            return False
        return self.chain.lapse(cert.patent) == Lapse.NONE

    def certify(self, cert: certs.Certificate) -> int:
        """Move the patent to certified if its certificate now holds; 1 if it did."""
        if not self._certifiable(cert):
            return 0
        try:
            self.chain.send(self.account, self.chain.pool.functions.certify(cert.patent))
        except ChainRejected as exc:  # someone certified it first
            self.log.info("certify %s %s: %s", cert.office, cert.number, exc)
            return 0
        return 1

    def eventful(self, posted: Posted) -> bool:
        return bool(posted.single or posted.batched or posted.batches_proposed)
