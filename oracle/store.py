"""The content store: documents by CID, over an IPFS daemon or in a local directory.

Every document is ONE raw block (CIDv1, raw codec, sha2-256, base32, at most 1 MiB), so
its CID is `bpsa.core.cid.cid_of(data)` wherever it is stored, and every read is checked
against the CID it was asked for: a store never hands back bytes that do not hash to it.

- `IpfsStore(api)`: the daemon's RPC API (`make ipfs` starts js-ipfs, offline, loopback
  only; `BPSA_IPFS_API` names it). Writes are pinned; the CID the daemon computes must
  equal the one computed here, or `put` fails.
- `LocalStore(directory)`: the embedded default when no daemon is configured: one file
  per CID, written atomically.
- `open_store()`: `IpfsStore` when an API address is given or `BPSA_IPFS_API` is set,
  else `LocalStore` in `BPSA_STORE_DIR` or the user's data directory.

Errors: `ContentUnavailable` (the daemon cannot be reached: retry with backoff),
`ContentNotFound` (no such content here), `ContentError` (the base of both; on its own:
bytes that do not match their CID, or a daemon that refused a request), `InputError`
(a malformed CID, or a document over 1 MiB).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import warnings
from pathlib import Path
from typing import Any, Final, Protocol, runtime_checkable

import ipfshttpclient
from multiformats import CID, multihash

from bpsa.core.cid import MAX_BLOCK_SIZE, cid_of
from bpsa.core.errors import BpsaError, InputError

ENV_API: Final = "BPSA_IPFS_API"
ENV_DIRECTORY: Final = "BPSA_STORE_DIR"
DEFAULT_TIMEOUT: Final = 10.0
# `has` asks the daemon for a block's size; a block it holds answers in milliseconds,
# one it lacks only when this runs out (js-ipfs waits for peers even when offline). A
# slow answer reads as "absent", which costs an idempotent `put`, never a lost document.
HAS_TIMEOUT: Final = 1.0
# The HTTP read may take a little longer than the daemon's own timeout for the request.
_HTTP_MARGIN: Final = 5.0

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
    """Documents by CID: CIDv1, raw codec, sha2-256, base32, one block of at most 1 MiB."""

    def put(self, data: bytes) -> str:
        """Store and pin `data`; return its CID (the same for the same bytes, everywhere)."""
        ...

    def get(self, cid: str) -> bytes:
        """The bytes for `cid`, checked to hash to it."""
        ...

    def pin(self, cid: str) -> None:
        """Keep the content for `cid` (it must be here already)."""
        ...

    def has(self, cid: str) -> bool:
        """Whether the content for `cid` is held here."""
        ...


def canonical_cid(cid: str) -> CID:
    """A document CID (raw codec, sha2-256, any multibase) as base32; InputError otherwise."""
    try:
        parsed = CID.decode(cid.strip())
    except Exception as exc:
        raise InputError(f"{cid!r} is not a CID ({exc})") from None
    if parsed.codec.name != "raw":
        raise InputError(
            f"CID {cid} has codec {parsed.codec.name}; stored documents are single raw "
            f"blocks (codec raw), not `ipfs add` DAGs"
        )
    if parsed.hashfun.name != "sha2-256":
        raise InputError(f"CID {cid} uses {parsed.hashfun.name}; documents use sha2-256")
    return parsed.set(base="base32", version=1)


def check_content(cid: CID, data: bytes, where: str) -> bytes:
    """`data` if it hashes to `cid`, else ContentError naming both."""
    actual = multihash.digest(data, "sha2-256")
    if bytes(actual) != bytes(cid.digest):
        raise ContentError(
            f"content for {cid} from {where} does not match its CID: the {len(data)} bytes "
            f"hash to {_cid_of_any(data)} (corrupt or tampered with)"
        )
    return data


def _cid_of_any(data: bytes) -> str:
    """The raw CID of any bytes, for error messages (no size limit)."""
    return str(CID("base32", 1, "raw", multihash.digest(data, "sha2-256")))


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BLOCK_SIZE:
        raise InputError(
            f"document is {len(data)} bytes; the content store keeps each document as one "
            f"raw IPFS block of at most {MAX_BLOCK_SIZE} bytes (1 MiB): split it or store "
            f"a smaller rendering"
        )


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
    """Documents as raw blocks on an IPFS daemon, over its RPC API (`ipfshttpclient`).

    `timeout` (seconds) bounds each request, including the daemon's search for a block it
    lacks: js-ipfs would otherwise wait for it forever, even offline.
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
        _check_size(data)
        expected = cid_of(data)
        try:
            key = self._put_block(data)
        except ipfshttpclient.exceptions.Error as exc:
            raise self._fail(exc, "store", expected, self.timeout) from None
        try:
            returned = CID.decode(key).set(base="base32", version=1)
        except Exception:
            returned = None
        if str(returned) != expected:
            raise ContentError(
                f"the IPFS daemon at {self.api} stored {len(data)} bytes as {key}, but they "
                f"hash to {expected}; not using its CID"
            )
        return expected

    def _put_block(self, data: bytes) -> str:
        """Store `data` as one pinned raw block; the daemon's CID for it.

        ipfshttpclient streams the body (chunked), which js-ipfs's 1 MiB cap on a
        request's Content-Length does not see; the 1 MiB block limit is ours.
        """
        response = self._client.block.put(
            io.BytesIO(data),
            opts={
                **self._opts(self.timeout),
                "format": "raw",
                "mhtype": "sha2-256",
                "version": "1",
                "pin": "true",
            },
        )
        return str(response["Key"])

    def get(self, cid: str) -> bytes:
        parsed = canonical_cid(cid)
        try:
            data = self._client.block.get(str(parsed), opts=self._opts(self.timeout))
        except ipfshttpclient.exceptions.Error as exc:
            raise self._fail(exc, "get", str(parsed), self.timeout) from None
        return check_content(parsed, bytes(data), f"the IPFS daemon at {self.api}")

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


class LocalStore:
    """Documents as files named by CID under `directory` (the embedded default).

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
        _check_size(data)
        cid = canonical_cid(cid_of(data))
        path = self._path(cid)
        if path.exists():
            try:
                check_content(cid, path.read_bytes(), str(path))
                return str(cid)
            except ContentError:
                pass  # a damaged copy: replace it below
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return str(cid)

    def get(self, cid: str) -> bytes:
        parsed = canonical_cid(cid)
        path = self._path(parsed)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise ContentNotFound(f"{parsed} not found in {self.directory}") from None
        return check_content(parsed, data, str(path))

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
