"""Wall time of a BPC <-> APC swap end to end on two local chains.

Two anvils of our own (chain ids 41001 and 41002, as the coordinator's tests use: BPC
and Swaps on the first, APC and Swaps on the second). A start-up offers 10 BPC for an
AI lab's 50 APC; the lab checks and countersigns the intent; both coordinators
(`bpsa.sidechains.swap.SwapParty`, each with its own durable book) step in turn until
both are done: two locks (each approve + lock), two claims, every read of both
chains in between. Timed from the offer to both books closed; the median of five swaps.

Reference, in the same run: the same six transactions (two approves, two locks, two
claims) sent back to back through the same connections with no coordinator, so the
ratio is what the coordinator's reads, decisions and durable books add.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import Result
from bpsa.core import swaps as sw
from bpsa.core.accounts import dev_account

ROUNDS = 5
GIVE, GET = 10 * 10**18, 50 * 10**18


def run() -> dict[str, Result]:
    from tests.sidechains import swapworld
    from tests.sidechains.swapworld import LAB, STARTUP

    folder = Path(tempfile.mkdtemp(prefix="bpsa-bench-swaps-"))
    world = swapworld.start(folder)
    try:
        a, b = world.a.chain_id, world.b.chain_id
        lab_address = dev_account(LAB).address
        coordinated: list[float] = []
        direct: list[float] = []
        for round_ in range(ROUNDS):
            startup = world.party(STARTUP, folder / f"startup-{round_}.sqlite")
            lab = world.party(LAB, folder / f"lab-{round_}.sqlite")
            started = time.perf_counter()
            offer = startup.propose((a, GIVE), (b, GET), lab_address, 600)
            startup.take(lab.accept(offer))
            key = offer.intent.struct_hash().hex()
            for _ in range(10):
                for party in (startup, lab):
                    party.step(key)
                if all(p.book.get(key).state == "done" for p in (startup, lab)):
                    break
            else:
                raise RuntimeError("bench: the swap did not complete")
            coordinated.append(time.perf_counter() - started)

            # The same transactions, no coordinator: agree, lock, lock, claim, claim.
            offer = startup.propose((a, GIVE), (b, GET), lab_address, 600)
            answer = lab.accept(offer)
            intent = offer.intent
            preimage = startup.book.get(intent.struct_hash().hex()).preimage
            assert preimage is not None and answer.responder_signature is not None
            assert offer.initiator_signature is not None
            chains = world.chains()
            started = time.perf_counter()
            chains[a].lock(startup.account, intent, sw.Side.INITIATOR, answer.responder_signature)
            chains[b].lock(lab.account, intent, sw.Side.RESPONDER, offer.initiator_signature)
            chains[b].claim(startup.account, intent, sw.Side.RESPONDER, preimage)
            chains[a].claim(lab.account, intent, sw.Side.INITIATOR, preimage)
            direct.append(time.perf_counter() - started)
    finally:
        world.a.stop()
        world.b.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "time.swaps.end_to_end_s": Result(
            round(statistics.median(coordinated), 3), "s", round(statistics.median(direct), 3)
        ),
    }
