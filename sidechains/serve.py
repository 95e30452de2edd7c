"""Run the hub: `python -m bpsa.sidechains.serve --wal hub.sqlite --chain-id 31337
--channels 0xChannels --port 8600` with the hub's key in $BPSA_HUB_KEY (hex) or
`--keystore` + $BPSA_HUB_PASSWORD. Prints `listening on http://host:port` once up.

`--seed-channel CHANNEL:PAYER:DEPOSIT` records a channel as opened without reading the
chain: for benchmarks and tests only (the chain watcher that feeds opens, top-ups and
closes from Channels.vy's events comes with the rest of the channel issue).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from aiohttp import web

from bpsa import channels as ch
from bpsa.sidechains import state as st
from bpsa.sidechains.engine import Engine
from bpsa.sidechains.hub import Hub


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bpsa-hub", description=__doc__.splitlines()[0])
    parser.add_argument("--wal", type=Path, required=True)
    parser.add_argument("--chain-id", type=int, required=True)
    parser.add_argument("--channels", required=True, help="the Channels contract's address")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--keystore", type=Path)
    parser.add_argument("--synchronous", choices=["FULL", "NORMAL"], default="FULL")
    parser.add_argument("--seed-channel", action="append", default=[])
    args = parser.parse_args(argv)
    if args.keystore:
        from bpsa.oracle.chain import key_from_keystore

        key: bytes = bytes(key_from_keystore(args.keystore, os.environ["BPSA_HUB_PASSWORD"]).key)
    elif "BPSA_HUB_KEY" in os.environ:
        key = bytes.fromhex(os.environ["BPSA_HUB_KEY"].removeprefix("0x"))
    else:
        sys.exit("set BPSA_HUB_KEY (hex) or give --keystore with BPSA_HUB_PASSWORD")
    domain = ch.domain(args.chain_id, args.channels)
    engine = Engine.open(args.wal, domain, key, synchronous=args.synchronous)
    seeds = []
    for seed in args.seed_channel:
        channel, payer, deposit = seed.split(":")
        if int(channel) not in engine.channels:
            seeds.append(st.ContractReceiveChannelOpened(int(channel), payer, int(deposit)))
    engine.submit_chain(seeds)
    asyncio.run(serve(Hub(engine), args.host, args.port))


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
