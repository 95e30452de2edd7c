"""Swaps' constructor: the safety margin between the legs' deadlines and the minimum time
a leg must have left when it locks, each 1 second to 30 days, and the EIP-712 domain
"BPSA Swaps" / "1"."""

from typing import Any

import ape
import pytest

from bpsa.core import swaps as sw
from bpsa.sdk.deploy import deploy_swaps
from tests.fixtures.swaps import MIN_LOCK_TIME, SAFETY_MARGIN
from tests.unit.swaps.helpers import BAD_MARGIN, BAD_MIN_LOCK_TIME

MAX = 30 * 86_400


def test_constructor__session_swaps__reads_its_parameters_and_domain(
    chain: Any, swaps: Any
) -> None:
    assert swaps.SAFETY_MARGIN() == SAFETY_MARGIN
    assert swaps.MIN_LOCK_TIME() == MIN_LOCK_TIME
    _, name, version, chain_id, contract, _, _ = swaps.eip712Domain()
    assert (name, version, chain_id, contract) == (
        "BPSA Swaps",
        "1",
        chain.chain_id,
        swaps.address,
    )


@pytest.mark.parametrize("margin, min_lock", [(1, 1), (MAX, MAX)])
def test_constructor__parameters_at_their_bounds__deployed(
    project: Any, deployer: Any, margin: int, min_lock: int
) -> None:
    swaps = project.Swaps.deploy(margin, min_lock, sender=deployer)

    assert (swaps.SAFETY_MARGIN(), swaps.MIN_LOCK_TIME()) == (margin, min_lock)


@pytest.mark.parametrize(
    ("margin", "min_lock", "reason"),
    [
        pytest.param(0, MIN_LOCK_TIME, BAD_MARGIN, id="safety margin 0"),
        pytest.param(MAX + 1, MIN_LOCK_TIME, BAD_MARGIN, id="safety margin over 30 days"),
        pytest.param(SAFETY_MARGIN, 0, BAD_MIN_LOCK_TIME, id="min lock time 0"),
        pytest.param(SAFETY_MARGIN, MAX + 1, BAD_MIN_LOCK_TIME, id="min lock time over 30 days"),
    ],
)
def test_constructor__parameter_out_of_bounds__reverts(
    project: Any, deployer: Any, margin: int, min_lock: int, reason: str
) -> None:
    with ape.reverts(reason):
        project.Swaps.deploy(margin, min_lock, sender=deployer)


@pytest.mark.parametrize("margin, min_lock", [(0, 600), (3_600, MAX + 1)])
def test_deploy_swaps__parameters_out_of_bounds__refused_before_sending(
    project: Any, deployer: Any, margin: int, min_lock: int
) -> None:
    with pytest.raises(sw.SwapError, match="must be 1 second to 30 days"):
        deploy_swaps(project, deployer, margin, min_lock)
