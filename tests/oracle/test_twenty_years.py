"""Issue 17, point 2: twenty years of a pool's life on a real chain, with its oracle nodes.

Twenty patents of four companies are certified by two oracle nodes and the aggregator,
rated by three experts and pooled; then anvil's clock runs twenty years forward in
quarter steps. The office feed (made up here, as the sample feed is) records a fee for
every patent every year: paid a month or two ahead, except one paid late within the
grace period and one never paid from its fifth year; four patents reach the end of their
term during the run. At every step the nodes renew, certify an unpaid fee or a lapse,
and anyone (the test, as a keeper) expires what may be expired. The experts re-rate every
pooled patent each period (four years); a member buys a per-patent licence every year,
pays a fee for the whole pool, and locks and releases its BPR; a non-member buys
licences in some years.

At every year's end the chain is compared with a Python model of the same history (not
with the code under test: the model knows the fee history as dates, not through the
feed's `on`): which patents are pooled, the NAV, BPC supply and every holder's balance
and claim on pooled value, every royalty account to the wei (the model of
tests/stateful/pool_model.py), and every licence's status.

Before the nodes renewed certificates, the first maintenance date took every patent out
of the pool (anyone could expire it half a year later), and the comparison failed in the
second year.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from bpsa.core.accounts import dev_account
from bpsa.core.certificates import patent_id
from bpsa.core.cid import digest_of
from bpsa.core.codes import CertStatus, Kind, PatentStatus, Role, Source
from bpsa.core.progress import track
from bpsa.oracle.aggregator import Aggregator
from bpsa.oracle.board import Board
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.checks import day_of
from bpsa.oracle.feed import Fee, LocalFeed, OfficeRecord
from bpsa.oracle.node import CertificateNode
from bpsa.oracle.store import LocalStore
from bpsa.sdk import deploy
from tests.fixtures.suite import application, mine_at
from tests.stateful.pool_model import RoyaltiesModel

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")

DAY = 86_400
YEARS = 20
ONE = 10**18
ZERO = "0x" + "00" * 20
COMPANIES = {3: "Hangzhou Chain Labs", 4: "Pearl River Devices", 5: "Lake Tai Systems",
             6: "Qiantang Crypto Works"}  # fmt: skip
MEMBER, OUTSIDER, COUNCIL = 8, 19, 9
ORACLES, EXPERTS = (12, 13, 14), (15, 16, 17)
# A re-rating round every period of four years (a day short: a round takes a few blocks).
POOL = deploy.PoolParams(rerate_interval=(4 * 365 - 1) * DAY)
POOL_SPLIT = (POOL.contributor_bps, POOL.centre_bps, POOL.fund_bps)
LICENSING = deploy.LicensingParams()
PRICE = 10 * ONE  # every per-patent listing: 10 BPC for a year
POOL_FEE = 3 * ONE  # the member's fee for the whole pool, every year
GRACE = 182  # days: the office's and the pool's grace period for a late fee
IN_GRACE = "pool: certificate expired; its grace period for late fees has not ended"

LATE, UNPAID = 1, 2  # the patent paid late (in year 3), the one never paid from year 5
TERM_ENDS = {16: 8, 17: 12, 18: 16, 19: 19}  # patent -> the year its term ends


def cohort_day(i: int) -> int:
    """Days into each simulated year when patent i's fee falls due (two cohorts)."""
    return 120 + 120 * (i % 2)


# Each year's steps (days into it): a month before each cohort's due date (its fees paid a
# month before that), and the year's end; in year 3 one more, 60 days after the late
# payer's due date (its fee still unpaid then).
STEPS = (90, 210, 364)
EXTRA_STEPS = {3: 300}


@dataclass
class Patent:
    index: int
    number: str
    owner: int  # the account index of its contributor
    score: int
    valuation: int
    pooled: bool = False


@dataclass
class Model:
    """The pool's history as plain arithmetic: what the chain must hold."""

    initial_nav: int
    patents: list[Patent]
    royalties: RoyaltiesModel
    balances: dict[str, int] = field(default_factory=dict)
    supply: int = 0
    pooled_value: int = 0
    licences: list[int] = field(default_factory=list)  # each licence's end
    bpr_holder: bool = False

    def credit(self, who: str, amount: int) -> None:
        self.balances[who] = self.balances.get(who, 0) + amount

    def move(self, payer: str, payee: str, amount: int) -> None:
        self.credit(payer, -amount)
        self.credit(payee, amount)

    def pool(self, patent: Patent, contributor: str) -> None:
        if self.supply == 0:
            minted = patent.valuation * ONE // self.initial_nav
        else:
            minted = patent.valuation * self.supply // self.pooled_value
        self.supply += minted
        self.pooled_value += patent.valuation
        self.credit(contributor, minted)
        self.royalties.change_weight(contributor, ZERO, 0, patent.score)
        patent.pooled = True

    def expire(self, patent: Patent, contributor: str) -> None:
        self.pooled_value -= patent.valuation
        self.royalties.change_weight(contributor, ZERO, patent.score, 0)
        patent.pooled = False

    def rerate(self, patent: Patent, contributor: str, score: int, valuation: int) -> None:
        self.pooled_value += valuation - patent.valuation
        if score != patent.score:  # the pool reports only a changed weight
            self.royalties.change_weight(contributor, ZERO, patent.score, score)
        patent.score, patent.valuation = score, valuation

    def claim_on_pool(self, who: str) -> int:
        return self.balances.get(who, 0) * self.pooled_value // self.supply


class Clock:
    def __init__(self, start: int) -> None:
        self.start = start  # unix seconds: the simulation's first day, midnight UTC

    def time(self, year: int, day: int) -> int:
        """Noon UTC, `day` days into simulated year `year` (year 0 starts the run)."""
        return self.start + (365 * year + day) * DAY + 12 * 3600

    def date(self, year: int, day: int) -> dt.date:
        return day_of(self.start + (365 * year + day) * DAY)


def feed_for(clock: Clock, patents: list[Patent]) -> LocalFeed:
    """The office's records: a fee due every year (paid 60 days ahead), the late payer's
    third-year fee paid 120 days late, the unpaid patent's fees from its fifth year on
    never paid; four terms end during the run, the rest after it."""
    records = []
    for p in patents:
        term_year = TERM_ENDS.get(p.index, YEARS + 2)
        fees = []
        for year in range(term_year):
            due = clock.date(year, cohort_day(p.index))
            paid: dt.date | None = due - dt.timedelta(days=60)
            if p.index == LATE and year == 3:
                paid = due + dt.timedelta(days=120)
            if p.index == UNPAID and year >= 5:
                paid = None
            fees.append(Fee(due, paid))
        expires = clock.date(term_year, cohort_day(p.index))
        records.append(
            OfficeRecord(
                "US",
                p.number,
                CertStatus.IN_FORCE,
                COMPANIES[p.owner],
                tuple(fees),
                expires,
                f"sample patent {p.index}",
            )
        )
    return LocalFeed(records)


def may_lapse(clock: Clock, p: Patent, now: int) -> bool:
    """Whether patent p's certificate may not hold at `now`: its term ended, its fee went
    unpaid, or the late fee's window (due date to payment) is open."""
    due_late = clock.time(3, cohort_day(LATE)) - 12 * 3600
    return (
        (p.index in TERM_ENDS and now >= clock.time(TERM_ENDS[p.index], cohort_day(p.index)))
        or (p.index == UNPAID and now >= clock.time(5, cohort_day(UNPAID)) - 12 * 3600)
        or (p.index == LATE and due_late <= now < due_late + 120 * DAY)
    )


def leaves_at(clock: Clock, p: Patent) -> int | None:
    """When anyone may first expire patent p: its term's end, or the end of the grace
    period of the fee it never paid; None if it stays the whole run."""
    if p.index in TERM_ENDS:
        return clock.time(TERM_ENDS[p.index], cohort_day(p.index)) - 12 * 3600
    if p.index == UNPAID:
        return clock.time(5, cohort_day(p.index) + GRACE) - 12 * 3600
    return None


@pytest.fixture(scope="module")
def world(project: Any, accounts: Any, chain: Any, deployer: Any, oracle_store: LocalStore):
    council = accounts[COUNCIL]
    alliance = project.Alliance.deploy(council.address, sender=deployer)
    members = [(i, Kind.START_UP if i % 2 else Kind.SME, Role.PROVIDER) for i in COMPANIES]
    members += [(MEMBER, Kind.START_UP, Role.DEMANDER)]
    members += [(i, Kind.NON_PROFIT, Role.ORACLE) for i in ORACLES]
    members += [(i, Kind.INDIVIDUAL, Role.EXPERT) for i in EXPERTS]
    for index, kind, role in members:
        name = COMPANIES.get(index, f"member {index}")
        record = oracle_store.put(json.dumps({"name": name, "sample": True}).encode())
        alliance.apply(int(kind), digest_of(record), sender=accounts[index])
        alliance.admit(*application(alliance, accounts[index].address), sender=council)
        alliance.grant_role(accounts[index].address, int(role), sender=council)
    pool = deploy.deploy_pool(project, deployer, alliance.address, council.address, POOL)
    desk = deploy.deploy_licensing(
        project, deployer, alliance.address, pool, council.address, LICENSING
    )
    contracts = {"Alliance": alliance, **pool, **desk}
    return {"manifest": deploy.manifest_for(chain, contracts, deployer.address), **contracts}


def test_twenty_years__renewals_lapses_ratings_and_licences__chain_agrees_with_the_model(
    accounts: Any, chain: Any, world: dict[str, Any], oracle_store: LocalStore, tmp_path: Any
) -> None:
    pool, bpc, royalties = world["PatentPool"], world["BPC"], world["Royalties"]
    licensing, fund = world["Licensing"], world["Fund"].address
    council, member, outsider = accounts[COUNCIL], accounts[MEMBER], accounts[OUTSIDER]
    today = day_of(chain.pending_timestamp)
    clock = Clock(int(dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC).timestamp())
                  + DAY)  # fmt: skip
    patents = [
        Patent(i, f"{30000000 + i}", 3 + i % 4, 70 + (i * 7) % 25, (40_000 + 2_500 * i) * ONE)
        for i in range(20)
    ]
    by_id = {bytes(patent_id("US", p.number)): p for p in patents}
    feed = feed_for(clock, patents)
    web3 = PoolChain(chain.provider.uri, world["manifest"])
    board = Board(tmp_path / "board.sqlite")
    nodes = [
        CertificateNode(f"node{i}", web3, oracle_store, feed, board, dev_account(i))
        for i in ORACLES[:2]
    ]
    aggregator = Aggregator(web3, board, dev_account(11))
    model = Model(POOL.initial_nav, patents, RoyaltiesModel(*POOL_SPLIT))
    address = {i: accounts[i].address for i in (*COMPANIES, MEMBER, OUTSIDER)}

    def committee() -> None:
        """The nodes and the aggregator until nothing waits: a burst of renewals goes as a
        batch (proposed, its root signed by the nodes, then proven)."""
        for _ in range(4):
            for node in nodes:
                node.step()
            if aggregator.step().batches_proposed == 0 and not board.open_batches():
                return
        raise AssertionError("the committee did not settle in four rounds")

    def rate_all(year: int) -> None:
        """Each expert rates every pooled (or certified) patent, in one burst of
        transactions; the model settles the medians."""
        due = [p for p in patents if p.pooled or year == 0]
        ballots: dict[int, list[tuple[int, int]]] = {}
        for k, expert in enumerate(EXPERTS):
            fns = []
            for p in due:
                score = min(100, p.score + (k - 1) * 3 + (year % 3) - 1)
                valuation = p.valuation * (100 + (k - 1) * 4 + (p.index + year) % 5 - 2) // 100
                ballots.setdefault(p.index, []).append((score, valuation))
                reasoning = keccak(text=f"sample reasoning {p.number} {year} {k}")
                fns.append(
                    web3.pool.functions.rate(patent_id("US", p.number), score, valuation, reasoning)
                )
            web3.send_many(dev_account(expert), fns)
        for p in due:
            scores = sorted(s for s, _ in ballots[p.index])
            values = sorted(v for _, v in ballots[p.index])
            if year == 0:
                p.score, p.valuation = scores[1], values[1]
            else:
                model.rerate(p, address[p.owner], scores[1], values[1])

    # -- year 0: submit, certify, rate, pool; the member's BPC; listings -----------------
    mine_at(chain, clock.time(0, 0))
    for p in patents:
        document = json.dumps({"office": "US", "number": p.number, "sample": True}).encode()
        digest = digest_of(oracle_store.put(document))
        pool.submit("US", p.number, digest, int(Source.CONTRIBUTED), ZERO, 0,
                    sender=accounts[p.owner])  # fmt: skip
    for _ in range(3):  # sign; the aggregator proposes a batch of 20; sign its root; post
        committee()
    assert not board.refusals(), [r.reason for r in board.refusals()]
    assert all(PatentStatus(pool.patents(k).status) == PatentStatus.CERTIFIED for k in by_id)
    rate_all(0)
    for key, p in by_id.items():
        pool.pool(key, sender=council)
        model.pool(p, address[p.owner])
    listings = {}
    for owner in COMPANIES:
        first = next(p for p in patents if p.owner == owner)
        tx = licensing.list_terms(patent_id("US", first.number), PRICE, 365 * DAY, "phones",
                                  "CN", sender=accounts[owner])  # fmt: skip
        listings[owner] = (int(tx.return_value), first)
    for who in (MEMBER, OUTSIDER):
        bpc.transfer(address[who], 500 * ONE, sender=accounts[3])
        model.move(address[3], address[who], 500 * ONE)
        bpc.approve(licensing, 2**255, sender=accounts[who])
    bpc.approve(royalties, 2**255, sender=member)
    check(web3, model, address, chain.blocks.head.timestamp, 0)

    # -- twenty years in quarter steps -----------------------------------------------------
    left: set[int] = set()
    in_grace: set[tuple[int, int]] = set()
    # a bar of the years on a terminal (`ape test ... -s`); silent when pytest captures
    for year in track(range(YEARS), "simulated years", unit="years"):
        steps = sorted({*STEPS, EXTRA_STEPS.get(year, 364)})
        for day in steps:
            now = clock.time(year, day)
            mine_at(chain, now)
            committee()
            for p in patents:  # the keeper: anyone expires what may be expired
                if not p.pooled:
                    continue
                key = patent_id("US", p.number)
                lapse = web3.call(web3.pool.functions.lapse_of(key).call)
                if lapse == 0:
                    continue
                assert may_lapse(clock, p, now), f"US {p.number} lapsed on day {day} of {year}"
                ends = leaves_at(clock, p)
                if ends is not None and now >= ends:
                    pool.expire(key, sender=outsider)
                    model.expire(p, address[p.owner])
                    left.add(p.index)
                else:  # the fee is late: the owner may still pay
                    with ape.reverts(IN_GRACE):
                        pool.expire(key, sender=outsider)
                    in_grace.add((p.index, year))
        # the year's business, at its last step
        owner = 3 + year % 4
        listing, listed = listings[owner]
        if listed.pooled:
            tx = licensing.buy(listing, sender=member)
            model.move(address[MEMBER], royalties.address, PRICE)
            _, _, to_fund = model.royalties.book_patent_fee(PRICE, address[owner], ZERO)
            model.move(royalties.address, fund, to_fund)
            model.licences.append(tx.timestamp + 365 * DAY)
        if year % 5 == 2 and listings[3][1].pooled:
            tx = licensing.buy(listings[3][0], sender=outsider)  # a non-member: to the fund
            surcharge = PRICE * LICENSING.surcharge_bps // 10_000
            model.move(address[OUTSIDER], fund, PRICE + surcharge)
            model.licences.append(tx.timestamp + 365 * DAY)
        royalties.pay(POOL_FEE, b"\x00" * 31 + bytes([year]), sender=member)
        model.move(address[MEMBER], royalties.address, POOL_FEE)
        _, _, to_fund = model.royalties.book_fee(POOL_FEE)
        model.move(royalties.address, fund, to_fund)
        if year % 3 == 0 and not model.bpr_holder:
            licensing.convert(sender=member)
            model.move(address[MEMBER], licensing.address, LICENSING.start_up)
            model.bpr_holder = True
        elif year % 3 == 1 and model.bpr_holder:
            licensing.release(sender=member)
            model.move(licensing.address, address[MEMBER], LICENSING.start_up)
            model.bpr_holder = False
        if year % 4 == 0 and year:  # a re-rating round every period
            rate_all(year)
        if year == 10:
            for owner in COMPANIES:
                paid = royalties.claim(sender=accounts[owner]).return_value
                assert paid == model.royalties.take_claim(address[owner])
                model.move(royalties.address, address[owner], paid)
        check(web3, model, address, chain.blocks.head.timestamp, year + 1)

    assert left == {UNPAID, *TERM_ENDS}  # the lapse and the four terms, nothing else
    # the late fee and the unpaid one were each seen in their grace period, never expired
    assert {(LATE, 3), (UNPAID, 5)} <= in_grace
    renewed = sum(1 for _, how, *_ in board.posts() if how in ("single", "batch"))
    assert renewed > 20 * (YEARS - 2)  # every pooled patent's yearly renewal, and more


def check(g: PoolChain, model: Model, address: dict[int, str], now: int, year: int) -> None:
    """The chain at a year's end against the model (read over web3: fast views)."""
    pool, bpc, royalties = (
        g.pool.functions,
        g.contract("BPC").functions,
        g.contract("Royalties").functions,
    )
    licensing, bpr = g.contract("Licensing").functions, g.contract("BPR").functions
    where = f"at the end of year {year}"
    for p in model.patents:
        status = PatentStatus(g.call(pool.patents(patent_id("US", p.number)).call)[0])
        expected = PatentStatus.POOLED if p.pooled else PatentStatus.EXPIRED
        assert status == expected, f"US {p.number} {where}: {status.name}"
    value, supply = g.call(pool.pooled_value().call), g.call(bpc.totalSupply().call)
    assert (value, supply) == (model.pooled_value, model.supply), where
    assert g.call(pool.nav().call) == model.pooled_value * ONE // model.supply, where
    for who, balance in model.balances.items():
        held = g.call(bpc.balanceOf(who).call)
        assert held == balance, f"{who}'s BPC {where}"
        assert held * value // supply == model.claim_on_pool(who), f"{who}'s claim {where}"
    for who in (*address.values(), g.manifest.contracts["Fund"].address):
        earned = g.call(royalties.claimable(who).call)
        assert earned == model.royalties.claimable(who), f"{who}'s royalties {where}"
    assert g.call(royalties.fees_in().call) == model.royalties.fees_in, where
    assert g.call(royalties.paid_to_fund().call) == model.royalties.paid_to_fund, where
    for licence, end in enumerate(model.licences, 1):
        licensed = g.call(licensing.is_licensed(licence).call)
        assert licensed == (now < end), f"licence #{licence} {where}"
    assert g.call(bpr.balanceOf(address[MEMBER]).call) == int(model.bpr_holder), where
