"""Issue 15, review: the oracle processes act on blocks a reorganisation can undo, and lose
what it removed.

A node scanned to the chain's head and moved its checkpoint there: a reorganisation that
replaced a scanned block (a submission in the new block at the same height) hid that
submission from the node for ever, and nothing stopped a node from signing a submission
still at the tip. The aggregator logged a certificate as posted once its transaction was
mined: when a reorganisation dropped the transaction, the certificate was never posted
again and the patent stayed uncertified.

A node now scans only blocks `confirmations` deep (0 on a local chain, 12 elsewhere by
default) and keeps the hash of its checkpoint block: when that block is no longer on the
chain, it rewinds and scans again. The aggregator checks its recent posts against the
chain each step and posts again (and certifies again) what a reorganisation dropped; it
reads its account's nonce afresh each step.

The reorganisation is anvil's snapshot and revert: blocks after the snapshot vanish, and
new transactions mine new blocks at the same heights.
"""

from __future__ import annotations

from typing import Any

import pytest

from bpsa.core.accounts import dev_account
from bpsa.core.codes import PatentStatus
from bpsa.oracle.aggregator import Aggregator
from bpsa.oracle.board import Board
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.node import CertificateNode
from bpsa.oracle.store import LocalStore
from tests.oracle.helpers import FEED, IN_FORCE, status, submit

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")


def node(
    pool_chain: PoolChain, store: LocalStore, board: Board, index: int, confirmations: int = 0
) -> CertificateNode:
    name, key = f"node{index}", dev_account(index)
    if confirmations:
        return CertificateNode(
            name, pool_chain, store, FEED, board, key, confirmations=confirmations
        )
    return CertificateNode(name, pool_chain, store, FEED, board, key)


def test_node__reorg_replaces_a_scanned_block__scans_the_new_block_and_signs(
    chain: Any, accounts: Any, oracle_world: Any, oracle_store: LocalStore, pool_chain, board
) -> None:
    oracle = node(pool_chain, oracle_store, board, 12)
    fork = chain.snapshot()
    submit(oracle_world, oracle_store, accounts[3], *IN_FORCE[0])
    assert oracle.step().signed == 1
    chain.restore(fork)  # that block is gone; another takes its height
    submit(oracle_world, oracle_store, accounts[3], *IN_FORCE[1])

    stats = oracle.step()

    assert stats.signed == 1
    assert {item.submission.key for item in board.items("node12", "signed")} == {
        " ".join(IN_FORCE[0]),
        " ".join(IN_FORCE[1]),
    }


def test_node__with_confirmations__acts_only_once_the_submission_is_deep_enough(
    chain: Any, accounts: Any, oracle_world: Any, oracle_store: LocalStore, pool_chain, board
) -> None:
    oracle = node(pool_chain, oracle_store, board, 12, confirmations=2)
    submit(oracle_world, oracle_store, accounts[3], *IN_FORCE[0])

    assert (oracle.step().scanned, oracle.step().signed) == (0, 0)
    chain.mine(2)
    stats = oracle.step()

    assert (stats.scanned, stats.signed) == (1, 1)


def test_aggregator__its_post_dropped_by_a_reorg__posts_and_certifies_again(
    chain: Any, accounts: Any, oracle_world: Any, oracle_store: LocalStore, pool_chain, board
) -> None:
    submit(oracle_world, oracle_store, accounts[3], *IN_FORCE[0])
    for index in (12, 13):
        node(pool_chain, oracle_store, board, index).step()
    aggregator = Aggregator(pool_chain, board, dev_account(11))
    fork = chain.snapshot()
    assert aggregator.step().certified == 1
    chain.restore(fork)  # the attest and certify transactions are gone
    assert status(oracle_world, *IN_FORCE[0]) == PatentStatus.SUBMITTED

    posted = aggregator.step()

    assert (posted.single, posted.certified) == (1, 1)
    assert status(oracle_world, *IN_FORCE[0]) == PatentStatus.CERTIFIED
