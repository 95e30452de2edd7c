"""POST /verify over HTTP on loopback: requests per second and p50/p99 latency.

The query API runs as its own processes (`python -m bpsa.api --workers 2`: uvicorn,
one worker per core, each with its own socket on the port), over a deployment on this
run's anvil with a registered batch of 100,000 devices. The load generator is a second
process (`python -m bench.rate_api load`): asyncio, raw HTTP/1.1 with keep-alive on
many connections, so that the client's cost stays small. The scanned texts are 2,000
device codes of that batch, half genuine (each a different serial with its 17-hash
proof) and half counterfeit (unknown serials with a borrowed proof), shuffled; every
answer is checked (status 200, licensed exactly for the genuine ones), or the bench
fails.

- `rate.api.verify_per_s`: throughput at saturation, closed loop (32 connections,
  each sends its next request when the answer arrives), over 5 s after a 1 s warm-up.
- `latency.api.verify_p50_ms` / `latency.api.verify_p99_ms`: open loop at the target
  rate, 2,000 requests a second for 5 s, each request's latency counted from the moment
  it was due (so a stalled server's queueing counts; no coordinated omission).

What each request does: decode the payload, check its CRC, check the Merkle proof
against the batch's root (read from the chain, then reused for at most 2 s: a
batch's root never changes once registered; see frontend-api/verify.py), answer JSON.
- `rate.api.verify_uncached_per_s`: the same closed loop against a server started with
  `--root-ttl 0`, which reads the root from the chain (one `eth_call`) for every scan:
  what the freshness rule buys.

Reference, measured in the same run: `bpsa.core.qr.Verifier` on one core in this process,
the same codes, one `eth_call` each (what a scanner station does without the
service); the ratio is the service's rate over it. The machine has 2 cores shared by
anvil, the workers and the load generator.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import Result

ROOT = Path(__file__).resolve().parents[1]
BATCH = 100_000
CODES = 2_000
CONNECTIONS = 32
SECONDS = 5.0
WARMUP = 1.0
TARGET_RATE = 2_000
PRODUCT = "BENCH-PHONE"


# ---------------------------------------------------------------- the load generator


def _request(host: str, payload: str) -> bytes:
    body = json.dumps({"payload": payload}).encode()
    head = (
        f"POST /verify HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def send(self, request: bytes, licensed: bool) -> None:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        at = head.lower().find(b"content-length:")
        length = int(head[at + 15 : head.index(b"\r\n", at)])
        body = await self.reader.readexactly(length)
        expected = b'"licensed":true' if licensed else b'"licensed":false'
        if status != 200 or expected not in body:
            raise RuntimeError(f"bench: wrong answer {status} {body[:200]!r}")


async def _connect(host: str, port: int, count: int) -> list[Connection]:
    pairs = [await asyncio.open_connection(host, port) for _ in range(count)]
    return [Connection(r, w) for r, w in pairs]


async def closed_loop(
    host: str, port: int, work: list[tuple[bytes, bool]], seconds: float, connections: int
) -> dict[str, Any]:
    conns = await _connect(host, port, connections)
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def drive(conn: Connection, start: int) -> None:
        i = start
        while time.perf_counter() < deadline:
            request, licensed = work[i % len(work)]
            sent = time.perf_counter()
            await conn.send(request, licensed)
            latencies.append(time.perf_counter() - sent)
            i += connections

    began = time.perf_counter()
    await asyncio.gather(*(drive(c, n) for n, c in enumerate(conns)))
    elapsed = time.perf_counter() - began
    for c in conns:
        c.writer.close()
    return {"count": len(latencies), "elapsed": elapsed, "latencies": latencies}


async def open_loop(
    host: str, port: int, work: list[tuple[bytes, bool]], rate: float, seconds: float,
    connections: int,
) -> dict[str, Any]:  # fmt: skip
    """Request i is due at start + i / rate; whichever connection is free sends the next
    due request (waiting for its time if early); latency counts from when it was due."""
    conns = await _connect(host, port, connections)
    latencies: list[float] = []
    total = int(rate * seconds)
    state = {"next": 0}
    began = time.perf_counter() + 0.05

    async def drive(conn: Connection) -> None:
        while state["next"] < total:
            i = state["next"]
            state["next"] = i + 1
            due = began + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                await asyncio.sleep(pause)
            request, licensed = work[i % len(work)]
            await conn.send(request, licensed)
            latencies.append(time.perf_counter() - due)

    await asyncio.gather(*(drive(c) for c in conns))
    elapsed = time.perf_counter() - began
    for c in conns:
        c.writer.close()
    return {"count": len(latencies), "elapsed": elapsed, "latencies": latencies}


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load_main(argv: list[str]) -> None:
    """`python -m bench.rate_api load URL CODES.json [closed]`: prints the figures as JSON
    (with `closed`, only the closed-loop throughput)."""
    url, codes_file = argv[:2]
    closed_only = argv[2:] == ["closed"]
    host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    codes = json.loads(Path(codes_file).read_text())
    work = [(_request(host, c["payload"]), c["licensed"]) for c in codes]

    async def run() -> dict[str, Any]:
        await closed_loop(host, int(port), work, WARMUP, CONNECTIONS)
        saturation = await closed_loop(host, int(port), work, SECONDS, CONNECTIONS)
        if closed_only:
            return {"rate": saturation["count"] / saturation["elapsed"]}
        paced = await open_loop(host, int(port), work, TARGET_RATE, SECONDS, CONNECTIONS)
        return {
            "rate": saturation["count"] / saturation["elapsed"],
            "closed_p50_ms": 1e3 * _quantile(saturation["latencies"], 0.5),
            "closed_p99_ms": 1e3 * _quantile(saturation["latencies"], 0.99),
            "paced_rate": paced["count"] / paced["elapsed"],
            "p50_ms": 1e3 * _quantile(paced["latencies"], 0.5),
            "p99_ms": 1e3 * _quantile(paced["latencies"], 0.99),
            "requests": saturation["count"] + paced["count"],
        }

    print(json.dumps(asyncio.run(run())))


# ---------------------------------------------------------------- the bench


def _deploy(workdir: Path) -> tuple[Path, list[dict[str, Any]]]:
    """A pool with Licensing, a registered batch of 100,000 devices; the manifest's
    path and the codes ({"payload", "licensed"})."""
    from ape import accounts, chain, project

    from bench.gas_pool import _members
    from bpsa.core import qr
    from bpsa.core.codes import Role
    from bpsa.core.devices import DeviceTree, product_id, serial_id
    from bpsa.core.manifest import Deployed, Manifest
    from bpsa.sdk.deploy import LicensingParams, PoolParams, deploy_licensing, deploy_pool

    acct = accounts.test_accounts
    deployer, council, maker = acct[0], acct[9], acct[18]
    alliance = _members(project, deployer, council, [(maker, Role.DEMANDER)])
    pool = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    lic = deploy_licensing(
        project, deployer, alliance.address, pool, council.address, LicensingParams()
    )
    texts = [f"{PRODUCT}-{n:09d}" for n in range(BATCH)]
    tree = DeviceTree([serial_id(t) for t in texts])
    licensing = lic["Licensing"]
    tx = licensing.register_batch(product_id(PRODUCT), tree.root, BATCH, sender=maker)
    batch = int(tx.events.filter(licensing.BatchRegistered)[0].batch)
    chain_id, address = int(chain.chain_id), str(licensing.address)
    rng = random.Random(20261125)
    codes: list[dict[str, Any]] = []
    for i in range(CODES // 2):
        index = rng.randrange(BATCH)
        genuine = serial_id(texts[index])
        proof = tree.proof(genuine)
        real = qr.DevicePayload(chain_id, address, batch, index, genuine, proof)
        codes.append({"payload": qr.encode(real), "licensed": True})
        fake = serial_id(f"{PRODUCT}-X{i:08d}")
        forged = qr.DevicePayload(chain_id, address, batch, index, fake, proof)
        codes.append({"payload": qr.encode(forged), "licensed": False})
    rng.shuffle(codes)
    contracts = {"Alliance": alliance, **pool, **lic}
    manifest = Manifest(
        network="bench",
        ecosystem="ethereum",
        chain_id=chain_id,
        deployer=str(deployer.address),
        contracts={n: Deployed(str(c.address), 0) for n, c in contracts.items()},
    )
    path = workdir / "manifest.json"
    path.write_text(json.dumps(manifest.to_json()))
    return path, codes


def _reference(rpc: str, manifest: Path, codes: list[dict[str, Any]]) -> float:
    """`bpsa.core.qr.Verifier` over the same codes on one core: a verification a second."""
    from bpsa.core import qr

    data = json.loads(manifest.read_text())
    verifier = qr.Verifier(rpc, data["chain_id"], data["contracts"]["Licensing"]["address"])
    try:
        for c in codes[:50]:
            if verifier.verify(c["payload"]).licensed != c["licensed"]:
                raise RuntimeError("bench: the reference verifier disagrees")
        rates = []
        for _ in range(3):
            start = time.perf_counter()
            for c in codes:
                verifier.verify(c["payload"])
            rates.append(len(codes) / (time.perf_counter() - start))
    finally:
        verifier.close()
    return statistics.median(rates)


def _serve_and_load(
    rpc: str, manifest: Path, workdir: Path, codes_file: Path, workers: int, *extra: str
) -> dict[str, Any]:
    """Start `python -m bpsa.api` (its own processes), run the load generator (another
    process) against it, stop the server; the load generator's figures."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    root_ttl = ["--root-ttl", "0"] if "uncached" in extra else []
    command = [
        sys.executable, "-m", "bpsa.api", "--manifest", str(manifest), "--rpc", rpc,
        "--db", str(workdir / "index.sqlite"), "--port", "0", "--workers", str(workers),
        "--payments-db", str(workdir / "payments.sqlite"), *root_ttl,
    ]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith("serving "):
            raise RuntimeError(f"bench: the API did not start ({line!r})")
        mode = ["closed"] if "uncached" in extra else []
        load = subprocess.run(
            [sys.executable, "-m", "bench.rate_api", "load", line.split()[1], str(codes_file),
             *mode],
            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300,
        )  # fmt: skip
        if load.returncode != 0:
            raise RuntimeError(f"bench: the load generator failed: {load.stderr[-2000:]}")
        figures: dict[str, Any] = json.loads(load.stdout)
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)


def run() -> dict[str, Result]:
    from ape import chain

    workers = max(1, min(os.cpu_count() or 1, 4))
    rpc = str(chain.provider.uri)
    with tempfile.TemporaryDirectory(prefix="bpsa-rate-api-") as tmp:
        workdir = Path(tmp)
        manifest, codes = _deploy(workdir)
        codes_file = workdir / "codes.json"
        codes_file.write_text(json.dumps(codes))
        reference = _reference(rpc, manifest, codes)
        figures = _serve_and_load(rpc, manifest, workdir, codes_file, workers)
        uncached = _serve_and_load(rpc, manifest, workdir, codes_file, workers, "uncached")
    print(
        f"  api: {figures['rate']:.0f}/s closed loop ({CONNECTIONS} connections, p50 "
        f"{figures['closed_p50_ms']:.2f} ms, p99 {figures['closed_p99_ms']:.2f} ms); at "
        f"{TARGET_RATE}/s offered: {figures['paced_rate']:.0f}/s, p50 {figures['p50_ms']:.2f} "
        f"ms, p99 {figures['p99_ms']:.2f} ms; root read for every scan: "
        f"{uncached['rate']:.0f}/s; reference Verifier {reference:.0f}/s"
    )
    return {
        "rate.api.verify_per_s": Result(round(figures["rate"]), "requests/s", round(reference)),
        "rate.api.verify_uncached_per_s": Result(
            round(uncached["rate"]), "requests/s", round(reference)
        ),
        "latency.api.verify_p50_ms": Result(round(figures["p50_ms"], 2), "ms"),
        "latency.api.verify_p99_ms": Result(round(figures["p99_ms"], 2), "ms"),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["load"]:
        load_main(sys.argv[2:])
    else:
        raise SystemExit("usage: python -m bench.rate_api load URL CODES.json [closed]")
