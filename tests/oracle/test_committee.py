"""The committee as separate processes, through faults: a node killed with SIGKILL in the
middle of a backlog and restarted, and the IPFS daemon stopped for a while. Every
submission ends certified, each certificate posted once."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from bpsa.core import manifest as manifests
from bpsa.core.certificates import patent_id
from bpsa.core.cid import cid_from_digest
from bpsa.core.codes import PatentStatus
from bpsa.oracle.board import Board
from bpsa.oracle.committee import Committee
from bpsa.oracle.feed import SAMPLE
from bpsa.oracle.store import IpfsStore
from tests.oracle.helpers import IN_FORCE, submit

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")


def wait_until(condition: Any, committee: Committee, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        committee.check()
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; logs in {committee.directory}")
        time.sleep(0.2)


def caught_up_all(board_path: Path, node: str, count: int) -> bool:
    """Whether `node` decided `count` items and has none left queued."""
    decided = decided_by(board_path, node)
    return "queued" not in decided and sum(decided.values()) == count


def decided_by(board_path: Path, node: str) -> dict[str, int]:
    """How many of its queue items `node` signed, refused, skipped or still has queued."""
    if not board_path.exists():
        return {}
    board = Board(board_path)
    try:
        return board.counts().get(node, {})
    finally:
        board.close()


def test_committee__node_killed_and_ipfs_stopped__all_certified_once(
    accounts, chain, oracle_world, oracle_store, own_daemon, tmp_path
):
    ipfs = IpfsStore(own_daemon.api)
    provider_identity = cid_from_digest(bytes(oracle_world["Alliance"].identity_of(accounts[3])))
    ipfs.put(oracle_store.get(provider_identity))  # the same record, the same CID
    manifest = manifests.save(oracle_world["manifest"], tmp_path)
    committee = Committee(
        directory=tmp_path / "committee",
        rpc=chain.provider.uri,
        manifest=manifest,
        feed=SAMPLE,
        nodes={"node1": 12, "node2": 13, "node3": 14},
        aggregator=11,
        ipfs_api=own_daemon.api,
        poll=0.1,
    )
    keys = [*IN_FORCE, ("US", "11876543")]  # the last: another owner, refused
    with committee:
        for office, number in keys[:2]:
            submit(oracle_world, ipfs, accounts[3], office, number)
        wait_until(lambda: sum(decided_by(committee.board, "node1").values()) >= 1, committee)
        committee.kill("node1")  # a crash mid-backlog
        own_daemon.stop()  # and IPFS goes away for a while
        for office, number in keys[2:]:
            submit(oracle_world, oracle_store, accounts[3], office, number)
        time.sleep(2)
        own_daemon.start()
        committee.ipfs_api = own_daemon.api
        committee.restart("node1")
        ipfs = IpfsStore(own_daemon.api)
        for office, number in keys[2:]:  # the documents reach IPFS late
            document = oracle_store.get(
                cid_from_digest(
                    bytes(oracle_world["PatentPool"].patents(patent_id(office, number)).document)
                )
            )
            ipfs.put(document)
        pool = oracle_world["PatentPool"]
        certified = [patent_id(o, n) for o, n in IN_FORCE]
        wait_until(
            lambda: all(int(pool.patents(p).status) == PatentStatus.CERTIFIED for p in certified),
            committee,
        )
        refused = patent_id("US", "11876543")
        board = Board(committee.board)
        wait_until(
            lambda: sum(r.submission.patent == refused for r in board.refusals()) >= 2,
            committee,
        )
        # node1 catches up after its restart (the quorum may have certified without it)
        wait_until(lambda: caught_up_all(committee.board, "node1", len(keys)), committee)

    posts = board.posts()
    assert sorted(how for _, how, _, _, _ in posts) == ["single"] * 3
    assert len({cert for cert, *_ in posts}) == 3
    for patent in certified:
        assert (
            oracle_world["Certificates"].certificate(patent, pool.patents(patent).document)[3] == 1
        )
    assert int(pool.patents(refused).status) == PatentStatus.SUBMITTED
    # node1 caught up after its restart: nothing left queued, all four decided.
    caught_up = decided_by(committee.board, "node1")
    assert "queued" not in caught_up and sum(caught_up.values()) == len(keys)
