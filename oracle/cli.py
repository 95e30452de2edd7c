"""`bpsa-oracle`: run a certificate node or the aggregator, or read the board.

    bpsa-oracle certify --config oracle/node1.toml      # one node (runs until stopped)
    bpsa-oracle aggregate --config oracle/aggregator.toml
    bpsa-oracle status --board .oracle/board.sqlite     # counts and every refusal, why
    bpsa-oracle monitor --config oracle/monitor.toml --observations scans.jsonl
    bpsa-oracle valuations --config oracle/expert1.toml --file reviewed.csv

A node or the aggregator stops cleanly on SIGINT or SIGTERM, after the step in hand.
`--once` runs a single step and exits (for cron-style runs and tests).
"""

from __future__ import annotations

import json
import logging
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bpsa.core.errors import BpsaError
from bpsa.core.manifest import Manifest
from bpsa.oracle import config as configuration
from bpsa.oracle.board import Board
from bpsa.oracle.chain import PoolChain

Command = Callable[..., Any]


def existing_file(flag: str, dest: str, help: str) -> Callable[[Command], Command]:
    """A required option naming a file that must exist (click says so if it does not)."""
    path = click.Path(exists=True, dir_okay=False, path_type=Path)
    return click.option(flag, dest, required=True, type=path, help=help)


once_opt = click.option("--once", is_flag=True, help="One step, then exit.")
config_opt = existing_file(
    "--config", "config_path", "The process's TOML configuration (see bpsa/oracle/config.py)."
)


def _manifest(path: Path) -> Manifest:
    try:
        return Manifest.from_json(json.loads(path.read_text()), str(path))
    except (OSError, ValueError) as exc:
        raise BpsaError(f"cannot read the deployment manifest {path}: {exc}") from None


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


def _drive(process: Any, once: bool, poll: float) -> None:
    """A node or the aggregator: one step, printed, with --once; else its loop until
    SIGINT or SIGTERM."""
    if once:
        click.echo(str(process.step()))
    else:
        process.run(_stop_on_signals(), poll)


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BpsaError(f"{what} must be a whole number of blocks (0 or more), got {value!r}")
    return value


def _setup(config_path: Path, role: str) -> tuple[configuration.Config, PoolChain, Any]:
    cfg = configuration.load(config_path, role)
    chain = PoolChain(cfg.rpc, _manifest(cfg.manifest))
    account = cfg.account(chain.chain_id())
    return cfg, chain, account


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log every decision.")
def cli(verbose: bool) -> None:
    """BPSA oracle processes: certificate nodes and the aggregator."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
    )


@cli.command()
@config_opt
@once_opt
def certify(config_path: Path, once: bool) -> None:
    """Run a certificate node: watch submissions, check them, sign or refuse."""
    from bpsa.oracle.feed import LocalFeed
    from bpsa.oracle.node import CertificateNode
    from bpsa.oracle.store import open_store

    try:
        cfg, chain, account = _setup(config_path, "node")
        if cfg.feed == Path(""):
            raise BpsaError(f"{config_path}: set [feed] path (or $BPSA_ORACLE_FEED)")
        board = Board(cfg.board)
        if not chain.is_oracle(account.address):
            raise BpsaError(f"{account.address} is not an active oracle in the alliance")
        store = open_store(cfg.ipfs_api, cfg.store_directory)
        feed = LocalFeed.load(cfg.feed)
        depth = cfg.depth(chain.chain_id())
        node = CertificateNode(cfg.name, chain, store, feed, board, account, confirmations=depth)
        click.echo(
            f"node {cfg.name} ({account.address}) on chain {chain.chain_id()}, "
            f"acting on blocks {depth} deep"
        )
        _drive(node, once, cfg.poll)
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@config_opt
@once_opt
@click.option("--batch-min", type=int, default=None, help="Batch from this backlog (default: gas).")
@click.option(
    "--batch-wait",
    type=click.FloatRange(0),
    default=5.0,
    show_default=True,
    help="Seconds a ready certificate waits for others to batch with (not with --once).",
)
def aggregate(config_path: Path, once: bool, batch_min: int | None, batch_wait: float) -> None:
    """Run the aggregator: post certificates once M nodes signed them, a burst in one
    Merkle batch proven with multi-proofs."""
    from bpsa.oracle.aggregator import Aggregator

    try:
        cfg, chain, account = _setup(config_path, "aggregator")
        board = Board(cfg.board)
        depth = cfg.depth(chain.chain_id())
        wait = 0.0 if once else batch_wait  # one step posts what is ready
        aggregator = Aggregator(
            chain, board, account, batch_min, confirmations=depth, batch_wait=wait
        )
        click.echo(f"aggregator ({account.address}) on chain {chain.chain_id()}")
        _drive(aggregator, once, cfg.poll)
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@existing_file("--board", "board_path", "The board's SQLite file.")
@click.option(
    "--held",
    is_flag=True,
    help="Also list the patents each node keeps certified: when it next reads the office's "
    "record of each (chain time, UTC) and what it found last.",
)
def status(board_path: Path, held: bool) -> None:
    """Each node's counts and every refusal with its reason."""
    from bpsa.core.units import when

    board = Board(board_path)
    for node, counts in sorted(board.counts().items()):
        click.echo(f"{node}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for item in board.refusals():
        click.echo(f"  {item.node} refused {item.submission.key}: {item.reason}")
    for node in sorted(board.counts()) if held else ():
        for office, number, next_check, found in board.held(node):
            last = f": {found}" if found else ""
            click.echo(f"  {node} keeps {office} {number}, next look {when(next_check)}{last}")
    posts = board.posts()
    click.echo(f"{len(posts)} certificate(s) posted")


@cli.command()
@config_opt
@click.option(
    "--observations",
    required=True,
    help="A JSON-lines file of market observations, or an http(s) URL answering a list.",
)
@click.option(
    "--log", "log_path", default=".oracle/monitor.sqlite", type=click.Path(path_type=Path)
)
def monitor(config_path: Path, observations: str, log_path: Path) -> None:
    """Check market observations against licences; file cases for unlicensed uses."""
    from bpsa.oracle.monitor import Monitor, read_observations
    from bpsa.oracle.store import open_store

    try:
        cfg, chain, account = _setup(config_path, "monitor")
        store = open_store(cfg.ipfs_api, cfg.store_directory)
        confirmations = _whole(cfg.role.get("confirmations", 0), "[monitor] confirmations")
        watcher = Monitor(chain, store, account, log_path, cfg.rpc, confirmations=confirmations)
        seen = read_observations(observations)
        findings = watcher.process(seen)
        for finding in findings:
            verdict = "licensed" if finding.licensed else "UNLICENSED"
            cases = f"; case(s) {', '.join(map(str, finding.cases))}" if finding.cases else ""
            click.echo(f"{finding.observation.id}: {verdict}: {finding.reason}{cases}")
        waiting = [o.id for o in seen if watcher.pending(o.id) is not None]
        if waiting:
            click.echo(
                f"{len(waiting)} verdict(s) wait for {confirmations} confirmation(s): "
                "run again later"
            )
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@config_opt
@existing_file("--file", "path", "The committee's reviewed valuations (CSV).")
def valuations(config_path: Path, path: Path) -> None:
    """Push this expert's reviewed valuations into the pool's ratings."""
    from bpsa.oracle.valuations import push, read_reviewed

    try:
        _, chain, account = _setup(config_path, "expert")
        for key, outcome in push(chain, account, read_reviewed(path)):
            click.echo(f"{key}: {outcome}")
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None


def main() -> None:
    cli()
