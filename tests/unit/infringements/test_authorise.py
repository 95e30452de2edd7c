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
from tests.unit.infringements.helpers import (
    BOND,
    LAPSED,
    NOT_ACTIVE,
    NOT_AWAITING,
    NOT_POOLED,
    NOT_PROVIDER,
    PATENT,
    PRODUCT,
    case_key,
)


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


def test_authorise__patent_changed_hands_after_authorisation__old_one_lapses_new_owner_decides(
    infringements: Any,
    patent_pool: Any,
    provider: Any,
    provider2: Any,
    authorised_case: int,
    change_hands: Callable[[bytes], None],
) -> None:
    change_hands(PATENT)

    assert not infringements.authorisation_in_force(authorised_case)
    with ape.reverts(NOT_PROVIDER):  # the seller no longer decides
        infringements.authorise(authorised_case, sender=provider)
    tx = infringements.authorise(authorised_case, sender=provider2)

    assert infringements.cases(authorised_case).tenure == patent_pool.tenure_of(PATENT)
    assert infringements.authorisation_in_force(authorised_case)
    assert (
        tx.events.filter(infringements.CaseAuthorised)[0].event_arguments["provider"]
        == provider2.address
    )


def test_authorise__authorisation_in_force__cannot_be_given_twice(
    infringements: Any, provider: Any, authorised_case: int
) -> None:
    with ape.reverts(NOT_AWAITING):
        infringements.authorise(authorised_case, sender=provider)


def test_authorise__patent_changed_hands_before_authorisation__buyer_authorises(
    infringements: Any,
    provider: Any,
    provider2: Any,
    filed_case: int,
    change_hands: Callable[[bytes], None],
) -> None:
    change_hands(PATENT)

    with ape.reverts(NOT_PROVIDER):
        infringements.authorise(filed_case, sender=provider)
    infringements.authorise(filed_case, sender=provider2)

    assert infringements.authorisation_in_force(filed_case)


def test_authorise__lapsed_authorisation_after_removal__offers_and_settlement_refused(
    infringements: Any,
    regulator: Any,
    offered_case: int,
    offer: Callable[..., int],
    lose_ground: Callable[[str], None],
) -> None:
    lose_ground("removed")

    with ape.reverts(LAPSED):
        offer(offered_case)
    with ape.reverts(LAPSED):
        infringements.settle(offered_case, 1, sender=regulator)


@pytest.mark.parametrize("decider", ["provider", "centre"])
@pytest.mark.parametrize("lost", ["suspended", "expelled"])
def test_authorise__provider_or_centre_no_longer_active__reverts(
    infringements: Any,
    actors_by_role: dict[str, Any],
    filed_case: int,
    lose_standing: Callable[..., None],
    decider: str,
    lost: str,
) -> None:
    sender = actors_by_role[decider]
    lose_standing(sender, lost)

    with ape.reverts(NOT_ACTIVE):
        infringements.authorise(filed_case, sender=sender)


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
