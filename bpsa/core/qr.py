"""QR payloads: a device's licence (batch, serial, proof) or a signed licence claim.

Format, version 2: the text `BPSA2` + kind (`D` device, `C` claim) + `:` + the RFC 4648
base32 (no padding) of a binary body followed by its CRC-32. Upper-case base32 and
`:` stay inside QR's alphanumeric mode, the densest for this alphabet.

    device body: chain id (8) | Licensing (20) | batch (8) | index (4) | serial (32) | n (1)
                 | proof (32 n)
    claim body:  chain id (8) | Licensing (20) | holder (20) | licence (32) | subject (32)
                 | expiry (8) | nonce (32) | signature (65)

A device's index is its position in its batch's tree (`bpsa.core.devices`): the chain
licenses only positions below the count the maker paid for. Version 1 device codes
carried no index and are refused (with every version 1 code), naming the version.
Decoding a malformed, truncated, wrong-version or tampered payload raises `QrError`
naming what is wrong. `verify` (through ape) and `Verifier` (raw JSON-RPC, for
scanner stations and services) answer licensed or not, and why, with one chain read
each: the batch's root for a device (the proof is checked here), the claim's facts
for a claim (the signature is checked here).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils.abi import function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address

from bpsa.core import claims, devices
from bpsa.core.errors import ChainError as ChainError  # re-exported: callers catch qr.ChainError
from bpsa.core.errors import InputError
from bpsa.core.rpc import Pending, Rpc

PREFIX = "BPSA"
VERSION = 2
KIND_DEVICE, KIND_CLAIM = "D", "C"
MAX_PROOF = 40


class QrError(InputError):
    """A scanned payload that cannot be read (malformed, truncated, tampered, unknown)."""


@dataclass(frozen=True)
class DevicePayload:
    chain_id: int
    licensing: str
    batch: int
    index: int  # the device's position in its batch
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
    return claims.checksum_address(raw)


# RFC 4648 base32 digits -> the digits int(..., 32) reads (0-9, A-V): the same values.
_TO_INT_DIGITS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV"
)
_BASE32 = re.compile(r"[A-Z2-7]+")


def b32(data: str) -> bytes | None:
    """Unpadded RFC 4648 base32 as bytes (what `base64.b32decode` gives, about ten times
    faster for a proof-long code); None unless `data` is canonical base32 (then
    `base64.b32decode` decides)."""
    if not _BASE32.fullmatch(data):
        return None
    size = len(data) * 5 // 8
    extra = len(data) * 5 - size * 8
    if (size * 8 + 4) // 5 != len(data):
        return None  # a length no byte string encodes to
    value = int(data.translate(_TO_INT_DIGITS), 32)
    if value & ((1 << extra) - 1):
        return None  # non-zero padding bits
    return (value >> extra).to_bytes(size, "big")


def _pack(kind: str, body: bytes) -> str:
    framed = body + zlib.crc32(body).to_bytes(4, "big")
    text = base64.b32encode(framed).decode().rstrip("=")
    return f"{PREFIX}{VERSION}{kind}:{text}"


def encode(payload: Payload) -> str:
    head = payload.chain_id.to_bytes(8, "big") + bytes.fromhex(payload.licensing[2:])
    if isinstance(payload, DevicePayload):
        if len(payload.proof) > MAX_PROOF:
            raise QrError(f"a proof holds at most {MAX_PROOF} hashes")
        if not 0 <= payload.index <= devices.INDEX_MAX:
            raise QrError(f"a device's index is 0 to {devices.INDEX_MAX:,}")
        body = head + payload.batch.to_bytes(8, "big") + payload.index.to_bytes(4, "big")
        body += payload.serial
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
    if version == "1":
        raise QrError(
            "BPSA code version 1 is no longer accepted (device codes now carry the device's "
            f"position in its batch): ask its issuer for a version {VERSION} code"
        )
    if version != str(VERSION):
        raise QrError(f"BPSA code version {version} is not supported (this reader knows {VERSION})")
    if kind not in (KIND_DEVICE, KIND_CLAIM):
        raise QrError(f"unknown BPSA code kind {kind!r} (D: device, C: claim)")
    framed = b32(data)
    if framed is None:  # not canonical: the standard decoder decides
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
        if len(rest) < 45:
            raise QrError("the device code is truncated")
        count = rest[44]
        if len(rest) != 45 + 32 * count or count > MAX_PROOF:
            raise QrError("the device code's proof is truncated or too long")
        index = int.from_bytes(rest[8:12], "big")
        if index > devices.INDEX_MAX:
            raise QrError(f"the device code's index {index:,} is past any batch")
        proof = [rest[45 + 32 * i : 77 + 32 * i] for i in range(count)]
        batch = int.from_bytes(rest[:8], "big")
        return DevicePayload(chain_id, licensing, batch, index, rest[12:44], proof)
    if len(rest) != 20 + 32 + 32 + 8 + 32 + 65:
        raise QrError("the claim code has the wrong length (truncated or padded)")
    try:
        claim = claims.LicenceClaim(
            holder=_address(rest[:20]),
            licence=int.from_bytes(rest[20:52], "big"),
            subject=rest[52:84],
            expiry=int.from_bytes(rest[84:92], "big"),
            nonce=int.from_bytes(rest[92:124], "big"),
        )
    except InputError as refused:  # a field no claim can hold (an expiry of 0, say)
        raise QrError(f"the claim code cannot hold a claim: {refused}") from None
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
    covers: int | None = None  # a claim's pooled patents licensed now (None for a device)


def judge_device(
    payload: DevicePayload, root: bytes, count: int, proven: bytes | None = None
) -> Verdict:
    """A device code against its batch's root and count on chain (zero: no such batch):
    `Licensing.verify_device`'s answer. `proven`: the root its proof leads to, if the
    caller worked it out already (`devices.root_of`)."""
    if count and payload.index >= count:
        paid = f"the {count:,} devices batch {payload.batch} paid for"
        return Verdict(False, f"position {payload.index:,} is past {paid}", payload)
    if proven is None:
        held = devices.verify(payload.index, payload.serial, payload.proof, root, count)
    else:
        fits = 0 <= payload.index < count and len(payload.proof) == devices.depth(count)
        held = fits and proven == root
    if held:
        return Verdict(True, f"device {payload.index:,} of batch {payload.batch}", payload)
    return Verdict(False, "no licensed batch holds this device", payload)


def judge_claim(
    payload: ClaimPayload,
    facts: claims.Facts,
    signer: bytes | claims.Recover | None = claims.RECOVER,
) -> Verdict:
    """A claim code against the chain's facts about its holder and licence; `signer`:
    the address bytes already recovered from its signature (`claims.recover`), if any."""
    dom = claims.domain(payload.chain_id, payload.licensing)
    verdict = claims.verify(payload.claim, payload.signature, dom, facts, signer)
    return Verdict(verdict.holds, verdict.why, payload, verdict.covers)


def _foreign(payload: Payload, chain_id: int, licensing: str) -> Verdict | None:
    if payload.chain_id != chain_id:
        return Verdict(False, f"the code is for chain {payload.chain_id}, not {chain_id}", payload)
    if payload.licensing.lower() != licensing.lower():
        return Verdict(False, "the code names another Licensing contract", payload)
    return None


def verify(text: str, licensing: Any, chain_id: int) -> Verdict:
    """Decode a scanned payload and check it against a deployed Licensing (ape contract)
    with one chain read: the batch's root, or the claim's facts."""
    payload = decode(text)
    foreign = _foreign(payload, chain_id, str(licensing.address))
    if foreign:
        return foreign
    if isinstance(payload, DevicePayload):
        record = licensing.batches(payload.batch)
        return judge_device(payload, bytes(record.root), int(record.count))
    return judge_claim(payload, claims.read_facts(licensing, payload.claim))


class Verifier:
    """Verifies scanned payloads over a node's JSON-RPC directly (no ape), one
    `eth_call` per code on a kept-alive connection of the gateway's transport: what a phone-facing
    service or a scanner station runs. Same verdicts as `verify`.

    The call is sent as soon as the code is decoded; the device's proof is hashed (or the
    claim's signer recovered) while the node answers, then the answer is read and judged."""

    BATCHES = function_signature_to_4byte_selector("batches(uint256)")
    CLAIM_FACTS = function_signature_to_4byte_selector("claim_facts(address,uint256)")

    def __init__(self, rpc_url: str, chain_id: int, licensing: str, timeout: float = 10) -> None:
        self._rpc = Rpc(rpc_url, timeout=timeout, size=1)
        self.chain_id = chain_id
        self.licensing = str(to_checksum_address(licensing))
        self._licensing_raw = bytes.fromhex(self.licensing[2:])
        self._pending: Pending | None = None

    def close(self) -> None:
        self._rpc.close()

    def _send(self, data: bytes) -> None:
        call = {"to": self.licensing, "data": "0x" + data.hex()}
        self._pending = self._rpc.send("eth_call", [call, "latest"])

    def _receive(self) -> bytes:
        pending, self._pending = self._pending, None
        assert pending is not None, "_receive without _send"
        return bytes.fromhex(str(pending.result())[2:])

    def eth_call(self, data: bytes) -> bytes:
        self._send(data)
        return self._receive()

    def verify(self, text: str) -> Verdict:
        payload = decode(text)
        foreign = _foreign(payload, self.chain_id, self.licensing)
        if foreign:
            return foreign
        if isinstance(payload, DevicePayload):
            self._send(self.BATCHES + payload.batch.to_bytes(32, "big"))
            try:  # while the node reads the batch
                proven = devices.root_of(payload.index, payload.serial, payload.proof)
            finally:
                out = self._receive()
            # Batch(maker, product, root, count, registered_at): the third and fourth words.
            count = int.from_bytes(out[96:128], "big")
            return judge_device(payload, out[64:96], count, proven)
        c = payload.claim
        holder = bytes.fromhex(c.holder[2:])
        self._send(self.CLAIM_FACTS + bytes(12) + holder + c.licence.to_bytes(32, "big"))
        try:  # while the node reads the facts
            dom = claims.domain(payload.chain_id, payload.licensing)
            signer = claims.recover(c, payload.signature, dom)
        finally:
            out = self._receive()
        words = [out[i : i + 32] for i in range(0, len(out) - len(out) % 32, 32)]
        try:
            facts = claims.facts_from_words(words)
        except InputError:
            raise ChainError("Licensing.claim_facts answered too short a result") from None
        return judge_claim(payload, facts, signer)
