"""Fixtures for the Channels unit tests (helpers live in helpers.py).

The channels are the session's (tests/fixtures/channels.py): to `hub`, in the pool's BPC,
with a day's challenge window. `open_channel` is the payer's channel with a 100 BPC
deposit; `closing_channel` is that channel closed by the hub with the payer's proof
(nonce 5, 30 BPC), its window open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.fixtures.channels import ChannelDriver
from tests.unit.channels.helpers import ONE

IN_FORCE_NONCE = 5
IN_FORCE_AMOUNT = 30 * ONE


@dataclass(frozen=True)
class Closing:
    channel: int
    settle_after: int
    closed_at: int


@pytest.fixture
def open_channel(channel_driver: ChannelDriver, payer: Any) -> int:
    """The payer's channel with a 100 BPC deposit."""
    return channel_driver.open(payer)


@pytest.fixture
def closing_channel(
    channels: Any, channel_driver: ChannelDriver, open_channel: int, hub: Any, payer: Any
) -> Closing:
    """`open_channel`, closed by the hub with the payer's proof (nonce 5, 30 BPC)."""
    sig = channel_driver.proof(open_channel, IN_FORCE_NONCE, IN_FORCE_AMOUNT, payer)
    tx = channels.close(open_channel, IN_FORCE_NONCE, IN_FORCE_AMOUNT, sig, sender=hub)
    settle_after = int(tx.events.filter(channels.ChannelClosing)[0].settle_after)
    return Closing(open_channel, settle_after, int(tx.timestamp))


@pytest.fixture(scope="session")
def channel_actors(
    hub: Any, licensee: Any, attacker: Any, pool_council: Any, deployer: Any
) -> dict[str, Any]:
    """Callers by role, for tests parametrized over who sends (set up with the session, not
    inside a test: a fixture first requested mid-test breaks titanoboa's snapshot order)."""
    return {
        "hub": hub,
        "payer": licensee,  # the `payer` fixture, without its BPC
        "attacker": attacker,
        "pool_council": pool_council,
        "deployer": deployer,
    }
