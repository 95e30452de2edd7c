"""Asks an IPFS daemon's `add` for the CIDs of deterministic files and compares them with
`bpsa.core.unixfs`: how the expected CIDs in tests/python/test_cid_unixfs.py were taken.

    tools/ipfs.sh start
    python tools/unixfs_check.py $(tools/ipfs.sh api)

The files are prefixes of one 50 MB buffer (`random.Random(20261207)`): 0 B, 1 B,
256 KiB, 256 KiB + 1, 5 MB, 174 x 256 KiB, 174 x 256 KiB + 1 (a second layer) and 50 MB.
The daemon is asked with only `cid-version=1` (its defaults) and again with
`raw-leaves=true`, with `only-hash=true` so nothing is written to its disk. Prints one
line per file and exits 1 if any CID differs.
"""

from __future__ import annotations

import random
import sys
import time

import requests
from multiformats import CID

from bpsa.core.unixfs import CHUNK_SIZE, MAX_LINKS, file_cid

SIZES = [0, 1, CHUNK_SIZE, CHUNK_SIZE + 1, 5_000_000, MAX_LINKS * CHUNK_SIZE]
SIZES += [MAX_LINKS * CHUNK_SIZE + 1, 50_000_000]


def daemon_cid(url: str, data: bytes, extra: dict[str, str]) -> str:
    params = {"cid-version": "1", "only-hash": "true", **extra}
    files = {"file": ("doc", data, "application/octet-stream")}
    answer = requests.post(f"{url}/api/v0/add", params=params, files=files, timeout=600)
    answer.raise_for_status()
    return str(CID.decode(answer.json()["Hash"]).set(base="base32"))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    parts = argv[0].strip("/").split("/")  # /ip4/127.0.0.1/tcp/5001/http
    url = f"http://{parts[1]}:{parts[3]}" if parts[0] == "ip4" else argv[0].rstrip("/")
    buffer = memoryview(random.Random(20261207).randbytes(50_000_000))
    failed = False
    for size in SIZES:
        data = buffer[:size]
        started = time.perf_counter()
        ours = file_cid(data)
        took = time.perf_counter() - started
        default = daemon_cid(url, bytes(data), {})
        raw_leaves = daemon_cid(url, bytes(data), {"raw-leaves": "true"})
        same = ours == default == raw_leaves
        failed |= not same
        verdict = "same" if same else f"DIFFERENT: daemon {default} / {raw_leaves}"
        print(f"{size:>10} B  {ours}  ({took:.3f} s in Python)  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
