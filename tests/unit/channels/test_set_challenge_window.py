"""Channels.set_challenge_window: the council sets the window, within 10 minutes to 30
days, for closes started from then on; a close already started keeps its settle time."""

from typing import Any

import ape
import pytest

from tests.channels_reasons import BAD_WINDOW, NOT_OWNER, WINDOW_MAX, WINDOW_MIN
from tests.fixtures.channels import WINDOW, ChannelDriver
from tests.unit.channels.conftest import Closing
from tests.unit.channels.helpers import NO_SIG, view


@pytest.mark.parametrize("seconds", [WINDOW_MIN, 3_600, WINDOW_MAX])
def test_set_challenge_window__by_the_council_within_bounds__set_and_logged(
    channels: Any, pool_council: Any, seconds: int
) -> None:
    tx = channels.set_challenge_window(seconds, sender=pool_council)

    assert channels.challenge_window() == seconds
    assert tx.events.filter(channels.ChallengeWindowSet) == [
        channels.ChallengeWindowSet(seconds=seconds)
    ]


@pytest.mark.parametrize("seconds", [0, WINDOW_MIN - 1, WINDOW_MAX + 1, 2**256 - 1])
def test_set_challenge_window__out_of_bounds__reverts(
    channels: Any, pool_council: Any, seconds: int
) -> None:
    with ape.reverts(BAD_WINDOW):
        channels.set_challenge_window(seconds, sender=pool_council)


@pytest.mark.parametrize("caller", ["attacker", "hub", "deployer"])
def test_set_challenge_window__by_anyone_else__reverts(
    channel_actors: dict[str, Any], channels: Any, caller: str
) -> None:
    with ape.reverts(NOT_OWNER):
        channels.set_challenge_window(WINDOW_MIN, sender=channel_actors[caller])


def test_set_challenge_window__during_a_close__binds_only_later_closes(
    channels: Any,
    channel_driver: ChannelDriver,
    closing_channel: Closing,
    payer: Any,
    pool_council: Any,
) -> None:
    channels.set_challenge_window(WINDOW_MIN, sender=pool_council)
    later = channel_driver.open(payer)

    tx = channels.close(later, 0, 0, NO_SIG, sender=payer)

    assert view(channels, closing_channel.channel)[4] == closing_channel.closed_at + WINDOW
    assert view(channels, later)[4] == int(tx.timestamp) + WINDOW_MIN
