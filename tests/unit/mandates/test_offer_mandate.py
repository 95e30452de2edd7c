"""Mandates.offer_mandate: the contributor of record (the council for the fund's patents)
offers an active trusteeship centre a mandate for a patent in the registry."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Removal
from tests.fixtures.pool import PoolDriver
from tests.unit.mandates.helpers import (
    CENTRE_ZERO,
    EMPTY_TERMS,
    EXPIRY_PAST,
    NOT_CONTRIBUTOR,
    NOT_IN_REGISTRY,
    OTHER_TERMS,
    OWN_CENTRE,
    PATENT,
    SHARE,
    SHARE_TOO_HIGH,
    TERMS,
    ZERO,
)


def test_offer_mandate__by_the_contributor__records_the_offer_and_logs(
    mandates: Any, patent_pool: Any, royalties: Any, provider: Any, centre: Any, pooled: bytes,
    expiry: int,
) -> None:  # fmt: skip
    tx = mandates.offer_mandate(pooled, centre, TERMS, SHARE, expiry, sender=provider)

    assert mandates.mandate_of(pooled) == (centre.address, TERMS, SHARE, expiry, 1)
    assert tx.events.filter(mandates.MandateOffered) == [
        mandates.MandateOffered(
            patent=pooled,
            contributor=provider.address,
            centre=centre.address,
            terms=TERMS,
            share_bps=SHARE,
            expiry=expiry,
            tenure=patent_pool.tenure_of(pooled),
        )
    ]
    # nothing moves until the centre accepts
    assert patent_pool.ownership(pooled)[2] == ZERO
    assert royalties.centre_weight(centre) == 0


def test_offer_mandate__replaces_an_offer_not_accepted__logs_its_end(
    mandates: Any, provider: Any, centre: Any, offered: bytes, expiry: int
) -> None:
    tx = mandates.offer_mandate(offered, centre, OTHER_TERMS, 0, expiry, sender=provider)

    assert mandates.mandate_of(offered) == (centre.address, OTHER_TERMS, 0, expiry, 1)
    assert tx.events.filter(mandates.MandateEnded) == [
        mandates.MandateEnded(patent=offered, centre=centre.address, reason=5, accepted=False)
    ]


def test_offer_mandate__after_the_accepted_one_expired__ends_it_and_offers_anew(
    chain: Any, mandates: Any, royalties: Any, provider: Any, centre: Any, accepted: bytes,
    expiry: int,
) -> None:  # fmt: skip
    chain.pending_timestamp = expiry

    tx = mandates.offer_mandate(accepted, centre, OTHER_TERMS, SHARE, expiry + 100, sender=provider)

    assert [e.reason for e in tx.events.filter(mandates.MandateEnded)] == [3]
    assert royalties.centre_weight(centre) == 0
    assert mandates.mandate_of(accepted)[4] == 1


def test_offer_mandate__a_submitted_patent__may_be_offered_before_pooling(
    driver: PoolDriver, mandates: Any, provider: Any, centre: Any
) -> None:
    patent = driver.submit(provider, "22345678")

    mandates.offer_mandate(patent, centre, TERMS, SHARE, driver.now() + 100, sender=provider)

    assert mandates.mandate_of(patent)[4] == 1


def test_offer_mandate__fund_patent__by_the_council(
    driver: PoolDriver, mandates: Any, fund: Any, pool_council: Any, provider: Any, centre: Any
) -> None:
    patent = driver.pooled_purchase(fund, "44567890", provider)

    with ape.reverts(NOT_CONTRIBUTOR):
        mandates.offer_mandate(patent, centre, TERMS, SHARE, driver.now() + 100, sender=provider)
    mandates.offer_mandate(patent, centre, TERMS, SHARE, driver.now() + 100, sender=pool_council)

    assert mandates.mandate_of(patent)[0] == centre.address


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"centre": ZERO}, CENTRE_ZERO),
        ({"centre": "provider"}, OWN_CENTRE),
        ({"terms": b"\x00" * 32}, EMPTY_TERMS),
        ({"share_bps": 1_001}, SHARE_TOO_HIGH),
        ({"expiry": 0}, EXPIRY_PAST),
    ],
    ids=["zero-centre", "own-centre", "empty-terms", "share-above-centre-share", "past-expiry"],
)
def test_offer_mandate__bad_argument__reverts_naming_it(
    mandates: Any, provider: Any, centre: Any, pooled: bytes, expiry: int,
    change: dict[str, Any], reason: str,
) -> None:  # fmt: skip
    args = {"centre": centre.address, "terms": TERMS, "share_bps": SHARE, "expiry": expiry}
    args.update(change)
    if args["centre"] == "provider":
        args["centre"] = provider.address

    with ape.reverts(reason):
        mandates.offer_mandate(pooled, *args.values(), sender=provider)


def test_offer_mandate__not_the_contributor__reverts(
    mandates: Any, centre: Any, provider2: Any, pool_council: Any, pooled: bytes, expiry: int
) -> None:
    for caller in (provider2, centre, pool_council):
        with ape.reverts(NOT_CONTRIBUTOR):
            mandates.offer_mandate(pooled, centre, TERMS, SHARE, expiry, sender=caller)


def test_offer_mandate__patent_not_in_the_registry__reverts(
    mandates: Any, patent_pool: Any, pool_council: Any, provider: Any, centre: Any,
    pooled: bytes, expiry: int,
) -> None:  # fmt: skip
    patent_pool.remove(pooled, int(Removal.REJECTED), sender=pool_council)

    for patent in (pooled, PATENT[:31] + b"\x00"):
        with ape.reverts(NOT_IN_REGISTRY):
            mandates.offer_mandate(patent, centre, TERMS, SHARE, expiry, sender=provider)
