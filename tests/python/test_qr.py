"""bpsa.qr: payloads round-trip, and every damaged payload gets a clear QrError."""

import base64
import zlib

import pytest

from bpsa import claims, devices, qr

LICENSING = "0x" + "ab" * 20
SERIALS = devices.serials("PRD", 9)
TREE = devices.DeviceTree(SERIALS)
DEVICE = qr.DevicePayload(31337, qr._address(bytes.fromhex("ab" * 20)), 7, SERIALS[4],
                          TREE.proof(SERIALS[4]))  # fmt: skip
CLAIM = qr.ClaimPayload(
    31337,
    qr._address(bytes.fromhex("ab" * 20)),
    claims.LicenceClaim(qr._address(bytes.fromhex("cd" * 20)), 3, b"\x5e" * 32, 2**40, 9),
    bytes(range(65)),
)


@pytest.mark.parametrize("payload", [DEVICE, CLAIM], ids=["device", "claim"])
def test_encode_decode__round_trip__same_payload(payload):
    text = qr.encode(payload)

    assert qr.decode(text) == payload
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:")  # QR alphanumeric mode


def _reframe(body: bytes, kind: str = "D") -> str:
    return qr._pack(kind, body)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hello", "does not start with BPSA"),
        ("BPSA1D", "expected BPSA<version><kind>:<data>"),
        ("BPSA2D:AAAA", "version 2 is not supported"),
        ("BPSA1X:AAAA", "unknown BPSA code kind 'X'"),
        ("BPSA1D:!!!!", "not valid base32"),
        ("BPSA1D:AA", "truncated"),
    ],
)
def test_decode__malformed__names_the_problem(text, message):
    with pytest.raises(qr.QrError, match=message):
        qr.decode(text)


def test_decode__truncated_code__checksum_fails():
    text = qr.encode(DEVICE)

    with pytest.raises(qr.QrError, match=r"checksum does not match|truncated"):
        qr.decode(text[:-8])


def test_decode__one_character_tampered__checksum_fails():
    text = qr.encode(CLAIM)
    i = len(text) // 2
    tampered = text[:i] + ("A" if text[i] != "A" else "B") + text[i + 1 :]

    with pytest.raises(qr.QrError, match="checksum does not match"):
        qr.decode(tampered)


def test_decode__valid_checksum_wrong_lengths__names_the_kind():
    data = qr.encode(DEVICE).split(":")[1]
    framed = base64.b32decode(data + "=" * (-len(data) % 8))
    body = framed[:-4]
    with pytest.raises(qr.QrError, match="proof is truncated"):
        qr.decode(_reframe(body[:-5]))
    with pytest.raises(qr.QrError, match="claim code has the wrong length"):
        qr.decode(_reframe(body, "C"))
    assert zlib.crc32(body).to_bytes(4, "big") == framed[-4:]


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_render__a_payload__makes_an_image(kind, tmp_path):
    path = tmp_path / f"code.{kind}"

    data = qr.render(qr.encode(DEVICE), path, kind=kind)

    assert path.read_bytes() == data
    assert data.startswith(b"\x89PNG") if kind == "png" else b"<svg" in data[:200]
