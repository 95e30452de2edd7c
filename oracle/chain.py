"""The chain as an oracle node sees it: web3.py over an RPC URL, the deployment manifest
for addresses, and the ABIs from the project's compiled contracts (`ape compile` writes
`.build/__local__.json`). No ape in the loop: a node is a plain long-running process.

Every RPC call that fails for a connection reason raises `ChainUnavailable`, so the
caller can back off and retry; a transaction the chain rejects raises `ChainRejected`
with the contract's reason.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.exceptions import BlockNotFound, ContractLogicError, TimeExhausted

from bpsa import certificates as certs
from bpsa.codes import Lapse, PatentStatus, Role, Source
from bpsa.errors import BpsaError, ManifestError
from bpsa.manifest import Manifest
from bpsa.oracle.checks import Submission

BUILD = Path(__file__).resolve().parents[1] / ".build" / "__local__.json"
T = TypeVar("T")
# web3 polls for a receipt every 0.1 s by default: a tenth of a second per transaction on
# a chain that mines at once (anvil) and nothing gained on one that takes seconds.
RECEIPT_POLL = 0.005


class ChainUnavailable(BpsaError):
    """The RPC endpoint could not be reached (retry later)."""


class ChainRejected(BpsaError):
    """The chain refused a transaction or call; the message carries its reason."""


def load_abis(path: Path = BUILD) -> dict[str, list[dict[str, Any]]]:
    try:
        data = json.loads(path.read_text())
        return {name: ct["abi"] for name, ct in data["contractTypes"].items()}
    except (OSError, ValueError, KeyError) as exc:
        raise ManifestError(
            f"cannot read the compiled ABIs in {path} ({exc}): run `ape compile`"
        ) from None


class PoolChain:
    """PatentPool, Certificates and Alliance of one deployment."""

    def __init__(
        self,
        rpc_url: str,
        manifest: Manifest,
        abis: dict[str, Any] | None = None,
    ) -> None:
        self.w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 15}))
        self.manifest = manifest
        self._abis = abis or load_abis()
        self._nonces: dict[str, int] = {}
        self._patent_fields: list[str] | None = None
        self._chain_id: int | None = None

    # The pool's contracts, bound when first used (a chain that holds only Swaps and its
    # token, say, never needs them).
    @functools.cached_property
    def pool(self) -> Any:
        return self._contract(self._abis, "PatentPool", "PatentPool")

    @functools.cached_property
    def certificates(self) -> Any:
        return self._contract(self._abis, "Certificates", "Certificates")

    @functools.cached_property
    def alliance(self) -> Any:
        return self._contract(self._abis, "Alliance", "Alliance")

    @functools.cached_property
    def start_block(self) -> int:
        return self.manifest.contracts["PatentPool"].block

    def contract(self, name: str) -> Any:
        """Another contract of the deployment by manifest name (Licensing, BPC, ...)."""
        from bpsa.deploy import CONTRACT_TYPES

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

    def now(self) -> int:
        return int(self.call(lambda: self.w3.eth.get_block("latest"))["timestamp"])

    def submissions(self, from_block: int, to_block: int) -> list[Submission]:
        if to_block < from_block:
            return []
        event = self.pool.events.Submitted
        logs = self.call(lambda: event.get_logs(from_block=from_block, to_block=to_block))
        return [
            Submission(
                patent=bytes(log.args.patent),
                office=str(log.args.office),
                number=str(log.args.number),
                document=bytes(log.args.document),
                contributor=str(log.args.contributor),
                source=Source(int(log.args.source)),
                block=int(log.blockNumber),
            )
            for log in logs
        ]

    def certified_owners(self, patent: bytes) -> list[str]:
        """Every owner a certificate for `patent` (any document) named, oldest first."""
        event = self.certificates.events.CertificateAccepted
        logs = self.call(
            lambda: event.get_logs(from_block=self.start_block, argument_filters={"patent": patent})
        )
        owners: list[str] = []
        for log in logs:
            owner = str(log.args.owner)
            if owner not in owners:
                owners.append(owner)
        return owners

    def patent(self, patent: bytes) -> dict[str, Any]:
        """PatentPool's record of `patent`, by field name."""
        record = self.call(self.pool.functions.patents(patent).call)
        if self._patent_fields is None:
            entry = next(
                e for e in self.pool.abi if e.get("name") == "patents" and e["type"] == "function"
            )
            self._patent_fields = [c["name"] for c in entry["outputs"][0]["components"]]
        return dict(zip(self._patent_fields, record, strict=True))

    def status(self, patent: bytes) -> tuple[PatentStatus, bytes]:
        """The patent's status and its current document digest."""
        record = self.patent(patent)
        return PatentStatus(record["status"]), bytes(record["document"])

    def lapse(self, patent: bytes) -> Lapse:
        return Lapse(int(self.call(lambda: self.pool.functions.lapse_of(patent).call())))

    def last_nonce(self, patent: bytes, document: bytes) -> int:
        record = self.call(lambda: self.certificates.functions.certificate(patent, document).call())
        return int(record[3])

    def root_used(self, root: bytes) -> bool:
        return bool(self.call(lambda: self.certificates.functions.roots(root).call()))

    def threshold(self) -> int:
        return int(self.call(lambda: self.certificates.functions.threshold().call()))

    def is_oracle(self, who: str) -> bool:
        return bool(
            self.call(lambda: self.alliance.functions.has_role(who, int(Role.ORACLE)).call())
        )

    def identity_of(self, member: str) -> bytes:
        return bytes(self.call(lambda: self.alliance.functions.identity_of(member).call()))

    def domain(self) -> Any:
        return certs.domain(self.chain_id(), str(self.certificates.address))

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


def key_from_keystore(path: Path, password: str) -> LocalAccount:
    """An account from an encrypted JSON keystore (what `ape accounts` writes under
    ~/.ape/accounts/<alias>.json)."""
    try:
        data = json.loads(path.read_text())
        key = Account.decrypt(data, password)
    except (OSError, ValueError) as exc:
        raise BpsaError(f"cannot open the keystore {path}: {exc}") from None
    account: LocalAccount = Account.from_key(key)
    return account


TEST_MNEMONIC = "test test test test test test test test test test test junk"


def dev_account(index: int) -> LocalAccount:
    """Ape's (and anvil's) test account `index`, for local chains only."""
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(
        TEST_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}"
    )
    return account
