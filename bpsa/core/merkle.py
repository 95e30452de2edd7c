"""The sorted-pair Merkle tree that batches of signed items share (OpenZeppelin's
`MerkleProof` convention): a pair is hashed smaller first, so a proof is the list of
siblings alone, with no left/right flags; an odd node at the end of a level is carried up
as it is. The hub's receipt batches use it (checked off chain:
`bpsa.sidechains.messages`); certificate batches use the complete tree of
`bpsa.core.certificates`, which also has multi-proofs, with the same `hash_pair`.
Pure: no chain."""

from __future__ import annotations

from collections.abc import Sequence

from bpsa.core.eip712 import keccak  # libkeccak: the hub builds a tree per batch
from bpsa.core.errors import InputError


def hash_pair(a: bytes, b: bytes) -> bytes:
    return keccak(a + b) if a < b else keccak(b + a)


class MerkleTree:
    """A tree over distinct 32-byte leaves, in any order (sorted first, so the same set
    gives the same root). `item` names what a leaf stands for, in errors."""

    def __init__(self, leaves: Sequence[bytes], item: str = "item") -> None:
        if not leaves:
            raise InputError(f"a batch needs at least one {item}")
        level = sorted(leaves)
        self._index = {leaf: i for i, leaf in enumerate(level)}
        if len(self._index) != len(level):
            raise InputError(f"a batch holds the same {item} twice")
        self._levels = [level]
        while len(level) > 1:
            nxt = [hash_pair(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
            if len(level) % 2:
                nxt.append(level[-1])
            self._levels.append(nxt)
            level = nxt

    @property
    def root(self) -> bytes:
        return self._levels[-1][0]

    def __len__(self) -> int:
        return len(self._levels[0])

    def proof(self, leaf: bytes) -> list[bytes]:
        """The siblings from `leaf` up to the root."""
        if leaf not in self._index:
            raise InputError("that item is not in this batch")
        i = self._index[leaf]
        out = []
        for level in self._levels[:-1]:
            sibling = i ^ 1
            if sibling < len(level):
                out.append(level[sibling])
            i //= 2
        return out


def root_of(leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root that `proof` (siblings, leaf upwards) leads to from `leaf`."""
    node = leaf
    for sibling in proof:
        node = hash_pair(node, sibling)
    return node


def verify(proof: Sequence[bytes], root: bytes, leaf: bytes) -> bool:
    return root_of(leaf, proof) == root
