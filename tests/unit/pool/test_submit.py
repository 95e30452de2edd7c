"""PatentPool.submit: a provider (or the council, for the fund) registers a patent key."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import PatentStatus, Removal, Role, Source
from tests.fixtures.pool import DOCUMENT, REASONING, YEAR, PoolDriver
from tests.fixtures.suite import at, wait
from tests.unit.pool.helpers import (
    ALREADY_REGISTERED,
    BAD_CHAR,
    BAD_FIRST,
    BAD_OFFICE,
    EMPTY_NUMBER,
    LONG_NUMBER,
    NOT_PROVIDER,
    NUMBER,
    OFFICE,
    ZERO,
    address,
    attest,
)

FUND_ONLY = "pool: only the council submits the fund's patents"
NO_FUTURE_END = "pool: a usage right needs an end date in the future"
END_DATE_NOT_ALLOWED = "pool: only a usage right has an end date"
NOT_CENTRE = "pool: centre is not a trusteeship centre"


def submit(pool: Any, sender: Any, **overrides: Any) -> Any:
    """`pool.submit` with a valid contributed patent unless `overrides` say otherwise."""
    args: dict[str, Any] = {
        "office": OFFICE,
        "number": NUMBER,
        "document": DOCUMENT,
        "source": int(Source.CONTRIBUTED),
        "centre": ZERO,
        "right_ends": 0,
    }
    args.update(overrides)
    return pool.submit(*args.values(), sender=sender)


def test_submit__contributed_by_provider__registers_provider_as_contributor_and_logs(
    patent_pool: Any, provider: Any, centre: Any
) -> None:
    tx = submit(patent_pool, provider, centre=centre.address)

    patent = certs.patent_id(OFFICE, NUMBER)
    assert tx.return_value == patent
    record = patent_pool.patents(patent)
    assert record.status == PatentStatus.SUBMITTED
    assert record.source == Source.CONTRIBUTED
    assert record.contributor == provider.address
    assert record.centre == ZERO  # a nominee (logged), not a mandate: see tests/unit/mandates
    assert patent_pool.ownership(patent)[2] == ZERO
    assert record.document == DOCUMENT
    assert (record.right_ends, record.score, record.valuation, record.rated_at) == (0, 0, 0, 0)
    assert record.rounds == 0
    assert tx.events.filter(patent_pool.Submitted) == [
        patent_pool.Submitted(
            patent=patent,
            contributor=provider.address,
            document=DOCUMENT,
            source=int(Source.CONTRIBUTED),
            centre=centre.address,
            right_ends=0,
            office=OFFICE,
            number=NUMBER,
        )
    ]


def test_submit__usage_right_ending_a_second_from_now__registers_end_date(
    chain: Any, patent_pool: Any, provider: Any
) -> None:
    now = int(chain.pending_timestamp) + 10
    at(chain, now)

    tx = submit(patent_pool, provider, source=int(Source.USAGE_RIGHT), right_ends=now + 1)

    record = patent_pool.patents(tx.return_value)
    assert record.source == Source.USAGE_RIGHT
    assert record.contributor == provider.address
    assert record.right_ends == now + 1


@pytest.mark.parametrize("offset", [0, -1], ids=["ending-now", "ended"])
def test_submit__usage_right_not_ending_in_the_future__reverts(
    chain: Any, patent_pool: Any, provider: Any, offset: int
) -> None:
    now = int(chain.pending_timestamp) + 10
    at(chain, now)

    with ape.reverts(NO_FUTURE_END):
        submit(patent_pool, provider, source=int(Source.USAGE_RIGHT), right_ends=now + offset)


def test_submit__usage_right_without_end_date__reverts(patent_pool: Any, provider: Any) -> None:
    with ape.reverts(NO_FUTURE_END):
        submit(patent_pool, provider, source=int(Source.USAGE_RIGHT), right_ends=0)


@pytest.mark.parametrize("source", [Source.CONTRIBUTED, Source.PURCHASED, Source.FILED])
def test_submit__end_date_on_a_patent_that_is_not_a_usage_right__reverts(
    chain: Any, patent_pool: Any, provider: Any, pool_council: Any, source: Source
) -> None:
    sender = provider if source == Source.CONTRIBUTED else pool_council
    end = int(chain.pending_timestamp) + YEAR

    with ape.reverts(END_DATE_NOT_ALLOWED):
        submit(patent_pool, sender, source=int(source), right_ends=end)


@pytest.mark.parametrize("source", [Source.PURCHASED, Source.FILED])
def test_submit__fund_patent_by_council__registers_fund_as_contributor(
    patent_pool: Any, fund: Any, pool_council: Any, source: Source
) -> None:
    tx = submit(patent_pool, pool_council, source=int(source))

    record = patent_pool.patents(tx.return_value)
    assert record.status == PatentStatus.SUBMITTED
    assert record.source == source
    assert record.contributor == fund.address
    assert tx.events.filter(patent_pool.Submitted)[0].contributor == fund.address


@pytest.mark.parametrize("source", [Source.PURCHASED, Source.FILED])
def test_submit__fund_patent_by_provider__reverts(
    patent_pool: Any, provider: Any, source: Source
) -> None:
    with ape.reverts(FUND_ONLY):
        submit(patent_pool, provider, source=int(source))


@pytest.fixture(params=["attacker", "centre", "pool_council"])
def non_provider(request: pytest.FixtureRequest) -> Any:
    """An outsider, a member without the provider role, and the council."""
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["provider2", "attacker"])
def not_a_centre(request: pytest.FixtureRequest) -> Any:
    """A member without the trusteeship role, and an outsider."""
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["provider", "provider2"])
def any_provider(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(request.param)


@pytest.fixture(params=["submitted", "certified", "rated", "pooled"])
def live(request: pytest.FixtureRequest) -> bytes:
    """The provider's patent at each live step of its lifecycle."""
    patent: bytes = request.getfixturevalue(request.param)
    return patent


@pytest.mark.parametrize("source", [Source.CONTRIBUTED, Source.USAGE_RIGHT])
def test_submit__provider_source_by_a_non_provider__reverts(
    chain: Any, patent_pool: Any, non_provider: Any, source: Source
) -> None:
    sender = non_provider
    end = int(chain.pending_timestamp) + YEAR if source == Source.USAGE_RIGHT else 0

    with ape.reverts(NOT_PROVIDER):
        submit(patent_pool, sender, source=int(source), right_ends=end)


def test_submit__suspended_provider__reverts(
    patent_pool: Any, pool_alliance: Any, pool_council: Any, provider: Any
) -> None:
    pool_alliance.suspend(provider, sender=pool_council)

    with ape.reverts(NOT_PROVIDER):
        submit(patent_pool, provider)


@pytest.mark.parametrize(
    ("office", "number"),
    [
        ("EP", "1"),
        ("CN", "ZL201810123456.7"),
        ("WO", "2019/123456"),
        ("JP", "H10-123456"),
        ("ZA", "A" * 32),
    ],
)
def test_submit__well_formed_key__registers_under_its_id(
    patent_pool: Any, provider: Any, office: str, number: str
) -> None:
    tx = submit(patent_pool, provider, office=office, number=number)

    assert tx.return_value == certs.patent_id(office, number)
    assert patent_pool.patents(tx.return_value).status == PatentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("office", "number", "reason"),
    [
        ("", NUMBER, BAD_OFFICE),
        ("U", NUMBER, BAD_OFFICE),
        ("USA", NUMBER, BAD_OFFICE),
        ("us", NUMBER, BAD_OFFICE),
        ("Us", NUMBER, BAD_OFFICE),
        ("U1", NUMBER, BAD_OFFICE),
        ("@[", NUMBER, BAD_OFFICE),  # the characters either side of A-Z
        (OFFICE, "", EMPTY_NUMBER),
        (OFFICE, "A" * 33, LONG_NUMBER),
        (OFFICE, "-123", BAD_FIRST),
        (OFFICE, ".123", BAD_FIRST),
        (OFFICE, "/123", BAD_FIRST),
        (OFFICE, "a123", BAD_FIRST),
        (OFFICE, "12 34", BAD_CHAR),
        (OFFICE, "12_34", BAD_CHAR),
        (OFFICE, "12a4", BAD_CHAR),
        (OFFICE, "1234:", BAD_CHAR),  # the character after '9'
    ],
)
def test_submit__malformed_key__reverts_with_what_is_wrong(
    patent_pool: Any, provider: Any, office: str, number: str, reason: str
) -> None:
    with ape.reverts(reason):
        submit(patent_pool, provider, office=office, number=number)


def test_submit__empty_document__reverts(patent_pool: Any, provider: Any) -> None:
    with ape.reverts("pool: empty document digest"):
        submit(patent_pool, provider, document=b"\x00" * 32)


@pytest.mark.parametrize("source", [0, 5])
def test_submit__unknown_source__reverts(patent_pool: Any, provider: Any, source: int) -> None:
    with ape.reverts("pool: unknown source"):
        submit(patent_pool, provider, source=source)


def test_submit__centre_without_the_trusteeship_role__reverts(
    patent_pool: Any, provider: Any, not_a_centre: Any
) -> None:
    with ape.reverts(NOT_CENTRE):
        submit(patent_pool, provider, centre=not_a_centre.address)


def test_submit__suspended_centre__reverts(
    patent_pool: Any, pool_alliance: Any, pool_council: Any, provider: Any, centre: Any
) -> None:
    pool_alliance.suspend(centre, sender=pool_council)

    with ape.reverts(NOT_CENTRE):
        submit(patent_pool, provider, centre=centre.address)


def test_submit__key_already_live__reverts(
    patent_pool: Any, live: bytes, any_provider: Any
) -> None:
    with ape.reverts(ALREADY_REGISTERED):
        submit(patent_pool, any_provider)


def test_submit__same_number_at_another_office__registers_separately(
    patent_pool: Any, provider: Any, submitted: bytes
) -> None:
    tx = submit(patent_pool, provider, office="EP")

    assert tx.return_value != submitted
    assert patent_pool.patents(tx.return_value).status == PatentStatus.SUBMITTED


def _end_life(how: str, chain: Any, patent_pool: Any, patent: bytes, provider: Any, council: Any):
    if how == "withdrawn":
        patent_pool.withdraw(patent, sender=provider)
    elif how == "removed":
        patent_pool.remove(patent, int(Removal.REJECTED), sender=council)
    else:
        wait(chain, YEAR + 182 * 86_400)  # past the certificate's expiry and grace period
        patent_pool.expire(patent, sender=council)
    assert patent_pool.patents(patent).status == PatentStatus[how.upper()]


@pytest.mark.parametrize("how", ["withdrawn", "removed", "expired"])
def test_submit__after_the_key_left_the_registry__opens_a_new_life_without_old_ballots(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    provider: Any,
    provider2: Any,
    pool_council: Any,
    experts: list[Any],
    certified: bytes,
    how: str,
) -> None:
    patent_pool.rate(certified, 70, 10**18, REASONING, sender=experts[0])  # one ballot of three
    assert len(patent_pool.ballots_of(certified)) == 1
    _end_life(how, chain, patent_pool, certified, provider, pool_council)

    tx = submit(patent_pool, provider2)

    assert tx.return_value == certified
    record = patent_pool.patents(certified)
    assert record.status == PatentStatus.SUBMITTED
    assert record.contributor == provider2.address
    assert record.centre == ZERO
    assert record.rounds == 1
    assert patent_pool.ballots_of(certified) == []
    # The old life's ballot does not count: the same expert rates again, and two
    # more ballots (three in all) settle the round with the new life's values only.
    attest(driver, provider2, NUMBER)
    patent_pool.certify(certified, sender=provider2)
    patent_pool.rate(certified, 90, 3 * 10**18, REASONING, sender=experts[0])
    assert len(patent_pool.ballots_of(certified)) == 1
    patent_pool.rate(certified, 80, 2 * 10**18, REASONING, sender=experts[1])
    patent_pool.rate(certified, 70, 10**18, REASONING, sender=experts[2])
    record = patent_pool.patents(certified)
    assert (record.status, record.score, record.valuation) == (
        PatentStatus.RATED,
        80,
        2 * 10**18,
    )


def test_submit__after_a_pooled_patent_was_removed__starts_unrated(
    patent_pool: Any, provider: Any, pool_council: Any, pooled: bytes
) -> None:
    patent_pool.remove(pooled, int(Removal.SOLD), sender=pool_council)

    submit(patent_pool, provider)

    record = patent_pool.patents(pooled)
    assert record.status == PatentStatus.SUBMITTED
    assert (record.score, record.valuation, record.rated_at) == (0, 0, 0)
    assert record.rounds == 2  # one settled round in the old life, then a fresh one


def test_submit__provider_role_is_what_counts__granted_member_may_submit(
    patent_pool: Any, pool_alliance: Any, pool_council: Any, centre: Any
) -> None:
    with ape.reverts(NOT_PROVIDER):
        submit(patent_pool, centre)
    pool_alliance.grant_role(centre, int(Role.PROVIDER), sender=pool_council)

    tx = submit(patent_pool, centre)

    assert patent_pool.patents(tx.return_value).contributor == address(centre)
