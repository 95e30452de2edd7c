"""`ape run pool submit --document-file`: a multi-megabyte patent document stored as an
IPFS file and submitted by its CID; `ape run pool patent` names it by that CID again."""

import functools
import random

import pytest

from bpsa.core.certificates import patent_id
from bpsa.core.cid import cid_from_digest, cid_of, digest_of
from bpsa.core.codes import Role
from scripts.pool import cli as pool_cli
from tests.e2e.conftest import council_pool

DOCUMENT = random.Random(8).randbytes(5_000_000)


@pytest.fixture(scope="module")
def provider_pool(project, chain, accounts, suite, deployer, alliance, council):
    """A pool with a provider (account 3)."""
    members = [(3, Role.PROVIDER)]
    contracts, _ = council_pool(project, chain, accounts, deployer, alliance, council, members)
    return {**suite, **contracts}


@pytest.fixture
def run(provider_pool, invoker, tmp_path, monkeypatch):
    monkeypatch.delenv("BPSA_IPFS_API", raising=False)
    monkeypatch.setenv("BPSA_STORE_DIR", str(tmp_path / "store"))
    return functools.partial(invoker(provider_pool), pool_cli)


def test_submit__document_file_of_5_mb__stored_as_a_file_and_submitted_by_its_cid(
    run, provider_pool, tmp_path
):
    path = tmp_path / "grant.bin"
    path.write_bytes(DOCUMENT)
    cid = cid_of(DOCUMENT)
    out = run("submit", "US", "11234567", "--document-file", str(path), "--account", "TEST::3")
    assert f"stored as {cid} (5000000 bytes)" in out
    assert cid.startswith("bafybei")
    stored = provider_pool["PatentPool"].patents(patent_id("US", "11234567")).document
    assert cid_from_digest(bytes(stored), "dag-pb") == cid

    shown = run("patent", "US", "11234567")
    assert f"document  {cid}\n" in shown


def test_patent__document_not_in_the_store__both_readings_named(run, tmp_path):
    cid = cid_of(DOCUMENT)
    run("submit", "US", "11234567", "--document", cid, "--account", "TEST::3")
    shown = run("patent", "US", "11234567")
    raw = cid_from_digest(digest_of(cid), "raw")
    assert f"{raw} (one chunk) or {cid} (a file); not in the content store here" in shown


@pytest.mark.parametrize("given", [(), ("--document", "x", "--document-file", "y")])
def test_submit__neither_or_both_documents__one_clear_line(run, given, tmp_path):
    (tmp_path / "y").write_bytes(b"y")
    args = [a if a != "y" else str(tmp_path / "y") for a in given]
    out = run("submit", "US", "11234567", *args, "--account", "TEST::3", ok=False)
    assert "give the document by its CID (--document) or as a file (--document-file)" in out
