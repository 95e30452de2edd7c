"""`ape run pool family ...` and a valuation going stale, end to end: the provider puts its
US patent and its EP counterpart in the family the office feed records, a stranger
cannot, `family show` lists the family together (office, number, status, valuation,
stale), and once the re-rating date passes `pool patent` says since when the valuation is
stale."""

import json

import pytest

from bpsa.core.codes import Role
from bpsa.core.families import family_id
from tests.e2e.conftest import CAST, council_pool, pool_or_admin

DOCUMENT_CID = "bafkreihoa2xlt7qi242232kacmgrjimlxq5k4fznunemtibb4rsxleeyam"
REASONING_CID = "bafkreibqedxu22kl6hxjnq3wjibrtfkvxq3rbk2d3etb3tplwpemp4m4q4"
FAMILY = "0x" + family_id("DOCDB:54321098").hex()  # the sample feed's, for US 11234567
YEAR = 365 * 86_400


@pytest.fixture(scope="module")
def family_pool(project, chain, accounts, suite, deployer, alliance, council):
    """A pool with a provider (3), an outsider member (4), three experts (15-17); the
    provider's US 11234567 is rated (its certificate attested directly by two oracles)."""
    members = [*CAST, (4, Role.PROVIDER)]
    contracts, _ = council_pool(project, chain, accounts, deployer, alliance, council, members)
    return {**suite, **contracts}


@pytest.fixture
def run(family_pool, invoker):
    return pool_or_admin(invoker(family_pool))


def _rated(run, accounts, tmp_path) -> None:
    """US 11234567 submitted, certified and rated through the CLI."""
    run("pool", "submit", "US", "11234567", "--document", DOCUMENT_CID, "--account", "TEST::3")
    cert = tmp_path / "cert.json"
    for oracle in ("TEST::12", "TEST::13"):
        run("pool", "sign-certificate", "US", "11234567", "--document", DOCUMENT_CID,
            "--owner", accounts[3].address, "--expiry", "2099-01-01", "--nonce", "1",
            "--file", str(cert), "--account", oracle)  # fmt: skip
    run("pool", "attest", str(cert), "--account", "TEST::12")
    run("pool", "certify", "US", "11234567")
    for expert, value in (("TEST::15", "50000"), ("TEST::16", "48000"), ("TEST::17", "47000")):
        run("pool", "rate", "US", "11234567", "80", value, "--reasoning", REASONING_CID,
            "--account", expert)  # fmt: skip


def test_family_cli__set_from_feed_and_by_text__shown_together_and_stale(
    run, chain, accounts, family_pool, tmp_path
):
    _rated(run, accounts, tmp_path)
    run("pool", "submit", "EP", "3456789", "--document", DOCUMENT_CID, "--account", "TEST::3")
    height = chain.blocks.height
    out = run("pool", "family", "set", "US", "11234567", "--from-feed", "--dry-run",
              "--account", "TEST::3")  # fmt: skip
    assert "(dry run)" in out and chain.blocks.height == height

    out = run("pool", "family", "set", "US", "11234567", "--from-feed", "--account", "TEST::3")
    assert f"family {FAMILY} (DOCDB:54321098)" in out
    out = run("pool", "family", "set", "EP", "3456789", "DOCDB:54321098", "--account", "TEST::3")
    assert f"family {FAMILY}" in out

    shown = run("pool", "family", "show", "EP", "3456789")
    assert f"family {FAMILY}: 2 patent(s)" in shown
    lines = shown.splitlines()[1:]
    assert lines[0].split()[:4] == ["US", "11234567", "rated", "48000"]
    assert "re-rating due 20" in lines[0]
    assert lines[1].split()[:4] == ["EP", "3456789", "submitted", "unrated"]
    body = json.loads(run("pool", "family", "show", "US", "11234567", "--json"))
    assert body["family"] == FAMILY
    assert [(p["office"], p["number"], p["stale"]) for p in body["patents"]] == [
        ("US", "11234567", False),
        ("EP", "3456789", False),
    ]
    assert f"family    {FAMILY}" in run("pool", "patent", "US", "11234567")

    chain.pending_timestamp += YEAR + 1  # PoolParams: re-rated yearly
    chain.mine()
    assert "valuation stale since 20" in run("pool", "patent", "US", "11234567")
    body = json.loads(run("pool", "family", "show", "US", "11234567", "--json"))
    assert body["patents"][0]["stale"] is True
    assert "stale since" in run("pool", "patents")


def test_family_cli__refused__one_clear_line_nothing_sent(run, chain, accounts, tmp_path):
    run("pool", "submit", "US", "11234567", "--document", DOCUMENT_CID, "--account", "TEST::3")
    run("pool", "family", "set", "US", "11234567", "DOCDB:54321098", "--account", "TEST::3")
    height = chain.blocks.height
    cases = [
        (("family", "set", "US", "11234567", "DOCDB:1", "--account", "TEST::4"),
         "may not set this patent's family: only its contributor of record"),
        (("family", "set", "US", "11234567", "--from-feed", "--account", "TEST::3"),
         "the patent is already in that family"),
        (("family", "set", "US", "11234567", "DOCDB:12ab", "--account", "TEST::3"),
         "a DOCDB family number is 1 to 12 digits"),
        (("family", "set", "US", "11234567", "--account", "TEST::3"),
         "give one of FAMILY, --from-feed or --clear"),
        (("family", "set", "US", "99", "DOCDB:1", "--account", "TEST::3"),
         "US 99 was never submitted"),
        (("family", "set", "US", "11234567", "--from-feed", "--dry-run", "--account",
          "TEST::4"), "may not set this patent's family"),
    ]  # fmt: skip
    for args, message in cases:
        out = run("pool", *args, ok=False)
        assert message in out, (args, out)
        assert "Traceback" not in out
    out = run("admin", "propose", "family-set", "US", "11234567", "DOCDB:1", ok=False)
    assert "may not set this patent's family" in out  # the council: only for the fund's
    assert chain.blocks.height == height

    out = run("pool", "family", "set", "US", "11234567", "--clear", "--account", "TEST::3")
    assert "no family" in out
    assert "is in no family" in run("pool", "family", "show", "US", "11234567")
