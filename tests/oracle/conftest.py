"""IPFS daemons for the content-store tests, all run by the project's tools/ipfs.sh.

`ipfs_api`: the daemon `make test` started (its address in BPSA_IPFS_API), or, when the
folder runs on its own (`ape test tests/oracle`), one started here in a temporary
directory and stopped by PID at the end of the session.

`own_daemon`: a daemon these tests may stop, restart and tamper with on disk: the one
started here (the same as `ipfs_api`'s when the folder runs on its own), never the one
`make test` started.
"""

import json
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bpsa.core.cid import digest_of
from bpsa.core.codes import Kind, Role
from bpsa.oracle.board import Board
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.store import LocalStore
from bpsa.sdk.deploy import PoolParams, deploy_pool, manifest_for
from tests.fixtures.suite import application
from tests.oracle.monitor_market import (  # noqa: F401 (the monitor's market fixtures)
    evidence_store,
    market,
    market_chain,
    observations_file,
    watcher,
)


@pytest.fixture(scope="session")
def oracle_contracts(
    pool_alliance: Any, pool_contracts: dict[str, Any], licensing_contracts: dict[str, Any],
    infringements: Any,
) -> dict[str, Any]:  # fmt: skip
    """Every contract the oracle's processes read, by manifest name."""
    return {
        "Alliance": pool_alliance,
        **pool_contracts,
        **licensing_contracts,
        "Infringements": infringements,
    }


SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "ipfs.sh"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Daemon:
    """A js-ipfs daemon under `directory` (repo in directory/repo, PID in directory.pid).

    Its API port is chosen here once, free, and kept across restarts: left to
    tools/ipfs.sh, two xdist workers starting their own daemons at once would both take
    5001, and the loser's `ready` would be the winner's daemon answering."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.repo = directory / "repo"
        self.port = free_port()

    def _run(self, command: str) -> str:
        env = {**os.environ, "BPSA_IPFS_DIR": str(self.directory)}
        env["IPFS_API_PORT"] = str(self.port)
        done = subprocess.run(
            [str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=180
        )
        if done.returncode != 0:
            raise RuntimeError(f"tools/ipfs.sh {command} failed:\n{done.stdout}{done.stderr}")
        return done.stdout.strip()

    def start(self) -> None:
        self._run("start")

    def stop(self) -> None:
        self._run("stop")

    @property
    def api(self) -> str:
        return self._run("api")


@pytest.fixture(scope="session")
def started_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    """A daemon started for this session in a temporary directory, stopped at its end."""
    daemon = Daemon(tmp_path_factory.mktemp("ipfs") / "ipfs")
    daemon.start()
    try:
        yield daemon
    finally:
        daemon.stop()


@pytest.fixture(scope="session")
def ipfs_api(request: pytest.FixtureRequest) -> str:
    if configured := os.environ.get("BPSA_IPFS_API"):
        return configured
    daemon: Daemon = request.getfixturevalue("started_daemon")
    return daemon.api


@pytest.fixture(scope="session")
def own_daemon(started_daemon: Daemon) -> Daemon:
    return started_daemon


# -- a pool for the oracle processes (one per test module) ------------------------------


@pytest.fixture(scope="module")
def oracle_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    return LocalStore(tmp_path_factory.mktemp("oracle-store"))


@pytest.fixture(scope="module")
def oracle_world(
    project: Any,
    accounts: Any,
    chain: Any,
    deployer: Any,
    oracle_store: LocalStore,
    ipfs_api: str,  # started before the module's snapshot (ape isolation)
) -> dict[str, Any]:
    council = accounts[9]
    alliance = project.Alliance.deploy(council.address, sender=deployer)
    names = {3: "Hangzhou Chain Labs", 4: "Shadow Patents Ltd"}
    members = [(3, Kind.START_UP, Role.PROVIDER), (4, Kind.SME, Role.PROVIDER)]
    members += [(i, Kind.NON_PROFIT, Role.ORACLE) for i in (12, 13, 14)]
    for index, kind, role in members:
        record = json.dumps({"name": names.get(index, f"Oracle node {index}"), "sample": True})
        cid = oracle_store.put(record.encode())
        alliance.apply(int(kind), digest_of(cid), sender=accounts[index])
        alliance.admit(*application(alliance, accounts[index].address), sender=council)
        alliance.grant_role(accounts[index].address, int(role), sender=council)
    pool = deploy_pool(
        project, deployer, alliance.address, council.address, PoolParams(oracle_threshold=2)
    )
    contracts = {"Alliance": alliance, **pool}
    return {"manifest": manifest_for(chain, contracts, deployer.address), **contracts}


@pytest.fixture
def pool_chain(chain: Any, oracle_world: dict[str, Any]) -> PoolChain:
    """A fresh web3 view per test (ape reverts the chain between tests: no cached nonces)."""
    return PoolChain(chain.provider.uri, oracle_world["manifest"])


@pytest.fixture
def board(tmp_path: Path) -> Board:
    return Board(tmp_path / "board.sqlite")
