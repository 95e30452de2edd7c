"""The sale in the query API: the indexer projects the sale desk's events (terms, sales,
the fund's counted cash) and /sale, /sales and /nav answer what the contracts answer.

Its own world: the sale's unit world (tests/fixtures/sale.py: a pool with one patent, the
desk open, two member investors), then two purchases and a patent the fund buys with the
proceeds and pools, indexed into SQLite by the real indexer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bpsa.api.app import create_app
from bpsa.api.settings import Settings
from bpsa.core.codes import Source
from bpsa.core.manifest import Deployed, Manifest
from bpsa.sdk.deploy import LicensingParams, deploy_licensing
from tests.api.conftest import index_once
from tests.fixtures.sale import USD, USDC, SaleWorld

INDEXED = ("Certificates", "Fund", "BPC", "Royalties", "PatentPool", "Sale")


@pytest.fixture(scope="module")
def sale_api(sale_world: SaleWorld, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    w = sale_world
    w.sale.buy(w.usdc, 1_000 * USDC, 0, sender=w.investors[0])
    w.sale.buy(w.usdc, 2_500 * USDC, 0, sender=w.investors[1])
    purchase = w.driver.submit(w.provider, "11000005", source=Source.PURCHASED)
    w.sale.spend(w.usdc, w.attacker, 3_000 * USDC, purchase, b"\x02" * 32, sender=w.council)
    w.driver.certify(w.provider, "11000005", owner=w.fund)
    w.driver.rate(purchase, 80, 4_000 * USD)
    w.pool.pool(purchase, sender=w.council)
    directory = tmp_path_factory.mktemp("sale-api")
    # the API serves verification too: it needs a licence desk to name
    desk = deploy_licensing(
        w.project, w.deployer, w.alliance.address, w.contracts, w.council.address,
        LicensingParams(),
    )  # fmt: skip
    contracts = {"Alliance": w.alliance, **{n: w.contracts[n] for n in INDEXED}, **desk}
    manifest = Manifest(
        network="sale-api-test",
        ecosystem="ethereum",
        chain_id=int(w.chain.chain_id),
        deployer=str(w.deployer.address),
        contracts={name: Deployed(str(c.address), 0) for name, c in contracts.items()},
    )
    manifest_path = directory / "manifest.json"
    manifest_path.write_text(json.dumps(manifest.to_json()))
    database, rpc_url = str(directory / "index.sqlite"), str(w.chain.provider.uri)
    index_once(manifest, rpc_url, database)
    values: dict[str, Any] = {
        "manifest": manifest_path,
        "rpc_url": rpc_url,
        "database_url": database,
        "payments_db": Path(directory / "payments.sqlite"),
    }
    settings = Settings(**values)
    with TestClient(create_app(settings)) as client:
        yield client


def test_sale__terms_and_nav__as_the_contracts_answer(sale_api: Any, sale_world: SaleWorld) -> None:
    w = sale_world
    body = sale_api.get("/sale").json()
    terms = body["terms"]
    assert terms["token"] == str(w.usdc.address)
    assert terms["is_open"] is True
    assert terms["units_per_unit"] == str(10**6)
    assert terms["sold_value"] == str(3_500 * USD)
    assert terms["stale_count"] == 0
    assert body["sales"] == 2
    nav = body["nav"]
    assert nav["treasury_value"] == str(int(w.sale.treasury_value())) == str(500 * USD)
    assert nav["pooled_value"] == str(int(w.pool.pooled_value()))
    assert nav["nav"] == str(int(w.pool.nav()))  # the fund's cash counted, as the pool does


def test_sales__newest_first_and_by_buyer(sale_api: Any, sale_world: SaleWorld) -> None:
    w = sale_world
    page = sale_api.get("/sales").json()
    assert [i["buyer"] for i in page["items"]] == [
        str(w.investors[1].address),
        str(w.investors[0].address),
    ]
    first = page["items"][1]
    assert first["amount"] == str(1_000 * USDC) and first["value"] == str(1_000 * USD)
    assert first["minted"] == str(int(w.bpc.balanceOf(w.investors[0])))
    mine = sale_api.get("/sales", params={"buyer": str(w.investors[0].address)}).json()
    assert mine["total"] == 1
    assert sale_api.get("/sales", params={"buyer": "0x1234"}).status_code == 422


def test_nav_history__every_point_counts_the_treasury(sale_api: Any) -> None:
    for point in sale_api.get("/nav").json()["items"]:
        if point["nav"] is not None:
            assets = int(point["pooled_value"]) + int(point["treasury_value"])
            assert int(point["nav"]) == assets * 10**18 // int(point["supply"])
