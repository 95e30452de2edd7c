"""The log of a pool's pooled set (contracts/Coverage.vy), mirrored in pure Python.

Every change of the pooled set is one leaf of an append-only Merkle tree: a patent
entering the pool or leaving it. The tree is the Ethereum deposit contract's incremental
tree of depth 24 with keccak256 for sha256 and no size mixed into the root; an interior
node is keccak(left ++ right), in order (unlike `bpsa.core.merkle`'s sorted pairs: here a
proof must bind the leaf's index), and a leaf is keccak(abi_encode(patent, stay, entering,
at)), where `stay` is the index of the stay's entry leaf (an entry names itself, an exit
the entry it ends).

A BPR records the log's size S when it was issued: the patents it covered on its date are
the replay of the first S leaves, and `root_at(S)` commits to them. A patent was covered
when the entry leaf of one of its stays is at an index under S and that stay's exit leaf,
if any, is at S or later. `CoverageProof` carries what a licensee keeps: the entry leaf
and its proof against root_at(S), and, once the stay ended, the exit leaf and its proof
against a later root. Pure: no chain."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import encode

from bpsa.core.eip712 import keccak
from bpsa.core.errors import CoverageError, InputError

DEPTH = 24
CAPACITY = 2**DEPTH - 1  # the deposit contract's bound: the last leaf would break the root
EMPTY = b"\x00" * 32


def _zero_hashes() -> list[bytes]:
    zeros = [EMPTY]
    for _ in range(DEPTH):
        zeros.append(keccak(zeros[-1] + zeros[-1]))
    return zeros


ZERO_HASHES = _zero_hashes()  # ZERO_HASHES[h]: the root of an empty subtree of height h


def leaf_hash(patent: bytes, stay: int, entering: bool, at: int) -> bytes:
    """Coverage.leaf_hash: keccak256(abi_encode(patent, stay, entering, at))."""
    return keccak(encode(["bytes32", "uint256", "bool", "uint256"], [patent, stay, entering, at]))


def root_of(leaf: bytes, index: int, proof: Sequence[bytes]) -> bytes:
    """The root that `proof` (a sibling per height, leaf upwards) leads to from `leaf` at
    `index`."""
    if len(proof) != DEPTH:
        raise InputError(f"a coverage proof has {DEPTH} siblings, got {len(proof)}")
    node = leaf
    for h, sibling in enumerate(proof):
        node = keccak(sibling + node) if (index >> h) & 1 else keccak(node + sibling)
    return node


@dataclass(frozen=True)
class Change:
    """One leaf of the log: `patent` entered (`entering`) or left the pool at `at`."""

    index: int
    patent: bytes
    stay: int
    entering: bool
    at: int

    @property
    def leaf(self) -> bytes:
        return leaf_hash(self.patent, self.stay, self.entering, self.at)


class CoverageLog:
    """The whole log, in order, as the chain's `CoverageLogged` events give it. Keeps every
    complete subtree it computed (they never change), so it proves any leaf against any
    root the log has had."""

    def __init__(self, changes: Iterable[Change] = ()) -> None:
        self.changes: list[Change] = []
        self._full_nodes: dict[tuple[int, int], bytes] = {}  # complete subtrees never change
        self._stays: dict[bytes, int] = {}  # patent -> its open stay's entry index
        self._exits: dict[int, int] = {}  # entry index -> exit index
        for change in changes:
            self.append(change)

    def __len__(self) -> int:
        return len(self.changes)

    def append(self, change: Change) -> None:
        """Adds the next leaf, checking it follows the contract's rules."""
        if change.index != len(self.changes):
            raise InputError(f"log leaf {change.index} arrived when {len(self.changes)} was next")
        if len(self.changes) >= CAPACITY:
            raise InputError("the coverage log is full")
        if change.entering:
            if change.stay != change.index or change.patent in self._stays:
                raise InputError(f"log leaf {change.index}: an entry of a patent already pooled")
            self._stays[change.patent] = change.index
        else:
            if self._stays.get(change.patent) != change.stay:
                raise InputError(f"log leaf {change.index}: an exit of a stay that is not open")
            del self._stays[change.patent]
            self._exits[change.stay] = change.index
        self.changes.append(change)

    def root_at(self, size: int) -> bytes:
        """The root of the first `size` leaves (Coverage.root_at)."""
        if not 0 <= size <= len(self.changes):
            raise InputError(f"the log has {len(self.changes)} leaves, not {size}")
        node = EMPTY
        for h in range(DEPTH):
            if (size >> h) & 1:
                node = keccak(self._subtree(h, (size >> h) - 1, size) + node)
            else:
                node = keccak(node + ZERO_HASHES[h])
        return node

    def _subtree(self, height: int, index: int, size: int) -> bytes:
        """The node at (`height`, `index`) in the tree of the first `size` leaves."""
        if index << height >= size:
            return ZERO_HASHES[height]
        if (index + 1) << height <= size:
            if height == 0:
                return self.changes[index].leaf
            return self._full(height, index)
        left = self._subtree(height - 1, 2 * index, size)
        right = self._subtree(height - 1, 2 * index + 1, size)
        return keccak(left + right)

    def _full(self, height: int, index: int) -> bytes:
        """A node whose leaves are all appended: the same in every later tree."""
        if height == 0:
            return self.changes[index].leaf
        node = self._full_nodes.get((height, index))
        if node is None:
            left, right = self._full(height - 1, 2 * index), self._full(height - 1, 2 * index + 1)
            node = self._full_nodes[(height, index)] = keccak(left + right)
        return node

    def proof(self, index: int, size: int) -> list[bytes]:
        """The siblings of leaf `index` in the tree of the first `size` leaves."""
        if not 0 <= index < size <= len(self.changes):
            raise InputError(f"leaf {index} is not among the log's first {size} leaves")
        return [self._subtree(h, (index >> h) ^ 1, size) for h in range(DEPTH)]

    def pooled_at(self, size: int) -> list[Change]:
        """The entry leaves of the stays open after the first `size` leaves: the pooled set
        a BPR with that snapshot covered, in the order the patents entered."""
        if not 0 <= size <= len(self.changes):
            raise InputError(f"the log has {len(self.changes)} leaves, not {size}")
        open_: dict[bytes, Change] = {}
        for change in self.changes[:size]:
            if change.entering:
                open_[change.patent] = change
            else:
                open_.pop(change.patent, None)
        return sorted(open_.values(), key=lambda c: c.index)

    def exit_of(self, entry: int) -> int | None:
        """The index of the exit leaf that ended the stay entered at `entry`, if any."""
        return self._exits.get(entry)

    def prove(self, size: int, patent: bytes) -> CoverageProof:
        """The proof that `patent` was in the pooled set of the first `size` leaves; raises
        NotCovered naming why not."""
        stay = next((c for c in self.pooled_at(size) if c.patent == patent), None)
        if stay is None:
            ever = [c for c in self.changes if c.patent == patent and c.entering]
            if not ever:
                raise NotCovered("the patent was never pooled")
            if all(c.index >= size for c in ever):
                raise NotCovered("the patent was pooled only after the snapshot")
            raise NotCovered("the patent had left the pool before the snapshot")
        exit_index = self.exit_of(stay.index)
        exit_change = None if exit_index is None else self.changes[exit_index]
        return CoverageProof(
            size=size,
            root=self.root_at(size),
            patent=patent,
            entry=stay.index,
            entered_at=stay.at,
            entry_proof=tuple(self.proof(stay.index, size)),
            exit=exit_index,
            left_at=None if exit_change is None else exit_change.at,
            exit_size=None if exit_index is None else exit_index + 1,
            exit_root=None if exit_index is None else self.root_at(exit_index + 1),
            exit_proof=None
            if exit_index is None
            else tuple(self.proof(exit_index, exit_index + 1)),
        )


class NotCovered(CoverageError):
    """A patent was not in a snapshot's pooled set (the reason says why)."""


@dataclass(frozen=True)
class CoverageProof:
    """What a licensee keeps to show that `patent` was covered by a BPR whose snapshot is
    the log's first `size` leaves (root `root`): the entry leaf of its stay (index `entry`,
    at `entered_at`) and its proof against that root; once the stay ended, its exit leaf
    (index `exit`, at `left_at`, at `size` or later) and its proof against the root of
    `exit_size` leaves. While the stay lasts the chain answers for its end
    (Coverage.exit_of, or Licensing.covers for a current holder)."""

    size: int
    root: bytes
    patent: bytes
    entry: int
    entered_at: int
    entry_proof: tuple[bytes, ...]
    exit: int | None = None
    left_at: int | None = None
    exit_size: int | None = None
    exit_root: bytes | None = None
    exit_proof: tuple[bytes, ...] | None = None

    def to_json(self) -> dict[str, Any]:
        def hexes(items: Sequence[bytes] | None) -> list[str] | None:
            return None if items is None else ["0x" + b.hex() for b in items]

        return {
            "size": self.size,
            "root": "0x" + self.root.hex(),
            "patent": "0x" + self.patent.hex(),
            "entry": self.entry,
            "entered_at": self.entered_at,
            "entry_proof": hexes(self.entry_proof),
            "exit": self.exit,
            "left_at": self.left_at,
            "exit_size": self.exit_size,
            "exit_root": None if self.exit_root is None else "0x" + self.exit_root.hex(),
            "exit_proof": hexes(self.exit_proof),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CoverageProof:
        def word(value: Any, what: str) -> bytes:
            try:
                raw = bytes.fromhex(str(value).removeprefix("0x"))
            except ValueError:
                raise InputError(f"coverage proof: {what} is not hex") from None
            if len(raw) != 32:
                raise InputError(f"coverage proof: {what} is not 32 bytes")
            return raw

        def words(values: Any, what: str) -> tuple[bytes, ...] | None:
            if values is None:
                return None
            if not isinstance(values, list) or len(values) != DEPTH:
                raise InputError(f"coverage proof: {what} must list {DEPTH} siblings")
            return tuple(word(v, what) for v in values)

        def number(value: Any, what: str, optional: bool = False) -> int | None:
            if value is None and optional:
                return None
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise InputError(f"coverage proof: {what} must be a non-negative integer")
            return value

        try:
            entry_proof = words(data["entry_proof"], "entry_proof")
            if entry_proof is None:
                raise InputError("coverage proof: entry_proof is missing")
            return cls(
                size=number(data["size"], "size") or 0,
                root=word(data["root"], "root"),
                patent=word(data["patent"], "patent"),
                entry=number(data["entry"], "entry") or 0,
                entered_at=number(data["entered_at"], "entered_at") or 0,
                entry_proof=entry_proof,
                exit=number(data.get("exit"), "exit", True),
                left_at=number(data.get("left_at"), "left_at", True),
                exit_size=number(data.get("exit_size"), "exit_size", True),
                exit_root=None
                if data.get("exit_root") is None
                else word(data["exit_root"], "exit_root"),
                exit_proof=words(data.get("exit_proof"), "exit_proof"),
            )
        except KeyError as exc:
            raise InputError(f"coverage proof: {exc.args[0]} is missing") from None


def verify(proof: CoverageProof, root: bytes | None = None, exit_root: bytes | None = None) -> bool:
    """Checks `proof` off chain: its entry leaf is under its snapshot's size and leads to its
    root, and, when it names the stay's exit, that exit leaf (at the snapshot's size or
    later, ending that very stay) leads to its exit root. `root` and `exit_root`, when given
    (read from the chain or the BPR's record), must be the roots the proof uses; without them
    the proof is only as good as the roots it carries. A proof without an exit says the stay
    had not ended when the proof was made: the chain (Coverage.exit_of) answers since."""
    if root is not None and proof.root != root:
        return False
    if not 0 <= proof.entry < proof.size:
        return False
    entry_leaf = leaf_hash(proof.patent, proof.entry, True, proof.entered_at)
    if root_of(entry_leaf, proof.entry, proof.entry_proof) != proof.root:
        return False
    if proof.exit is None:
        return proof.exit_proof is None and proof.exit_root is None
    if proof.exit_proof is None or proof.exit_root is None or proof.exit_size is None:
        return False
    if exit_root is not None and proof.exit_root != exit_root:
        return False
    if not proof.size <= proof.exit < proof.exit_size or proof.left_at is None:
        return False
    exit_leaf = leaf_hash(proof.patent, proof.entry, False, proof.left_at)
    return root_of(exit_leaf, proof.exit, proof.exit_proof) == proof.exit_root
