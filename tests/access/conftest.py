"""Callers and contracts for the access matrix.

The matrix runs against every contract the suite deploys: Council, Alliance and
Congress (deploy_suite), and one collection's pool (deploy_pool) owned by the suite's
real Council, a Governance contract, so the pool's owner is a contract as in
production (tests/fixtures/pool.py stands an EOA in for it instead).

Contracts call as impersonated accounts; they hold no ETH of their own and have no
fallback to receive any, so their balance is set directly. The matrix runs on titanoboa,
as the contract unit tests do (tests/fixtures/titanoboa.py)."""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Kind, Role, Source
from bpsa.sdk.deploy import (
    ExchangeParams,
    InfringementParams,
    LicensingParams,
    PoolParams,
    deploy_channels,
    deploy_exchange,
    deploy_infringements,
    deploy_licensing,
    deploy_pool,
    deploy_sale,
)
from tests.fixtures.pool import REASONING
from tests.fixtures.suite import IDENTITY, Pass, calldata, decide
from tests.fixtures.titanoboa import declare_layer

declare_layer(globals())

ByName = dict[str, Any]  # the contracts by manifest name, or the callers by name
YEAR = 365 * 24 * 3600
ZERO = "0x" + "00" * 20
DOCUMENT = bytes.fromhex("d0" * 32)

# Manifest name of each contract -> its name among the callers.
CONTRACT_CALLERS = {
    "Council": "council_contract",
    "Congress": "congress_contract",
    "Alliance": "alliance_contract",
    "Certificates": "certificates_contract",
    "Fund": "fund_contract",
    "BPC": "bpc_contract",
    "Royalties": "royalties_contract",
    "PatentPool": "pool_contract",
    "Mandates": "mandates_contract",
    "Coverage": "coverage_contract",
    "Families": "families_contract",
    "BPR": "bpr_contract",
    "Licensing": "licensing_contract",
    "Infringements": "infringements_contract",
    "Channels": "channels_contract",
    "Exchange": "exchange_contract",
    "Sale": "sale_contract",
}


@pytest.fixture(scope="module")
def member_with_every_role(
    alliance: Any, chain: Any, council: Any, council_seats: list[Any], startup: Any
) -> Any:
    """The start-up, admitted and granted every role by council proposals: the suite's
    only provider, expert, oracle and trusteeship centre."""
    alliance.apply(int(Kind.START_UP), IDENTITY, sender=startup)
    grants = [calldata(alliance, "grant_role", startup.address, int(r)) for r in Role]
    council_pass = Pass(chain, council, council_seats)
    council_pass.run([decide(alliance, "admit", startup), *grants[:-1]])
    council_pass.run(grants[-1:])  # a proposal carries at most 8 calls
    assert alliance.has_role(startup, sum(int(r) for r in Role))
    return startup


@pytest.fixture(scope="module")
def council_pool(
    project: Any, accounts: Any, chain: Any, deployer: Any, alliance: Any, council: Any
) -> ByName:
    """Certificates, Fund, BPC, Royalties, PatentPool, BPR, Licensing, Infringements,
    Channels (the deployer as its hub), Exchange and Sale owned by the suite's Council,
    which names the Exchange in PatentPool and Licensing and the sale desk in PatentPool
    and Fund (impersonated: a proposal would too)."""
    pool = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    licensing = deploy_licensing(
        project, deployer, alliance.address, pool, council.address, LicensingParams()
    )
    infringements = deploy_infringements(
        project, deployer, alliance.address, pool, council.address, InfringementParams()
    )
    channels = deploy_channels(project, deployer, pool, deployer.address, council.address)
    exchange = deploy_exchange(
        project, deployer, alliance.address, pool, licensing, council.address, ExchangeParams()
    )
    chain.provider.set_balance(council.address, 10**18)
    as_council = accounts[council.address]
    pool["PatentPool"].set_exchange(exchange["Exchange"], sender=as_council)
    licensing["Licensing"].set_exchange(exchange["Exchange"], sender=as_council)
    sale = deploy_sale(project, deployer, alliance.address, pool, council.address)
    pool["PatentPool"].set_sale_desk(sale["Sale"], sender=as_council)
    pool["Fund"].set_sale_desk(sale["Sale"], sender=as_council)
    return {**pool, **licensing, **infringements, **channels, **exchange, **sale}


@pytest.fixture(scope="module")
def instances(suite: ByName, council_pool: ByName) -> ByName:
    """Every contract of the matrix by manifest name."""
    return {**suite, **council_pool}


@pytest.fixture(scope="module")
def callers(
    accounts: Any,
    chain: Any,
    instances: ByName,
    council_seats: list[Any],
    outsider: Any,
    attacker: Any,
    member_with_every_role: Any,
) -> ByName:
    """Every caller of the matrix by name (see CALLERS in test_access_matrix.py)."""
    contracts = {}
    for name, caller in CONTRACT_CALLERS.items():
        address = instances[name].address
        chain.provider.set_balance(address, 10**18)
        contracts[caller] = accounts[address]
    return {
        "outsider": outsider,
        "attacker": attacker,
        "member_with_every_role": member_with_every_role,
        **{f"council_seat_{i}": seat for i, seat in enumerate(council_seats)},
        **contracts,
    }


# The pool's state behind the tests of its role-gated public functions.


@pytest.fixture(scope="module")
def oracle(council_pool: ByName, callers: ByName) -> Any:
    """member_with_every_role, the suite's only oracle, made a quorum by itself: the
    council lowers Certificates' threshold to one."""
    council_pool["Certificates"].set_threshold(1, sender=callers["council_contract"])
    return callers["member_with_every_role"]


@pytest.fixture(scope="module")
def domain(chain: Any, council_pool: ByName) -> Any:
    """The EIP-712 domain of the council pool's Certificates."""
    return certs.domain(chain.chain_id, str(council_pool["Certificates"].address))


def fund_certificate(chain: Any, fund: Any, number: str, nonce: int = 1) -> certs.Certificate:
    """A certificate in force for a year naming the fund as owner of US `number`."""
    expiry = int(chain.pending_timestamp) + YEAR
    return certs.Certificate(
        "US", number, DOCUMENT, str(fund.address), CertStatus.IN_FORCE, expiry, nonce
    )


@pytest.fixture(scope="module")
def certify_purchase(
    chain: Any, council_pool: ByName, callers: ByName, oracle: Any, domain: Any
) -> Callable[..., certs.Certificate]:
    """`certify_purchase(number, nonce=1)`: a patent purchased for the fund (US `number`),
    submitted by the council and certified in the fund's name by the oracle, awaiting the
    experts; its certificate."""
    pool, as_council = council_pool["PatentPool"], callers["council_contract"]

    def certified(number: str, nonce: int = 1) -> certs.Certificate:
        cert = fund_certificate(chain, council_pool["Fund"], number, nonce)
        source = int(Source.PURCHASED)
        pool.submit(cert.office, cert.number, cert.document, source, ZERO, 0, sender=as_council)
        signatures = certs.quorum([certs.sign_certificate(domain, cert, oracle.private_key)])
        council_pool["Certificates"].attest(cert.as_arg(), signatures, sender=oracle)
        pool.certify(cert.patent, sender=oracle)
        return cert

    return certified


@pytest.fixture(scope="module")
def certified_fund_patent(certify_purchase: Callable[..., certs.Certificate]) -> certs.Certificate:
    """A patent purchased for the fund, certified and awaiting the experts; its certificate."""
    return certify_purchase("11234567")


@pytest.fixture(scope="module")
def contributed_patent(council_pool: ByName, member_with_every_role: Any) -> bytes:
    """A patent the provider (member_with_every_role) contributed; returns its id."""
    office, number = "US", "22345678"
    council_pool["PatentPool"].submit(
        office,
        number,
        DOCUMENT,
        int(Source.CONTRIBUTED),
        ZERO,
        0,
        sender=member_with_every_role,
    )
    return bytes(certs.patent_id(office, number))


@pytest.fixture(scope="module")
def accepted_batch(
    chain: Any, council_pool: ByName, oracle: Any, domain: Any
) -> tuple[certs.MerkleTree, list[certs.Certificate]]:
    """An accepted batch of two certificates, neither proven yet: its tree and members."""
    fund = council_pool["Fund"]
    members = [fund_certificate(chain, fund, n) for n in ("33456789", "44567890")]
    tree = certs.MerkleTree([c.leaf() for c in members])
    signature = certs.sign_batch(domain, tree.root, len(tree), oracle.private_key)
    council_pool["Certificates"].attest_batch(
        tree.root, len(tree), certs.quorum([signature]), sender=oracle
    )
    return tree, members


# Infringements: a case against a pooled patent, for the tests of its case-gated functions.

PURCHASED_NUMBER = "77890123"
INFRINGER = bytes.fromhex("1f" * 32)
PRODUCT = bytes.fromhex("2f" * 32)
EVIDENCE = bytes.fromhex("3f" * 32)


@pytest.fixture(scope="module")
def second_experts(
    accounts: Any, alliance: Any, chain: Any, council: Any, council_seats: list[Any]
) -> list[Any]:
    """Two more experts (accounts no test of the matrix calls with), admitted and given the
    expert role by one council proposal: with member_with_every_role, the pool's quorum
    of three."""
    experts = [accounts[15], accounts[16]]
    for expert in experts:
        alliance.apply(int(Kind.INDIVIDUAL), IDENTITY, sender=expert)
    calls = [decide(alliance, "admit", e) for e in experts]
    calls += [calldata(alliance, "grant_role", e.address, int(Role.EXPERT)) for e in experts]
    Pass(chain, council, council_seats).run(calls)
    return experts


@pytest.fixture(scope="module")
def pooled_fund_patent(
    council_pool: ByName,
    callers: ByName,
    certify_purchase: Callable[..., certs.Certificate],
    second_experts: list[Any],
) -> bytes:
    """A patent purchased for the fund (no trusteeship centre) and pooled: the suite's
    expert member_with_every_role and the two `second_experts` rate it (the quorum of
    three), and the council pools it. The fund is its contributor of record: a
    contributed patent could not be rated by member_with_every_role, its provider.
    Returns its id."""
    pool = council_pool["PatentPool"]
    cert = certify_purchase(PURCHASED_NUMBER, nonce=7)
    for expert in [callers["member_with_every_role"], *second_experts]:
        pool.rate(cert.patent, 80, 50_000 * 10**18, REASONING, sender=expert)
    pool.pool(cert.patent, sender=callers["council_contract"])
    return bytes(cert.patent)


@pytest.fixture(scope="module")
def filed_infringement(council_pool: ByName, callers: ByName, pooled_fund_patent: bytes) -> int:
    """A case member_with_every_role (the suite's only rights-protection centre) filed
    against the pooled fund patent, its bond minted to it by the (impersonated) pool.
    Returns the case's id."""
    infringements, bpc = council_pool["Infringements"], council_pool["BPC"]
    centre = callers["member_with_every_role"]
    bond = infringements.bond()
    bpc.mint(centre, bond, sender=callers["pool_contract"])
    bpc.approve(infringements, bond, sender=centre)
    tx = infringements.file(pooled_fund_patent, INFRINGER, PRODUCT, EVIDENCE, ZERO, sender=centre)
    return int(tx.return_value)


@pytest.fixture
def authorised_infringement(council_pool: ByName, callers: ByName, filed_infringement: int) -> int:
    """The filed case, authorised by the council (the patent is the fund's). Per test: a
    module fixture would leave the case authorised for the tests that want it filed."""
    council_pool["Infringements"].authorise(filed_infringement, sender=callers["council_contract"])
    return filed_infringement


@pytest.fixture
def offered_infringement(
    council_pool: ByName,
    callers: ByName,
    outsider: Any,
    authorised_infringement: int,
) -> int:
    """The authorised case, with an offer of 1 BPC the outsider (the infringer's side) paid
    into escrow (offer 1), accepted by the council (the patent is the fund's)."""
    infringements, bpc = council_pool["Infringements"], council_pool["BPC"]
    bpc.mint(outsider, 10**18, sender=callers["pool_contract"])
    bpc.approve(infringements, 10**18, sender=outsider)
    infringements.offer_settlement(authorised_infringement, 10**18, sender=outsider)
    # dev: the fund's patent: the council accepts the offer for it
    infringements.accept_offer(authorised_infringement, 1, sender=callers["council_contract"])
    return authorised_infringement
