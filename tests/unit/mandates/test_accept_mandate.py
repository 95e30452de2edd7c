"""Mandates.accept_mandate: the offered centre accepts the exact terms; a pooled
patent's centre weight moves to it, and it acts and earns until the expiry."""

from typing import Any

import ape

from tests.fixtures.pool import PoolDriver
from tests.unit.mandates.helpers import (
    ALREADY,
    NO_MANDATE,
    NO_OFFER,
    OFFER_EXPIRED,
    SHARE,
    TERMS,
    ZERO,
)


def test_accept_mandate__offered_centre__moves_the_weight_and_logs(
    mandates: Any, patent_pool: Any, royalties: Any, provider: Any, centre: Any,
    offered: bytes, expiry: int,
) -> None:  # fmt: skip
    tx = mandates.accept_mandate(offered, TERMS, SHARE, expiry, sender=centre)

    assert mandates.mandate_of(offered) == (centre.address, TERMS, SHARE, expiry, 2)
    assert patent_pool.ownership(offered)[2] == centre.address
    assert patent_pool.payees(offered)[2:] == (centre.address, SHARE)
    assert (royalties.centre_weight(centre), royalties.delegated_weight(provider)) == (80, 80)
    assert royalties.contributor_weight(provider) == royalties.total_contributor_weight() == 80
    assert tx.events.filter(mandates.MandateAccepted) == [
        mandates.MandateAccepted(
            patent=offered, centre=centre.address, terms=TERMS, share_bps=SHARE, expiry=expiry
        )
    ]
    moves = tx.events.filter(royalties.WeightChanged)
    assert [(e.centre, e.old_weight, e.new_weight) for e in moves] == [
        (ZERO, 80, 0),
        (centre.address, 0, 80),
    ]


def test_accept_mandate__before_pooling__pooling_gives_the_centre_its_weight(
    driver: PoolDriver, royalties: Any, provider: Any, centre: Any
) -> None:
    patent = driver.pooled(provider, "22345678", score=70, centre=centre)

    assert driver.pool.patents(patent).centre == centre.address
    assert royalties.centre_weight(centre) == 70


def test_accept_mandate__not_the_offered_centre__reverts(
    mandates: Any, provider: Any, provider2: Any, offered: bytes, expiry: int
) -> None:
    for caller in (provider, provider2):
        with ape.reverts(NO_OFFER):
            mandates.accept_mandate(offered, TERMS, SHARE, expiry, sender=caller)


def test_accept_mandate__no_offer__reverts(
    mandates: Any, centre: Any, pooled: bytes, expiry: int
) -> None:
    with ape.reverts(NO_MANDATE):
        mandates.accept_mandate(pooled, TERMS, SHARE, expiry, sender=centre)


def test_accept_mandate__twice__reverts(
    mandates: Any, centre: Any, accepted: bytes, expiry: int
) -> None:
    with ape.reverts(ALREADY):
        mandates.accept_mandate(accepted, TERMS, SHARE, expiry, sender=centre)


def test_accept_mandate__offer_past_its_expiry__reverts(
    chain: Any, mandates: Any, centre: Any, offered: bytes, expiry: int
) -> None:
    chain.pending_timestamp = expiry

    with ape.reverts(OFFER_EXPIRED):
        mandates.accept_mandate(offered, TERMS, SHARE, expiry, sender=centre)
