"""Issue 15, finding 13: POST /verify answered "licensed" for a suspended member's BPR
claim. It now answers as `Licensing.verify_claim` does: a claim licenses the pooled
patents its licence covers now (`covers`), and nothing for a BPR holder who is no longer
an active member."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from bpsa.core import qr

from .conftest import World


def _verify(client: TestClient, payload: str) -> Any:
    return client.post("/verify", json={"payload": payload}).json()


def test_verify__claim_of_a_suspended_holder__not_licensed_holder_inactive(
    client: TestClient,
    api_world: World,
    pool_alliance: Any,
    pool_council: Any,
    provider: Any,
    licensing: Any,
) -> None:
    pool_alliance.suspend(provider.address, sender=pool_council)

    body = _verify(client, api_world.claim)

    assert (body["licensed"], body["reason"], body["covers"]) == (False, "holder_inactive", 0)
    assert (body["licence"]["holds_bpr"], body["licence"]["holder_active"]) == (True, False)
    # the chain and the QR verifier agree
    payload = qr.decode(api_world.claim)
    assert isinstance(payload, qr.ClaimPayload)
    assert licensing.verify_claim(payload.claim.as_arg(), payload.signature) == 0
    verifier = qr.Verifier(api_world.rpc_url, payload.chain_id, payload.licensing)
    try:
        scanned = verifier.verify(api_world.claim)
    finally:
        verifier.close()
    assert (scanned.licensed, scanned.covers, scanned.reason) == (False, 0, body["detail"])


def test_verify__claim_of_an_active_holder__covers_every_pooled_patent(
    client: TestClient, api_world: World, patent_pool: Any, licensing: Any
) -> None:
    body = _verify(client, api_world.claim)

    pooled = patent_pool.pooled_count()
    assert (body["licensed"], body["reason"], body["covers"]) == (True, "claim_holds", pooled)
    assert body["licence"]["covers"] == pooled > 0
    payload = qr.decode(api_world.claim)
    assert isinstance(payload, qr.ClaimPayload)
    assert licensing.verify_claim(payload.claim.as_arg(), payload.signature) == pooled


def test_verify__device_code__covers_is_null(client: TestClient, api_world: World) -> None:
    assert _verify(client, api_world.genuine)["covers"] is None
