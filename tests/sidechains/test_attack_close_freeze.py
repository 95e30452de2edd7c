"""Issue 15, finding 15: anyone freezes a channel.

`POST /channels/{id}/close` needed no authentication: a stranger put a payer's channel
into "consented" for good (the log keeps it across restarts), every later payment got
`409 not_open`, and the reply disclosed the payer's proof and the hub's consent. Only the
payer, by its signature over the request, asks for a cooperative close."""

from __future__ import annotations

from typing import Any

from bpsa.sidechains.engine import Engine
from tests.sidechains.helpers import DOM, HUB_KEY, payment
from tests.sidechains.test_attack_receipt_theft import ATTACKER_KEY, after_one_payment
from tests.sidechains.test_hub_http import PAY, body, with_hub


def test_close__stranger_without_the_payers_signature__401_channel_stays_open(tmp_path):
    async def scenario(client: Any, engine: Any) -> None:
        # the attacker: no credentials
        status, data = await after_one_payment(client, "post", "/channels/1/close")

        assert status == 401, data
        assert set(data) == {"code", "reason"}  # no proof, no consent
        later = await client.post(PAY, json=body(payment(2)))
        assert later.status == 200, await later.json()

    with_hub(tmp_path, scenario)
    assert Engine.open(tmp_path / "hub.sqlite", DOM, HUB_KEY).channels[1].status.value == "open"


def test_close__attacker_signs_with_its_own_key__403_channel_stays_open(tmp_path):
    async def scenario(client: Any, engine: Any) -> None:
        status, data = await after_one_payment(
            client, "post", "/channels/1/close", signed_by=ATTACKER_KEY, action="close"
        )

        assert (status, data["code"]) == (403, "not_payer")
        assert (await client.post(PAY, json=body(payment(2)))).status == 200

    with_hub(tmp_path, scenario)
