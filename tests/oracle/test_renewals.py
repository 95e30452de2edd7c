"""Issue 17, point 1: oracle nodes keep a certified patent's certificate up to the office's
maintenance record, on a real chain (anvil, through web3 as the processes run) with its
time moved forward.

Before this, a node certified only new submissions: every patent's certificate ran out
at its first maintenance date and, after the grace period, anyone could expire it from
the pool though its owner had paid. Three patents of one owner, their fees due 100 days
from the chain's today: A paid early, B paid late within the grace period, C never paid.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import ape
import pytest

from bpsa.core.accounts import dev_account
from bpsa.core.certificates import patent_id
from bpsa.core.codes import CertStatus, Lapse, PatentStatus
from bpsa.oracle.aggregator import Aggregator
from bpsa.oracle.board import Board
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.checks import day_of
from bpsa.oracle.feed import Fee, LocalFeed, OfficeRecord, midnight
from bpsa.oracle.node import CertificateNode
from bpsa.oracle.store import LocalStore
from tests.fixtures.suite import mine_at
from tests.oracle.helpers import status, submit

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")

OWNER = "Hangzhou Chain Labs"  # accounts[3]'s identity record (tests/oracle/conftest.py)
DAY = 86_400
GRACE = 182  # days: the feed's default grace period and the pool's
IN_GRACE = "pool: certificate expired; its grace period for late fees has not ended"


class Clock:
    """Dates relative to the chain's today, as unix seconds (midnight UTC) or dates."""

    def __init__(self, chain: Any) -> None:
        self.chain = chain
        self.today = day_of(chain.pending_timestamp)

    def day(self, offset: int) -> dt.date:
        return self.today + dt.timedelta(days=offset)

    def time(self, offset: int) -> int:
        return midnight(self.day(offset))

    def go(self, offset: int) -> None:
        """Mine a block at noon UTC `offset` days from today."""
        mine_at(self.chain, self.time(offset) + 12 * 3600)


@pytest.fixture
def clock(chain: Any) -> Clock:
    return Clock(chain)


def office(clock: Clock, number: str, fees: list[tuple[int, int | None]]) -> OfficeRecord:
    return OfficeRecord(
        "US",
        number,
        CertStatus.IN_FORCE,
        OWNER,
        tuple(Fee(clock.day(d), None if p is None else clock.day(p)) for d, p in fees),
        clock.day(20 * 365),
        f"patent {number}",
    )


@pytest.fixture
def feed(clock: Clock) -> LocalFeed:
    return LocalFeed(
        [
            office(clock, "20000001", [(100, 60), (465, None)]),  # A: paid early
            office(clock, "20000002", [(100, 130), (465, None)]),  # B: paid late
            office(clock, "20000003", [(100, None)]),  # C: never paid
        ]
    )


A, B, C = (bytes(patent_id("US", n)) for n in ("20000001", "20000002", "20000003"))


@pytest.fixture
def committee(
    pool_chain: PoolChain, oracle_store: LocalStore, board: Board, feed: LocalFeed
) -> tuple[list[CertificateNode], Aggregator]:
    nodes = [
        CertificateNode(f"node{i}", pool_chain, oracle_store, feed, board, dev_account(i))
        for i in (12, 13)
    ]
    return nodes, Aggregator(pool_chain, board, dev_account(11))


def run(committee: tuple[list[CertificateNode], Aggregator]) -> tuple[int, int]:
    """One step of each node, then the aggregator's: (renewals signed by the first node,
    certificates posted)."""
    nodes, aggregator = committee
    renewed = [node.step().renewed for node in nodes]
    posted = aggregator.step()
    return renewed[0], posted.single + posted.batched


def certificate(oracle_world: dict[str, Any], patent: bytes) -> tuple[CertStatus, int]:
    document = oracle_world["PatentPool"].patents(patent).document
    _, cert_status, expiry, _ = oracle_world["Certificates"].certificate(patent, document)
    return CertStatus(int(cert_status)), int(expiry)


@pytest.fixture
def certified(
    accounts: Any, oracle_world: dict[str, Any], oracle_store: LocalStore, committee: Any
) -> None:
    for number in ("20000001", "20000002", "20000003"):
        submit(oracle_world, oracle_store, accounts[3], "US", number)
    assert run(committee) == (0, 3)
    assert {status(oracle_world, "US", n) for n in ("20000001", "20000002", "20000003")} == {
        PatentStatus.CERTIFIED
    }


def test_renewals__paid_paid_late_and_unpaid__certificates_follow_the_office(
    oracle_world, clock, committee, certified, accounts, board
):
    pool, attacker = oracle_world["PatentPool"], accounts[7]
    for patent in (A, B, C):
        assert certificate(oracle_world, patent) == (CertStatus.IN_FORCE, clock.time(100))

    # Day 70: A's fee was paid on day 60: renewed to its next due date; B and C not yet.
    clock.go(70)
    assert run(committee) == (1, 1)
    assert certificate(oracle_world, A) == (CertStatus.IN_FORCE, clock.time(465))
    assert certificate(oracle_world, B) == (CertStatus.IN_FORCE, clock.time(100))

    # Day 101: B's and C's fees fell due unpaid: certificates saying so, expiring then.
    clock.go(101)
    assert run(committee) == (2, 2)
    for patent in (B, C):
        assert certificate(oracle_world, patent) == (CertStatus.FEE_UNPAID, clock.time(100))
        assert pool.lapse_of(patent) == Lapse.PAST_EXPIRY
        with ape.reverts(IN_GRACE):  # the owner may still pay: nobody may expire it
            pool.expire(patent, sender=attacker)
    assert pool.lapse_of(A) == Lapse.NONE

    # Day 131: B's fee was paid late (day 130): in force again to its next due date.
    clock.go(131)
    assert run(committee) == (1, 1)
    assert certificate(oracle_world, B) == (CertStatus.IN_FORCE, clock.time(465))
    assert pool.lapse_of(B) == Lapse.NONE

    # The grace period over, C's fee still unpaid: lapsed, and anyone expires it.
    clock.go(100 + GRACE)
    assert run(committee) == (1, 1)
    assert certificate(oracle_world, C) == (CertStatus.LAPSED, clock.time(100))
    tx = pool.expire(C, sender=attacker)
    assert tx.events.filter(pool.Expired)[0].lapse == Lapse.NOT_IN_FORCE
    for patent in (A, B):
        with ape.reverts("pool: certificate still in force"):
            pool.expire(patent, sender=attacker)

    # At their next look (a day on), the nodes let go of the expired patent.
    clock.go(100 + GRACE + 2)
    assert run(committee) == (0, 0)
    assert sorted(n for _, n, _, _ in board.held("node12")) == ["20000001", "20000002"]


def test_renewals__nothing_new_at_the_office__nothing_signed_twice(
    oracle_world, clock, committee, certified, board
):
    clock.go(70)
    assert run(committee) == (1, 1)

    for day in (71, 80, 95):  # A renewed; B and C not yet due
        clock.go(day)
        assert run(committee) == (0, 0)
    assert len(board.posts()) == 3 + 1  # the three certifications and A's renewal


def test_renewals__far_from_the_due_date__the_record_is_not_read_every_step(
    oracle_world, clock, committee, certified, board, feed
):
    """A node reads a held patent's record again 90 days before its due date (or within
    a month, for an invalidation), not at every step: a thousand pooled patents cost
    nothing per step."""
    nodes, _ = committee
    read: list[str] = []
    lookup = feed.lookup

    def counted(office: str, number: str) -> OfficeRecord | None:
        read.append(number)
        found: OfficeRecord | None = lookup(office, number)
        return found

    feed.lookup = counted

    clock.go(2)  # a day after certification: each patent's first look
    run(committee)
    assert {t for _, _, t, _ in board.held(nodes[0].name)} == {clock.time(10)}
    assert len(read) == 2 * 3  # each node read each record once

    for day in (3, 5, 9):
        clock.go(day)
        run(committee)
    assert len(read) == 2 * 3  # not read again before day 10
    clock.go(10)
    run(committee)
    assert len(read) == 2 * 3 * 2


def test_renewals__several_due_at_once__posted_as_one_batch_like_the_backlog(
    oracle_world, clock, committee, certified, pool_chain, board
):
    nodes, _ = committee
    batching = Aggregator(pool_chain, board, dev_account(11), batch_min=2)
    clock.go(101)  # B's and C's fees unpaid (A's renewal comes with them: three)
    for node in nodes:
        assert node.step().renewed == 3
    assert batching.step().batches_proposed == 1

    for node in nodes:
        assert node.step().batches_signed == 1
    posted = batching.step()

    assert (posted.single, posted.batched) == (0, 3)
    assert certificate(oracle_world, A) == (CertStatus.IN_FORCE, clock.time(465))
    for patent in (B, C):
        assert certificate(oracle_world, patent) == (CertStatus.FEE_UNPAID, clock.time(100))
