"""PatentPool's views: nav, mint_amount, patent_id, check_key, ballots_of, lapse_of, names."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Lapse, Removal, Source
from bpsa.core.errors import InputError
from tests.fixtures.pool import PARAMS, REASONING, VALUATION, YEAR, PoolDriver
from tests.fixtures.suite import mine_at
from tests.unit.pool.helpers import (
    BAD_CHAR,
    BAD_FIRST,
    BAD_OFFICE,
    EMPTY_NUMBER,
    LONG_NUMBER,
    NUMBER,
    ONE,
    OTHER_DOCUMENT,
    attest,
    revoke,
)


def test_nav__nothing_minted__is_the_initial_nav(patent_pool: Any) -> None:
    assert patent_pool.nav() == PARAMS.initial_nav


def test_nav__after_pooling_and_a_burn__is_pooled_value_per_whole_bpc(
    patent_pool: Any, bpc: Any, provider: Any, pooled: bytes
) -> None:
    assert patent_pool.nav() == PARAMS.initial_nav  # 50,000 USD behind 500 BPC
    bpc.burn(100 * ONE, sender=provider)

    assert patent_pool.nav() == VALUATION * ONE // (400 * ONE)  # 125 USD per BPC


def test_nav__every_patent_left_with_bpc_outstanding__is_zero(
    patent_pool: Any, pool_council: Any, pooled: bytes
) -> None:
    patent_pool.remove(pooled, int(Removal.SOLD), sender=pool_council)

    assert patent_pool.nav() == 0


def test_mint_amount__nothing_minted__is_valuation_over_the_initial_nav(patent_pool: Any):
    assert patent_pool.mint_amount(VALUATION + 99) == (VALUATION + 99) * ONE // PARAMS.initial_nav


def test_mint_amount__after_pooling__matches_what_pool_mints(
    driver: PoolDriver, patent_pool: Any, bpc: Any, provider: Any, provider2: Any, pooled: bytes
) -> None:
    bpc.burn(7 * ONE + 1, sender=provider)
    valuation = 3 * VALUATION + 5
    quoted = patent_pool.mint_amount(valuation)
    assert quoted == valuation * bpc.totalSupply() // patent_pool.pooled_value()
    patent = driver.submit(provider2, "7654321")
    driver.certify(provider2, "7654321")
    driver.rate(patent, 80, valuation)

    tx = patent_pool.pool(patent, sender=driver.council)

    assert tx.return_value == quoted


def test_mint_amount__bpc_outstanding_with_nothing_pooled__a_million_times_the_supply(
    patent_pool: Any, bpc: Any, pool_council: Any, pooled: bytes
) -> None:
    patent_pool.remove(pooled, int(Removal.SOLD), sender=pool_council)

    assert patent_pool.mint_amount(VALUATION) == bpc.totalSupply() * 10**6


@pytest.mark.parametrize(
    ("office", "number"), [("US", NUMBER), ("CN", "ZL201810123456.7"), ("WO", "2019/123456")]
)
def test_patent_id__any_key__equals_the_certificates_and_python_id(
    patent_pool: Any, certificates: Any, office: str, number: str
) -> None:
    pool_id = patent_pool.patent_id(office, number)

    assert pool_id == certificates.patent_id(office, number)
    assert pool_id == certs.patent_id(office, number)


def test_patent_id__keys_differing_by_office__differ(patent_pool: Any) -> None:
    assert patent_pool.patent_id("US", NUMBER) != patent_pool.patent_id("EP", NUMBER)


@pytest.mark.parametrize(
    ("office", "number"), [("US", NUMBER), ("EP", "1"), ("JP", "H10-123456"), ("ZA", "9" * 32)]
)
def test_check_key__well_formed__is_true_and_python_agrees(
    patent_pool: Any, office: str, number: str
) -> None:
    assert patent_pool.check_key(office, number) is True
    certs.check_key(office, number)  # raises if the Python mirror disagrees


@pytest.mark.parametrize(
    ("office", "number", "reason"),
    [
        ("us", NUMBER, BAD_OFFICE),
        ("USA", NUMBER, BAD_OFFICE),
        ("U1", NUMBER, BAD_OFFICE),
        ("US", "", EMPTY_NUMBER),
        ("US", "1" * 33, LONG_NUMBER),
        ("US", "-1", BAD_FIRST),
        ("US", "1 2", BAD_CHAR),
        ("US", "1_2", BAD_CHAR),
    ],
)
def test_check_key__malformed__reverts_with_submits_reason_and_python_agrees(
    patent_pool: Any, office: str, number: str, reason: str
) -> None:
    with ape.reverts(reason):
        patent_pool.check_key(office, number)
    with pytest.raises(InputError):
        certs.check_key(office, number)


def test_ballots_of__open_round__lists_its_ballots_in_order(
    patent_pool: Any, pool_council: Any, experts: list[Any], certified: bytes
) -> None:
    assert patent_pool.ballots_of(certified) == []
    patent_pool.set_parameters(
        3, PARAMS.core_threshold, PARAMS.rerate_interval, sender=pool_council
    )
    patent_pool.rate(certified, 90, 2 * ONE, REASONING, sender=experts[1])
    patent_pool.rate(certified, 70, 1 * ONE, REASONING, sender=experts[0])

    assert patent_pool.ballots_of(certified) == [
        (experts[1].address, 90, 2 * ONE),
        (experts[0].address, 70, 1 * ONE),
    ]


def test_ballots_of__settled_round__is_empty(patent_pool: Any, rated: bytes) -> None:
    assert patent_pool.ballots_of(rated) == []


def test_ballots_of__unknown_patent__is_empty(patent_pool: Any) -> None:
    assert patent_pool.ballots_of(certs.patent_id("US", "999")) == []


def test_lapse_of__certificate_in_force__is_none(patent_pool: Any, pooled: bytes) -> None:
    assert patent_pool.lapse_of(pooled) == Lapse.NONE


def test_lapse_of__no_certificate__is_no_certificate(patent_pool: Any, submitted: bytes):
    assert patent_pool.lapse_of(submitted) == Lapse.NO_CERTIFICATE
    assert patent_pool.lapse_of(certs.patent_id("US", "999")) == Lapse.NO_CERTIFICATE


def test_lapse_of__certificate_for_another_document_only__is_no_certificate(
    driver: PoolDriver, patent_pool: Any, provider: Any, submitted: bytes
) -> None:
    attest(driver, provider, document=OTHER_DOCUMENT)

    assert patent_pool.lapse_of(submitted) == Lapse.NO_CERTIFICATE


def test_lapse_of__revoked__is_not_in_force(
    driver: PoolDriver, patent_pool: Any, cert: certs.Certificate, certified: bytes
) -> None:
    revoke(driver, cert)

    assert patent_pool.lapse_of(certified) == Lapse.NOT_IN_FORCE


def test_lapse_of__pending__is_not_in_force(
    driver: PoolDriver, patent_pool: Any, provider: Any, submitted: bytes
) -> None:
    attest(driver, provider, status=CertStatus.PENDING)

    assert patent_pool.lapse_of(submitted) == Lapse.NOT_IN_FORCE


def test_lapse_of__at_and_before_expiry__past_expiry_only_from_expiry(
    chain: Any, patent_pool: Any, cert: certs.Certificate, certified: bytes
) -> None:
    mine_at(chain, cert.expiry - 1)
    assert patent_pool.lapse_of(certified) == Lapse.NONE

    mine_at(chain, cert.expiry)
    assert patent_pool.lapse_of(certified) == Lapse.PAST_EXPIRY


def test_lapse_of__another_owner__is_owner_changed(
    driver: PoolDriver, patent_pool: Any, provider2: Any, certified: bytes
) -> None:
    attest(driver, provider2)

    assert patent_pool.lapse_of(certified) == Lapse.OWNER_CHANGED


def test_lapse_of__usage_right_at_its_end__is_right_ended(
    chain: Any, driver: PoolDriver, patent_pool: Any, provider: Any, outsider: Any
) -> None:
    ends = int(chain.pending_timestamp) + 1000
    patent = driver.submit(provider, NUMBER, source=Source.USAGE_RIGHT, right_ends=ends)
    attest(driver, outsider, expiry=ends + YEAR)
    mine_at(chain, ends - 1)
    assert patent_pool.lapse_of(patent) == Lapse.NONE

    mine_at(chain, ends)
    assert patent_pool.lapse_of(patent) == Lapse.RIGHT_ENDED


def test_collection_and_valuation_unit__as_deployed(patent_pool: Any) -> None:
    assert patent_pool.collection() == PARAMS.collection == "BPC"
    assert patent_pool.valuation_unit() == PARAMS.valuation_unit == "USD"
