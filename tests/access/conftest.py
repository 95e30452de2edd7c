"""Callers for the access matrix: every actor that must not reach a privileged function.

Contracts call as impersonated accounts (ape on anvil); they hold no ETH of their own
and have no fallback to receive any, so their balance is set directly."""

from typing import Any

import pytest

from bpsa.codes import Kind, Role
from tests.fixtures.suite import IDENTITY, Pass, calldata


@pytest.fixture(scope="module")
def member_with_every_role(
    alliance: Any, chain: Any, council: Any, council_seats: list[Any], startup: Any
) -> Any:
    """The start-up, admitted and granted every role by council proposals."""
    alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)
    grants = [calldata(alliance, "grant_role", startup.address, int(r)) for r in Role]
    council_pass = Pass(chain, council, council_seats)
    council_pass.run([calldata(alliance, "admit", startup.address), *grants[:-1]])
    council_pass.run(grants[-1:])  # a proposal carries at most 8 calls
    assert alliance.has_role(startup, sum(int(r) for r in Role))
    return startup


@pytest.fixture(scope="module")
def callers(
    accounts: Any,
    chain: Any,
    suite: dict[str, Any],
    council_seats: list[Any],
    outsider: Any,
    attacker: Any,
    member_with_every_role: Any,
) -> dict[str, Any]:
    """Every caller of the matrix by name (see CALLERS in test_access_matrix.py)."""
    contracts = {}
    for name in ("Council", "Congress"):
        address = suite[name].address
        chain.provider.set_balance(address, 10**18)
        contracts[f"{name.lower()}_contract"] = accounts[address]
    return {
        "outsider": outsider,
        "attacker": attacker,
        "member_with_every_role": member_with_every_role,
        **{f"council_seat_{i}": seat for i, seat in enumerate(council_seats)},
        **contracts,
    }
