"""Gas of the exchange's "three-in-one" trade beside Molecule's OTC sale of IP-NFTs
(about 148,000 gas to list and 58,000 to fulfil).

A pool with pooled patents (council: an externally owned account, so set-up is a
transaction per step), its licence desk and the exchange, which the council names in
PatentPool and Licensing. A warm-up sale first, so the figures are a steady state (the
listing counter, the royalty ledger and every balance already written): then the
provider lists a patent's assignment and another provider buys it (BPC from the buyer,
10% into the royalty split, 90% to the seller, and the registry's contributor of record
with the royalty weight moved), and the new holder lists an exclusive licence (field,
territory, two years) that a member buys (the licence recorded in Licensing).

What the figures include that Molecule's do not: the royalty split (Royalties.pay) and
the registry update (PatentPool.assign, with two royalty-weight changes, or Licensing's
licence record), each with its checks of the patent's state and certificate.
"""

from __future__ import annotations

from typing import Any

from bench.common import REASONING, Result
from bench.gas_pool import _members
from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Role, Source
from bpsa.sdk.deploy import (
    ExchangeParams,
    LicensingParams,
    PoolParams,
    deploy_exchange,
    deploy_licensing,
    deploy_pool,
)

DOCUMENT = bytes.fromhex("d0" * 32)
YEAR = 365 * 24 * 3600
BPC = 10**18
PRICE = 1_000 * BPC
MOLECULE_LIST = 148_000
MOLECULE_FULFIL = 58_000


def scenario() -> dict[str, Any]:
    """Deploys and runs the measured transactions; returns their receipts ("receipts":
    benchmark name -> receipt) and the contracts by name ("contracts").
    `bench/gas_breakdown.py` traces the same receipts."""
    from ape import accounts, chain, project

    acct = accounts.test_accounts
    deployer, council, provider, buyer = acct[0], acct[9], acct[3], acct[4]
    licensee, experts, oracle = acct[5], [acct[15], acct[16], acct[17]], acct[12]
    roles = [
        (provider, Role.PROVIDER),
        (buyer, Role.PROVIDER),
        (licensee, Role.DEMANDER),
        *[(expert, Role.EXPERT) for expert in experts],
        (oracle, Role.ORACLE),
    ]
    alliance = _members(project, deployer, council, roles)
    pool = deploy_pool(
        project,
        deployer,
        alliance.address,
        council.address,
        PoolParams(oracle_threshold=1),  # the pool's quorum of three experts
    )
    lic = deploy_licensing(
        project, deployer, alliance.address, pool, council.address, LicensingParams()
    )
    exchange = deploy_exchange(
        project, deployer, alliance.address, pool, lic, council.address, ExchangeParams()
    )["Exchange"]
    bpc, patent_pool = pool["BPC"], pool["PatentPool"]
    patent_pool.set_exchange(exchange, sender=council)
    lic["Licensing"].set_exchange(exchange, sender=council)

    domain = certs.domain(chain.chain_id, str(pool["Certificates"].address))
    patents = []
    for number in ("11234567", "11234568"):
        patent_pool.submit(
            "US", number, DOCUMENT, int(Source.CONTRIBUTED), "0x" + "00" * 20, 0, sender=provider
        )
        expiry = int(chain.pending_timestamp) + YEAR
        cert = certs.Certificate(
            "US", number, DOCUMENT, str(provider.address), CertStatus.IN_FORCE, expiry, 1
        )
        sigs = certs.quorum([certs.sign_certificate(domain, cert, oracle.private_key)])
        pool["Certificates"].attest(cert.as_arg(), sigs, sender=provider)
        patent = certs.patent_id("US", number)
        patent_pool.certify(patent, sender=provider)
        for expert in experts:
            patent_pool.rate(patent, 80, 100_000 * 10**18, REASONING, sender=expert)
        patent_pool.pool(patent, sender=council)  # 1,000 BPC to the provider each
        patents.append(patent)
    first, second = patents

    # Every buyer already holds BPC and has approved the exchange (as a regular would).
    for who in (buyer, licensee):
        bpc.transfer(who, 500 * BPC, sender=provider)
        bpc.approve(exchange, 2**256 - 1, sender=who)

    # Warm-up sale of the second patent.
    warm = exchange.list_assignment(second, PRICE // 10, sender=provider).return_value
    exchange.buy(warm, sender=buyer)

    listed = exchange.list_assignment(first, PRICE // 10, sender=provider)
    bought = exchange.buy(listed.return_value, sender=buyer)
    if patent_pool.patents(first).contributor != buyer.address:
        raise RuntimeError("bench: the assignment did not change the contributor of record")

    listed_x = exchange.list_exclusive(
        first,
        PRICE // 10,
        2 * YEAR,
        "payment terminals",
        "CN",
        bytes.fromhex("ab" * 32),
        sender=buyer,
    )
    bought_x = exchange.buy(listed_x.return_value, sender=licensee)
    if not lic["Licensing"].is_licensed(bought_x.return_value):
        raise RuntimeError("bench: the exclusive licence was not recorded")

    receipts = {
        "gas.exchange.list": listed,
        "gas.exchange.buy": bought,
        "gas.exchange.list_exclusive": listed_x,
        "gas.exchange.buy_exclusive": bought_x,
    }
    contracts = pool | lic | {"Alliance": alliance, "Exchange": exchange}
    return {"receipts": receipts, "contracts": contracts}


def run() -> dict[str, Result]:
    receipts = scenario()["receipts"]
    references = {"list": MOLECULE_LIST, "buy": MOLECULE_FULFIL}
    return {
        name: Result(receipt.gas_used, "gas", references[name.split(".")[2].split("_")[0]])
        for name, receipt in receipts.items()
    }
