"""bpsa.oracle.store against a real js-ipfs daemon (tools/ipfs.sh) and on local disk.

What must hold: a document's CID is the same in pure Python, on the daemon and on disk;
what a store returns always hashes to the CID asked for; every failure names the CID (or
the daemon's address) and says which kind it is: unreachable, not found, or bad content.
"""

import io
import os
import time
from pathlib import Path

import ipfshttpclient
import pytest
import requests
from multiformats import CID

from bpsa.core.cid import cid_of, raw_cid_of
from bpsa.core.errors import InputError
from bpsa.oracle.store import (
    ContentError,
    ContentNotFound,
    ContentUnavailable,
    IpfsStore,
    LocalStore,
    open_store,
)

# The store silences this ipfshttpclient/urllib3 2.x warning for programs; pytest resets
# warning filters around collection, so the tests silence it again.
pytestmark = pytest.mark.filterwarnings("ignore:The 'strict' parameter:FutureWarning")

# Empty, one byte, one byte past IPFS's 256 KiB chunk (where a file becomes a DAG), and
# 1 MiB (the largest raw block the store kept before files).
SIZES = [0, 1, 262_145, 1_048_576]


def document(size: int) -> bytes:
    return os.urandom(size)  # fresh bytes: no test finds another test's block


def canonical(cid: str) -> str:
    return str(CID.decode(cid).set(base="base32", version=1))


def pinned(api: str) -> set[str]:
    """The daemon's recursive pins, read over plain HTTP (not through the store)."""
    parts = api.strip("/").split("/")  # ip4, 127.0.0.1, tcp, port, http
    url = f"http://{parts[1]}:{parts[3]}/api/v0/pin/ls?type=recursive"
    keys = requests.post(url, timeout=10).json()["Keys"]
    return {canonical(key) for key in keys}


def assert_round_trips(store, data: bytes) -> None:
    """`store` keeps `data` under its pure-Python CID and returns it by that CID."""
    cid = store.put(data)
    assert cid == cid_of(data)
    assert store.get(cid) == data


@pytest.fixture
def ipfs(ipfs_api):
    return IpfsStore(ipfs_api, timeout=2.0)


@pytest.fixture
def local(tmp_path):
    return LocalStore(tmp_path / "store")


# --- the daemon and pure Python agree on CIDs -------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_block_put__raw_sha256__daemon_cid_equals_pure_python_raw_cid(ipfs_api, size):
    # How documents were stored before files; their CIDs must still be computed alike.
    data = document(size)
    client = ipfshttpclient.Client(ipfs_api)
    opts = {"format": "raw", "mhtype": "sha2-256", "version": "1"}
    key = client.block.put(io.BytesIO(data), opts=opts)["Key"]
    assert canonical(key) == raw_cid_of(data)


@pytest.mark.parametrize("size", SIZES)
def test_put_then_get__ipfs__round_trips_under_the_pure_python_cid(ipfs, size):
    assert_round_trips(ipfs, document(size))


def test_put__daemon_answers_another_cid__raises_content_error(ipfs, monkeypatch):
    data = document(64)
    other = cid_of(b"something else")
    monkeypatch.setattr(ipfs, "_add", lambda _body, _timeout: other)
    with pytest.raises(ContentError, match=f"as {other}, but they are the file {cid_of(data)}"):
        ipfs.put(data)


# --- pinning ----------------------------------------------------------------------------


def test_put__document__listed_by_pin_ls(ipfs, ipfs_api):
    cid = ipfs.put(document(100))
    assert cid in pinned(ipfs_api)


def test_pin__block_stored_unpinned__listed_by_pin_ls_after(ipfs, ipfs_api):
    data = document(100)
    client = ipfshttpclient.Client(ipfs_api)
    client.block.put(io.BytesIO(data), opts={"format": "raw", "version": "1", "pin": "false"})
    cid = cid_of(data)
    assert cid not in pinned(ipfs_api)
    ipfs.pin(cid)
    assert cid in pinned(ipfs_api)


def test_pin__unknown_cid__raises_not_found(ipfs_api):
    ipfs = IpfsStore(ipfs_api, timeout=1.0)
    cid = cid_of(document(32))
    with pytest.raises(ContentNotFound, match=f"{cid} not found"):
        ipfs.pin(cid)


# --- reads ------------------------------------------------------------------------------


def test_get__unknown_cid__raises_not_found_within_the_timeout(ipfs_api):
    store = IpfsStore(ipfs_api, timeout=1.0)
    cid = cid_of(document(32))
    started = time.monotonic()
    with pytest.raises(ContentNotFound, match=f"{cid} not found: the IPFS daemon at .* 1s"):
        store.get(cid)
    assert time.monotonic() - started < 5


def test_has__stored_then_unknown__true_then_false(ipfs):
    cid = ipfs.put(document(10))
    assert ipfs.has(cid)
    assert not ipfs.has(cid_of(document(10)))


def test_get__block_tampered_in_the_daemons_repo__raises_content_error(own_daemon):
    store = IpfsStore(own_daemon.api, timeout=2.0)
    data = document(200)
    cid = store.put(data)
    [block] = [p for p in own_daemon.repo.glob("blocks/*/*.data") if p.read_bytes() == data]
    block.write_bytes(b"tampered" + data[8:])
    with pytest.raises(ContentError, match=f"content for {cid} from the IPFS daemon"):
        store.get(cid)


def test_get__daemon_stopped_then_restarted__unavailable_then_served(own_daemon):
    store = IpfsStore(own_daemon.api, timeout=2.0)
    data = document(300)
    cid = store.put(data)
    own_daemon.stop()
    try:
        with pytest.raises(ContentUnavailable, match=f"{store.api} is unreachable"):
            store.get(cid)
        with pytest.raises(ContentUnavailable, match=f"{store.api} is unreachable"):
            store.put(document(10))
    finally:
        own_daemon.start()
    assert store.get(cid) == data
    assert cid in pinned(store.api)


# --- the embedded store -----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_put_then_get__local__round_trips_under_the_pure_python_cid(local, size):
    assert_round_trips(local, document(size))


def test_put__local__one_file_per_cid_and_no_temporary_left(local):
    cid = local.put(b"report")
    files = [p for p in local.directory.rglob("*") if p.is_file()]
    assert [p.name for p in files] == [cid]


def test_get__local_file_tampered__raises_content_error_naming_the_cid(local):
    cid = local.put(b"original report")
    [path] = [p for p in local.directory.rglob(cid)]
    path.write_bytes(b"forged report")
    with pytest.raises(ContentError, match=f"content for {cid} from .* does not match its CID"):
        local.get(cid)


def test_put__local_copy_tampered__replaces_it(local):
    cid = local.put(b"original report")
    [path] = [p for p in local.directory.rglob(cid)]
    path.write_bytes(b"forged report")
    assert local.put(b"original report") == cid
    assert local.get(cid) == b"original report"


def test_get__local_unknown_cid__raises_not_found(local):
    cid = cid_of(b"never stored")
    with pytest.raises(ContentNotFound, match=f"{cid} not found in"):
        local.get(cid)


def test_has_and_pin__local__true_and_kept_only_when_stored(local):
    cid = local.put(b"kept")
    unknown = cid_of(b"never stored")
    assert local.has(cid) and not local.has(unknown)
    local.pin(cid)
    with pytest.raises(ContentNotFound, match=f"cannot pin {unknown}"):
        local.pin(unknown)


def test_get__cid_of_an_ipfs_add_dag__raises_input_error(local):
    # CIDv0 of an `ipfs add` file without --cid-version 1: dag-pb leaves, not raw ones.
    with pytest.raises(InputError, match="is a CIDv0"):
        local.get("QmNRCQWfgze6AbBCaT1rkrkV5tJ2aP4oTNPb5JZcXYywve")


def test_get__garbage__raises_input_error(local):
    with pytest.raises(InputError, match="'not-a-cid' is not a CID"):
        local.get("not-a-cid")


def test_get__same_cid_in_base58__found_as_base32(local):
    cid = local.put(b"any base")
    assert local.get(str(CID.decode(cid).set(base="base58btc"))) == b"any base"


# --- choosing a store -------------------------------------------------------------------


def test_open_store__api_given__ipfs_store_at_that_address(tmp_path, monkeypatch):
    monkeypatch.delenv("BPSA_IPFS_API", raising=False)
    store = open_store("http://127.0.0.1:5999", tmp_path)
    assert isinstance(store, IpfsStore)
    assert store.api == "/ip4/127.0.0.1/tcp/5999/http"


def test_open_store__env_set__ipfs_store_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("BPSA_IPFS_API", "/ip4/127.0.0.1/tcp/5998/http")
    store = open_store(directory=tmp_path)
    assert isinstance(store, IpfsStore)
    assert store.api == "/ip4/127.0.0.1/tcp/5998/http"


def test_open_store__no_api__local_store_in_the_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("BPSA_IPFS_API", raising=False)
    store = open_store(directory=tmp_path)
    assert isinstance(store, LocalStore)
    assert store.directory == tmp_path


def test_open_store__no_api_no_directory__local_store_in_bpsa_store_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("BPSA_IPFS_API", raising=False)
    monkeypatch.setenv("BPSA_STORE_DIR", str(tmp_path / "here"))
    store = open_store()
    assert isinstance(store, LocalStore)
    assert store.directory == Path(tmp_path / "here")


def test_open_store__malformed_api__raises_input_error(tmp_path):
    with pytest.raises(InputError, match="'/ip4/nowhere' is not an IPFS API address"):
        open_store("/ip4/nowhere", tmp_path)
