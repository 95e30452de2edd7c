"""bpsa.core.qr: payloads round-trip, and every damaged payload gets a clear QrError."""

import base64
import zlib

import pytest

from bpsa.core import claims, devices, qr

LICENSING = "0x" + "ab" * 20
SERIALS = devices.serials("PRD", 9)
TREE = devices.DeviceTree(SERIALS)
DEVICE = qr.DevicePayload(31337, qr._address(bytes.fromhex("ab" * 20)), 7, 4, SERIALS[4],
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
        ("BPSA2D", "expected BPSA<version><kind>:<data>"),
        ("BPSA3D:AAAA", "version 3 is not supported"),
        ("BPSA1D:AAAA", "version 1 is no longer accepted"),
        ("BPSA1C:AAAA", "version 1 is no longer accepted"),
        ("BPSA2X:AAAA", "unknown BPSA code kind 'X'"),
        ("BPSA2D:!!!!", "not valid base32"),
        ("BPSA2D:AA", "truncated"),
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


def test_decode__version_1_device_code__refused_naming_the_version():
    """A version 1 device code (no index) is refused whatever it holds, never read as a
    version 2 code with its bytes shifted."""
    v2 = qr.encode(DEVICE)
    v1 = "BPSA1" + v2[len("BPSA2") :]

    with pytest.raises(qr.QrError, match="version 1 is no longer accepted"):
        qr.decode(v1)


def test_encode_decode__index_past_any_batch__refused():
    data = qr.encode(DEVICE).split(":")[1]
    body = bytearray(base64.b32decode(data + "=" * (-len(data) % 8))[:-4])
    body[36:40] = (10**9).to_bytes(4, "big")

    with pytest.raises(qr.QrError, match="index 1,000,000,000 is past any batch"):
        qr.decode(_reframe(bytes(body)))
    with pytest.raises(qr.QrError, match="index"):
        qr.encode(qr.DevicePayload(1, DEVICE.licensing, 1, 10**9, SERIALS[0], []))


@pytest.mark.parametrize("kind", ["svg", "png"])
def test_render__a_payload__makes_an_image(kind, tmp_path):
    path = tmp_path / f"code.{kind}"

    data = qr.render(qr.encode(DEVICE), path, kind=kind)

    assert path.read_bytes() == data
    assert data.startswith(b"\x89PNG") if kind == "png" else b"<svg" in data[:200]


def test_checksum_address__any_bytes__eth_utils_checksum() -> None:
    import os

    from eth_utils.address import to_checksum_address

    from bpsa.core.claims import checksum_address

    for raw in [bytes(20), b"\xff" * 20, *(os.urandom(20) for _ in range(300))]:
        assert checksum_address(raw) == to_checksum_address(raw)


def test_b32__canonical_text__what_base64_decodes_else_none() -> None:
    import base64
    import os

    from bpsa.core.qr import b32

    for size in range(1, 80):
        raw = os.urandom(size)
        text = base64.b32encode(raw).decode().rstrip("=")
        assert b32(text) == raw
    assert b32("abc") is None  # lower case: not canonical
    assert b32("AB") is None  # a non-zero padding bit
