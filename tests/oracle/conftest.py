"""IPFS daemons for the content-store tests, all run by the project's tools/ipfs.sh.

`ipfs_api`: the daemon `make test` started (its address in BPSA_IPFS_API), or, when the
folder runs on its own (`ape test tests/oracle`), one started here in a temporary
directory and stopped by PID at the end of the session.

`own_daemon`: a daemon these tests may stop, restart and tamper with on disk: the one
started here (the same as `ipfs_api`'s when the folder runs on its own), never the one
`make test` started.
"""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "ipfs.sh"


class Daemon:
    """A js-ipfs daemon under `directory` (repo in directory/repo, PID in directory.pid)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.repo = directory / "repo"

    def _run(self, command: str) -> str:
        env = {**os.environ, "BPSA_IPFS_DIR": str(self.directory)}
        env.pop("IPFS_API_PORT", None)
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
