"""The channel hub's durable payments per second and acceptance latency on loopback.

The hub runs as its own process (`python -m bpsa.sidechains.serve`, log in SQLite with
`synchronous=FULL`: every acknowledged batch on disk); the load generator runs in this
process. Throughput: 16 payers, one WebSocket each, stream 4,000 pre-signed balance
proofs each (signing is the payers' cost, not the hub's; a round of 64,000 lasts a few
seconds, so the pipeline's filling and draining are a small part of it) with up to 256
in flight per connection (4,096 in all: with 64 a connection the hub's cores were not
kept busy, and a throughput figure is the hub's capacity, not the load generator's
window), 16 payments a message (a JSON array, answered by one array: what a streaming
payer, `ChannelClient.stream`, sends) for `rate.hub.payments_per_s`, and one payment a
message for `rate.hub.payments_per_s_one_per_message`; each the median of five rounds, each
round against a fresh hub.
Latency: then one more payer sends 1,000 payments one at a time (the next after the
last receipt) and each is timed from send to receipt: the acceptance latency of a
payment the hub commits alone (its own fsync), not a queue's wait under saturation.
The hub verifies each proof's signature, applies it, commits the batch and signs its
receipts (one signature over the batch's Merkle root, a proof and salt per receipt:
`messages.sign_receipts`). It runs as on a production machine, with `--workers` set
to the machine's core count: its secp256k1 work (recovering each proof's signer,
signing each durable batch's root) goes to that many verifier processes
(`bpsa.sidechains.verifier`), pipelined with the engine, which still decides every
payment in order on its one thread; the processes share the machine's cores with the
load generator. `rate.hub.processes` records how many processes the hub ran (its
own plus the verifiers). Channels are seeded as opened (the chain watcher is not in this
measurement). The log lives in the system's temporary directory (ext4 on these
machines, so every commit is a real fsync).

Reference, measured in the same run: the raw secp256k1 public-key recovery rate
through coincurve (`eip712.recover_digest`, the one cryptographic step the hub cannot
skip) of all the machine's cores: one process per core, each recovering for the same
1.5 s, at the same time, their rates summed (`rate.hub.recover_all_cores_per_s`). The
ratio is the share of the whole machine's recovery rate the whole durable hub keeps
(load generator included, on the same cores). The one-core rate, measured alone just
before, is kept beside it (`rate.hub.recover_one_core_per_s`; the all-cores figure's
ratio to it says how far the machine's cores were really free during the run).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from eth_account import Account
from eth_utils.crypto import keccak

from bench.common import Result
from bpsa.core import channels as ch
from bpsa.core import eip712

PAYERS = 16
WORKERS = int(os.environ.get("BPSA_BENCH_HUB_WORKERS", os.cpu_count() or 1))
PER_PAYER = 4_000  # 64,000 payments a round: a few seconds of steady state, not mostly ramp
IN_FLIGHT = 256  # per payer: enough offered load to keep the hub's cores busy
ROUNDS = 5
PER_MESSAGE = 16  # payments a WebSocket message carries (a JSON array), as a streaming payer sends
CHANNELS_ADDRESS = "0x" + "cd" * 20
CHAIN_ID = 31337
ROOT = Path(__file__).resolve().parents[1]


def raw_recover_rate(seconds: float = 1.5) -> float:
    key = keccak(text="bench raw recover")
    dom = ch.domain(CHAIN_ID, CHANNELS_ADDRESS)
    proof = ch.BalanceProof(1, 1, 1)
    digest, signature = proof.digest(dom), ch.sign(proof, dom, key)
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(200):
            eip712.recover_digest(digest, signature)
        count += 200
    return count / (time.perf_counter() - start)


def all_cores_recover_rate(processes: int = os.cpu_count() or 1, seconds: float = 1.5) -> float:
    """`raw_recover_rate` in `processes` processes at once (`python -m bench.rate_hub
    recover SECONDS`, each started and warmed up before the common start), summed."""
    start_at = time.time() + 1.0  # every process imported and ready before it counts
    command = [sys.executable, "-m", "bench.rate_hub", "recover", str(seconds), str(start_at)]
    workers = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    rates = []
    for worker in workers:
        out, _ = worker.communicate(timeout=60)
        if worker.returncode != 0:
            raise RuntimeError(f"bench: a recovery process failed: {out!r}")
        rates.append(float(out.strip()))
    return sum(rates)


def _payments(key: bytes, channel: int) -> list[str]:
    dom = ch.domain(CHAIN_ID, CHANNELS_ADDRESS)
    out = []
    for nonce in range(1, PER_PAYER + 1):
        proof = ch.BalanceProof(channel, nonce, nonce * 10**15)
        body = {
            "channel": channel,
            "nonce": nonce,
            "amount": str(proof.amount),
            "signature": "0x" + ch.sign(proof, dom, key).hex(),
        }
        out.append(json.dumps(body))
    return out


async def _payer(url: str, payments: list[str], per_message: int) -> int:
    """Send `payments` (JSON texts) over one WebSocket, `per_message` a message (as a
    JSON array when more than one), IN_FLIGHT payments unanswered at most; how many got
    a receipt."""
    if per_message == 1:
        messages = payments
    else:
        messages = [
            "[" + ",".join(payments[i : i + per_message]) + "]"
            for i in range(0, len(payments), per_message)
        ]
    accepted = 0
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket:
        window = asyncio.Semaphore(max(1, IN_FLIGHT // per_message))

        async def send() -> None:
            for message in messages:
                await window.acquire()
                await socket.send_str(message)

        sender = asyncio.create_task(send())
        for _ in messages:
            reply = json.loads((await socket.receive()).data)
            window.release()
            replies = reply if isinstance(reply, list) else [reply]
            accepted += sum("receipt" in r for r in replies)
        await sender
    return accepted


async def _load(
    base: str, streams: list[list[str]], probe: list[str], per_message: int
) -> tuple[float, int, list[float]]:
    start = time.perf_counter()
    counts = await asyncio.gather(*(_payer(base + "/ws", s, per_message) for s in streams))
    elapsed = time.perf_counter() - start
    latencies: list[float] = []
    async with aiohttp.ClientSession() as session, session.ws_connect(base + "/ws") as socket:
        for message in probe:
            sent = time.perf_counter()
            await socket.send_str(message)
            reply = json.loads((await socket.receive()).data)
            latencies.append(time.perf_counter() - sent)
            if "receipt" not in reply:
                raise RuntimeError(f"bench: the probe payment was refused: {reply}")
    return elapsed, sum(counts), latencies


KEYS = [keccak(text=f"bench payer {i}") for i in range(PAYERS + 1)]
SEEDS = [f"{i + 1}:{Account.from_key(k).address}:{10**30}" for i, k in enumerate(KEYS)]


def _streams() -> tuple[list[list[str]], list[str]]:
    """Every payer's pre-signed payments, and the latency probe's (valid again against
    each fresh hub)."""
    streams = [_payments(k, i + 1) for i, k in enumerate(KEYS)]
    return streams[:-1], streams[-1][:1_000]


def _measure(
    per_message: int, streams: list[list[str]], probe: list[str]
) -> tuple[float, int, list[float]]:
    """A fresh hub (its own log), loaded by the payers sending `per_message` payments a
    message; (seconds, payments receipted, the probe's latencies)."""
    work = Path(tempfile.mkdtemp(prefix="bpsa-bench-hub-"))
    env = {**os.environ, "BPSA_HUB_KEY": keccak(text="bench hub").hex()}
    command = [sys.executable, "-m", "bpsa.sidechains.serve", "--wal", str(work / "hub.sqlite")]
    command += ["--chain-id", str(CHAIN_ID), "--channels", CHANNELS_ADDRESS, "--port", "0"]
    command += ["--workers", str(WORKERS)]
    for seed in SEEDS:
        command += ["--seed-channel", seed]
    hub = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert hub.stdout is not None
        line = hub.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError(f"bench: the hub did not start: {line!r}")
        base = line.split()[-1].replace("http://", "ws://")
        elapsed, accepted, latencies = asyncio.run(_load(base, streams, probe, per_message))
    finally:
        hub.terminate()
        hub.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)  # its log: 17 MB a round
    if accepted != PAYERS * PER_PAYER:
        raise RuntimeError(f"bench: only {accepted} of {PAYERS * PER_PAYER} payments accepted")
    return elapsed, accepted, latencies


def run() -> dict[str, Result]:
    one_core = raw_recover_rate()
    reference = all_cores_recover_rate()
    # Each figure is the median of five rounds, each against a fresh hub: one round
    # lasts about a second on two cores, and its neighbours' noise moves it by ~10%.
    streams, probe = _streams()
    single_rounds = [_measure(1, streams, probe) for _ in range(ROUNDS)]
    latencies = single_rounds[0][2]
    single = statistics.median(n / elapsed for elapsed, n, _ in single_rounds)
    streamed = statistics.median(n / elapsed for elapsed, n, _ in (
        _measure(PER_MESSAGE, streams, probe) for _ in range(ROUNDS)
    ))  # fmt: skip
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    return {
        "rate.hub.payments_per_s": Result(round(streamed), "payments/s", round(reference)),
        "rate.hub.payments_per_s_one_per_message": Result(
            round(single), "payments/s", round(reference)
        ),
        "rate.hub.recover_all_cores_per_s": Result(
            round(reference), "recoveries/s", round(one_core)
        ),
        "rate.hub.recover_one_core_per_s": Result(round(one_core), "recoveries/s"),
        "latency.hub.p50_ms": Result(round(statistics.median(latencies) * 1000, 2), "ms"),
        "latency.hub.p99_ms": Result(round(p99, 2), "ms"),
        "rate.hub.processes": Result(1 + WORKERS, "processes"),
    }


if __name__ == "__main__":  # one process of `all_cores_recover_rate`
    if sys.argv[1:2] != ["recover"]:
        raise SystemExit("usage: python -m bench.rate_hub recover SECONDS START_AT")
    seconds, start_at = float(sys.argv[2]), float(sys.argv[3])
    raw_recover_rate(0.1)  # warm
    time.sleep(max(0.0, start_at - time.time()))
    print(raw_recover_rate(seconds))
