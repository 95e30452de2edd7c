"""Issue 15, finding 14: anyone takes a payer's receipt from the hub.

`GET /channels/{id}/receipt` handed the latest receipt of any channel to anyone who asked,
and `GET /channels/{id}` the channel's payer, deposit and payments. Every read of a
channel now needs the payer's own signature over the request (`HubRequest`: channel,
action, time, a fresh nonce and the body's digest), within a short window and once; a
stranger gets 401 (no or stale or replayed authorisation) or 403 (signed, not by the
payer), and a malformed one never a 500."""

from __future__ import annotations

from typing import Any

from eth_utils.crypto import keccak

from bpsa.sidechains.client import authorization_header
from tests.sidechains.helpers import DOM, PAYER_KEY, payment
from tests.sidechains.test_hub_http import PAY, body, with_hub

ATTACKER_KEY = keccak(text="bpsa hub attacker")


async def after_one_payment(
    client: Any, method: str, path: str, signed_by: bytes | None = None, action: str = ""
) -> tuple[int, dict[str, Any]]:
    """Pays once on channel 1, then sends `method path`, authorised for `action` on channel 1
    by the key `signed_by` (no authorisation without it): the reply's status and JSON."""
    assert (await client.post(PAY, json=body(payment(1)))).status == 200
    headers = {}
    if signed_by is not None:
        headers["Authorization"] = authorization_header(DOM, signed_by, 1, action, b"")
    reply = await getattr(client, method)(path, headers=headers)
    return reply.status, await reply.json()


def test_receipt__stranger_without_the_payers_signature__401_and_no_receipt(tmp_path):
    async def scenario(client: Any, engine: Any) -> None:
        # the attacker: no credentials
        status, data = await after_one_payment(client, "get", "/channels/1/receipt")

        assert status == 401, data
        assert data["code"] == "authorization_required"
        assert "receipt" not in data

    with_hub(tmp_path, scenario)


def test_channel__stranger_without_the_payers_signature__401_and_nothing_disclosed(tmp_path):
    async def scenario(client: Any, engine: Any) -> None:
        # the attacker: no credentials
        status, data = await after_one_payment(client, "get", "/channels/1")

        assert status == 401, data
        assert set(data) == {"code", "reason"}

    with_hub(tmp_path, scenario)


def test_receipt__attacker_signs_with_its_own_key__403_not_payer(tmp_path):
    async def scenario(client: Any, engine: Any) -> None:
        status, data = await after_one_payment(
            client, "get", "/channels/1/receipt", signed_by=ATTACKER_KEY, action="receipt"
        )

        assert (status, data["code"]) == (403, "not_payer")
        assert "receipt" not in data

    with_hub(tmp_path, scenario)


def test_receipt__payers_signature_replayed__401_replayed(tmp_path):
    async def scenario(client: Any, engine: Any) -> None:
        assert (await client.post(PAY, json=body(payment(1)))).status == 200
        seen = authorization_header(DOM, PAYER_KEY, 1, "receipt", b"")  # seen in transit
        first = await client.get("/channels/1/receipt", headers={"Authorization": seen})
        assert first.status == 200

        again = await client.get("/channels/1/receipt", headers={"Authorization": seen})

        assert (again.status, (await again.json())["code"]) == (401, "replayed_authorization")

    with_hub(tmp_path, scenario)
