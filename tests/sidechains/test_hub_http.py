"""The hub over real HTTP and WebSocket on loopback (aiohttp's test server): receipts
only for durable payments, one clear 4xx per kind of bad input and nothing changed,
a stream of payments on one WebSocket answered in order, and the close consent (to the
payer, whose signature every request but a payment carries: `signed`)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bpsa.core import channels as ch
from bpsa.sidechains import state as st
from bpsa.sidechains.auth import authorization_header
from bpsa.sidechains.engine import Engine, Receipt
from bpsa.sidechains.hub import HUB_APP, MAX_BODY, Hub
from bpsa.sidechains.verifier import VerifierPool
from tests.sidechains.helpers import (
    DOM,
    HUB,
    HUB_KEY,
    PAYER,
    PAYER_KEY,
    PRICE,
    opened_channel,
    payment,
)

PAY = "/channels/1/payments"


def signed(action: str, channel: int = 1, body: bytes = b"") -> dict[str, str]:
    """The payer's authorisation of `action` on `channel` (a request with `body`)."""
    return {"Authorization": authorization_header(DOM, PAYER_KEY, channel, action, body)}


def body(change: st.ReceivePayment) -> dict[str, Any]:
    return {
        "nonce": change.nonce,
        "amount": str(change.amount),
        "signature": "0x" + change.signature.hex(),
    }


@pytest.fixture(params=[0, 1], ids=["engine-thread", "verifier-pool"])
def workers(request: pytest.FixtureRequest) -> int:
    """Every behaviour holds with the signature work on the engine's thread and with
    it in a verifier process."""
    return int(request.param)


def with_hub(
    tmp_path: Path, scenario: Callable[[Any, Engine], Awaitable[None]], workers: int = 0
) -> None:
    engine = Engine.open(tmp_path / "hub.sqlite", DOM, HUB_KEY)
    engine.submit_chain([st.ContractReceiveChannelOpened(1, PAYER, opened_channel())])

    async def run() -> None:
        pool = VerifierPool(workers, engine.separator, HUB_KEY) if workers else None
        client = TestClient(TestServer(Hub(engine, pool=pool).app()))
        await client.start_server()
        try:
            await scenario(client, engine)
        finally:
            await client.close()

    asyncio.run(run())


def test_pay__valid__receipt_signed_by_the_hub_and_durable(tmp_path, workers):
    async def scenario(client: Any, engine: Engine) -> None:
        reply = await client.post(PAY, json=body(payment(1)))
        data = await reply.json()
        assert reply.status == 200
        r = data["receipt"]
        receipt = Receipt.from_json(r)
        assert receipt.signer(DOM) == HUB and receipt.payer == PAYER
        state = await (await client.get("/channels/1", headers=signed("channel"))).json()
        assert (state["paid"], state["nonce"], state["status"]) == (str(PRICE), 1, "open")

    with_hub(tmp_path, scenario, workers)
    assert Engine.open(tmp_path / "hub.sqlite", DOM, HUB_KEY).channels[1].nonce == 1


@pytest.mark.parametrize(
    ("path", "payload", "status", "code"),
    [
        (PAY, body(payment(1)), 409, "replayed"),
        (PAY, body(payment(2)) | {"amount": str(PRICE)}, 409, "stale"),
        (PAY, body(payment(10**7)), 402, "over_deposit"),
        ("/channels/2/payments", body(payment(2, channel=2)), 404, "unknown_channel"),
        (PAY, body(payment(2)) | {"channel": 2}, 400, "wrong_channel"),
        (PAY, body(payment(2, channel=2)), 400, "bad_signature"),
        (PAY, {"nonce": 2, "amount": "x", "signature": "0x"}, 400, "malformed"),
        (PAY, {"nonce": "2", "amount": "1", "signature": "0x" + "00" * 65}, 400, "malformed"),
        (PAY, {"nonce": 2, "amount": "1"}, 400, "malformed"),
        (PAY, [1, 2], 400, "malformed"),
        (PAY, body(payment(2)) | {"amount": 2 * PRICE + 0.5}, 400, "malformed"),
        ("/channels/x/payments", body(payment(2)), 400, "malformed"),
    ],
    ids=["replayed", "stale", "over-deposit", "unknown", "wrong-channel", "other-channel-sig",
         "bad-amount", "nonce-string", "missing", "not-object", "float-amount", "bad-path"],
)  # fmt: skip
def test_pay__bad_input__own_code_and_nothing_changes(
    tmp_path, workers, path, payload, status, code
):
    async def scenario(client: Any, engine: Engine) -> None:
        assert (await client.post(PAY, json=body(payment(1)))).status == 200
        logged = engine.wal.count()
        reply = await client.post(path, json=payload)
        assert reply.status == status
        assert (await reply.json())["code"] == code
        assert engine.wal.count() == logged
        assert engine.channels[1].nonce == 1

    with_hub(tmp_path, scenario, workers)


def test_pay__oversized_or_not_json__refused(tmp_path, workers):
    async def scenario(client: Any, engine: Engine) -> None:
        reply = await client.post(PAY, data=b"{" + b" " * MAX_BODY + b"}")
        assert reply.status == 413
        reply = await client.post(PAY, data=b"not json")
        assert (reply.status, (await reply.json())["code"]) == (400, "malformed")

    with_hub(tmp_path, scenario, workers)


def test_ws__stream_of_payments__answered_in_order_with_receipts(tmp_path, workers):
    async def scenario(client: Any, engine: Engine) -> None:
        socket = await client.ws_connect("/ws")
        for n in range(1, 301):
            await socket.send_str(json.dumps(body(payment(n)) | {"channel": 1}))
        await socket.send_str(json.dumps(body(payment(5)) | {"channel": 1}))  # a replay
        await socket.send_str("not json")
        answers = [json.loads((await socket.receive()).data) for _ in range(302)]
        await socket.close()
        assert [a["receipt"]["nonce"] for a in answers[:300]] == list(range(1, 301))
        assert answers[300]["code"] == "stale" and answers[301]["code"] == "malformed"
        assert engine.channels[1].paid == 300 * PRICE

    with_hub(tmp_path, scenario, workers)


def test_close__consent_for_the_best_proof__verifies_as_the_hubs(tmp_path, workers):
    async def scenario(client: Any, engine: Engine) -> None:
        for n in (1, 2, 3):
            await client.post(PAY, json=body(payment(n)))
        data = await (await client.post("/channels/1/close", headers=signed("close"))).json()
        proof = ch.BalanceProof(1, data["nonce"], int(data["amount"]))
        assert proof.amount == 3 * PRICE
        hub_signature = bytes.fromhex(data["hub_signature"][2:])
        assert ch.signer(proof, DOM, hub_signature, "CloseConsent") == HUB
        assert ch.signer(proof, DOM, bytes.fromhex(data["payer_signature"][2:])) == PAYER
        assert (await client.post("/channels/9/close", headers=signed("close", 9))).status == 404
        # After its consent the hub takes no more payments on the channel.
        refused = await client.post(PAY, json=body(payment(4)))
        assert (refused.status, (await refused.json())["code"]) == (409, "not_open")

    with_hub(tmp_path, scenario, workers)


def test_ws__bad_signature_mid_stream__refused_alone_in_order(tmp_path, workers):
    forged = payment(3, channel=2)  # the payer's signature, for another channel
    stream = [payment(1), payment(2), st.ReceivePayment(1, 3, forged.amount, forged.signature)]
    stream += [payment(4)]

    async def scenario(client: Any, engine: Engine) -> None:
        socket = await client.ws_connect("/ws")
        for change in stream:
            await socket.send_str(json.dumps(body(change) | {"channel": 1}))
        await socket.send_str(json.dumps(body(payment(5)) | {"channel": 1.0}))
        answers = [json.loads((await socket.receive()).data) for _ in range(5)]
        await socket.close()
        assert [a.get("code") or a["receipt"]["nonce"] for a in answers] == [
            1, 2, "bad_signature", 4, "malformed"
        ]  # fmt: skip
        assert [a["status"] for a in answers] == [200, 200, 400, 200, 400]
        assert engine.channels[1].nonce == 4

    with_hub(tmp_path, scenario, workers)


def test_ws__payments_in_one_message__one_array_of_answers_in_order(tmp_path, workers):
    forged = payment(3, channel=2)  # the payer's signature, for another channel
    batch = [
        body(payment(1)),
        body(payment(2)),
        body(st.ReceivePayment(1, 3, forged.amount, forged.signature)),
    ]
    batch += [body(payment(4)), "not a payment", body(payment(2))]  # the last one: a replay

    async def scenario(client: Any, engine: Engine) -> None:
        socket = await client.ws_connect("/ws")
        await socket.send_str(
            json.dumps([b | {"channel": 1} if isinstance(b, dict) else b for b in batch])
        )
        await socket.send_str(json.dumps(body(payment(5)) | {"channel": 1}))  # then one alone
        await socket.send_str("[]")
        await socket.send_str(json.dumps([body(payment(n)) | {"channel": 1} for n in range(6, 71)]))
        grouped, alone, empty, too_many = [
            json.loads((await socket.receive()).data) for _ in range(4)
        ]
        await socket.close()

        assert [a.get("code") or a["receipt"]["nonce"] for a in grouped] == [
            1, 2, "bad_signature", 4, "malformed", "stale"
        ]  # fmt: skip
        assert [a["status"] for a in grouped] == [200, 200, 400, 200, 400, 409]
        assert all(
            Receipt.from_json(a["receipt"]).signer(DOM) == HUB for a in grouped if "receipt" in a
        )
        assert alone["receipt"]["nonce"] == 5
        assert (empty["status"], empty["code"]) == (400, "malformed")
        assert (too_many["status"], too_many["code"]) == (400, "malformed") and "64" in too_many[
            "reason"
        ]
        assert engine.channels[1].nonce == 5  # nothing of the refused message was taken

    with_hub(tmp_path, scenario, workers)


def test_pay__log_write_fails__unavailable_and_nothing_acknowledged(tmp_path, workers, monkeypatch):
    async def scenario(client: Any, engine: Engine) -> None:
        assert (await client.post(PAY, json=body(payment(1)))).status == 200

        def broken(changes: list[Any]) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(engine.wal, "append_many", broken)
        reply = await client.post(PAY, json=body(payment(2)))
        socket = await client.ws_connect("/ws")
        await socket.send_str(json.dumps(body(payment(2)) | {"channel": 1}))
        answer = json.loads((await socket.receive()).data)
        await socket.close()

        assert (reply.status, (await reply.json())["code"]) == (503, "unavailable")
        assert (answer["status"], answer["code"]) == (503, "unavailable")
        assert "receipt" not in answer
        assert engine.channels[1].nonce == 1

    with_hub(tmp_path, scenario, workers)


def test_ws__verifier_killed_mid_stream__every_payment_receipted_in_order(tmp_path):
    async def scenario(client: Any, engine: Engine) -> None:
        pool = client.server.app[HUB_APP].pool
        socket = await client.ws_connect("/ws")
        for n in range(1, 801):
            await socket.send_str(json.dumps(body(payment(n)) | {"channel": 1}))
            if n == 200:
                os.kill(pool.workers[0].process.pid, signal.SIGKILL)
        answers = [json.loads((await socket.receive()).data) for _ in range(800)]
        await socket.close()

        assert [a["receipt"]["nonce"] for a in answers] == list(range(1, 801))
        receipts = [Receipt.from_json(a["receipt"]) for a in answers]
        assert [(r.nonce, r.amount) for r in receipts] == [(n, n * PRICE) for n in range(1, 801)]
        assert all(r.signer(DOM) == HUB for r in receipts)
        assert engine.channels[1].paid == 800 * PRICE
        assert pool.fallbacks >= 1 or pool.respawned >= 1

    with_hub(tmp_path, scenario, workers=1)
    assert Engine.open(tmp_path / "hub.sqlite", DOM, HUB_KEY).channels[1].nonce == 800
