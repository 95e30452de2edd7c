"""Alliance's ownership: only the council makes the owner's calls; it may hand the alliance
on, never renounce it."""

from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from bpsa.core.codes import Role, Status
from tests.fixtures.suite import Pass, application, calldata, decide
from tests.unit.alliance.helpers import DECIDED_BY_APPLICATION, NOT_OWNER, Events

RENOUNCE_SELECTOR = keccak(text="renounce_ownership()")[:4]

# Each owner-only call: the actor fixture it is made on, its arguments after the actor, and
# a view of the actor with the value it keeps.
OWNER_ONLY = [
    ("admit", "applicant", (), "status_of", Status.APPLIED),
    ("reject", "applicant", (), "status_of", Status.APPLIED),
    ("expel", "member", (), "is_active", True),
    ("suspend", "member", (), "is_active", True),
    ("reinstate", "suspended", (), "status_of", Status.SUSPENDED),
    ("grant_role", "member", (int(Role.PROVIDER),), "roles_of", 0),
    ("revoke_role", "role_holder", (int(Role.PROVIDER),), "roles_of", Role.PROVIDER | Role.EXPERT),
    ("set_market_share", "large_enterprise", (4_200,), "market_share_of", 0),
]


@pytest.fixture
def actor(request: pytest.FixtureRequest) -> Any:
    """The actor fixture a row of OWNER_ONLY names."""
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(
    ("method", "actor", "args", "view", "kept"),
    OWNER_ONLY,
    indirect=["actor"],
    ids=[row[0] for row in OWNER_ONLY],
)
def test_owner_only_call__caller_not_council__reverts(
    alliance: Any,
    attacker: Any,
    method: str,
    actor: Any,
    args: tuple[Any, ...],
    view: str,
    kept: Any,
) -> None:
    named = application(alliance, actor) if method in DECIDED_BY_APPLICATION else (actor, *args)

    with ape.reverts(NOT_OWNER):
        getattr(alliance, method)(*named, sender=attacker)

    assert getattr(alliance, view)(actor) == kept


def test_owner__after_deploy__is_the_council(alliance: Any, council: Any) -> None:
    assert alliance.owner() == council.address


def test_transfer_ownership__through_council__hands_alliance_to_new_owner(
    alliance: Any, council: Any, congress: Any, council_pass: Pass, alliance_events: Events
) -> None:
    tx = council_pass.run([calldata(alliance, "transfer_ownership", congress.address)])

    assert alliance.owner() == congress.address
    assert alliance_events(tx) == [
        alliance.OwnershipTransferred(previous_owner=council.address, new_owner=congress.address)
    ]


def test_transfer_ownership__old_council_afterwards__can_no_longer_admit(
    alliance: Any, congress: Any, council_pass: Pass, applicant: Any
) -> None:
    council_pass.run([calldata(alliance, "transfer_ownership", congress.address)])

    with ape.reverts(NOT_OWNER):
        council_pass.run([decide(alliance, "admit", applicant)])

    assert alliance.status_of(applicant) == Status.APPLIED


def test_transfer_ownership__zero_address__reverts(
    alliance: Any, council: Any, council_pass: Pass
) -> None:
    with ape.reverts("ownable: new owner is the zero address"):
        council_pass.run([calldata(alliance, "transfer_ownership", "0x" + "00" * 20)])

    assert alliance.owner() == council.address


def test_transfer_ownership__caller_not_council__reverts(
    alliance: Any, council: Any, attacker: Any
) -> None:
    with ape.reverts(NOT_OWNER):
        alliance.transfer_ownership(attacker, sender=attacker)

    assert alliance.owner() == council.address


def test_renounce_ownership__abi__not_exposed(alliance: Any) -> None:
    names = {m.name for m in alliance.contract_type.mutable_methods}

    assert "transfer_ownership" in names
    assert "renounce_ownership" not in names


def test_renounce_ownership__selector_called_by_council__reverts_and_keeps_owner(
    alliance: Any, council: Any, council_pass: Pass
) -> None:
    # Even the owner cannot reach it: Alliance has no such function and no fallback.
    with ape.reverts("Transaction failed."):  # ape's text for a revert without data
        council_pass.run([(alliance.address, RENOUNCE_SELECTOR)])

    assert alliance.owner() == council.address
