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


@pytest.mark.parametrize("margin", [0, MAX + 1])
def test_constructor__safety_margin_out_of_bounds__reverts(
    project: Any, deployer: Any, margin: int
) -> None:
    with ape.reverts(BAD_MARGIN):
        project.Swaps.deploy(margin, MIN_LOCK_TIME, sender=deployer)


@pytest.mark.parametrize("min_lock", [0, MAX + 1])
def test_constructor__minimum_lock_time_out_of_bounds__reverts(
    project: Any, deployer: Any, min_lock: int
) -> None:
    with ape.reverts(BAD_MIN_LOCK_TIME):
        project.Swaps.deploy(SAFETY_MARGIN, min_lock, sender=deployer)


@pytest.mark.parametrize("margin, min_lock", [(0, 600), (3_600, MAX + 1)])
def test_deploy_swaps__parameters_out_of_bounds__refused_before_sending(
    project: Any, deployer: Any, margin: int, min_lock: int
) -> None:
    with pytest.raises(sw.SwapError, match="must be 1 second to 30 days"):
        deploy_swaps(project, deployer, margin, min_lock)
