"""Multi-megabyte documents through the content store, as IPFS files (issue 17, point 8).

Against a real js-ipfs daemon (tools/ipfs.sh) and on local disk, with documents of 5 MB
and 50 MB made once per module from a fixed seed: the CID computed in pure Python equals
the one the daemon's own `add?cid-version=1` gives (no other option: the daemon's
defaults), a store gives the document back by it, a tampered byte is refused, and the
bytes32 a contract stores maps back to the document (`resolve`), for files and for
documents stored as one raw block before files.
"""

import hashlib
import io
import random
from pathlib import Path

import ipfshttpclient
import pytest
import requests
from multiformats import CID

from bpsa.core.cid import cid_of, digest_of, raw_cid_of
from bpsa.core.errors import InputError
from bpsa.core.unixfs import CHUNK_SIZE, FileImporter
from bpsa.oracle.store import ContentError, ContentNotFound, IpfsStore, LocalStore

pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")

MB = 1_000_000


@pytest.fixture(scope="module")
def five() -> bytes:
    return random.Random(5).randbytes(5 * MB)


@pytest.fixture(scope="module")
def fifty() -> bytes:
    return random.Random(50).randbytes(50 * MB)


def daemon_add(api: str, data: bytes, only_hash: bool) -> str:
    """The daemon's CID for `data` through its RPC API with only `cid-version=1` (and
    `only-hash` to spare its disk): the daemon's own defaults, not ipfshttpclient's."""
    parts = api.strip("/").split("/")  # ip4, 127.0.0.1, tcp, port, http
    url = f"http://{parts[1]}:{parts[3]}/api/v0/add"
    params = {"cid-version": "1", "only-hash": str(only_hash).lower(), "pin": "false"}
    answer = requests.post(
        url, params=params, files={"file": ("doc", data, "application/octet-stream")}, timeout=120
    )
    answer.raise_for_status()
    key = answer.json()["Hash"]
    return str(CID.decode(key).set(base="base32"))


def collect_garbage(api: str, cid: str) -> None:
    """Unpins `cid` and collects the daemon's garbage (only on a daemon these tests own)."""
    client = ipfshttpclient.Client(api)
    client.pin.rm(cid)
    client.repo.gc(quiet=True)


def leaf_files(repo: Path, data: bytes) -> list[Path]:
    """The daemon's block files holding `data`'s second chunk (a leaf of its file)."""
    chunk = data[CHUNK_SIZE : 2 * CHUNK_SIZE]
    found = repo.glob("blocks/*/*.data")
    return [p for p in found if p.stat().st_size == CHUNK_SIZE and p.read_bytes() == chunk]


# --- the daemon and pure Python agree ---------------------------------------------------


def test_put_then_get__5_mb_on_the_daemon__the_daemons_cid_and_the_same_bytes(ipfs_api, five):
    store = IpfsStore(ipfs_api, timeout=5.0)
    cid = store.put(five)
    assert cid == cid_of(five) == daemon_add(ipfs_api, five, only_hash=True)
    assert cid.startswith("bafybei")  # a dag-pb root, not one raw block
    assert store.get(cid) == five
    assert store.resolve(digest_of(cid)) == cid


def test_put_then_get__50_mb_on_the_daemon__the_daemons_cid_and_the_same_bytes(own_daemon, fifty):
    api = own_daemon.api
    store = IpfsStore(api, timeout=5.0)
    cid = store.put(fifty)
    try:
        assert cid == cid_of(fifty) == daemon_add(api, fifty, only_hash=True)
        assert store.get(cid) == fifty
        assert store.resolve(digest_of(cid)) == cid
    finally:
        collect_garbage(api, cid)


def test_put_file__5_mb_file__streamed_to_the_daemon_under_the_same_cid(ipfs_api, five, tmp_path):
    path = tmp_path / "grant.bin"
    path.write_bytes(five)
    assert IpfsStore(ipfs_api).put_file(path) == cid_of(five)


def test_get__5_mb_leaf_tampered_in_the_daemons_repo__refused_naming_the_cid(own_daemon):
    data = random.Random(55).randbytes(5 * MB)
    store = IpfsStore(own_daemon.api, timeout=5.0)
    cid = store.put(data)
    [leaf] = leaf_files(own_daemon.repo, data)
    original = leaf.read_bytes()
    leaf.write_bytes(original[:1000] + bytes([original[1000] ^ 1]) + original[1001:])
    try:
        with pytest.raises(ContentError, match=f"content for {cid} from .* does not match"):
            store.get(cid)
    finally:
        leaf.write_bytes(original)
    assert store.get(cid) == data


# --- on disk ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [5 * MB, 50 * MB], ids=["5MB", "50MB"])
def test_put_file_then_get__local__one_whole_file_under_the_daemons_cid(
    tmp_path, five, fifty, size
):
    data = five if size == 5 * MB else fifty
    source = tmp_path / "grant.bin"
    source.write_bytes(data)
    store = LocalStore(tmp_path / "store")
    try:
        cid = store.put_file(source)
        assert cid == cid_of(data)
        [held] = [p for p in store.directory.rglob("*") if p.is_file()]
        assert held.name == cid and held.stat().st_size == size
        assert store.get(cid) == data
        assert store.resolve(digest_of(cid)) == cid
    finally:
        for path in tmp_path.rglob("*"):  # 50 MB each: not left for pytest to keep
            if path.is_file():
                path.unlink()


@pytest.mark.parametrize("size", [5 * MB, 50 * MB], ids=["5MB", "50MB"])
def test_get__local_file_with_one_byte_flipped__refused_naming_the_cid(tmp_path, five, fifty, size):
    data = five if size == 5 * MB else fifty
    store = LocalStore(tmp_path / "store")
    cid = store.put(data)
    [held] = [p for p in store.directory.rglob("*") if p.is_file()]
    try:
        with held.open("r+b") as file:
            file.seek(size // 2)
            byte = file.read(1)
            file.seek(size // 2)
            file.write(bytes([byte[0] ^ 0x01]))
        with pytest.raises(ContentError, match=f"content for {cid} from .* does not match"):
            store.get(cid)
    finally:
        held.unlink()


# --- the digest rule, and documents stored before files ---------------------------------


def test_resolve__digest_of_a_raw_block_stored_before_files__reads_as_before(ipfs_api):
    legacy = random.Random(600).randbytes(600_000)  # past one chunk: a file would differ
    client = ipfshttpclient.Client(ipfs_api)
    opts = {"format": "raw", "mhtype": "sha2-256", "version": "1", "pin": "true"}
    client.block.put(io.BytesIO(legacy), opts=opts)
    store = IpfsStore(ipfs_api, timeout=2.0)
    digest = hashlib.sha256(legacy).digest()
    cid = store.resolve(digest)
    assert cid == raw_cid_of(legacy) != cid_of(legacy)
    assert store.get(cid) == legacy


def test_resolve__local_raw_block_stored_before_files__reads_as_before(tmp_path):
    legacy = random.Random(601).randbytes(600_000)
    store = LocalStore(tmp_path)
    cid = raw_cid_of(legacy)  # where the store before files kept it
    (tmp_path / cid[-3:-1]).mkdir()
    (tmp_path / cid[-3:-1] / cid).write_bytes(legacy)
    assert store.resolve(hashlib.sha256(legacy).digest()) == cid
    assert store.get(cid) == legacy


def test_resolve__unknown_digest__not_found_naming_both_cids(tmp_path):
    digest = hashlib.sha256(b"never stored").digest()
    with pytest.raises(ContentNotFound, match=r"bafkrei.* or bafybei"):
        LocalStore(tmp_path).resolve(digest)


def test_get__raw_cid_of_a_files_root__refused_naming_the_files_cid(ipfs_api, five):
    store = IpfsStore(ipfs_api, timeout=2.0)
    cid = store.put(five)
    as_raw = str(CID.decode(cid).set(codec="raw"))
    with pytest.raises(ContentError, match=f"root node of an IPFS file.* read the file as {cid}"):
        store.get(as_raw)


@pytest.mark.parametrize("kind", ["ipfs", "local"])
def test_put__bytes_of_a_files_root__refused_before_storing(ipfs_api, tmp_path, five, kind):
    importer = FileImporter()
    importer.update(five)
    root = importer.root_block()
    assert root is not None
    store = IpfsStore(ipfs_api) if kind == "ipfs" else LocalStore(tmp_path)
    with pytest.raises(InputError, match="root node"):
        store.put(root)


def test_get__cidv0__refused_as_not_how_documents_are_added(tmp_path):
    with pytest.raises(InputError, match=r"CIDv0 .* --cid-version 1"):
        LocalStore(tmp_path).get("QmNRCQWfgze6AbBCaT1rkrkV5tJ2aP4oTNPb5JZcXYywve")
