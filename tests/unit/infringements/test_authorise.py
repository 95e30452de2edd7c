"""Infringements.authorise: the patent's provider, or its trusteeship centre, authorises
litigation of a filed case while an active member; the council decides for the fund's
patents. The authorisation holds while the patent stays pooled in the same hands (its
tenure); after a change of hands the new owner decides again."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import CaseStatus
from tests.fixtures.pool import PoolDriver
from tests.infringements_reasons import NOT_POOLED, NOT_PROVIDER
from tests.unit.infringements.helpers import BOND, PATENT, PRODUCT, case_key


@pytest.mark.parametrize("decider", ["provider", "centre"])
def test_authorise__by_the_provider_or_its_centre__authorises_and_logs(
    infringements: Any,
    bpc: Any,
    patent_pool: Any,
    actors_by_role: dict[str, Any],
    filed_case: int,
    decider: str,
) -> None:
    sender = actors_by_role[decider]
    tenure = patent_pool.tenure_of(PATENT)

    tx = infringements.authorise(filed_case, sender=sender)

    record = infringements.cases(filed_case)
    assert record.status == CaseStatus.AUTHORISED
    assert (record.closed_at, record.bond, record.tenure) == (0, BOND, tenure)
    assert infringements.authorisation_in_force(filed_case)
    assert tx.events.filter(infringements.CaseAuthorised) == [
        infringements.CaseAuthorised(case=filed_case, provider=sender.address, tenure=tenure)
    ]
    # still open: its bond stays and its use stays covered
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == BOND
    assert infringements.open_case(case_key(PATENT, record.infringer, PRODUCT)) == filed_case


def test_authorise__provider_of_another_pooled_patent__reverts(
    driver: PoolDriver, infringements: Any, provider2: Any, filed_case: int
) -> None:
    driver.pooled(provider2, "22345678")

    with ape.reverts(NOT_PROVIDER):
        infringements.authorise(filed_case, sender=provider2)


def test_authorise__patent_left_the_pool_after_filing__reverts(
    infringements: Any, filed_case: int, provider: Any, lose_ground: Callable[[str], None]
) -> None:
    lose_ground("removed")

    with ape.reverts(NOT_POOLED):
        infringements.authorise(filed_case, sender=provider)


@pytest.mark.parametrize("stage", ["filed", "authorised"])
def test_authorise__patent_changed_hands__the_seller_no_longer_decides_the_buyer_does(
    infringements: Any,
    patent_pool: Any,
    provider: Any,
    provider2: Any,
    case_in: Callable[[str], int],
    change_hands: Callable[[bytes], None],
    stage: str,
) -> None:
    case = case_in(stage)  # an authorisation given before the sale lapses with it
    change_hands(PATENT)

    assert not infringements.authorisation_in_force(case)
    with ape.reverts(NOT_PROVIDER):
        infringements.authorise(case, sender=provider)
    tx = infringements.authorise(case, sender=provider2)

    assert infringements.cases(case).tenure == patent_pool.tenure_of(PATENT)
    assert infringements.authorisation_in_force(case)
    assert (
        tx.events.filter(infringements.CaseAuthorised)[0].event_arguments["provider"]
        == provider2.address
    )


def test_authorise__provider_reinstated__authorises(
    infringements: Any, pool_alliance: Any, pool_council: Any, provider: Any, filed_case: int
) -> None:
    pool_alliance.suspend(provider, sender=pool_council)
    pool_alliance.reinstate(provider, sender=pool_council)

    infringements.authorise(filed_case, sender=provider)

    assert infringements.cases(filed_case).status == CaseStatus.AUTHORISED


def test_authorise__fund_patent__the_council_authorises(
    infringements: Any, pool_council: Any, fund_case: int
) -> None:
    tx = infringements.authorise(fund_case, sender=pool_council)

    assert infringements.cases(fund_case).status == CaseStatus.AUTHORISED
    assert (
        tx.events.filter(infringements.CaseAuthorised)[0].event_arguments["provider"]
        == pool_council.address
    )
