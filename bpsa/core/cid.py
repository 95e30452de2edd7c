"""IPFS content identifiers as the suite stores them: files as `ipfs add --cid-version 1`
stores them (UnixFS, raw leaves, 256 KiB chunks: `bpsa.core.unixfs`), CIDv1, base32.

A document's CID is the one the IPFS daemon's `add --cid-version 1` and any pinning
service give for the same bytes: `bafkrei...` (codec raw, the bytes themselves) for a
document of at most 256 KiB, `bafybei...` (codec dag-pb, the root of its tree) above.

The digest rule (what the contracts store, and how it maps back)
-----------------------------------------------------------------
Contracts store a document as one bytes32: the sha2-256 digest of its ROOT BLOCK (the
document's bytes for a one-chunk document, its dag-pb root node otherwise), i.e. the
digest inside its CID (`digest_of`). The codec, which the bytes32 does not carry, is read
off that block (`bpsa.core.unixfs.root_codec`): a dag-pb UnixFS file node with links is
read as dag-pb, anything else as raw. Any IPFS node serves a block by its digest whatever
codec the CID asked with, so whoever holds the digest fetches the block and knows the CID
(`cid_for_block`; the stores' `resolve`). One digest names one block (sha2-256), and one
block one codec, because the stores refuse a one-chunk document whose bytes are themselves
such a file node (`check_document`: no real document is; this is what keeps a second
document from being read under the same digest). No contract changes: documents stored
before files (one raw block of up to 1 MiB, codec raw) keep their digests and read as raw.
"""

from __future__ import annotations

import hashlib
import re

from multiformats import CID

from bpsa.core.errors import InputError
from bpsa.core.unixfs import (
    CHUNK_SIZE,
    DAG_PB,
    RAW,
    FileImporter,
    cid_text,
    is_file_node,
    root_codec,
)

_HEX32 = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")
_CODECS = {"raw": RAW, "dag-pb": DAG_PB}


def check_document(content: bytes) -> None:
    """InputError if `content` cannot be stored as a document: a one-chunk document whose
    bytes are a UnixFS file node would share its digest with the file that node roots."""
    if len(content) <= CHUNK_SIZE and is_file_node(content):
        raise InputError(
            f"the {len(content)} bytes given are an IPFS file's root node (dag-pb UnixFS), "
            f"not a document: store the file it describes instead"
        )


def cid_of(content: bytes) -> str:
    """The CIDv1 (base32) of a document: what `ipfs add --cid-version 1` gives its bytes."""
    check_document(content)
    importer = FileImporter()
    importer.update(content)
    return importer.cid()


def raw_cid_of(content: bytes) -> str:
    """The raw CIDv1 of `content` as one block (how documents were stored before files)."""
    return cid_text(RAW, hashlib.sha256(content).digest())


def digest_of(cid_or_hex: str) -> bytes:
    """The 32-byte sha2-256 digest of a CID (v0 or v1, raw or dag-pb), or a 0x-hex digest as
    given: what a contract stores for the document."""
    text = cid_or_hex.strip()
    if _HEX32.match(text):
        return bytes.fromhex(text.removeprefix("0x"))
    try:
        cid = CID.decode(text)
    except Exception as exc:
        raise InputError(
            f"{cid_or_hex!r} is neither a CID nor a 32-byte hex digest ({exc})"
        ) from None
    if cid.hashfun.name != "sha2-256":
        raise InputError(f"CID {cid_or_hex!r} uses {cid.hashfun.name}; only sha2-256 is stored")
    if cid.codec.name not in _CODECS:
        raise InputError(
            f"CID {cid_or_hex!r} has codec {cid.codec.name}; documents are raw or dag-pb"
        )
    return bytes(cid.raw_digest)


def cid_from_digest(digest: bytes, codec: str = "raw") -> str:
    """The CIDv1 string for a stored sha2-256 digest read with `codec` ("raw" or "dag-pb";
    which one a digest needs is read off its block: `cid_for_block`)."""
    if len(digest) != 32:
        raise InputError(f"a sha2-256 digest is 32 bytes, got {len(digest)}")
    if codec not in _CODECS:
        raise InputError(f"codec {codec!r} is not a document's codec (raw or dag-pb)")
    return cid_text(_CODECS[codec], digest)


def cid_for_block(block: bytes) -> str:
    """The CID of a document whose root block is `block` (the digest rule above)."""
    return cid_from_digest(hashlib.sha256(block).digest(), root_codec(block))
