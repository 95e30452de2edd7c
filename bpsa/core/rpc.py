"""The gateway's raw JSON-RPC transport, for the paths where web3.py's per-call overhead
is the cost (a QR scan's one `eth_call`, the indexer's batches of `eth_getLogs`).

A small pool of kept-alive HTTP connections, safe to share between threads; requests
one at a time or as a JSON-RPC batch (one round trip). Failures are the gateway's:
`ChainUnavailable` when the node cannot be reached or answers something that is not
JSON-RPC (retry later, `Backoff`), `ChainRejected` when it answers with an error (a
reverted call, an unknown method), naming the method.
"""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Sequence
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from typing import Any
from urllib.parse import urlsplit

import orjson

from bpsa.core.errors import ChainRejected, ChainUnavailable, InputError

HEADERS = {"Content-Type": "application/json"}


class Rpc:
    """JSON-RPC over HTTP(S) to `url`, through up to `size` kept-alive connections."""

    def __init__(self, url: str, timeout: float = 10.0, size: int = 8) -> None:
        parsed = urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InputError(f"the RPC URL must be http(s)://host:port, got {url!r}")
        self._kind = HTTPSConnection if parsed.scheme == "https" else HTTPConnection
        self._host, self._port = parsed.hostname, parsed.port
        self._path = (parsed.path or "/") + (f"?{parsed.query}" if parsed.query else "")
        self._timeout = timeout
        self._pool: queue.LifoQueue[HTTPConnection] = queue.LifoQueue(size)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.url = url

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return

    def __enter__(self) -> Rpc:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _next_ids(self, n: int) -> int:
        with self._lock:
            first = next(self._ids)
            for _ in range(n - 1):
                next(self._ids)
            return first

    def _post(self, payload: Any) -> Any:
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._kind(self._host, self._port, timeout=self._timeout)
        try:
            conn.request("POST", self._path, orjson.dumps(payload), HEADERS)
            response = conn.getresponse()
            body = response.read()
        except (OSError, HTTPException) as exc:
            conn.close()
            raise ChainUnavailable(f"the node at {self.url} did not answer: {exc}") from None
        try:
            self._pool.put_nowait(conn)
        except queue.Full:
            conn.close()
        if response.status != 200:
            raise ChainUnavailable(
                f"the node at {self.url} answered HTTP {response.status}: {body[:200]!r}"
            )
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            raise ChainUnavailable(f"the node at {self.url} answered something not JSON") from None

    @staticmethod
    def _result(method: str, answer: Any) -> Any:
        if not isinstance(answer, dict) or ("result" not in answer and "error" not in answer):
            raise ChainUnavailable(f"{method}: not a JSON-RPC answer: {str(answer)[:200]}")
        if "error" in answer:
            raise ChainRejected(f"the node refused {method}: {answer['error']}")
        return answer["result"]

    def request(self, method: str, params: Sequence[Any] = ()) -> Any:
        """One call's `result`."""
        body = {"jsonrpc": "2.0", "id": self._next_ids(1), "method": method, "params": params}
        return self._result(method, self._post(body))

    def batch(self, calls: Sequence[tuple[str, Sequence[Any]]]) -> list[Any]:
        """Each call's `result`, in order, from one JSON-RPC batch (one round trip)."""
        if not calls:
            return []
        first = self._next_ids(len(calls))
        payload = [
            {"jsonrpc": "2.0", "id": first + i, "method": m, "params": list(p)}
            for i, (m, p) in enumerate(calls)
        ]
        answers = self._post(payload)
        if not isinstance(answers, list):
            raise ChainUnavailable(f"a batch's answer is not a list: {str(answers)[:200]}")
        by_id = {a.get("id"): a for a in answers if isinstance(a, dict)}
        out = []
        for i, (method, _) in enumerate(calls):
            answer = by_id.get(first + i)
            if answer is None:
                raise ChainUnavailable(f"a batch's answer has none for {method}")
            out.append(self._result(method, answer))
        return out

    # -- the reads the fast paths make -------------------------------------------------

    def call(self, to: str, data: bytes, block: str = "latest") -> bytes:
        """`eth_call` of `data` on `to`: the raw return data."""
        result = self.request("eth_call", [{"to": to, "data": "0x" + data.hex()}, block])
        return bytes.fromhex(str(result)[2:])

    def chain_id(self) -> int:
        return int(str(self.request("eth_chainId")), 16)

    def block_number(self) -> int:
        return int(str(self.request("eth_blockNumber")), 16)
