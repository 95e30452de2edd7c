"""Who is asking: the hub's check, at the edge, that a request about a channel comes from
its payer (as Raiden checks a message's signature before the pure core sees it).

A payment carries its own proof (the payer's balance proof). Every other request that
reads or changes a channel (`GET /channels/{id}`, `GET /channels/{id}/receipt`,
`POST /channels/{id}/close`) carries the payer's EIP-712 signature over a `HubRequest`
(`bpsa.core.channels`): the channel, the action, when it was issued (milliseconds since the
Unix epoch), 32 fresh random bytes and the keccak256 of the request's body, in the
header

    Authorization: BPSA-Payer issued=<ms>, salt=0x<32 bytes>, signature=0x<65 bytes>

`Gatekeeper.check` accepts it only when it is well formed (else 400
`malformed_authorization`), issued within `window` seconds of the hub's clock and after
the hub started (else 401 `stale_authorization`: a request captured before a restart
cannot be replayed after it), signed by the channel's payer for this chain and contract,
this action and this body (else 403 `not_payer`), and never seen before (else 401
`replayed_authorization`; the hub remembers what it accepted for as long as it could
still be fresh). A missing header is 401 `authorization_required`. Signing is the
payer's side: `authorization_header` (what `ChannelClient` sends).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable

from eth_utils.crypto import keccak

from bpsa.core import channels as ch
from bpsa.core import eip712
from bpsa.core.errors import BpsaError

SCHEME = "BPSA-Payer"
WINDOW = 60.0  # seconds either side of the hub's clock a request stays fresh
PER_CHANNEL = 4_096  # requests a channel may have fresh at once (429 past it)
HEADER = re.compile(
    rf"^{SCHEME} issued=([0-9]{{1,19}}), salt=0x([0-9a-fA-F]{{64}}), "
    rf"signature=0x([0-9a-fA-F]{{130}})$"
)


class Unauthorized(BpsaError):
    """A request the hub will not answer: an HTTP status and a machine-readable code."""

    def __init__(self, status: int, code: str, reason: str) -> None:
        super().__init__(reason)
        self.status, self.code, self.reason = status, code, reason


def authorization_header(
    dom: eip712.Domain, key: bytes | str, channel: int, action: str, body: bytes = b""
) -> str:
    """The `Authorization` header of the payer whose key is `key` for `action` on
    `channel` with this request body, issued now."""
    request = ch.HubRequest(channel, action, int(time.time() * 1000), os.urandom(32), keccak(body))
    raw = bytes.fromhex(key.removeprefix("0x")) if isinstance(key, str) else bytes(key)
    signature = eip712.sign_digest(request.digest(dom), raw)
    return (
        f"{SCHEME} issued={request.issued}, salt=0x{request.salt.hex()}, "
        f"signature=0x{signature.hex()}"
    )


class Gatekeeper:
    """The hub's check of `HubRequest` signatures, and its memory of those it accepted."""

    def __init__(
        self,
        dom: eip712.Domain,
        window: float = WINDOW,
        per_channel: int = PER_CHANNEL,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.domain = dom
        self.window_ms = int(window * 1000)
        self.per_channel = per_channel
        self.clock = clock
        # Nothing signed before the hub started is fresh: what it accepted before a
        # restart is forgotten, and could otherwise be replayed.
        self.started_ms = int(clock() * 1000) + 1
        self._seen: dict[int, dict[bytes, int]] = {}  # channel -> digest -> expiry (ms)
        self._checked = 0

    def check(self, channel: int, payer: str, action: str, body: bytes, header: str | None) -> None:
        """Return if `header` is `payer`'s fresh, unused authorisation of `action` on
        `channel` with `body`; `Unauthorized` otherwise."""
        if header is None:
            raise Unauthorized(
                401,
                "authorization_required",
                f"a request about channel {channel} needs its payer's signature: "
                f"Authorization: {SCHEME} issued=<ms>, salt=0x<32 bytes>, signature=0x<65 bytes>",
            )
        found = HEADER.match(header.strip())
        if found is None:
            raise Unauthorized(
                400,
                "malformed_authorization",
                f"Authorization is {SCHEME} issued=<ms>, salt=0x<64 hex>, signature=0x<130 hex>",
            )
        issued = int(found.group(1))
        now = int(self.clock() * 1000)
        if not max(now - self.window_ms, self.started_ms) <= issued <= now + self.window_ms:
            raise Unauthorized(
                401,
                "stale_authorization",
                f"the request was issued at {issued} ms; the hub takes requests issued within "
                f"{self.window_ms // 1000} s of its clock ({now} ms) and after it started: "
                "sign it again",
            )
        request = ch.HubRequest(
            channel, action, issued, bytes.fromhex(found.group(2)), keccak(body)
        )
        digest = request.digest(self.domain)
        signer = eip712.recover_address_bytes(digest, bytes.fromhex(found.group(3)))
        if signer is None or signer.hex() != payer[2:].lower():
            raise Unauthorized(
                403,
                "not_payer",
                f"not signed by channel {channel}'s payer for {action!r} with this body "
                "on this chain and contract",
            )
        self._checked += 1
        if self._checked % 1024 == 0:
            self._forget(now)
        seen = self._seen.setdefault(channel, {})
        if digest in seen:
            raise Unauthorized(401, "replayed_authorization", "this request was made already")
        if len(seen) >= self.per_channel:
            for old in [d for d, expiry in seen.items() if expiry < now]:
                del seen[old]
            if len(seen) >= self.per_channel:
                raise Unauthorized(
                    429,
                    "too_many_requests",
                    f"more than {self.per_channel} requests on channel {channel} within "
                    f"{self.window_ms // 1000} s",
                )
        seen[digest] = issued + self.window_ms  # past this it is stale anyway

    def _forget(self, now: int) -> None:
        """Drop what can no longer be replayed (stale anyway)."""
        for channel in list(self._seen):
            seen = {d: e for d, e in self._seen[channel].items() if e >= now}
            if seen:
                self._seen[channel] = seen
            else:
                del self._seen[channel]
