"""Licensing for licensees and verifiers, in one import: device batches, licence claims
and their QR codes. The pieces live in `bpsa.devices` (serials, positional batch trees),
`bpsa.claims` (EIP-712 licence claims, off-chain verification) and `bpsa.qr` (the QR
payload format, images, verification against the chain)."""

from bpsa.claims import ClaimVerdict, Facts, LicenceClaim, read_facts, sign
from bpsa.claims import verify as verify_claim
from bpsa.devices import DeviceTree, product_id, serial_id, serials
from bpsa.qr import (
    ClaimPayload,
    DevicePayload,
    QrError,
    Verdict,
    Verifier,
    decode,
    encode,
    render,
    verify,
)

__all__ = [
    "ClaimPayload",
    "ClaimVerdict",
    "DevicePayload",
    "DeviceTree",
    "Facts",
    "LicenceClaim",
    "QrError",
    "Verdict",
    "Verifier",
    "decode",
    "encode",
    "product_id",
    "read_facts",
    "render",
    "serial_id",
    "serials",
    "sign",
    "verify",
    "verify_claim",
]
