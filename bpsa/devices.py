"""Device serials and production batches, as `Licensing.register_batch` and
`Licensing.verify_device` take them. Pure: no chain.

A serial is the keccak256 of its text (so any maker's serial format fits a bytes32);
a batch's leaf is keccak256(keccak256(serial)); pairs hash sorted, odd nodes promoted
(the same tree as certificate batches, `bpsa.certificates.MerkleTree`).
"""

from __future__ import annotations

from collections.abc import Sequence

from eth_utils.crypto import keccak

from bpsa.certificates import MerkleTree
from bpsa.errors import InputError

SERIAL_MAX_LENGTH = 64


def serial_id(text: str) -> bytes:
    """The bytes32 a device's serial text stands for on chain."""
    if not text or len(text) > SERIAL_MAX_LENGTH or not text.isprintable():
        raise InputError(f"serial {text!r} must be 1 to {SERIAL_MAX_LENGTH} printable characters")
    return keccak(text.encode())


def product_id(text: str) -> bytes:
    """The bytes32 id of a product (its model number's keccak256)."""
    if not text or not text.isprintable():
        raise InputError(f"product {text!r} must be printable text")
    return keccak(text.encode())


def serials(product: str, count: int, start: int = 0) -> list[bytes]:
    """`count` serial ids `<product>-<n>` (sample serials for demos and benchmarks)."""
    return [serial_id(f"{product}-{n:09d}") for n in range(start, start + count)]


def leaf(serial: bytes) -> bytes:
    if len(serial) != 32:
        raise InputError(f"a serial id is 32 bytes, got {len(serial)}")
    return keccak(keccak(serial))


class DeviceTree:
    """The Merkle tree of a production batch."""

    def __init__(self, serial_ids: Sequence[bytes]) -> None:
        self._tree = MerkleTree([leaf(s) for s in serial_ids])

    @property
    def root(self) -> bytes:
        return self._tree.root

    def __len__(self) -> int:
        return len(self._tree)

    def proof(self, serial: bytes) -> list[bytes]:
        try:
            return self._tree.proof(leaf(serial))
        except InputError:
            raise InputError(f"serial 0x{serial.hex()} is not in this batch") from None
