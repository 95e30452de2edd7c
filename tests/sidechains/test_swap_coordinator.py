"""The swap coordinator on two real chains (two anvils, BPC and APC): a start-up
swaps BPC for an AI lab's APC end to end; the lab vanishes after signing and the
start-up's lock comes back after its deadline; a coordinator killed between its lock
and its claim picks up after a restart; a chain down for a while delays the swap but
loses nothing; and a party refuses a document that is not what it agreed to."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bpsa.cli import main as bpsa_cli
from bpsa.core.accounts import dev_account
from bpsa.core.chain import Backoff
from bpsa.sidechains.swap import Document, SwapChain, SwapParty, SwapRefused
from bpsa.sidechains.swap_rules import Do
from tests.sidechains import swapworld
from tests.sidechains.swapworld import LAB, SAFETY, STARTUP, World

ROOT = Path(__file__).resolve().parents[2]
GIVE, GET = 10 * 10**18, 50 * 10**18
WINDOW = 300

pytestmark = pytest.mark.services  # `world` starts two anvils of its own


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = swapworld.start(tmp_path_factory.mktemp("swapworld"))
    yield world
    world.a.stop()
    world.b.stop()


def agreed(world: World, tmp_path: Path) -> tuple[SwapParty, SwapParty, str]:
    """The start-up's offer, accepted by the lab and taken back: both books ready."""
    startup = world.party(STARTUP, tmp_path / "startup.sqlite")
    lab = world.party(LAB, tmp_path / "lab.sqlite")
    offer = startup.propose(
        (world.a.chain_id, GIVE), (world.b.chain_id, GET), dev_account(LAB).address, WINDOW
    )
    answer = lab.accept(offer)
    startup.take(answer)
    return startup, lab, offer.intent.struct_hash().hex()


def steps_until_done(parties: list[SwapParty], key: str, rounds: int = 10) -> None:
    for _ in range(rounds):
        for party in parties:
            party.step(key)
        if all(p.book.get(key).state != "open" for p in parties):
            return
    raise AssertionError([p.book.steps(key) for p in parties])


def test_swap__both_parties_run__bpc_and_apc_change_hands(world, tmp_path):
    startup_before, lab_before = world.balances(STARTUP), world.balances(LAB)
    startup, lab, key = agreed(world, tmp_path)

    steps_until_done([startup, lab], key)

    assert world.balances(STARTUP) == (startup_before[0] - GIVE, startup_before[1] + GET)
    assert world.balances(LAB) == (lab_before[0] + GIVE, lab_before[1] - GET)
    assert [s[0] for s in startup.book.steps(key)] == ["lock_mine", "claim_theirs", "done"]
    assert [s[0] for s in lab.book.steps(key)][-2:] == ["claim_theirs", "done"]


def test_swap__lab_vanishes_after_signing__startup_refunded_after_its_deadline(world, tmp_path):
    before = world.balances(STARTUP)
    startup, _lab, key = agreed(world, tmp_path)
    assert startup.step(key).do is Do.LOCK_MINE
    assert world.balances(STARTUP)[0] == before[0] - GIVE
    assert startup.step(key).do is Do.WAIT  # its deadline is still ahead

    world.advance(world.a, WINDOW + SAFETY + 1)
    world.advance(world.b, WINDOW + SAFETY + 1)
    steps_until_done([startup], key)

    assert world.balances(STARTUP) == before
    assert [s[0] for s in startup.book.steps(key)][-2:] == ["refund_mine", "done"]


def test_swap__bpc_chain_down_after_the_preimage_is_out__lab_claims_when_it_returns(
    world, tmp_path
):
    lab_before = world.balances(LAB)
    startup, lab, key = agreed(world, tmp_path)
    startup.step(key)  # locks BPC
    lab.step(key)  # locks APC
    assert startup.step(key).do is Do.CLAIM_THEIRS  # takes the APC: the preimage is out

    world.a.pause()
    try:
        waiting = lab.step(key)
    finally:
        world.a.resume()

    assert waiting.do is Do.WAIT and "does not answer" in waiting.why
    steps_until_done([lab, startup], key)
    assert world.balances(LAB) == (lab_before[0] + GIVE, lab_before[1] - GET)


CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens: connection refused at once


class Recorded(Backoff):
    """The project's backoff, with the delays it chose kept."""

    def __init__(self, first: float) -> None:
        super().__init__(first=first)
        self.delays: list[float] = []

    def failed(self) -> float:
        self.delays.append(super().failed())
        return self.delays[-1]


def test_run__a_chain_down__backs_off_doubling_and_resets_when_it_answers(world, tmp_path):
    startup, _lab, key = agreed(world, tmp_path)
    backoff = Recorded(first=0.05)

    live = startup.chains
    # Both chains refuse connections (a node down, not a slow one: each round is quick).
    startup.chains = {cid: SwapChain(CLOSED_PORT, c.manifest) for cid, c in live.items()}
    startup.run(poll=0.05, timeout=1.5, backoff=backoff)
    startup.chains = live

    assert backoff.delays[:3] == [0.05, 0.1, 0.2]  # not a fixed poll against a dead node
    assert startup.book.get(key).state == "open"  # nothing given up on
    startup.step(key)  # the chain answers: the lock goes out
    assert startup.run(poll=0.05, timeout=0.2, backoff=backoff) == {key: "open"}
    assert backoff.delay == 0.0  # a round where every chain answered resets it


def cli_args(world: World, book: Path, account: int) -> list[str]:
    manifest = world.folder / f"{world.bpc.network}.json"
    return [
        "swap", "--manifest", str(manifest), "--rpc", f"BPC={world.a.url}",
        "--rpc", f"APC={world.b.url}", "--account", f"TEST::{account}", "--book", str(book),
        "--margin", str(swapworld.MARGIN), "--confirmations", "0",
    ]  # fmt: skip


def test_cli__coordinator_killed_between_lock_and_claim__restart_completes_the_swap(
    world, tmp_path
):
    startup_book, lab_book = tmp_path / "startup.sqlite", tmp_path / "lab.sqlite"
    offer = tmp_path / "offer.json"
    runner = CliRunner()
    lab_address = dev_account(LAB).address
    startup_args, lab_args = cli_args(world, startup_book, STARTUP), cli_args(world, lab_book, LAB)
    result = runner.invoke(
        bpsa_cli,
        [
            *startup_args,
            "propose",
            "--give",
            "10",
            "--get",
            "50",
            "--to",
            "APC",
            "--counterparty",
            lab_address,
            "--window",
            str(WINDOW),
            "--out",
            str(offer),
        ],
    )
    assert result.exit_code == 0, result.output
    # the deadlines for people: dates in UTC, not unix seconds
    assert re.search(r"give 10 BPC until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n", result.output)
    assert re.search(r"get  50 APC until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\n", result.output)
    assert runner.invoke(bpsa_cli, [*lab_args, "accept", str(offer)]).exit_code == 0
    assert runner.invoke(bpsa_cli, [*startup_args, "take", str(offer)]).exit_code == 0
    key = Document.read(offer).intent.struct_hash().hex()
    before = world.balances(STARTUP)

    command = [sys.executable, "-m", "bpsa.cli", *startup_args, "run", "--poll", "0.05"]
    process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while world.balances(STARTUP)[0] == before[0]:  # until its lock lands
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert world.balances(STARTUP)[1] == before[1]  # killed before any claim

    lab_run = runner.invoke(bpsa_cli, [*lab_args, "run", "--once"])  # the lab locks
    assert "lock_mine" in lab_run.output, lab_run.output
    lab = [sys.executable, "-m", "bpsa.cli", *lab_args, "run", "--poll", "0.05"]
    lab_process = subprocess.Popen(lab, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        restarted = runner.invoke(
            bpsa_cli, [*startup_args, "run", "--poll", "0.05", "--timeout", "60"]
        )
        finished, _ = lab_process.communicate(timeout=60)
    finally:
        lab_process.kill()

    assert restarted.exit_code == 0 and "done" in restarted.output, restarted.output
    assert lab_process.returncode == 0 and "done" in finished, finished
    assert world.balances(STARTUP) == (before[0] - GIVE, before[1] + GET)
    status = runner.invoke(bpsa_cli, [*startup_args, "status"])
    assert key in status.output and "claim_theirs" in status.output


def test_accept__tampered_amount__refused_naming_the_signature(world, tmp_path):
    startup = world.party(STARTUP, tmp_path / "startup.sqlite")
    offer = startup.propose(
        (world.a.chain_id, GIVE), (world.b.chain_id, GET), dev_account(LAB).address, WINDOW
    )
    data = offer.to_json()
    data["intent"]["initiator"]["amount"] = str(GIVE // 10)  # the lab would get less

    with pytest.raises(SwapRefused, match="initiator_signature is not 0x"):
        Document.from_json(json.loads(json.dumps(data)))


def test_accept__not_our_leg__refused(world, tmp_path):
    startup = world.party(STARTUP, tmp_path / "startup.sqlite")
    offer = startup.propose(
        (world.a.chain_id, GIVE), (world.b.chain_id, GET), dev_account(LAB).address, WINDOW
    )
    stranger = world.party(5, tmp_path / "stranger.sqlite")

    with pytest.raises(SwapRefused, match=r"leg is 0x.*'s to lock"):
        stranger.accept(offer)


def test_propose__both_legs_on_one_chain__refused(world, tmp_path):
    startup = world.party(STARTUP, tmp_path / "startup.sqlite")

    with pytest.raises(SwapRefused, match="both legs are on one chain"):
        startup.propose(
            (world.a.chain_id, GIVE), (world.a.chain_id, GET), dev_account(LAB).address, WINDOW
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--give", "ten"], "--give 'ten' is not a number of tokens"),
        (["--give", "-1"], "--give must be a positive amount"),
        (["--to", "QPC"], "no connected collection 'QPC'"),
        (["--counterparty", "0x12"], "counterparty '0x12' is not an address"),
    ],
)
def test_cli_propose__bad_input__clear_error_and_no_offer(world, tmp_path, args, message):
    base = {
        "--give": "10",
        "--get": "50",
        "--to": "APC",
        "--counterparty": dev_account(LAB).address,
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    out = tmp_path / "offer.json"
    options = [x for pair in base.items() for x in pair] + ["--out", str(out)]

    result = CliRunner().invoke(
        bpsa_cli, [*cli_args(world, tmp_path / "b.sqlite", STARTUP), "propose", *options]
    )

    assert result.exit_code == 1 and message in result.output, result.output
    assert not out.exists()
