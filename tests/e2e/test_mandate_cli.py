"""`ape run pool mandate ...` end to end: a provider offers its trusteeship centre a
mandate, the centre accepts the terms it agreed to (not others), a stranger cannot end
it, the provider does."""

import pytest

from bpsa.core.codes import Kind, Role
from bpsa.sdk.deploy import PoolParams, deploy_pool
from scripts.pool import cli as pool_cli
from tests.e2e.conftest import Invoke
from tests.fixtures.suite import IDENTITY, application

DOCUMENT_CID = "bafkreihoa2xlt7qi242232kacmgrjimlxq5k4fznunemtibb4rsxleeyam"
TERMS_CID = "bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq"


@pytest.fixture(scope="module")
def mandate_pool(project, chain, accounts, suite, deployer, alliance, council):
    """A pool with a provider (account 3) and a trusteeship centre (account 18), members
    set up by the (impersonated) council; kept by ape's module snapshot."""
    contracts = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    chain.provider.set_balance(council.address, 10**18)
    as_council = accounts[council.address]
    for index, role in [(3, Role.PROVIDER), (18, Role.TRUSTEESHIP_CENTRE)]:
        alliance.apply(int(Kind.SME), IDENTITY, sender=accounts[index])
        alliance.admit(*application(alliance, accounts[index].address), sender=as_council)
        alliance.grant_role(accounts[index].address, int(role), sender=as_council)
    return {**suite, **contracts}


@pytest.fixture
def run(mandate_pool, invoker):
    invoke: Invoke = invoker(mandate_pool)
    return lambda *args, ok=True: invoke(pool_cli, *args, ok=ok)


def test_mandate_cli__offer_accept_end__only_the_agreed_terms_and_the_parties(
    run, chain, accounts, mandate_pool
):
    centre = accounts[18].address
    run("submit", "US", "11234567", "--document", DOCUMENT_CID, "--account", "TEST::3")
    terms = ("--terms", TERMS_CID, "--share-bps", "1000", "--expiry", "2099-01-01")
    out = run("mandate", "offer", "US", "11234567", "--centre", centre, *terms,
              "--account", "TEST::3")  # fmt: skip
    assert f"mandate offered to {centre}" in out
    assert "offered centre=" in run("mandate", "show", "US", "11234567")

    height = chain.blocks.height
    other = ("--terms", TERMS_CID, "--share-bps", "500", "--expiry", "2099-01-01")
    out = run("mandate", "accept", "US", "11234567", *other, "--account", "TEST::18", ok=False)
    assert "the offer on chain differs from the terms given" in out
    out = run("mandate", "end", "US", "11234567", "--account", "TEST::4", ok=False)
    assert "only the contributor or the centre ends a mandate before its expiry" in out
    out = run("mandate", "offer", "US", "11234567", "--centre", accounts[4].address, *terms,
              "--account", "TEST::3", ok=False)  # fmt: skip
    assert "not an active member with the trusteeship-centre role" in out
    assert chain.blocks.height == height  # nothing sent

    assert "accepted by" in run("mandate", "accept", "US", "11234567", *terms,
                                "--account", "TEST::18")  # fmt: skip
    assert "in-force centre=" + centre in run("mandate", "show", "US", "11234567")
    pool = mandate_pool["PatentPool"]
    assert pool.ownership(pool.patent_id("US", "11234567"))[2] == centre

    assert "mandate ended" in run("mandate", "end", "US", "11234567", "--account", "TEST::3")
    assert "no mandate or offer" in run("mandate", "show", "US", "11234567")
