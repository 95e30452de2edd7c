"""Issue 15, review of the hub: any number in any input, however odd, gets a 4xx.

A channel id in the path that Python's `str.isdigit()` takes and `int()` refuses ("²",
"①", superscripts and circled digits are "digits" to isdigit) made every channel route
answer 500 with a stack trace in the hub's log; so did a channel id of more than 4,300
digits. Now only ASCII digits, at most 78 of them (2^256 has 78), are a channel id."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sidechains.helpers import payment
from tests.sidechains.test_hub_http import body, signed, with_hub

ODD_CHANNELS = ["²", "1²", "①", "٣x", "9" * 5000, "-1", "0", "1e3", str(2**256), " 1"]


@pytest.mark.parametrize("text", ODD_CHANNELS, ids=lambda t: repr(t[:12]))
def test_channel_routes__odd_channel_in_the_path__400_malformed_never_500(tmp_path, text):
    async def scenario(client: Any, engine: Any) -> None:
        for method, path, headers in [
            ("POST", f"/channels/{text}/payments", {}),
            ("GET", f"/channels/{text}", signed("channel")),
            ("GET", f"/channels/{text}/receipt", signed("receipt")),
            ("POST", f"/channels/{text}/close", signed("close", body=b"{}")),
        ]:
            reply = await client.request(method, path, json=body(payment(1)), headers=headers)
            assert reply.status == 400, (method, path[:40], reply.status)
            assert (await reply.json())["code"] == "malformed"

    with_hub(tmp_path, scenario)


@pytest.mark.parametrize(
    "field",
    [
        {"nonce": 2**64},
        {"nonce": -1},
        {"nonce": 10**30},
        {"amount": str(2**96)},
        {"amount": "-5"},
        {"amount": "9" * 3800},  # past int()'s 4,300 digits the message is over 4 KB
        {"amount": 10**30},
        {"amount": "1e18"},
        {"amount": "²"},
        {"channel": 10**80},
        {"channel": "²"},
        {"channel": -1},
    ],
    ids=lambda f: f"{next(iter(f))}={str(next(iter(f.values())))[:12]}",
)
def test_ws__odd_number_in_a_payment__4xx_never_500_and_nothing_changes(tmp_path, field):
    async def scenario(client: Any, engine: Any) -> None:
        socket = await client.ws_connect("/ws")
        await socket.send_json(body(payment(1)) | {"channel": 1} | field)
        answer = await socket.receive_json()
        await socket.close()
        assert 400 <= answer["status"] < 500, answer
        assert engine.channels[1].nonce == 0

    with_hub(tmp_path, scenario)
