"""Off-chain QR verification rate: decode, Merkle proof or signature, one chain read.

A scanner station's loop on one core: `bpsa.core.qr.Verifier` decodes each scanned text,
reads the chain once over JSON-RPC (a device's batch root, or a claim's facts) and
checks the proof or the holder's signature here, while the node answers. The codes
alternate between devices (each a different serial of a 100,000-device batch: a 17-hash
proof) and licence claims (each a different nonce, signed by a BPR holder).

Reference, measured in the same run on the same connection: the bare `eth_call` that
a verification makes (the batch-root read), so the ratio is the share of the node's
round-trip rate that verification keeps (1.0 would mean decoding, hashing and
recovering cost nothing). Each figure is the median of five rounds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence

from bench.common import Result
from bpsa.core import qr

ROUNDS = 5


def _rate(work: Callable[[int], object], count: int) -> float:
    start = time.perf_counter()
    for i in range(count):
        work(i)
    return count / (time.perf_counter() - start)


def run() -> dict[str, Result]:
    """`python bench/run.py rate_qr`: gas_licensing's pool, batch and claims, keeping
    only the QR rate (the gas figures are gas_licensing's to record)."""
    from bench import gas_licensing

    return {k: v for k, v in gas_licensing.run().items() if k.startswith("rate.")}


def measure(rpc_url: str, chain_id: int, licensing: str, codes: Sequence[str]) -> dict[str, Result]:
    verifier = qr.Verifier(rpc_url, chain_id, licensing)
    try:
        for text in codes:  # every code must verify, or the rate means nothing
            verdict = verifier.verify(text)
            if not verdict.licensed:
                raise RuntimeError(f"bench: a QR code did not verify: {verdict.reason}")
        read = qr.Verifier.BATCHES + (1).to_bytes(32, "big")
        rates, references = [], []
        for _ in range(ROUNDS):
            references.append(_rate(lambda i: verifier.eth_call(read), len(codes)))
            rates.append(_rate(lambda i: verifier.verify(codes[i]), len(codes)))
    finally:
        verifier.close()
    return {
        "rate.licensing.qr_verify_per_s": Result(
            round(statistics.median(rates)), "verifications/s", round(statistics.median(references))
        ),
    }
