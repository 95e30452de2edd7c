"""Issue 15, review of the paid search: any number in any input, however odd, gets a 4xx.

`X-Payment-Receipt` is JSON, and JSON reads `1e400` as an infinite float: `int()` of it
raised OverflowError, which the route did not expect, and the API answered 500. Floats,
booleans, exponents and non-ASCII digits are not whole numbers: 400 `malformed_receipt`."""

from __future__ import annotations

import json

import pytest

from tests.api.paygate import AUTHORIZATION, HEADER

GOOD = {
    "channel": 1,
    "payer": "0x" + "11" * 20,
    "nonce": 1,
    "amount": "1000000000000000",
    "signature": "0x" + "22" * 65,
}


@pytest.mark.parametrize(
    "raw",
    [
        '"channel": 1e400',
        '"nonce": 1e400',
        '"amount": 1e400',
        '"amount": -1e400',
        '"channel": 1.5',
        '"nonce": true',
        '"amount": "1e18"',
        '"amount": "\\u00b2"',
        '"channel": "-1"',
        '"nonce": 9223372036854775808',
        '"amount": 115792089237316195423570985008687907853269984665640564039457584007913129639936',
    ],
)
def test_search__odd_number_in_the_receipt__400_malformed_never_500(paid_client, raw):
    name = raw.split(":")[0].strip('"')
    others = ", ".join(f'"{k}": {json.dumps(v)}' for k, v in GOOD.items() if k != name)
    text = "{" + others + ", " + raw + "}"

    reply = paid_client.get("/search?q=US", headers={HEADER: text, AUTHORIZATION: "0x" + "33" * 65})

    assert reply.status_code == 400, (raw, reply.status_code, reply.text[:200])
    assert reply.json()["code"] == "malformed_receipt"
