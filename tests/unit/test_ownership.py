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
TO_ZERO = "ownable: new owner is the zero address"

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
OWNED = list(OWNER_CALLS)


@pytest.fixture
def owned(request: pytest.FixtureRequest, deployed: dict[str, Any]) -> Any:
    """The deployment a case names."""
    return deployed[request.param]


@pytest.mark.parametrize(
    ("owned", "calls"), list(OWNER_CALLS.items()), indirect=["owned"], ids=OWNED
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


# Each refused hand-over: the deployment, who it would go to, who asks, and the reason.
REFUSED = [
    *(pytest.param(n, "attacker", "attacker", NOT_OWNER, id=f"{n}-by_anyone_else") for n in OWNED),
    pytest.param("channels", "hub", "hub", NOT_OWNER, id="channels-by_the_hub"),
    *(pytest.param(n, "zero", "pool_council", TO_ZERO, id=f"{n}-to_zero") for n in OWNED),
]


@pytest.mark.parametrize(("owned", "to", "by", "reason"), REFUSED, indirect=["owned"])
def test_transfer_ownership__refused__reverts_and_the_council_keeps_it(
    owned: Any, to: str, by: str, reason: str, pool_council: Any, attacker: Any, hub: Any
) -> None:
    account = {"attacker": attacker, "hub": hub, "pool_council": pool_council, "zero": ZERO}

    with ape.reverts(reason):
        owned.transfer_ownership(account[to], sender=account[by])

    assert owned.owner() == pool_council.address
