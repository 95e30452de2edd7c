"""The API names a patent document by the CID `ipfs add` gives it (issue 17, point 8).

The indexer stores the digest's raw reading; `DocumentNames` corrects it from the content
store the service is given: a document larger than one chunk is an IPFS file, named
`bafybei...`. First on its own over a local store with real documents, then through the
routes of a running API.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bpsa.api.app import create_app
from bpsa.api.documents import DocumentNames
from bpsa.core import certificates as certs
from bpsa.core.cid import cid_from_digest, digest_of
from bpsa.oracle.store import ContentNotFound, LocalStore
from tests.fixtures.pool import DOCUMENT

from .conftest import World

LARGE = random.Random(17).randbytes(3_000_000)


def hex_of(cid: str) -> str:
    return "0x" + digest_of(cid).hex()


class Counting:
    """A store that counts `resolve` calls."""

    def __init__(self, store: LocalStore) -> None:
        self.store, self.calls = store, 0

    def resolve(self, digest: bytes) -> str:
        self.calls += 1
        return self.store.resolve(digest)


def test_cid__file_and_one_chunk_documents__their_ipfs_add_cids(tmp_path):
    store = LocalStore(tmp_path)
    large, small = store.put(LARGE), store.put(b'{"office": "US"}')
    names = DocumentNames(store)
    assert names.cid(hex_of(large)) == large and large.startswith("bafybei")
    assert names.cid(hex_of(small)) == small and small.startswith("bafkrei")


def test_cid__no_store__the_raw_reading():
    digest = "0x" + "d0" * 32
    assert DocumentNames(None).cid(digest) == cid_from_digest(DOCUMENT, "raw")


def test_cid__document_not_held__raw_reading_and_asked_again_only_after_the_wait(tmp_path):
    counting = Counting(LocalStore(tmp_path))
    names = DocumentNames(counting, retry_after=3600)  # type: ignore[arg-type]
    digest = "0x" + "d0" * 32
    assert names.cid(digest) == names.cid(digest) == cid_from_digest(DOCUMENT, "raw")
    assert counting.calls == 1
    names.retry_after = 0
    names._missed.clear()
    cid = counting.store.put(LARGE)  # arrives later: named from then on, and kept
    assert names.cid(hex_of(cid)) == cid
    assert names.cid(hex_of(cid)) == cid
    assert counting.calls == 2


class SlowMisses:
    """A store that lacks every document and, like a daemon, takes `seconds` (on a test
    clock) to say so."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.now, self.calls = seconds, 0.0, 0

    def clock(self) -> float:
        return self.now

    def resolve(self, digest: bytes) -> str:
        self.calls += 1
        self.now += self.seconds
        raise ContentNotFound(f"0x{digest.hex()} not here")


def test_page__store_slow_to_miss__one_answer_asks_within_its_budget_the_next_asks_on():
    store = SlowMisses(seconds=1.0)
    names = DocumentNames(store, budget=1.0, clock=store.clock)  # type: ignore[arg-type]
    digests = ["0x" + f"{i:02x}" * 32 for i in range(1, 6)]
    page = {"items": [{"document": d, "document_cid": None} for d in digests]}

    names.page(page)

    assert store.calls == 1  # the budget is spent on the first miss
    raw = [cid_from_digest(bytes.fromhex(d[2:]), "raw") for d in digests]
    assert [row["document_cid"] for row in page["items"]] == raw
    names.page(page)  # the next answer: the first is remembered missing, the second asked
    assert store.calls == 2
    assert [row["document_cid"] for row in page["items"]] == raw


def test_name__patent_with_certificates__cid_and_url_of_each(tmp_path):
    store = LocalStore(tmp_path)
    cid = store.put(LARGE)
    raw = cid_from_digest(digest_of(cid), "raw")
    cert = {"document": hex_of(cid), "document_cid": raw, "document_url": f"ipfs://{raw}"}
    row: dict[str, Any] = {"document": hex_of(cid), "document_cid": raw, "certificates": [cert]}
    named = DocumentNames(store).name(row)
    assert named["document_cid"] == cid
    assert named["certificates"][0] == {
        "document": hex_of(cid),
        "document_cid": cid,
        "document_url": f"ipfs://{cid}",
    }


# --- through the API --------------------------------------------------------------------


@pytest.fixture
def named_client(api_world: World, tmp_path: Path) -> Any:
    """The API given a local store holding the pooled patent's document as a file.

    The fixture pool's digest (0xd0d0...) is no real document's, so the store holds a
    placeholder under its file CID; naming reads only which CID the store holds (the
    bytes are checked when read, in tests/oracle/test_unixfs.py)."""
    store = tmp_path / "store"
    cid = cid_from_digest(DOCUMENT, "dag-pb")
    (store / cid[-3:-1]).mkdir(parents=True)
    (store / cid[-3:-1] / cid).write_bytes(b"placeholder")
    settings = api_world.settings(store_dir=store, payments_db=tmp_path / "gate.sqlite")
    with TestClient(create_app(settings)) as client:
        yield client, cid


def test_routes__store_given__patents_and_certificates_name_the_file_cid(named_client):
    client, cid = named_client
    pooled = "0x" + bytes(certs.patent_id("US", "11000001")).hex()
    body = client.get(f"/patents/{pooled}").json()
    assert body["document_cid"] == cid
    assert body["certificates"][0]["document_url"] == f"ipfs://{cid}"
    listed = client.get("/patents?office=US").json()["items"]
    assert cid in {p["document_cid"] for p in listed}
    certificates = client.get(f"/certificates?patent_id={pooled}").json()["items"]
    assert {c["document_cid"] for c in certificates} == {cid}


def test_search_patents__either_cid_of_the_document__finds_the_patent(named_client):
    from bpsa.api.routes.search import search_patents

    client, cid = named_client
    services = client.app.state.services
    pooled = "0x" + bytes(certs.patent_id("US", "11000001")).hex()
    for text in (cid, cid_from_digest(DOCUMENT, "raw")):
        with services.sessions() as s:
            found = search_patents(s, services.chain_id, text, 50, 0)
        assert pooled in {p["patent_id"] for p in found["items"]}, text
    with services.sessions() as s:
        assert search_patents(s, services.chain_id, cid_from_digest(bytes(32)), 50, 0)["total"] == 0


def test_document_store__settings__the_store_named_there_and_not_the_environments(
    tmp_path, monkeypatch
):
    from bpsa.api.services import document_store
    from bpsa.api.settings import Settings
    from bpsa.oracle.store import IpfsStore

    monkeypatch.setenv("BPSA_IPFS_API", "/ip4/127.0.0.1/tcp/5998/http")
    base = {"manifest": tmp_path / "m.json", "rpc_url": "http://127.0.0.1:9", "database_url": "x"}
    assert document_store(Settings(**base)) is None
    local = document_store(Settings(**base, store_dir=tmp_path))
    assert isinstance(local, LocalStore) and local.directory == tmp_path
    ipfs = document_store(Settings(**base, ipfs_api="http://127.0.0.1:5999"))
    assert isinstance(ipfs, IpfsStore) and ipfs.api == "/ip4/127.0.0.1/tcp/5999/http"


def test_agreements__licences_bprs_and_batches__agreement_files_named_as_ipfs_add_does(tmp_path):
    """An agreement of more than one chunk is an IPFS file: every `agreement` in an
    answer, nested in a holder's licences too, is named by the file's CID."""
    store = LocalStore(tmp_path)
    large, small = store.put(LARGE), store.put(b"SAMPLE AGREEMENT: NOT LEGAL TEXT")
    raw = cid_from_digest(digest_of(large), "raw")
    found: dict[str, Any] = {
        "holder": "0x" + "ab" * 20,
        "bpr": {"agreement": raw, "agreement_version": 1},
        "licences": [{"agreement": small}, {"agreement": None}],
        "device_batches": [{"agreement": raw}],
    }
    named = DocumentNames(store).agreements(found)
    assert named["bpr"]["agreement"] == large and large.startswith("bafybei")
    assert [row["agreement"] for row in named["licences"]] == [small, None]
    assert named["device_batches"][0]["agreement"] == large
    assert DocumentNames(None).agreements({"agreement": raw}) == {"agreement": raw}
