"""A BPR's coverage snapshot in the query API (issue 17, point 5): /bprs/{holder} shows the
snapshot (the Coverage log's size and root), /bprs/{holder}/coverage lists the patents it
covered, /bprs/{holder}/coverage/{patent} returns the proof, or a 404 naming why not.

The package's world (conftest.py): the scenario pools the provider's 11000001, pools and
removes provider2's 11000003, then the provider converts; CN_NUMBER is pooled after."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from bpsa.core import certificates as certs
from bpsa.core import coverage as cov

from .conftest import CN_NUMBER, World


def hex_id(office: str, number: str) -> str:
    return "0x" + certs.patent_id(office, number).hex()


def test_bpr__holder__shows_the_snapshot_the_chain_records(
    client: TestClient, api_world: World, licensing: Any, provider: Any
) -> None:
    body = client.get(f"/bprs/{provider.address}").json()

    size, root = licensing.snapshot_of(provider)
    assert body["holder"] == provider.address  # checksummed, as every address the API shows
    assert (body["coverage_size"], body["coverage_root"]) == (int(size), "0x" + bytes(root).hex())


def test_bpr_coverage__holder__lists_the_patents_pooled_on_its_date(
    client: TestClient, api_world: World, provider: Any
) -> None:
    body = client.get(f"/bprs/{provider.address}/coverage", params={"limit": 500}).json()

    covered = {item["patent_id"] for item in body["items"]}
    assert hex_id("US", "11000001") in covered
    assert hex_id("US", "11000003") not in covered  # removed before the conversion
    assert hex_id("CN", CN_NUMBER) not in covered  # pooled after it
    assert body["total"] == len(covered)
    assert all(item["entering"] for item in body["items"])


def test_bpr_coverage_proof__covered_patent__verifies_off_chain_and_on_chain(
    client: TestClient, api_world: World, licensing: Any, provider: Any
) -> None:
    response = client.get(f"/bprs/{provider.address}/coverage/{hex_id('US', '11000001')}")

    assert response.status_code == 200
    body = response.json()
    assert body["holder"] == provider.address
    proof = cov.CoverageProof.from_json(body)
    assert cov.verify(proof, root=bytes(licensing.snapshot_of(provider)[1]))
    assert licensing.covers(
        provider, proof.patent, proof.entry, proof.entered_at, list(proof.entry_proof)
    )


def test_bpr_coverage_proof__patent_not_covered__404_naming_why(
    client: TestClient, api_world: World, provider: Any
) -> None:
    cases = {
        hex_id("US", "11000003"): "left the pool before",
        hex_id("CN", CN_NUMBER): "only after the snapshot",
        "0x" + "ab" * 32: "never pooled",
    }
    for patent, why in cases.items():
        response = client.get(f"/bprs/{provider.address}/coverage/{patent}")
        assert response.status_code == 404
        assert why in response.json()["detail"]


def test_bpr_coverage__no_bpr_or_bad_input__404_or_422(
    client: TestClient, api_world: World, attacker: Any
) -> None:
    assert client.get(f"/bprs/{attacker.address}").status_code == 404
    assert client.get(f"/bprs/{attacker.address}/coverage").status_code == 404
    assert client.get(f"/bprs/{attacker.address}/coverage/0x{'00' * 32}").status_code == 404
    assert client.get("/bprs/0x1234/coverage").status_code == 422
    assert client.get(f"/bprs/{attacker.address}/coverage/0x12").status_code == 422
