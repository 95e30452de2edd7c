"""A hub engine on a log file that accepts a stream of payments in small batches and
prints each receipt ("ack <channel> <nonce> <amount>") only after its batch committed.
Run by test_engine's crash test, which SIGKILLs it at random points.

    python -m tests.sidechains.crash_worker LOG START COUNT BATCH

LOG is a SQLite file or a postgresql:// URL.
"""

from __future__ import annotations

import sys

from bpsa.sidechains import state as st
from bpsa.sidechains.engine import Engine
from tests.sidechains.helpers import DOM, HUB_KEY, PAYER, opened_channel, payment


def main() -> None:
    log, start, count, batch = sys.argv[1], *map(int, sys.argv[2:5])
    engine = Engine.open(log, DOM, HUB_KEY)
    if 1 not in engine.channels:
        engine.submit_chain([st.ContractReceiveChannelOpened(1, PAYER, opened_channel())])
    # Resume after the last durable payment: the payer resends what was not acknowledged.
    first = max(start, engine.channels[1].nonce + 1)
    for low in range(first, start + count, batch):
        outcomes = engine.submit_payments(
            payment(n) for n in range(low, min(low + batch, start + count))
        )
        for outcome in outcomes:
            receipt = outcome.receipt
            if receipt is not None:
                print(f"ack {receipt.channel} {receipt.nonce} {receipt.amount}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
