"""The API over PostgreSQL: the same indexer fills a fresh database on the test server
(`BPSA_PG_URL`, tests/fixtures/postgres.py; skipped when unset) and every list and
detail endpoint answers exactly what it answers over SQLite."""

from __future__ import annotations

from fastapi.testclient import TestClient

from bpsa.api import db
from bpsa.api.app import create_app
from bpsa.api.routes.search import search_patents

from .conftest import World, index_once
from .test_pool_api import POOLED

QUERIES = ["zl2018", "US 1100", "100%_"]  # any case; office + number; LIKE characters literal


def test_api_on_postgresql__every_list_and_detail__same_answers_as_on_sqlite(
    api_world: World, client, pg_url, provider, enterprise
):
    index_once(api_world.manifest, api_world.rpc_url, pg_url)
    paths = [
        "/pool", "/tiers", "/members?limit=500", "/members?role=oracle&status=active",
        "/patents", "/patents?rating_min=60&rating_max=69", "/patents?office=CN",
        f"/patents/{POOLED}", f"/patents/{POOLED}/history?limit=500", "/certificates",
        "/licences", f"/holders/{provider.address}/licences",
        f"/holders/{enterprise.address}/licences", "/bprs", "/device-batches",
        f"/device-batches/{api_world.batch}", "/cases", "/nav?limit=500", "/royalties",
        f"/royalties/{provider.address}",
    ]  # fmt: skip

    with TestClient(create_app(api_world.settings(database_url=pg_url))) as on_pg:
        answers = {path: on_pg.get(path) for path in paths}

    for path, reply in answers.items():
        assert reply.status_code == 200, path
        assert reply.json() == client.get(path).json(), path
    chain_id = api_world.manifest.chain_id
    found = {}
    for target in (pg_url, api_world.database):
        engine = db.connect(target)
        with db.session(engine) as s:
            found[target] = [search_patents(s, chain_id, text, 20, 0) for text in QUERIES]
        engine.dispose()
    assert found[pg_url] == found[api_world.database]
    assert [r["total"] for r in found[pg_url]] == [1, 3, 0]
