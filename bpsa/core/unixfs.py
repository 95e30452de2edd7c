"""Files as `ipfs add --cid-version 1` stores them (UnixFS), computed in pure Python.

The layout is the daemons' default for CIDv1 (js-ipfs 0.66 and Kubo alike; checked against
the js-ipfs daemon's `/api/v0/add?cid-version=1` in tests/python/test_cid_unixfs.py):

- fixed chunks of 256 KiB (`size-262144`), each stored as a raw leaf (codec raw);
- a file of one chunk (up to 256 KiB, the empty file included) IS its raw leaf: its CID is
  the raw CID of its bytes;
- a longer file is a balanced tree of dag-pb nodes of at most 174 links: the leaves are
  taken 174 at a time under a parent, the parents 174 at a time, and so on until one node
  is left, the root. Each dag-pb node holds a UnixFS `Data` (Type File, `filesize`, one
  `blocksizes` entry per link) and its links (the child's CID, an empty name and `Tsize`:
  the child's block plus everything under it).

No library on PyPI does this and is kept up (judged in issue 17: `ipfs-cid` only hashes one
raw block, `py-ipfs-cid` gives CIDv0 only, `libipld` has no dag-pb encoder), so the two
protobuf messages are written by hand here: dag-pb's PBNode/PBLink in their canonical form
(links first, fields in order) and UnixFS's Data, nothing else.

`FileImporter` takes the bytes in pieces of any size and keeps at most one chunk and the
links of the unfinished nodes (a few KiB per level), so a file of any size is hashed in
constant memory. `root_codec(block)` tells which codec a block must be read with (the
rule that maps a 32-byte on-chain digest back to one CID: see `bpsa.core.cid`).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from bpsa.core.errors import InputError

CHUNK_SIZE: Final = 262_144  # the daemons' default chunker, size-262144
MAX_LINKS: Final = 174  # the daemons' default for a balanced layout's node
RAW: Final = 0x55
DAG_PB: Final = 0x70
_SHA2_256: Final = b"\x12\x20"  # multihash: sha2-256, 32 bytes
_UNIXFS_FILE: Final = 2
_LINK_FIELDS: Final = [(1, 2), (2, 2), (3, 0)]  # PBLink: Hash, Name, Tsize

Codec = Literal["raw", "dag-pb"]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def cid_bytes(codec: int, digest: bytes) -> bytes:
    """The binary CIDv1 (codec, sha2-256 `digest`)."""
    return b"\x01" + _varint(codec) + _SHA2_256 + digest


def cid_text(codec: int, digest: bytes) -> str:
    """The base32 CIDv1 text of (codec, sha2-256 digest)."""
    return "b" + base64.b32encode(cid_bytes(codec, digest)).decode().lower().rstrip("=")


@dataclass(frozen=True)
class Node:
    """A block of the file's tree: its CID's codec and digest, the bytes of the file
    under it (`file_size`) and `tsize` (its block plus every block under it)."""

    codec: int
    digest: bytes
    file_size: int
    tsize: int


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def encode_file_node(children: list[Node]) -> bytes:
    """The dag-pb block of a UnixFS file node linking `children`, byte for byte as the
    daemons write it: PBLink{Hash, Name "", Tsize} for each child, then PBNode.Data =
    UnixFS Data{Type File, filesize, blocksizes...}."""
    links = b"".join(
        _field(
            2, _field(1, cid_bytes(c.codec, c.digest)) + b"\x12\x00" + b"\x18" + _varint(c.tsize)
        )
        for c in children
    )
    data = b"\x08" + _varint(_UNIXFS_FILE)
    data += b"\x18" + _varint(sum(c.file_size for c in children))
    data += b"".join(b"\x20" + _varint(c.file_size) for c in children)
    return links + _field(1, data)


@dataclass
class FileImporter:
    """Hashes a file as the daemons' `add --cid-version 1` does, fed in pieces.

    importer = FileImporter()
    for piece in pieces:
        importer.update(piece)
    cid_text = importer.cid()  # base32 CIDv1; `root()` gives the root's Node
    """

    size: int = 0
    _chunk: bytearray = field(default_factory=bytearray, repr=False)
    _levels: list[list[Node]] = field(default_factory=lambda: [[]], repr=False)
    _leaves: int = field(default=0, repr=False)
    _root: Node | None = field(default=None, repr=False)
    _root_block: bytes | None = field(default=None, repr=False)

    def update(self, data: bytes | bytearray | memoryview) -> None:
        if self._root is not None:
            raise InputError("this file's CID is already computed; start a new FileImporter")
        view = memoryview(data)
        self.size += len(view)
        while len(view):
            take = min(CHUNK_SIZE - len(self._chunk), len(view))
            self._chunk += view[:take]
            view = view[take:]
            if len(self._chunk) == CHUNK_SIZE:
                self._leaf(bytes(self._chunk))
                self._chunk.clear()

    def _leaf(self, chunk: bytes) -> None:
        self._leaves += 1
        self._push(0, Node(RAW, hashlib.sha256(chunk).digest(), len(chunk), len(chunk)))

    def _push(self, level: int, node: Node) -> None:
        if level == len(self._levels):
            self._levels.append([])
        pending = self._levels[level]
        pending.append(node)
        if len(pending) == MAX_LINKS:
            self._push(level + 1, self._parent(pending))
            pending.clear()

    def _parent(self, children: list[Node]) -> Node:
        block = encode_file_node(children)
        self._root_block = block
        tsize = len(block) + sum(c.tsize for c in children)
        return Node(
            DAG_PB, hashlib.sha256(block).digest(), sum(c.file_size for c in children), tsize
        )

    def root(self) -> Node:
        """The root node (computed once the whole file has been fed)."""
        if self._root is None:
            if self._chunk or self._leaves == 0:  # the last (or only, maybe empty) chunk
                self._leaf(bytes(self._chunk))
                self._chunk.clear()
            if self._leaves == 1:  # one chunk: the file is its raw leaf
                self._root = self._levels[0][0]
                self._root_block = None
            else:
                self._root = self._close()
        return self._root

    def _close(self) -> Node:
        """Closes each level's unfinished node, bottom up, until one node is left."""
        level = 0
        while True:
            pending = self._levels[level]
            top = level == len(self._levels) - 1
            if top and len(pending) == 1:
                return pending[0]
            if pending:  # even a single node gets a parent below the top (as the daemons do)
                parent = self._parent(list(pending))
                pending.clear()
                if top:
                    self._levels.append([])
                self._levels[level + 1].append(parent)
            level += 1

    def root_block(self) -> bytes | None:
        """The root's dag-pb block, or None when the file is a single raw leaf."""
        self.root()
        return self._root_block

    def cid(self) -> str:
        node = self.root()
        return cid_text(node.codec, node.digest)


def file_cid(data: bytes | bytearray | memoryview | Iterable[bytes]) -> str:
    """The CIDv1 (base32) that `ipfs add --cid-version 1` gives `data` (bytes, or pieces)."""
    importer = FileImporter()
    for piece in [data] if isinstance(data, bytes | bytearray | memoryview) else data:
        importer.update(piece)
    return importer.cid()


def _read_varint(block: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        if at >= len(block) or shift > 63:
            raise ValueError("truncated or overlong varint")
        byte = block[at]
        value |= (byte & 0x7F) << shift
        at += 1
        shift += 7
        if not byte & 0x80:
            return value, at


def _fields(message: bytes) -> list[tuple[int, int, bytes | int]]:
    """(field number, wire type, value) of a protobuf message; ValueError if malformed."""
    out: list[tuple[int, int, bytes | int]] = []
    at = 0
    while at < len(message):
        key, at = _read_varint(message, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = _read_varint(message, at)
            out.append((number, wire, value))
        elif wire == 2:
            length, at = _read_varint(message, at)
            if at + length > len(message):
                raise ValueError("length past the end")
            out.append((number, wire, message[at : at + length]))
            at += length
        else:
            raise ValueError(f"wire type {wire}")
    return out


def is_file_node(block: bytes) -> bool:
    """Whether `block` is a dag-pb UnixFS file node with links, in dag-pb's canonical form
    (links then data; each link a 36-byte sha2-256 CIDv1, then its name and Tsize if
    given; UnixFS Data of Type File, `filesize`, one `blocksizes` entry per link adding up
    to `filesize`): what the daemons write as a file's root."""
    try:
        fields = _fields(block)
        if not fields or fields[-1][:2] != (1, 2) or len(fields) < 2:
            return False
        links, data = fields[:-1], fields[-1][2]
        if any(f[:2] != (2, 2) for f in links):
            return False
        for link in links:
            parts = _fields(link[2])  # type: ignore[arg-type]
            kinds = [p[:2] for p in parts]  # Hash, then Name and Tsize if present
            if kinds not in ([(1, 2)], [(1, 2), (2, 2)], [(1, 2), (3, 0)], _LINK_FIELDS):
                return False
            hash_ = parts[0][2]
            if not isinstance(hash_, bytes) or len(hash_) != 36 or hash_[0] != 1:
                return False
            if hash_[1] not in (RAW, DAG_PB) or hash_[2:4] != _SHA2_256:
                return False
        unixfs = _fields(data)  # type: ignore[arg-type]
        if not unixfs or unixfs[0] != (1, 0, _UNIXFS_FILE):
            return False
        if len(unixfs) < 2 or unixfs[1][:2] != (3, 0):
            return False
        sizes = [f[2] for f in unixfs[2:] if f[:2] == (4, 0)]
        if len(sizes) != len(unixfs) - 2 or len(sizes) != len(links):
            return False
        return sum(sizes) == unixfs[1][2]  # type: ignore[arg-type]
    except ValueError:
        return False


def file_size(block: bytes) -> int:
    """The `filesize` a UnixFS file node records (ValueError if `block` is not one)."""
    if not is_file_node(block):
        raise ValueError("not a UnixFS file node")
    data = _fields(block)[-1][2]
    size = _fields(data)[1][2]  # type: ignore[arg-type]
    assert isinstance(size, int)  # dev: is_file_node checked the field's type
    return size


def root_codec(block: bytes) -> Codec:
    """The codec a document's root block is read with: dag-pb for a UnixFS file node with
    links (`is_file_node`), raw for anything else (a one-chunk file, or a document the
    store kept as one raw block before files)."""
    return "dag-pb" if is_file_node(block) else "raw"
