"""Documents as IPFS files, in pure Python (`bpsa.core.unixfs`, `bpsa.core.cid`).

The expected CIDs are what the js-ipfs 0.66 daemon's `/api/v0/add?cid-version=1` answered
for the same bytes (prefixes of one deterministic 50 MB buffer), with and without
`raw-leaves=true` (the same: CIDv1 implies raw leaves), as `tools/unixfs_check.py` asks
it. tests/oracle/test_unixfs.py asks a live daemon again; these pin the layout without
one: one raw leaf up to 256 KiB, a dag-pb root above, a second layer past 174 chunks.
"""

import hashlib
import random

import pytest

from bpsa.core import cid
from bpsa.core.errors import InputError
from bpsa.core.unixfs import CHUNK_SIZE, MAX_LINKS, FileImporter, file_cid, is_file_node, root_codec

K = CHUNK_SIZE
DAEMON = [
    (0, "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
    (1, "bafkreidijcemb25rp43ufgfwl3ria5jgybtastdqdpgh5o7byeev6skpye"),
    (K, "bafkreifkrfbkdjlov7uzsu54u2attwun5y2bddb36w77yydt2s5kg2rrly"),
    (K + 1, "bafybeig5356al5jaocf3pzsr5ce4wegtmoq6kosgrrk4pgie242jrjk3zm"),
    (5_000_000, "bafybeifmoigaliiqlw3bgs2w5agzqrzgj2abx3cu22ptrguhktcnoql4oq"),
    (MAX_LINKS * K, "bafybeidw6sj2ayxlfoggy26cpuffyiccwuavxztnjngk37sj2aqrqcsvwe"),
    (MAX_LINKS * K + 1, "bafybeia5z5bwmn6cpmivd7mjgwtyzweddvsp7ol4g2zd2qjrnlowzw5nlu"),
    (50_000_000, "bafybeiayqnxlo6tct5ykw77ujglxyw5jmzmjzkdeehkr7pzmochb4yfeyu"),
]


@pytest.fixture(scope="module")
def big() -> memoryview:
    """50 MB of deterministic bytes (the buffer the daemon's CIDs above were taken of)."""
    return memoryview(random.Random(20261207).randbytes(50_000_000))


@pytest.mark.parametrize(("size", "expected"), DAEMON, ids=[str(s) for s, _ in DAEMON])
def test_file_cid__prefix_of_the_buffer__equals_the_daemons_add(big, size, expected):
    assert file_cid(big[:size]) == expected


def test_file_cid__fed_in_odd_pieces__same_cid_as_at_once(big):
    importer = FileImporter()
    at = 0
    for step in [1, 7, K - 3, K, 3 * K + 5, 1_000_003] * 3:
        importer.update(big[at : at + step])
        at += step
    importer.update(big[at:])
    assert importer.size == 50_000_000
    assert importer.cid() == dict(DAEMON)[50_000_000]


def test_update__after_the_cid__raises_input_error():
    importer = FileImporter()
    importer.update(b"done")
    importer.cid()
    with pytest.raises(InputError, match="already computed"):
        importer.update(b"more")


def test_cid_of__one_chunk__is_the_raw_block_of_its_sha256(big):
    data = bytes(big[:K])
    assert cid.cid_of(data) == cid.cid_from_digest(hashlib.sha256(data).digest(), "raw")
    assert cid.cid_of(data) == cid.raw_cid_of(data)


def test_cid_of__one_byte_past_a_chunk__is_dag_pb_of_its_root_block(big):
    importer = FileImporter()
    importer.update(big[: K + 1])
    block = importer.root_block()
    assert block is not None and is_file_node(block)
    expected = dict(DAEMON)[K + 1]
    assert cid.cid_for_block(block) == expected
    assert cid.digest_of(expected) == hashlib.sha256(block).digest()
    assert cid.cid_from_digest(hashlib.sha256(block).digest(), "dag-pb") == expected


# --- the digest rule: a bytes32 maps back to one CID ------------------------------------


def test_cid_for_block__a_documents_own_bytes__raw(big):
    for document in [b"", b'{"office": "US", "number": "11234567"}', b"%PDF-1.7\n", big[:K]]:
        assert root_codec(bytes(document)) == "raw"
        assert cid.cid_for_block(bytes(document)) == cid.cid_of(bytes(document))


def test_cid_for_block__a_files_root__dag_pb_with_the_files_cid(big):
    for size in (K + 1, 5_000_000, MAX_LINKS * K + 1):
        importer = FileImporter()
        importer.update(big[:size])
        block = importer.root_block()
        assert block is not None
        assert cid.cid_for_block(block) == dict(DAEMON)[size]


def test_cid_of__bytes_that_are_a_files_root__refused_as_not_a_document(big):
    importer = FileImporter()
    importer.update(big[: K + 1])
    block = importer.root_block()
    assert block is not None
    with pytest.raises(InputError, match=r"are an IPFS file's root node .* not a document"):
        cid.cid_of(block)


@pytest.mark.parametrize(
    "block",
    [
        b"\x0a\x04\x08\x02\x18\x00",  # a file node without links (not what a root is)
        b"\x12\x00\x0a\x02\x08\x02",  # an empty link
        b"\x0a\x02\x08\x01",  # a directory's Data
        b"\x12\x2a\x0a\x24" + b"\x01\x55\x12\x20" + bytes(32) + b"\x12\x00\x18\x05"
        + b"\x0a\x06\x08\x02\x18\x05\x20\x04",  # filesize 5, blocksizes add up to 4
    ],
)  # fmt: skip
def test_is_file_node__near_misses__false(block):
    assert not is_file_node(block)


@pytest.mark.parametrize("name", [b"\x12\x00", b""], ids=["empty-name", "no-name"])
def test_is_file_node__hand_built_root__true_and_refused_as_document(name):
    link = b"\x0a\x24" + b"\x01\x55\x12\x20" + bytes(32) + name + b"\x18\x05"
    block = b"\x12" + bytes([len(link)]) + link + b"\x0a\x06\x08\x02\x18\x05\x20\x05"
    assert is_file_node(block)
    with pytest.raises(InputError, match="root node"):
        cid.cid_of(block)


def test_cid_from_digest__unknown_codec__raises_input_error():
    with pytest.raises(InputError, match="'dag-cbor' is not a document's codec"):
        cid.cid_from_digest(bytes(32), "dag-cbor")


def test_digest_of__dag_pb_cid__gives_the_root_blocks_digest():
    expected = dict(DAEMON)[5_000_000]
    digest = cid.digest_of(expected)
    assert cid.cid_from_digest(digest, "dag-pb") == expected
