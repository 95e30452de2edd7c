"""The chain gateway's transport and retry policy (bpsa.core.rpc, bpsa.core.chain) against
a real HTTP server on loopback that answers as a node would, or does not."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bpsa.core.chain import Backoff, Gateway
from bpsa.core.errors import ChainError, ChainRejected, ChainUnavailable, InputError
from bpsa.core.manifest import Deployed, Manifest
from bpsa.core.rpc import Rpc
from bpsa.sdk.localchain import free_port

Answer = Callable[[Any], tuple[int, bytes]]


def node_answer(request: Any) -> Any:
    """A node that knows eth_chainId and eth_blockNumber and refuses the rest."""

    def one(call: dict[str, Any]) -> dict[str, Any]:
        results = {"eth_chainId": "0x7a69", "eth_blockNumber": "0x2a"}
        if call["method"] in results:
            return {"jsonrpc": "2.0", "id": call["id"], "result": results[call["method"]]}
        error = {"code": -32601, "message": f"method {call['method']} not found"}
        return {"jsonrpc": "2.0", "id": call["id"], "error": error}

    if isinstance(request, list):
        return [one(c) for c in reversed(request)]  # a batch's answers in any order
    return one(request)


@pytest.fixture
def node() -> Iterator[tuple[str, list[Answer]]]:
    """A loopback server; `answers[0]`, when set, replaces the node's answer."""
    answers: list[Answer] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if answers:
                status, body = answers[0](request)
            else:
                status, body = 200, json.dumps(node_answer(request)).encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", answers
    server.shutdown()
    server.server_close()


def test_request__node_answers__its_result(node: tuple[str, list[Answer]]) -> None:
    with Rpc(node[0]) as rpc:
        assert rpc.chain_id() == 31337
        assert rpc.block_number() == 42


def test_request__node_refuses__chain_rejected_naming_the_method(
    node: tuple[str, list[Answer]],
) -> None:
    with Rpc(node[0]) as rpc, pytest.raises(ChainRejected, match=r"refused eth_call.*not found"):
        rpc.call("0x" + "11" * 20, b"\x01\x02")


def test_batch__answers_in_any_order__each_result_in_call_order(
    node: tuple[str, list[Answer]],
) -> None:
    with Rpc(node[0]) as rpc:
        assert rpc.batch([("eth_blockNumber", []), ("eth_chainId", [])]) == ["0x2a", "0x7a69"]
        assert rpc.batch([]) == []
        with pytest.raises(ChainRejected, match="eth_getLogs"):
            rpc.batch([("eth_chainId", []), ("eth_getLogs", [{}])])


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (lambda _: (502, b"bad gateway"), "HTTP 502"),
        (lambda _: (200, b"<html>"), "not JSON"),
        (lambda _: (200, b'{"jsonrpc": "2.0"}'), "not a JSON-RPC answer"),
        (lambda _: (200, b"[]"), "has none for eth_chainId"),
    ],
)
def test_request__node_answers_nonsense__chain_unavailable(
    node: tuple[str, list[Answer]], answer: Answer, says: str
) -> None:
    url, answers = node
    answers.append(answer)
    with Rpc(url) as rpc, pytest.raises(ChainUnavailable, match=says):
        if says.startswith("has none"):
            rpc.batch([("eth_chainId", [])])
        else:
            rpc.chain_id()


def test_request__nobody_listens__chain_unavailable_at_once() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with Rpc(url, timeout=2) as rpc, pytest.raises(ChainUnavailable, match="did not answer"):
        rpc.chain_id()


def test_rpc__not_an_http_url__input_error() -> None:
    with pytest.raises(InputError, match="http"):
        Rpc("ws://127.0.0.1:8545")


def test_request__threads_share_the_pool__every_answer_right(
    node: tuple[str, list[Answer]],
) -> None:
    with Rpc(node[0], size=2) as rpc:
        results: list[int] = []

        def ask() -> None:
            for _ in range(20):
                results.append(rpc.chain_id() + rpc.block_number())

        threads = [threading.Thread(target=ask) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results == [31337 + 42] * 120


def test_gateway__dead_endpoint__fails_fast_without_web3_retrying() -> None:
    manifest = Manifest(
        network="local",
        ecosystem="ethereum",
        chain_id=31337,
        deployer="0x" + "00" * 20,
        contracts={"BPC": Deployed(address="0x" + "11" * 20, block=1)},
    )
    gateway = Gateway(f"http://127.0.0.1:{free_port()}", manifest, timeout=2)
    started = time.monotonic()
    with pytest.raises(ChainUnavailable):
        gateway.head()
    assert time.monotonic() - started < 2  # web3's own retries take seconds
    assert issubclass(ChainUnavailable, ChainError) and issubclass(ChainRejected, ChainError)


def test_backoff__doubles_to_the_cap_and_resets_on_success() -> None:
    backoff = Backoff(first=0.5, cap=3.0)
    assert [backoff.failed() for _ in range(5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    backoff.succeeded()
    assert backoff.failed() == 0.5


class _Chain(Gateway):
    """A gateway whose chain holds `hashes` (block -> hash) and nothing else."""

    def __init__(self, hashes: dict[int, bytes]) -> None:
        self.hashes = hashes

    def block_hash(self, number: int) -> bytes | None:
        return self.hashes.get(number)


def test_newest_on_chain__replaced_above_a_block__that_block() -> None:
    chain = _Chain({10: b"a", 11: b"B", 12: b"C"})  # 11 and 12 were replaced
    assert chain.newest_on_chain([(12, b"c"), (11, b"b"), (10, b"a"), (9, b"z")]) == 10


def test_newest_on_chain__every_checkpoint_replaced__none() -> None:
    assert _Chain({5: b"x"}).newest_on_chain([(6, b"f"), (5, b"e")]) is None
    assert _Chain({}).newest_on_chain([]) is None
