"""The content store: documents by CID, over an IPFS daemon or in a local directory.

Every document is stored as an IPFS file the way `ipfs add --cid-version 1` stores it
(UnixFS: 256 KiB raw leaves under a balanced dag-pb tree; a document of one chunk is its
raw leaf), so its CID is `bpsa.core.cid.cid_of(data)` here, on the daemon and on any
pinning service, and anyone can check it with standard tools (`ipfs add -n
--cid-version 1 FILE`). Every read is checked against the CID it was asked for by
recomputing that CID from the bytes: a store never hands back bytes that are not it.

- `IpfsStore(api)`: the daemon's RPC API (`make ipfs` starts js-ipfs, offline, loopback
  only; `BPSA_IPFS_API` names it): `add` (pinned; the daemon's CID must equal the one
  computed here, or `put` fails), `cat` to read a file, `block/get` for a one-block one.
- `LocalStore(directory)`: the embedded default when no daemon is configured: one whole
  file per CID, written atomically.
- `open_store()`: `IpfsStore` when an API address is given or `BPSA_IPFS_API` is set,
  else `LocalStore` in `BPSA_STORE_DIR` or the user's data directory.

`resolve(digest)` turns the bytes32 a contract stores back into the document's CID (the
digest rule in `bpsa.core.cid`: the root block says its codec). Documents stored before
files (one raw block of up to 1 MiB, a `bafkrei...` CID) read as before.

Errors: `ContentUnavailable` (the daemon cannot be reached: retry with backoff),
`ContentNotFound` (no such content here), `ContentError` (the base of both; on its own:
bytes that do not match their CID, or a daemon that refused a request), `InputError`
(a malformed CID, or bytes that are an IPFS file's root node rather than a document).
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Final, Protocol, runtime_checkable

import ipfshttpclient
from multiformats import CID

from bpsa.core.cid import check_document, cid_for_block, cid_from_digest, cid_of
from bpsa.core.errors import BpsaError, InputError
from bpsa.core.unixfs import CHUNK_SIZE, RAW, FileImporter, cid_text, file_size, is_file_node

ENV_API: Final = "BPSA_IPFS_API"
ENV_DIRECTORY: Final = "BPSA_STORE_DIR"
DEFAULT_TIMEOUT: Final = 10.0
# `has` asks the daemon for a block's size; a block it holds answers in milliseconds,
# one it lacks only when this runs out (js-ipfs waits for peers even when offline). A
# slow answer reads as "absent", which costs an idempotent `put`, never a lost document.
HAS_TIMEOUT: Final = 1.0
# The HTTP read may take a little longer than the daemon's own timeout for the request.
_HTTP_MARGIN: Final = 5.0
# A transfer of a large file gets `timeout` plus a second per this many bytes (the local
# daemon adds or reads 50 MB in about 2 s; this allows for a slow disk or a busy machine).
TRANSFER_RATE: Final = 5_000_000
_PIECE: Final = 1 << 20  # bytes read from a local file at a time

# ipfshttpclient 0.7.0 passes urllib3 a keyword urllib3 2.x only warns about.
warnings.filterwarnings(
    "ignore", message="The 'strict' parameter is no longer needed", category=FutureWarning
)


class ContentError(BpsaError):
    """Content cannot be stored or read as asked; the message names the CID."""


class ContentUnavailable(ContentError):
    """The IPFS daemon cannot be reached (the message names its address); retry later."""


class ContentNotFound(ContentError):
    """The store holds no content for the CID."""


@runtime_checkable
class ContentStore(Protocol):
    """Documents by CID: IPFS files (UnixFS, CIDv1, raw leaves, sha2-256, base32)."""

    def put(self, data: bytes) -> str:
        """Store and pin `data`; return its CID (the same for the same bytes, everywhere)."""
        ...

    def put_file(self, path: Path) -> str:
        """Store and pin the file at `path`, read in pieces; return its CID."""
        ...

    def get(self, cid: str) -> bytes:
        """The bytes for `cid`, checked to be the file it names."""
        ...

    def resolve(self, digest: bytes) -> str:
        """The CID of the document whose on-chain digest is `digest` (raw or dag-pb)."""
        ...

    def pin(self, cid: str) -> None:
        """Keep the content for `cid` (it must be here already)."""
        ...

    def has(self, cid: str) -> bool:
        """Whether the content for `cid` is held here."""
        ...


def canonical_cid(cid: str) -> CID:
    """A document CID (CIDv1, raw or dag-pb, sha2-256, any multibase) as base32;
    InputError otherwise."""
    try:
        parsed = CID.decode(cid.strip())
    except Exception as exc:
        raise InputError(f"{cid!r} is not a CID ({exc})") from None
    if parsed.version == 0:
        raise InputError(
            f"CID {cid} is a CIDv0 (`ipfs add` without --cid-version 1, dag-pb leaves); "
            f"documents are stored as `ipfs add --cid-version 1` stores them: add it so"
        )
    if parsed.codec.name not in ("raw", "dag-pb"):
        raise InputError(
            f"CID {cid} has codec {parsed.codec.name}; documents are IPFS files "
            f"(codec raw for one chunk, dag-pb above)"
        )
    if parsed.hashfun.name != "sha2-256":
        raise InputError(f"CID {cid} uses {parsed.hashfun.name}; documents use sha2-256")
    return parsed.set(base="base32", version=1)


class ContentCheck:
    """Recomputes a CID from the bytes read for it, in pieces (`update`, then `finish`).

    A dag-pb CID is checked as a file (`FileImporter`); a raw CID as one block (a file
    of one chunk, or a document stored as one raw block before files), which must not
    itself be an IPFS file's root node (the digest rule in `bpsa.core.cid`).
    """

    def __init__(self, cid: CID, where: str) -> None:
        self.cid, self.where = cid, where
        self.dag = cid.codec.name == "dag-pb"
        self._file = FileImporter()
        self._raw = hashlib.sha256()
        self._head = bytearray()  # a raw block's first CHUNK_SIZE + 1 bytes

    def update(self, piece: bytes) -> None:
        if self.dag:
            self._file.update(piece)
        else:
            self._raw.update(piece)
            if len(self._head) <= CHUNK_SIZE:
                self._head += piece[: CHUNK_SIZE + 1 - len(self._head)]

    def finish(self) -> None:
        """ContentError if the bytes read are not the content `cid` names."""
        if self.dag:
            root = self._file.root()
            actual = cid_text(root.codec, root.digest)
            what = f"the {self._file.size} bytes are the file {actual}"
        else:
            actual = cid_text(RAW, self._raw.digest())
            what = f"they hash to {actual}"
        if actual != str(self.cid):
            raise ContentError(
                f"content for {self.cid} from {self.where} does not match its CID: {what} "
                f"(corrupt or tampered with)"
            )
        head = bytes(self._head)
        if not self.dag and len(head) <= CHUNK_SIZE and is_file_node(head):
            raise ContentError(
                f"{self.cid} from {self.where} is the root node of an IPFS file, not a "
                f"document: read the file as {cid_for_block(head)}"
            )


def check_content(cid: CID, data: bytes, where: str) -> bytes:
    """`data` if it is the content `cid` names, else ContentError naming both."""
    check = ContentCheck(cid, where)
    check.update(data)
    check.finish()
    return data


def path_cid(path: Path) -> str:
    """The CID of the file at `path` (`cid_of` of its bytes), read in pieces."""
    importer = FileImporter()
    with path.open("rb") as file:
        while piece := file.read(_PIECE):
            importer.update(piece)
    if importer.size <= CHUNK_SIZE:
        check_document(path.read_bytes())
    return importer.cid()


_URL = re.compile(r"^https?://(?P<host>[^:/]+)(?::(?P<port>\d+))?/?$")


def api_multiaddr(api: str) -> str:
    """A multiaddr for the daemon's API; accepts `http://host:port` too."""
    text = api.strip()
    match = _URL.match(text)
    if match is None:
        return text
    host, port = match["host"], match["port"] or "5001"
    proto = "ip4" if re.fullmatch(r"[\d.]+", host) else "dns"
    scheme = "https" if text.startswith("https") else "http"
    return f"/{proto}/{host}/tcp/{port}/{scheme}"


class IpfsStore:
    """Documents as IPFS files on a daemon, over its RPC API (`ipfshttpclient`).

    `timeout` (seconds) bounds each request, including the daemon's search for a block it
    lacks: js-ipfs would otherwise wait for it forever, even offline. Adding or reading a
    large file gets a second more per `TRANSFER_RATE` bytes.
    """

    def __init__(self, api: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        if timeout <= 0:
            raise InputError(f"timeout must be positive, got {timeout}")
        self.api = api_multiaddr(api)
        self.timeout = timeout
        try:
            # Client(), not connect(): connect() refuses js-ipfs's version number.
            self._client: Any = ipfshttpclient.Client(self.api, timeout=timeout + _HTTP_MARGIN)
        except ipfshttpclient.exceptions.AddressError as exc:
            raise InputError(f"{api!r} is not an IPFS API address ({exc})") from None

    def __repr__(self) -> str:
        return f"IpfsStore({self.api!r})"

    def _opts(self, timeout: float) -> dict[str, str]:
        return {"timeout": f"{round(timeout * 1000)}ms"}

    def _transfer(self, size: int) -> float:
        return self.timeout + size / TRANSFER_RATE

    def _fail(self, exc: Exception, action: str, cid: str, timeout: float) -> ContentError:
        """The store's error for an ipfshttpclient error.

        The daemon's own timeout on a lookup means it has no such block (js-ipfs waits
        for one to arrive; Kubo offline says "not found"); on a write, that it is stuck.
        """
        errors = ipfshttpclient.exceptions
        if isinstance(exc, errors.ConnectionError):
            return ContentUnavailable(
                f"cannot {action} {cid}: the IPFS daemon at {self.api} is unreachable "
                f"({exc}); start it with `make ipfs`, or retry later"
            )
        if isinstance(exc, errors.TimeoutError):
            return ContentUnavailable(
                f"cannot {action} {cid}: the IPFS daemon at {self.api} did not answer "
                f"within {timeout + _HTTP_MARGIN:g}s"
            )
        message = str(exc)
        if action == "store" and "timed out" in message:
            return ContentUnavailable(
                f"cannot {action} {cid}: the IPFS daemon at {self.api} timed out ({message})"
            )
        if "timed out" in message or "not found" in message:
            return ContentNotFound(
                f"{cid} not found: the IPFS daemon at {self.api} has no block for it "
                f"(none arrived within {timeout:g}s)"
            )
        return ContentError(f"the IPFS daemon at {self.api} refused to {action} {cid}: {message}")

    def put(self, data: bytes) -> str:
        return self._put(io.BytesIO(data), cid_of(data), len(data))

    def put_file(self, path: Path) -> str:
        expected = path_cid(path)
        with Path(path).open("rb") as file:  # ipfshttpclient streams it to the daemon
            return self._put(file, expected, Path(path).stat().st_size)

    def _put(self, body: IO[bytes], expected: str, size: int) -> str:
        timeout = self._transfer(size)
        try:
            key = self._add(body, timeout)
        except ipfshttpclient.exceptions.Error as exc:
            raise self._fail(exc, "store", expected, timeout) from None
        try:
            returned = str(CID.decode(key).set(base="base32", version=1))
        except Exception:
            returned = None
        if returned != expected:
            raise ContentError(
                f"the IPFS daemon at {self.api} stored {size} bytes as {key}, but they are "
                f"the file {expected}; not using its CID"
            )
        return expected

    def _add(self, body: IO[bytes], timeout: float) -> str:
        """`add` `body` as `ipfs add --cid-version 1` does, pinned; the daemon's CID.

        raw_leaves is given: ipfshttpclient would otherwise send raw-leaves=false, which
        overrides the daemon's CIDv1 default (raw leaves) and gives another CID.
        """
        response = self._client.add(
            body,
            cid_version=1,
            raw_leaves=True,
            pin=True,
            opts=self._opts(timeout),
            timeout=timeout + _HTTP_MARGIN,
        )
        return str(response["Hash"])

    def _block(self, cid: CID, timeout: float) -> bytes:
        try:
            return bytes(self._client.block.get(str(cid), opts=self._opts(timeout)))
        except ipfshttpclient.exceptions.Error as exc:
            raise self._fail(exc, "get", str(cid), timeout) from None

    def get(self, cid: str) -> bytes:
        parsed = canonical_cid(cid)
        where = f"the IPFS daemon at {self.api}"
        root = self._block(parsed, self.timeout)  # not found within `timeout`, if absent
        if parsed.codec.name == "raw":  # one block: the document itself
            return check_content(parsed, root, where)
        check_content_block(parsed, root, where)
        if not is_file_node(root):
            raise ContentError(
                f"{parsed} from {where} is not an IPFS file (its root block is no UnixFS "
                f"file node with links)"
            )
        timeout = self._transfer(file_size(root))
        check, data = ContentCheck(parsed, where), bytearray()
        try:
            for piece in self._client.cat(
                str(parsed), stream=True, opts=self._opts(timeout), timeout=timeout + _HTTP_MARGIN
            ):
                check.update(piece)
                data += piece
        except ipfshttpclient.exceptions.Error as exc:
            raise self._fail(exc, "get", str(parsed), timeout) from None
        check.finish()
        return bytes(data)

    def resolve(self, digest: bytes) -> str:
        raw = canonical_cid(cid_from_digest(digest, "raw"))
        block = check_content_block(
            raw, self._block(raw, self.timeout), f"the IPFS daemon at {self.api}"
        )
        return cid_for_block(block)

    def pin(self, cid: str) -> None:
        parsed = canonical_cid(cid)
        try:
            self._client.pin.add(str(parsed), opts=self._opts(self.timeout))
        except ipfshttpclient.exceptions.Error as exc:
            raise self._fail(exc, "pin", str(parsed), self.timeout) from None

    def has(self, cid: str) -> bool:
        parsed = canonical_cid(cid)
        timeout = min(HAS_TIMEOUT, self.timeout)
        try:
            self._client.block.stat(str(parsed), offline=True, opts=self._opts(timeout))
        except ipfshttpclient.exceptions.Error as exc:
            error = self._fail(exc, "look up", str(parsed), timeout)
            if isinstance(error, ContentNotFound):
                return False
            raise error from None
        return True


def check_content_block(cid: CID, block: bytes, where: str) -> bytes:
    """`block` if it hashes to `cid`'s digest (whatever its codec), else ContentError."""
    if hashlib.sha256(block).digest() != bytes(cid.raw_digest):
        raise ContentError(
            f"block {cid} from {where} does not match its CID: the {len(block)} bytes hash "
            f"to {cid_text(RAW, hashlib.sha256(block).digest())} (corrupt or tampered with)"
        )
    return block


class LocalStore:
    """Documents as whole files named by CID under `directory` (the embedded default).

    Same CIDs and checks as `IpfsStore`; every file is written to a temporary name and
    renamed into place, so a reader never sees half a document. Everything stored is kept,
    so `pin` only checks that the content is here.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def __repr__(self) -> str:
        return f"LocalStore({str(self.directory)!r})"

    def _path(self, cid: CID) -> Path:
        text = str(cid)
        return self.directory / text[-3:-1] / text  # sharded like IPFS's flatfs

    def put(self, data: bytes) -> str:
        return self._put(canonical_cid(cid_of(data)), [data])

    def put_file(self, path: Path) -> str:
        cid = canonical_cid(path_cid(Path(path)))

        def pieces() -> Iterable[bytes]:
            with Path(path).open("rb") as file:
                while piece := file.read(_PIECE):
                    yield piece

        return self._put(cid, pieces())

    def _put(self, cid: CID, pieces: Iterable[bytes]) -> str:
        path = self._path(cid)
        if path.exists():
            try:
                self._check_file(cid, path)
                return str(cid)
            except ContentError:
                pass  # a damaged copy: replace it below
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                for piece in pieces:
                    file.write(piece)
                file.flush()
                os.fsync(file.fileno())
            self._check_file(cid, Path(temp))  # the file changed while it was copied?
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return str(cid)

    def _check_file(self, cid: CID, path: Path) -> None:
        check = ContentCheck(cid, str(path))
        with path.open("rb") as file:
            while piece := file.read(_PIECE):
                check.update(piece)
        check.finish()

    def get(self, cid: str) -> bytes:
        parsed = canonical_cid(cid)
        path = self._path(parsed)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ContentNotFound(f"{parsed} not found in {self.directory}") from None
        return check_content(parsed, data, str(path))

    def resolve(self, digest: bytes) -> str:
        for codec in ("dag-pb", "raw"):  # never both: see the digest rule
            cid = canonical_cid(cid_from_digest(digest, codec))
            if self._path(cid).exists():
                return str(cid)
        raise ContentNotFound(
            f"no document in {self.directory} has the digest 0x{digest.hex()} "
            f"({cid_from_digest(digest, 'raw')} or {cid_from_digest(digest, 'dag-pb')})"
        )

    def pin(self, cid: str) -> None:
        parsed = canonical_cid(cid)
        if not self._path(parsed).exists():
            raise ContentNotFound(f"cannot pin {parsed}: not found in {self.directory}")

    def has(self, cid: str) -> bool:
        return self._path(canonical_cid(cid)).exists()


def default_directory() -> Path:
    """`BPSA_STORE_DIR`, else `$XDG_DATA_HOME/bpsa/store` (`~/.local/share/bpsa/store`)."""
    if configured := os.environ.get(ENV_DIRECTORY):
        return Path(configured)
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "bpsa" / "store"


def open_store(
    api: str | None = None,
    directory: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> IpfsStore | LocalStore:
    """`IpfsStore` for `api` (or `BPSA_IPFS_API`), else `LocalStore` in `directory`."""
    address = api or os.environ.get(ENV_API)
    if address:
        return IpfsStore(address, timeout)
    return LocalStore(directory if directory is not None else default_directory())
