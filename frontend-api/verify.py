"""Answering a scanned QR payload: licensed or not, why (a machine-readable reason), and
the licence behind it. The hot path of the service.

Devices: the payload's Merkle proof from the device's position is checked here against
its batch's root and count, read from the chain (`Licensing.batches`, the same read
`bpsa.core.qr.Verifier` makes): only positions below the count verify. A batch's root and
count are written once, when the batch is registered, and never changed, so a root read at
most `root_ttl` seconds ago (default 2 s) answers as the chain would: the freshness
rule is that a scan reflects the chain as of at most `root_ttl` seconds ago (a batch
registered, or a dev chain reorganised, in the last `root_ttl` seconds may not be seen
yet). `root_ttl=0` reads the chain for every scan. Claims: the chain's facts about the
holder and the licence (BPR held, licence end, nonce floor, block time) change, so
every claim reads them (`Licensing.claim_facts`, one `eth_call`: BPR held, licence end,
nonce floor, block time, whether the holder is an active member, how many pooled patents
the licence covers) and checks the holder's signature here; a claim's answer says how
many pooled patents it licenses now. Verdicts are `bpsa.core.qr.judge_device` / `judge_claim`'s.
"""

from __future__ import annotations

import threading
import time
import zlib
from enum import StrEnum
from typing import Any

import anyio.to_thread
from eth_utils.address import to_checksum_address

from bpsa.api import chain
from bpsa.api.errors import ApiError
from bpsa.core import claims, devices, qr
from bpsa.core.devices import BatchRecord
from bpsa.core.eip712 import keccak
from bpsa.core.rpc import Rpc


class Reason(StrEnum):
    """Why a code is licensed or not."""

    DEVICE_IN_BATCH = "device_in_batch"
    UNKNOWN_BATCH = "unknown_batch"
    NOT_IN_BATCH = "not_in_batch"
    PAST_COUNT = "past_count"
    CLAIM_HOLDS = "claim_holds"
    CLAIM_EXPIRED = "claim_expired"
    CLAIM_CANCELLED = "claim_cancelled"
    NO_BPR = "no_bpr"
    HOLDER_INACTIVE = "holder_inactive"
    COVERS_NOTHING = "covers_nothing"
    LICENCE_NOT_HOLDERS = "licence_not_holders"
    LICENCE_ENDED = "licence_ended"
    BAD_SIGNATURE = "bad_signature"
    WRONG_SIGNER = "wrong_signer"
    WRONG_CHAIN = "wrong_chain"
    WRONG_CONTRACT = "wrong_contract"


# claims.verify's answers, by how they start (tests pin every one of them).
CLAIM_REASONS = (
    ("licensed", Reason.CLAIM_HOLDS),
    ("the claim expired", Reason.CLAIM_EXPIRED),
    ("the holder cancelled", Reason.CLAIM_CANCELLED),
    ("the holder holds no BPR", Reason.NO_BPR),
    ("the holder is not an active member", Reason.HOLDER_INACTIVE),
    ("the pool holds no patents", Reason.COVERS_NOTHING),
    ("a signature is 65 bytes", Reason.BAD_SIGNATURE),
    ("malformed signature", Reason.BAD_SIGNATURE),
    ("not signed by the holder", Reason.WRONG_SIGNER),
)


def claim_reason(why: str) -> Reason:
    for start, reason in CLAIM_REASONS:
        if why.startswith(start):
            return reason
    if why.endswith("is not the holder's"):
        return Reason.LICENCE_NOT_HOLDERS
    if why.endswith("has ended"):
        return Reason.LICENCE_ENDED
    if why.endswith("patent is no longer pooled"):
        return Reason.COVERS_NOTHING
    raise ValueError(f"claims.verify gave a reason this service does not know: {why!r}")


def hex32(raw: bytes) -> str:
    return "0x" + raw.hex()


DEVICE_HEAD = f"{qr.PREFIX}{qr.VERSION}{qr.KIND_DEVICE}:"
b32 = qr.b32  # the fast base32 decoder, shared with bpsa.core.qr.decode


def read_device(text: str) -> tuple[int, bytes, int, int, bytes, list[bytes]] | None:
    """A well-formed device code's (chain id, Licensing's 20 bytes, batch, index, serial,
    proof), read without the checksummed addresses `qr.decode` builds; None for anything
    else (a claim, or a code `qr.decode` would refuse: it then names the problem). Tests
    pin it to `qr.decode` on genuine, counterfeit, truncated and tampered codes."""
    text = text.strip()
    if not text.startswith(DEVICE_HEAD):
        return None
    framed = b32(text[len(DEVICE_HEAD) :])
    if framed is None:
        return None
    body, crc = framed[:-4], framed[-4:]
    if len(framed) < 4 or zlib.crc32(body).to_bytes(4, "big") != crc or len(body) < 73:
        return None
    count = body[72]
    if len(body) != 73 + 32 * count or count > qr.MAX_PROOF:
        return None
    index = int.from_bytes(body[36:40], "big")
    if index > devices.INDEX_MAX:
        return None
    proof = [body[73 + 32 * i : 105 + 32 * i] for i in range(count)]
    batch = int.from_bytes(body[28:36], "big")
    return int.from_bytes(body[:8], "big"), body[8:28], batch, index, body[40:72], proof


def in_batch(index: int, serial: bytes, proof: list[bytes], root: bytes, count: int) -> bool:
    """`devices.verify(index, serial, proof, root, count)` with the fast keccak."""
    if not 0 <= index < count or len(proof) != devices.depth(count):
        return False
    node, position = keccak(keccak(index.to_bytes(32, "big") + serial)), index
    for sibling in proof:
        node = keccak(node + sibling) if position & 1 == 0 else keccak(sibling + node)
        position >>= 1
    return node == root


class ScanVerifier:
    """One per worker: decodes, checks proofs and signatures, reads the chain."""

    def __init__(self, rpc: Rpc, chain_id: int, licensing: str, root_ttl: float = 2.0) -> None:
        self.rpc, self.chain_id = rpc, chain_id
        self.licensing = str(to_checksum_address(licensing))
        self.root_ttl = root_ttl
        self._roots: dict[int, tuple[float, BatchRecord]] = {}
        self._lock = threading.Lock()
        self._licensing_raw = bytes.fromhex(licensing[2:])

    @staticmethod
    def decode(text: str) -> qr.Payload:
        try:
            return qr.decode(text)
        except qr.QrError as exc:
            raise ApiError(400, "unreadable_code", str(exc)) from None

    def _foreign(self, payload: qr.Payload) -> Reason | None:
        if payload.chain_id != self.chain_id:
            return Reason.WRONG_CHAIN
        if payload.licensing.lower() != self.licensing.lower():
            return Reason.WRONG_CONTRACT
        return None

    def cached_batch(self, batch: int) -> tuple[BatchRecord, float] | None:
        hit = self._roots.get(batch)
        if hit is None:
            return None
        age = time.monotonic() - hit[0]
        return (hit[1], age) if age < self.root_ttl else None

    def read_batch(self, batch: int) -> BatchRecord:
        record = chain.batch_record(self.rpc, self.licensing, batch)
        if self.root_ttl > 0:
            with self._lock:
                if len(self._roots) > 100_000:  # bounded: unknown ids must not grow it
                    self._roots.clear()
                self._roots[batch] = (time.monotonic(), record)
        return record

    async def verify(self, text: str) -> dict[str, Any]:
        """The answer's body (`models.VerifyResponse`)."""
        device = read_device(text)
        if device is not None and device[0] == self.chain_id and device[1] == self._licensing_raw:
            return await self._fast_device(*device[2:])
        payload = self.decode(text)
        foreign = self._foreign(payload)
        if foreign is not None:
            why = (
                f"the code is for chain {payload.chain_id}, not {self.chain_id}"
                if foreign == Reason.WRONG_CHAIN
                else f"the code names another Licensing contract ({payload.licensing})"
            )
            return self._answer(payload, False, foreign, why, None, None)
        if isinstance(payload, qr.DevicePayload):
            return await self._device(payload)
        return await self._claim(payload)

    async def _batch(self, batch: int) -> tuple[BatchRecord, dict[str, Any]]:
        hit = self.cached_batch(batch)
        if hit is None:
            record = await anyio.to_thread.run_sync(self.read_batch, batch)
            return record, {"source": "chain", "age_s": 0.0}
        return hit[0], {"source": "cache", "age_s": round(hit[1], 3)}

    async def _fast_device(
        self, batch: int, index: int, serial: bytes, proof: list[bytes]
    ) -> dict[str, Any]:
        """A device code for this chain and contract: the hot path."""
        record, checked = await self._batch(batch)
        root = record.root
        known = root != bytes(32)
        licensed = known and in_batch(index, serial, proof, root, record.count)
        if licensed:
            reason, why = Reason.DEVICE_IN_BATCH, f"device {index:,} of batch {batch}"
        elif known and index >= record.count:
            reason = Reason.PAST_COUNT
            why = f"position {index:,} is past the {record.count:,} devices batch {batch} paid for"
        elif known:
            reason, why = Reason.NOT_IN_BATCH, "no licensed batch holds this device"
        else:
            reason, why = Reason.UNKNOWN_BATCH, "no batch with this id"
        return {
            "licensed": licensed,
            "reason": reason.value,
            "detail": why,
            "covers": None,
            "chain_id": self.chain_id,
            "licensing": self.licensing,
            "licence": self._batch_licence(record) if known else None,
            "checked": checked,
            "kind": "device",
            "device": {
                "batch": batch,
                "index": index,
                "serial": hex32(serial),
                "proof_length": len(proof),
            },
            "claim": None,
        }

    @staticmethod
    def _batch_licence(record: BatchRecord) -> dict[str, Any]:
        return {
            "kind": "device_batch",
            "batch": record.batch,
            "maker": record.maker,
            "product": hex32(record.product),
            "root": hex32(record.root),
            "count": record.count,
            "registered_at": record.registered_at,
        }

    async def _device(self, payload: qr.DevicePayload) -> dict[str, Any]:
        """A device code `read_device` passed over (none known): `qr.judge_device`."""
        record, checked = await self._batch(payload.batch)
        verdict = qr.judge_device(payload, record.root, record.count)
        known = record.root != bytes(32)
        if verdict.licensed:
            reason = Reason.DEVICE_IN_BATCH
        elif known and payload.index >= record.count:
            reason = Reason.PAST_COUNT
        else:
            reason = Reason.NOT_IN_BATCH if known else Reason.UNKNOWN_BATCH
        licence = self._batch_licence(record) if known else None
        return self._answer(payload, verdict.licensed, reason, verdict.reason, licence, checked)

    async def _claim(self, payload: qr.ClaimPayload) -> dict[str, Any]:
        c = payload.claim
        w = await anyio.to_thread.run_sync(
            chain.claim_facts, self.rpc, self.licensing, c.holder, c.licence
        )
        facts = claims.facts_from_words(w)
        verdict = qr.judge_claim(payload, facts)
        licence = {
            "kind": "bpr" if c.licence == 0 else "patent_licence",
            "holder": c.holder,
            "licence": str(c.licence),
            "holds_bpr": facts.holds_bpr,
            "holder_active": facts.holder_active,
            "licensee": facts.licensee if c.licence else None,
            "licence_end": facts.licence_end if c.licence else None,
            "nonce_floor": str(facts.nonce_floor),
            "covers": facts.covers,
        }
        checked = {"source": "chain", "age_s": 0.0, "block_time": facts.now}
        reason = claim_reason(verdict.reason)
        answer = self._answer(payload, verdict.licensed, reason, verdict.reason, licence, checked)
        answer["covers"] = verdict.covers
        return answer

    def _answer(
        self,
        payload: qr.Payload,
        licensed: bool,
        reason: Reason,
        detail: str,
        licence: dict[str, Any] | None,
        checked: dict[str, Any] | None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "licensed": licensed,
            "reason": reason.value,
            "detail": detail,
            "covers": 0 if isinstance(payload, qr.ClaimPayload) else None,
            "chain_id": payload.chain_id,
            "licensing": payload.licensing,
            "licence": licence,
            "checked": checked,
        }
        if isinstance(payload, qr.DevicePayload):
            body["kind"] = "device"
            body["device"] = {
                "batch": payload.batch,
                "index": payload.index,
                "serial": hex32(payload.serial),
                "proof_length": len(payload.proof),
            }
            body["claim"] = None
        else:
            c = payload.claim
            body["kind"] = "claim"
            body["device"] = None
            body["claim"] = {
                "holder": c.holder,
                "licence": str(c.licence),
                "subject": hex32(c.subject),
                "expiry": c.expiry,
                "nonce": str(c.nonce),
            }
        return body
