"""The oracle certifies patents whose documents are multi-megabyte IPFS files.

The oracle's end-to-end set-up (tests/oracle/conftest.py: an alliance, a pool, three
oracles, threshold two, on anvil), with a patent document of 5 MB (a full text with
drawings, as JSON naming the office and number, so the node reads the whole file to check
it) in the embedded store and on the IPFS daemon, one of 50 MB on disk, and a 5 MB one
with a byte flipped in the store, which every node refuses.
"""

from __future__ import annotations

import base64
import json
import random
from pathlib import Path
from typing import Any

import pytest

from bpsa.core.accounts import dev_account
from bpsa.core.cid import cid_from_digest, digest_of
from bpsa.core.codes import PatentStatus, Source
from bpsa.oracle.aggregator import Aggregator
from bpsa.oracle.board import Board
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.node import CertificateNode
from bpsa.oracle.store import IpfsStore, LocalStore
from tests.oracle.helpers import FEED, IN_FORCE, ZERO, status

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")

MB = 1_000_000


def full_text(office: str, number: str, size: int) -> bytes:
    """A patent document of about `size` bytes: JSON naming the patent, with its drawings
    (deterministic bytes, base64) inside."""
    drawings = base64.b64encode(random.Random(f"{office}{number}").randbytes(size * 3 // 4))
    body = {"office": office, "number": number, "sample": True, "drawings": drawings.decode()}
    return json.dumps(body).encode()


def submit_large(world: dict[str, Any], store: Any, who: Any, office: str, number: str,
                 size: int) -> bytes:  # fmt: skip
    digest = digest_of(store.put(full_text(office, number, size)))
    world["PatentPool"].submit(office, number, digest, int(Source.CONTRIBUTED), ZERO, 0, sender=who)
    return digest


def run(store: Any, pool_chain: PoolChain, board: Board) -> list[Any]:
    nodes = [
        CertificateNode(f"node{i}", pool_chain, store, FEED, board, dev_account(i))
        for i in (12, 13)
    ]
    return [node.step() for node in nodes]


def held_file(store: LocalStore, digest: bytes) -> Path:
    cid = cid_from_digest(digest, "dag-pb")
    [path] = [p for p in store.directory.rglob(cid) if p.is_file()]
    return path


def test_nodes__5_mb_document_in_the_local_store__certified(
    accounts, oracle_world, oracle_store, pool_chain, board
):
    digest = submit_large(oracle_world, oracle_store, accounts[3], *IN_FORCE[0], 5 * MB)
    assert held_file(oracle_store, digest).stat().st_size > 5 * MB  # one whole file

    assert [s.signed for s in run(oracle_store, pool_chain, board)] == [1, 1]
    assert Aggregator(pool_chain, board, dev_account(11)).step().certified == 1
    assert status(oracle_world, *IN_FORCE[0]) == PatentStatus.CERTIFIED


def test_nodes__5_mb_document_on_the_ipfs_daemon__certified(
    accounts, ipfs_api, oracle_world, oracle_store, pool_chain, board
):
    ipfs = IpfsStore(ipfs_api)
    identity = oracle_world["Alliance"].identity_of(accounts[3])  # moved to IPFS as well
    cid = oracle_store.resolve(bytes(identity))
    assert ipfs.put(oracle_store.get(cid)) == cid
    digest = submit_large(oracle_world, ipfs, accounts[3], *IN_FORCE[1], 5 * MB)
    assert ipfs.resolve(digest).startswith("bafybei")

    assert [s.signed for s in run(ipfs, pool_chain, board)] == [1, 1]
    assert Aggregator(pool_chain, board, dev_account(11)).step().certified == 1
    assert status(oracle_world, *IN_FORCE[1]) == PatentStatus.CERTIFIED


def test_nodes__50_mb_document_in_the_local_store__certified(
    accounts, oracle_world, oracle_store, pool_chain, board
):
    digest = submit_large(oracle_world, oracle_store, accounts[3], *IN_FORCE[2], 50 * MB)
    try:
        assert [s.signed for s in run(oracle_store, pool_chain, board)] == [1, 1]
        assert Aggregator(pool_chain, board, dev_account(11)).step().certified == 1
        assert status(oracle_world, *IN_FORCE[2]) == PatentStatus.CERTIFIED
    finally:
        held_file(oracle_store, digest).unlink()  # 50 MB: not left behind


def test_nodes__5_mb_document_with_one_byte_flipped__refused_by_every_node(
    accounts, oracle_world, oracle_store, pool_chain, board
):
    digest = submit_large(oracle_world, oracle_store, accounts[3], *IN_FORCE[0], 5 * MB)
    path = held_file(oracle_store, digest)
    original = path.read_bytes()
    middle = len(original) // 2
    path.write_bytes(original[:middle] + bytes([original[middle] ^ 1]) + original[middle + 1 :])
    try:
        assert [s.refused for s in run(oracle_store, pool_chain, board)] == [1, 1]
    finally:
        path.write_bytes(original)
    reasons = [item.reason for item in board.refusals()]
    assert len(reasons) == 2
    assert all("does not match its CID" in r for r in reasons)
    assert status(oracle_world, *IN_FORCE[0]) == PatentStatus.SUBMITTED
