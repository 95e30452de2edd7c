"""The hub's chain world: the suite deployed on the test anvil with Channels whose hub
is test account 8, and two payers holding BPC."""

from __future__ import annotations

from typing import Any

import pytest

from bpsa.sdk.deploy import PoolParams, deploy_channels, deploy_pool, manifest_for

HUB, PAYER, CHEAT = 8, 6, 7
DEPOSIT = 10**18


@pytest.fixture(scope="module")
def hub_world(project, accounts, chain, deployer) -> dict[str, Any]:
    council = accounts[9]
    alliance = project.Alliance.deploy(council.address, sender=deployer)
    pool = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    contracts = {"Alliance": alliance, **pool}
    contracts |= deploy_channels(project, deployer, pool, accounts[HUB].address, council.address)
    chain.provider.set_balance(pool["PatentPool"].address, 10**18)
    for who in (PAYER, CHEAT):
        pool["BPC"].mint(
            accounts[who].address, 10 * DEPOSIT, sender=accounts[pool["PatentPool"].address]
        )
    return {"manifest": manifest_for(chain, contracts, deployer.address), **contracts}
