"""A local anvil of our own, for a sibling collection's chain in the demo and the tests.

ape-foundry starts the main local chain (chain id 31337); a sibling collection lives on
another chain, so `Anvil(chain_id=31338)` starts a second anvil on a free loopback port,
with the same test mnemonic (the same funded accounts), and stops it by its PID.
`pause()` and `resume()` stop and continue the process (SIGSTOP/SIGCONT): a chain that is
down for a while, as the swap coordinator must survive.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

from bpsa.core.accounts import TEST_MNEMONIC  # ape's test accounts, funded alike
from bpsa.core.errors import BpsaError, ChainUnavailable
from bpsa.core.rpc import Rpc


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rpc(url: str, method: str, params: list[object] | None = None, timeout: float = 5) -> object:
    """One JSON-RPC call (anvil's own methods included) through the gateway's transport:
    its result; `ChainRejected` with the node's error, `ChainUnavailable` if none."""
    with Rpc(url, timeout=timeout, size=1) as node:
        return node.request(method, params or [])


class Anvil:
    def __init__(self, chain_id: int, port: int | None = None, block_time: int | None = None):
        self.chain_id = chain_id
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.block_time = block_time
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Anvil:
        binary = shutil.which("anvil")
        if binary is None:
            raise BpsaError("anvil is not on PATH (make setup links it into .venv/bin)")
        command = [
            binary, "--chain-id", str(self.chain_id), "--port", str(self.port),
            "--mnemonic", TEST_MNEMONIC, "--accounts", "20", "--balance", "100000", "--silent",
        ]  # fmt: skip
        if self.block_time:
            command += ["--block-time", str(self.block_time)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                if int(str(rpc(self.url, "eth_chainId", timeout=1)), 16) == self.chain_id:
                    return self
            except ChainUnavailable:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                self.stop()
                raise BpsaError(f"anvil (chain {self.chain_id}) did not start: {error.strip()}")
            time.sleep(0.05)

    def pause(self) -> None:
        """The chain goes down (the process stops answering) until `resume`."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)  # a paused process must wake to exit
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()
        self.process = None

    def __enter__(self) -> Anvil:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
