"""Gas of the pool: BPC transfers, certificates, the lifecycle, royalties.

- `gas.bpc.transfer` beside snekmate's plain ERC-20 (`contracts/reference/`), both
  moving tokens to an address that held none.
- Certificates: one certificate with two oracle signatures; a batch of 1,000 (the
  root's transaction over 1,000); the proof check of one certificate of that
  batch (`verify_proof`, a view: its eth_estimateGas); entering it (`prove`).
- Royalties: `claim` by a contributor holding every pooled patent, in a pool of 10
  and in a pool of 10,000 (reference: the 10). The 10,000 are pooled through the
  real lifecycle (submit, prove, certify, rate, pool), sent as JSON-RPC batches of
  `eth_sendTransaction` to anvil's unlocked test accounts so set-up takes about a
  minute or two. In these pools the council is an externally owned account (no
  council proposal per patent) and the three experts' ballots of every patent go in
  one phase; gas of the measured calls does not depend on either. The royalty
  pools live on a second, bare anvil (see `_bare_anvil`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

from bench.common import REASONING, Result
from bpsa.core import certificates as certs
from bpsa.core.accounts import TEST_MNEMONIC
from bpsa.core.codes import CertStatus, Kind, Role, Source
from bpsa.core.progress import Bar, progress
from bpsa.sdk.deploy import PoolParams, deploy_pool

YEAR = 365 * 24 * 3600
DOCUMENT = bytes.fromhex("d0" * 32)
BIG_POOL = int(os.environ.get("BENCH_POOL_SIZE", "10000"))
RPC_BATCH = 500


def _members(project: Any, deployer: Any, council: Any, roles: list[tuple[Any, Role]]) -> Any:
    alliance = project.Alliance.deploy(council.address, sender=deployer)
    for member, role in roles:
        alliance.apply(int(Kind.SME), bytes.fromhex("11" * 32), sender=member)
        alliance.admit(member.address, *alliance.application_of(member.address), sender=council)
        alliance.grant_role(member.address, int(role), sender=council)
    return alliance


def _numbers(n: int, prefix: str) -> list[str]:
    return [f"{prefix}{i:07d}" for i in range(n)]


class Rpc:
    """Batched eth_sendTransaction from anvil's unlocked accounts.

    Transactions go to anvil's pool with automine off and explicit nonces, a batch
    at a time, then blocks are mined until the pool is empty: far faster than one
    block per transaction, and every transaction of a phase lands before the next
    phase starts.
    """

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self.session = requests.Session()

    def _call(self, method: str, params: list[Any]) -> Any:
        reply = self._batch([(method, params)])[0]
        if "error" in reply:
            raise RuntimeError(f"bench: {method} failed: {reply['error']}")
        return reply["result"]

    def _batch(self, calls: list[tuple[str, list[Any]]]) -> list[dict[str, Any]]:
        body = [
            {"jsonrpc": "2.0", "id": i, "method": method, "params": params}
            for i, (method, params) in enumerate(calls)
        ]
        replies: list[dict[str, Any]] = self.session.post(self.uri, json=body, timeout=600).json()
        return sorted(replies, key=lambda r: int(r["id"]))

    def send_all(self, txs: list[dict[str, str]], bar: Bar | None = None) -> None:
        """Every one of `txs` mined and successful; `bar` advanced by each chunk mined."""
        nonces: dict[str, int] = {}
        for tx in txs:
            sender = tx["from"]
            if sender not in nonces:
                nonces[sender] = int(self._call("eth_getTransactionCount", [sender, "pending"]), 16)
            tx["nonce"] = hex(nonces[sender])
            nonces[sender] += 1
        self._call("evm_setAutomine", [False])
        try:
            for start in range(0, len(txs), RPC_BATCH):
                chunk = txs[start : start + RPC_BATCH]
                replies = self._batch([("eth_sendTransaction", [tx]) for tx in chunk])
                errors = [r["error"] for r in replies if "error" in r]
                if errors:
                    raise RuntimeError(f"bench: {len(errors)} transactions refused: {errors[0]}")
                for _ in range(len(chunk) + 10):
                    if int(self._call("txpool_status", [])["pending"], 16) == 0:
                        break
                    self._call("evm_mine", [])
                self._check([r["result"] for r in replies])
                if bar is not None:
                    bar.advance(len(chunk))
        finally:
            self._call("evm_setAutomine", [True])

    def _check(self, hashes: list[str]) -> None:
        """Every transaction mined and successful; a revert stops the bench."""
        for start in range(0, len(hashes), RPC_BATCH):
            chunk = hashes[start : start + RPC_BATCH]
            replies = self._batch([("eth_getTransactionReceipt", [h]) for h in chunk])
            missing = sum(1 for r in replies if not r.get("result"))
            failed = sum(1 for r in replies if r.get("result") and r["result"]["status"] != "0x1")
            if missing or failed:
                raise RuntimeError(
                    f"bench: {missing} set-up transactions unmined, {failed} reverted"
                )


def _tx(sender: Any, contract: Any, method: str, *args: Any) -> dict[str, str]:
    data = bytes(getattr(contract, method).encode_input(*args))
    return {
        "from": str(sender.address),
        "to": str(contract.address),
        "data": "0x" + data.hex(),
        "gas": hex(1_000_000),
    }


def _pool_of(project: Any, deployer: Any, council: Any, alliance: Any) -> dict[str, Any]:
    params = PoolParams(oracle_threshold=2, core_threshold=0)
    return deploy_pool(project, deployer, alliance.address, council.address, params)


def _fill(
    rpc: Rpc,
    chain: Any,
    contracts: dict[str, Any],
    owners: list[Any],
    oracles: list[Any],
    experts: list[Any],
    council: Any,
) -> None:
    """Pool one patent per entry of `owners` (its contributor), through the real lifecycle."""
    pool, certificates = contracts["PatentPool"], contracts["Certificates"]
    domain = certs.domain(chain.chain_id, str(certificates.address))
    expiry = int(chain.pending_timestamp) + 10 * YEAR
    n = len(owners)
    numbers = _numbers(n, "9")
    batch = [
        certs.Certificate(
            "US", number, DOCUMENT, str(owner.address), CertStatus.IN_FORCE, expiry, 1
        )
        for number, owner in zip(numbers, owners, strict=True)
    ]
    tree = certs.MerkleTree([c.leaf() for c in batch])
    sigs = certs.quorum(certs.sign_batch(domain, tree.root, n, o.private_key) for o in oracles)
    certificates.attest_batch(tree.root, n, sigs, sender=council)
    zero = "0x" + "00" * 20
    ids = [certs.patent_id("US", number) for number in numbers]
    # a bar of the set-up's transactions on a terminal (the 10,000-patent pool's 70,000)
    total = n * (4 + len(experts))
    with progress(f"pooling {n:,} patents", total, unit="txs", min_total=1_000) as bar:
        rpc.send_all(
            [
                _tx(owner, pool, "submit", "US", num, DOCUMENT, int(Source.CONTRIBUTED), zero, 0)
                for num, owner in zip(numbers, owners, strict=True)
            ],
            bar,
        )
        rpc.send_all(
            [
                _tx(council, certificates, "prove", c.as_arg(), tree.root, tree.proof(c.leaf()))
                for c in batch
            ],
            bar,
        )
        rpc.send_all([_tx(council, pool, "certify", i) for i in ids], bar)
        # every expert's ballot of every patent in one phase: whichever lands last settles
        rpc.send_all(
            [_tx(e, pool, "rate", i, 80, 10_000 * 10**18, REASONING) for e in experts for i in ids],
            bar,
        )
        rpc.send_all([_tx(council, pool, "pool", i) for i in ids], bar)
    if int(pool.pooled_count()) != n:
        raise RuntimeError(f"bench: pooled {pool.pooled_count()} patents of {n}")


def _pay_and_claim(contracts: dict[str, Any], payer: Any, provider: Any) -> tuple[int, int]:
    """A fee, then the provider's claim: the gas of each."""
    bpc, royalties = contracts["BPC"], contracts["Royalties"]
    amount = 10 * 10**18
    bpc.transfer(payer.address, amount, sender=provider)
    bpc.approve(royalties.address, amount, sender=payer)
    pay = royalties.pay(amount, b"\x01" * 32, sender=payer)
    return int(pay.gas_used), int(royalties.claim(sender=provider).gas_used)


def run() -> dict[str, Result]:
    from ape import accounts, chain, project

    acct = accounts.test_accounts
    deployer, council, provider = acct[0], acct[9], acct[3]
    oracles, experts = [acct[12], acct[13]], [acct[15], acct[16], acct[17]]
    alliance = _members(
        project,
        deployer,
        council,
        [(provider, Role.PROVIDER)]
        + [(o, Role.ORACLE) for o in oracles]
        + [(e, Role.EXPERT) for e in experts],
    )
    results: dict[str, Result] = {}

    # The lifecycle of one patent in a pool with two-signature certificates and three experts.
    full = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    pool, certificates = full["PatentPool"], full["Certificates"]
    domain = certs.domain(chain.chain_id, str(certificates.address))
    now = int(chain.pending_timestamp)
    pool.submit(
        "US", "10000001", DOCUMENT, int(Source.CONTRIBUTED), "0x" + "00" * 20, 0, sender=provider
    )
    submit = pool.submit(
        "US", "10000002", DOCUMENT, int(Source.CONTRIBUTED), "0x" + "00" * 20, 0, sender=provider
    )
    singles = []
    for number in ("10000001", "10000002"):
        cert = certs.Certificate(
            "US", number, DOCUMENT, str(provider.address), CertStatus.IN_FORCE, now + YEAR, 1
        )
        sigs = certs.quorum(certs.sign_certificate(domain, cert, o.private_key) for o in oracles)
        singles.append(certificates.attest(cert.as_arg(), sigs, sender=council))
    patent = certs.patent_id("US", "10000002")
    certify = pool.certify(patent, sender=provider)
    rates = [pool.rate(patent, 80, 10_000 * 10**18, REASONING, sender=e) for e in experts]
    pooled = pool.pool(patent, sender=council)
    results["gas.certificates.single"] = Result(singles[1].gas_used, "gas")
    results["gas.pool.submit"] = Result(submit.gas_used, "gas")
    results["gas.pool.certify"] = Result(certify.gas_used, "gas")
    results["gas.pool.rate_settling"] = Result(rates[-1].gas_used, "gas")
    results["gas.pool.pool"] = Result(pooled.gas_used, "gas")

    # A batch of 1,000 certificates.
    batch = [
        certs.Certificate(
            "EP", n, DOCUMENT, str(provider.address), CertStatus.IN_FORCE, now + YEAR, 1
        )
        for n in _numbers(1000, "3")
    ]
    tree = certs.MerkleTree([c.leaf() for c in batch])
    sigs = certs.quorum(certs.sign_batch(domain, tree.root, 1000, o.private_key) for o in oracles)
    root_tx = certificates.attest_batch(tree.root, 1000, sigs, sender=council)
    results["gas.certificates.batch1000_per_cert"] = Result(
        round(root_tx.gas_used / 1000, 1), "gas"
    )
    one = batch[417]
    proof = tree.proof(one.leaf())
    data = bytes(certificates.verify_proof.encode_input(one.as_arg(), tree.root, proof))
    web3 = chain.provider.web3
    view_gas = web3.eth.estimate_gas({"to": str(certificates.address), "data": "0x" + data.hex()})
    if not certificates.verify_proof(one.as_arg(), tree.root, proof):
        raise RuntimeError("bench: the proof did not verify")
    results["gas.certificates.verify_proof"] = Result(int(view_gas), "gas")
    prove = certificates.prove(one.as_arg(), tree.root, proof, sender=council)
    results["gas.certificates.prove"] = Result(prove.gas_used, "gas")

    # BPC transfer beside snekmate's reference ERC-20, to an address that held none.
    reference = project.ERC20Reference.deploy(sender=deployer)
    reference.mint(provider.address, 10**18, sender=deployer)
    ref_tx = reference.transfer(acct[10].address, 10**17, sender=provider)
    bpc_tx = full["BPC"].transfer(acct[10].address, 10**17, sender=provider)
    results["gas.bpc.transfer"] = Result(bpc_tx.gas_used, "gas", ref_tx.gas_used)

    results.update(_royalties())
    return results


@contextmanager
def _bare_anvil(prune: bool = True, gas_limit: int | None = None) -> Iterator[str]:
    """A second anvil for the 10,000-patent pool: ape-foundry runs anvil with
    --steps-tracing, which keeps every transaction's full trace in memory (tens of
    GB for this set-up); this one keeps none, prunes old states and has no base fee.
    Same accounts. `prune=False` keeps past states (readers that lag a block behind
    the head, like the oracle processes, need them); `gas_limit` raises the block gas
    limit (fewer blocks for a bulk set-up)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        shutil.which("anvil") or "anvil",
        "--port", str(port), "--mnemonic", TEST_MNEMONIC, "--accounts", "20",
        "--balance", "100000", *(["--prune-history"] if prune else []), "--silent",
        # Full blocks raise an EIP-1559 base fee by 12.5% each; thousands of them would
        # price the set-up's later transactions out of every block. Zero stays zero.
        "--block-base-fee-per-gas", "0",
        *(["--gas-limit", str(gas_limit)] if gas_limit else []),
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    uri = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.post(
                    uri, json={"jsonrpc": "2.0", "id": 0, "method": "eth_chainId"}, timeout=1
                )
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield uri
    finally:
        process.terminate()
        process.wait(timeout=30)


def _royalties() -> dict[str, Result]:
    """pay, and claim in a pool of 10 and of BIG_POOL patents, on one bare anvil."""
    from ape import accounts, chain, networks, project

    with (
        # big blocks: the set-up's phases (30,000 ballots among them) take fewer blocks
        _bare_anvil(gas_limit=10**9) as uri,
        networks.ethereum.local.use_provider("foundry", provider_settings={"host": uri}),
    ):
        acct = accounts.test_accounts
        deployer, council, provider, payer = acct[0], acct[9], acct[3], acct[19]
        other, oracles, experts = acct[4], [acct[12], acct[13]], acct[15:18]
        roles = [(provider, Role.PROVIDER), (other, Role.PROVIDER)]
        roles += [(expert, Role.EXPERT) for expert in experts]
        alliance = _members(project, deployer, council, roles + [(o, Role.ORACLE) for o in oracles])
        rpc = Rpc(uri)
        measured = {}
        # The provider contributes n patents; another contributor one more, whose
        # unclaimed share keeps the ledger's balance above zero in both pools alike.
        for n in (10, BIG_POOL):
            contracts = _pool_of(project, deployer, council, alliance)
            _fill(rpc, chain, contracts, [provider] * n + [other], oracles, experts, council)
            measured[n] = _pay_and_claim(contracts, payer, provider)
    return {
        "gas.royalties.pay": Result(measured[BIG_POOL][0], "gas"),
        "gas.royalties.claim_10": Result(measured[10][1], "gas"),
        f"gas.royalties.claim_{BIG_POOL}": Result(measured[BIG_POOL][1], "gas", measured[10][1]),
    }
