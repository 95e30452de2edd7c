"""Run the hub: `python -m bpsa.sidechains.serve --wal hub.sqlite --chain-id 31337
--channels 0xChannels --port 8600` with the hub's key in $BPSA_HUB_KEY (hex) or
`--keystore` + $BPSA_HUB_PASSWORD. Prints `listening on http://host:port` once up.

With `--rpc URL --manifest deployments/<network>.json` the hub watches Channels.vy:
opens, top-ups, closes and settlements come from its events, and the hub disputes a
stale close and settles with its own key (which needs gas). `--seed-channel
CHANNEL:PAYER:DEPOSIT` records a channel as opened without any chain: for benchmarks
and engine tests only. `--workers N` moves signature recovery and receipt signing to N
verifier processes (`bpsa.sidechains.verifier`; the machine's core count is a good N).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from aiohttp import web

from bpsa.core import channels as ch
from bpsa.sidechains import state as st
from bpsa.sidechains.engine import Engine
from bpsa.sidechains.hub import Hub
from bpsa.sidechains.messages import ChannelId, Wei
from bpsa.sidechains.verifier import VerifierPool
from bpsa.sidechains.wal import LogError


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bpsa-hub", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--wal", required=True, help="the log: a SQLite file, or a postgresql:// URL"
    )
    parser.add_argument("--chain-id", type=int, required=True)
    parser.add_argument("--channels", required=True, help="the Channels contract's address")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--keystore", type=Path)
    parser.add_argument("--synchronous", choices=["FULL", "NORMAL"], default="FULL")
    parser.add_argument("--seed-channel", action="append", default=[])
    parser.add_argument("--rpc", help="the chain's JSON-RPC URL (enables the watcher)")
    parser.add_argument("--manifest", type=Path, help="the deployment manifest (with --rpc)")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between chain reads")
    parser.add_argument(
        "--confirmations",
        type=int,
        default=0,
        help="blocks deep an event must be before the hub acts on it (0 on a local anvil)",
    )
    parser.add_argument(
        "--max-chain-lag",
        type=float,
        default=300.0,
        help="seconds without a look at the chain before payments are refused (with --rpc)",
    )
    parser.add_argument(
        "--tx-timeout",
        type=float,
        default=60.0,
        help="seconds a dispute or settlement may take to be mined before it is sent again",
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="verifier processes (0: all on the engine's thread)"
    )
    args = parser.parse_args(argv)
    if args.keystore:
        from bpsa.core.accounts import key_from_keystore

        key: bytes = bytes(key_from_keystore(args.keystore, os.environ["BPSA_HUB_PASSWORD"]).key)
    elif "BPSA_HUB_KEY" in os.environ:
        key = bytes.fromhex(os.environ["BPSA_HUB_KEY"].removeprefix("0x"))
    else:
        sys.exit("set BPSA_HUB_KEY (hex) or give --keystore with BPSA_HUB_PASSWORD")
    domain = ch.domain(args.chain_id, args.channels)
    try:
        engine = Engine.open(args.wal, domain, key, synchronous=args.synchronous)
    except LogError as exc:  # in use by another hub, unreachable, or malformed: one line
        sys.exit(f"bpsa-hub: {exc}")
    seeds = []
    for seed in args.seed_channel:
        channel, payer, deposit = seed.split(":")
        if int(channel) not in engine.channels:
            opened = st.ContractReceiveChannelOpened(
                ChannelId(int(channel)), payer, Wei(int(deposit))
            )
            seeds.append(opened)
    engine.submit_chain(seeds)
    pool = VerifierPool(args.workers, engine.separator, key) if args.workers > 0 else None
    hub = Hub(engine, poll=args.poll, pool=pool, max_chain_lag=args.max_chain_lag)
    if args.rpc:
        if args.manifest is None:
            sys.exit("--rpc needs --manifest")
        if args.confirmations < 0 or args.tx_timeout <= 0 or args.max_chain_lag <= 0:
            sys.exit("--confirmations is 0 or more, --tx-timeout and --max-chain-lag positive")
        hub.watcher = watcher_for(
            args.rpc, args.manifest, key, hub, args.confirmations, args.tx_timeout
        )
    asyncio.run(serve(hub, args.host, args.port))


def watcher_for(
    rpc: str,
    manifest: Path,
    key: bytes,
    hub: Hub,
    confirmations: int = 0,
    tx_timeout: float = 60.0,
) -> Any:
    import json

    from eth_account import Account

    from bpsa.core.chain import Gateway
    from bpsa.core.manifest import Manifest
    from bpsa.sidechains.watcher import ChainWatcher

    deployed = Manifest.from_json(json.loads(manifest.read_text()), str(manifest))
    chain = Gateway(rpc, deployed)
    return ChainWatcher(
        chain,
        Account.from_key(key),
        hub,
        confirmations=confirmations,
        tx_timeout=tx_timeout,
    )


async def serve(hub: Hub, host: str, port: int) -> None:
    runner = web.AppRunner(hub.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0]
    print(f"listening on http://{bound[0]}:{bound[1]}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


if __name__ == "__main__":
    main()
