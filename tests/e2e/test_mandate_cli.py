"""`ape run pool mandate ...` end to end: a provider offers its trusteeship centre a
mandate, the centre accepts the terms it agreed to (not others), a stranger cannot end
it, the provider does."""

import pytest

from bpsa.core.certificates import patent_id
from bpsa.core.cid import digest_of
from bpsa.core.codes import Role, Source
from scripts.admin import cli as admin_cli
from scripts.pool import cli as pool_cli
from tests.e2e.conftest import Invoke, council_pool

DOCUMENT_CID = "bafkreihoa2xlt7qi242232kacmgrjimlxq5k4fznunemtibb4rsxleeyam"
TERMS_CID = "bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq"


@pytest.fixture(scope="module")
def mandate_pool(project, chain, accounts, suite, deployer, alliance, council):
    """A pool with a provider (account 3) and a trusteeship centre (account 18), members
    set up by the (impersonated) council; kept by ape's module snapshot."""
    members = [(3, Role.PROVIDER), (18, Role.TRUSTEESHIP_CENTRE)]
    contracts, _ = council_pool(project, chain, accounts, deployer, alliance, council, members)
    return {**suite, **contracts}


@pytest.fixture
def run(mandate_pool, invoker):
    invoke: Invoke = invoker(mandate_pool)
    return lambda *args, ok=True: invoke(pool_cli, *args, ok=ok)


@pytest.fixture
def admin(mandate_pool, invoker):
    invoke: Invoke = invoker(mandate_pool)
    return lambda *args, ok=True: invoke(admin_cli, *args, ok=ok)


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


def test_mandate_cli__fund_patent__the_council_mandates_and_ends_it_by_proposal(
    run, admin, chain, accounts, mandate_pool, council, timing
):
    """The fund's patents are the council's to mandate: `admin propose fund-mandate` (and
    `fund-mandate-end`), decided by a vote; a provider's patent is refused at proposing."""
    pool, centre = mandate_pool["PatentPool"], accounts[18].address
    pool.submit("US", "22345678", digest_of(DOCUMENT_CID), int(Source.PURCHASED), "0x" + "00" * 20,
                0, sender=accounts[council.address])  # fmt: skip
    run("submit", "US", "11234567", "--document", DOCUMENT_CID, "--account", "TEST::3")

    def decide(*action: str) -> str:
        out = admin("propose", *action)
        number = out.split("proposal #")[1].split()[0]
        for seat in ("TEST::0", "TEST::1", "TEST::2"):
            admin("vote", number, "yes", "--account", seat)
        chain.pending_timestamp += timing.voting_period + timing.execution_delay
        chain.mine()
        return str(admin("execute", number))

    height = chain.blocks.height
    out = admin("propose", "fund-mandate", "US", "11234567", centre, TERMS_CID, "1000",
                "2099-01-01", ok=False)  # fmt: skip
    assert "only the contributor of record offers a mandate" in out
    out = admin("propose", "fund-mandate", "US", "22345678", centre, TERMS_CID, "1000", ok=False)
    assert "fund-mandate takes OFFICE NUMBER CENTRE TERMS SHARE_BPS EXPIRY, got 5" in out
    assert chain.blocks.height == height  # nothing sent

    decide("fund-mandate", "US", "22345678", centre, TERMS_CID, "1000", "2099-01-01")
    assert "offered centre=" + centre in run("mandate", "show", "US", "22345678")
    terms = ("--terms", TERMS_CID, "--share-bps", "1000", "--expiry", "2099-01-01")
    run("mandate", "accept", "US", "22345678", *terms, "--account", "TEST::18")
    assert pool.ownership(patent_id("US", "22345678"))[2] == centre

    decide("fund-mandate-end", "US", "22345678")
    assert "no mandate or offer" in run("mandate", "show", "US", "22345678")
