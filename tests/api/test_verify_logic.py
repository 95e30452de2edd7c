"""The verification logic without a chain: the fast device reader and Merkle check agree
with `bpsa.core.qr.decode` and `qr.judge_device` on genuine, counterfeit, truncated and
tampered codes, and every answer `claims.verify` gives maps to a reason code."""

from __future__ import annotations

import base64
import random

import pytest
from eth_account import Account
from eth_utils.crypto import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from bpsa.api.verify import Reason, b32, claim_reason, in_batch, read_device
from bpsa.core import claims, qr
from bpsa.core.devices import DeviceTree, serial_id

LICENSING = "0x5FbDB2315678afecb367f032d93F642f64180aa3"
TREE = DeviceTree([serial_id(f"UNIT-{n}") for n in range(1000)])


def device_code(
    index: int, serial: bytes | None = None, batch: int = 3, position: int | None = None
) -> str:
    own = serial_id(f"UNIT-{index}")
    at = index if position is None else position
    payload = qr.DevicePayload(31337, LICENSING, batch, at, serial or own, TREE.proof(own))
    return qr.encode(payload)


def slow(text: str) -> tuple[int, bytes, int, int, bytes, list[bytes]] | None:
    try:
        p = qr.decode(text)
    except qr.QrError:
        return None
    if not isinstance(p, qr.DevicePayload):
        return None
    return p.chain_id, bytes.fromhex(p.licensing[2:]), p.batch, p.index, p.serial, p.proof


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 69, 100, 613, 1000])
def test_b32__canonical_text__same_bytes_as_the_standard_decoder(size):
    raw = random.Random(size).randbytes(size)
    text = base64.b32encode(raw).decode().rstrip("=")

    assert b32(text) == raw


@pytest.mark.parametrize("text", ["", "abc", "AB0", "A", "ABC", "ABCDEF", "AAAAAAB", "A=B"])
def test_b32__non_canonical_text__refused(text):
    assert b32(text) is None


@pytest.mark.parametrize("index", [0, 1, 499, 999])
def test_read_device__genuine_code__same_fields_as_qr_decode(index):
    text = device_code(index)

    assert read_device(text) == slow(text)
    assert read_device("  " + text + "\n") == slow(text)


def test_read_device__claim_code__left_to_qr_decode():
    key = keccak(text="holder")
    holder = Account.from_key(key).address
    claim = claims.LicenceClaim(holder, 0, b"\x01" * 32, 2**40, 1)
    sig = claims.sign(claim, claims.domain(31337, LICENSING), key)

    assert read_device(qr.encode(qr.ClaimPayload(31337, LICENSING, claim, sig))) is None


@settings(max_examples=300, deadline=None)
@given(cut=st.integers(0, 800), at=st.integers(0, 800), char=st.sampled_from("A7Z2=a1 :"))
def test_read_device__truncated_or_tampered__never_accepts_what_qr_decode_refuses(cut, at, char):
    text = device_code(7)
    mangled = text[: len(text) - cut % len(text)]
    spot = at % max(1, len(mangled))
    mangled = mangled[:spot] + char + mangled[spot + 1 :]

    fast = read_device(mangled)

    assert fast is None or fast == slow(mangled)


def _both(p: qr.Payload, count: int = 1000) -> bool:
    """The fast check's answer; fails if `qr.judge_device` answers otherwise."""
    assert isinstance(p, qr.DevicePayload)
    fast = in_batch(p.index, p.serial, p.proof, TREE.root, count)
    assert qr.judge_device(p, TREE.root, count).licensed is fast
    return fast


@pytest.mark.parametrize("index", [0, 3, 998])
def test_in_batch__genuine_and_counterfeit__same_as_judge_device(index):
    assert _both(qr.decode(device_code(index))) is True
    assert _both(qr.decode(device_code(index, serial=serial_id("UNIT-FAKE")))) is False


@pytest.mark.parametrize("index", [0, 3, 998])
def test_in_batch__another_position_or_past_the_count__same_as_judge_device(index):
    genuine = qr.decode(device_code(index))

    assert _both(qr.decode(device_code(index, position=index ^ 1))) is False
    assert _both(genuine, count=index) is False  # paid for fewer devices
    assert _both(genuine, count=index + 1) is (index + 1 > 512)  # a shallower tree below 513


KEY = keccak(text="claim holder")
HOLDER = Account.from_key(KEY).address
DOM = claims.domain(31337, LICENSING)
NOW = 1_800_000_000
HIGH_S = b"\x01" * 32 + b"\xff" * 32 + b"\x1b"  # s above n/2: malleable, refused


def facts(**changes: object) -> claims.Facts:
    base = {
        "now": NOW,
        "holds_bpr": True,
        "licensee": HOLDER,
        "licence_end": NOW + 100,
        "nonce_floor": 0,
        "holder_active": True,
        "covers": 3,
    }
    return claims.Facts(**(base | changes))


def claim_of(licence: int = 0, expiry: int = NOW + 50, nonce: int = 5) -> claims.LicenceClaim:
    return claims.LicenceClaim(HOLDER, licence, b"\x02" * 32, expiry, nonce)


def answer(claim: claims.LicenceClaim, f: claims.Facts, sig: bytes | None = None) -> str:
    signature = claims.sign(claim, DOM, KEY) if sig is None else sig
    return claims.verify(claim, signature, DOM, f).why


@pytest.mark.parametrize(
    ("why", "reason"),
    [
        (lambda: answer(claim_of(), facts()), Reason.CLAIM_HOLDS),
        (lambda: answer(claim_of(expiry=NOW), facts()), Reason.CLAIM_EXPIRED),
        (lambda: answer(claim_of(), facts(nonce_floor=6)), Reason.CLAIM_CANCELLED),
        (lambda: answer(claim_of(), facts(holds_bpr=False)), Reason.NO_BPR),
        (lambda: answer(claim_of(), facts(holder_active=False)), Reason.HOLDER_INACTIVE),
        (lambda: answer(claim_of(), facts(covers=0)), Reason.COVERS_NOTHING),
        (lambda: answer(claim_of(9), facts(covers=0)), Reason.COVERS_NOTHING),
        (lambda: answer(claim_of(9), facts(licensee=LICENSING)), Reason.LICENCE_NOT_HOLDERS),
        (lambda: answer(claim_of(9), facts(licence_end=NOW)), Reason.LICENCE_ENDED),
        (lambda: answer(claim_of(), facts(), b"\x00" * 64), Reason.BAD_SIGNATURE),
        (lambda: answer(claim_of(), facts(), HIGH_S), Reason.BAD_SIGNATURE),
        (
            lambda: answer(claim_of(), facts(), claims.sign(claim_of(nonce=6), DOM, KEY)),
            Reason.WRONG_SIGNER,
        ),
    ],
)
def test_claim_reason__every_answer_of_claims_verify__has_its_code(why, reason):
    assert claim_reason(why()) == reason


def test_claim_reason__an_answer_it_does_not_know__raises():
    with pytest.raises(ValueError, match="does not know"):
        claim_reason("the moon is in the wrong phase")
