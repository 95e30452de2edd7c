"""The hub's durable engine: receipts only after the log committed, rejections leave
nothing behind, a restart rebuilds every channel, and a hub SIGKILLed at random points
of a stream of thousands of payments loses no acknowledged payment. Each test runs on
both backends of the log (`wal_target`: SQLite, then PostgreSQL where a server is)."""

from __future__ import annotations

import inspect
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bpsa.sidechains import state as st
from bpsa.sidechains.engine import Engine
from tests.sidechains.helpers import DOM, HUB, HUB_KEY, PAYER, PRICE, opened_channel, payment

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(wal_target: str) -> Iterator[Engine]:
    hub = Engine.open(wal_target, DOM, HUB_KEY)
    hub.submit_chain([st.ContractReceiveChannelOpened(1, PAYER, opened_channel())])
    yield hub
    hub.wal.close()


def restarted(engine: Engine, target: str) -> Engine:
    """The hub after a restart: its log closed, a new engine rebuilt from it."""
    engine.wal.close()
    return Engine.open(target, DOM, HUB_KEY)


def test_submit__accepted__receipt_signed_by_the_hub_after_the_log(engine):
    outcomes = engine.submit_payments([payment(1), payment(2)])

    assert [o.receipt.amount for o in outcomes] == [PRICE, 2 * PRICE]
    assert all(o.receipt.signer(DOM) == HUB for o in outcomes)
    assert engine.wal.count() == 3  # the open and both payments


def test_submit__mixed_batch__rejections_coded_and_not_logged(engine):
    engine.submit_payments([payment(1)])

    outcomes = engine.submit_payments([payment(1), payment(3), payment(2)])

    assert outcomes[0].rejected.code == "replayed"
    assert outcomes[1].receipt.nonce == 3
    assert outcomes[2].rejected.code == "stale"
    assert engine.wal.count() == 3


def test_submit__log_write_fails__nothing_acknowledged_and_state_unchanged(engine, monkeypatch):
    engine.submit_payments([payment(1)])
    before = dict(engine.channels)

    def broken(changes):
        raise OSError("disk full")

    monkeypatch.setattr(engine.wal, "append_many", broken)
    with pytest.raises(OSError, match="disk full"):
        engine.submit_payments([payment(2)])

    assert engine.channels == before


def test_recover__new_engine_on_the_log__same_channels(engine, wal_target):
    engine.submit_payments([payment(n) for n in range(1, 50)])
    engine.submit_chain([st.ContractReceiveChannelToppedUp(1, 2 * opened_channel())])

    again = restarted(engine, wal_target)

    assert again.channels == engine.channels
    proof = again.proof_for(1)
    assert proof is not None and proof.amount == 49 * PRICE
    again.wal.close()


def test_tick__stale_close_in_the_window__dispute_with_the_best_proof_until_the_chain_shows_it(
    engine, wal_target
):
    engine.submit_payments([payment(n) for n in range(1, 6)])
    engine.submit_chain([st.ContractReceiveChannelClosing(1, PAYER, 1, PRICE, 5_000)])
    best = engine.channels[1].best
    assert best is not None

    assert engine.tick(4_000) == [st.ContractSendUpdate(1, best)]
    assert engine.tick(4_001) == [st.ContractSendUpdate(1, best)]  # the send may have failed
    again = restarted(engine, wal_target)  # a hub restarted mid-window disputes too
    assert again.tick(4_002) == [st.ContractSendUpdate(1, best)]
    again.submit_chain([st.ContractReceiveChannelUpdated(1, 5, 5 * PRICE)])
    assert again.tick(4_003) == []
    assert again.tick(5_000) == [st.ContractSendSettle(1)]
    again.wal.close()


@pytest.mark.slow
def test_crash__sigkill_at_random_points__every_acknowledged_payment_recovered(wal_target):
    total, acked = 3_000, 0
    rng = random.Random(20261125)
    command = [sys.executable, "-m", "tests.sidechains.crash_worker", wal_target, "1", str(total)]
    for round_ in range(8):
        batch = str(rng.choice([1, 7, 50]))
        worker = subprocess.Popen(
            [*command, batch], cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert worker.stdout is not None
        deadline = time.monotonic() + rng.uniform(0.3, 1.2)
        finished = False
        for line in worker.stdout:
            if line.startswith("ack"):
                acked = max(acked, int(line.split()[2]))
            if line.startswith("done"):
                finished = True
                break
            if time.monotonic() > deadline and round_ < 7:
                worker.send_signal(signal.SIGKILL)  # mid-stream, between or inside commits
                break
        worker.wait(timeout=60)
        recovered = Engine.open(wal_target, DOM, HUB_KEY)
        kept = recovered.channels[1].nonce
        recovered.wal.close()  # the next round's hub takes the log
        assert kept >= acked, f"round {round_}: acknowledged {acked}, kept {kept}"
        if finished:
            break
    final = Engine.open(wal_target, DOM, HUB_KEY)
    kept_channel = final.channels[1]
    final.wal.close()
    assert acked > 0
    assert kept_channel.nonce >= acked and kept_channel.paid == kept_channel.nonce * PRICE


def test_consent__logged__no_payment_accepted_after_it_even_after_a_restart(engine, wal_target):
    engine.submit_payments([payment(1), payment(2)])

    consent = engine.consent(1)

    assert consent is not None and (consent.nonce, consent.amount) == (2, 2 * PRICE)
    refused = engine.submit_payments([payment(3)])[0].rejected
    assert refused is not None and refused.code == "not_open"
    assert engine.consent(9) is None  # no such channel
    again = restarted(engine, wal_target)
    assert again.channels[1].status == st.Status.CONSENTED
    refused = again.submit_payments([payment(3)])[0].rejected
    assert refused is not None and refused.code == "not_open"
    again.wal.close()


def test_rewind__top_up_reorganised_away__deposit_back_and_payments_kept(engine):
    engine.advance([st.ContractReceiveChannelToppedUp(1, 2 * opened_channel())], 50, 1_000, [50])
    engine.submit_payments([payment(1), payment(2)])

    assert engine.rewind(49) == 1

    assert engine.channels[1].deposit == opened_channel()
    assert engine.channels[1].nonce == 2  # every logged payment counts as before


def test_rewind__open_reorganised_away_then_seen_again__parked_payments_count_again(
    wal_target,
):
    hub = Engine.open(wal_target, DOM, HUB_KEY)
    hub.advance([st.ContractReceiveChannelOpened(1, PAYER, opened_channel())], 10, 1_000, [10])
    hub.submit_payments([payment(1), payment(2)])

    hub.rewind(9)  # the open's block left the chain
    assert 1 not in hub.channels
    hub.advance([st.ContractReceiveChannelOpened(1, PAYER, opened_channel())], 12, 1_001, [12])

    assert hub.channels[1].nonce == 2 and hub.channels[1].paid == 2 * PRICE
    assert hub.submit_payments([payment(3)])[0].receipt is not None
    hub.wal.close()
    again = Engine.open(wal_target, DOM, HUB_KEY)  # the same after a restart
    assert again.channels[1].nonce == 3
    again.wal.close()


def test_commit__unverified_payment__refused_and_nothing_logged(engine):
    with pytest.raises(TypeError, match="not a state change"):
        engine.commit([payment(1)])  # as the wire carries it: no signer recovered

    assert engine.wal.count() == 1 and engine.channels[1].nonce == 0


def test_every_write_of_a_change__goes_through_commit(engine, monkeypatch):
    writers: list[str] = []
    append = engine.wal.append_many

    def spy(*args):
        writers.append(inspect.stack()[1].function)
        return append(*args)

    monkeypatch.setattr(engine.wal, "append_many", spy)
    engine.submit_payments([payment(1), payment(2)])
    engine.submit_chain([st.ContractReceiveChannelToppedUp(1, 2 * opened_channel())])
    engine.advance([st.ContractReceiveChannelUpdated(9, 1, 1)], 5, 1_000, [5])
    engine.consent(1)

    assert writers == ["commit"] * 4
