"""Issue 15, finding 16: a stale close wins after one failed send.

The watcher marked a dispute as sent (in the engine's state) before its transaction went
out and had already moved its cursor past the close: when that one send failed (the RPC
dropped it), the hub never tried again, and a hub restarted mid-window rebuilt the same
mark from its log, so it never disputed either; the channel settled at the payer's
oldest proof. Now a dispute is derived, every round, from the chain's view and the log
(the best proof held against the proof in force), and sent until it is mined, the
window ends, or a proof at least as good is in force.

Against a real anvil: the hub (`python -m bpsa.sidechains.serve`) reaches the chain
through `RpcProxy`, which forwards JSON-RPC and drops the hub's transactions on demand:
by cutting the connection (the RPC endpoint went away) or by answering a transaction's
hash and never forwarding it (the node dropped it)."""

from __future__ import annotations

import http.server
import json
import os
import socketserver
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eth_utils.crypto import keccak

from bpsa.core import channels as ch
from bpsa.core import manifest as manifests
from bpsa.core.accounts import dev_account
from bpsa.core.chain import Gateway
from bpsa.sidechains.client import ChannelClient
from tests.sidechains.conftest import CHEAT, DEPOSIT, HUB

ROOT = Path(__file__).resolve().parents[2]
PRICE = 10**15


class RpcProxy:
    """JSON-RPC to `upstream`, except the next `drop` eth_sendRawTransaction calls:
    `mode` "cut" closes the connection unanswered, "swallow" answers the transaction's
    hash and never forwards it."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.drop = 0
        self.mode = "cut"
        self.dropped = 0
        self.down = False  # every call cut: the endpoint is gone
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                call = json.loads(raw)
                if proxy.down:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if (
                    isinstance(call, dict)
                    and call.get("method") == "eth_sendRawTransaction"
                    and proxy.drop > 0
                ):
                    proxy.drop -= 1
                    proxy.dropped += 1
                    if proxy.mode == "cut":
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    signed = bytes.fromhex(call["params"][0].removeprefix("0x"))
                    self._answer(
                        {"jsonrpc": "2.0", "id": call["id"], "result": "0x" + keccak(signed).hex()}
                    )
                    return
                request = urllib.request.Request(
                    proxy.upstream, data=raw, headers={"Content-Type": "application/json"}
                )
                with urllib.request.urlopen(request, timeout=30) as reply:
                    self._answer(json.loads(reply.read()))

            def _answer(self, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HubNode:
    """The hub as its own process on one log, watching the chain through the proxy."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> None:
        with self.log.open("a") as stderr:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=stderr,
                text=True,
            )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line.startswith("listening on "), f"{line!r}; hub log:\n{self.log.read_text()}"
        self.url = line.split()[-1]

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def wait_until(condition: Any, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture
def proxy(chain) -> Iterator[RpcProxy]:
    node = RpcProxy(chain.provider.uri)
    yield node
    node.close()


@pytest.fixture
def hub_extra() -> list[str]:
    """More arguments for the hub (a test parametrizes it)."""
    return []


@pytest.fixture
def hub_node(chain, hub_world, proxy, hub_extra, tmp_path) -> Iterator[HubNode]:
    manifest = manifests.save(hub_world["manifest"], tmp_path)
    command = [
        sys.executable, "-m", "bpsa.sidechains.serve", "--wal", str(tmp_path / "hub.sqlite"),
        "--chain-id", str(chain.chain_id), "--channels", str(hub_world["Channels"].address),
        "--port", "0", "--rpc", proxy.url, "--manifest", str(manifest), "--poll", "0.1",
        *hub_extra,
    ]  # fmt: skip
    env = {**os.environ, "BPSA_HUB_KEY": dev_account(HUB).key.hex()}
    node = HubNode(command, env, tmp_path / "hub.log")
    node.start()
    yield node
    node.stop()


def cheater_pays_ten(chain, hub_world, hub_node, tmp_path) -> tuple[ChannelClient, int]:
    """A payer opens a channel and pays the hub 10 queries; the hub holds proof 10."""
    web = Gateway(chain.provider.uri, hub_world["manifest"])
    cheat = ChannelClient(web, dev_account(CHEAT), hub_node.url, tmp_path / "cheat.sqlite")
    channel = cheat.open(DEPOSIT)
    wait_until(lambda: cheat.hub_knows(channel), what="the hub to see the channel")
    for _ in range(10):
        cheat.pay(channel, PRICE)
    return cheat, channel


def close_stale(cheat: ChannelClient, channel: int) -> None:
    """The payer closes claiming 3 queries' worth (its proof 3)."""
    nonce, amount, signature = cheat.proof(channel, 3)
    fn = cheat.channels.functions.close(channel, nonce, amount, ch.as_arg(signature))
    cheat.chain.send(cheat.account, fn)


def settles_for_ten(chain, hub_world, channel: int) -> None:
    """The window ends; the hub settles the channel at the proof in force: all 10."""
    channels = hub_world["Channels"]
    earned = channels.hub_earnings()
    chain.pending_timestamp += int(channels.challenge_window())
    chain.mine()
    wait_until(lambda: channels.channel(channel)[1] == 0, what="the hub's settlement")
    assert channels.hub_earnings() - earned == 10 * PRICE


def test_dispute__first_send_cut_by_the_rpc__sent_again_and_the_hub_paid_in_full(
    chain, hub_world, proxy, hub_node, tmp_path
):
    cheat, channel = cheater_pays_ten(chain, hub_world, hub_node, tmp_path)
    proxy.drop, proxy.mode = 1, "cut"  # the hub's next transaction never reaches the chain

    close_stale(cheat, channel)

    channels = hub_world["Channels"]
    wait_until(lambda: proxy.dropped == 1, what="the hub's first dispute")
    wait_until(lambda: channels.channel(channel)[3] == 10 * PRICE, 20, "the hub's dispute again")
    settles_for_ten(chain, hub_world, channel)


def test_dispute__send_dropped_then_hub_killed_mid_window__restarted_hub_disputes(
    chain, hub_world, proxy, hub_node, tmp_path
):
    cheat, channel = cheater_pays_ten(chain, hub_world, hub_node, tmp_path)
    proxy.drop, proxy.mode = 10**6, "swallow"  # the node drops every transaction of the hub

    close_stale(cheat, channel)
    wait_until(lambda: proxy.dropped >= 1, what="the hub's dispute")
    hub_node.kill()  # mid-window, its dispute never mined
    proxy.drop = 0
    hub_node.start()  # on the same log

    channels = hub_world["Channels"]
    wait_until(
        lambda: channels.channel(channel)[3] == 10 * PRICE, 20, "the restarted hub's dispute"
    )
    settles_for_ten(chain, hub_world, channel)


@pytest.mark.parametrize("hub_extra", [["--tx-timeout", "2"]])
def test_dispute__first_send_swallowed_by_the_node__sent_again_after_the_timeout(
    chain, hub_world, proxy, hub_node, tmp_path
):
    cheat, channel = cheater_pays_ten(chain, hub_world, hub_node, tmp_path)
    proxy.drop, proxy.mode = 1, "swallow"  # answered with its hash, never forwarded

    close_stale(cheat, channel)

    channels = hub_world["Channels"]
    wait_until(lambda: proxy.dropped == 1, what="the hub's first dispute")
    wait_until(lambda: channels.channel(channel)[3] == 10 * PRICE, 20, "the hub's dispute again")
    settles_for_ten(chain, hub_world, channel)
