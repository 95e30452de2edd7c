"""Channels.__init__: token, hub, royalties and council named, the first window set, and
the royalties allowed to draw the hub's earnings."""

from typing import Any

import ape
import pytest

from tests.channels_reasons import BAD_WINDOW, WINDOW_MAX, WINDOW_MIN
from tests.fixtures.channels import WINDOW
from tests.unit.channels.helpers import ZERO


def deploy(
    project: Any, deployer: Any, bpc: Any, hub: Any, royalties: Any, council: Any, window: int
) -> Any:
    return project.Channels.deploy(bpc, hub, royalties, council, window, sender=deployer)


def test_constructor__session_channels__window_set_and_royalties_may_draw(
    chain: Any, channels: Any, bpc: Any, royalties: Any
) -> None:
    """Its wiring and owner: tests/unit/test_wiring.py."""
    assert channels.challenge_window() == WINDOW
    assert channels.channel_count() == channels.hub_earnings() == 0
    assert bpc.allowance(channels, royalties) == 2**256 - 1
    events = chain.get_receipt(channels.txn_hash).events
    assert events.filter(channels.ChallengeWindowSet) == [
        channels.ChallengeWindowSet(seconds=WINDOW)
    ]


def test_constructor__deployer_is_not_the_council__council_owns(
    project: Any, deployer: Any, bpc: Any, royalties: Any, hub: Any, pool_council: Any
) -> None:
    contract = deploy(project, deployer, bpc, hub, royalties, pool_council, WINDOW)

    assert contract.owner() == pool_council.address
    with ape.reverts("ownable: caller is not the owner"):
        contract.set_challenge_window(WINDOW, sender=deployer)


@pytest.mark.parametrize("window", [WINDOW_MIN, WINDOW_MAX])
def test_constructor__window_at_a_bound__set(
    project: Any, deployer: Any, bpc: Any, royalties: Any, hub: Any, pool_council: Any, window: int
) -> None:
    contract = deploy(project, deployer, bpc, hub, royalties, pool_council, window)

    assert contract.challenge_window() == window


@pytest.mark.parametrize("window", [0, WINDOW_MIN - 1, WINDOW_MAX + 1])
def test_constructor__window_out_of_bounds__reverts(
    project: Any, deployer: Any, bpc: Any, royalties: Any, hub: Any, pool_council: Any, window: int
) -> None:
    with ape.reverts(BAD_WINDOW):
        deploy(project, deployer, bpc, hub, royalties, pool_council, window)


@pytest.mark.parametrize(
    ("zeroed", "reason"),
    [
        ("hub", "channels: hub is the zero address"),
        ("council", "channels: council is the zero address"),
    ],
)
def test_constructor__zero_address__reverts(
    project: Any,
    deployer: Any,
    bpc: Any,
    royalties: Any,
    hub: Any,
    pool_council: Any,
    zeroed: str,
    reason: str,
) -> None:
    hub_address = ZERO if zeroed == "hub" else hub.address
    council = ZERO if zeroed == "council" else pool_council.address

    with ape.reverts(reason):
        deploy(project, deployer, bpc, hub_address, royalties, council, WINDOW)
