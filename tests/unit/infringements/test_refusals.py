"""Infringements refuses a case's decisions to the wrong caller, in the wrong state, to a
decider or resolver without its standing, once the authorisation lapsed, for an offer not
standing on the case, and to a payer short of BPC: tables over the functions that share each
check (each function's own file tests what it does and the refusals only it makes).
Functions that take an offer name offer 1; `offer_settlement` is funded and approved first.
"""

from collections.abc import Callable, Iterator
from typing import Any

import ape
import pytest

from bpsa.core.codes import Role
from tests.infringements_reasons import (
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
)
from tests.unit.infringements.helpers import (
    BOND,
    EVIDENCE,
    INFRINGER,
    PRODUCT,
    SETTLEMENT,
    ZERO,
    call_on_case,
)

CLOSED_AFTER_AN_OFFER = (
    "unknown, filed, declined, settled, dismissed with an offer, withdrawn with an offer"
)

# function: (the case's states, the callers, the revert reason[, what happened before the call])
# rows; each state with each caller (and each event)
REFUSALS: dict[str, list[tuple[str, ...]]] = {
    "authorise": [
        ("filed", "attacker, protection_centre, regulator, pool_council, provider2", NOT_PROVIDER),
        ("fund", "provider, centre, regulator, attacker", NOT_PROVIDER),
        ("unknown, authorised, declined, withdrawn, dismissed", "provider", NOT_AWAITING),
        ("filed", "provider, centre", NOT_ACTIVE, "suspended, expelled"),
    ],
    "decline": [
        ("filed", "attacker, protection_centre, regulator, pool_council, provider2", NOT_PROVIDER),
        ("fund", "provider, regulator, attacker", NOT_PROVIDER),
        ("unknown, authorised, declined, withdrawn", "provider", NOT_AWAITING),
        ("filed", "provider, centre", NOT_ACTIVE, "suspended, expelled"),
    ],
    "accept_offer": [
        (
            "offer standing",
            "attacker, protection_centre, regulator, pool_council, provider2, outsider",
            NOT_PROVIDER,
        ),
        ("filed", "provider", NOT_AUTHORISED),
        ("offer standing", "provider, centre", NOT_ACTIVE, "suspended, expelled"),
        # the buyer, where the patent was sold
        ("offer standing", "provider2", LAPSED, "removed, changed hands"),
    ],
    "offer_settlement": [
        (CLOSED_AFTER_AN_OFFER, "accused", OFFER_NOT_AUTHORISED),
        ("authorised", "accused", LAPSED, "removed, changed hands"),
    ],
    "dismiss": [
        ("filed", "attacker, protection_centre, provider, centre, outsider", NOT_RESOLVER),
        ("unknown, declined, withdrawn, dismissed, settled", "regulator", NOT_OPEN),
        ("filed", "regulator", NOT_RESOLVER, "suspended, role revoked"),
        ("filed", "protection_centre", PARTY_RESOLVES, "made a regulator"),
    ],
    "withdraw": [
        ("filed", "attacker, provider, centre, regulator, pool_council", NOT_FILING_CENTRE),
        ("unknown, declined, withdrawn, dismissed, settled", "protection_centre", NOT_OPEN),
    ],
    "settle": [  # the outsider is also the accused, who made the offer
        ("offered", "attacker, protection_centre, provider, centre, outsider", NOT_RESOLVER),
        (CLOSED_AFTER_AN_OFFER, "regulator", NOT_AUTHORISED),
        ("offered", "regulator", NOT_RESOLVER, "suspended, role revoked"),
        ("offered", "protection_centre", PARTY_RESOLVES, "made a regulator"),
        ("offered", "regulator", LAPSED, "removed, changed hands"),
    ],
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


@pytest.fixture
def happen(
    pool_alliance: Any,
    pool_council: Any,
    lose_standing: Callable[..., None],
    lose_ground: Callable[[str], None],
) -> Callable[[str, Any], None]:
    """`happen(event, actor)`: `actor` is "suspended" or "expelled", loses its regulator's
    role ("role revoked") or is "made a regulator"; or the pooled patent is "removed" or
    "changed hands"; nothing for ""."""

    def _happen(event: str, actor: Any) -> None:
        if event in ("removed", "changed hands"):
            lose_ground(event)
        elif event == "made a regulator":
            pool_alliance.grant_role(actor, int(Role.REGULATOR), sender=pool_council)
        elif event:
            lose_standing(actor, event, Role.REGULATOR)

    return _happen


def refusals() -> Iterator[Any]:
    """One case a function, state, caller and event of `REFUSALS`, with an id naming them."""
    for function, rows in REFUSALS.items():
        for states, callers, reason, *events in rows:
            for state in states.split(", "):
                for caller in callers.split(", "):
                    for event in (events or [""])[0].split(", "):
                        after = f" after {event}" if event else ""
                        yield pytest.param(
                            function,
                            state,
                            caller,
                            event,
                            reason,
                            id=f"{function} {state} by {caller}{after}",
                        )


@pytest.mark.parametrize(("function", "state", "caller", "event", "reason"), refusals())
def test_refusals__wrong_caller_state_or_standing__reverts_with_the_reason(
    actors_by_role: dict[str, Any],
    case_in: Callable[[str], int],
    happen: Callable[[str, Any], None],
    call: Callable[..., Any],
    function: str,
    state: str,
    caller: str,
    event: str,
    reason: str,
) -> None:
    case = case_in(state)
    happen(event, actors_by_role[caller])

    with ape.reverts(reason):
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
