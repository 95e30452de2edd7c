"""The channel hub's service: HTTP and WebSocket in front of the durable engine.

    POST /channels/{channel}/payments   {"nonce": n, "amount": "wei", "signature": "0x.."}
        200 {"receipt": {...}}  once the payment is durable; 4xx {"code", "reason"}
    GET  /channels/{channel}            the channel as the hub holds it
    POST /channels/{channel}/close      the hub's CloseConsent for its best proof
    GET  /ws                            a WebSocket: one JSON payment per message in,
                                        one receipt or rejection per message out, in order
    GET  /health

Group commit: requests put their payments on a queue; one committer takes everything
queued (up to `batch_max`), decides and logs it in one transaction in a worker thread,
then answers each request. A payment is acknowledged only after its batch committed.
Bad input (malformed JSON, wrong types, oversized bodies, unknown channels, stale,
replayed or unfunded proofs, signatures for another chain or contract) gets a 4xx with
a machine-readable code and changes nothing.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from bpsa import channels as ch
from bpsa.sidechains import state as st
from bpsa.sidechains.engine import Engine, Outcome

MAX_BODY = 4_096  # bytes: a payment is about 200
BATCH_MAX = 2_048


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
        amount = int(data["amount"])
        signature = bytes.fromhex(str(data["signature"]).removeprefix("0x"))
    except KeyError as exc:
        raise BadRequest("malformed", f"missing {exc.args[0]}") from None
    except (TypeError, ValueError):
        raise BadRequest("malformed", "amount is a decimal string, signature hex") from None
    if isinstance(nonce, bool) or not isinstance(nonce, int):
        raise BadRequest("malformed", "nonce is a whole number")
    if len(signature) != 65:
        raise BadRequest("malformed", f"a signature is 65 bytes, got {len(signature)}")
    return st.ReceivePayment(channel, nonce, amount, signature)


def outcome_json(outcome: Outcome) -> tuple[int, dict[str, Any]]:
    if outcome.receipt is not None:
        r = outcome.receipt
        receipt = {
            "channel": r.channel,
            "nonce": r.nonce,
            "amount": str(r.amount),
            "signature": "0x" + r.signature.hex(),
        }
        return 200, {"receipt": receipt}
    assert outcome.rejected is not None
    status = 404 if outcome.rejected.code == "unknown_channel" else 409
    if outcome.rejected.code in ("malformed", "bad_signature"):
        status = 400
    if outcome.rejected.code == "over_deposit":
        status = 402
    return status, {"code": outcome.rejected.code, "reason": outcome.rejected.reason}


@dataclass
class Pending:
    payment: st.ReceivePayment
    future: asyncio.Future[Outcome]


class Hub:
    def __init__(
        self,
        engine: Engine,
        batch_max: int = BATCH_MAX,
        watcher: Any = None,
        poll: float = 1.0,
    ) -> None:
        self.engine = engine
        self.batch_max = batch_max
        self.queue: asyncio.Queue[Pending] = asyncio.Queue()
        # Every engine call runs on this one thread: payments and chain changes in order.
        self.engine_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="engine")
        self.watcher = watcher  # a ChainWatcher, or None (no chain: tests, benchmarks)
        self.poll = poll
        self._tasks: list[asyncio.Task[None]] = []

    def advance(self, changes: list[Any], block: int, now: int) -> list[st.Event]:
        """The watcher's way into the engine (from its own thread)."""
        return self.engine_thread.submit(self.engine.advance, changes, block, now).result()

    async def watch_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            try:
                await loop.run_in_executor(None, self.watcher.step)
            except Exception as exc:  # the RPC endpoint is down: try again next round
                logging.getLogger("bpsa.hub").warning("chain watcher: %s", exc)
            await asyncio.sleep(self.poll)

    async def pay(self, payment: st.ReceivePayment) -> Outcome:
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        await self.queue.put(Pending(payment, future))
        return await future

    async def commit_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            while len(batch) < self.batch_max and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            payments = [p.payment for p in batch]
            try:
                outcomes = await loop.run_in_executor(
                    self.engine_thread, self.engine.submit_payments, payments
                )
            except Exception as exc:  # the log could not be written: nobody is acknowledged
                for pending in batch:
                    if not pending.future.done():
                        pending.future.set_exception(exc)
                continue
            for pending, outcome in zip(batch, outcomes, strict=True):
                if not pending.future.done():
                    pending.future.set_result(outcome)

    # -- HTTP -------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post("/channels/{channel}/payments", self.http_pay)
        app.router.add_get("/channels/{channel}", self.http_channel)
        app.router.add_post("/channels/{channel}/close", self.http_close)
        app.router.add_get("/ws", self.ws)
        app.router.add_get("/health", self.health)
        app.on_startup.append(self._start)
        app.on_cleanup.append(self._stop)
        return app

    async def _start(self, app: web.Application) -> None:
        self._tasks.append(asyncio.create_task(self.commit_forever()))
        if self.watcher is not None:
            self._tasks.append(asyncio.create_task(self.watch_forever()))

    async def _stop(self, app: web.Application) -> None:
        for task in self._tasks:
            task.cancel()

    @staticmethod
    def _channel(request: web.Request) -> int:
        text = request.match_info["channel"]
        if not text.isdigit() or not 0 < int(text) < 2**256:
            raise BadRequest("malformed", f"channel {text!r} is not a channel id")
        return int(text)

    @staticmethod
    def _error(code: str, reason: str, status: int = 400) -> web.Response:
        return web.json_response({"code": code, "reason": reason}, status=status)

    async def http_pay(self, request: web.Request) -> web.Response:
        try:
            channel = self._channel(request)
            try:
                data = await request.json()
            except web.HTTPRequestEntityTooLarge:
                return self._error("oversized", f"a payment is at most {MAX_BODY} bytes", 413)
            except (ValueError, UnicodeDecodeError):
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

    async def http_channel(self, request: web.Request) -> web.Response:
        try:
            channel = self._channel(request)
        except BadRequest as exc:
            return self._error(exc.code, exc.reason)
        state = self.engine.channels.get(channel)
        if state is None:
            return self._error("unknown_channel", f"no channel {channel} to this hub", 404)
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

    async def http_close(self, request: web.Request) -> web.Response:
        try:
            channel = self._channel(request)
        except BadRequest as exc:
            return self._error(exc.code, exc.reason)
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
        return web.json_response({"channels": len(self.engine.channels)})

    async def ws(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(max_msg_size=MAX_BODY)
        await socket.prepare(request)
        pending: asyncio.Queue[asyncio.Future[tuple[int, dict[str, Any]]] | None] = asyncio.Queue()

        async def answer() -> None:  # replies in order, as each payment is decided
            while (future := await pending.get()) is not None:
                status, body = await future
                await socket.send_str(json.dumps({"status": status, **body}))

        writer = asyncio.create_task(answer())
        loop = asyncio.get_running_loop()
        async for message in socket:
            future: asyncio.Future[tuple[int, dict[str, Any]]] = loop.create_future()
            if message.type != WSMsgType.TEXT:
                future.set_result((400, {"code": "malformed", "reason": "send JSON text"}))
            else:
                try:
                    data = json.loads(message.data)
                    channel = int(data.get("channel", 0)) if isinstance(data, dict) else 0
                    payment = parse_payment(channel, data)
                except BadRequest as exc:
                    future.set_result((400, {"code": exc.code, "reason": exc.reason}))
                except (ValueError, TypeError):
                    future.set_result((400, {"code": "malformed", "reason": "not a payment"}))
                else:
                    decided = asyncio.ensure_future(self.pay(payment))
                    decided.add_done_callback(functools.partial(_settle_answer, future))
            await pending.put(future)
        await pending.put(None)
        await writer
        return socket


def _settle_answer(
    answer: asyncio.Future[tuple[int, dict[str, Any]]], done: asyncio.Future[Outcome]
) -> None:
    if done.exception() is not None:
        answer.set_result((503, {"code": "unavailable", "reason": f"{done.exception()}"}))
    else:
        answer.set_result(outcome_json(done.result()))
