"""The channel hub's service: HTTP and WebSocket in front of the durable engine.

    POST /channels/{channel}/payments   {"nonce": n, "amount": "wei", "signature": "0x.."}
        200 {"receipt": {...}}  once the payment is durable; 4xx {"code", "reason"}
    GET  /channels/{channel}            the channel as the hub holds it      (payer only)
    GET  /channels/{channel}/receipt    the receipt for the best proof, again (payer only)
    POST /channels/{channel}/close      the hub's CloseConsent for its best proof
                                                                             (payer only)
    GET  /ws                            a WebSocket: a JSON payment per message in, its
                                        receipt or rejection out, in order; or a JSON
                                        array of up to 64 payments in one message, and
                                        one message out with the array of their answers
    GET  /health                        the hub's chain, contract and channel count

Who may ask: a payment is its own authority (the payer's balance proof, checked by the
engine); a receipt names the payer and is worthless to anyone else (the pay gate spends
it only on a query the payer signed). Every other request about a channel carries the
payer's signature over it (`auth`: 401 without one, or with a stale or replayed one;
403 for anyone else's), checked here, at the edge, before the engine sees anything; a
stranger learns nothing about a channel and changes nothing.

One pipeline, as Raiden structures its engine (see `engine` and `state`):

    edge        requests put their payments on a queue; each batch taken from it has
                its signers recovered by the verifier (`verifier.VerifierPool`, N
                processes, with `serve --workers N`; else `verifier.InlineVerifier`,
                a thread of this process), while earlier batches are decided
    decide      in arrival order, the batches whose signers are back (consecutive ones
                merged) become verified state changes and go through `Engine.commit`
                on the engine's one thread: `state_transition` for each, then the log,
                in one transaction (group commit)
    receipts    only once that returned (durable): the accepted payments' receipts are
                signed by the verifier (one signature over the batch's Merkle root, on
                a thread of this process), and each request is answered

A payment is acknowledged only after its batch committed. A worker that dies costs
time, never a payment (see `verifier`).

Bad input (malformed JSON, wrong types, oversized bodies, unknown channels, stale,
replayed or unfunded proofs, signatures for another chain or contract) gets a 4xx with
a machine-readable code and changes nothing.

A hub watching the chain that has not taken it in for `max_chain_lag` seconds refuses
payments (503 `chain_unseen`): the deposit it last saw may be gone (a channel closed and
settled meanwhile), and it acknowledges no money it cannot see. The shortest challenge
window is 10 minutes, so the default of 5 minutes leaves a close time to be seen (with
`confirmations` blocks on top) before a settlement could follow it.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import orjson
from aiohttp import WSMsgType, web

from bpsa.core import channels as ch
from bpsa.sidechains import state as st
from bpsa.sidechains.auth import Gatekeeper, Unauthorized
from bpsa.sidechains.engine import Engine, Outcome
from bpsa.sidechains.messages import WS_BATCH_MAX, ChannelId, Nonce, Receipt, Signed, Wei
from bpsa.sidechains.verifier import InlineVerifier, VerifierPool

MAX_BODY = 4_096  # bytes: a payment is about 200
# Payments a batch takes at most. Answering a batch is one stretch of the event loop (a
# receipt and an answer a payment, about 4 us each), during which no verifier's result
# is read and no job sent: 2,048 held the loop for up to ~20 ms under load and left the
# verifier processes idle meanwhile; 512 keeps the stretches short (bench/rate_hub).
BATCH_MAX = 512
MAX_CHAIN_LAG = 300.0  # seconds without a look at the chain before payments are refused


class BadRequest(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def parse_payment(channel: int, data: Any) -> st.ReceivePayment:
    """A payment from its JSON form; `BadRequest` naming the field."""
    if not isinstance(data, dict):
        raise BadRequest("malformed", "a payment is a JSON object")
    unknown = set(data) - {"channel", "nonce", "amount", "signature"}
    if unknown:
        raise BadRequest("malformed", f"unknown field(s): {', '.join(sorted(unknown))}")
    if "channel" in data and data["channel"] != channel:
        raise BadRequest("wrong_channel", f"the payment names channel {data['channel']}")
    try:
        nonce = data["nonce"]
        raw = data["amount"]
        if isinstance(raw, float | bool):  # orjson reads integers past 64 bits as floats
            raise TypeError(raw)
        amount = int(raw)
        signature = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
    except KeyError as exc:
        raise BadRequest("malformed", f"missing {exc.args[0]}") from None
    except (TypeError, ValueError):
        raise BadRequest("malformed", "amount is a decimal string, signature hex") from None
    if isinstance(nonce, bool) or not isinstance(nonce, int):
        raise BadRequest("malformed", "nonce is a whole number")
    if len(signature) != 65:
        raise BadRequest("malformed", f"a signature is 65 bytes, got {len(signature)}")
    return st.ReceivePayment(ChannelId(channel), Nonce(nonce), Wei(amount), signature)


def outcome_json(outcome: Outcome) -> tuple[int, dict[str, Any]]:
    if outcome.receipt is not None:
        return 200, {"receipt": outcome.receipt.to_json()}
    assert outcome.rejected is not None
    status = 404 if outcome.rejected.code == "unknown_channel" else 409
    if outcome.rejected.code in ("malformed", "bad_signature"):
        status = 400
    if outcome.rejected.code == "over_deposit":
        status = 402
    if outcome.rejected.code == "chain_unseen":
        status = 503
    return status, {"code": outcome.rejected.code, "reason": outcome.rejected.reason}


class Pending:
    """A payment waiting for its outcome; `answer` gets the outcome, or the exception
    that kept the payment from being recorded (nothing acknowledged)."""

    __slots__ = ("answer", "payment")

    def __init__(
        self, payment: st.ReceivePayment, answer: Callable[[Outcome | Exception], None]
    ) -> None:
        self.payment, self.answer = payment, answer


class Hub:
    def __init__(
        self,
        engine: Engine,
        batch_max: int = BATCH_MAX,
        watcher: Any = None,
        poll: float = 1.0,
        pool: VerifierPool | None = None,
        max_chain_lag: float = MAX_CHAIN_LAG,
    ) -> None:
        self.engine = engine
        self.batch_max = batch_max
        self.intake: deque[Pending] = deque()
        self._arrived = asyncio.Event()
        # Every engine call runs on this one thread: payments and chain changes in order.
        self.engine_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")
        self.watcher = watcher  # a ChainWatcher, or None (no chain: tests, benchmarks)
        self.poll = poll
        self.max_chain_lag = max_chain_lag
        self.pool = pool  # signature work on other cores, or None: a thread of this process
        self.verifier: VerifierPool | InlineVerifier = (
            pool if pool is not None else InlineVerifier(engine.separator, bytes(engine.key.key))
        )
        # With a pool: batches whose signers are being recovered, in arrival order.
        self._verifying: deque[tuple[list[Pending], asyncio.Future[list[bytes | None]]]] = deque()
        self._verified = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.gatekeeper = Gatekeeper(engine.domain)  # who may read or close a channel

    # The watcher's way into the engine (from its own thread), in order with payments.

    def advance(
        self,
        changes: list[Any],
        block: int,
        now: int,
        blocks: list[int] | None = None,
        block_hash: bytes | None = None,
    ) -> list[st.Event]:
        run = self.engine_thread.submit
        return run(self.engine.advance, changes, block, now, blocks, block_hash).result()

    def rewind(self, block: int) -> int:
        return self.engine_thread.submit(self.engine.rewind, block).result()

    def cursor(self) -> int | None:
        return self.engine_thread.submit(self.engine.cursor).result()

    def block_hashes(self) -> list[tuple[int, bytes]]:
        return self.engine_thread.submit(self.engine.block_hashes).result()

    async def watch_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                await loop.run_in_executor(None, self.watcher.step)
            except Exception as exc:  # the RPC endpoint is down: try again next round
                logging.getLogger("bpsa.hub").warning("chain watcher: %s", exc)
            await asyncio.sleep(self.poll)

    def submit(self, pending: Pending) -> None:
        self.intake.append(pending)
        self._arrived.set()

    async def pay(self, payment: st.ReceivePayment) -> Outcome:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self.submit(Pending(payment, lambda result: _resolve(future, result)))
        return await future

    async def _take(self) -> list[Pending]:
        """Everything queued (up to `batch_max`), once something is."""
        while not self.intake:
            self._arrived.clear()
            await self._arrived.wait()
        intake = self.intake
        return [intake.popleft() for _ in range(min(len(intake), self.batch_max))]

    def _blind(self, batch: list[Pending]) -> bool:
        """If the hub has not taken in the chain for too long, refuse `batch` (nothing
        logged) and say so; one clock read a batch."""
        watcher = self.watcher
        if watcher is None:
            return False
        lag = time.monotonic() - watcher.seen_at
        if lag <= self.max_chain_lag:
            return False
        reason = (
            f"the hub has not seen the chain for {lag:.0f} s (its limit is "
            f"{self.max_chain_lag:.0f} s): it acknowledges no deposit it cannot see; pay later"
        )
        for pending in batch:
            p = pending.payment
            pending.answer(Outcome(rejected=st.PaymentRejected(p.channel, "chain_unseen", reason)))
        return True

    async def verify_forever(self) -> None:
        """Stage 1, the edge: hand batches to the verifier to recover their signers, at
        most two per worker at a time (the next one waits and grows meanwhile)."""
        verifier = self.verifier
        slots = asyncio.Semaphore(2 * len(verifier.workers))
        while True:
            await slots.acquire()
            batch = await self._take()
            payments = (p.payment for p in batch)
            items = [(q.channel, q.nonce, q.amount, q.signature) for q in payments]
            future = verifier.recover(items)

            def verified(_: object) -> None:
                slots.release()
                self._verified.set()

            future.add_done_callback(verified)
            self._verifying.append((batch, future))

    async def decide_forever(self) -> None:
        """Stage 2: in arrival order, every batch whose signers are back (consecutive
        ones merged into one transaction) through `Engine.commit` as verified state
        changes; then stage 3: the receipts of what is durable, signed by the
        verifier."""
        loop = asyncio.get_running_loop()
        verifying = self._verifying
        while True:
            while not verifying or not verifying[0][1].done():
                self._verified.clear()
                await self._verified.wait()
            batch: list[Pending] = []
            signers: list[bytes | None] = []
            failed: list[Pending] = []
            error: BaseException | None = None
            while verifying and verifying[0][1].done() and len(batch) < self.batch_max:
                part, future = verifying.popleft()
                if future.exception() is not None:  # never checked: never acknowledged
                    failed += part
                    error = future.exception()
                else:
                    batch += part
                    signers += future.result()
            for pending in failed:
                pending.answer(RuntimeError(f"the signatures could not be checked: {error}"))
            if not batch or self._blind(batch):
                continue
            verified = st.ReceiveVerifiedPayment
            changes = [verified(p.payment, s) for p, s in zip(batch, signers, strict=True)]
            try:
                decided = await loop.run_in_executor(
                    self.engine_thread, self.engine.commit, changes
                )
            except Exception as exc:  # the log could not be written: nobody is acknowledged
                for pending in batch:
                    pending.answer(exc)
                continue
            accepted: list[tuple[Pending, st.PaymentAccepted]] = []
            for pending, event in zip(batch, decided, strict=True):
                if isinstance(event, st.PaymentAccepted):
                    accepted.append((pending, event))
                else:
                    assert isinstance(event, st.PaymentRejected)
                    pending.answer(Outcome(rejected=event))
            if accepted:
                items = [
                    (e.channel, bytes.fromhex(e.payer[2:]), e.nonce, e.amount) for _, e in accepted
                ]
                signing = self.verifier.sign(items)
                signing.add_done_callback(functools.partial(self._receipts, accepted))

    def _receipts(
        self,
        accepted: list[tuple[Pending, st.PaymentAccepted]],
        done: asyncio.Future[list[Signed]],
    ) -> None:
        """The pool signed the receipts of durable payments: answer them."""
        if done.exception() is not None:  # durable, so acknowledged: sign them here
            events = [e for _, e in accepted]
            receipts = self.engine.sign_receipts(events)
        else:
            receipts = [
                Receipt(e.channel, e.payer, e.nonce, e.amount, signature, proof, salt)
                for (_, e), (salt, signature, proof) in zip(accepted, done.result(), strict=True)
            ]
        for (pending, _), receipt in zip(accepted, receipts, strict=True):
            pending.answer(Outcome(receipt=receipt))

    # -- HTTP -------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app[HUB_APP] = self
        app.router.add_post("/channels/{channel}/payments", self.http_pay)
        app.router.add_get("/channels/{channel}", self.http_channel)
        app.router.add_get("/channels/{channel}/receipt", self.http_receipt)
        app.router.add_post("/channels/{channel}/close", self.http_close)
        app.router.add_get("/ws", self.ws)
        app.router.add_get("/health", self.health)
        app.on_startup.append(self._start)
        app.on_cleanup.append(self._stop)
        return app

    async def _start(self, app: web.Application) -> None:
        await self.verifier.start()
        self._tasks.append(asyncio.create_task(self.verify_forever()))
        self._tasks.append(asyncio.create_task(self.decide_forever()))
        if self.watcher is not None:
            self._tasks.append(asyncio.create_task(self.watch_forever()))

    async def _stop(self, app: web.Application) -> None:
        for task in self._tasks:
            task.cancel()
        self.verifier.close()

    @staticmethod
    def _channel(request: web.Request) -> ChannelId:
        text = request.match_info["channel"]
        # ASCII digits only (str.isdigit() takes "²", which int() refuses), and at most
        # 78 of them (2^256 has 78; int() refuses more than 4,300)
        if (
            not (text.isascii() and text.isdigit() and len(text) <= 78)
            or not 0 < int(text) < 2**256
        ):
            raise BadRequest("malformed", f"channel {text[:80]!r} is not a channel id")
        return ChannelId(int(text))

    @staticmethod
    def _error(code: str, reason: str, status: int = 400) -> web.Response:
        return web.json_response({"code": code, "reason": reason}, status=status)

    async def http_pay(self, request: web.Request) -> web.Response:
        try:
            channel = self._channel(request)
            try:
                data = orjson.loads(await request.read())
            except web.HTTPRequestEntityTooLarge:
                return self._error("oversized", f"a payment is at most {MAX_BODY} bytes", 413)
            except ValueError:  # orjson's JSONDecodeError, invalid UTF-8 included
                return self._error("malformed", "the body is not JSON")
            payment = parse_payment(channel, data)
        except BadRequest as exc:
            return self._error(exc.code, exc.reason)
        try:
            outcome = await self.pay(payment)
        except Exception as exc:  # the log could not be written: not acknowledged
            return self._error("unavailable", f"the payment was not recorded: {exc}", 503)
        status, body = outcome_json(outcome)
        return web.json_response(body, status=status)

    async def _payers_channel(
        self, request: web.Request, action: str
    ) -> tuple[ChannelId, st.ChannelState] | web.Response:
        """The channel a request is about and its state, once the request is proven to
        come from the channel's payer; otherwise the 4xx to answer (nothing disclosed
        beyond whether the hub knows the channel, which the chain shows anyway)."""
        try:
            channel = self._channel(request)
            body = await request.read()
        except BadRequest as exc:
            return self._error(exc.code, exc.reason)
        except web.HTTPRequestEntityTooLarge:
            return self._error("oversized", f"a request is at most {MAX_BODY} bytes", 413)
        state = self.engine.channels.get(channel)
        if state is None:
            return self._error("unknown_channel", f"no channel {channel} to this hub", 404)
        try:
            self.gatekeeper.check(
                channel, state.payer, action, body, request.headers.get("Authorization")
            )
        except Unauthorized as exc:
            return self._error(exc.code, exc.reason, exc.status)
        return channel, state

    async def http_channel(self, request: web.Request) -> web.Response:
        found = await self._payers_channel(request, "channel")
        if isinstance(found, web.Response):
            return found
        channel, state = found
        return web.json_response(
            {
                "channel": channel,
                "payer": state.payer,
                "deposit": str(state.deposit),
                "paid": str(state.paid),
                "nonce": state.nonce,
                "status": state.status.value,
            }
        )

    async def http_receipt(self, request: web.Request) -> web.Response:
        """The hub's receipt for the best proof it holds on a channel, again: for a payer
        whose receipt was lost (a crash, a broken connection) and whose resent proof the
        hub answered `replayed`. Read on the engine's thread, between batches, so the
        proof is durable."""
        found = await self._payers_channel(request, "receipt")
        if isinstance(found, web.Response):
            return found
        channel = found[0]
        loop = asyncio.get_running_loop()
        receipt = await loop.run_in_executor(self.engine_thread, self._best_receipt, channel)
        if receipt is None:
            return self._error("no_payment", f"the hub holds no payment on channel {channel}", 404)
        return web.json_response(outcome_json(Outcome(receipt=receipt))[1])

    def _best_receipt(self, channel: ChannelId) -> Receipt | None:
        state = self.engine.channels.get(channel)
        if state is None or state.best is None:
            return None
        best = st.PaymentAccepted(channel, state.best.nonce, state.best.amount, Wei(0), state.payer)
        return self.engine.sign_receipts([best])[0]

    async def http_close(self, request: web.Request) -> web.Response:
        """The hub's consent to close at the best proof it holds, for the payer alone: from
        then on the channel takes no more payments."""
        found = await self._payers_channel(request, "close")
        if isinstance(found, web.Response):
            return found
        channel = found[0]
        loop = asyncio.get_running_loop()
        consent = await loop.run_in_executor(self.engine_thread, self.engine.consent, channel)
        if consent is None:
            return self._error("not_closable", f"channel {channel} has nothing to close on", 409)
        proof = ch.BalanceProof(channel, consent.nonce, consent.amount)
        hub_signature = ch.sign(proof, self.engine.domain, self.engine.key.key, "CloseConsent")
        return web.json_response(
            {
                "channel": channel,
                "nonce": proof.nonce,
                "amount": str(proof.amount),
                "payer_signature": "0x" + consent.payer_signature.hex(),
                "hub_signature": "0x" + hub_signature.hex(),
            }
        )

    async def health(self, request: web.Request) -> web.Response:
        """Public: what a payer needs to sign its requests (the chain and the contract)."""
        dom = self.engine.domain
        return web.json_response(
            {
                "channels": len(self.engine.channels),
                "chain_id": dom.chain_id,
                "contract": dom.verifying_contract,
                "hub": self.engine.key.address,
            }
        )

    async def ws(self, request: web.Request) -> web.WebSocketResponse:
        # No per-message compression: answers are written as plain frames (`_Stream`);
        # text arrives undecoded (orjson checks the UTF-8 itself).
        socket = web.WebSocketResponse(
            max_msg_size=MAX_BODY * WS_BATCH_MAX, compress=False, decode_text=False
        )
        await socket.prepare(request)
        stream = _Stream(socket, request.transport)
        writer = asyncio.create_task(stream.write_forever())
        take = self._accept
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                stream.slot().fill(400, {"code": "malformed", "reason": "send JSON text"})
                continue
            try:
                data = orjson.loads(message.data)
            except ValueError:
                stream.slot().fill(400, {"code": "malformed", "reason": "not JSON"})
                continue
            if not isinstance(data, list):
                take(stream.slot(), data)
            elif 1 <= len(data) <= WS_BATCH_MAX:
                group = stream.group(len(data))
                for index, item in enumerate(data):
                    take(_Part(group, index), item)
            else:
                reason = f"a message holds 1 to {WS_BATCH_MAX} payments, got {len(data)}"
                stream.slot().fill(400, {"code": "malformed", "reason": reason})
        stream.finish()
        await writer
        return socket

    def _accept(self, slot: _Slot, data: Any) -> None:
        """One payment of a WebSocket message: parsed and submitted, or refused in its
        slot."""
        try:
            payment = parse_payment(_stream_channel(data), data)
        except BadRequest as exc:
            slot.fill(400, {"code": exc.code, "reason": exc.reason})
        except (ValueError, TypeError):
            slot.fill(400, {"code": "malformed", "reason": "not a payment"})
        else:
            self.submit(Pending(payment, slot.answer))


def _stream_channel(data: Any) -> int:
    """The channel a WebSocket payment names (0, no channel, when it names none)."""
    if not isinstance(data, dict):
        return 0
    channel = data.get("channel", 0)
    if isinstance(channel, float | bool):
        raise BadRequest("malformed", "channel is a whole number")
    return int(channel)


def _resolve(future: asyncio.Future[Outcome], result: Outcome | Exception) -> None:
    if future.done():  # the request went away
        return
    if isinstance(result, Exception):
        future.set_exception(result)
    else:
        future.set_result(result)


class _Slot:
    """One message's answer on a WebSocket, filled when decided."""

    __slots__ = ("frame", "stream")

    def __init__(self, stream: _Stream) -> None:
        self.stream = stream
        self.frame: bytes | None = None

    def done(self, frame: bytes) -> None:
        self.frame = frame
        self.stream.wake.set()

    def fill(self, status: int, body: dict[str, Any]) -> None:
        try:
            self.done(orjson.dumps({"status": status, **body}))
        except TypeError:  # an integer beyond 64 bits (a channel id may be a uint256)
            self.done(json.dumps({"status": status, **body}).encode())

    def answer(self, result: Outcome | Exception) -> None:
        if isinstance(result, Exception):  # not recorded: not acknowledged
            self.fill(503, {"code": "unavailable", "reason": f"{result}"})
            return
        receipt = result.receipt
        if receipt is None:
            self.fill(*outcome_json(result))
            return
        # The hot path: the same JSON as `outcome_json`'s, written out.
        self.done(
            RECEIPT_FRAME
            % (
                receipt.channel,
                receipt.payer.encode(),
                receipt.nonce,
                receipt.amount,
                receipt.signature.hex().encode(),
                receipt.proof.hex().encode(),
                receipt.salt.hex().encode(),
            )
        )


class _Group(_Slot):
    """The answer to a message of several payments: a JSON array of their answers, in
    their order, sent once every one is decided."""

    __slots__ = ("answers", "missing")

    def __init__(self, stream: _Stream, count: int) -> None:
        super().__init__(stream)
        self.answers = [b""] * count
        self.missing = count

    def part_done(self, index: int, frame: bytes) -> None:
        self.answers[index] = frame
        self.missing -= 1
        if not self.missing:
            self.done(b"[" + b",".join(self.answers) + b"]")


class _Part(_Slot):
    """One payment's answer inside a `_Group`."""

    __slots__ = ("group", "index")

    def __init__(self, group: _Group, index: int) -> None:
        super().__init__(group.stream)
        self.group, self.index = group, index

    def done(self, frame: bytes) -> None:
        self.group.part_done(self.index, frame)


RECEIPT_FRAME = (
    b'{"status":200,"receipt":{"channel":%d,"payer":"%s","nonce":%d,"amount":"%d",'
    b'"signature":"0x%s","proof":"0x%s","salt":"0x%s"}}'
)


def text_frame(payload: bytes) -> bytes:
    """A server's unmasked, uncompressed, final text frame (RFC 6455 section 5.2)."""
    size = len(payload)
    if size < 126:
        return bytes((0x81, size)) + payload
    if size < 1 << 16:
        return bytes((0x81, 126)) + size.to_bytes(2, "big") + payload
    return bytes((0x81, 127)) + size.to_bytes(8, "big") + payload


class _Stream:
    """A WebSocket's answers, sent in the order of its messages as they are decided:
    every answer ready at once goes out in one write (one system call for a batch,
    not one per payment)."""

    HIGH_WATER = 1 << 20  # bytes unsent before the writer waits for the payer to read

    def __init__(self, socket: web.WebSocketResponse, transport: asyncio.Transport | None) -> None:
        self.socket = socket
        self.transport = transport
        self.slots: deque[_Slot] = deque()
        self.wake = asyncio.Event()
        self.finished = False

    def slot(self) -> _Slot:
        slot = _Slot(self)
        self.slots.append(slot)
        return slot

    def group(self, count: int) -> _Group:
        group = _Group(self, count)
        self.slots.append(group)
        return group

    def finish(self) -> None:
        self.finished = True
        self.wake.set()

    async def write_forever(self) -> None:
        slots, socket, transport = self.slots, self.socket, self.transport
        while True:
            frames = []
            while slots and slots[0].frame is not None:
                frames.append(text_frame(slots.popleft().frame))  # type: ignore[arg-type]
            if frames:
                if socket.closed or transport is None or transport.is_closing():
                    slots.clear()  # the payer left: its payments still count
                    return
                transport.write(b"".join(frames))
                while transport.get_write_buffer_size() > self.HIGH_WATER:
                    if transport.is_closing():
                        return
                    await asyncio.sleep(0.005)
            if self.finished and not slots:
                return
            self.wake.clear()
            await self.wake.wait()


HUB_APP = web.AppKey("hub", Hub)
