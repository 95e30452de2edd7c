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


class Pending:
    """A call sent and not yet answered (`Rpc.send`); read its answer exactly once."""

    __slots__ = ("_conn", "_method", "_rpc")

    def __init__(self, rpc: Rpc, conn: HTTPConnection, method: str) -> None:
        self._rpc, self._conn, self._method = rpc, conn, method

    def result(self) -> Any:
        return self._rpc._result(self._method, self._rpc._read(self._conn))


class Rpc:
    """JSON-RPC over HTTP(S) to `url`, through up to `size` kept-alive connections."""

    def __init__(self, url: str, timeout: float = 10.0, size: int = 8) -> None:
        parsed = urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InputError(f"RPC URL {url!r} must start with http:// or https://")
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

    def _send(self, payload: Any) -> HTTPConnection:
        """Send `payload` on a pooled connection; the connection, to read the answer."""
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._kind(self._host, self._port, timeout=self._timeout)
        try:
            conn.request("POST", self._path, orjson.dumps(payload), HEADERS)
        except (OSError, HTTPException) as exc:
            conn.close()
            raise self._unreachable(exc) from None
        return conn

    def _read(self, conn: HTTPConnection) -> Any:
        """The answer on `conn`, parsed; the connection goes back to the pool."""
        try:
            response = conn.getresponse()
            body = response.read()
        except (OSError, HTTPException) as exc:
            conn.close()
            raise self._unreachable(exc) from None
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

    def _unreachable(self, exc: Exception) -> ChainUnavailable:
        return ChainUnavailable(
            f"cannot reach the RPC at {self.url}: the node did not answer ({exc})"
        )

    def _post(self, payload: Any) -> Any:
        return self._read(self._send(payload))

    @staticmethod
    def _result(method: str, answer: Any) -> Any:
        if not isinstance(answer, dict) or ("result" not in answer and "error" not in answer):
            raise ChainUnavailable(f"{method}: not a JSON-RPC answer: {str(answer)[:200]}")
        if "error" in answer:
            raise ChainRejected(f"the node refused {method}: {answer['error']}")
        return answer["result"]

    def request(self, method: str, params: Sequence[Any] = ()) -> Any:
        """One call's `result`."""
        return self.send(method, params).result()

    def send(self, method: str, params: Sequence[Any] = ()) -> Pending:
        """Send one call and return at once: its `result()` waits for the answer, so a
        caller can work while the node answers (the QR verifier hashes a proof then)."""
        body = {"jsonrpc": "2.0", "id": self._next_ids(1), "method": method, "params": params}
        return Pending(self, self._send(body), method)

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

    def headers(self, numbers: Sequence[int]) -> dict[int, dict[str, Any] | None]:
        """Block headers by number, in one batch (None for a block the chain lacks)."""
        answers = self.batch([("eth_getBlockByNumber", (hex(n), False)) for n in numbers])
        return dict(zip(numbers, answers, strict=True))
