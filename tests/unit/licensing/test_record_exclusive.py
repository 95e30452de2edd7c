"""Licensing.record_exclusive: the exchange records an exclusive licence it sold; while it
runs, no per-patent listing of the same terms (patent, field of use, territory) is made
here, and it is recorded only when none is active.

The exchange is stood in for by an account the council names in `set_exchange`."""

from collections.abc import Callable
from typing import Any

import ape
import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from tests.fixtures.pool import DAY, PoolDriver
from tests.unit.licensing.helpers import AGREEMENT, ONE, YEAR, ZERO, wait

ONLY_EXCHANGE = "licensing: only the exchange records exclusive licences"
LISTED = "licensing: per-patent listings of these terms are active"
RUNS = "licensing: an exclusive licence runs for these terms"
BAD_DURATION = "licensing: duration must be 1 second to 50 years"
FIELD, TERRITORY = "payment terminals", "CN"
Recorder = Callable[..., Any]


@pytest.fixture
def patent(driver: PoolDriver, provider: Any, centre: Any) -> bytes:
    return bytes(driver.pooled(provider, "11234567", centre=centre))


@pytest.fixture
def terms(licensing: Any, patent: bytes) -> bytes:
    return bytes(licensing.terms_key(patent, FIELD, TERRITORY))


def test_record_exclusive__by_the_exchange__records_a_licence_of_the_buyer(
    licensing: Any, exchange_stand_in: Any, patent: bytes, terms: bytes, enterprise: Any
) -> None:
    tx = licensing.record_exclusive(
        patent, terms, enterprise, YEAR, AGREEMENT, sender=exchange_stand_in
    )

    licence = tx.return_value
    record = licensing.licences(licence)
    assert (record.listing, record.patent, record.licensee, record.end - record.start) == (
        0, patent, enterprise.address, YEAR
    )  # fmt: skip
    assert licensing.is_licensed(licence)
    assert licensing.exclusive_ends(terms) == record.end
    event = tx.events.filter(licensing.ExclusiveLicenceRecorded)[0]
    assert (event.licence, event.patent, event.licensee, event.terms) == (
        licence, patent, enterprise.address, terms
    )  # fmt: skip
    assert record.agreement == event.agreement == AGREEMENT


def test_record_exclusive__empty_agreement__reverts(
    licensing: Any, exchange_stand_in: Any, patent: bytes, terms: bytes, enterprise: Any
) -> None:
    with ape.reverts("licensing: empty agreement digest"):
        licensing.record_exclusive(
            patent, terms, enterprise, YEAR, bytes(32), sender=exchange_stand_in
        )


def test_record_exclusive__by_anyone_else__reverts(
    licensing: Any, exchange_stand_in: Any, patent: bytes, terms: bytes, pool_council: Any
) -> None:
    with ape.reverts(ONLY_EXCHANGE):
        licensing.record_exclusive(
            patent, terms, pool_council, YEAR, AGREEMENT, sender=pool_council
        )


@pytest.fixture
def record(licensing: Any, exchange_stand_in: Any, patent: bytes, terms: bytes) -> Recorder:
    """Records, as the exchange, an exclusive licence of `terms` to a licensee for a while."""
    return lambda licensee, duration=YEAR: licensing.record_exclusive(
        patent, terms, licensee, duration, AGREEMENT, sender=exchange_stand_in
    )


def test_record_exclusive__zero_licensee_or_duration_out_of_bounds__reverts(
    record: Recorder, enterprise: Any
) -> None:
    with ape.reverts("licensing: licensee is the zero address"):
        record(ZERO)
    for duration in (0, 50 * YEAR + 1):
        with ape.reverts(BAD_DURATION):
            record(enterprise, duration)


def test_record_exclusive__a_listing_of_the_terms_is_active__reverts_until_delisted(
    licensing: Any, record: Recorder, patent: bytes, terms: bytes, provider: Any, enterprise: Any
) -> None:
    listing = licensing.list_terms(patent, ONE, YEAR, FIELD, TERRITORY, sender=provider)
    assert licensing.open_listings(terms) == 1

    with ape.reverts(LISTED):
        record(enterprise)
    licensing.delist(listing.return_value, sender=provider)
    assert licensing.open_listings(terms) == 0
    record(enterprise)


def test_record_exclusive__another_runs__reverts_until_it_ends(
    chain: Any, record: Recorder, enterprise: Any, provider2: Any
) -> None:
    record(enterprise)

    with ape.reverts(RUNS):
        record(provider2)
    wait(chain, YEAR)
    record(provider2)


def test_list_terms__an_exclusive_licence_of_the_terms_runs__reverts(
    licensing: Any, record: Recorder, patent: bytes, provider: Any, enterprise: Any
) -> None:
    record(enterprise)

    with ape.reverts(RUNS):
        licensing.list_terms(patent, ONE, YEAR, FIELD, TERRITORY, sender=provider)
    # other terms of the same patent stay open to per-patent licences
    licensing.list_terms(patent, ONE, YEAR, FIELD, "JP", sender=provider)


def test_list_terms__the_exclusive_licence_ended__lists_again(
    chain: Any,
    licensing: Any,
    record: Recorder,
    patent: bytes,
    terms: bytes,
    provider: Any,
    enterprise: Any,
) -> None:
    record(enterprise, 30 * DAY)
    wait(chain, 30 * DAY)

    tx = licensing.list_terms(patent, ONE, YEAR, FIELD, TERRITORY, sender=provider)

    assert licensing.listings(tx.return_value).active
    assert licensing.open_listings(terms) == 1


def test_terms_key__is_keccak_of_patent_field_and_territory(licensing: Any) -> None:
    patent = b"\x01" * 32
    expected = keccak(encode(["bytes32"] * 3, [patent, keccak(b"a"), keccak(b"b")]))

    assert licensing.terms_key(patent, "a", "b") == expected
    assert licensing.terms_key(patent, "ab", "") != licensing.terms_key(patent, "a", "b")
