"""QR payloads: a device's licence (batch, serial, proof) or a signed licence claim.

Format, version 1: the text `BPSA1` + kind (`D` device, `C` claim) + `:` + the RFC 4648
base32 (no padding) of a binary body followed by its CRC-32. Upper-case base32 and
`:` stay inside QR's alphanumeric mode, the densest for this alphabet.

    device body: chain id (8) | Licensing (20) | batch (8) | serial (32) | n (1) | proof (32 n)
    claim body:  chain id (8) | Licensing (20) | holder (20) | licence (32) | subject (32)
                 | expiry (8) | nonce (32) | signature (65)

Decoding a malformed, truncated, wrong-version or tampered payload raises `QrError`
naming what is wrong. `verify` answers licensed or not (and why) against the chain.
"""

from __future__ import annotations

import base64
import binascii
import io
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils.address import to_checksum_address

from bpsa import claims
from bpsa.errors import InputError

PREFIX = "BPSA"
VERSION = 1
KIND_DEVICE, KIND_CLAIM = "D", "C"
MAX_PROOF = 40


class QrError(InputError):
    """A scanned payload that cannot be read (malformed, truncated, tampered, unknown)."""


@dataclass(frozen=True)
class DevicePayload:
    chain_id: int
    licensing: str
    batch: int
    serial: bytes
    proof: list[bytes]


@dataclass(frozen=True)
class ClaimPayload:
    chain_id: int
    licensing: str
    claim: claims.LicenceClaim
    signature: bytes


Payload = DevicePayload | ClaimPayload


def _address(raw: bytes) -> str:
    return str(to_checksum_address(raw))


def _pack(kind: str, body: bytes) -> str:
    framed = body + zlib.crc32(body).to_bytes(4, "big")
    text = base64.b32encode(framed).decode().rstrip("=")
    return f"{PREFIX}{VERSION}{kind}:{text}"


def encode(payload: Payload) -> str:
    head = payload.chain_id.to_bytes(8, "big") + bytes.fromhex(payload.licensing[2:])
    if isinstance(payload, DevicePayload):
        if len(payload.proof) > MAX_PROOF:
            raise QrError(f"a proof holds at most {MAX_PROOF} hashes")
        body = head + payload.batch.to_bytes(8, "big") + payload.serial
        body += bytes([len(payload.proof)]) + b"".join(payload.proof)
        return _pack(KIND_DEVICE, body)
    c = payload.claim
    body = head + bytes.fromhex(c.holder[2:]) + c.licence.to_bytes(32, "big") + c.subject
    body += c.expiry.to_bytes(8, "big") + c.nonce.to_bytes(32, "big") + payload.signature
    return _pack(KIND_CLAIM, body)


def decode(text: str) -> Payload:
    """The payload in a scanned text; `QrError` naming what is wrong."""
    text = text.strip()
    if not text.startswith(PREFIX):
        raise QrError("not a BPSA licence code (it does not start with BPSA)")
    head, sep, data = text.partition(":")
    if not sep or len(head) != len(PREFIX) + 2:
        raise QrError("malformed BPSA code: expected BPSA<version><kind>:<data>")
    version, kind = head[len(PREFIX)], head[len(PREFIX) + 1]
    if version != str(VERSION):
        raise QrError(f"BPSA code version {version} is not supported (this reader knows {VERSION})")
    if kind not in (KIND_DEVICE, KIND_CLAIM):
        raise QrError(f"unknown BPSA code kind {kind!r} (D: device, C: claim)")
    try:
        framed = base64.b32decode(data + "=" * (-len(data) % 8))
    except (binascii.Error, ValueError):
        raise QrError("the code's data is not valid base32 (damaged or mistyped)") from None
    if len(framed) < 4:
        raise QrError("the code is truncated")
    body, crc = framed[:-4], framed[-4:]
    if zlib.crc32(body).to_bytes(4, "big") != crc:
        raise QrError("the code's checksum does not match (truncated or tampered)")
    if len(body) < 28:
        raise QrError("the code is truncated")
    chain_id, licensing = int.from_bytes(body[:8], "big"), _address(body[8:28])
    rest = body[28:]
    if kind == KIND_DEVICE:
        if len(rest) < 41:
            raise QrError("the device code is truncated")
        count = rest[40]
        if len(rest) != 41 + 32 * count or count > MAX_PROOF:
            raise QrError("the device code's proof is truncated or too long")
        proof = [rest[41 + 32 * i : 73 + 32 * i] for i in range(count)]
        batch = int.from_bytes(rest[:8], "big")
        return DevicePayload(chain_id, licensing, batch, rest[8:40], proof)
    if len(rest) != 20 + 32 + 32 + 8 + 32 + 65:
        raise QrError("the claim code has the wrong length (truncated or padded)")
    claim = claims.LicenceClaim(
        holder=_address(rest[:20]),
        licence=int.from_bytes(rest[20:52], "big"),
        subject=rest[52:84],
        expiry=int.from_bytes(rest[84:92], "big"),
        nonce=int.from_bytes(rest[92:124], "big"),
    )
    return ClaimPayload(chain_id, licensing, claim, rest[124:189])


def render(text: str, path: Path | None = None, kind: str = "svg", scale: int = 4) -> bytes:
    """A QR code of `text` as SVG or PNG bytes (written to `path` when given)."""
    import segno

    if kind not in ("svg", "png"):
        raise InputError(f"QR images are svg or png, not {kind!r}")
    code = segno.make(text, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind=kind, scale=scale)
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


@dataclass(frozen=True)
class Verdict:
    licensed: bool
    reason: str
    payload: Payload


def verify(text: str, licensing: Any, bpr: Any, chain_id: int, now: int) -> Verdict:
    """Decode a scanned payload and check it against the deployed Licensing (ape contract)."""
    payload = decode(text)
    if payload.chain_id != chain_id:
        return Verdict(False, f"the code is for chain {payload.chain_id}, not {chain_id}", payload)
    if payload.licensing.lower() != str(licensing.address).lower():
        return Verdict(False, "the code names another Licensing contract", payload)
    if isinstance(payload, DevicePayload):
        ok = bool(licensing.verify_device(payload.batch, payload.serial, payload.proof))
        why = f"device in batch {payload.batch}" if ok else "no licensed batch holds this device"
        return Verdict(ok, why, payload)
    dom = claims.domain(chain_id, str(licensing.address))
    facts = claims.read_facts(licensing, bpr, payload.claim, now)
    ok, why = claims.verify(payload.claim, payload.signature, dom, facts)
    return Verdict(ok, why, payload)
