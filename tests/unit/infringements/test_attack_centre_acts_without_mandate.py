"""Attack: a trusteeship centre acts for a patent (authorises or declines a case, accepts
a settlement offer) without a mandate in force: as a nominee named at submission, after
either side ended its mandate, or past the mandate's expiry."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from tests.fixtures.pool import PoolDriver
from tests.infringements_reasons import NOT_PROVIDER
from tests.unit.infringements.helpers import PATENT


def test_attack__nominee_named_at_submission__cannot_authorise(
    walker: PoolDriver,
    infringements: Any,
    provider: Any,
    centre: Any,
    file_case: Callable[..., int],
    pooled_patent: bytes,
) -> None:
    nominated = walker.submit(provider, "55678901", centre=centre)
    walker.certify(provider, "55678901")
    walker.rate(nominated, 80)
    walker.pool.pool(nominated, sender=walker.council)
    case = file_case(patent=nominated)

    for step in ("authorise", "decline"):
        with ape.reverts(NOT_PROVIDER):
            getattr(infringements, step)(case, sender=centre)


@pytest.mark.parametrize("ender", ["provider", "centre"])
def test_attack__after_the_mandate_ended__centre_cannot_decide(
    mandates: Any,
    infringements: Any,
    provider: Any,
    centre: Any,
    filed_case: int,
    ender: str,
) -> None:
    # while its mandate held, the centre decided (test_authorise, test_decline)
    mandates.end_mandate(PATENT, sender={"provider": provider, "centre": centre}[ender])

    for step in ("authorise", "decline"):
        with ape.reverts(NOT_PROVIDER):
            getattr(infringements, step)(filed_case, sender=centre)


def test_attack__past_the_mandate_expiry__centre_cannot_decide_but_the_provider_can(
    chain: Any, mandates: Any, infringements: Any, provider: Any, centre: Any, filed_case: int
) -> None:
    chain.pending_timestamp = mandates.mandate_of(PATENT)[3]

    with ape.reverts(NOT_PROVIDER):
        infringements.authorise(filed_case, sender=centre)
    infringements.authorise(filed_case, sender=provider)


def test_attack__after_the_mandate_ended__centre_cannot_accept_an_offer(
    mandates: Any, infringements: Any, provider: Any, centre: Any, case_in: Callable[[str], int]
) -> None:
    case = case_in("offer standing")
    mandates.end_mandate(PATENT, sender=provider)

    with ape.reverts(NOT_PROVIDER):
        infringements.accept_offer(case, 1, sender=centre)
