"""transfer_ownership of every council-owned deployment (snekmate's ownable): the council hands
it to a successor, who then makes the owner's calls while the old council no longer can; anyone
else, or a hand-over to the zero address, is refused and the council keeps it.

What else follows the owner stays beside that function's tests: the exchange's canceller
(exchange/test_cancel.py), the register's resolver (infringements/test_dismiss.py), pooling
(pool/test_pool.py) and the fund's payments (fund/test_pay.py)."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind
from tests.channels_reasons import WINDOW_MIN
from tests.fixtures.pool import PARAMS
from tests.unit.ownership import NOT_OWNER

ZERO = "0x" + "00" * 20

# Each council-owned deployment by fixture name: owner-only calls as (method, the arguments
# from the accounts and token at hand: `bpc`, `centre` and `outsider`).
Calls = list[tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]]]]
OWNER_CALLS: dict[str, Calls] = {
    "channels": [("set_challenge_window", lambda at: (WINDOW_MIN,))],
    "exchange": [("set_pool_share", lambda at: (0,))],
    "fund": [("approve", lambda at: (at["bpc"], at["outsider"], 1))],
    "infringements": [("set_bond", lambda at: (0, False))],
    "licensing": [
        ("grant", lambda at: (at["centre"],)),
        ("set_tier", lambda at: (int(Kind.SME), 0)),
    ],
    "patent_pool": [("set_parameters", lambda at: (3, PARAMS.core_threshold, 0))],
}


@pytest.fixture
def owned(request: pytest.FixtureRequest, deployed: dict[str, Any]) -> Any:
    """The deployment a case names."""
    return deployed[request.param]


@pytest.fixture
def caller(request: pytest.FixtureRequest, attacker: Any, hub: Any) -> Any:
    """The account a case names by fixture."""
    return {"attacker": attacker, "hub": hub}[request.param]


@pytest.mark.parametrize(
    ("owned", "calls"), list(OWNER_CALLS.items()), indirect=["owned"], ids=list(OWNER_CALLS)
)
def test_transfer_ownership__by_the_council__the_successor_makes_the_owner_calls(
    owned: Any,
    calls: Calls,
    pool_council: Any,
    council_seats: list[Any],
    bpc: Any,
    centre: Any,
    outsider: Any,
) -> None:
    successor = council_seats[1]

    tx = owned.transfer_ownership(successor, sender=pool_council)

    assert owned.owner() == successor.address
    assert tx.events.filter(owned.OwnershipTransferred) == [
        owned.OwnershipTransferred(previous_owner=pool_council.address, new_owner=successor.address)
    ]
    for method, arguments in calls:
        args = arguments({"bpc": bpc, "centre": centre, "outsider": outsider})
        with ape.reverts(NOT_OWNER):
            getattr(owned, method)(*args, sender=pool_council)
        getattr(owned, method)(*args, sender=successor)


@pytest.mark.parametrize(
    ("owned", "caller"),
    [(name, "attacker") for name in OWNER_CALLS] + [("channels", "hub")],
    indirect=True,
)
def test_transfer_ownership__by_anyone_else__reverts(
    owned: Any, caller: Any, pool_council: Any
) -> None:
    with ape.reverts(NOT_OWNER):
        owned.transfer_ownership(caller, sender=caller)

    assert owned.owner() == pool_council.address


@pytest.mark.parametrize("owned", list(OWNER_CALLS), indirect=True)
def test_transfer_ownership__to_the_zero_address__reverts(owned: Any, pool_council: Any) -> None:
    with ape.reverts("ownable: new owner is the zero address"):
        owned.transfer_ownership(ZERO, sender=pool_council)

    assert owned.owner() == pool_council.address
