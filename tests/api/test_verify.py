"""POST /verify against the deployed suite on anvil: licensed or not, why (a code), and
the licence behind it; the same verdicts as `bpsa.core.qr.Verifier`; bad codes are 4xx."""

from __future__ import annotations

import base64
import time
import zlib
from typing import Any

from fastapi.testclient import TestClient

from bpsa.api.app import create_app
from bpsa.core import qr
from bpsa.core.devices import DeviceTree, product_id, serial_id

from .conftest import DEVICES, PRODUCT, World


def verify(client: TestClient, payload: str) -> Any:
    return client.post("/verify", json={"payload": payload})


def test_verify__genuine_device__licensed_with_its_batch(client, api_world: World):
    reply = verify(client, api_world.genuine)

    body = reply.json()
    assert reply.status_code == 200
    assert (body["licensed"], body["reason"], body["kind"]) == (True, "device_in_batch", "device")
    assert body["device"] == {
        "batch": api_world.batch,
        "index": 42,
        "serial": "0x" + serial_id(api_world.serials[42]).hex(),
        "proof_length": len(api_world.tree.proof(serial_id(api_world.serials[42]))),
    }
    licence = body["licence"]
    assert licence["kind"] == "device_batch"
    assert licence["maker"] == api_world.facts["enterprise"]
    assert licence["root"] == "0x" + api_world.tree.root.hex()
    assert licence["product"] == "0x" + product_id(PRODUCT).hex()
    assert licence["count"] == DEVICES


def test_verify__every_device_of_the_batch__licensed(client, api_world: World):
    answers = {verify(client, api_world.device(i)).json()["reason"] for i in range(0, DEVICES, 7)}

    assert answers == {"device_in_batch"}


def test_verify__counterfeit_serial_with_a_borrowed_proof__not_in_batch(client, api_world):
    body = verify(client, api_world.counterfeit).json()

    assert (body["licensed"], body["reason"]) == (False, "not_in_batch")
    assert body["licence"]["batch"] == api_world.batch  # the batch it claims, shown


def test_verify__batch_never_registered__unknown_batch_and_no_licence(client, api_world):
    chain_id, licensing = api_world.manifest.chain_id, api_world.manifest.address("Licensing")
    serial = serial_id(api_world.serials[1])
    proof = api_world.tree.proof(serial)
    text = qr.encode(qr.DevicePayload(chain_id, licensing, 10**6, 1, serial, proof))

    body = verify(client, text).json()

    assert (body["licensed"], body["reason"], body["licence"]) == (False, "unknown_batch", None)


def test_verify__claim_signed_by_a_bpr_holder__claim_holds(client, api_world: World):
    body = verify(client, api_world.claim).json()

    assert (body["licensed"], body["reason"], body["kind"]) == (True, "claim_holds", "claim")
    assert body["claim"]["holder"] == api_world.facts["provider"]
    assert body["licence"]["kind"] == "bpr"
    assert body["licence"]["holds_bpr"] is True
    assert body["checked"]["source"] == "chain"


def test_verify__claim_below_the_holders_nonce_floor__claim_cancelled(client, api_world):
    body = verify(client, api_world.cancelled_claim).json()

    assert (body["licensed"], body["reason"]) == (False, "claim_cancelled")
    assert body["licence"]["nonce_floor"] == "7"


def test_verify__claim_by_a_holder_without_bpr__no_bpr(client, api_world: World):
    body = verify(client, api_world.no_bpr_claim).json()

    assert (body["licensed"], body["reason"]) == (False, "no_bpr")
    assert body["licence"]["holds_bpr"] is False


def test_verify__code_for_another_chain__wrong_chain(client, api_world: World):
    payload = qr.decode(api_world.genuine)
    assert isinstance(payload, qr.DevicePayload)
    foreign = qr.DevicePayload(
        1, payload.licensing, payload.batch, payload.index, payload.serial, payload.proof
    )

    body = verify(client, qr.encode(foreign)).json()

    assert (body["licensed"], body["reason"], body["licence"]) == (False, "wrong_chain", None)


def test_verify__code_for_another_licensing_contract__wrong_contract(client, api_world):
    payload = qr.decode(api_world.genuine)
    assert isinstance(payload, qr.DevicePayload)
    other = "0x" + "12" * 20
    foreign = qr.DevicePayload(
        payload.chain_id, other, payload.batch, payload.index, payload.serial, []
    )

    body = verify(client, qr.encode(foreign)).json()

    assert (body["licensed"], body["reason"]) == (False, "wrong_contract")


def test_verify__same_verdicts_as_the_qr_verifier(client, api_world: World):
    verifier = qr.Verifier(
        api_world.rpc_url, api_world.manifest.chain_id, api_world.manifest.address("Licensing")
    )
    codes = [
        api_world.genuine,
        api_world.counterfeit,
        api_world.claim,
        api_world.cancelled_claim,
        api_world.no_bpr_claim,
        api_world.device(DEVICES - 1),
    ]
    try:
        expected = [(v.licensed, v.reason, v.covers) for v in map(verifier.verify, codes)]
    finally:
        verifier.close()

    answers = [verify(client, c).json() for c in codes]

    assert [a["licensed"] for a in answers] == [e[0] for e in expected]
    assert [a["covers"] for a in answers] == [e[2] for e in expected]
    head = f"{qr.PREFIX}{qr.VERSION}{qr.KIND_CLAIM}"
    claims = [a["detail"] for a, c in zip(answers, codes, strict=True) if c.startswith(head)]
    assert claims == [e[1] for e, c in zip(expected, codes, strict=True) if c.startswith(head)]


def test_verify__device_past_the_batchs_count__past_count(client, api_world: World):
    payload = qr.decode(api_world.genuine)
    assert isinstance(payload, qr.DevicePayload)
    past = qr.DevicePayload(
        payload.chain_id, payload.licensing, payload.batch, DEVICES, payload.serial, payload.proof
    )

    body = verify(client, qr.encode(past)).json()

    assert (body["licensed"], body["reason"], body["device"]["index"]) == (
        False, "past_count", DEVICES
    )  # fmt: skip
    assert f"past the {DEVICES} devices" in body["detail"]


def test_verify__version_1_device_code__400_naming_the_version(client, api_world: World):
    old = "BPSA1" + api_world.genuine[len("BPSA2") :]

    reply = verify(client, old)

    assert (reply.status_code, reply.json()["code"]) == (400, "unreadable_code")
    assert "version 1 is no longer accepted" in reply.json()["detail"]


def test_verify__tampered_code__400_unreadable_code(client, api_world: World):
    text = api_world.genuine
    tampered = text[:-3] + ("A" if text[-3] != "A" else "B") + text[-2:]

    reply = verify(client, tampered)

    assert reply.status_code == 400
    assert reply.json()["code"] == "unreadable_code"
    assert "checksum" in reply.json()["detail"]


def test_verify__not_a_bpsa_code__400_unreadable_code(client):
    reply = verify(client, "https://example.com/not-a-licence")

    assert (reply.status_code, reply.json()["code"]) == (400, "unreadable_code")


def test_verify__body_without_payload__422_invalid_request_naming_the_field(client):
    reply = client.post("/verify", json={"text": "BPSA1D:..."})

    body = reply.json()
    assert (reply.status_code, body["code"]) == (422, "invalid_request")
    assert {e["where"] for e in body["errors"]} >= {"body.payload", "body.text"}


def test_verify__body_not_json__422_invalid_request(client):
    reply = client.post("/verify", content=b"BPSA1D:AAAA", headers={"content-type": "text/plain"})

    assert (reply.status_code, reply.json()["code"]) == (422, "invalid_request")


def test_verify__node_unreachable__503_chain_unavailable(api_world: World, tmp_path):
    app = create_app(api_world.settings(rpc_url="http://127.0.0.1:9", root_ttl=0))
    with TestClient(app) as offline:
        reply = verify(offline, api_world.genuine)

    assert (reply.status_code, reply.json()["code"]) == (503, "chain_unavailable")


def test_verify__batch_registered_after_a_scan__seen_once_the_root_ttl_passes(
    api_world: World, licensing, enterprise
):
    ttl = 0.5
    app = create_app(api_world.settings(root_ttl=ttl))
    tree = DeviceTree([serial_id(f"LATE-{n}") for n in range(4)])
    serial = serial_id("LATE-2")
    chain_id, address = api_world.manifest.chain_id, api_world.manifest.address("Licensing")
    upcoming = int(licensing.batch_count()) + 1
    text = qr.encode(qr.DevicePayload(chain_id, address, upcoming, 2, serial, tree.proof(serial)))
    with TestClient(app) as fresh:
        before = verify(fresh, text).json()
        licensing.register_batch(product_id("LATE"), tree.root, 4, sender=enterprise)
        cached = verify(fresh, text).json()
        time.sleep(ttl + 0.1)
        after = verify(fresh, text).json()

    assert (before["reason"], before["checked"]["source"]) == ("unknown_batch", "chain")
    assert (cached["reason"], cached["checked"]["source"]) == ("unknown_batch", "cache")
    assert (after["reason"], after["checked"]["source"]) == ("device_in_batch", "chain")


def test_verify__body_over_128_kib__413_too_large(client):
    reply = client.post("/verify", content=b'{"payload": "' + b"A" * 140_000 + b'"}')

    assert (reply.status_code, reply.json()["code"]) == (413, "too_large")


def test_verify__claim_code_with_a_zero_expiry_and_a_good_checksum__400_unreadable_code(
    client, api_world: World
):
    """A code its CRC vouches for but whose claim cannot exist (expiry 0): refused as
    unreadable, naming the field, never a 500."""
    head, _, data = api_world.claim.partition(":")
    framed = base64.b32decode(data + "=" * (-len(data) % 8))
    body = bytearray(framed[:-4])
    expiry = 28 + 20 + 32 + 32  # chain id, Licensing, holder, licence, subject (docs/qr.md)
    body[expiry : expiry + 8] = bytes(8)
    forged = bytes(body) + zlib.crc32(bytes(body)).to_bytes(4, "big")
    text = head + ":" + base64.b32encode(forged).decode().rstrip("=")

    reply = verify(client, text)

    assert (reply.status_code, reply.json()["code"]) == (400, "unreadable_code")
    assert "expiry" in reply.json()["detail"]
