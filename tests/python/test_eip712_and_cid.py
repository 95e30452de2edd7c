"""EIP-712 against the EIP's own worked example; CIDs against known values."""

import hashlib

import pytest
from eth_account import Account

from bpsa.core import cid, eip712
from bpsa.core.errors import InputError

# The "Mail" example from EIP-712 itself, with its published digest.
MAIL_TYPES = {
    "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
    "Mail": [
        {"name": "from", "type": "Person"},
        {"name": "to", "type": "Person"},
        {"name": "contents", "type": "string"},
    ],
}
MAIL = {
    "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
    "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
    "contents": "Hello, Bob!",
}
DOMAIN = eip712.Domain("Ether Mail", "1", 1, "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC")


def test_digest__eip_example__matches_published_hash():
    full = eip712.typed_data(DOMAIN, MAIL_TYPES, "Mail", MAIL)
    assert eip712.digest(full).hex() == (
        "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2"
    )
    assert eip712.domain_separator(DOMAIN).hex() == (
        "f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f"
    )


def test_sign_then_recover__returns_signer():
    key = Account.create()
    full = eip712.typed_data(DOMAIN, MAIL_TYPES, "Mail", MAIL)
    assert eip712.recover(full, eip712.sign(full, key.key)) == key.address


def test_recover__high_s__rejected():
    key = Account.create()
    full = eip712.typed_data(DOMAIN, MAIL_TYPES, "Mail", MAIL)
    sig = eip712.sign(full, key.key)
    s = int.from_bytes(sig[32:64], "big")
    flipped = sig[:32] + (eip712.SECP256K1_N - s).to_bytes(32, "big") + bytes([sig[64] ^ 1])
    with pytest.raises(InputError, match="high s"):
        eip712.recover(full, flipped)


def test_typed_data__unknown_primary_type__rejected():
    with pytest.raises(InputError, match="primary type 'Letter'"):
        eip712.typed_data(DOMAIN, MAIL_TYPES, "Letter", MAIL)


def test_cid_of__hello__matches_ipfs():
    # `ipfs add --raw-leaves --cid-version 1` of b"hello" gives this CID.
    assert cid.cid_of(b"hello") == "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"


def test_digest_of__cid_and_hex__give_sha256():
    expected = hashlib.sha256(b"hello").digest()
    assert cid.digest_of(cid.cid_of(b"hello")) == expected
    assert cid.digest_of("0x" + expected.hex()) == expected
    assert cid.cid_from_digest(expected) == cid.cid_of(b"hello")


def test_digest_of__garbage__names_the_input():
    with pytest.raises(InputError, match="'not-a-cid' is neither a CID"):
        cid.digest_of("not-a-cid")


def test_cid_of__past_one_mebibyte__a_file_as_ipfs_add_gives_it():
    # No size limit any more: `ipfs add --cid-version 1` of 1 MiB + 1 bytes of "x" (five
    # 256 KiB raw leaves under one dag-pb root) gives this CID.
    content = b"x" * 1_048_577
    assert cid.cid_of(content) == "bafybeifsff2btrbwnjtceyn4hyyyxmaw2di7u3gjabdugbdktkw73mpxqm"
