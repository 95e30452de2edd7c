"""The API's chain reads, each one `eth_call` through the gateway's raw transport
(`bpsa.core.rpc.Rpc`: kept-alive connections shared by a worker's threads). Blocking;
async routes run them in a thread. A node that does not answer raises the gateway's
`ChainUnavailable` (503 `chain_unavailable`)."""

from __future__ import annotations

from eth_utils.abi import function_signature_to_4byte_selector
from eth_utils.address import to_checksum_address

from bpsa.core.devices import BatchRecord
from bpsa.core.errors import ChainUnavailable
from bpsa.core.rpc import Rpc


def selector(signature: str) -> bytes:
    return bytes(function_signature_to_4byte_selector(signature))


def word(value: int) -> bytes:
    return value.to_bytes(32, "big")


def address_word(address: str) -> bytes:
    return bytes(12) + bytes.fromhex(address[2:])


def words(out: bytes) -> list[bytes]:
    return [out[i : i + 32] for i in range(0, len(out) - len(out) % 32, 32)]


def as_int(w: bytes) -> int:
    return int.from_bytes(w, "big")


def as_address(w: bytes) -> str:
    return str(to_checksum_address(w[12:]))


BATCHES = selector("batches(uint256)")
CLAIM_FACTS = selector("claim_facts(address,uint256)")
HUB = selector("HUB()")


def batch_record(rpc: Rpc, licensing: str, batch: int) -> BatchRecord:
    """Licensing.batches(batch), one `eth_call`."""
    w = words(rpc.call(licensing, BATCHES + word(batch)))
    if len(w) < 5:
        raise ChainUnavailable("Licensing.batches answered too short a result")
    agreement = w[5] if len(w) > 5 else bytes(32)
    return BatchRecord(batch, as_address(w[0]), w[1], w[2], as_int(w[3]), as_int(w[4]), agreement)


def claim_facts(rpc: Rpc, licensing: str, holder: str, licence: int) -> list[bytes]:
    """Licensing.claim_facts(holder, licence) as words, one `eth_call`."""
    w = words(rpc.call(licensing, CLAIM_FACTS + address_word(holder) + word(licence)))
    if len(w) < 7:
        raise ChainUnavailable("Licensing.claim_facts answered too short a result")
    return w


def hub_of(rpc: Rpc, channels: str) -> str:
    """Channels.HUB(): the channel hub's address."""
    return as_address(rpc.call(channels, HUB)[:32])
