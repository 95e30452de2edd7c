"""The infringement monitor's market (tests/oracle/test_monitor.py,
test_attack_monitor.py): a module-scoped deployment over the session pool, Licensing and
Infringements (all owned by the EOA `pool_council`): the provider's patent US 11234567
pooled with the trusteeship centre; `provider2` (Pearl River Devices) holds a BPR; the
licensee bought a per-patent licence of the pooled patent and registered a batch of four
devices; the rights-protection centre holds BPC for its bonds. The fixtures are
registered by tests/oracle/conftest.py."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core import devices, qr
from bpsa.core.accounts import dev_account
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.monitor import Monitor, read_observations
from bpsa.oracle.store import LocalStore
from bpsa.sdk.deploy import manifest_for
from tests.fixtures.infringements import INFRINGEMENTS
from tests.fixtures.pool import PARAMS, YEAR, PoolDriver

ONE = 10**18
ZERO = "0x" + "00" * 20
BOND = INFRINGEMENTS.bond
POOLED = ["US", "11234567"]
PATENT = bytes(certs.patent_id(*POOLED))
PRODUCT = "PRX-5G-PHONE"
SERIALS = devices.serials(PRODUCT, 4)
TREE = devices.DeviceTree(SERIALS)
LICENCE_PRICE = 10 * ONE
SETTLEMENT = 1_000 * ONE
CONTRIBUTOR_BPS, CENTRE_BPS = PARAMS.contributor_bps, PARAMS.centre_bps


@pytest.fixture(scope="module")
def market(
    project: Any,
    chain: Any,
    accounts: Any,
    deployer: Any,
    pool_council: Any,
    licensing_contracts: dict[str, Any],
    oracle_contracts: dict[str, Any],
    walker: PoolDriver,
    protection_centre: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    licensee: Any,
    bpc: Any,
    royalties: Any,
    patent_pool: Any,
    attacker: Any,
    outsider: Any,
    ipfs_api: str,
) -> dict[str, Any]:
    """The market, set up once. Every session fixture a test here uses is requested here,
    so none arrives after the module's snapshot (ape would rebuild the market)."""
    licensing = licensing_contracts["Licensing"]
    assert walker.pooled(provider, POOLED[1], centre=centre) == PATENT
    chain.provider.set_balance(patent_pool.address, 10**18)
    minter = accounts[patent_pool.address]  # the pool, impersonated: exact BPC for set-up
    price = licensing.price_of(provider2)
    for who, amount in ((protection_centre, 10 * BOND), (provider2, price), (licensee, 20 * ONE)):
        bpc.mint(who.address, amount, sender=minter)
    # Pearl River Devices converts to a BPR.
    bpc.approve(licensing, price, sender=provider2)
    licensing.convert(sender=provider2)
    # The licensee buys licence 1 of the pooled patent and registers batch 1 (4 devices).
    licensing.list_terms(PATENT, LICENCE_PRICE, YEAR, "handsets", "worldwide", sender=provider)
    bpc.approve(licensing, 20 * ONE, sender=licensee)
    licensing.buy(1, sender=licensee)
    licensing.register_batch(devices.product_id(PRODUCT), TREE.root, len(TREE), sender=licensee)
    assert dev_account(10).address == protection_centre.address
    return {
        "manifest": manifest_for(chain, oracle_contracts, deployer.address),
        "licensing": licensing,
        "chain_id": int(chain.chain_id),
    }


@pytest.fixture(scope="module")
def evidence_store(tmp_path_factory: pytest.TempPathFactory) -> LocalStore:
    return LocalStore(tmp_path_factory.mktemp("evidence"))


@pytest.fixture
def market_chain(chain: Any, market: dict[str, Any]) -> PoolChain:
    """A fresh web3 view per test (ape reverts the chain between tests)."""
    return PoolChain(chain.provider.uri, market["manifest"])


@pytest.fixture
def watcher(
    chain: Any, market_chain: PoolChain, evidence_store: LocalStore, tmp_path: Path
) -> Monitor:
    """The rights-protection centre's monitor, logging to a fresh file."""
    return Monitor(
        market_chain, evidence_store, dev_account(10), tmp_path / "log.sqlite", chain.provider.uri
    )


def device_code(market: dict[str, Any], serial: bytes, proof_of: bytes) -> str:
    payload = qr.DevicePayload(
        market["chain_id"],
        str(market["licensing"].address),
        1,
        TREE.index(proof_of),
        serial,
        TREE.proof(proof_of),
    )
    return qr.encode(payload)


def observations(
    market: dict[str, Any], attacker: Any, provider2: Any, licensee: Any
) -> list[dict[str, Any]]:
    """The market seen this month: every kind of use, licensed or not."""
    seen = {"seen_at": "2026-11-20", "patents": [POOLED]}
    counterfeit = devices.serial_id(f"{PRODUCT}-counterfeit")
    return [
        {"id": "scan-1", "kind": "device", "seller": "Shenzhen Retail", "product": PRODUCT,
         "payload": device_code(market, SERIALS[0], SERIALS[0]), **seen},
        {"id": "scan-2", "kind": "device", "seller": "Acme Phones Ltd", "product": PRODUCT,
         "payload": device_code(market, counterfeit, SERIALS[1]), **seen},
        {"id": "listing-3", "kind": "listing", "seller": "Pearl River Devices",
         "seller_address": provider2.address, "product": "PRD-TABLET", **seen},
        {"id": "listing-4", "kind": "listing", "seller": "Shadow Devices",
         "seller_address": attacker.address, "product": "SD-1", "licence": 1, **seen},
        {"id": "listing-5", "kind": "listing", "seller": "Licensee Ltd",
         "seller_address": licensee.address, "product": "LL-9", "licence": 1, **seen},
        {"id": "scan-6", "kind": "device", "seller": "Grey Market Co", "product": PRODUCT,
         "payload": "BPSA2D:NOT*BASE32", **seen},
    ]  # fmt: skip


@pytest.fixture
def observations_file(
    tmp_path: Path, market: dict[str, Any], attacker: Any, provider2: Any, licensee: Any
) -> Path:
    path = tmp_path / "scans.jsonl"
    rows = observations(market, attacker, provider2, licensee)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


def read_observations_from(rows: list[dict[str, Any]]) -> list[Any]:
    """Observations as the file reader parses them (through a temporary JSON-lines file)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as file:
        file.write("\n".join(json.dumps(r) for r in rows))
    try:
        return read_observations(file.name)
    finally:
        Path(file.name).unlink()
