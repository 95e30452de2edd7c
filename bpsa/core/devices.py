"""Device serials and production batches, as `Licensing.register_batch` and
`Licensing.verify_device` take them. Pure: no chain.

A serial is the keccak256 of its text (so any maker's serial format fits a bytes32).
A batch's tree is positional: the device at position `index` (its place in the batch,
0 to count - 1) has the leaf keccak256(keccak256(index as 32 bytes || serial)); a pair
hashes left then right; a level of odd length pairs its last node with 32 zero bytes.
A proof is the siblings from the leaf up, exactly as many as the tree of `count` leaves
is deep, and the index says at each level which side the node is on. The chain accepts
only indices below the count a maker paid for, so a batch licenses at most its count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bpsa.core.eip712 import keccak as _keccak
from bpsa.core.errors import InputError
from bpsa.core.progress import Bar, progress

SERIAL_MAX_LENGTH = 64
INDEX_MAX = 10**9 - 1  # Licensing.BATCH_MAX devices a batch
ZERO = bytes(32)
CHUNK = 8192  # hashes between two reports to a progress bar
BAR_FROM = 100_000  # hashes: a batch of about 20,000 devices or more shows a bar


def serial_id(text: str) -> bytes:
    """The bytes32 a device's serial text stands for on chain."""
    if not text or len(text) > SERIAL_MAX_LENGTH or not text.isprintable():
        raise InputError(f"serial {text!r} must be 1 to {SERIAL_MAX_LENGTH} printable characters")
    return _keccak(text.encode())


def product_id(text: str) -> bytes:
    """The bytes32 id of a product (its model number's keccak256)."""
    if not text or not text.isprintable():
        raise InputError(f"product {text!r} must be printable text")
    return _keccak(text.encode())


def serials(product: str, count: int, start: int = 0) -> list[bytes]:
    """`count` serial ids `<product>-<n>` (sample serials for demos and benchmarks)."""
    return [serial_id(f"{product}-{n:09d}") for n in range(start, start + count)]


def tree_work(count: int) -> int:
    """How many hashes the tree of `count` devices takes: its leaves and inner nodes."""
    work, level = count, count
    while level > 1:
        level = (level + 1) // 2
        work += level
    return work


def batch_tree(texts: Sequence[str], description: str = "building the batch") -> DeviceTree:
    """The tree of a batch of serial texts (each hashed to its id, in order), with a bar of
    the hashes on a terminal when the batch is large (`bpsa.core.progress`)."""
    total = len(texts) + tree_work(len(texts))
    with progress(description, total, unit="hashes", min_total=BAR_FROM) as bar:
        ids: list[bytes] = []
        for start in range(0, len(texts), CHUNK):
            ids += [serial_id(t) for t in texts[start : start + CHUNK]]
            bar.advance(len(ids) - start)
        return DeviceTree(ids, bar)


def _check_index(index: int) -> int:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= INDEX_MAX:
        raise InputError(f"a device's index is a whole number from 0 to {INDEX_MAX:,}")
    return index


def leaf(index: int, serial: bytes) -> bytes:
    """The leaf of the device `serial` at position `index` of its batch."""
    if len(serial) != 32:
        raise InputError(f"a serial id is 32 bytes, got {len(serial)}")
    return _keccak(_keccak(_check_index(index).to_bytes(32, "big") + serial))


def depth(count: int) -> int:
    """How deep a tree of `count` leaves is: the length of each of its proofs."""
    return (count - 1).bit_length() if count > 0 else 0


def root_of(index: int, serial: bytes, proof: Sequence[bytes]) -> bytes:
    """The root a device's proof leads to (`verify_device` compares it with the batch's)."""
    node, position = leaf(index, serial), index
    for sibling in proof:
        node = _keccak(node + sibling) if position & 1 == 0 else _keccak(sibling + node)
        position >>= 1
    return node


def verify(index: int, serial: bytes, proof: Sequence[bytes], root: bytes, count: int) -> bool:
    """`Licensing.verify_device`'s answer for a batch of `count` devices under `root`."""
    if not 0 <= index < count or len(proof) != depth(count):
        return False
    return root_of(index, serial, proof) == root


@dataclass(frozen=True)
class BatchRecord:
    """A registered batch as `Licensing.batches(id)` answers it (zero everywhere when
    there is no such batch): read by the SDK's desk and the query API alike."""

    batch: int
    maker: str
    product: bytes
    root: bytes
    count: int
    registered_at: int
    agreement: bytes = bytes(32)  # the device agreement's digest in force then (empty: none)


class DeviceTree:
    """The positional Merkle tree of a production batch, in the order of its serials."""

    def __init__(self, serial_ids: Sequence[bytes], bar: Bar | None = None) -> None:
        """`bar`, if given, is advanced by each hash (`tree_work(len(serial_ids))` in all)."""
        bar = bar or Bar()
        if not serial_ids:
            raise InputError("a batch holds at least one device")
        if len(serial_ids) > INDEX_MAX + 1:
            raise InputError(f"a batch holds at most {INDEX_MAX + 1:,} devices")
        self._position = {s: i for i, s in enumerate(serial_ids)}
        if len(self._position) != len(serial_ids):
            raise InputError("a batch lists the same serial twice")
        level: list[bytes] = []
        for start in range(0, len(serial_ids), CHUNK):
            part = serial_ids[start : start + CHUNK]
            level += [leaf(i, s) for i, s in enumerate(part, start)]
            bar.advance(len(part))
        self._levels = [level]
        while len(level) > 1:
            if len(level) % 2:
                level = [*level, ZERO]
            upper: list[bytes] = []
            for start in range(0, len(level), 2 * CHUNK):
                upper += [
                    _keccak(level[i] + level[i + 1])
                    for i in range(start, min(start + 2 * CHUNK, len(level)), 2)
                ]
                bar.advance(len(upper) - start // 2)
            level = upper
            self._levels.append(level)

    @property
    def root(self) -> bytes:
        return self._levels[-1][0]

    def __len__(self) -> int:
        return len(self._levels[0])

    def index(self, serial: bytes) -> int:
        """The serial's position in the batch."""
        try:
            return self._position[serial]
        except KeyError:
            raise InputError(f"serial 0x{serial.hex()} is not in this batch") from None

    def proof(self, serial: bytes) -> list[bytes]:
        """The siblings from the serial's leaf up to the root."""
        position, out = self.index(serial), []
        for level in self._levels[:-1]:
            sibling = position ^ 1
            out.append(level[sibling] if sibling < len(level) else ZERO)
            position >>= 1
        return out
