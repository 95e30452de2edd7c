"""Certificate nodes and the aggregator against a real chain (anvil, read and written over
JSON-RPC with web3, as the processes do) and a content store on disk.

A module-scoped alliance and pool: a start-up provider whose identity record (in the
store) names it as the sample feed's owner, an SME whose record names another company,
three oracles (threshold two). Each test submits patents with ape, then steps two
nodes and the aggregator in-process.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from eth_typing import HexStr

from bpsa.core.accounts import dev_account
from bpsa.core.codes import PatentStatus
from bpsa.oracle import aggregator as aggregator_module
from bpsa.oracle import node as node_module
from bpsa.oracle.aggregator import Aggregator, cheaper_as_batch
from bpsa.oracle.board import Board
from bpsa.oracle.chain import ChainUnavailable, PoolChain
from bpsa.oracle.node import CertificateNode
from bpsa.oracle.store import LocalStore
from tests.oracle.helpers import FEED, IN_FORCE, status, submit

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")

ZERO = "0x" + "00" * 20


@pytest.fixture
def nodes(pool_chain: PoolChain, oracle_store: LocalStore, board: Board) -> list[CertificateNode]:
    return [
        CertificateNode(f"node{i}", pool_chain, oracle_store, FEED, board, dev_account(i))
        for i in (12, 13)
    ]


@pytest.fixture
def aggregator(pool_chain: PoolChain, board: Board) -> Aggregator:
    return Aggregator(pool_chain, board, dev_account(11))


def test_nodes_and_aggregator__three_in_force__certified_with_single_posts(
    accounts, oracle_world, oracle_store, nodes, aggregator, board
):
    for office, number in IN_FORCE:
        submit(oracle_world, oracle_store, accounts[3], office, number)

    for node in nodes:
        stats = node.step()
        assert (stats.scanned, stats.signed, stats.refused) == (3, 3, 0)
    posted = aggregator.step()

    assert (posted.single, posted.batched, posted.certified) == (3, 0, 3)
    assert all(status(oracle_world, o, n) == PatentStatus.CERTIFIED for o, n in IN_FORCE)
    assert {h for _, h, _, _, _ in board.posts()} == {"single"}
    # A second pass finds nothing to do: nothing is signed or posted twice.
    assert nodes[0].step().signed == 0
    again = aggregator.step()
    assert (again.single, again.batched, again.found) == (0, 0, 0)


def test_nodes__lapsed_or_not_the_owner__refused_with_reasons(
    accounts, oracle_world, oracle_store, nodes, aggregator, board
):
    submit(oracle_world, oracle_store, accounts[3], "JP", "7012345")  # the feed: lapsed
    submit(oracle_world, oracle_store, accounts[4], "US", "11876543")  # owned by another
    submit(oracle_world, oracle_store, accounts[3], "DE", "102019000001")  # not in the feed

    for node in nodes:
        assert node.step().refused == 3
    reasons = {item.submission.key: item.reason for item in board.refusals()}

    assert reasons["JP 7012345"] == "the office records JP 7012345 as lapsed"
    assert "names 'Pearl River Devices' as owner" in reasons["US 11876543"]
    assert "'Shadow Patents Ltd'" in reasons["US 11876543"]
    assert reasons["DE 102019000001"] == "the office has no record of DE 102019000001"
    assert aggregator.step().single == 0
    assert status(oracle_world, "JP", "7012345") == PatentStatus.SUBMITTED


def test_nodes__document_tampered_in_the_store__refused(
    accounts, oracle_world, oracle_store, nodes
):
    digest = submit(oracle_world, oracle_store, accounts[3], "US", "11234567")
    held = next(p for p in Path(oracle_store.directory).rglob("*") if digest_hex_in(p, digest))
    original = held.read_bytes()
    held.write_bytes(original + b" tampered")
    try:
        assert nodes[0].step().refused == 1
    finally:
        held.write_bytes(original)
    item = nodes[0].board.refusals()[0]
    assert "does not match its CID" in item.reason


def digest_hex_in(path: Path, digest: bytes) -> bool:
    from bpsa.core.cid import cid_from_digest

    return path.is_file() and cid_from_digest(digest) in path.name


def _backlog_seen(
    accounts: Any,
    oracle_world: dict[str, Any],
    oracle_store: LocalStore,
    nodes: list[CertificateNode],
    pool_chain: PoolChain,
    board: Board,
    **options: Any,
) -> Aggregator:
    """The sample's three in-force patents submitted and each node's first pass over them
    (each signs all three); returns the aggregator (`options`) that has yet to look."""
    for office, number in IN_FORCE:
        submit(oracle_world, oracle_store, accounts[3], office, number)
    aggregator = Aggregator(pool_chain, board, dev_account(11), **options)
    for node in nodes:
        node.step()
    return aggregator


def test_nodes_and_aggregator__backlog__one_batch_then_proofs(
    accounts, oracle_world, oracle_store, nodes, pool_chain, board
):
    aggregator = _backlog_seen(
        accounts, oracle_world, oracle_store, nodes, pool_chain, board, batch_min=2
    )
    assert aggregator.step().batches_proposed == 1
    assert all(node.step().batches_signed == 1 for node in nodes)
    posted = aggregator.step()

    assert (posted.batched, posted.certified) == (3, 3)
    assert {h for _, h, _, _, _ in board.posts()} == {"batch"}
    assert len({tx for _, _, _, tx, _ in board.posts()}) == 1  # one multi-proof call
    assert all(status(oracle_world, o, n) == PatentStatus.CERTIFIED for o, n in IN_FORCE)


def test_aggregator__chunk_of_two__three_certificates_in_two_calls(
    accounts, oracle_world, oracle_store, nodes, pool_chain, board
):
    """Each chunk's gas divides over its certificates: the posts add up to what was paid."""
    aggregator = _backlog_seen(
        accounts, oracle_world, oracle_store, nodes, pool_chain, board, batch_min=2, chunk=2
    )
    aggregator.step()
    for node in nodes:
        node.step()
    posted = aggregator.step()

    posts = board.posts()
    assert (posted.batched, posted.certified) == (3, 3)
    assert len({tx for _, _, _, tx, _ in posts}) == 2
    proofs = sum(_gas(pool_chain, tx) for tx in {tx for _, _, _, tx, _ in posts})
    root_gas = posted.gas - proofs
    assert root_gas > 0
    assert sum(gas for *_, gas in posts) == proofs + 3 * (root_gas // 3)
    assert all(status(oracle_world, o, n) == PatentStatus.CERTIFIED for o, n in IN_FORCE)


def _gas(chain: PoolChain, tx: str) -> int:
    receipt = chain.w3.eth.get_transaction_receipt(HexStr("0x" + tx.removeprefix("0x")))
    return int(receipt["gasUsed"])


def test_aggregator__batch_wait__holds_a_small_backlog_then_posts_it(
    accounts, oracle_world, oracle_store, nodes, pool_chain, board, monkeypatch
):
    """Ready certificates wait `batch_wait` seconds for more to batch with; past it, the
    gas model decides (three: single posts)."""
    aggregator = _backlog_seen(
        accounts, oracle_world, oracle_store, nodes, pool_chain, board, batch_wait=30
    )

    held = aggregator.step()
    assert (held.single, held.batches_proposed) == (0, 0)
    assert board.posts() == []

    later = time.time() + 31
    monkeypatch.setattr(aggregator_module, "time", SimpleNamespace(time=lambda: later))
    posted = aggregator.step()
    assert (posted.single, posted.certified) == (3, 3)


def test_node__batch_proposed_while_it_works_a_backlog__signed_once_between_items(
    accounts, oracle_world, oracle_store, nodes, pool_chain, board, monkeypatch
):
    """A node looks at proposed batches between submissions (every BATCH_LOOK_SECONDS;
    here at once), and a batch so signed counts once in its step."""
    aggregator = _backlog_seen(
        accounts, oracle_world, oracle_store, nodes, pool_chain, board, batch_min=2
    )
    assert aggregator.step().batches_proposed == 1
    submit(oracle_world, oracle_store, accounts[3], "JP", "7012345")  # a queue to work
    monkeypatch.setattr(node_module, "BATCH_LOOK_SECONDS", 0.0)
    events: list[tuple[str, int]] = []
    first = nodes[0]
    handle, sign_batches = first.handle, first.sign_batches

    def handling(sub: Any) -> str:
        events.append(("handle", 0))
        return str(handle(sub))

    def signing() -> int:
        signed = int(sign_batches())
        events.append(("sign", signed))
        return signed

    monkeypatch.setattr(first, "handle", handling)

    monkeypatch.setattr(first, "sign_batches", signing)

    stats = [node.step() for node in nodes]

    assert events[:2] == [("handle", 0), ("sign", 1)]  # signed right after the item
    assert events[-1] == ("sign", 0)  # nothing left for the step's end
    assert [(s.refused, s.batches_signed) for s in stats] == [(1, 1), (1, 1)]
    ((root, _),) = board.open_batches()
    assert len(board.batch_signatures(root)) == 2


def test_aggregator__chunk_out_of_bounds__refused(pool_chain, board):
    with pytest.raises(ValueError, match="chunk must be 1 to 255"):
        Aggregator(pool_chain, board, dev_account(11), chunk=256)


def test_node__restarted__resumes_from_its_checkpoint_without_resigning(
    accounts, oracle_world, oracle_store, pool_chain, board
):
    submit(oracle_world, oracle_store, accounts[3], *IN_FORCE[0])
    first = CertificateNode("node12", pool_chain, oracle_store, FEED, board, dev_account(12))
    assert first.step().signed == 1
    submit(oracle_world, oracle_store, accounts[3], *IN_FORCE[1])

    restarted = CertificateNode("node12", pool_chain, oracle_store, FEED, board, dev_account(12))
    stats = restarted.step()

    assert (stats.scanned, stats.signed) == (1, 1)
    assert len(board.signed_by("node12")) == 2


def test_aggregator__crashed_after_posting__finds_it_on_chain_and_does_not_repost(
    accounts, oracle_world, oracle_store, nodes, pool_chain, board
):
    submit(oracle_world, oracle_store, accounts[3], *IN_FORCE[0])
    for node in nodes:
        node.step()
    signed = board.certificates(2)[0]
    # The transaction went out, then the process died before logging it.
    pool_chain.send(
        dev_account(11),
        pool_chain.certificates.functions.attest(
            signed.cert.as_arg(), [s.as_arg() for s in sorted_sigs(signed.signatures)]
        ),
    )

    posted = Aggregator(pool_chain, board, dev_account(11)).step()

    assert (posted.single, posted.found, posted.certified) == (0, 1, 1)
    assert status(oracle_world, *IN_FORCE[0]) == PatentStatus.CERTIFIED


def sorted_sigs(sigs: list[Any]) -> list[Any]:
    return sorted(sigs, key=lambda s: int(s.signer, 16))


def test_node__rpc_down__raises_unavailable_and_loses_nothing(
    accounts, oracle_world, oracle_store, board, pool_chain
):
    submit(oracle_world, oracle_store, accounts[3], *IN_FORCE[0])
    down = PoolChain("http://127.0.0.1:9", oracle_world["manifest"])
    node = CertificateNode("node12", down, oracle_store, FEED, board, dev_account(12))

    with pytest.raises(ChainUnavailable):
        node.step()
    node.chain = pool_chain  # the endpoint is back
    assert node.step().signed == 1


def test_cheaper_as_batch__by_measured_gas__from_five():
    """A root and one multi-proof call against single posts (bench figures)."""
    assert not cheaper_as_batch(4)
    assert cheaper_as_batch(5)


def test_cheaper_as_batch__chunks_of_one__never():
    """A call per certificate pays the call's fixed part each time: never cheaper."""
    assert not any(cheaper_as_batch(n, chunk=1) for n in (2, 10, 1_000))


def test_nodes__documents_on_the_ipfs_daemon__certified(
    accounts, ipfs_api, oracle_world, oracle_store, pool_chain, board, aggregator
):
    from bpsa.core.cid import cid_from_digest
    from bpsa.oracle.store import IpfsStore

    ipfs = IpfsStore(ipfs_api)
    for index in (3,):  # the provider's identity record, moved to IPFS: the same CID
        cid = cid_from_digest(bytes(oracle_world["Alliance"].identity_of(accounts[index])))
        assert ipfs.put(oracle_store.get(cid)) == cid
    submit(oracle_world, ipfs, accounts[3], *IN_FORCE[1])
    nodes = [
        CertificateNode(f"node{i}", pool_chain, ipfs, FEED, board, dev_account(i)) for i in (12, 13)
    ]

    assert [node.step().signed for node in nodes] == [1, 1]
    assert aggregator.step().certified == 1
    assert status(oracle_world, *IN_FORCE[1]) == PatentStatus.CERTIFIED


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("bar_from", "drawn"), [(3, True), (4, False)])
def test_node__a_backlog_on_a_terminal__a_bar_of_the_submissions_from_backlog_bar(
    bar_from, drawn, accounts, oracle_world, oracle_store, nodes, monkeypatch
):
    for office, number in IN_FORCE:  # three
        submit(oracle_world, oracle_store, accounts[3], office, number)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("BPSA_PROGRESS", raising=False)
    monkeypatch.setattr(node_module, "BACKLOG_BAR", bar_from)

    assert nodes[0].step().signed == 3

    text = terminal.getvalue()
    assert ("node12: checking submissions" in text and "3/3" in text) is drawn
    assert ("submissions/s" in text) is drawn
    assert (text == "") is not drawn
