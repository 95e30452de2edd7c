"""Indexer catch-up: events per second from block zero into SQLite, over >= 50,000 events.

On a bare anvil (bench.gas_pool._bare_anvil: no per-step tracing) a pool and its
licensing are deployed (an Alliance, Certificates, Fund, BPC, Royalties, PatentPool,
BPR, Licensing), BPC is minted to sixteen holders by the (impersonated) pool, and then
JSON-RPC batches of real transactions produce the events: BPC transfers between the
holders (Transfer: balances), approvals (Approval) and royalty payments
(Royalties.pay: Transfer, RoyaltyPaid, Transfer to the fund: the royalty ledger's
replay). The clock runs from an empty database to the cursor at the head:
`eth_getLogs`, headers, decoding, the raw events, the derived tables and the cursor,
committed batch by batch, exactly as `python -m bpsa.api.indexer --once` does.

Reference, same run: the raw `eth_getLogs` fetch of the same ranges (JSON decoded,
nothing else), the floor any indexer over this node pays. `rate.indexer.replay_per_s`:
rebuilding every derived table from the stored raw events, what a reorganisation's
rewind costs per event.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from bench.common import Result
from bench.gas_pool import Rpc, _bare_anvil
from bpsa.api import db
from bpsa.api.indexer import Indexer
from bpsa.core.codes import Kind, Role
from bpsa.sdk.deploy import LicensingParams, PoolParams, deploy_licensing, deploy_pool, manifest_for

TARGET_EVENTS = int(os.environ.get("BENCH_INDEXER_EVENTS", "50000"))
HOLDERS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16]
COUNCIL = 9
# Per five transactions: two transfers (1 event each), one approval (1), two royalty
# payments (3 each): nine events.
EVENTS_PER_5_TX = 9


def _selector(signature: str) -> bytes:
    return keccak(signature.encode())[:4]


TRANSFER = _selector("transfer(address,uint256)")
APPROVE = _selector("approve(address,uint256)")
MINT = _selector("mint(address,uint256)")
PAY = _selector("pay(uint256,bytes32)")


def _call(
    sender: str, to: str, selector: bytes, types: list[str], args: list[Any]
) -> dict[str, str]:
    return {
        "from": sender,
        "to": to,
        "data": "0x" + (selector + encode(types, args)).hex(),
        "gas": hex(200_000),
    }


def run() -> dict[str, Result]:
    from ape import networks

    with (
        _bare_anvil() as uri,
        networks.ethereum.local.use_provider("foundry", provider_settings={"host": uri}),
    ):
        return _run(uri)


def _run(uri: str) -> dict[str, Result]:
    from ape import accounts, chain, project

    acct = accounts.test_accounts
    deployer, council = acct[0], acct[COUNCIL]
    alliance = project.Alliance.deploy(council.address, sender=deployer)
    alliance.apply(int(Kind.START_UP), bytes.fromhex("11" * 32), sender=acct[3])
    alliance.admit(acct[3].address, *alliance.application_of(acct[3].address), sender=council)
    alliance.grant_role(acct[3].address, int(Role.PROVIDER), sender=council)
    pool = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    licensing = deploy_licensing(
        project, deployer, alliance.address, pool, council.address, LicensingParams()
    )
    contracts = {"Alliance": alliance, **pool, **licensing}
    manifest = manifest_for(chain, contracts, str(deployer.address))
    bpc, royalties = str(pool["BPC"].address), str(pool["Royalties"].address)
    minter = str(pool["PatentPool"].address)
    holders = [str(acct[i].address) for i in HOLDERS]

    rpc = Rpc(uri)
    rpc._call("anvil_impersonateAccount", [minter])
    rpc._call("anvil_setBalance", [minter, hex(10**20)])
    setup = [_call(minter, bpc, MINT, ["address", "uint256"], [h, 10**27]) for h in holders]
    setup += [
        _call(h, bpc, APPROVE, ["address", "uint256"], [royalties, 2**256 - 1]) for h in holders
    ]
    rpc.send_all(setup)
    txs = []
    n_tx = (TARGET_EVENTS * 5 + EVENTS_PER_5_TX - 1) // EVENTS_PER_5_TX
    for i in range(n_tx):
        sender, other = holders[i % len(holders)], holders[(i + 1) % len(holders)]
        kind = i % 5
        if kind < 2:
            txs.append(_call(sender, bpc, TRANSFER, ["address", "uint256"], [other, 10**15 + i]))
        elif kind == 2:
            txs.append(_call(sender, bpc, APPROVE, ["address", "uint256"], [other, i]))
        else:
            ref = i.to_bytes(32, "big")
            txs.append(_call(sender, royalties, PAY, ["uint256", "bytes32"], [10**16 + i, ref]))
    rpc.send_all(txs)
    head = int(rpc._call("eth_blockNumber", []), 16)

    with tempfile.TemporaryDirectory(prefix="bpsa-bench-indexer-") as work:
        return _measure(uri, manifest, head, Path(work))


def _measure(uri: str, manifest: Any, head: int, work: Path) -> dict[str, Result]:
    engine = db.open_db(work / "index.sqlite")
    indexer = Indexer(manifest, uri, engine)
    started = time.perf_counter()
    events = indexer.run_once()
    elapsed = time.perf_counter() - started
    if indexer.cursor()[0] != head:
        raise RuntimeError(f"bench: the indexer stopped at {indexer.cursor()[0]}, not {head}")
    if events < TARGET_EVENTS:
        raise RuntimeError(f"bench: only {events} events on the chain, wanted {TARGET_EVENTS}")

    fetched, fetch_elapsed = _raw_fetch(uri, indexer, head)
    if fetched != events:
        raise RuntimeError(f"bench: raw fetch saw {fetched} logs, the indexer {events}")

    started = time.perf_counter()
    replayed = indexer.rebuild()
    replay_elapsed = time.perf_counter() - started
    indexer.rpc.close()
    engine.dispose()
    rate = round(events / elapsed)
    path = work / "index.sqlite"
    size = path.stat().st_size // 2**20 if path.exists() else 0
    print(
        f"indexer: {events} events in {elapsed:.2f} s ({rate}/s); raw eth_getLogs "
        f"{fetch_elapsed:.2f} s; replay {replayed} in {replay_elapsed:.2f} s; "
        f"{head} blocks; database {size} MiB"
    )
    return {
        "rate.indexer.events_per_s": Result(rate, "events/s", round(fetched / fetch_elapsed)),
        "rate.indexer.replay_per_s": Result(round(replayed / replay_elapsed), "events/s"),
    }


def _raw_fetch(uri: str, indexer: Indexer, head: int) -> tuple[int, float]:
    """eth_getLogs over the indexer's ranges, JSON decoded, nothing else."""
    session = requests.Session()
    addresses = list(indexer.contracts)
    count = 0
    started = time.perf_counter()
    for start in range(indexer.start_block, head + 1, indexer.batch_blocks):
        end = min(start + indexer.batch_blocks - 1, head)
        body = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "eth_getLogs",
            "params": [{"fromBlock": hex(start), "toBlock": hex(end), "address": addresses}],
        }
        count += len(session.post(uri, json=body, timeout=600).json()["result"])
    return count, time.perf_counter() - started
