"""`bpsa.sdk.pool.sign_typed`: an ape account's signature as 32-byte r and s, whatever ape
returns (it drops leading zero bytes: one signature in 128 has a short r or s)."""

from types import SimpleNamespace

from bpsa.sdk.pool import sign_typed

FULL = {
    "types": {
        "EIP712Domain": [{"name": "name", "type": "string"}],
        "Note": [{"name": "x", "type": "uint256"}],
    },
    "primaryType": "Note",
    "domain": {"name": "t"},
    "message": {"x": 1},
}


def test_sign_typed__ape_drops_leading_zero_bytes__padded_back_to_32():
    short = SimpleNamespace(v=27, r=b"\x01" * 31, s=b"\x02" * 30)
    account = SimpleNamespace(address="0x" + "11" * 20, sign_message=lambda _: short)

    signature = sign_typed(account, FULL)

    assert signature.r == b"\x00" + b"\x01" * 31
    assert signature.s == b"\x00\x00" + b"\x02" * 30
