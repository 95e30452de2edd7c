"""The hub's chain world: the suite deployed on the test anvil with Channels whose hub
is test account 8, and two payers holding BPC."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from bpsa.core import manifest as manifests
from bpsa.core.accounts import dev_account
from bpsa.core.chain import Gateway
from bpsa.sdk.deploy import PoolParams, deploy_channels, deploy_pool, manifest_for
from bpsa.sidechains.client import ChannelClient
from tests.sidechains.helpers import PRICE, HubProcess, RpcProxy, wait_until

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


# The hub as its own process, watching the chain through an `RpcProxy`, and a payer that
# cheats it (tests/sidechains/test_attack_*.py).


@pytest.fixture
def proxy(chain) -> Iterator[RpcProxy]:
    node = RpcProxy(chain.provider.uri)
    yield node
    node.close()


@pytest.fixture
def hub_extra() -> list[str]:
    """More arguments for the hub (a test parametrizes it)."""
    return []


@pytest.fixture
def hub_node(chain, hub_world, proxy, hub_extra, tmp_path) -> Iterator[HubProcess]:
    manifest = manifests.save(hub_world["manifest"], tmp_path)
    command = [
        sys.executable, "-m", "bpsa.sidechains.serve", "--wal", str(tmp_path / "hub.sqlite"),
        "--chain-id", str(chain.chain_id), "--channels", str(hub_world["Channels"].address),
        "--port", "0", "--rpc", proxy.url, "--manifest", str(manifest), "--poll", "0.1",
        *hub_extra,
    ]  # fmt: skip
    env = {**os.environ, "BPSA_HUB_KEY": dev_account(HUB).key.hex()}
    node = HubProcess(command, env, tmp_path / "hub.log")
    node.start()
    yield node
    node.stop()


@pytest.fixture
def cheater_paid_ten(chain, hub_world, hub_node, tmp_path) -> tuple[ChannelClient, int]:
    """A payer (its client, its channel) that opened a channel and paid the hub 10 queries;
    the hub holds proof 10."""
    web = Gateway(chain.provider.uri, hub_world["manifest"])
    cheat = ChannelClient(web, dev_account(CHEAT), hub_node.url, tmp_path / "cheat.sqlite")
    channel = cheat.open(DEPOSIT)
    wait_until(lambda: cheat.hub_knows(channel), what="the hub to see the channel")
    for _ in range(10):
        cheat.pay(channel, PRICE)
    return cheat, channel
