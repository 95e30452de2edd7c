"""`python -m bpsa.api`: serve the query API and its web page.

    python -m bpsa.api --manifest deployments/local.json --rpc http://127.0.0.1:8545 \\
        --db build/api/index.sqlite [--host 127.0.0.1 --port 8000 --workers 2]

Prints `serving http://host:port` once it answers. The indexer
(`python -m bpsa.api.indexer`) fills the database; this only reads it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pydantic import ValidationError

from bpsa.api.serve import serve
from bpsa.api.settings import DEFAULT_PRICE, Settings
from bpsa.core.errors import BpsaError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bpsa.api", description=__doc__.split("\n")[0])
    p.add_argument("--manifest", required=True, type=Path, help="deployments/<network>.json")
    p.add_argument("--rpc", default="http://127.0.0.1:8545", help="the node's JSON-RPC URL")
    p.add_argument("--db", required=True, help="SQLite path or postgresql+psycopg:// URL")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0: any free port")
    p.add_argument("--workers", type=int, default=1, help="worker processes (one per core)")
    p.add_argument("--hub-url", default=None, help="the channel hub's URL, told to payers")
    p.add_argument("--hub", default=None, help="the hub's address (default: Channels.HUB())")
    p.add_argument("--price", type=int, default=DEFAULT_PRICE, help="wei per paid search")
    p.add_argument("--payments-db", type=Path, default=Path("build/api/payments.sqlite"))
    p.add_argument(
        "--ipfs-api",
        default=os.environ.get("BPSA_IPFS_API"),
        help="the IPFS daemon holding patent documents, to name large ones by their file "
        "CID (default: BPSA_IPFS_API)",
    )
    p.add_argument(
        "--store-dir",
        type=Path,
        default=os.environ.get("BPSA_STORE_DIR"),
        help="a local content store instead (default: BPSA_STORE_DIR)",
    )
    p.add_argument("--root-ttl", type=float, default=2.0, help="seconds a batch root is reused")
    p.add_argument("--log-level", default="warning")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if not 1 <= args.workers <= 64:
        print("error: --workers must be 1 to 64", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        print("error: --port must be 0 to 65535", file=sys.stderr)
        return 2
    try:
        settings = Settings(
            manifest=args.manifest,
            rpc_url=args.rpc,
            database_url=args.db,
            hub_url=args.hub_url,
            hub=args.hub,
            price_wei=args.price,
            payments_db=args.payments_db,
            root_ttl=args.root_ttl,
            ipfs_api=args.ipfs_api,
            store_dir=args.store_dir,
        )
        return serve(settings, args.host, args.port, args.workers, args.log_level)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        print(f"error: {where}: {problem['msg']}", file=sys.stderr)
        return 2
    except (BpsaError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
