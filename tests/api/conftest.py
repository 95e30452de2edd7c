"""The query API's world: the session's suite (tests/fixtures/*.py) driven through every
kind of event by the indexer's `Scenario` (tests/indexer/conftest.py), plus a device
batch with its real Merkle tree and licence claims, then indexed into SQLite by the real
indexer. Built once for the package (ape reverts the chain after it).

`api_world` holds the manifest file, the database, the payloads a phone would scan
(a genuine device, a counterfeit, a valid claim, a cancelled one, one with no BPR)
and the facts the tests compare the API's answers with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bpsa.api import db
from bpsa.api.app import create_app
from bpsa.api.indexer import Indexer
from bpsa.api.settings import Settings
from bpsa.core import claims, qr
from bpsa.core.devices import DeviceTree, product_id, serial_id
from bpsa.core.manifest import Manifest
from bpsa.sidechains import state as st
from bpsa.sidechains.engine import Engine
from tests.api.paygate import DEPOSIT, PRICE, Hub
from tests.fixtures.pool import PoolDriver
from tests.fixtures.suite import Pass
from tests.indexer.conftest import (  # noqa: F401 (fixtures)
    Scenario,
    scenario_actors,
    suite_manifest,
)

PRODUCT = "API-PHONE-X1"
DEVICES = 300
YEAR = 365 * 86_400
CN_NUMBER = "ZL201810123456"
CANCELLED_BELOW = 7  # the scenario's provider cancels its claims below nonce 7


def index_once(manifest: Manifest, rpc_url: str, database: str) -> None:
    """The real indexer fills `database` (a SQLite path or a database URL) from the chain
    at `rpc_url`, once, then lets go of both: the API the test starts opens its own."""
    engine = db.open_db(database)
    indexer = Indexer(manifest, rpc_url, engine)
    try:
        indexer.run_once()
    finally:
        indexer.rpc.close()
        engine.dispose()


@dataclass
class World:
    manifest: Manifest
    manifest_path: Path
    rpc_url: str
    database: str
    directory: Path
    batch: int
    tree: DeviceTree
    serials: list[str]
    genuine: str
    counterfeit: str
    claim: str
    cancelled_claim: str
    no_bpr_claim: str
    facts: dict[str, Any] = field(default_factory=dict)

    def settings(self, **changes: Any) -> Settings:
        values: dict[str, Any] = {
            "manifest": self.manifest_path,
            "rpc_url": self.rpc_url,
            "database_url": self.database,
            "payments_db": self.directory / "payments.sqlite",
        }
        return Settings(**(values | changes))

    def device(self, index: int) -> str:
        serial = serial_id(self.serials[index])
        payload = qr.DevicePayload(
            self.manifest.chain_id,
            self.manifest.address("Licensing"),
            self.batch,
            index,
            serial,
            self.tree.proof(serial),
        )
        return qr.encode(payload)


def _claim(chain_id: int, licensing: str, holder: Any, nonce: int, now: int) -> str:
    claim = claims.LicenceClaim(
        holder=str(holder.address),
        licence=0,
        subject=product_id(PRODUCT),
        expiry=now + YEAR,
        nonce=nonce,
    )
    dom = claims.domain(chain_id, licensing)
    signature = claims.sign(claim, dom, holder.private_key)
    return qr.encode(qr.ClaimPayload(chain_id, licensing, claim, signature))


@pytest.fixture(scope="module")
def api_world(
    tmp_path_factory: pytest.TempPathFactory,
    suite_manifest: Manifest,  # noqa: F811
    chain: Any,
    accounts: Any,
    suite: dict[str, Any],
    council_seats: list[Any],
    pool_alliance: Any,
    pool_council: Any,
    pool_contracts: dict[str, Any],
    walker: PoolDriver,
    licensing: Any,
    infringements: Any,
    channel_driver: Any,
    provider: Any,
    provider2: Any,
    licensee: Any,
    enterprise: Any,
    scenario_actors: dict[str, Any],  # noqa: F811
    bpr: Any,
    bpc: Any,
    royalties: Any,
    patent_pool: Any,
    exchange: Any,
) -> World:
    chain.provider.set_balance(patent_pool.address, 10**18)
    minter = accounts[patent_pool.address]

    def fund_bpc(who: Any, amount: int) -> None:
        bpc.mint(who.address, amount, sender=minter)

    council_pass = Pass(chain, suite["Council"], council_seats)
    scenario = Scenario(
        chain, walker, pool_alliance, pool_council, pool_contracts, licensing, infringements,
        channel_driver, council_pass, suite, scenario_actors, fund_bpc, exchange,
    )  # fmt: skip
    scenario.everything()
    # A second pooled patent from another office, rated lower: for the filters.
    cn = walker.submit(provider2, CN_NUMBER, office="CN")
    walker.certify(provider2, CN_NUMBER, office="CN")
    walker.rate(cn, 65)
    patent_pool.pool(cn, sender=pool_council)

    serials = [f"{PRODUCT}-{n:09d}" for n in range(DEVICES)]
    tree = DeviceTree([serial_id(s) for s in serials])
    tx = licensing.register_batch(product_id(PRODUCT), tree.root, DEVICES, sender=enterprise)
    batch = int(tx.events.filter(licensing.BatchRegistered)[0].batch)

    directory = tmp_path_factory.mktemp("api")
    manifest_path = directory / "manifest.json"
    manifest_path.write_text(json.dumps(suite_manifest.to_json()))
    chain_id, address = suite_manifest.chain_id, suite_manifest.address("Licensing")
    now = int(chain.pending_timestamp)
    counterfeit = qr.encode(
        qr.DevicePayload(
            chain_id,
            address,
            batch,
            42,
            serial_id(f"{PRODUCT}-999999999"),
            tree.proof(serial_id(serials[42])),
        )
    )
    database = str(directory / "index.sqlite")
    rpc_url = str(chain.provider.uri)
    index_once(suite_manifest, rpc_url, database)
    world = World(
        manifest=suite_manifest,
        manifest_path=manifest_path,
        rpc_url=rpc_url,
        database=database,
        directory=directory,
        batch=batch,
        tree=tree,
        serials=serials,
        genuine="",
        counterfeit=counterfeit,
        claim=_claim(chain_id, address, provider, CANCELLED_BELOW + 3, now),
        cancelled_claim=_claim(chain_id, address, provider, CANCELLED_BELOW - 4, now),
        no_bpr_claim=_claim(chain_id, address, enterprise, 1, now),
    )
    world.genuine = world.device(42)
    world.facts = {
        "enterprise": str(enterprise.address),
        "provider": str(provider.address),
        "provider2": str(provider2.address),
        "licensee": str(licensee.address),
        "hub": str(channel_driver.hub.address),
    }
    return world


@pytest.fixture(scope="module")
def api_app(api_world: World) -> Iterator[FastAPI]:
    app = create_app(api_world.settings())
    yield app
    app.state.services.close()


@pytest.fixture
def client(api_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(api_app, raise_server_exceptions=False) as test_client:
        yield test_client


# The paid search: a payer with a channel the hub's engine knows, and a client of the API
# whose pay gate takes its receipts (test_search.py, test_attack_*.py).


@pytest.fixture
def hub_engine(tmp_path, channel_driver, channel_domain, licensee, fund_bpc, hub) -> Iterator[Hub]:
    fund_bpc(licensee, DEPOSIT)
    channel = channel_driver.open(licensee, DEPOSIT)
    engine = Engine.open(tmp_path / "hub.sqlite", channel_domain, hub.private_key)
    engine.submit_chain([st.ContractReceiveChannelOpened(channel, licensee.address, DEPOSIT)])
    yield Hub(engine, channel, licensee, channel_domain)
    engine.wal.close()


@pytest.fixture
def paid_client(api_world: World, tmp_path) -> Iterator[TestClient]:
    settings = api_world.settings(
        payments_db=tmp_path / "gate.sqlite", hub_url="http://127.0.0.1:9999", price_wei=PRICE
    )
    with TestClient(create_app(settings)) as client:
        yield client
