"""The chain gateway of every off-chain process: web3.py over an RPC URL, the deployment
manifest for addresses, and the ABIs packaged with bpsa (`bpsa.core.abis`). The oracle
nodes, the channel hub's watcher and client, and the swap coordinator each talk to a
chain through a `Gateway` (or a subclass adding their own reads); the indexer, the query
API and the QR verifier, whose hot paths cannot afford web3.py's per-call cost, through
its raw transport (`bpsa.core.rpc.Rpc`, also `Gateway.rpc`). Ape stays where users meet
the suite: scripts, the console and the tests.

Every RPC call that fails for a connection reason raises `ChainUnavailable`, so the
caller can back off and retry; a transaction or call the chain rejects raises
`ChainRejected` with the contract's reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.exceptions import BlockNotFound, ContractLogicError, TimeExhausted
from web3.types import RPCEndpoint

from bpsa.core.abis import load_abis
from bpsa.core.errors import ChainError, ChainRejected, ChainUnavailable, InputError
from bpsa.core.manifest import CONTRACT_TYPES, Manifest
from bpsa.core.rpc import Rpc

T = TypeVar("T")
# web3 polls for a receipt every 0.1 s by default: a tenth of a second per transaction on
# a chain that mines at once (anvil) and nothing gained on one that takes seconds.
RECEIPT_POLL = 0.005


__all__ = ["Backoff", "ChainError", "ChainRejected", "ChainUnavailable", "Gateway", "depth"]


def depth(confirmations: int) -> int:
    """`confirmations` checked as how deep a block must be before a process acts on it
    (0 on a local chain that never reorganises); InputError otherwise."""
    if isinstance(confirmations, bool) or not isinstance(confirmations, int) or confirmations < 0:
        raise InputError(f"confirmations is a number of blocks, 0 or more, got {confirmations!r}")
    return confirmations


class Backoff:
    """The one retry policy of the off-chain processes: a step that found a chain (or
    IPFS) unreachable waits 0.5 s, doubling to `cap`, and the first success resets it.
    The gateway itself never retries: it fails fast, so the loop that called it decides."""

    def __init__(self, first: float = 0.5, cap: float = 30.0) -> None:
        self.first, self.cap, self.delay = first, cap, 0.0

    def failed(self) -> float:
        self.delay = self.first if self.delay == 0 else min(self.delay * 2, self.cap)
        return self.delay

    def succeeded(self) -> None:
        self.delay = 0.0


class Gateway:
    """One deployment's contracts on one chain, read and written with web3.py."""

    def __init__(
        self,
        rpc_url: str,
        manifest: Manifest,
        abis: dict[str, Any] | None = None,
        timeout: float = 15.0,
    ) -> None:
        # web3 would retry a dead endpoint for half a minute by itself: the gateway fails
        # fast (`ChainUnavailable`) and the caller's loop backs off (`Backoff`).
        # web3's validation asks the endpoint its chain id before every call: cached per
        # gateway, that halves the requests a node makes (an endpoint keeps its chain id).
        provider = Web3.HTTPProvider(
            rpc_url,
            request_kwargs={"timeout": timeout},
            exception_retry_configuration=None,
            cache_allowed_requests=True,
            cacheable_requests={RPCEndpoint("eth_chainId")},
        )
        self.w3 = Web3(provider)
        self.rpc = Rpc(rpc_url, timeout=timeout)  # raw JSON-RPC, for the fast paths
        self.manifest = manifest
        self._abis = abis or load_abis()
        self._nonces: dict[str, int] = {}
        self._chain_id: int | None = None

    def contract(self, name: str) -> Any:
        """Another contract of the deployment by manifest name (Licensing, BPC, ...)."""
        return self._contract(self._abis, name, CONTRACT_TYPES.get(name, name))

    def _contract(self, abis: dict[str, Any], name: str, kind: str) -> Any:
        address = Web3.to_checksum_address(self.manifest.address(name))
        return self.w3.eth.contract(address=address, abi=abis[kind])

    def call(self, fn: Callable[[], T]) -> T:
        """Run one read; connection failures become `ChainUnavailable`."""
        try:
            return fn()
        except ContractLogicError as exc:
            raise ChainRejected(str(exc.message or exc)) from None
        except (OSError, ConnectionError) as exc:
            raise ChainUnavailable(f"the RPC endpoint did not answer: {exc}") from None
        except Exception as exc:  # requests' errors wrap the socket's
            if "Connection" in type(exc).__name__ or "Timeout" in type(exc).__name__:
                raise ChainUnavailable(f"the RPC endpoint did not answer: {exc}") from None
            raise

    # -- reads ------------------------------------------------------------------------

    def chain_id(self) -> int:
        if self._chain_id is None:
            self._chain_id = int(self.call(lambda: self.w3.eth.chain_id))
        return self._chain_id

    def head(self) -> int:
        return int(self.call(lambda: self.w3.eth.block_number))

    def block_hash(self, number: int) -> bytes | None:
        """The hash of block `number` on the chain as it is now; None past its head."""
        try:
            block = self.call(lambda: self.w3.eth.get_block(number))
        except BlockNotFound:
            return None
        return bytes(block["hash"])

    def newest_on_chain(self, kept: Iterable[tuple[int, bytes]]) -> int | None:
        """Of checkpoints `kept` (block, hash), newest first, the newest whose block the
        chain still has with that hash: where a reorganisation forked, for a process that
        rewinds to it. None when the chain replaced every one of them."""
        for block, digest in kept:
            if self.block_hash(block) == digest:
                return block
        return None

    def now(self) -> int:
        return int(self.call(lambda: self.w3.eth.get_block("latest"))["timestamp"])

    # -- transactions -----------------------------------------------------------------

    def forget_nonces(self) -> None:
        """Read each account's nonce afresh at the next send (a reorganisation may have
        dropped transactions the cached nonce counted)."""
        self._nonces.clear()

    def send(self, account: LocalAccount, fn: Any, timeout: float = 120.0) -> Any:
        """Sign and send a contract call from `account`; waits for its receipt."""
        return self.send_many(account, [fn], timeout)[0]

    def send_many(self, account: LocalAccount, fns: list[Any], timeout: float = 120.0) -> list[Any]:
        """Sign and send calls from `account` back to back (consecutive nonces), then
        wait for every receipt: one round trip to the chain's block time for all of them.
        Each call's gas is estimated first, so a call that would revert raises
        `ChainRejected` before it is sent (the ones before it are sent and awaited; a
        call whose estimate fails is estimated again once those are mined, since it may
        depend on them and a busy node may not have mined them yet). A
        transaction not mined within `timeout` seconds (the node dropped it, say) raises
        `ChainUnavailable`; after any failure the next send reads the account's nonce
        from the chain again, so a dropped transaction leaves no gap behind it."""
        sender = account.address
        hashes: list[Any] = []

        def build_and_send() -> None:
            if self._chain_id is None:
                self._chain_id = int(self.w3.eth.chain_id)
            if sender not in self._nonces:
                self._nonces[sender] = self.w3.eth.get_transaction_count(sender, "pending")
            base = int(self.w3.eth.get_block("latest").get("baseFeePerGas", 0) or 0)
            tip = int(self.w3.eth.max_priority_fee)
            fees = {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip}
            for fn in fns:
                fields = {"from": sender, "nonce": self._nonces[sender], "chainId": self._chain_id}
                try:
                    tx = fn.build_transaction({**fields, **fees})
                except ContractLogicError:
                    if not hashes:
                        raise
                    # It may depend on the calls sent before it (an approve, say) that the
                    # node has not mined yet: estimate it again once they are.
                    wait()
                    tx = fn.build_transaction({**fields, **fees})
                signed = account.sign_transaction(tx)
                hashes.append(self.w3.eth.send_raw_transaction(signed.raw_transaction))
                self._nonces[sender] += 1

        def wait() -> list[Any]:
            try:
                return [
                    self.w3.eth.wait_for_transaction_receipt(
                        h, timeout=timeout, poll_latency=RECEIPT_POLL
                    )
                    for h in hashes
                ]
            except TimeExhausted as exc:
                raise ChainUnavailable(f"not mined within {timeout:g} s: {exc}") from None

        try:
            try:
                self.call(build_and_send)
            finally:
                receipts = self.call(wait)
        except BaseException:  # refused, unreachable, not mined: re-read the nonce next time
            self._nonces.pop(sender, None)
            raise
        for receipt in receipts:
            if receipt["status"] != 1:
                raise ChainRejected(f"transaction {receipt['transactionHash'].hex()} reverted")
        return receipts
