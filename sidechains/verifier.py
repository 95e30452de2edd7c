"""The hub's edge: signatures are recovered here, before a payment enters the state
machine (Raiden's `AuthenticatedSenderStateChange`), and receipts are signed here once
their payments are durable. Pure functions of a message, and two ways to run them.

Two jobs, each a pure function of its input and the hub's domain:
    recover   a balance proof's signer (20 raw bytes, or None for a malformed,
              malleable or unrecoverable signature): `verify_payment` makes the
              payment a `state.ReceiveVerifiedPayment`, which the transition compares
              with the channel's payer
    sign      the hub's receipts for a batch of durable payments: one signature over
              the root of the batch's receipt tree and each receipt's proof
              (`messages.sign_receipts`)

`VerifierPool` feeds whole batches to recover to `workers` processes (`python -m
bpsa.sidechains.verifier FD`, a socket pair each, no fork of the threaded hub) from
the hub's event loop, several jobs queued per worker so none waits for the next; it
signs a durable batch's receipts on a thread of the hub's process (one signature and a
hash a receipt: a job that must not wait behind milliseconds of recoveries). A
job is only ever answered by computing it: the jobs of a worker that dies (or answers
nonsense) are computed in the hub's own process at once and the worker is replaced.
So a crash costs time, never a payment, and never a receipt for a payment that was
not checked. `InlineVerifier` runs the same jobs on a thread of the hub's process
(`serve --workers 0`). The engine still decides every payment, in order, on its one
thread; only the secp256k1 work moves.

The balance proof's digest is `bpsa.core.eip712.BALANCE_PROOF`'s, whose keccak goes through
safe-pysha3 (eth-hash's fast backend): about 0.7 us a hash against 4.5 us through
eth-utils.
"""

from __future__ import annotations

import asyncio
import os
import pickle
import socket
import struct
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Any

from coincurve import PrivateKey

from bpsa.core import eip712
from bpsa.sidechains import messages
from bpsa.sidechains import state as st
from bpsa.sidechains.messages import ChannelId, Nonce, Wei

# (channel, nonce, amount, signature): a payment as the pool ships it
Item = tuple[ChannelId, Nonce, Wei, bytes]
# (channel, payer's 20 raw bytes, nonce, amount): a receipt to sign
ReceiptItem = tuple[ChannelId, bytes, Nonce, Wei]
Signed = messages.Signed  # (salt, the batch's signature, the receipt's proof)


def recover_signer(
    separator: bytes, channel: int, nonce: int, amount: int, signature: bytes
) -> bytes | None:
    """Who signed the balance proof (channel, nonce, amount) in the domain whose
    separator is given: 20 raw bytes, or None when the signature is not 65 bytes, has a
    high s, a v other than 27/28, r or s out of range, or does not recover (the checks
    of the contract's ecrecover path, `eip712.split_signature`)."""
    if not 0 <= channel < 2**256 or not 0 <= nonce < 2**256 or not 0 <= amount < 2**256:
        return None
    digest = eip712.BALANCE_PROOF.digest(separator, channel, nonce, amount)
    return eip712.recover_address_bytes(digest, signature)


def verify_payment(separator: bytes, payment: st.ReceivePayment) -> st.ReceiveVerifiedPayment:
    """The edge, for one payment: its signer recovered, as a state change."""
    signer = recover_signer(
        separator, payment.channel, payment.nonce, payment.amount, payment.signature
    )
    return st.ReceiveVerifiedPayment(payment, signer)


def run_job(kind: str, separator: bytes, key: PrivateKey, items: Sequence[Any]) -> list[Any]:
    """One job, computed: what a worker answers, and the hub's fallback."""
    if kind == "recover":
        return [recover_signer(separator, *item) for item in items]
    if kind == "sign":
        return messages.sign_receipts(key, separator, items)
    raise ValueError(f"unknown job {kind!r}")


# -- the pool ---------------------------------------------------------------------------

# A message on a worker's socket: multiprocessing.Connection's framing (a 4-byte signed
# big-endian length, then a pickle), so the worker side is a plain blocking Connection.
HEADER = struct.Struct("!i")


def _frame(message: Any) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


class _Job:
    __slots__ = ("future", "items", "kind")

    def __init__(self, kind: str, items: list[Any], future: asyncio.Future[list[Any]]) -> None:
        self.kind, self.items, self.future = kind, items, future


class _Worker(asyncio.Protocol):
    """One worker process and the hub's end of its socket: jobs are written as they
    come (the worker always has the next one queued) and answered in order."""

    command: tuple[str, ...] = (sys.executable, "-m", "bpsa.sidechains.verifier")

    def __init__(self, pool: VerifierPool) -> None:
        self.pool = pool
        self.inflight: deque[_Job] = deque()
        self.load = 0  # payments in flight
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.alive = True
        self.born = time.monotonic()
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [*self.command, str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )
            # The key over the socket: never in argv or the environment.
            ours.sendall(_frame((pool.separator, pool.key)))
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        ours.setblocking(False)
        self.socket = ours

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def send(self, job: _Job) -> None:
        assert self.transport is not None
        self.inflight.append(job)
        self.load += len(job.items)
        self.transport.write(_frame((job.kind, job.items)))

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        start = 0
        while len(buffer) - start >= 4:
            (size,) = HEADER.unpack_from(buffer, start)
            if len(buffer) - start - 4 < size:
                break
            answer = pickle.loads(buffer[start + 4 : start + 4 + size])
            start += 4 + size
            job = self.inflight[0]
            if not isinstance(answer, list) or len(answer) != len(job.items):
                self.died()  # never trust a short answer: the job runs again
                return
            self.inflight.popleft()
            self.load -= len(job.items)
            if not job.future.done():
                job.future.set_result(answer)
        del buffer[:start]

    def connection_lost(self, exc: Exception | None) -> None:
        self.died()

    def died(self) -> None:
        if self.alive:  # not stopped by the pool
            self.alive = False
            self.pool.lost(self)

    def stop(self) -> None:
        self.alive = False
        if self.transport is not None:
            self.transport.close()
        else:
            self.socket.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class VerifierPool:
    """`workers` processes that recover signers, fed whole batches from the hub's event
    loop, and a thread of the hub's process that signs durable batches' receipts;
    `recover` and `sign` return futures answered in the order of their items. Spawned
    at construction, connected by `start` (in the running loop). A recovery job of at
    most `inline_max` items while every worker is idle is computed here (the answer
    comes sooner than a worker's). A job that finds no live worker, or whose worker
    dies before answering, is computed in the hub's own process at once; the dead
    worker is replaced (after a second if it died young: a worker that cannot start
    does not make the hub spin)."""

    def __init__(self, workers: int, separator: bytes, key: bytes, inline_max: int = 4) -> None:
        if workers < 1:
            raise ValueError("a verifier pool has at least one worker")
        self.separator = separator
        self.key = bytes(key)
        self._private = PrivateKey(self.key)
        self._signer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="receipts")
        self.workers: list[_Worker] = [_Worker(self) for _ in range(workers)]
        self.respawned = 0  # workers replaced after they died
        self.inline_max = inline_max
        self.inline = 0  # small jobs of an idle hub, computed here (no round trip)
        self.fallbacks = 0  # jobs computed here because no worker could
        self._closed = False
        self._tasks: set[asyncio.Task[None]] = set()  # replacements being made

    async def start(self) -> None:
        for worker in self.workers:
            if worker.transport is None:
                await self._connect(worker)

    async def _connect(self, worker: _Worker) -> None:
        loop = asyncio.get_running_loop()
        await loop.create_unix_connection(lambda: worker, sock=worker.socket)

    def recover(self, items: list[Item]) -> asyncio.Future[list[bytes | None]]:
        return self._submit("recover", items)

    def sign(self, items: list[ReceiptItem]) -> asyncio.Future[list[Signed]]:
        """A durable batch's receipts, on the hub's own signing thread: one signature and
        a hash a receipt (a few us each), which must not queue behind the workers'
        recoveries (each job of those takes milliseconds) while its payers wait."""
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(
            self._signer, run_job, "sign", self.separator, self._private, items
        )

    def _submit(self, kind: str, items: list[Any]) -> asyncio.Future[list[Any]]:
        job = _Job(kind, items, asyncio.get_running_loop().create_future())
        live = [w for w in self.workers if w.alive and w.transport is not None]
        if not items:
            job.future.set_result([])
        elif len(items) <= self.inline_max and not any(w.load for w in live):
            # An idle hub: a round trip to a worker would cost more than the work.
            self.inline += 1
            self._here(job)
        elif live:
            min(live, key=lambda w: w.load).send(job)
        else:
            self.fallbacks += 1
            self._here(job)
        return job.future

    def _here(self, job: _Job) -> None:
        """Compute a job in the hub's own process."""
        if job.future.done():
            return
        try:
            job.future.set_result(run_job(job.kind, self.separator, self._private, job.items))
        except Exception as exc:
            job.future.set_exception(exc)

    def lost(self, worker: _Worker) -> None:
        """A worker died: its unanswered jobs are computed here, and it is replaced."""
        jobs = list(worker.inflight)
        worker.inflight.clear()
        worker.load = 0
        worker.stop()
        for job in jobs:
            self.fallbacks += 1
            self._here(job)
        if not self._closed and worker in self.workers:
            task = asyncio.get_running_loop().create_task(self._replace(worker))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _replace(self, worker: _Worker) -> None:
        if time.monotonic() - worker.born < 1.0:
            await asyncio.sleep(1.0)
        while not self._closed and worker in self.workers:
            try:
                fresh = _Worker(self)
            except OSError:  # no process could be started now: try again in a second
                await asyncio.sleep(1.0)
                continue
            self.workers[self.workers.index(worker)] = fresh
            await self._connect(fresh)
            self.respawned += 1  # counted once it takes jobs (connected)
            return

    def close(self) -> None:
        self._closed = True
        self._signer.shutdown(wait=False, cancel_futures=True)
        for task in self._tasks:
            task.cancel()
        for worker in self.workers:
            jobs = list(worker.inflight)
            worker.stop()
            for job in jobs:
                if not job.future.done():
                    job.future.set_exception(RuntimeError("the verifier pool is closed"))


class InlineVerifier:
    """The verifier without worker processes: the same jobs, with the same answers, on
    one thread of the hub's own process (libsecp256k1 releases the GIL while it works,
    so it still overlaps the event loop and the engine's thread). The hub's pipeline
    is the same with either verifier."""

    def __init__(self, separator: bytes, key: bytes) -> None:
        self.separator = separator
        self._private = PrivateKey(bytes(key))
        self.workers = [self]  # one at a time: the hub keeps two jobs queued for it
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="verifier")

    async def start(self) -> None:
        return None

    def recover(self, items: list[Item]) -> asyncio.Future[list[bytes | None]]:
        return self._submit("recover", items)

    def sign(self, items: list[ReceiptItem]) -> asyncio.Future[list[Signed]]:
        return self._submit("sign", items)

    def _submit(self, kind: str, items: list[Any]) -> asyncio.Future[list[Any]]:
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(
            self._thread, run_job, kind, self.separator, self._private, items
        )

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)


def serve_worker(conn: Connection, job: Callable[..., list[Any]] = run_job) -> None:
    """A worker's loop: its domain separator and key first, then jobs until EOF."""
    separator, raw = conn.recv()
    key = PrivateKey(raw)
    while True:
        try:
            kind, items = conn.recv()
        except EOFError:
            return
        conn.send(job(kind, separator, key, items))


def main() -> None:
    conn = Connection(int(sys.argv[1]))
    try:
        serve_worker(conn)
    finally:
        conn.close()
    os._exit(0)


if __name__ == "__main__":
    main()
