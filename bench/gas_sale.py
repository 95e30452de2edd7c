"""Gas of the fund's sale of BPC at NAV (Sale.vy).

A pool with one patent pooled (an EOA stands in for the council, as in gas_pool), the
sale desk wired and opened with the test stable token (6 decimals, standing for USDC):

- `gas.sale.buy`: a member's first purchase (its approval given before), the payment
  to the Fund, the mint at NAV and the desk's books, cold storage throughout;
- `gas.sale.spend`: the council spends proceeds on a patent of the fund's awaiting
  pooling (the payment and the cost recorded);
- `gas.sale.pool_with_proceeds`: pooling that patent, which mints nothing and swaps
  its cost for its valuation (beside `gas.pool.pool`, the pooling that mints).
"""

from __future__ import annotations

from typing import Any

from bench.common import REASONING, Result
from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Kind, Role, Source
from bpsa.sdk.deploy import (
    PoolParams,
    SaleParams,
    deploy_pool,
    deploy_sale,
    deploy_test_stable,
    sale_wiring,
)

YEAR = 365 * 24 * 3600
DOCUMENT = bytes.fromhex("d0" * 32)
ZERO = "0x" + "00" * 20


def run() -> dict[str, Result]:
    from ape import accounts, chain, project

    acct = accounts.test_accounts
    deployer, council, provider, investor = acct[0], acct[9], acct[3], acct[10]
    oracles, experts = [acct[12], acct[13]], [acct[15], acct[16], acct[17]]
    alliance = project.Alliance.deploy(council.address, sender=deployer)
    members = [(provider, Role.PROVIDER), (investor, None)]
    members += [(o, Role.ORACLE) for o in oracles] + [(e, Role.EXPERT) for e in experts]
    for member, role in members:
        alliance.apply(int(Kind.SME), bytes.fromhex("11" * 32), sender=member)
        alliance.admit(member.address, *alliance.application_of(member.address), sender=council)
        if role is not None:
            alliance.grant_role(member.address, int(role), sender=council)
    contracts = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    pool, certificates = contracts["PatentPool"], contracts["Certificates"]
    domain = certs.domain(chain.chain_id, str(certificates.address))
    now = int(chain.pending_timestamp)

    def to_pool(number: str, source: Source, owner: Any) -> bytes:
        pool.submit("US", number, DOCUMENT, int(source), ZERO, 0, sender=provider)
        cert = certs.Certificate(
            "US", number, DOCUMENT, str(owner), CertStatus.IN_FORCE, now + YEAR, 1
        )
        sigs = certs.quorum(certs.sign_certificate(domain, cert, o.private_key) for o in oracles)
        certificates.attest(cert.as_arg(), sigs, sender=council)
        patent = certs.patent_id("US", number)
        pool.certify(patent, sender=provider)
        for expert in experts:
            pool.rate(patent, 80, 10_000 * 10**18, REASONING, sender=expert)
        return patent

    pool.pool(to_pool("20000001", Source.CONTRIBUTED, provider.address), sender=council)
    usdc = deploy_test_stable(project, deployer)["TestStable"]
    contracts |= deploy_sale(project, deployer, alliance.address, contracts, council.address)
    for contract, method, args in sale_wiring(contracts, str(usdc.address), SaleParams()):
        getattr(contract, method)(*args, sender=council)
    sale = contracts["Sale"]
    usdc.mint(investor.address, 10_000 * 10**6, sender=deployer)
    usdc.approve(sale.address, 10_000 * 10**6, sender=investor)
    buy = sale.buy(usdc.address, 5_000 * 10**6, 0, sender=investor)

    pool.submit("US", "20000002", DOCUMENT, int(Source.PURCHASED), ZERO, 0, sender=council)
    purchase = certs.patent_id("US", "20000002")
    seller, memo = acct[11].address, b"\x01" * 32
    spend = sale.spend(usdc.address, seller, 4_000 * 10**6, purchase, memo, sender=council)
    cert = certs.Certificate(
        "US", "20000002", DOCUMENT, str(contracts["Fund"].address), CertStatus.IN_FORCE,
        now + YEAR, 1,
    )  # fmt: skip
    sigs = certs.quorum(certs.sign_certificate(domain, cert, o.private_key) for o in oracles)
    certificates.attest(cert.as_arg(), sigs, sender=council)
    pool.certify(purchase, sender=provider)
    for expert in experts:
        pool.rate(purchase, 80, 10_000 * 10**18, REASONING, sender=expert)
    pooled = pool.pool(purchase, sender=council)
    if int(pool.assets()) != 10_000 * 10**18 * 2 + 1_000 * 10**18:
        raise RuntimeError("bench: the proceeds were not counted once")
    return {
        "gas.sale.buy": Result(buy.gas_used, "gas"),
        "gas.sale.spend": Result(spend.gas_used, "gas"),
        "gas.sale.pool_with_proceeds": Result(pooled.gas_used, "gas"),
    }
