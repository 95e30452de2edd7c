"""The pool's commands end to end: a patent from submission to claimed royalties, typed
as a provider, two oracles, three experts and the council would type them."""

import json

import pytest

from bpsa.core.codes import PatentStatus
from tests.e2e.conftest import CAST, council_pool, pool_or_admin

DOCUMENT_CID = "bafkreihoa2xlt7qi242232kacmgrjimlxq5k4fznunemtibb4rsxleeyam"
REASONING_CID = "bafkreibqedxu22kl6hxjnq3wjibrtfkvxq3rbk2d3etb3tplwpemp4m4q4"


@pytest.fixture(scope="module")
def governed_pool(project, chain, accounts, suite, deployer, alliance, council):
    """The pool owned by the real council; members set up by the (impersonated) council.
    Deployed once per module and kept by ape's module snapshot."""
    contracts, _ = council_pool(project, chain, accounts, deployer, alliance, council, CAST)
    return {**suite, **contracts}


@pytest.fixture
def run(governed_pool, invoker):
    """Runs `ape run pool ...` / `ape run admin ...` in-process against a manifest."""
    return pool_or_admin(invoker(governed_pool))


def test_pool_cli__submission_to_claim__pools_at_nav_and_pays(
    run, chain, governed_pool, accounts, timing, tmp_path, monkeypatch
):
    monkeypatch.delenv("BPSA_IPFS_API", raising=False)
    monkeypatch.setenv("BPSA_STORE_DIR", str(tmp_path / "store"))
    provider = accounts[3]
    out = run(
        "pool", "submit", "US", "11234567", "--document", DOCUMENT_CID, "--account", "TEST::3"
    )
    assert "US 11234567 submitted" in out
    cert_file = tmp_path / "cert.json"
    for oracle in ("TEST::12", "TEST::13"):
        out = run(
            "pool", "sign-certificate", "US", "11234567", "--document", DOCUMENT_CID,
            "--owner", provider.address, "--expiry", "2099-01-01", "--nonce", "1",
            "--file", str(cert_file), "--account", oracle,
        )  # fmt: skip
    assert "2 signature(s)" in out
    assert "accepted" in run("pool", "attest", str(cert_file), "--account", "TEST::12")
    assert "is certified" in run("pool", "certify", "US", "11234567")
    reasoning = tmp_path / "review.txt"
    reasoning.write_text("Sample reasoning: claims 1-12 read on the standard.\n")
    out = run("pool", "rate", "US", "11234567", "80", "50000", "--reasoning", str(reasoning),
              "--account", "TEST::15")  # fmt: skip
    assert "reasoning bafkrei" in out  # the file, stored and named by its CID
    out = run("pool", "rate", "US", "11234567", "78", "48000", "--reasoning", REASONING_CID,
              "--account", "TEST::16")  # fmt: skip
    assert "still certified: 2 of 3 ballots" in out
    out = run("pool", "rate", "US", "11234567", "78", "47000", "--reasoning", REASONING_CID,
              "--account", "TEST::17")  # fmt: skip
    assert "now rated" in out and "re-rating due 20" in out and "Z)." not in out
    assert "valuation re-rating due 20" in run("pool", "patent", "US", "11234567")

    assert "council proposal #1 created" in run("admin", "propose", "pool", "US", "11234567")
    for seat in ("TEST::0", "TEST::1", "TEST::2"):
        run("admin", "vote", "1", "yes", "--account", seat)
    chain.pending_timestamp += timing.voting_period + timing.execution_delay
    chain.mine()
    run("admin", "execute", "1")

    pool = governed_pool["PatentPool"]
    assert pool.patents(pool.patent_id("US", "11234567")).status == PatentStatus.POOLED
    assert governed_pool["BPC"].balanceOf(provider) == 480 * 10**18  # 48,000 USD at 100 USD/BPC
    assert "NAV 100 USD per BPC; pooled value 48000 USD over 1 patent(s)" in run("pool", "nav")
    assert "US 11234567" in run("pool", "patents") and "pooled" in run("pool", "patents")
    assert "certificate: in-force" in run("pool", "patent", "US", "11234567")

    assert "paid 10 BPC" in run(
        "pool", "pay", "10", "--reference", "licence 1", "--account", "TEST::3"
    )
    # 80% of 10 BPC over weight 78 (the contributors' 70% and, the patent naming no centre,
    # the centres' 10%: issue 15, finding 5): the accumulators and the claim round down,
    # 1 wei stays.
    assert "claimed 7.999999999999999999 BPC" in run("pool", "claim", "--account", "TEST::3")


def test_pool_cli__bad_input__one_clear_line_nothing_sent(run, chain, accounts, tmp_path):
    height = chain.blocks.height
    cert_file = tmp_path / "one.json"
    run(
        "pool", "sign-certificate", "US", "11234567", "--document", DOCUMENT_CID,
        "--owner", accounts[3].address, "--expiry", "2099-01-01", "--nonce", "1",
        "--file", str(cert_file), "--account", "TEST::12",
    )  # fmt: skip
    cases = [
        (("submit", "us", "1", "--document", DOCUMENT_CID, "--account", "TEST::3"),
         "office code 'us' must be two capital letters"),
        (("submit", "US", "1 2", "--document", DOCUMENT_CID, "--account", "TEST::3"),
         "may hold only 0-9, A-Z"),
        (("submit", "US", "1", "--document", DOCUMENT_CID, "--account", "TEST::4"),
         "is not an active member with the provider role"),
        (("submit", "US", "1", "--document", "nope", "--account", "TEST::3"),
         "'nope' is neither a CID"),
        (("attest", str(cert_file)), "1 signature(s) given; the threshold is 2"),
        (("certify", "US", "11234567"), "unknown patent"),
        (("rate", "US", "11234567", "80", "1", "--reasoning", REASONING_CID, "--account",
          "TEST::3"), "is not an active expert"),
        (("rate", "US", "11234567", "80", "1", "--account", "TEST::15"),
         "Missing option '--reasoning'"),
        (("rate", "US", "11234567", "80", "1", "--reasoning", "my notes", "--account",
          "TEST::15"), "'my notes' is neither a CID"),
        (("pay", "ten", "--account", "TEST::3"), "AMOUNT must be a number, got 'ten'"),
        (("pay", "0.0000000000000000001", "--account", "TEST::3"), "more than 18 decimals"),
        (("claim", "--account", "TEST::3"), "has no royalties to claim"),
        (("patent", "US", "999"), "US 999 was never submitted"),
        (("sign-certificate", "US", "11234567", "--document", DOCUMENT_CID, "--owner",
          accounts[3].address, "--expiry", "2099-01-01", "--nonce", "2", "--file",
          str(cert_file), "--account", "TEST::13"), "holds a different certificate"),
        (("sign-certificate", "US", "11234567", "--document", DOCUMENT_CID, "--owner",
          accounts[3].address, "--expiry", "next year", "--nonce", "1", "--file",
          str(cert_file), "--account", "TEST::13"), "--expiry must be unix seconds or YYYY-MM-DD"),
    ]  # fmt: skip
    for args, message in cases:
        out = run("pool", *args, ok=False)
        assert message in out, (args, out)
        assert "Traceback" not in out
    out = run("admin", "propose", "pool", "US", "11234567", ok=False)
    assert "unknown patent" in out
    out = run("admin", "propose", "royalty-split", "5000", "5000", "1", ok=False)
    assert "add up to 10000 bps" in out
    out = run("admin", "propose", "clear-seller", "US", "11234567", accounts[3].address, ok=False)
    assert "is not the seller of record" in out
    out = run("admin", "propose", "grace-period", "400d", ok=False)
    assert "the grace period must be 0 to one year" in out
    assert chain.blocks.height == height


def test_pool_cli__batch_then_revocation__proves_both_and_expires_the_revoked(
    run, governed_pool, accounts, tmp_path
):
    provider = accounts[3].address
    listed = []
    for number in ("3456789", "3456790"):
        run("pool", "submit", "EP", number, "--document", DOCUMENT_CID, "--account", "TEST::3")
        listed.append(
            {"office": "EP", "number": number, "document": DOCUMENT_CID, "owner": provider,
             "status": "in-force", "expiry": 4_000_000_000, "nonce": 1}
        )  # fmt: skip
    listed_file, batch_file = tmp_path / "certs.json", tmp_path / "batch.json"
    listed_file.write_text(json.dumps(listed))
    for i, oracle in enumerate(("TEST::12", "TEST::13")):
        out = run(
            "pool", "sign-batch", str(listed_file), "--file", str(batch_file), "--account", oracle
        )
        assert f"{i + 1} signature(s)" in out
    assert "batch of 2 accepted" in run("pool", "attest-batch", str(batch_file))
    out = run("pool", "prove", str(batch_file), "--account", "TEST::3")
    assert "EP 3456789 proven" in out and "EP 3456790 proven" in out
    assert "2 certificates in one call" in out  # one multi-proof
    for number in ("3456789", "3456790"):
        run("pool", "certify", "EP", number)

    revocation = tmp_path / "revoke.json"
    for oracle in ("TEST::12", "TEST::13"):
        run(
            "pool", "sign-revocation", "EP", "3456790", "--document", DOCUMENT_CID,
            "--nonce", "1", "--file", str(revocation), "--account", oracle,
        )  # fmt: skip
    assert "revoked" in run("pool", "revoke", str(revocation))
    assert "already revoked" in run("pool", "revoke", str(revocation), ok=False)
    assert "expired (not-in-force)" in run("pool", "expire", "EP", "3456790")
    assert "still in force" in run("pool", "expire", "EP", "3456789", ok=False)
    pool = governed_pool["PatentPool"]
    assert pool.patents(pool.patent_id("EP", "3456790")).status == PatentStatus.EXPIRED
    assert "was already used" in run("pool", "attest-batch", str(batch_file), ok=False)


def test_pool_cli__fee_overdue__expire_waits_for_the_grace_period_the_council_sets(
    run, chain, governed_pool, accounts, timing, tmp_path
):
    """A certificate past its expiry: `expire` says until when the office takes the fee
    late; the council shortens the grace period by a proposal; then anyone expires it."""
    run("pool", "submit", "US", "7654321", "--document", DOCUMENT_CID, "--account", "TEST::3")
    expiry = int(chain.pending_timestamp) + 30 * 86_400
    cert_file = tmp_path / "cert.json"
    for oracle in ("TEST::12", "TEST::13"):
        run(
            "pool", "sign-certificate", "US", "7654321", "--document", DOCUMENT_CID,
            "--owner", accounts[3].address, "--expiry", str(expiry), "--nonce", "1",
            "--file", str(cert_file), "--account", oracle,
        )  # fmt: skip
    run("pool", "attest", str(cert_file), "--account", "TEST::12")
    run("pool", "certify", "US", "7654321")
    chain.pending_timestamp = expiry + 86_400
    chain.mine()

    out = run("pool", "expire", "US", "7654321", ok=False)
    assert "the office takes it late until" in out and "(the grace period)" in out
    assert "grace period" in run("pool", "patent", "US", "7654321")

    assert "created" in run("admin", "propose", "grace-period", "1d")
    for seat in ("TEST::0", "TEST::1", "TEST::2"):
        run("admin", "vote", "1", "yes", "--account", seat)
    chain.pending_timestamp += timing.voting_period + timing.execution_delay
    chain.mine()
    run("admin", "execute", "1")
    assert governed_pool["PatentPool"].grace_period() == 86_400

    assert "expired (past-expiry)" in run("pool", "expire", "US", "7654321")
