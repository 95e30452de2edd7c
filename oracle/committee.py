"""Run an oracle committee on this machine: N certificate nodes and the aggregator as
separate processes (`python -m bpsa.oracle certify|aggregate --config ...`), each with
its own TOML configuration written here, sharing one board. What `make demo` and the
benchmark start; stopped by PID (SIGTERM, then SIGKILL after a grace period).

Keys: the local chain's test accounts (`test_account = n`), so only for local chains;
a real committee runs each node on its own host with its own keystore.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bpsa.core.errors import BpsaError


@dataclass
class Committee:
    directory: Path
    rpc: str
    manifest: Path
    feed: Path
    nodes: dict[str, int]  # node name -> test account index
    aggregator: int  # test account index of the aggregator
    ipfs_api: str | None = None
    store_directory: Path | None = None
    poll: float = 0.2
    batch_min: int | None = None
    batch_wait: float | None = None  # None: the aggregator's default
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def board(self) -> Path:
        return self.directory / "board.sqlite"

    def _config(self, name: str, role: str, account: int) -> Path:
        store = f'ipfs_api = "{self.ipfs_api}"' if self.ipfs_api else ""
        directory = self.store_directory or self.directory / "store"
        text = f"""
[chain]
rpc = "{self.rpc}"
manifest = "{self.manifest}"

[store]
{store}
directory = "{directory}"

[feed]
path = "{self.feed}"

[board]
path = "{self.board}"

[{role}]
name = "{name}"
test_account = {account}
poll_seconds = {self.poll}
"""
        path = self.directory / f"{name}.toml"
        path.write_text(text)
        return path

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "BPSA_IPFS_API"}
        for name, account in self.nodes.items():
            config = self._config(name, "node", account)
            self._spawn(name, ["certify", "--config", str(config)], env)
        config = self._config("aggregator", "aggregator", self.aggregator)
        self._spawn("aggregator", ["aggregate", "--config", str(config), *self._extra()], env)

    def _extra(self) -> list[str]:
        extra = ["--batch-min", str(self.batch_min)] if self.batch_min else []
        if self.batch_wait is not None:
            extra += ["--batch-wait", str(self.batch_wait)]
        return extra

    def _spawn(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = open(self.directory / f"{name}.log", "ab")  # noqa: SIM115 (lives with the process)
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", "bpsa.oracle", "-v", *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        (self.directory / f"{name}.pid").write_text(str(self.processes[name].pid))

    def kill(self, name: str) -> None:
        """SIGKILL one process (a crash, for fault tests)."""
        process = self.processes[name]
        process.kill()
        process.wait()

    def restart(self, name: str) -> None:
        """Start a process again (after `kill` or a crash), its configuration rewritten
        from the committee's current settings (an IPFS daemon that moved, say)."""
        env = {k: v for k, v in os.environ.items() if k != "BPSA_IPFS_API"}
        if name == "aggregator":
            config = self._config(name, "aggregator", self.aggregator)
            self._spawn(name, ["aggregate", "--config", str(config), *self._extra()], env)
        else:
            config = self._config(name, "node", self.nodes[name])
            self._spawn(name, ["certify", "--config", str(config)], env)

    def check(self) -> None:
        """`BpsaError` naming any process that exited, with its log's tail."""
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = (self.directory / f"{name}.log").read_text(errors="replace")[-2000:]
                raise BpsaError(f"oracle process {name} exited ({process.returncode}):\n{tail}")

    def stop(self, grace: float = 10.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for name in self.processes:
            (self.directory / f"{name}.pid").unlink(missing_ok=True)

    def __enter__(self) -> Committee:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
