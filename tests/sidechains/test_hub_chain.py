"""The hub against a real chain (anvil): a payer opens a channel, pays for 300 queries
through the hub's HTTP API (each receipt redeemed once at the pay-per-query gate),
closes cooperatively and gets the rest back; a cheating payer closes with a stale proof
and the hub's watcher disputes it in the window and is paid in full."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bpsa.core import channels as ch
from bpsa.core import manifest as manifests
from bpsa.core.accounts import dev_account
from bpsa.core.chain import Gateway
from bpsa.core.errors import BpsaError
from bpsa.sidechains.client import ChannelClient, PaymentRefused
from bpsa.sidechains.paygate import PaymentGate, PaymentRequired
from tests.sidechains.conftest import CHEAT, DEPOSIT, HUB, PAYER

ROOT = Path(__file__).resolve().parents[2]
PRICE = 10**15


@pytest.fixture
def hub_url(chain, hub_world, tmp_path):
    manifest = manifests.save(hub_world["manifest"], tmp_path)
    env = {**os.environ, "BPSA_HUB_KEY": dev_account(HUB).key.hex()}
    command = [
        sys.executable, "-m", "bpsa.sidechains.serve", "--wal", str(tmp_path / "hub.sqlite"),
        "--chain-id", str(chain.chain_id), "--channels", str(hub_world["Channels"].address),
        "--port", "0", "--rpc", chain.provider.uri, "--manifest", str(manifest), "--poll", "0.1",
    ]  # fmt: skip
    hub = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert hub.stdout is not None
        line = hub.stdout.readline()
        assert line.startswith("listening on "), line
        yield line.split()[-1]
    finally:
        hub.terminate()
        hub.wait(timeout=30)


def client_for(chain, hub_world, hub_url, who, tmp_path) -> ChannelClient:
    web = Gateway(chain.provider.uri, hub_world["manifest"])
    return ChannelClient(web, dev_account(who), hub_url, tmp_path / f"payer{who}.sqlite")


def wait_until(condition, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_open__node_mines_on_an_interval__the_open_waits_for_its_approve(
    chain, hub_world, tmp_path
):
    """On a node that has not mined the approve when the open is estimated (a busy CI
    node, or any chain with a block time), the open is estimated again once it has."""
    payer = ChannelClient(
        Gateway(chain.provider.uri, hub_world["manifest"]),
        dev_account(PAYER),
        "http://127.0.0.1:9",  # not contacted: opening is on-chain only
        tmp_path / "payer.sqlite",
    )
    provider = chain.provider
    provider.make_request("evm_setAutomine", [False])
    provider.make_request("evm_setIntervalMining", [1])
    try:
        channel = payer.open(DEPOSIT)
    finally:
        provider.make_request("evm_setIntervalMining", [0])
        provider.make_request("evm_setAutomine", [True])

    assert hub_world["Channels"].channel(channel)[1] == DEPOSIT


def test_hub__open_pay_300_queries_close_cooperatively__settled_to_the_wei(
    chain, hub_world, hub_url, tmp_path
):
    payer = client_for(chain, hub_world, hub_url, PAYER, tmp_path)
    channel = payer.open(DEPOSIT)
    wait_until(lambda: payer.hub_knows(channel))
    gate = PaymentGate(tmp_path / "gate.sqlite", payer.domain, payer.hub, hub_url)
    served = 0
    for n in range(300):
        paid = payer.pay(channel, PRICE)
        query = ch.canonical_request("/search", {"q": f"query {n}"})
        served += (
            gate.redeem(paid.receipt, PRICE, query, payer.authorize_query(paid.receipt, query))
            >= PRICE
        )
    with pytest.raises(PaymentRequired, match="already redeemed"):
        gate.redeem(paid.receipt, PRICE, query, payer.authorize_query(paid.receipt, query))
    bpc, channels = hub_world["BPC"], hub_world["Channels"]
    before = bpc.balanceOf(dev_account(PAYER).address)

    payer.close_cooperatively(channel)

    assert served == 300
    assert channels.hub_earnings() == 300 * PRICE
    assert bpc.balanceOf(dev_account(PAYER).address) - before == DEPOSIT - 300 * PRICE


def test_hub__cheating_payer_closes_with_a_stale_proof__the_hub_disputes_and_wins(
    chain, hub_world, hub_url, tmp_path
):
    cheat = client_for(chain, hub_world, hub_url, CHEAT, tmp_path)
    channel = cheat.open(DEPOSIT)
    wait_until(lambda: cheat.hub_knows(channel))
    for _ in range(10):
        cheat.pay(channel, PRICE)
    stale = cheat.proof(channel, 3)
    channels = hub_world["Channels"]
    fn = cheat.channels.functions.close(channel, stale[0], stale[1], ch.as_arg(stale[2]))
    cheat.chain.send(cheat.account, fn)  # claims 3 queries' worth; the hub holds 10
    wait_until(lambda: channels.channel(channel)[3] == 10 * PRICE)  # the hub's update
    chain.pending_timestamp += int(channels.challenge_window())
    chain.mine()
    wait_until(lambda: channels.channel(channel)[0] == "0x" + "00" * 20)  # settled by the hub

    assert channels.hub_earnings() == 10 * PRICE


def test_stream__500_payments_on_one_websocket__receipts_recorded_and_settled_to_the_wei(
    chain, hub_world, hub_url, tmp_path
):
    payer = client_for(chain, hub_world, hub_url, PAYER, tmp_path)
    channel = payer.open(DEPOSIT)
    wait_until(lambda: payer.hub_knows(channel))
    bpc, channels = hub_world["BPC"], hub_world["Channels"]
    earned = channels.hub_earnings()

    paid = payer.stream(channel, [PRICE] * 500, in_flight=100)  # messages of 64, then 36

    assert [p.nonce for p in paid] == list(range(1, 501))
    assert [p.amount for p in paid] == [PRICE * n for n in range(1, 501)]
    kept = [payer.receipt(channel, n) for n in (1, 64, 65, 500)]  # from the durable record
    assert [r.signer(payer.domain) if r else None for r in kept] == [payer.hub] * 4
    with payer._transaction() as db:  # a record from before receipts were signed per batch
        db.execute("UPDATE proofs SET receipt=? WHERE channel=? AND nonce=2", ("ab" * 65, channel))
    with pytest.raises(BpsaError, match="older form"):
        payer.receipt(channel, 2)
    latest = payer.latest(channel)
    assert latest is not None and latest[:2] == (500, 500 * PRICE)
    before = bpc.balanceOf(dev_account(PAYER).address)
    payer.close_cooperatively(channel)
    assert channels.hub_earnings() - earned == 500 * PRICE
    assert bpc.balanceOf(dev_account(PAYER).address) - before == DEPOSIT - 500 * PRICE


def test_stream__past_the_deposit__refused_at_the_first_unfunded_payment_receipts_kept(
    chain, hub_world, hub_url, tmp_path
):
    payer = client_for(chain, hub_world, hub_url, PAYER, tmp_path)
    channel = payer.open(5 * PRICE)
    wait_until(lambda: payer.hub_knows(channel))

    with pytest.raises(PaymentRefused, match="over_deposit"):
        payer.stream(channel, [PRICE] * 8, in_flight=8)

    latest = payer.latest(channel)
    assert latest is not None and latest[:2] == (5, 5 * PRICE)
    unacknowledged = payer.latest(channel, acknowledged=False)
    assert unacknowledged is not None and unacknowledged[0] == 8  # recorded before sending


def test_pay__hub_holds_a_proof_whose_receipt_was_lost__resent_then_paid_on_top(
    chain, hub_world, hub_url, tmp_path
):
    payer = client_for(chain, hub_world, hub_url, PAYER, tmp_path)
    channel = payer.open(DEPOSIT)
    wait_until(lambda: payer.hub_knows(channel))
    payer.pay(channel, PRICE)
    proof = ch.BalanceProof(channel, 2, 2 * PRICE)
    signature = ch.sign(proof, payer.domain, bytes(payer.account.key))
    payer._record_sent(channel, [(2, 2 * PRICE, signature)])  # recorded, then sent ...
    body = {"nonce": 2, "amount": str(2 * PRICE), "signature": "0x" + signature.hex()}
    payer._post(f"/channels/{channel}/payments", body)  # ... and its answer lost

    paid = payer.pay(channel, PRICE)

    assert (paid.nonce, paid.amount) == (3, 3 * PRICE)
    assert payer.pending(channel) is None
    assert [p[:2] for p in [payer.proof(channel, n) for n in (1, 2, 3)]] == [
        (1, PRICE),
        (2, 2 * PRICE),
        (3, 3 * PRICE),
    ]


def test_receipt__channel_without_payments__no_payment_refused(chain, hub_world, hub_url, tmp_path):
    payer = client_for(chain, hub_world, hub_url, PAYER, tmp_path)
    channel = payer.open(DEPOSIT)
    wait_until(lambda: payer.hub_knows(channel))

    with pytest.raises(PaymentRefused, match="no_payment"):
        payer._get(channel, "receipt")
    with pytest.raises(PaymentRefused, match="unknown_channel"):
        payer._get(999999, "receipt")
