"""Attacks on a mandate's terms and its parties: a contributor switching the terms under
the centre (an offer changed after the centre read it, a mandate in force re-offered), a
stranger ending a mandate before its expiry, a centre without the trusteeship-centre role
(offered, accepting, or losing the role while in force)."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import MandateState, Role
from tests.unit.mandates.helpers import (
    IN_FORCE,
    NOT_A_PARTY,
    NOT_CENTRE,
    OTHER_TERMS,
    SHARE,
    TERMS,
    TERMS_DIFFER,
)


@pytest.mark.parametrize(
    "switch",
    [{"terms": OTHER_TERMS}, {"share_bps": SHARE // 2}, {"expiry": -1}],
    ids=["terms", "share", "expiry"],
)
def test_attack__contributor_switches_the_offer_before_acceptance__old_terms_not_accepted(
    mandates: Any, provider: Any, centre: Any, offered: bytes, expiry: int, switch: dict[str, Any]
) -> None:
    offer = {"terms": TERMS, "share_bps": SHARE, "expiry": expiry}
    changed = {**offer, **switch}
    if switch.get("expiry") == -1:
        changed["expiry"] = expiry - 1
    mandates.offer_mandate(offered, centre, *changed.values(), sender=provider)

    with ape.reverts(TERMS_DIFFER):
        mandates.accept_mandate(offered, *offer.values(), sender=centre)
    assert mandates.mandate_of(offered)[4] == 1  # still only offered


def test_attack__contributor_re_offers_a_mandate_in_force__reverts(
    mandates: Any, provider: Any, centre: Any, accepted: bytes, expiry: int
) -> None:
    with ape.reverts(IN_FORCE):
        mandates.offer_mandate(accepted, centre, OTHER_TERMS, 0, expiry, sender=provider)


@pytest.fixture
def held(request: pytest.FixtureRequest) -> bytes:
    """Parametrised indirectly with `offered` or `accepted`: the patent under that offer or
    mandate."""
    patent: bytes = request.getfixturevalue(request.param)
    return patent


@pytest.mark.parametrize(
    ("held", "state"),
    [
        pytest.param("offered", MandateState.OFFERED, id="an_offer"),
        pytest.param("accepted", MandateState.IN_FORCE, id="a_mandate_before_its_expiry"),
    ],
    indirect=["held"],
)
def test_attack__stranger_ends_an_offer_or_a_mandate__reverts(
    mandates: Any, outsider: Any, provider2: Any, held: bytes, state: MandateState
) -> None:
    for stranger in (outsider, provider2):
        with ape.reverts(NOT_A_PARTY):
            mandates.end_mandate(held, sender=stranger)
    assert mandates.mandate_of(held)[4] == state  # still offered, or still in force


def test_attack__offer_to_a_member_without_the_centre_role__reverts(
    mandates: Any, pooled: bytes, provider: Any, provider2: Any, outsider: Any, expiry: int
) -> None:
    for who in (provider2, outsider):
        with ape.reverts(NOT_CENTRE):
            mandates.offer_mandate(pooled, who, TERMS, SHARE, expiry, sender=provider)


def test_attack__centre_that_lost_the_role_accepts__reverts(
    mandates: Any, pool_alliance: Any, pool_council: Any, centre: Any, offered: bytes, expiry: int
) -> None:
    pool_alliance.revoke_role(centre, int(Role.TRUSTEESHIP_CENTRE), sender=pool_council)

    with ape.reverts(NOT_CENTRE):
        mandates.accept_mandate(offered, TERMS, SHARE, expiry, sender=centre)


def test_attack__centre_suspended_while_in_force__anyone_ends_the_mandate(
    mandates: Any,
    royalties: Any,
    pool_alliance: Any,
    pool_council: Any,
    centre: Any,
    outsider: Any,
    accepted: bytes,
) -> None:
    pool_alliance.suspend(centre, sender=pool_council)

    tx = mandates.end_mandate(accepted, sender=outsider)

    assert tx.events.filter(mandates.MandateEnded) == [
        mandates.MandateEnded(patent=accepted, centre=centre.address, reason=4, accepted=True)
    ]
    assert royalties.centre_weight(centre) == 0
