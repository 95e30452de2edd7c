"""Chain reads over raw JSON-RPC (no ape, no web3): a small pool of kept-alive HTTP
connections shared by a worker's threads. Blocking; async routes run it in a thread."""

from __future__ import annotations

import itertools
import json
import queue
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from typing import Any
from urllib.parse import urlsplit

from eth_utils.abi import function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address

from bpsa.api.errors import ChainUnavailable
from bpsa.core.errors import InputError


def selector(signature: str) -> bytes:
    return bytes(function_signature_to_4byte_selector(signature))


def word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def address_word(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


def words(out: bytes) -> list[bytes]:
    return [out[i : i + 32] for i in range(0, len(out) - len(out) % 32, 32)]


def as_int(w: bytes) -> int:
    return int.from_bytes(w, "big")


def as_address(w: bytes) -> str:
    return str(to_checksum_address(w[12:]))


@dataclass(frozen=True)
class BatchRecord:
    """Licensing.batches(id): zero everywhere when no such batch."""

    batch: int
    maker: str
    product: bytes
    root: bytes
    count: int
    registered_at: int


BATCHES = selector("batches(uint256)")
CLAIM_FACTS = selector("claim_facts(address,uint256)")
HUB = selector("HUB()")


class Rpc:
    """`eth_call` and friends on `url`, thread-safe through a pool of connections."""

    def __init__(self, url: str, timeout: float = 5.0, size: int = 8) -> None:
        parsed = urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise InputError(f"the RPC URL must be http(s)://host:port, got {url!r}")
        self._kind = HTTPSConnection if parsed.scheme == "https" else HTTPConnection
        self._host, self._port, self._path = parsed.hostname, parsed.port, parsed.path or "/"
        self._timeout = timeout
        self._pool: queue.LifoQueue[HTTPConnection] = queue.LifoQueue(size)
        self._ids = itertools.count(1)
        self.url = url

    def close(self) -> None:
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return

    def request(self, method: str, params: list[Any]) -> Any:
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._kind(self._host, self._port, timeout=self._timeout)
        body = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        try:
            conn.request("POST", self._path, json.dumps(body), {"Content-Type": "application/json"})
            reply = json.loads(conn.getresponse().read())
        except (OSError, HTTPException, ValueError) as exc:
            conn.close()
            raise ChainUnavailable(f"the node at {self.url} did not answer: {exc}") from None
        try:
            self._pool.put_nowait(conn)
        except queue.Full:
            conn.close()
        if not isinstance(reply, dict) or "error" in reply or "result" not in reply:
            error = reply.get("error") if isinstance(reply, dict) else reply
            raise ChainUnavailable(f"the node refused {method}: {error}")
        return reply["result"]

    def call(self, to: str, data: bytes) -> bytes:
        result = self.request("eth_call", [{"to": to, "data": "0x" + data.hex()}, "latest"])
        return bytes.fromhex(str(result)[2:])

    def chain_id(self) -> int:
        return int(str(self.request("eth_chainId", [])), 16)

    def block_number(self) -> int:
        return int(str(self.request("eth_blockNumber", [])), 16)

    def batch(self, licensing: str, batch: int) -> BatchRecord:
        w = words(self.call(licensing, BATCHES + word(batch)))
        if len(w) < 5:
            raise ChainUnavailable("Licensing.batches answered too short a result")
        return BatchRecord(batch, as_address(w[0]), w[1], w[2], as_int(w[3]), as_int(w[4]))

    def claim_facts(self, licensing: str, holder: str, licence: int) -> list[bytes]:
        out = self.call(licensing, CLAIM_FACTS + address_word(holder) + word(licence))
        w = words(out)
        if len(w) < 7:
            raise ChainUnavailable("Licensing.claim_facts answered too short a result")
        return w

    def hub(self, channels: str) -> str:
        return as_address(self.call(channels, HUB)[:32])
