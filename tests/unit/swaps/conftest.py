"""Fixtures for the Swaps unit tests (reasons and helpers live in helpers.py).

The swaps, tokens and parties are the session's (tests/fixtures/swaps.py). `local_intent`
is a swap whose initiator's leg (BPC) is on this chain and whose responder's leg (APC)
is on the sibling chain; `locked` is that leg locked by the initiator with the
responder's signature; `settled` is that lock claimed, then refunded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from bpsa.core.swaps import Side, SwapIntent
from tests.fixtures.suite import at
from tests.fixtures.swaps import HOLDING, SwapDriver
from tests.unit.swaps.helpers import token_container


@dataclass(frozen=True)
class Locked:
    intent: SwapIntent
    side: Side
    id: bytes
    tx: Any

    @property
    def deadline(self) -> int:
        return self.intent.leg(self.side).deadline


@pytest.fixture
def local_intent(swap_driver: SwapDriver) -> SwapIntent:
    """The initiator's BPC here for the responder's APC on the sibling chain."""
    return swap_driver.intent(Side.INITIATOR)


@pytest.fixture
def locked(swap_driver: SwapDriver, local_intent: SwapIntent) -> Locked:
    """`local_intent`'s initiator leg, locked by the initiator."""
    tx = swap_driver.lock(local_intent, Side.INITIATOR)
    return Locked(local_intent, Side.INITIATOR, local_intent.swap_id(Side.INITIATOR), tx)


@pytest.fixture(params=["claimed", "refunded"])
def settled(
    request: pytest.FixtureRequest,
    chain: Any,
    swap_driver: SwapDriver,
    swap_initiator: Any,
    swap_responder: Any,
    locked: Locked,
) -> Locked:
    """`locked`, claimed by the responder, then (at its deadline) refunded to the initiator."""
    if request.param == "claimed":
        swap_driver.claim(locked.intent, Side.INITIATOR, sender=swap_responder)
    else:
        at(chain, locked.deadline)
        swap_driver.refund(locked.intent, Side.INITIATOR, sender=swap_initiator)
    return locked


@pytest.fixture(scope="session")
def bad_token(project: Any, deployer: Any, swap_initiator: Any) -> Any:
    """A token that returns true, returns false or reverts as its `mode` says; the
    initiator holds HOLDING."""
    token = token_container(project, "BadToken").deploy(sender=deployer)
    token.mint(swap_initiator.address, HOLDING, sender=deployer)
    return token


@pytest.fixture(scope="session")
def quiet_token(project: Any, deployer: Any, swap_initiator: Any) -> Any:
    """A token whose transfers return nothing (as USDT's do); the initiator holds HOLDING."""
    token = token_container(project, "QuietToken").deploy(sender=deployer)
    token.mint(swap_initiator.address, HOLDING, sender=deployer)
    return token


@pytest.fixture(scope="session", autouse=True)
def tokens_first(request: pytest.FixtureRequest) -> None:
    """The odd tokens deployed with the session, outside any module's snapshot (see
    tests/fixtures/titanoboa.py); asked for by name, so the pure tests here stay pure."""
    request.getfixturevalue("bad_token")
    request.getfixturevalue("quiet_token")
