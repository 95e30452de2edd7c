"""Infringements.file: an active rights-protection centre files a case against an
unlicensed use of a pooled patent and posts the bond; one open case per use. The centre
may name the accused, but only a member the council vetted whose identity record is the
infringer's digest."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import CaseStatus, Kind, Removal, Role
from tests.fixtures.pool import PoolDriver
from tests.fixtures.suite import application
from tests.infringements_reasons import (
    ALREADY_OPEN,
    EMPTY_EVIDENCE,
    EMPTY_INFRINGER,
    EMPTY_PRODUCT,
    NOT_POOLED,
    NOT_PROTECTION_CENTRE,
    NOT_VETTED,
    SELF_ACCUSED,
)
from tests.unit.infringements.helpers import (
    BOND,
    EMPTY,
    EVIDENCE,
    FILED_KEY,
    INFRINGER,
    NEVER_SUBMITTED,
    OTHER_PRODUCT,
    PATENT,
    PRODUCT,
    ZERO,
    case_key,
    fields,
)


@pytest.fixture
def ready(infringements: Any, bpc: Any, fund_bpc: Any, protection_centre: Any) -> Any:
    """The rights-protection centre, holding and approving exactly one bond."""
    fund_bpc(protection_centre, BOND)
    bpc.approve(infringements, BOND, sender=protection_centre)
    return protection_centre


def test_file__by_a_protection_centre__records_the_case_and_takes_the_bond(
    infringements: Any, bpc: Any, pooled_patent: bytes, ready: Any
) -> None:
    tx = infringements.file(pooled_patent, INFRINGER, PRODUCT, EVIDENCE, ZERO, sender=ready)

    assert tx.return_value == 1
    assert fields(infringements.cases(1)) == (
        PATENT, INFRINGER, PRODUCT, EVIDENCE, ready.address, ZERO, BOND, CaseStatus.FILED,
        tx.timestamp, 0, 0, 0,
    )  # fmt: skip
    assert infringements.case_count() == 1
    assert infringements.open_case(FILED_KEY) == 1
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == BOND
    assert bpc.balanceOf(ready) == 0
    assert tx.events.filter(infringements.CaseFiled) == [
        infringements.CaseFiled(
            case=1,
            patent=PATENT,
            centre=ready.address,
            infringer=INFRINGER,
            product=PRODUCT,
            evidence=EVIDENCE,
            bond=BOND,
            accused=ZERO,
        )
    ]


def test_file__another_product_or_infringer__opens_a_case_of_its_own(
    infringements: Any, filed_case: int, file_case: Callable[..., int]
) -> None:
    other_infringer = b"\x1f" * 32

    by_product = file_case(product=OTHER_PRODUCT)
    by_infringer = file_case(infringer=other_infringer)

    assert (filed_case, by_product, by_infringer) == (1, 2, 3)
    assert infringements.open_case(case_key(PATENT, INFRINGER, OTHER_PRODUCT)) == 2
    assert infringements.open_case(case_key(PATENT, other_infringer, PRODUCT)) == 3
    assert infringements.bonds_held() == 3 * BOND


@pytest.mark.parametrize(
    ("caller", "lost"),
    [
        *(
            pytest.param(caller, "", id=f"by_{caller}")
            for caller in ("attacker", "regulator", "provider", "centre", "pool_council")
        ),
        pytest.param("protection_centre", "suspended", id="centre_suspended"),
        pytest.param("protection_centre", "role revoked", id="centre_without_its_role"),
    ],
)
def test_file__by_anyone_without_an_active_protection_role__reverts(
    infringements: Any,
    actors_by_role: dict[str, Any],
    pooled_patent: bytes,
    hold: Callable[[Any, int, int], None],
    lose_standing: Callable[..., None],
    caller: str,
    lost: str,
) -> None:
    sender = actors_by_role[caller]
    hold(sender, BOND, BOND)  # the bond held and approved: only the role is missing
    if lost:
        lose_standing(sender, lost, Role.RIGHTS_PROTECTION_CENTRE)

    with ape.reverts(NOT_PROTECTION_CENTRE):
        infringements.file(pooled_patent, INFRINGER, PRODUCT, EVIDENCE, ZERO, sender=sender)


@pytest.mark.parametrize(
    ("empty", "reason"),
    [(0, EMPTY_INFRINGER), (1, EMPTY_PRODUCT), (2, EMPTY_EVIDENCE)],
    ids=["infringer", "product", "evidence"],
)
def test_file__an_empty_digest__reverts(
    infringements: Any, pooled_patent: bytes, ready: Any, empty: int, reason: str
) -> None:
    digests = [INFRINGER, PRODUCT, EVIDENCE]
    digests[empty] = EMPTY

    with ape.reverts(reason):
        infringements.file(pooled_patent, *digests, ZERO, sender=ready)


@pytest.mark.parametrize("state", ["never submitted", "submitted", "removed"])
def test_file__patent_not_pooled__reverts(
    driver: PoolDriver,
    infringements: Any,
    patent_pool: Any,
    pool_council: Any,
    provider: Any,
    protection_centre: Any,
    state: str,
) -> None:
    if state == "never submitted":
        patent = NEVER_SUBMITTED
    elif state == "submitted":
        patent = driver.submit(provider, "22345678")
    else:
        patent = driver.pooled(provider, "22345678")
        patent_pool.remove(patent, int(Removal.SOLD), sender=pool_council)

    with ape.reverts(NOT_POOLED):
        infringements.file(patent, INFRINGER, PRODUCT, EVIDENCE, ZERO, sender=protection_centre)


@pytest.mark.parametrize("stage", ["filed", "authorised"])
def test_file__same_use_while_a_case_is_open__reverts_even_with_new_evidence(
    infringements: Any, filed_case: int, provider: Any, ready: Any, stage: str
) -> None:
    if stage == "authorised":
        infringements.authorise(filed_case, sender=provider)

    with ape.reverts(ALREADY_OPEN):
        infringements.file(PATENT, INFRINGER, PRODUCT, b"\xee" * 32, ZERO, sender=ready)


@pytest.mark.parametrize("standing", ["active", "suspended", "expelled"])
def test_file__naming_a_vetted_accused__records_it(
    infringements: Any,
    pool_alliance: Any,
    pool_council: Any,
    pooled_patent: bytes,
    ready: Any,
    vetted_accused: Any,
    standing: str,
) -> None:
    if standing != "active":
        action = {"suspended": "suspend", "expelled": "expel"}[standing]
        getattr(pool_alliance, action)(vetted_accused, sender=pool_council)

    tx = infringements.file(
        pooled_patent, INFRINGER, PRODUCT, EVIDENCE, vetted_accused, sender=ready
    )

    assert infringements.cases(tx.return_value).accused == vetted_accused.address
    assert tx.events.filter(infringements.CaseFiled)[0].accused == vetted_accused.address


@pytest.mark.parametrize("who", ["non-member", "applicant", "rejected", "other identity"])
def test_file__naming_an_accused_the_record_does_not_prove__reverts(
    infringements: Any,
    pool_alliance: Any,
    pool_council: Any,
    pooled_patent: bytes,
    ready: Any,
    accused: Any,
    who: str,
) -> None:
    if who != "non-member":
        identity = b"\x1f" * 32 if who == "other identity" else INFRINGER
        pool_alliance.apply(int(Kind.SME), identity, sender=accused)  # claims the identity
        if who == "rejected":
            pool_alliance.reject(*application(pool_alliance, accused), sender=pool_council)
        elif who == "other identity":
            pool_alliance.admit(*application(pool_alliance, accused), sender=pool_council)

    with ape.reverts(NOT_VETTED):
        infringements.file(pooled_patent, INFRINGER, PRODUCT, EVIDENCE, accused, sender=ready)


def test_file__centre_names_itself_the_accused__reverts(
    infringements: Any, pooled_patent: bytes, ready: Any
) -> None:
    with ape.reverts(SELF_ACCUSED):
        infringements.file(pooled_patent, INFRINGER, PRODUCT, EVIDENCE, ready, sender=ready)


@pytest.mark.parametrize("close", ["withdraw", "decline"])
def test_file__same_use_after_its_case_closed__opens_a_new_case(
    infringements: Any,
    filed_case: int,
    file_case: Callable[..., int],
    protection_centre: Any,
    provider: Any,
    close: str,
) -> None:
    closer = protection_centre if close == "withdraw" else provider
    getattr(infringements, close)(filed_case, sender=closer)

    again = file_case()

    assert again == 2
    assert infringements.open_case(FILED_KEY) == 2
    assert infringements.cases(filed_case).status != CaseStatus.FILED


def test_file__bond_zero__files_without_moving_bpc(
    infringements: Any, bpc: Any, pool_council: Any, pooled_patent: bytes, protection_centre: Any
) -> None:
    infringements.set_bond(0, False, sender=pool_council)

    tx = infringements.file(
        pooled_patent, INFRINGER, PRODUCT, EVIDENCE, ZERO, sender=protection_centre
    )

    assert infringements.cases(tx.return_value).bond == 0
    assert infringements.cases(tx.return_value).centre == protection_centre.address
    assert infringements.bonds_held() == bpc.balanceOf(infringements) == 0
    assert tx.events.filter(infringements.CaseFiled)[0].bond == 0
