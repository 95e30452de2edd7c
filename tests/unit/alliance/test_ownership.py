"""Alliance's ownership: the council may hand the alliance on, never renounce it."""

from collections.abc import Callable
from typing import Any

import ape
from eth_utils.crypto import keccak

from bpsa.core.codes import Status
from tests.fixtures.suite import Pass, calldata, decide
from tests.unit.alliance.helpers import NOT_OWNER

RENOUNCE_SELECTOR = keccak(text="renounce_ownership()")[:4]


def test_owner__after_deploy__is_the_council(alliance: Any, council: Any) -> None:
    assert alliance.owner() == council.address


def test_transfer_ownership__through_council__hands_alliance_to_new_owner(
    alliance: Any,
    council: Any,
    congress: Any,
    council_pass: Pass,
    alliance_events: Callable[[Any], list[Any]],
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
