"""Certificates per minute end to end with an oracle committee, and gas per certificate.

On a second, bare anvil (ape-foundry's keeps a full trace of every transaction).
Three certificate nodes (threshold two) and the aggregator run as separate processes
(`bpsa.oracle.committee`), reading the chain over JSON-RPC and the documents from the
content store (the IPFS daemon when BPSA_IPFS_API is set, as `make bench` does; else
a store on disk). A provider then submits a backlog of 1,000 patents in one burst; the
clock runs from the first submission to the last patent certified on chain, so it
covers every node's scan, document and identity fetch, feed check and signature, the
aggregator's batching (a Merkle root the nodes sign, then a proof per certificate) and
`certify`. The feed is synthetic (1,000 made-up US numbers owned by the provider).

Reference, in the same run: the same chain certifying 200 more patents with no
committee, each certificate signed in-process and posted single, sequentially, with
`certify` after it (the floor a committee cannot beat by more than its batching).
`gas.oracle.per_certificate`: what the aggregator's posts cost per certificate (its
proofs plus each batch root's share), from its own log: a `prove_many` call's gas is
divided evenly over the certificates it proves, a root's over its batch.
`gas.oracle.per_certificate_with_certify`: everything the aggregator's account paid
during the burst (roots, proofs and each patent's `certify`), from the receipts of its
transactions, per certificate.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from bench.common import Result
from bench.gas_pool import _bare_anvil
from bpsa.core import certificates as certs
from bpsa.core import manifest as manifests
from bpsa.core.accounts import dev_account
from bpsa.core.cid import digest_of
from bpsa.core.codes import CertStatus, Kind, PatentStatus, Role, Source
from bpsa.oracle.board import Board
from bpsa.oracle.chain import PoolChain
from bpsa.oracle.committee import Committee
from bpsa.oracle.store import open_store
from bpsa.sdk.deploy import PoolParams, deploy_pool, manifest_for

BACKLOG = 1_000
REFERENCE = 200
PROVIDER, ORACLES, AGGREGATOR, COUNCIL = 3, (12, 13, 14), 11, 9
OWNER = "Bench Synthetic Labs"
ZERO = "0x" + "00" * 20


def _numbers(start: int, count: int) -> list[str]:
    return [str(20_000_000 + i) for i in range(start, start + count)]


def run() -> dict[str, Result]:
    """On a bare anvil of its own (no per-step tracing: what a node would face)."""
    from ape import networks

    with (
        _bare_anvil(prune=False) as uri,
        networks.ethereum.local.use_provider("foundry", provider_settings={"host": uri}),
        tempfile.TemporaryDirectory(prefix="bpsa-bench-oracle-") as work,
    ):
        return _run(Path(work))


def _run(work: Path) -> dict[str, Result]:
    from ape import accounts, chain, project

    store = open_store(os.environ.get("BPSA_IPFS_API"), work / "store")
    deployer, council = accounts.test_accounts[0], accounts.test_accounts[COUNCIL]
    alliance = project.Alliance.deploy(council.address, sender=deployer)
    members = [(PROVIDER, Kind.START_UP, Role.PROVIDER, OWNER)]
    members += [(i, Kind.NON_PROFIT, Role.ORACLE, f"Oracle {i}") for i in ORACLES]
    for index, kind, role, name in members:
        cid = store.put(json.dumps({"name": name, "sample": True}).encode())
        who = accounts.test_accounts[index]
        alliance.apply(int(kind), digest_of(cid), sender=who)
        alliance.admit(who.address, *alliance.application_of(who.address), sender=council)
        alliance.grant_role(who.address, int(role), sender=council)
    pool = deploy_pool(
        project, deployer, alliance.address, council.address, PoolParams(oracle_threshold=2)
    )
    contracts = {"Alliance": alliance, **pool}
    manifest_path = manifests.save(manifest_for(chain, contracts, deployer.address), work)

    numbers = _numbers(0, BACKLOG + REFERENCE)
    feed = work / "feed.json"
    feed.write_text(json.dumps([_record(n) for n in numbers]))
    documents = [
        digest_of(store.put(json.dumps({"office": "US", "number": n}).encode())) for n in numbers
    ]

    deployed = manifests.Manifest.from_json(json.loads(manifest_path.read_text()))
    web = PoolChain(chain.provider.uri, deployed)
    committee = Committee(
        directory=work / "committee",
        rpc=chain.provider.uri,
        manifest=manifest_path,
        feed=feed,
        nodes={f"node{i}": i for i in ORACLES},
        aggregator=AGGREGATOR,
        ipfs_api=os.environ.get("BPSA_IPFS_API"),
        store_directory=work / "store",
    )
    with committee:
        _wait_until_scanning(committee, len(ORACLES))
        start = time.perf_counter()
        first_block = web.w3.eth.block_number + 1
        _submit(web, numbers[:BACKLOG], documents[:BACKLOG])
        _wait_certified(web, committee, numbers[:BACKLOG])
        elapsed = time.perf_counter() - start
        paid = _gas_paid_by(web, dev_account(AGGREGATOR).address, first_block)
    posts = Board(committee.board).posts()
    gas = sum(g for _, how, _, _, g in posts if how in ("single", "batch"))
    counted = sum(1 for _, how, _, _, _ in posts if how in ("single", "batch"))

    reference = _reference(web, numbers[BACKLOG:], documents[BACKLOG:])
    return {
        "rate.oracle.certificates_per_min": Result(
            round(BACKLOG / elapsed * 60), "certificates/min", round(reference)
        ),
        "gas.oracle.per_certificate": Result(round(gas / counted), "gas"),
        "gas.oracle.per_certificate_with_certify": Result(round(paid / BACKLOG), "gas"),
    }


def _gas_paid_by(web: PoolChain, sender: str, first_block: int) -> int:
    """Gas of every transaction `sender` sent in blocks `first_block` to the head."""
    total = 0
    for number in range(first_block, web.w3.eth.block_number + 1):
        for receipt in web.w3.eth.get_block_receipts(number):
            if str(receipt["from"]).lower() == sender.lower():
                total += int(receipt["gasUsed"])
    return total


def _record(number: str) -> dict[str, str]:
    return {
        "office": "US",
        "number": number,
        "status": "in-force",
        "owner": OWNER,
        "next_maintenance": "2030-01-31",
        "expires": "2040-01-31",
        "title": "synthetic benchmark patent",
    }


def _wait_until_scanning(committee: Committee, nodes: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        committee.check()
        if committee.board.exists():
            board = Board(committee.board)
            scanning = sum(board.checkpoint(name) is not None for name in committee.nodes)
            board.close()
            if scanning == nodes:
                return
        time.sleep(0.2)
    raise RuntimeError("bench: the oracle nodes did not start scanning within a minute")


def _submit(web: PoolChain, numbers: list[str], documents: list[bytes]) -> None:
    """A burst of submissions from the provider, pipelined (sent, then awaited)."""
    provider = dev_account(PROVIDER)
    w3 = web.w3
    nonce = w3.eth.get_transaction_count(provider.address, "pending")
    chain_id = w3.eth.chain_id
    hashes = []
    for i, (number, document) in enumerate(zip(numbers, documents, strict=True)):
        fn = web.pool.functions.submit("US", number, document, int(Source.CONTRIBUTED), ZERO, 0)
        fields = {"from": provider.address, "nonce": nonce + i, "gas": 300_000, "chainId": chain_id}
        tx = fn.build_transaction(fields)
        hashes.append(w3.eth.send_raw_transaction(provider.sign_transaction(tx).raw_transaction))
    for tx_hash in hashes:
        receipt = w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120, poll_latency=0.005)
        if receipt["status"] != 1:
            raise RuntimeError("bench: a submission reverted")


def _wait_certified(web: PoolChain, committee: Committee, numbers: list[str]) -> None:
    deadline = time.monotonic() + 900
    pending = [certs.patent_id("US", n) for n in numbers]
    while pending:
        committee.check()
        if time.monotonic() > deadline:
            raise RuntimeError(f"bench: {len(pending)} patents still uncertified after 15 min")
        # Oldest first: when the last of the burst is certified, check the rest once.
        if web.status(pending[-1])[0] != PatentStatus.CERTIFIED:
            time.sleep(0.2)
            continue
        pending = [p for p in pending if web.status(p)[0] != PatentStatus.CERTIFIED]


def _reference(web: PoolChain, numbers: list[str], documents: list[bytes]) -> float:
    """Certificates a minute with no committee: sign in-process, post single, certify."""
    _submit(web, numbers, documents)
    domain = web.domain()
    keys = [dev_account(i) for i in ORACLES[:2]]
    poster = dev_account(AGGREGATOR)
    owner = dev_account(PROVIDER).address
    expiry = int(time.time()) + 3 * 365 * 86_400
    start = time.perf_counter()
    for number, document in zip(numbers, documents, strict=True):
        cert = certs.Certificate("US", number, document, owner, CertStatus.IN_FORCE, expiry, 1)
        sigs = certs.quorum(certs.sign_certificate(domain, cert, k.key) for k in keys)
        web.send(poster, web.certificates.functions.attest(cert.as_arg(), sigs))
        web.send(poster, web.pool.functions.certify(cert.patent))
    return len(numbers) / (time.perf_counter() - start) * 60
