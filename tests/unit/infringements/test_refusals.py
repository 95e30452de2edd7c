"""Infringements refuses a case's decisions to the wrong caller, in the wrong state, to a
decider no longer active, once the authorisation lapsed, for an offer not standing on the
case, and to a payer short of BPC: tables over the functions that share each check (each
function's own file tests what it does and the refusals only it makes). Functions that take
an offer name offer 1; `offer_settlement` is funded and approved before it is called.
"""

from collections.abc import Callable, Iterator
from typing import Any

import ape
import pytest

from bpsa.core.codes import Role
from tests.unit.infringements.helpers import (
    BOND,
    EVIDENCE,
    INFRINGER,
    LAPSED,
    NO_ALLOWANCE,
    NO_BALANCE,
    NO_OFFER,
    NOT_ACTIVE,
    NOT_AUTHORISED,
    NOT_AWAITING,
    NOT_FILING_CENTRE,
    NOT_OPEN,
    NOT_PROVIDER,
    NOT_RESOLVER,
    OFFER_NOT_AUTHORISED,
    PARTY_RESOLVES,
    PRODUCT,
    SETTLEMENT,
    ZERO,
    call_on_case,
)

CLOSED_AFTER_AN_OFFER = (
    "unknown, filed, declined, settled, dismissed with an offer, withdrawn with an offer"
)

REFUSALS: dict[str, list[tuple[str, str, str]]] = {
    "authorise": [
        ("filed", "attacker, protection_centre, regulator, pool_council, provider2", NOT_PROVIDER),
        ("fund", "provider, centre, regulator, attacker", NOT_PROVIDER),
        ("unknown, authorised, declined, withdrawn, dismissed", "provider", NOT_AWAITING),
    ],
    "decline": [
        ("filed", "attacker, protection_centre, regulator, pool_council, provider2", NOT_PROVIDER),
        ("fund", "provider, regulator, attacker", NOT_PROVIDER),
        ("unknown, authorised, declined, withdrawn", "provider", NOT_AWAITING),
    ],
    "accept_offer": [
        (
            "offer standing",
            "attacker, protection_centre, regulator, pool_council, provider2, outsider",
            NOT_PROVIDER,
        ),
        ("filed", "provider", NOT_AUTHORISED),
    ],
    "dismiss": [
        ("filed", "attacker, protection_centre, provider, centre, outsider", NOT_RESOLVER),
        ("unknown, declined, withdrawn, dismissed, settled", "regulator", NOT_OPEN),
    ],
    "withdraw": [
        ("filed", "attacker, provider, centre, regulator, pool_council", NOT_FILING_CENTRE),
        ("unknown, declined, withdrawn, dismissed, settled", "protection_centre", NOT_OPEN),
    ],
    "settle": [  # the outsider is also the accused, who made the offer
        ("offered", "attacker, protection_centre, provider, centre, outsider", NOT_RESOLVER),
        (CLOSED_AFTER_AN_OFFER, "regulator", NOT_AUTHORISED),
    ],
    "offer_settlement": [(CLOSED_AFTER_AN_OFFER, "accused", OFFER_NOT_AUTHORISED)],
}
# the state a decision is taken in, by function
DECIDED_IN = {"authorise": "filed", "decline": "filed", "accept_offer": "offer standing"}
# who calls, and in which state, once the patent left the pool or changed hands
AFTER_A_LAPSE = {
    "offer_settlement": ("authorised", "accused"),
    "accept_offer": ("offer standing", "provider2"),  # the buyer, where the patent was sold
    "settle": ("offered", "regulator"),
}


@pytest.fixture
def call(
    infringements: Any, actors_by_role: dict[str, Any], offer: Callable[..., int]
) -> Callable[..., Any]:
    """`call(function, case, caller, offer_id=1)`: `function` on `case` from the actor named
    `caller`: `offer_settlement` of 1,000 BPC (funded and approved), the others naming offer
    `offer_id` where they take one."""

    def _call(function: str, case: int, caller: str, offer_id: int = 1) -> Any:
        sender = actors_by_role[caller]
        if function == "offer_settlement":
            return offer(case, SETTLEMENT, sender)
        return call_on_case(infringements, function, case, sender, offer_id)

    return _call


def refusals() -> Iterator[Any]:
    """One case a function, state and caller of `REFUSALS`, with an id naming all three."""
    for function, rows in REFUSALS.items():
        for states, callers, reason in rows:
            for state in states.split(", "):
                for caller in callers.split(", "):
                    yield pytest.param(
                        function, state, caller, reason, id=f"{function} {state} by {caller}"
                    )


@pytest.mark.parametrize(("function", "state", "caller", "reason"), refusals())
def test_refusals__wrong_caller_or_case_state__reverts_with_the_reason(
    case_in: Callable[[str], int],
    call: Callable[..., Any],
    function: str,
    state: str,
    caller: str,
    reason: str,
) -> None:
    case = case_in(state)

    with ape.reverts(reason):
        call(function, case, caller)


@pytest.mark.parametrize("function", ["dismiss", "settle"])
@pytest.mark.parametrize(
    ("standing", "reason"),
    [
        ("suspended", NOT_RESOLVER),
        ("role revoked", NOT_RESOLVER),
        ("the filing centre", PARTY_RESOLVES),
    ],
)
def test_refusals__regulator_suspended_without_its_role_or_a_party__cannot_resolve(
    infringements: Any,
    pool_alliance: Any,
    pool_council: Any,
    regulator: Any,
    protection_centre: Any,
    case_in: Callable[[str], int],
    lose_standing: Callable[..., None],
    function: str,
    standing: str,
    reason: str,
) -> None:
    case = case_in("filed" if function == "dismiss" else "offered")
    resolver = regulator
    if standing == "the filing centre":  # the centre given the regulator's role
        pool_alliance.grant_role(protection_centre, int(Role.REGULATOR), sender=pool_council)
        resolver = protection_centre
    else:
        lose_standing(regulator, standing, Role.REGULATOR)

    with ape.reverts(reason):
        call_on_case(infringements, function, case, resolver)


@pytest.mark.parametrize("function", list(DECIDED_IN))
@pytest.mark.parametrize("decider", ["provider", "centre"])
@pytest.mark.parametrize("lost", ["suspended", "expelled"])
def test_refusals__provider_or_centre_no_longer_active__cannot_decide(
    actors_by_role: dict[str, Any],
    case_in: Callable[[str], int],
    lose_standing: Callable[..., None],
    call: Callable[..., Any],
    function: str,
    decider: str,
    lost: str,
) -> None:
    case = case_in(DECIDED_IN[function])
    lose_standing(actors_by_role[decider], lost)

    with ape.reverts(NOT_ACTIVE):
        call(function, case, decider)


@pytest.mark.parametrize("function", list(AFTER_A_LAPSE))
@pytest.mark.parametrize("ground", ["removed", "changed hands"])
def test_refusals__authorisation_lapsed__reverts(
    case_in: Callable[[str], int],
    lose_ground: Callable[[str], None],
    call: Callable[..., Any],
    function: str,
    ground: str,
) -> None:
    state, caller = AFTER_A_LAPSE[function]
    case = case_in(state)
    lose_ground(ground)

    with ape.reverts(LAPSED):
        call(function, case, caller)


@pytest.mark.parametrize(
    ("function", "decider"), [("accept_offer", "provider"), ("settle", "regulator")]
)
@pytest.mark.parametrize("which", ["none made", "unknown id", "withdrawn", "another case's"])
def test_refusals__no_such_offer_standing_on_the_case__reverts(
    infringements: Any,
    accused: Any,
    case_in: Callable[[str], int],
    open_another_case: Callable[[], int],
    offer: Callable[..., int],
    call: Callable[..., Any],
    function: str,
    decider: str,
    which: str,
) -> None:
    case = case_in("authorised")
    named = 1
    if which == "unknown id":
        offer(case)
        named = 2
    elif which == "withdrawn":
        infringements.withdraw_offer(offer(case), sender=accused)
    elif which == "another case's":
        named = offer(open_another_case())

    with ape.reverts(NO_OFFER):
        call(function, case, decider, named)


@pytest.mark.parametrize(
    ("short", "reason"),
    [("allowance", NO_ALLOWANCE), ("balance", NO_BALANCE)],
    ids=["did_not_approve", "approved_but_lacks_the_amount"],
)
@pytest.mark.parametrize("function", ["file", "offer_settlement"])
def test_refusals__payer_did_not_approve_or_lacks_the_amount__reverts(
    infringements: Any,
    protection_centre: Any,
    accused: Any,
    pooled_patent: bytes,
    case_in: Callable[[str], int],
    hold: Callable[[Any, int, int], None],
    function: str,
    short: str,
    reason: str,
) -> None:
    if function == "file":  # the centre posts the bond
        payer, amount, case = protection_centre, BOND, 0
    else:  # the accused escrows its offer
        payer, amount, case = accused, SETTLEMENT, case_in("authorised")
    if short == "allowance":
        hold(payer, amount, 0)
    else:
        hold(payer, amount - 1, amount)

    with ape.reverts(reason):
        if function == "file":
            infringements.file(pooled_patent, INFRINGER, PRODUCT, EVIDENCE, ZERO, sender=payer)
        else:
            infringements.offer_settlement(case, amount, sender=payer)
