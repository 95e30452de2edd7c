"""IPFS content identifiers as the suite stores them: CIDv1, raw codec (one block), base32.

Contracts store a CID's sha2-256 digest as bytes32; this module turns content into
a CID, a CID into that digest, and a digest back into the CID string.
"""

from __future__ import annotations

import re

from multiformats import CID, multihash

from bpsa.core.errors import InputError

# A document is stored as ONE raw IPFS block (`block/put`, raw codec, sha2-256), never
# through `ipfs add`, which chunks files into 256 KiB leaves under a dag-pb root whose
# CID depends on the chunker and layout. A single raw block's CID is the multihash of
# the bytes themselves, so pure Python computes exactly what any daemon returns. 1 MiB
# is the largest block IPFS implementations accept and exchange by default (Kubo's
# `block put` refuses bigger blocks without --allow-big-block; bitswap peers drop them).
MAX_BLOCK_SIZE = 1_048_576
_HEX32 = re.compile(r"^(0x)?[0-9a-fA-F]{64}$")


def cid_of(content: bytes) -> str:
    """The CIDv1 (raw codec, sha2-256, base32) of content stored as one raw block (<= 1 MiB).

    For content up to 256 KiB this also equals `ipfs add --raw-leaves --cid-version 1`;
    above that `ipfs add` builds a DAG with another CID, so fetch by `block/get`.
    """
    if len(content) > MAX_BLOCK_SIZE:
        raise InputError(
            f"content is {len(content)} bytes; a document is stored as one raw IPFS block "
            f"of at most {MAX_BLOCK_SIZE} bytes (1 MiB)"
        )
    return str(CID("base32", 1, "raw", multihash.digest(content, "sha2-256")))


def digest_of(cid_or_hex: str) -> bytes:
    """The 32-byte sha2-256 digest of a CID (v0 or v1), or a 0x-hex digest as given."""
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
    return bytes(cid.raw_digest)


def cid_from_digest(digest: bytes, codec: str = "raw") -> str:
    """The CIDv1 string for a stored sha2-256 digest."""
    if len(digest) != 32:
        raise InputError(f"a sha2-256 digest is 32 bytes, got {len(digest)}")
    return str(CID("base32", 1, codec, multihash.wrap(digest, "sha2-256")))
