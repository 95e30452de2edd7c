"""Infringements' views: the case records and counters, read through a lifecycle."""

from collections.abc import Callable
from typing import Any

from bpsa.codes import CaseStatus
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
)


def test_cases__unknown_case__reads_as_all_zero(infringements: Any) -> None:
    assert fields(infringements.cases(1)) == (
        EMPTY, EMPTY, EMPTY, EMPTY, ZERO, 0, CaseStatus.NONE, 0, 0, 0, ZERO
    )  # fmt: skip
    assert infringements.open_case(EMPTY) == 0


def test_views__cases_through_their_lifecycle__counters_and_records_agree(
    infringements: Any,
    bpc: Any,
    regulator: Any,
    provider: Any,
    accused: Any,
    protection_centre: Any,
    authorised_case: int,
    file_case: Callable[..., int],
    offer: Callable[..., Any],
) -> None:
    open_case = file_case(product=OTHER_PRODUCT)
    infringements.authorise(open_case, sender=provider)
    offer(open_case, 7)
    offer(authorised_case)
    infringements.settle(
        authorised_case, infringements.cases(authorised_case).settlement, sender=regulator
    )

    assert infringements.case_count() == 2
    assert (infringements.bonds_held(), infringements.offers_held()) == (BOND, 7)
    assert bpc.balanceOf(infringements) == BOND + 7
    assert infringements.settlements_paid() == SETTLEMENT
    settled = infringements.cases(authorised_case)
    assert (settled.status, settled.settlement, settled.offerer) == (
        CaseStatus.SETTLED, SETTLEMENT, ZERO
    )  # fmt: skip
    still_open = fields(infringements.cases(open_case))
    assert still_open[:7] == (
        PATENT, INFRINGER, OTHER_PRODUCT, EVIDENCE, protection_centre.address, BOND,
        CaseStatus.AUTHORISED,
    )  # fmt: skip
    assert still_open[8:] == (0, 7, accused.address)
