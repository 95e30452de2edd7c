"""Certificates.__init__: alliance, council and the first threshold."""

from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from tests.unit.certificates.helpers import BAD_THRESHOLD, ZERO


def test_constructor__valid_arguments__set_and_logged(
    chain: Any, project: Any, deployer: Any, pool_alliance: Any, pool_council: Any
) -> None:
    deployed = project.Certificates.deploy(
        pool_alliance.address, pool_council.address, 3, sender=deployer
    )

    assert deployed.ALLIANCE() == pool_alliance.address
    assert deployed.owner() == pool_council.address
    assert deployed.threshold() == 3
    assert deployed.eip712Domain()[1:5] == (
        certs.DOMAIN_NAME,
        certs.DOMAIN_VERSION,
        chain.chain_id,
        deployed.address,
    )
    events = chain.get_receipt(deployed.txn_hash).events
    assert events.filter(deployed.ThresholdSet) == [deployed.ThresholdSet(threshold=3)]
    assert events.filter(deployed.OwnershipTransferred)[-1] == deployed.OwnershipTransferred(
        previous_owner=deployer.address, new_owner=pool_council.address
    )


@pytest.mark.parametrize("threshold", [1, 16])
def test_constructor__threshold_at_bounds__deployed(
    project: Any, deployer: Any, pool_alliance: Any, pool_council: Any, threshold: int
) -> None:
    deployed = project.Certificates.deploy(
        pool_alliance.address, pool_council.address, threshold, sender=deployer
    )

    assert deployed.threshold() == threshold


@pytest.mark.parametrize("threshold", [0, 17])
def test_constructor__threshold_out_of_bounds__reverts(
    project: Any, deployer: Any, pool_alliance: Any, pool_council: Any, threshold: int
) -> None:
    with ape.reverts(BAD_THRESHOLD):
        project.Certificates.deploy(
            pool_alliance.address, pool_council.address, threshold, sender=deployer
        )


def test_constructor__zero_council__reverts(
    project: Any, deployer: Any, pool_alliance: Any
) -> None:
    with ape.reverts("certificates: council is the zero address"):
        project.Certificates.deploy(pool_alliance.address, ZERO, 2, sender=deployer)


def test_constructor__zero_alliance__reverts(
    project: Any, deployer: Any, pool_council: Any
) -> None:
    with ape.reverts("certificates: alliance is the zero address"):
        project.Certificates.deploy(ZERO, pool_council.address, 2, sender=deployer)
