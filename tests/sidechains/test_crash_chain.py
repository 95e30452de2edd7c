"""Crash safety on chain: the hub process (`python -m bpsa.sidechains.serve`, watching a
real anvil) takes a stream of thousands of payments over its WebSocket, is SIGKILLed at
random points of the stream several times and restarted on the same log, and the channel
then settles on chain to exactly what the hub acknowledged: not a wei more (the payer
owes nothing it holds no receipt for), not a wei less (no acknowledged payment lost).
Runs on both backends of the hub's log (`wal_target`: SQLite, then PostgreSQL).

The payer here is the protocol a correct client follows after losing the hub: it resends
the proofs the hub never answered, unchanged (the same nonce, amount and signature). The
hub answers `replayed` or `stale` for those it had logged before it died (durable, never
acknowledged: the payer's next proof supersedes them), and takes the rest.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest

from bpsa.core import channels as ch
from bpsa.core import manifest as manifests
from bpsa.sdk.deploy import manifest_for
from bpsa.sidechains import state as st
from bpsa.sidechains.auth import authorization_header
from bpsa.sidechains.engine import Receipt
from bpsa.sidechains.wal import open_wal
from tests.sidechains.helpers import HubProcess

PAYMENTS = 3_000
PRICE = 10**14  # 0.0001 BPC: 3,000 payments stay below the watcher's sweep threshold
DEPOSIT = 10**18
KILLS = 5
IN_FLIGHT = 64  # payments sent and not yet answered


@dataclass
class Stream:
    """What the payer knows: the proofs it signed and the receipts it holds."""

    proofs: list[ch.BalanceProof]
    signatures: list[bytes]
    hub: str  # the address receipts must be signed by
    receipts: dict[int, Receipt] = field(default_factory=dict)  # by nonce
    superseded: set[int] = field(default_factory=set)  # logged by the hub before it died
    answered: int = 0  # the highest nonce answered

    @property
    def acknowledged(self) -> int:
        """The cumulative amount of the latest receipt: what the payer owes the hub."""
        return max((r.amount for r in self.receipts.values()), default=0)


class HubServer(HubProcess):
    """The hub as its own process on one log, restartable, asked for its channels."""

    def get(self, channel: int, domain: Any, key: Any) -> dict[str, Any] | None:
        """The channel as the hub holds it, asked by its payer (`key`); None if unknown."""
        auth = authorization_header(domain, key, channel, "channel", b"")
        request = urllib.request.Request(
            f"{self.url}/channels/{channel}", headers={"Authorization": auth}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                data: dict[str, Any] = json.loads(reply.read())
                return data
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def close(self, channel: int, domain: Any, key: Any) -> dict[str, Any]:
        """The hub's close consent, asked by the payer (`key`)."""
        auth = authorization_header(domain, key, channel, "close", b"{}")
        request = urllib.request.Request(
            f"{self.url}/channels/{channel}/close",
            data=b"{}",
            headers={"Authorization": auth},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            data: dict[str, Any] = json.loads(reply.read())
            return data


def wait_until(condition: Any, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


async def pay(hub: HubServer, stream: Stream, domain: Any, kill_after: int | None) -> None:
    """Stream the payer's proofs from the first unanswered one, `IN_FLIGHT` at a time.
    With `kill_after`, SIGKILL the hub once that many more have been answered (payments
    are then in flight: sent, some of them logged, none of them answered)."""
    first = stream.answered + 1
    window = asyncio.Semaphore(IN_FLIGHT)
    answers = 0
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(
            hub.url.replace("http://", "ws://") + "/ws",
            timeout=aiohttp.ClientWSTimeout(ws_close=2),
        ) as ws,
    ):

        async def send() -> None:
            for nonce in range(first, PAYMENTS + 1):
                await window.acquire()
                proof, signature = stream.proofs[nonce - 1], stream.signatures[nonce - 1]
                body = {"channel": proof.channel, "nonce": nonce, "amount": str(proof.amount)}
                await ws.send_str(json.dumps(body | {"signature": "0x" + signature.hex()}))

        sender = asyncio.create_task(send())
        try:
            for nonce in range(first, PAYMENTS + 1):
                message = await asyncio.wait_for(ws.receive(), timeout=30)
                if message.type != aiohttp.WSMsgType.TEXT:
                    assert kill_after is not None, f"the hub closed the stream: {message}"
                    return  # killed: whatever was in flight stays unanswered
                window.release()
                data = json.loads(message.data)
                if "receipt" in data:
                    r = data["receipt"]
                    receipt = Receipt.from_json(r)
                    proof = stream.proofs[nonce - 1]
                    assert (receipt.nonce, receipt.amount) == (nonce, proof.amount)
                    assert receipt.signer(domain) == stream.hub
                    stream.receipts[nonce] = receipt
                else:
                    assert data["code"] in ("replayed", "stale"), data  # logged before a kill
                    stream.superseded.add(nonce)
                stream.answered = nonce
                answers += 1
                if kill_after is not None and answers == kill_after:
                    hub.kill()  # IN_FLIGHT payments are on their way or being logged
                    return
        finally:
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)


@pytest.mark.slow
def test_hub__sigkilled_at_random_points_of_a_payment_stream__settles_to_the_acknowledged_wei(
    chain, pool_alliance, pool_contracts, channels, bpc, hub, deployer, payer, channel_driver,
    channel_domain, wal_target, tmp_path,
):  # fmt: skip
    contracts = {"Alliance": pool_alliance, **pool_contracts, "Channels": channels}
    manifest = manifests.save(manifest_for(chain, contracts, deployer.address), tmp_path)
    command = [
        sys.executable, "-m", "bpsa.sidechains.serve", "--wal", wal_target,
        "--chain-id", str(chain.chain_id), "--channels", str(channels.address),
        "--port", "0", "--rpc", chain.provider.uri, "--manifest", str(manifest), "--poll", "0.1",
    ]  # fmt: skip
    env = {**os.environ, "BPSA_HUB_KEY": hub.private_key}
    node = HubServer(command, env, tmp_path / "hub.log")
    channel = channel_driver.open(payer, DEPOSIT)
    proofs = [ch.BalanceProof(channel, n, n * PRICE) for n in range(1, PAYMENTS + 1)]
    key = payer.private_key
    stream = Stream(proofs, [ch.sign(p, channel_domain, key) for p in proofs], hub.address)
    rng = random.Random(20261125)
    balance, earned = bpc.balanceOf(payer), channels.hub_earnings()
    try:
        node.start()
        held = functools.partial(node.get, channel, channel_domain, key)
        wait_until(lambda: held() is not None)  # the watcher saw it

        for _ in range(KILLS):
            asyncio.run(pay(node, stream, channel_domain, kill_after=rng.randint(100, 400)))
            node.start()  # on the same log: every acknowledged payment must be there
            state = held()
            assert state is not None and int(state["paid"]) >= stream.acknowledged
        asyncio.run(pay(node, stream, channel_domain, kill_after=None))

        assert stream.answered == PAYMENTS and PAYMENTS in stream.receipts
        consent = node.close(channel, channel_domain, key)
        assert (consent["nonce"], int(consent["amount"])) == (PAYMENTS, stream.acknowledged)
        payer_sig = ch.as_arg(bytes.fromhex(consent["payer_signature"][2:]))
        hub_sig = ch.as_arg(bytes.fromhex(consent["hub_signature"][2:]))
        closed = channels.cooperative_close(
            channel, PAYMENTS, stream.acknowledged, payer_sig, hub_sig, sender=payer
        )
        wait_until(lambda: (held() or {}).get("status") == "settled")
    finally:
        node.stop()

    settled = closed.decode_logs(channels.ChannelSettled)[0]
    assert (settled.to_hub, settled.to_payer) == (
        stream.acknowledged,
        DEPOSIT - stream.acknowledged,
    )
    assert stream.acknowledged == PAYMENTS * PRICE
    assert channels.hub_earnings() - earned == stream.acknowledged
    assert bpc.balanceOf(payer) - balance == DEPOSIT - stream.acknowledged
    assert len(stream.receipts) + len(stream.superseded) == PAYMENTS
    assert stream.superseded, "no kill caught a payment logged and not yet acknowledged"
    log = open_wal(wal_target)
    logged = {
        c.nonce: (c.amount, c.signature)
        for c in log.replay()
        if isinstance(c, st.ReceivePayment) and c.channel == channel
    }
    log.close()
    missing = [n for n in stream.receipts if logged.get(n) != (n * PRICE, stream.signatures[n - 1])]
    assert missing == [], f"acknowledged and not in the log: {missing[:10]}"
