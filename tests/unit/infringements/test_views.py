"""Infringements' views: the case and offer records and counters, read through a
lifecycle."""

from collections.abc import Callable
from typing import Any

from bpsa.core.codes import CaseStatus
from tests.unit.infringements.helpers import (
    BOND,
    EMPTY,
    EVIDENCE,
    INFRINGER,
    OTHER_PRODUCT,
    PATENT,
    SETTLEMENT,
    ZERO,
    fields,
    offer_of,
)


def test_cases__unknown_case__reads_as_all_zero(infringements: Any) -> None:
    assert fields(infringements.cases(1)) == (
        EMPTY, EMPTY, EMPTY, EMPTY, ZERO, ZERO, 0, CaseStatus.NONE, 0, 0, 0, 0
    )  # fmt: skip
    assert infringements.open_case(EMPTY) == 0
    assert offer_of(infringements, 1) == (0, ZERO, 0)
    assert not infringements.authorisation_in_force(1)


def test_views__cases_through_their_lifecycle__counters_and_records_agree(
    infringements: Any,
    bpc: Any,
    patent_pool: Any,
    regulator: Any,
    provider: Any,
    accused: Any,
    insurer: Any,
    protection_centre: Any,
    authorised_case: int,
    open_another_case: Callable[[], int],
    offer: Callable[..., int],
) -> None:
    open_case = open_another_case()
    small = offer(open_case, 7)
    accepted = offer(authorised_case)
    left = offer(authorised_case, 3, insurer)
    infringements.accept_offer(authorised_case, accepted, sender=provider)
    infringements.settle(authorised_case, accepted, sender=regulator)

    assert infringements.case_count() == 2
    assert infringements.offer_count() == 3
    # the offer left standing on the settled case stays held for its offerer
    assert (infringements.bonds_held(), infringements.offers_held()) == (BOND, 7 + 3)
    assert bpc.balanceOf(infringements) == BOND + 7 + 3
    assert infringements.settlements_paid() == SETTLEMENT
    assert offer_of(infringements, small) == (open_case, accused.address, 7)
    assert offer_of(infringements, accepted) == (authorised_case, accused.address, 0)
    assert offer_of(infringements, left) == (authorised_case, insurer.address, 3)
    settled = infringements.cases(authorised_case)
    assert (settled.status, settled.settlement) == (CaseStatus.SETTLED, SETTLEMENT)
    assert fields(infringements.cases(open_case))[:8] == (
        PATENT, INFRINGER, OTHER_PRODUCT, EVIDENCE, protection_centre.address, ZERO, BOND,
        CaseStatus.AUTHORISED,
    )  # fmt: skip
    assert fields(infringements.cases(open_case))[9:] == (0, patent_pool.tenure_of(PATENT), 0)
    assert infringements.authorisation_in_force(open_case)
    assert not infringements.authorisation_in_force(authorised_case)  # settled
