"""The hub's write-ahead log on both backends (`wal_target`: a SQLite file, then a
PostgreSQL database where a server is): every change kind comes back as it went in, a
batch is written whole or not at all (a SIGKILL mid-write included), the chain cursor
persists, one hub at a time holds a log, and a server that cannot be reached or a URL
that is not one gets a clear error that names the host and never the password."""

from __future__ import annotations

import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bpsa.sidechains import state as st
from bpsa.sidechains import wal
from tests.sidechains.helpers import PAYER, payment

ROOT = Path(__file__).resolve().parents[2]
UINT256_MAX = 2**256 - 1

# A second process holding or writing the log: `python -c HOLDER target`, and the like.
HOLDER = """
import sys, time
from bpsa.sidechains.wal import open_wal
log = open_wal(sys.argv[1], lock_wait=0)
print("open", flush=True)
time.sleep(60)
"""
OPENER = """
import sys
from bpsa.sidechains.wal import LogInUse, open_wal
try:
    open_wal(sys.argv[1], lock_wait=0.2)
except LogInUse as exc:
    sys.exit(f"refused: {exc}")
print("opened")
"""
WRITER = """
import sys
from bpsa.sidechains import state as st
from bpsa.sidechains.wal import open_wal
log = open_wal(sys.argv[1])
batch = [st.ContractReceiveChannelUpdated(7, n, n) for n in range(1, int(sys.argv[2]) + 1)]
print("writing", flush=True)
log.append_many(batch)
print("written", flush=True)
"""


def every_kind() -> list[object]:
    """One change of each kind the log holds, with values at the edges of their types."""
    return [
        st.ContractReceiveChannelOpened(UINT256_MAX, PAYER, 10**30),
        st.ContractReceiveChannelToppedUp(UINT256_MAX, 2 * 10**30),
        payment(1, channel=3),
        st.ContractReceiveChannelClosing(3, PAYER, 2**64 - 1, 2**96 - 1, 2**40),
        st.ContractReceiveChannelUpdated(3, 5, 5 * 10**15),
        st.ContractReceiveChannelSettled(3, 5 * 10**15, 10**30 - 5 * 10**15),
        st.ActionCooperativeClose(UINT256_MAX),
    ]


def spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_append_many__every_change_kind__replayed_equal_and_in_order(wal_target):
    log = wal.open_wal(wal_target)
    changes = every_kind()

    log.append_many(changes[:3])
    log.append_many(changes[3:])

    assert list(log.replay()) == changes
    assert log.count() == len(changes)
    log.close()
    again = wal.open_wal(wal_target)  # and after a restart
    assert list(again.replay()) == changes
    again.close()


def test_append_many__small_and_large_batches__one_order_across_them(wal_target):
    log = wal.open_wal(wal_target)
    nonces = iter(range(1, 10_000))
    batches = [[st.ContractReceiveChannelUpdated(1, next(nonces), 0) for _ in range(size)]
               for size in (1, 15, 16, 700, 3, 2_048)]  # fmt: skip

    for batch in batches:
        log.append_many(batch)

    assert [c.nonce for c in log.replay()] == list(range(1, 1 + sum(map(len, batches))))
    log.close()


def test_append_many__a_change_that_cannot_be_logged__nothing_written(wal_target):
    log = wal.open_wal(wal_target)
    log.append_many([payment(1)])
    batch = [payment(2), st.Block(1_000), payment(3)]  # the clock is never logged

    with pytest.raises(KeyError, match="Block"):
        log.append_many(batch)

    assert [c.nonce for c in log.replay()] == [1]
    log.close()


@pytest.mark.slow
def test_append_many__writer_sigkilled_mid_batch__all_of_it_or_none(wal_target):
    size, rng, logged = 100_000, random.Random(6), 0
    for round_ in range(3):
        writer = spawn(WRITER, wal_target, str(size))
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        time.sleep(rng.uniform(0.0, 0.4))
        writer.send_signal(signal.SIGKILL)  # inside the transaction, or at or after its commit
        writer.wait(timeout=30)
        log = wal.open_wal(wal_target)
        before, logged = logged, log.count()
        log.close()
        assert logged in (before, before + size), f"round {round_}: {logged - before} written"


def test_cursor__set_twice__last_block_kept_across_a_restart(wal_target):
    log = wal.open_wal(wal_target)
    assert log.cursor() is None

    log.set_cursor(2**40)
    log.set_cursor(2**40 + 7)
    log.close()

    again = wal.open_wal(wal_target)
    assert again.cursor() == 2**40 + 7
    assert again.count() == 0  # the cursor is not a change
    again.close()


def test_open__another_hub_holds_the_log__refused_until_it_closes(wal_target):
    holder = spawn(HOLDER, wal_target)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"

        second = spawn(OPENER, wal_target)
        _, error = second.communicate(timeout=30)

        assert second.returncode == 1
        assert "refused" in error and "in use by another hub" in error
    finally:
        holder.terminate()
        holder.wait(timeout=30)
    third = spawn(OPENER, wal_target)
    out, error = third.communicate(timeout=30)
    assert third.returncode == 0, error
    assert out == "opened\n"


def test_open__holder_sigkilled__the_log_is_free_again(wal_target):
    holder = spawn(HOLDER, wal_target)
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"

    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)

    log = wal.open_wal(wal_target)  # waits for the server to see the session end
    assert log.count() == 0
    log.close()


def end_sessions(pg_url: str) -> None:
    """End the hub's server session, as a server restart or a broken network would."""
    import psycopg

    database = pg_url.rsplit("/", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name = 'bpsa-hub'",
            (database,),
        ).fetchall()
    assert ended == [(True,)]


def test_append_many__postgres_session_lost__that_batch_fails_the_next_reconnects(pg_url):
    log = wal.open_wal(pg_url)
    log.append_many([payment(1)])
    end_sessions(pg_url)

    with pytest.raises(wal.LogUnavailable, match="cannot write to the PostgreSQL log at"):
        log.append_many([payment(2)])
    log.append_many([payment(3)])

    assert [c.nonce for c in log.replay()] == [1, 3]
    assert log.count() == 2
    log.close()


def test_append_many__another_hub_wrote_while_the_session_was_lost__refused_restart(pg_url):
    log = wal.open_wal(pg_url)
    log.append_many([payment(1)])
    end_sessions(pg_url)
    with pytest.raises(wal.LogUnavailable):
        log.append_many([payment(2)])
    other = wal.open_wal(pg_url)  # the lock was free: another hub took the log, wrote
    other.append_many([payment(5)])
    other.close()

    with pytest.raises(wal.LogError, match="changed while the connection was down"):
        log.append_many([payment(3)])

    with pytest.raises(wal.LogError, match="is closed"):
        log.append_many([payment(4)])  # for good: only a restart (a replay) goes on
    again = wal.open_wal(pg_url)
    assert [c.nonce for c in again.replay()] == [1, 5]
    again.close()


def test_open__invalid_synchronous__value_error(wal_target):
    with pytest.raises(ValueError, match="FULL"):
        wal.open_wal(wal_target, synchronous="OFF")


def test_open__postgres_url_with_a_password__path_keeps_it_out(pg_url):
    with_password = pg_url.replace("://bpsa@", "://bpsa:hunter2@", 1)
    assert "hunter2" in with_password  # the test server trusts the loopback: it is ignored

    log = wal.open_wal(with_password)

    assert "hunter2" not in str(log.path) and "bpsa:***@" in str(log.path)
    log.close()


def test_open__no_server_at_the_url__unavailable_naming_the_host_not_the_password():
    port = free_port()

    with pytest.raises(wal.LogUnavailable) as raised:
        wal.open_wal(f"postgresql://hub:hunter2@127.0.0.1:{port}/hub")

    assert f"127.0.0.1:{port}/hub" in str(raised.value)
    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("postgresql://hub:hunter2@127.0.0.1:99999/hub", "Port out of range"),
        ("postgres://hub:hunter2@[::1/hub", "Invalid IPv6 URL"),
        (
            "postgresql://hub:hunter2@127.0.0.1:5/hub?bogus=1",
            'invalid URI query parameter: "bogus"',
        ),
    ],
)
def test_open__malformed_url__unavailable_saying_why_not_the_password(url, names):
    with pytest.raises(wal.LogUnavailable) as raised:
        wal.open_wal(url)

    assert names in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_open__a_path__sqlite_file_with_its_lock_beside_it(tmp_path):
    log = wal.open_wal(tmp_path / "logs" / "hub.sqlite")

    assert isinstance(log, wal.SqliteWriteAheadLog)
    assert (tmp_path / "logs" / "hub.sqlite").exists()
    assert (tmp_path / "logs" / "hub.sqlite.lock").exists()
    log.close()


def test_rewind__reorganised_blocks__their_chain_changes_and_hashes_forgotten_payments_kept(
    wal_target,
):
    log = wal.open_wal(wal_target)
    log.append_many([st.ContractReceiveChannelOpened(1, PAYER, 10)], blocks=[100])
    log.set_cursor(100, b"\x01" * 32)
    log.append_many([payment(1)])
    log.append_many([st.ContractReceiveChannelToppedUp(1, 20)], blocks=[105])
    log.set_cursor(106, b"\x02" * 32)
    log.append_many([payment(2)])

    gone = log.rewind(100)

    assert gone == 1
    assert [type(c).__name__ for c in log.replay()] == [
        "ContractReceiveChannelOpened",
        "ReceivePayment",
        "ReceivePayment",
    ]
    assert log.cursor() == 100
    assert log.block_hashes() == [(100, b"\x01" * 32)]
    log.close()
    again = wal.open_wal(wal_target)  # the rewind is durable
    assert again.count() == 3 and again.cursor() == 100
    again.close()


def test_set_cursor__many_blocks__only_the_newest_hashes_kept(wal_target):
    log = wal.open_wal(wal_target)
    for block in range(1, wal.BLOCKS_KEPT + 11):
        log.set_cursor(block, block.to_bytes(32, "big"))

    kept = log.block_hashes()

    assert len(kept) == wal.BLOCKS_KEPT
    assert kept[0] == (wal.BLOCKS_KEPT + 10, (wal.BLOCKS_KEPT + 10).to_bytes(32, "big"))
    log.close()
