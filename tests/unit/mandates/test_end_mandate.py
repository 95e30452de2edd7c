"""Mandates.end_mandate: either side ends a mandate (or withdraws or declines an offer)
at any time, anyone once it expired; a pooled patent's weight goes back to its
contributor."""

from typing import Any

import ape

from tests.unit.mandates.helpers import NO_MANDATE, ZERO


def test_end_mandate__by_the_contributor__weight_back_and_logs(
    mandates: Any, patent_pool: Any, royalties: Any, provider: Any, centre: Any, accepted: bytes
) -> None:
    tx = mandates.end_mandate(accepted, sender=provider)

    assert tx.events.filter(mandates.MandateEnded) == [
        mandates.MandateEnded(patent=accepted, centre=centre.address, reason=1, accepted=True)
    ]
    assert mandates.mandate_of(accepted) == (ZERO, b"\x00" * 32, 0, 0, 0)
    assert patent_pool.patents(accepted).centre == ZERO
    assert (royalties.centre_weight(centre), royalties.delegated_weight(provider)) == (0, 0)
    assert royalties.contributor_weight(provider) == 80


def test_end_mandate__centre_declines_an_offer__logs_it_not_accepted(
    mandates: Any, royalties: Any, centre: Any, offered: bytes
) -> None:
    tx = mandates.end_mandate(offered, sender=centre)

    assert tx.events.filter(mandates.MandateEnded) == [
        mandates.MandateEnded(patent=offered, centre=centre.address, reason=2, accepted=False)
    ]
    assert tx.events.filter(royalties.WeightChanged) == []


def test_end_mandate__anyone_after_the_expiry__logs_expired(
    chain: Any, mandates: Any, outsider: Any, centre: Any, accepted: bytes, expiry: int
) -> None:
    chain.pending_timestamp = expiry
    chain.mine()
    assert mandates.mandate_of(accepted)[4] == 3  # expired, not yet ended

    tx = mandates.end_mandate(accepted, sender=outsider)

    assert [e.reason for e in tx.events.filter(mandates.MandateEnded)] == [3]


def test_end_mandate__none__reverts(
    mandates: Any, provider: Any, accepted: bytes, pooled: bytes
) -> None:
    mandates.end_mandate(accepted, sender=provider)

    with ape.reverts(NO_MANDATE):
        mandates.end_mandate(accepted, sender=provider)
