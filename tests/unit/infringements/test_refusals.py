"""Infringements refuses a case's decisions to the wrong caller and in the wrong state: one
table over authorise, decline, accept_offer, dismiss, withdraw and settle (each function's
file tests what it does, and its other refusals). `accept_offer` and `settle` name offer 1.
"""

from collections.abc import Callable, Iterator
from typing import Any

import ape
import pytest

from tests.unit.infringements.helpers import (
    NOT_AUTHORISED,
    NOT_AWAITING,
    NOT_FILING_CENTRE,
    NOT_OPEN,
    NOT_PROVIDER,
    NOT_RESOLVER,
    call_on_case,
)

# function: (the case's states, the callers, the revert reason); every state with every caller
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
        (
            "unknown, filed, declined, settled, dismissed with an offer, withdrawn with an offer",
            "regulator",
            NOT_AUTHORISED,
        ),
    ],
}


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
    infringements: Any,
    actors_by_role: dict[str, Any],
    case_in: Callable[[str], int],
    function: str,
    state: str,
    caller: str,
    reason: str,
) -> None:
    case = case_in(state)

    with ape.reverts(reason):
        call_on_case(infringements, function, case, actors_by_role[caller])
