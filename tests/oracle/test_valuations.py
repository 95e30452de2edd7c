"""The valuation feed (bpsa.oracle.valuations): the expert committee's reviewed file
pushed into the pool's ratings over JSON-RPC with web3, as the process does.

A module-scoped registry over the session pool (tests/fixtures/pool.py, re-rating
interval 30 days, expert threshold 3): the provider's US 11234567 certified, US 11876543
only submitted, EP 3456789 withdrawn; `provider2`, also given the expert role,
contributed CN ZL201810123456.7 (certified).

What must hold: an expert's rows go in only while the patent is open for that expert's
rating, the round settles at the threshold with the medians, nothing is sent twice, and
every row pushed or not comes back with its reason.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core.accounts import dev_account
from bpsa.core.cid import digest_of
from bpsa.core.codes import PatentStatus, Role
from bpsa.core.errors import InputError
from bpsa.core.units import when
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.valuations import Valuation, push, read_reviewed
from bpsa.sdk.deploy import manifest_for
from tests.fixtures.pool import DAY, PoolDriver

ONE = 10**18
CERTIFIED = ("US", "11234567")
SUBMITTED = ("US", "11876543")
WITHDRAWN = ("EP", "3456789")
OWN = ("CN", "ZL201810123456.7")  # provider2's, whom provider2 cannot rate
UNKNOWN = ("US", "99999999")
REVIEW = "review board 2026-11"
HEADER = "office,number,expert,score,valuation,reviewed_by,reasoning"
REASONING_CID = (
    "bafkreibqedxu22kl6hxjnq3wjibrtfkvxq3rbk2d3etb3tplwpemp4m4q4"  # a sample reasoning document
)
REASONING = digest_of(REASONING_CID)
REFUSED_OWN = "refused by the pool: "


@pytest.fixture(scope="module")
def registry(
    chain: Any,
    deployer: Any,
    pool_council: Any,
    pool_alliance: Any,
    pool_contracts: dict[str, Any],
    walker: PoolDriver,
    provider: Any,
    provider2: Any,
    experts: list[Any],
    patent_pool: Any,
) -> dict[str, Any]:
    walker.submit(provider, CERTIFIED[1])
    walker.certify(provider, CERTIFIED[1])
    walker.submit(provider, SUBMITTED[1])
    patent_pool.withdraw(walker.submit(provider, WITHDRAWN[1], office="EP"), sender=provider)
    pool_alliance.grant_role(provider2, int(Role.EXPERT), sender=pool_council)
    walker.submit(provider2, OWN[1], office="CN")
    walker.certify(provider2, OWN[1], office="CN")
    assert [dev_account(i).address for i in (15, 16, 17)] == [e.address for e in experts]
    assert dev_account(4).address == provider2.address
    return {
        "manifest": manifest_for(
            chain, {"Alliance": pool_alliance, **pool_contracts}, deployer.address
        )
    }


@pytest.fixture
def pool_view(chain: Any, registry: dict[str, Any]) -> PoolChain:
    """A fresh web3 view per test (ape reverts the chain between tests)."""
    return PoolChain(chain.provider.uri, registry["manifest"])


@pytest.fixture
def first_expert() -> Any:
    return dev_account(15)


@pytest.fixture
def second_expert() -> Any:
    return dev_account(16)


@pytest.fixture
def third_expert() -> Any:
    return dev_account(17)


def settle(pool_view: PoolChain, *experts: Any) -> None:
    """The three experts push their rows for CERTIFIED: the round settles."""
    ballots = ((82, "76000"), (74, "64000"), (70, "70000"))
    for expert, (score, value) in zip(experts, ballots, strict=True):
        push(pool_view, expert, reviewed((CERTIFIED, expert, score, value)))


def reviewed(*rows: tuple[tuple[str, str], Any, int, str]) -> list[Valuation]:
    """Rows as read_reviewed returns them: (key, expert, score, valuation in units)."""
    return [
        Valuation(
            key[0], key[1], str(expert.address), score, int(Decimal(value) * ONE), REVIEW, REASONING
        )
        for key, expert, score, value in rows
    ]


def status(patent_pool: Any, key: tuple[str, str]) -> PatentStatus:
    return PatentStatus(int(patent_pool.patents(certs.patent_id(*key)).status))


# --- pushing ------------------------------------------------------------------------


def test_push__one_expert__rates_open_patent_skips_the_rest_with_reasons(
    pool_view, first_expert, second_expert, patent_pool
):
    rows = reviewed(
        (CERTIFIED, first_expert, 82, "76000"),
        (SUBMITTED, first_expert, 70, "10000"),
        (WITHDRAWN, first_expert, 70, "10000"),
        (UNKNOWN, first_expert, 70, "10000"),
    )

    outcomes = push(pool_view, first_expert, rows)

    assert outcomes == [
        ("US 11234567", "rated 82, valued 76000"),
        ("US 11876543", "skipped: submitted, not open for rating"),
        ("EP 3456789", "skipped: withdrawn, not open for rating"),
        ("US 99999999", "skipped: none, not open for rating"),
    ]
    ballots = patent_pool.ballots_of(certs.patent_id(*CERTIFIED))
    assert [(b.expert, b.score, b.valuation) for b in ballots] == [
        (first_expert.address, 82, 76_000 * ONE)
    ]
    assert status(patent_pool, CERTIFIED) == PatentStatus.CERTIFIED  # one of two


def test_push__rows_of_other_experts__ignored(pool_view, first_expert, second_expert, patent_pool):
    rows = reviewed((CERTIFIED, second_expert, 74, "64000"), (OWN, second_expert, 60, "1000"))

    assert push(pool_view, first_expert, rows) == []
    assert patent_pool.ballots_of(certs.patent_id(*CERTIFIED)) == []


def test_push__expert_address_in_other_case__still_that_experts_row(pool_view, first_expert):
    row = Valuation(*CERTIFIED, first_expert.address.lower(), 82, 76_000 * ONE, REVIEW, REASONING)

    assert push(pool_view, first_expert, [row]) == [("US 11234567", "rated 82, valued 76000")]


def test_push__third_expert__round_settles_rated_at_the_medians(
    pool_view, first_expert, second_expert, third_expert, patent_pool, chain
):
    push(pool_view, first_expert, reviewed((CERTIFIED, first_expert, 82, "76000")))
    push(pool_view, second_expert, reviewed((CERTIFIED, second_expert, 74, "64000.5")))

    outcomes = push(pool_view, third_expert, reviewed((CERTIFIED, third_expert, 70, "70000")))

    assert outcomes == [("US 11234567", "rated 70, valued 70000")]
    record = patent_pool.patents(certs.patent_id(*CERTIFIED))
    assert record.status == PatentStatus.RATED
    # the middle score is the second expert's, the middle valuation the third's
    assert (record.score, record.valuation) == (74, 70_000 * ONE)
    assert record.rated_at == chain.blocks.head.timestamp


def test_push__same_expert_again_in_the_open_round__skipped_already_rated(
    pool_view, first_expert, patent_pool
):
    rows = reviewed((CERTIFIED, first_expert, 82, "76000"))
    push(pool_view, first_expert, rows)

    again = push(pool_view, first_expert, rows)

    assert again == [("US 11234567", "skipped: already rated this round")]
    assert len(patent_pool.ballots_of(certs.patent_id(*CERTIFIED))) == 1


def test_push__round_settled__skipped_until_re_rating_is_due(
    pool_view, first_expert, second_expert, third_expert, patent_pool
):
    settle(pool_view, first_expert, second_expert, third_expert)
    due = patent_pool.patents(certs.patent_id(*CERTIFIED)).rated_at + 30 * DAY

    again = push(pool_view, first_expert, reviewed((CERTIFIED, first_expert, 82, "76000")))

    [(key, outcome)] = again
    assert key == "US 11234567"
    assert outcome.startswith(f"skipped: not due for re-rating until {when(due)} (in ")


def test_push__re_rating_due__rates_the_new_round(
    pool_view, first_expert, second_expert, third_expert, patent_pool, chain
):
    settle(pool_view, first_expert, second_expert, third_expert)
    chain.pending_timestamp += 30 * DAY
    chain.mine()

    again = push(pool_view, first_expert, reviewed((CERTIFIED, first_expert, 90, "80000")))

    assert again == [("US 11234567", "rated 90, valued 80000")]
    ballots = patent_pool.ballots_of(certs.patent_id(*CERTIFIED))
    assert [(b.expert, b.score) for b in ballots] == [(first_expert.address, 90)]


def test_push__contributor_holding_the_expert_role__refused_by_the_pool(pool_view, patent_pool):
    contributor = dev_account(4)  # provider2, also an expert

    outcomes = push(pool_view, contributor, reviewed((OWN, contributor, 90, "90000")))

    ((key, outcome),) = outcomes
    assert key == "CN ZL201810123456.7"
    assert outcome.startswith(REFUSED_OWN)
    assert "pool: an expert cannot rate its own patent" in outcome
    assert patent_pool.ballots_of(certs.patent_id(*OWN)) == []


def test_push__then_another_row__refusal_does_not_stop_the_run(pool_view, first_expert):
    contributor = dev_account(4)
    rows = reviewed((OWN, contributor, 90, "90000"), (CERTIFIED, contributor, 80, "70000"))

    outcomes = push(pool_view, contributor, rows)

    assert [o.split(":")[0] for _, o in outcomes] == [
        "refused by the pool",
        "rated 80, valued 70000",
    ]


# --- reading the reviewed file -------------------------------------------------------


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "reviewed.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


EXPERT = "0x" + "e1" * 20


def test_read_reviewed__well_formed_rows__trimmed_and_in_wei(tmp_path):
    path = write(
        tmp_path,
        f"US,11234567,{EXPERT},82,76000,{REVIEW},{REASONING_CID}",
        f" CN , ZL201810123456.7 ,{EXPERT}, 7 , 0.000000000000000001 , {REVIEW} ,{REASONING_CID}",
    )

    assert read_reviewed(path) == [
        Valuation("US", "11234567", EXPERT, 82, 76_000 * ONE, REVIEW, REASONING),
        Valuation("CN", "ZL201810123456.7", EXPERT, 7, 1, REVIEW, REASONING),
    ]


def test_read_reviewed__header_only__no_rows(tmp_path):
    assert read_reviewed(write(tmp_path)) == []


BAD_ROWS = {  # id: (row 2 of the file, the message after "<file>:3: ")
    "no-expert": (
        f"US,11234567,,82,76000,{REVIEW},{REASONING_CID}",
        "missing expert (every row is reviewed)",
    ),
    "not-reviewed": (
        f"US,11234567,{EXPERT},82,76000,  ,{REASONING_CID}",
        "missing reviewed_by (every row",
    ),
    "short-row": ("US,11234567", "missing expert, score, valuation, reviewed_by, reasoning"),
    "score-decimal": (
        f"US,11234567,{EXPERT},82.5,76000,{REVIEW},{REASONING_CID}",
        "score must be a whole number",
    ),
    "score-word": (
        f"US,11234567,{EXPERT},high,76000,{REVIEW},{REASONING_CID}",
        "score must be a whole number",
    ),
    "score-101": (
        f"US,11234567,{EXPERT},101,76000,{REVIEW},{REASONING_CID}",
        "score must be 0 to 100, got 101",
    ),
    "score-negative": (
        f"US,11234567,{EXPERT},-1,76000,{REVIEW},{REASONING_CID}",
        "score must be 0 to 100, got -1",
    ),
    "value-word": (
        f"US,11234567,{EXPERT},82,lots,{REVIEW},{REASONING_CID}",
        "valuation must be a number, got 'lots'",
    ),
    "value-negative": (
        f"US,11234567,{EXPERT},82,-5,{REVIEW},{REASONING_CID}",
        "valuation must be a non-negative number, got '-5'",
    ),
    "value-19-decimals": (
        f"US,11234567,{EXPERT},82,0.0000000000000000001,{REVIEW},{REASONING_CID}",
        "valuation has more than 18 decimals: '0.0000000000000000001'",
    ),
    "value-zero": (
        f"US,11234567,{EXPERT},82,0,{REVIEW},{REASONING_CID}",
        "valuation must be positive",
    ),
    "no-reasoning": (f"US,11234567,{EXPERT},82,76000,{REVIEW}", "missing reasoning (every row"),
    "reasoning-not-a-cid": (
        f"US,11234567,{EXPERT},82,76000,{REVIEW},see attached",
        "reasoning: 'see attached' is neither a CID nor a 32-byte hex digest",
    ),
    "reasoning-zero": (
        f"US,11234567,{EXPERT},82,76000,{REVIEW},0x" + "00" * 32,
        "reasoning: the zero digest names no document",
    ),
}


@pytest.mark.parametrize(("row", "message"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_read_reviewed__bad_row__names_file_line_and_problem(tmp_path, row, message):
    path = write(tmp_path, f"US,11876543,{EXPERT},70,10000,{REVIEW},{REASONING_CID}", row)

    with pytest.raises(InputError) as raised:
        read_reviewed(path)
    assert str(raised.value).startswith(f"{path}:3: {message}")


def test_read_reviewed__column_missing_from_the_header__every_row_refused(tmp_path):
    path = write(
        tmp_path, f"US,11234567,{EXPERT},82,76000", header="office,number,expert,score,valuation"
    )

    with pytest.raises(InputError) as raised:
        read_reviewed(path)
    assert str(raised.value) == f"{path}:2: missing reviewed_by, reasoning (every row is reviewed)"


def test_read_reviewed__malformed_patent_key__refused_with_the_keys_reason(tmp_path):
    path = write(tmp_path, f"us,11234567,{EXPERT},82,76000,{REVIEW},{REASONING_CID}")

    with pytest.raises(InputError, match="office code 'us' must be two capital letters"):
        read_reviewed(path)


def test_read_reviewed__malformed_patent_key__names_file_and_line(tmp_path):
    path = write(tmp_path, f"us,11234567,{EXPERT},82,76000,{REVIEW},{REASONING_CID}")

    with pytest.raises(InputError, match=f"^{path}:2: "):
        read_reviewed(path)


def test_read_reviewed__no_such_file__refused_naming_it(tmp_path):
    path = tmp_path / "absent.csv"

    with pytest.raises(InputError) as raised:
        read_reviewed(path)
    assert str(raised.value).startswith(f"cannot read {path}: ")


def test_push__refused_by_the_pool__outcome_carries_the_reason_only(pool_view):
    contributor = dev_account(4)

    ((_, outcome),) = push(pool_view, contributor, reviewed((OWN, contributor, 90, "90000")))

    assert outcome == REFUSED_OWN + "execution reverted: pool: an expert cannot rate its own patent"
