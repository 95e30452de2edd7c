"""Keys, domain and payments shared by the hub's tests."""

from __future__ import annotations

import http.server
import json
import socketserver
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from eth_account import Account
from eth_utils.crypto import keccak

from bpsa.core import channels as ch
from bpsa.sidechains import state as st

PAYER_KEY = keccak(text="bpsa hub payer")
PAYER = Account.from_key(PAYER_KEY).address
HUB_KEY = keccak(text="bpsa hub key")
HUB = Account.from_key(HUB_KEY).address
DOM = ch.domain(31337, "0x" + "cd" * 20)
PRICE = 10**15  # 0.001 BPC a query


def opened_channel() -> int:
    """The deposit of the test channel: enough for a million queries."""
    return 10**6 * PRICE


def payment(nonce: int, channel: int = 1) -> st.ReceivePayment:
    """The payer's `nonce`-th payment: cumulative nonce x PRICE."""
    amount = nonce * PRICE
    signature = ch.sign(ch.BalanceProof(channel, nonce, amount), DOM, PAYER_KEY)
    return st.ReceivePayment(channel, nonce, amount, signature)


ROOT = Path(__file__).resolve().parents[2]


class HubProcess:
    """The hub as its own process on one log: started, killed (SIGKILL) or stopped."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.command, self.env, self.log = command, env, log
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> None:
        """Starts the hub and waits for its `listening on <url>` line."""
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
        self.process.kill()  # SIGKILL: no chance to flush or close anything
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


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


def wait_until(condition: Any, timeout: float = 30.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)
