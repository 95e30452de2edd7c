"""The oracle committee's board (bpsa.oracle.board): a SQLite file in a temporary
directory, no chain.

What must hold: queueing is idempotent and moves a node's checkpoint in the same
transaction; every queue item ends signed, refused or skipped with its reason;
certificates come out grouped with their signatures once enough nodes signed and
until they are posted; batches go from proposed to signed to closed; and two processes
(two Board objects on one file) see each other's writes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Source
from bpsa.oracle.board import Board, QueueItem, Signed, cert_id
from bpsa.oracle.checks import Submission

# Three oracle keys (fixed, so signatures are deterministic).
KEYS = [bytes([i]) * 32 for i in (1, 2, 3)]
DOMAIN = certs.domain(31337, "0x" + "ce" * 20)
CONTRIBUTOR = "0x" + "3c" * 20
DOCUMENT = bytes.fromhex("d0" * 32)


def submission(number: str = "11234567", block: int = 10, **changes: object) -> Submission:
    sub = Submission(
        bytes(certs.patent_id("US", number)),
        "US",
        number,
        DOCUMENT,
        CONTRIBUTOR,
        Source.CONTRIBUTED,
        block,
    )
    return replace(sub, **changes)  # type: ignore[arg-type]


def certificate(number: str = "11234567", nonce: int = 1) -> certs.Certificate:
    return certs.Certificate(
        "US", number, DOCUMENT, CONTRIBUTOR, CertStatus.IN_FORCE, 2_000_000_000, nonce
    )


def signature(cert: certs.Certificate, key: int) -> certs.Signature:
    return certs.sign_certificate(DOMAIN, cert, KEYS[key])


def publish(board: Board, cert: certs.Certificate, keys: list[int]) -> None:
    for key in keys:
        board.publish(f"node{key}", cert, signature(cert, key))


@pytest.fixture
def board_file(tmp_path: Path) -> Path:
    return tmp_path / "committee" / "board.sqlite"  # the directory does not exist yet


@pytest.fixture
def board(board_file: Path) -> Board:
    return Board(board_file)


# --- a node's queue --------------------------------------------------------------------


def test_enqueue__new_submissions__queued_and_checkpoint_moved(board):
    subs = [submission("11234567", 10), submission("11876543", 11)]

    added = board.enqueue("node1", subs, scanned_to=20)

    assert added == 2
    assert board.checkpoint("node1") == 20
    assert board.items("node1") == [QueueItem("node1", s, "queued", "", 0) for s in subs]


def test_checkpoint__node_never_scanned__none(board):
    board.enqueue("node1", [], scanned_to=5)

    assert board.checkpoint("node2") is None
    assert board.checkpoint("node1") == 5


def test_enqueue__same_submissions_again__nothing_added_checkpoint_still_moves(board):
    subs = [submission("11234567", 10)]
    board.enqueue("node1", subs, scanned_to=20)
    board.settle("node1", subs[0], "signed", "in force")

    added = board.enqueue("node1", subs, scanned_to=30)

    assert added == 0
    assert board.checkpoint("node1") == 30
    assert [i.state for i in board.items("node1")] == ["signed"]  # not reset to queued


def test_enqueue__same_patent_resubmitted_in_a_later_block__queued_again(board):
    board.enqueue("node1", [submission(block=10)], scanned_to=10)

    added = board.enqueue("node1", [submission(block=15)], scanned_to=15)

    assert added == 1
    assert [i.submission.block for i in board.items("node1")] == [10, 15]


def test_enqueue__two_nodes__each_has_its_own_queue_and_checkpoint(board):
    board.enqueue("node1", [submission()], scanned_to=10)

    assert board.enqueue("node2", [submission()], scanned_to=7) == 1
    assert (board.checkpoint("node1"), board.checkpoint("node2")) == (10, 7)
    assert len(board.items("node1")) == len(board.items("node2")) == 1


def test_enqueue__fails_midway__nothing_queued_and_checkpoint_unmoved(board):
    board.enqueue("node1", [], scanned_to=5)
    broken = submission("11876543", 11, document=None)  # no .hex(): fails after the first

    with pytest.raises(AttributeError):
        board.enqueue("node1", [submission("11234567", 10), broken], scanned_to=20)

    assert board.items("node1") == []
    assert board.checkpoint("node1") == 5


def test_items__by_state__only_that_state_in_block_order(board):
    subs = [submission("11876543", 12), submission("11234567", 10), submission("3456789", 11)]
    board.enqueue("node1", subs, scanned_to=12)
    board.settle("node1", subs[1], "refused", "lapsed")

    queued = board.items("node1", "queued")

    assert [i.submission.number for i in queued] == ["3456789", "11876543"]
    assert [i.submission.number for i in board.items("node1", "refused")] == ["11234567"]


def test_settle__refused__state_and_reason_kept_for_that_node_only(board):
    sub = submission()
    board.enqueue("node1", [sub], scanned_to=10)
    board.enqueue("node2", [sub], scanned_to=10)

    board.settle("node1", sub, "refused", "the office records US 11234567 as lapsed")

    refused = board.refusals()
    assert refused == [
        QueueItem("node1", sub, "refused", "the office records US 11234567 as lapsed", 0)
    ]
    assert board.items("node2")[0].state == "queued"


def test_retry_later__each_failed_attempt__counted_item_stays_queued(board):
    sub = submission()
    board.enqueue("node1", [sub], scanned_to=10)

    attempts = [board.retry_later("node1", sub, f"not found ({n})") for n in (1, 2, 3)]

    assert attempts == [1, 2, 3]
    assert board.items("node1") == [QueueItem("node1", sub, "queued", "not found (3)", 3)]


def test_retry_later__item_not_queued__zero(board):
    assert board.retry_later("node1", submission(), "not found") == 0


def test_refusals__several_nodes__every_refusal_by_node_then_block(board):
    late, early = submission("11876543", 12), submission("11234567", 10)
    for node in ("node2", "node1"):
        board.enqueue(node, [late, early], scanned_to=12)
        board.settle(node, late, "refused", "no record")
        board.settle(node, early, "refused", "lapsed")

    order = [(i.node, i.submission.block, i.reason) for i in board.refusals()]

    assert order == [
        ("node1", 10, "lapsed"),
        ("node1", 12, "no record"),
        ("node2", 10, "lapsed"),
        ("node2", 12, "no record"),
    ]


def test_counts__mixed_outcomes__per_node_per_state(board):
    subs = [submission(n, b) for n, b in (("11234567", 10), ("11876543", 11), ("3456789", 12))]
    board.enqueue("node1", subs, scanned_to=12)
    board.enqueue("node2", subs[:1], scanned_to=12)
    board.settle("node1", subs[0], "signed", "in force")
    board.settle("node1", subs[1], "refused", "lapsed")

    assert board.counts() == {
        "node1": {"signed": 1, "refused": 1, "queued": 1},
        "node2": {"queued": 1},
    }


def test_counts__empty_board__empty(board):
    assert board.counts() == {}


# --- signatures ----------------------------------------------------------------------


def test_certificates__below_threshold__withheld_at_threshold__grouped(board):
    two, one = certificate("11234567"), certificate("11876543")
    publish(board, two, [0, 1])
    publish(board, one, [2])

    ready = board.certificates(2)

    assert ready == [Signed(two, [signature(two, 0), signature(two, 1)])]
    assert {cert_id(s.cert) for s in board.certificates(1)} == {cert_id(two), cert_id(one)}


def test_certificates__oldest_first(board):
    first, second = certificate("11876543"), certificate("11234567")
    publish(board, first, [0])
    publish(board, second, [0])

    assert [s.cert for s in board.certificates(1)] == [first, second]


def test_publish__same_node_twice__one_signature(board):
    cert = certificate()
    publish(board, cert, [0])

    publish(board, cert, [0])

    assert board.certificates(1) == [Signed(cert, [signature(cert, 0)])]
    assert board.certificates(2) == []
    assert board.signed_by("node0") == {cert_id(cert)}


def test_certificates__posted__excluded(board):
    posted, waiting = certificate("11234567"), certificate("11876543")
    publish(board, posted, [0, 1])
    publish(board, waiting, [0, 1])

    board.posted(posted, "single", "0xabc", 72_689)

    assert [s.cert for s in board.certificates(2)] == [waiting]
    assert board.posts() == [(cert_id(posted), "single", "", "0xabc", 72_689)]


def test_certificates__same_patent_new_nonce__a_separate_certificate(board):
    old, new = certificate(nonce=1), certificate(nonce=2)
    publish(board, old, [0, 1])
    board.posted(old, "single", "0xabc", 1)

    publish(board, new, [0, 1])

    assert [s.cert for s in board.certificates(2)] == [new]


def test_body__published_certificate__round_trips_unknown__none(board):
    cert = certificate()
    publish(board, cert, [0])

    assert board.body(cert_id(cert)) == cert
    assert board.body(cert_id(certificate("11876543"))) is None


def test_posted__found_on_chain_after_a_restart__replaces_the_log_entry(board):
    cert = certificate()
    board.posted(cert, "found", "", 0)

    board.posted(cert, "batch", "0xdef", 70_000, root="ab" * 32)

    assert board.posts() == [(cert_id(cert), "batch", "ab" * 32, "0xdef", 70_000)]


# --- batches -----------------------------------------------------------------------


def batch_of(certificates: list[certs.Certificate]) -> tuple[bytes, list[str]]:
    tree = certs.MerkleTree([c.leaf() for c in certificates])
    return tree.root, [cert_id(c) for c in certificates]


def test_propose_batch__twice__one_open_batch(board):
    root, ids = batch_of([certificate("11234567"), certificate("11876543")])

    board.propose_batch(root, ids)
    board.propose_batch(root, ids)

    assert board.open_batches() == [(root, ids)]


def test_sign_batch__two_nodes__both_signatures_and_each_nodes_roots(board):
    root, ids = batch_of([certificate("11234567"), certificate("11876543")])
    board.propose_batch(root, ids)
    sigs = [certs.sign_batch(DOMAIN, root, 2, key) for key in KEYS[:2]]

    board.sign_batch(root, "node0", sigs[0])
    board.sign_batch(root, "node1", sigs[1])
    board.sign_batch(root, "node1", sigs[1])  # again: ignored

    assert sorted(board.batch_signatures(root), key=lambda s: s.signer) == sorted(
        sigs, key=lambda s: s.signer
    )
    assert board.batch_signed_by("node0") == {root}
    assert board.batch_signed_by("node2") == set()


def test_close_batch__posted__no_longer_open_other_batches_stay(board):
    first, first_ids = batch_of([certificate("11234567"), certificate("11876543")])
    second, second_ids = batch_of([certificate("3456789"), certificate("7012345")])
    board.propose_batch(first, first_ids)
    board.propose_batch(second, second_ids)

    board.close_batch(first)

    assert board.open_batches() == [(second, second_ids)]


def test_batch_signatures__unknown_root__none(board):
    assert board.batch_signatures(b"\x01" * 32) == []


# --- two processes on one file -------------------------------------------------------


def test_two_boards_one_file__node_publishes__aggregator_sees_it(board_file):
    node, aggregator = Board(board_file), Board(board_file)
    cert = certificate()
    sub = submission()

    node.enqueue("node0", [sub], scanned_to=10)
    publish(node, cert, [0])
    node.settle("node0", sub, "signed", "in force")
    publish(Board(board_file), cert, [1])  # a second node process

    assert aggregator.certificates(2) == [Signed(cert, [signature(cert, 0), signature(cert, 1)])]
    assert aggregator.counts() == {"node0": {"signed": 1}}
    assert aggregator.checkpoint("node0") == 10


def test_two_boards_one_file__aggregator_posts_and_proposes__node_sees_it(board_file):
    node, aggregator = Board(board_file), Board(board_file)
    cert = certificate()
    publish(node, cert, [0, 1])
    root, ids = batch_of([cert, certificate("11876543")])

    aggregator.posted(cert, "single", "0xabc", 72_689)
    aggregator.propose_batch(root, ids)

    assert node.certificates(1) == []
    assert node.open_batches() == [(root, ids)]


def test_board__closed_and_reopened__everything_kept(board_file):
    first = Board(board_file)
    cert = certificate()
    first.enqueue("node0", [submission()], scanned_to=10)
    publish(first, cert, [0])
    first.close()

    reopened = Board(board_file)

    assert reopened.checkpoint("node0") == 10
    assert reopened.signed_by("node0") == {cert_id(cert)}


def test_bind__another_deployment__refused_naming_both(tmp_path):
    from bpsa.oracle.board import Board, BoardMismatch

    board = Board(tmp_path / "board.sqlite")
    board.bind("31337:0xPool")
    board.bind("31337:0xPool")  # the same deployment again: fine

    with pytest.raises(BoardMismatch, match="belongs to deployment 31337:0xPool, not 1:0xPool"):
        board.bind("1:0xPool")


# --- the patents a node keeps certified ----------------------------------------------------


def test_held__board_from_before_renewals__holds_what_it_queued_once(board_file):
    old = Board(board_file)
    old.enqueue("node1", [submission("11234567", 10), submission("11876543", 11)], 20)
    with old.transaction() as db:  # as a board written before the held table was
        db.execute("DELETE FROM held")
        db.execute("DELETE FROM meta WHERE key='held'")
    old.close()

    reopened = Board(board_file)

    assert sorted(n for _, n, _, _ in reopened.held("node1")) == ["11234567", "11876543"]


def test_held__let_go_then_board_reopened__stays_let_go(board_file):
    board = Board(board_file)
    sub = submission("11234567", 10)
    board.enqueue("node1", [sub], 20)
    board.let_go("node1", sub.patent, sub.document)
    board.close()

    assert Board(board_file).held("node1") == []
