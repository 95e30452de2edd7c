"""Gas of many certificates in one transaction: `Certificates.prove_many`.

A batch of 1,000 certificates (its root accepted with two oracle signatures), then a
chunk of 200 of them, neighbours in the tree, entered with one multi-proof, as the
aggregator sends them (`gas.certificates.prove_many_per_cert`: the call's gas over
200). One of the chunk's patents was submitted: its `certify` after the chunk, as the
aggregator sends it, in a transaction of its own (`gas.certificates.certify_after_proof`).
`python bench/gas_breakdown.py gas_certificates` traces both, opcode by opcode.
"""

from __future__ import annotations

from typing import Any

from bench.common import Result
from bench.gas_pool import DOCUMENT, YEAR, _members, _numbers
from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Role, Source
from bpsa.sdk.deploy import PoolParams, deploy_pool

BATCH = 1_000
CHUNK = 200  # certificates in the measured call


def scenario() -> dict[str, Any]:
    """Deploys and runs the measured transactions; returns their receipts by benchmark
    name ("receipts") and the contracts by name ("contracts")."""
    from ape import accounts, chain, project

    acct = accounts.test_accounts
    deployer, council, provider, oracles = acct[0], acct[9], acct[3], [acct[12], acct[13]]
    roles = [(provider, Role.PROVIDER)] + [(o, Role.ORACLE) for o in oracles]
    alliance = _members(project, deployer, council, roles)
    pool = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    certificates, patent_pool = pool["Certificates"], pool["PatentPool"]
    domain = certs.domain(chain.chain_id, str(certificates.address))
    expiry = int(chain.pending_timestamp) + YEAR
    owner = str(provider.address)
    batch = [
        certs.Certificate("US", n, DOCUMENT, owner, CertStatus.IN_FORCE, expiry, 1)
        for n in _numbers(BATCH, "5")
    ]
    tree = certs.MerkleTree([c.leaf() for c in batch])
    sigs = certs.quorum(certs.sign_batch(domain, tree.root, BATCH, o.private_key) for o in oracles)
    certificates.attest_batch(tree.root, BATCH, sigs, sender=council)
    by_leaf = {c.leaf(): c for c in batch}
    (mp, *_) = certs.multiproof_chunks(tree, tree.leaves[300 : 300 + CHUNK], CHUNK)
    chosen = [by_leaf[leaf] for leaf in mp.leaves]
    first = chosen[0]
    zero = "0x" + "00" * 20
    patent_pool.submit(
        "US", first.number, DOCUMENT, int(Source.CONTRIBUTED), zero, 0, sender=provider
    )
    many = certificates.prove_many(
        [c.as_arg() for c in chosen],
        tree.root,
        mp.proof,
        mp.flags,
        sender=council,
        gas=10_000_000,  # ape's default, the block's limit, is over a transaction's (EIP-7825)
    )
    certify = patent_pool.certify(first.patent, sender=council)
    return {
        "receipts": {
            "gas.certificates.prove_many_200": many,
            "gas.certificates.certify_after_proof": certify,
        },
        "contracts": {"Certificates": certificates, "PatentPool": patent_pool},
        "count": len(chosen),
    }


def run() -> dict[str, Result]:
    ran = scenario()
    many = ran["receipts"]["gas.certificates.prove_many_200"]
    certify = ran["receipts"]["gas.certificates.certify_after_proof"]
    return {
        "gas.certificates.prove_many_per_cert": Result(round(many.gas_used / ran["count"]), "gas"),
        "gas.certificates.certify_after_proof": Result(certify.gas_used, "gas"),
    }
