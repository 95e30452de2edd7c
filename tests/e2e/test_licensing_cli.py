"""The licence desk's commands end to end: `ape run licensing ...` and the council's
licensing proposals (`ape run admin propose tier / grant-bpr / ...`), typed as a
provider, a maker, a licensee, a non-profit and the council would type them."""

import json
import re

import pytest

from bpsa.core import certificates as certs
from bpsa.core import qr
from bpsa.core.cid import cid_of, digest_of
from bpsa.core.codes import Kind, Role
from bpsa.core.devices import DeviceTree, serial_id
from bpsa.core.units import when
from bpsa.sdk.deploy import LicensingParams, PoolParams, deploy_licensing, deploy_pool
from scripts.admin import cli as admin_cli
from scripts.licensing import cli as licensing_cli
from tests.e2e.conftest import Invoke, admit_members
from tests.fixtures.pool import PoolDriver

ONE = 10**18
DAY = 86_400
MIN_TERM = 30 * DAY
PATENT = ("US", "11234567")
CLIS = {"licensing": licensing_cli, "admin": admin_cli}
# TEST::n of the actors (ape's test accounts).
PROVIDER, SME, NON_PROFIT, LICENSEE = "TEST::3", "TEST::4", "TEST::6", "TEST::19"
SEATS = ("TEST::0", "TEST::1")  # two of the council's three seats pass a proposal


@pytest.fixture(scope="module")
def desk(project, chain, accounts, suite, deployer, alliance, council):
    """Pool, BPR and Licensing owned by the real council; members set up by the
    (impersonated) council: a start-up and an SME provider, a non-profit, two oracles
    and three experts. TEST::19 (the licensee) is not a member. Deployed once per module
    (about 30 transactions) and kept by ape's module snapshot; each test's own changes
    are reverted after it."""
    pool_contracts = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    licensing = deploy_licensing(
        project, deployer, alliance.address, pool_contracts, council.address, LicensingParams()
    )
    members = [
        (3, Kind.START_UP, Role.PROVIDER),
        (4, Kind.SME, Role.PROVIDER),
        (6, Kind.NON_PROFIT, Role.DEMANDER),
        (12, Kind.NON_PROFIT, Role.ORACLE),
        (13, Kind.NON_PROFIT, Role.ORACLE),
        (15, Kind.INDIVIDUAL, Role.EXPERT),
        (16, Kind.INDIVIDUAL, Role.EXPERT),
        (17, Kind.INDIVIDUAL, Role.EXPERT),
    ]
    admit_members(chain, accounts, alliance, council, members)
    return {**suite, **pool_contracts, **licensing}


@pytest.fixture
def mint_bpc(chain, accounts, desk):
    """`mint_bpc(index, whole_bpc)`: BPC minted by the (impersonated) pool."""
    pool = desk["PatentPool"]
    chain.provider.set_balance(pool.address, 10**18)

    def _fund(index: int, amount: int) -> None:
        desk["BPC"].mint(accounts[index].address, amount, sender=accounts[pool.address])

    return _fund


@pytest.fixture
def pooled(chain, accounts, desk, council):
    """US 11234567, the start-up's patent, certified, rated and pooled (the council
    impersonated: the pool's own proposal path is test_pool_cli's subject). The
    start-up receives 500 BPC for it."""
    driver = PoolDriver(
        chain,
        desk["PatentPool"],
        desk["Certificates"],
        accounts[council.address],
        [accounts[12], accounts[13]],
        [accounts[15], accounts[16], accounts[17]],
        certs.domain(chain.chain_id, str(desk["Certificates"].address)),
    )
    return driver.pooled(accounts[3], PATENT[1])


@pytest.fixture
def run(desk, invoker):
    """Runs `ape run licensing ...` / `ape run admin ...` in-process against a manifest;
    checks the exit code (0 done, 1 refused, 3 not licensed) and returns the output."""
    invoke: Invoke = invoker(desk)

    def _run(group: str, *args: str, code: int = 0) -> str:
        return invoke(CLIS[group], *args, code=code)

    return _run


@pytest.fixture
def decide(run, chain, timing):
    """`decide(("tier", "start-up", "25"), ...)`: each an `admin propose`, voted yes by
    two seats, executed after the voting period and delay."""

    def _decide(*proposals: tuple[str, ...]) -> None:
        ids = []
        for args in proposals:
            out = run("admin", "propose", *args)
            found = re.search(r"council proposal #(\d+) created", out)
            assert found, out
            ids.append(found.group(1))
        for proposal in ids:
            for seat in SEATS:
                run("admin", "vote", proposal, "yes", "--account", seat)
        chain.pending_timestamp += timing.voting_period + timing.execution_delay
        chain.mine()
        for proposal in ids:
            assert f"council proposal #{proposal} executed" in run("admin", "execute", proposal)

    return _decide


def refused(run, group: str, *args: str) -> str:
    """A refused command: exit 1, one line naming the problem, no traceback."""
    out: str = run(group, *args, code=1)
    assert out.startswith("Error: ") and len(out.strip().splitlines()) == 1, out
    assert "Traceback" not in out
    return out


def refused_unsent(run, chain, group: str, *args: str) -> str:
    """A refused command (see `refused`) that sent nothing: the chain's height is unchanged."""
    height = chain.blocks.height
    out = refused(run, group, *args)
    assert chain.blocks.height == height
    return out


def payload_of(out: str) -> str:
    """The QR payload line a command printed (the image notices go to stderr)."""
    lines = [line for line in out.splitlines() if line.startswith("BPSA2")]
    assert len(lines) == 1, out
    return lines[0]


def test_licensing_cli__convert_then_release__locks_the_tier_and_returns_it_after_the_term(
    run, chain, accounts, desk, mint_bpc
):
    provider = accounts[3]
    bpc, bpr, licensing = desk["BPC"], desk["BPR"], desk["Licensing"]
    mint_bpc(3, 30 * ONE)
    tiers = run("licensing", "tiers")
    assert f"{'start-up':<17} 20 BPC" in tiers
    assert f"{'non-profit':<17} no conversion (council grant)" in tiers
    assert "minimum term 30 days" in tiers
    out = run("licensing", "holding", provider.address)
    assert f"{provider.address}: no BPR" in out and "price to convert now: 20 BPC" in out

    out = run("licensing", "convert", "--account", PROVIDER)
    unlocks = int(licensing.unlocks_at(provider))
    assert unlocks == chain.blocks.head.timestamp + MIN_TERM
    assert f"{provider.address} holds a BPR: 20 BPC locked until {when(unlocks)}" in out
    assert bpr.balanceOf(provider) == 1 and bpc.balanceOf(provider) == 10 * ONE
    out = run("licensing", "holding", "--account", PROVIDER)
    assert f"{provider.address}: BPR, 20 BPC locked until {when(unlocks)}" in out

    out = refused_unsent(run, chain, "licensing", "release", "--account", PROVIDER)
    assert f"the minimum term runs until {when(unlocks)}" in out
    assert bpr.balanceOf(provider) == 1

    chain.pending_timestamp = unlocks
    chain.mine()
    out = run("licensing", "release", "--account", PROVIDER)
    assert f"{provider.address} released its BPR; 20 BPC returned." in out
    assert bpr.balanceOf(provider) == 0 and bpc.balanceOf(provider) == 30 * ONE
    assert f"{provider.address}: no BPR" in run("licensing", "holding", provider.address)
    out = refused(run, "licensing", "release", "--account", PROVIDER)
    assert "holds no converted BPR to release" in out


def test_licensing_cli__council_grants_non_profit_and_revokes_expelled__through_proposals(
    run, decide, accounts, desk, mint_bpc
):
    provider, non_profit = accounts[3], accounts[6]
    bpc, bpr = desk["BPC"], desk["BPR"]
    mint_bpc(3, 20 * ONE)
    run("licensing", "convert", "--account", PROVIDER)
    out = refused(run, "admin", "propose", "revoke-bpr", provider.address)
    assert "is active: only an expelled member's BPR" in out

    decide(("grant-bpr", non_profit.address), ("expel", provider.address))
    assert bpr.balanceOf(non_profit) == 1
    out = run("licensing", "holding", non_profit.address)
    assert f"{non_profit.address}: BPR granted by the council (nothing locked)" in out
    out = refused(run, "admin", "propose", "grant-bpr", non_profit.address)
    assert "already holds a BPR" in out
    # Expelled but still holding: the lock stays until the council revokes.
    assert bpr.balanceOf(provider) == 1 and bpc.balanceOf(provider) == 0

    decide(("revoke-bpr", provider.address))
    assert bpr.balanceOf(provider) == 0 and bpc.balanceOf(provider) == 20 * ONE
    assert f"{provider.address}: no BPR" in run("licensing", "holding", provider.address)
    assert "holds no BPR" in refused(run, "admin", "propose", "revoke-bpr", provider.address)


def test_licensing_cli__council_reprices__tiers_output_and_conversion_follow(
    run, decide, chain, accounts, desk, mint_bpc
):
    provider = accounts[3]
    mint_bpc(3, 30 * ONE)
    decide(
        ("tier", "start-up", "25"),
        ("min-term", "7d"),
        ("surcharge", "1000"),
        ("large-enterprise-rate", "0.2"),
    )
    tiers = run("licensing", "tiers")
    assert f"{'start-up':<17} 25 BPC" in tiers
    assert f"{'large-enterprise':<17} 500 BPC + 0.2 BPC per bp of market share" in tiers
    assert "minimum term 7 days" in tiers
    assert "non-member surcharge on per-patent licences 10%" in tiers
    assert "price to convert now: 25 BPC" in run("licensing", "holding", provider.address)

    out = run("licensing", "convert", "--account", PROVIDER)
    unlocks = chain.blocks.head.timestamp + 7 * DAY
    assert f"25 BPC locked until {when(unlocks)}" in out
    assert desk["Licensing"].locked(provider) == 25 * ONE
    assert desk["BPC"].balanceOf(provider) == 5 * ONE


def test_licensing_cli__listing_bought__outsider_pays_surcharge_member_does_not(
    run, chain, accounts, desk, mint_bpc, pooled
):
    licensee, sme = accounts[19], accounts[4]
    bpc, fund = desk["BPC"], desk["Fund"]
    mint_bpc(19, 10 * ONE)
    mint_bpc(4, 5 * ONE)
    out = run(
        "licensing", "list-terms", *PATENT, "5", "--duration", "30d",
        "--field", "payment terminals", "--territory", "CN", "--account", PROVIDER,
    )  # fmt: skip
    assert "listing #1: US 11234567 at 5 BPC." in out
    out = run("licensing", "listings")
    assert "1 listing(s)" in out and "#1 [active]" in out and "5 BPC for 30 days" in out
    assert "'payment terminals' in 'CN'" in out and f"by {accounts[3].address}" in out

    out = run("licensing", "buy", "1", "--account", LICENSEE)
    assert f"licence #1 to {licensee.address}: 5 BPC + 1 BPC surcharge, all to the fund" in out
    # A non-member's fee enters the fund in full with its surcharge (whitepaper 3.3).
    assert bpc.balanceOf(licensee) == 4 * ONE and bpc.balanceOf(fund) == 6 * ONE
    out = run("licensing", "buy", "1", "--account", SME)
    assert f"licence #2 to {sme.address}: 5 BPC to the licensed patent's contributor" in out
    assert "surcharge" not in out
    # A member's price goes to the patent: the fund takes its 20% (the patent names no
    # centre: its contributor keeps the centres' 10%, issue 15, finding 5).
    assert bpc.balanceOf(sme) == 0 and bpc.balanceOf(fund) == 7 * ONE
    licensing = desk["Licensing"]
    assert licensing.fees_to_royalties() == 5 * ONE and licensing.fees_to_fund() == 5 * ONE
    assert licensing.surcharges_to_fund() == ONE
    out = run("licensing", "licence", "1")
    assert "licence #1 [in force]" in out and f"to {licensee.address}" in out
    assert "'payment terminals' in 'CN'" in out

    # The licensee signs a claim on its per-patent licence.
    out = run(
        "licensing", "claim-qr", "--licence", "1", "--subject", "POS-T1",
        "--expiry", "2099-01-01", "--nonce", "1", "--account", LICENSEE,
    )  # fmt: skip
    claim = payload_of(out)
    assert run("licensing", "verify-qr", claim).strip() == "LICENSED: licensed: 1 pooled patent"

    assert "only its lister" in refused(run, "licensing", "delist", "1", "--account", SME)
    assert "listing #1 withdrawn." in run("licensing", "delist", "1", "--account", PROVIDER)
    assert "#1 [delisted]" in run("licensing", "listings", *PATENT)
    assert "0 listing(s)" in run("licensing", "listings", "US", "999")
    mint_bpc(19, 10 * ONE)
    out = refused_unsent(run, chain, "licensing", "buy", "1", "--account", LICENSEE)
    assert "listing #1 was withdrawn" in out

    # Licences already sold stay valid until their term ends.
    assert "licence #2 [in force]" in run("licensing", "licence", "2")
    chain.pending_timestamp += 31 * DAY
    chain.mine()
    assert "licence #1 [ended]" in run("licensing", "licence", "1")
    out = run("licensing", "verify-qr", claim, code=3)
    assert out.strip() == "NOT LICENSED: licence 1 has ended"


def test_licensing_cli__device_batch__qr_verifies_and_a_tampered_code_is_refused(
    run, decide, chain, accounts, desk, mint_bpc, tmp_path
):
    maker = accounts[4]
    bpc, licensing = desk["BPC"], desk["Licensing"]
    # A small schedule: 10 devices a year free, 0.01 BPC each up to 40, 0.005 beyond.
    decide(("device-schedule", "10", "0.01", "40", "0.005", "100"))
    tiers = run("licensing", "tiers")
    assert (
        "devices a maker a year: 10 free (active members only), 0.01 BPC each up to 40, "
        "0.005 BPC beyond"
    ) in tiers
    assert "cap 100 BPC" in tiers
    out = run("licensing", "device-fee", "50", "--account", SME)
    assert f"50 device(s) for {maker.address}: 0.35 BPC" in out  # 30 x 0.01 + 10 x 0.005

    mint_bpc(4, ONE)
    batch_file = tmp_path / "batch.json"
    out = run(
        "licensing", "register-batch", "PHONE-X1", "--sample", "50",
        "--file", str(batch_file), "--account", SME,
    )  # fmt: skip
    assert "batch #1: 50 PHONE-X1 device(s), fee 0.35 BPC" in out
    assert bpc.balanceOf(maker) == ONE - 35 * 10**16
    assert licensing.fees_to_royalties() == 35 * 10**16
    record = json.loads(batch_file.read_text())
    assert record["batch"] == 1 and record["product"] == "PHONE-X1"
    assert len(record["serials"]) == 50 and record["serials"][42] == "PHONE-X1-000000042"
    assert bytes(licensing.batches(1).root).hex() == record["root"][2:]
    assert "0.005 BPC" in run("licensing", "device-fee", "1", "--maker", maker.address)

    png, svg = tmp_path / "device.png", tmp_path / "device.svg"
    out = run(
        "licensing", "device-qr", str(batch_file), "PHONE-X1-000000042",
        "--png", str(png), "--svg", str(svg),
    )  # fmt: skip
    code = payload_of(out)
    assert png.read_bytes().startswith(b"\x89PNG") and b"<svg" in svg.read_bytes()
    assert run("licensing", "verify-qr", code).strip() == "LICENSED: device 42 of batch 1"
    scanned = tmp_path / "scanned.txt"
    scanned.write_text(code + "\n")
    out = run("licensing", "verify-qr", "--file", str(scanned))
    assert out.strip() == "LICENSED: device 42 of batch 1"

    middle = len(code) // 2
    tampered = code[:middle] + ("A" if code[middle] != "A" else "B") + code[middle + 1 :]
    out = refused(run, "licensing", "verify-qr", tampered)
    assert "checksum does not match (truncated or tampered)" in out
    out = refused(run, "licensing", "verify-qr", code[:-8])  # one base32 block short
    assert "checksum does not match (truncated or tampered)" in out

    out = refused(run, "licensing", "device-qr", str(batch_file), "PHONE-X1-000000050")
    assert "serial 'PHONE-X1-000000050' is not in" in out
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps({**record, "serials": record["serials"][:49]}))
    out = refused(run, "licensing", "device-qr", str(edited), "PHONE-X1-000000042")
    assert "batch #1 on chain has another root than this tree" in out
    # A counterfeit: a well-formed code for a device no batch holds.
    tree = DeviceTree([serial_id(t) for t in record["serials"]])
    fake = qr.DevicePayload(
        int(chain.chain_id),
        str(licensing.address),
        1,
        42,
        serial_id("PHONE-X1-999999999"),
        tree.proof(serial_id("PHONE-X1-000000042")),
    )
    out = run("licensing", "verify-qr", qr.encode(fake), code=3)
    assert out.strip() == "NOT LICENSED: no licensed batch holds this device"
    out = refused_unsent(
        run, chain, "licensing", "register-batch", "PHONE-X1", "--sample", "5",
        "--file", str(batch_file), "--account", SME,
    )  # fmt: skip
    assert "exists; choose a new batch file" in out


def test_licensing_cli__bpr_claim__licensed_until_the_holder_cancels_it(
    run, chain, accounts, desk, mint_bpc, tmp_path, pooled
):
    mint_bpc(3, 20 * ONE)
    run("licensing", "convert", "--account", PROVIDER)
    png, svg = tmp_path / "claim.png", tmp_path / "claim.svg"
    out = run(
        "licensing", "claim-qr", "--subject", "PHONE-X1", "--expiry", "2099-01-01",
        "--nonce", "1", "--png", str(png), "--svg", str(svg), "--account", PROVIDER,
    )  # fmt: skip
    claim = payload_of(out)
    assert claim.startswith("BPSA2C:")
    assert png.read_bytes().startswith(b"\x89PNG") and b"<svg" in svg.read_bytes()
    assert run("licensing", "verify-qr", claim).strip() == "LICENSED: licensed: 1 pooled patent"

    out = refused(
        run, "licensing", "claim-qr", "--subject", "PHONE-X1", "--expiry", "2099-01-01",
        "--nonce", "1", "--account", SME,
    )  # fmt: skip
    assert "the claim would not hold: the holder holds no BPR" in out

    out = run("licensing", "cancel-claims", "2", "--account", PROVIDER)
    assert f"claims by {accounts[3].address} with a nonce below 2 no longer hold." in out
    assert desk["Licensing"].claim_nonce_floor(accounts[3]) == 2
    out = run("licensing", "verify-qr", claim, code=3)
    assert out.strip() == "NOT LICENSED: the holder cancelled claims with this nonce"
    assert "the nonce floor only rises: it is 2" in refused(
        run, "licensing", "cancel-claims", "2", "--account", PROVIDER
    )
    out = run(
        "licensing", "claim-qr", "--subject", "PHONE-X1", "--expiry", "2099-01-01",
        "--nonce", "2", "--account", PROVIDER,
    )  # fmt: skip
    out = run("licensing", "verify-qr", payload_of(out))
    assert out.strip() == "LICENSED: licensed: 1 pooled patent"


def test_licensing_cli__bad_input__one_clear_line_nothing_sent(
    run, chain, accounts, pooled, tmp_path
):
    provider, licensee = accounts[3].address, accounts[19].address
    twice, empty, not_batch, unknown_batch = (
        tmp_path / name for name in ("twice.txt", "empty.txt", "notes.json", "b9.json")
    )
    twice.write_text("A-1\nA-2\nA-1\n")
    empty.write_text("\n\n")
    not_batch.write_text("[1, 2]")
    unknown_batch.write_text(json.dumps({"batch": 9, "product": "P", "serials": ["P-1", "P-2"]}))
    new_file = str(tmp_path / "new.json")
    terms = ("--duration", "30d", "--field", "payment terminals", "--territory", "CN")
    claim = ("--subject", "PHONE-X1", "--expiry", "2099-01-01", "--account", PROVIDER)
    height = chain.blocks.height
    cases = [
        (("holding", "0x1234"), "'0x1234' is not an address"),
        (("holding", "--account", "TEST::99"), "expected TEST::0 to TEST::19"),
        (("convert", "--account", LICENSEE), f"{licensee} is not an active member"),
        (("convert", "--account", SME), "holds 0 BPC; convert takes 100"),
        (("convert", "--account", NON_PROFIT), "a non-profit has no tier price"),
        (("release", "--account", PROVIDER), f"{provider} holds no converted BPR to release"),
        (("list-terms", "US", "999", "5", *terms, "--account", PROVIDER),
         "US 999 was never submitted"),
        (("list-terms", "us", "1", "5", *terms, "--account", PROVIDER),
         "office code 'us' must be two capital letters"),
        (("list-terms", *PATENT, "5", *terms, "--account", SME),
         "licensing: only the patent's contributor or an agent it mandated lists terms"),
        (("list-terms", *PATENT, "0", *terms, "--account", PROVIDER),
         "the price must be more than 0"),
        (("list-terms", *PATENT, "five", *terms, "--account", PROVIDER),
         "PRICE must be a number, got 'five'"),
        (("list-terms", *PATENT, "5", "--duration", "forever", "--field", "x",
          "--territory", "CN", "--account", PROVIDER), "--duration must be seconds or"),
        (("list-terms", *PATENT, "5", "--duration", "0", "--field", "x", "--territory", "CN",
          "--account", PROVIDER), "the duration must be 1 second to 50 years"),
        (("list-terms", *PATENT, "5", "--duration", "30d", "--field", "x" * 65,
          "--territory", "CN", "--account", PROVIDER), "field of use is at most 64 bytes"),
        (("delist", "1", "--account", PROVIDER), "no listing #1"),
        (("listings", "US"), "give both OFFICE and NUMBER, or neither"),
        (("buy", "7", "--account", LICENSEE), "no listing #7"),
        (("licence", "3"), "no licence #3"),
        (("device-fee", "5", "--maker", "nope"), "'nope' is not an address"),
        (("register-batch", "P", "--file", new_file), "give exactly one of --serials FILE"),
        (("register-batch", "P", "--sample", "0", "--file", new_file),
         "--sample must be 1 to 10,000,000"),
        (("register-batch", "P", "--serials", str(twice), "--file", new_file),
         "lists a serial twice"),
        (("register-batch", "P", "--serials", str(empty), "--file", new_file),
         "holds no serials (one per line)"),
        (("register-batch", "", "--sample", "3", "--file", new_file),
         "product '' must be printable text"),
        (("register-batch", "P", "--sample", "3", "--file", str(not_batch)),
         "exists; choose a new batch file"),
        (("device-qr", str(not_batch), "P-1"), "is not a batch file"),
        (("device-qr", str(unknown_batch), "P-1"), "no batch #9"),
        (("claim-qr", "--nonce", "1", "--expiry", "someday", "--subject", "P",
          "--account", PROVIDER), "--expiry must be unix seconds or YYYY-MM-DD"),
        (("claim-qr", "--nonce", "1", *claim), "the claim would not hold: the holder holds no BPR"),
        (("claim-qr", "--nonce", "-1", *claim), "licence and nonce must be uint256"),
        (("claim-qr", "--nonce", "1", "--subject", "P", "--expiry", "2000-01-01",
          "--account", PROVIDER), "the claim would not hold: the claim expired"),
        (("verify-qr",), "give the scanned text or --file, not both or neither"),
        (("verify-qr", "HELLO"), "not a BPSA licence code"),
        (("verify-qr", "BPSA3D:AAAA"), "BPSA code version 3 is not supported"),
        (("verify-qr", "BPSA1D:AAAA"), "BPSA code version 1 is no longer accepted"),
        (("verify-qr", "BPSA2X:AAAA"), "unknown BPSA code kind 'X'"),
        (("verify-qr", "BPSA2D:1111"), "not valid base32"),
        (("cancel-claims", "0", "--account", PROVIDER), "the nonce floor only rises: it is 0"),
    ]  # fmt: skip
    for args, message in cases:
        out = refused(run, "licensing", *args)
        assert message in out, (args, out)
    admin_cases = [
        (("tier", "startup", "25"), "unknown member kind 'startup'"),
        (("tier", "start-up", "--", "-1"), "PRICE must be a non-negative number"),
        (("tier", "start-up", "1000000000001"), "a tier price must be 0 to 10^12 BPC"),
        (("large-enterprise-rate", "100000001"), "the rate must be 0 to 10^8 BPC per basis"),
        (("min-term", "11y"), "the minimum term must be 0 to ten years"),
        (("min-term", "soon"), "DURATION must be seconds or a whole number"),
        (("grant-bpr", provider), "is not a non-profit"),
        (("grant-bpr", licensee), f"{licensee} is not an active member"),
        (("grant-bpr", "0xabc"), "'0xabc' is not an address"),
        (("revoke-bpr", provider), "is active: only an expelled member's BPR"),
        (("surcharge", "10001"), "the surcharge must be 0 to 10,000 bps"),
        (("surcharge", "ten"), "BPS must be a whole number, got 'ten'"),
        (("device-schedule", "1", "2", "3", "4"), "device-schedule takes FREE_PER_YEAR"),
        (("device-schedule", "--", "-1", "0", "0", "0", "0"), "cannot hold negative numbers"),
        (("device-schedule", "10", "1000001", "40", "0", "0"),
         "a device rate must be at most 10^6 BPC"),
        (("device-schedule", "1000000000001", "0", "40", "0", "0"),
         "device volumes must be at most 10^12"),
    ]  # fmt: skip
    for args, message in admin_cases:
        out = refused(run, "admin", "propose", *args)
        assert message in out, (args, out)
    assert chain.blocks.height == height
    assert not (tmp_path / "new.json").exists()


UINT256_OVER = str(2**256)


@pytest.mark.parametrize(
    "args",
    [
        ("buy", "--account", LICENSEE, "--", "-1"),
        ("delist", "--account", PROVIDER, "--", "-1"),
        ("licence", "--", "-1"),
        ("device-fee", "--account", SME, "--", "-1"),
        ("cancel-claims", UINT256_OVER, "--account", PROVIDER),
    ],
    ids=["buy", "delist", "licence", "device-fee", "cancel-claims"],
)
def test_licensing_cli__id_or_count_out_of_uint256__one_clear_line(run, chain, args):
    out = refused_unsent(run, chain, "licensing", *args)
    assert "must be" in out or "no listing" in out or "no licence" in out


def test_licensing_cli__register_batch_into_missing_folder__refused_before_sending(
    run, chain, tmp_path
):
    target = tmp_path / "missing" / "batch.json"
    out = refused_unsent(
        run, chain, "licensing", "register-batch", "PHONE-X1", "--sample", "3",
        "--file", str(target), "--account", SME,
    )  # fmt: skip
    assert "missing" in out


def test_licensing_cli__standard_agreements__pinned_proposed_and_named_by_every_licence(
    run, decide, chain, accounts, desk, mint_bpc, pooled, tmp_path, monkeypatch
):
    # the agreement files go to the embedded content store (no daemon in this test)
    monkeypatch.delenv("BPSA_IPFS_API", raising=False)
    monkeypatch.setenv("BPSA_STORE_DIR", str(tmp_path / "store"))
    files = {}
    for name in ("bpr", "per-patent", "device", "bpr-v2", "own"):
        files[name] = tmp_path / f"{name}.txt"
        files[name].write_text(f"SAMPLE AGREEMENT ({name}): not legal text.\n")
    cids = {name: cid_of(path.read_bytes()) for name, path in files.items()}
    licensing, licensee = desk["Licensing"], accounts[19]
    assert "bpr agreement: none set" in run("licensing", "agreements")

    decide(("agreements", str(files["bpr"]), str(files["per-patent"]), str(files["device"])))

    out = run("licensing", "agreements")
    assert f"bpr agreement v1: {cids['bpr']}" in out
    assert f"per-patent agreement v1: {cids['per-patent']}" in out
    assert f"device agreement v1: {cids['device']}" in out
    mint_bpc(3, 30 * ONE)
    out = run("licensing", "convert", "--agreement", cids["bpr"], "--account", PROVIDER)
    assert f"under agreement {cids['bpr']}" in out
    assert f"agreement {cids['bpr']}" in run("licensing", "holding", accounts[3].address)

    # the council changes the BPR agreement: a buyer who read the old one is refused
    decide(("agreement", "bpr", str(files["bpr-v2"])))
    mint_bpc(4, 200 * ONE)
    height = chain.blocks.height
    out = refused(run, "licensing", "convert", "--agreement", cids["bpr"], "--account", SME)
    assert "the BPR agreement changed since it was read" in out
    assert chain.blocks.height == height
    assert f"agreement {cids['bpr']}" in run("licensing", "holding", accounts[3].address)

    out = run(
        "licensing", "list-terms", *PATENT, "5", "--duration", "30d", "--field", "terminals",
        "--territory", "CN", "--agreement", str(files["own"]), "--account", PROVIDER,
    )  # fmt: skip
    assert f"pinned as {cids['own']}" in out and f"agreement {cids['own']}." in out
    run(
        "licensing", "list-terms", *PATENT, "5", "--duration", "30d", "--field", "terminals",
        "--territory", "JP", "--account", PROVIDER,
    )  # fmt: skip
    assert f"agreement {cids['per-patent']}" in run("licensing", "listings")
    mint_bpc(19, 12 * ONE)
    out = run("licensing", "buy", "1", "--account", LICENSEE)
    assert f"agreement {cids['own']}." in out
    assert bytes(licensing.licences(1).agreement) == digest_of(cids["own"])
    assert f"agreement {cids['own']}" in run("licensing", "licence", "1")
    assert licensee.address in out


def test_licensing_cli__coverage__prints_the_snapshot_and_a_proof_both_sides_accept(
    run, chain, accounts, desk, pooled
):
    provider, licensing = accounts[3], desk["Licensing"]
    desk["BPC"].approve(licensing, 20 * ONE, sender=provider)
    run("licensing", "convert", "--account", PROVIDER)
    size, root = licensing.snapshot_of(provider)
    date = chain.blocks.head.timestamp

    out = run("licensing", "coverage", provider.address, "--patent", "US:11234567")
    assert f"{provider.address}: BPR snapshot of {when(date)}" in out
    assert f"coverage log size {size}, root 0x{bytes(root).hex()}" in out
    assert "1 patent(s) covered" in out
    assert "verified off chain: True, on chain: True" in out

    record = json.loads(
        run("licensing", "coverage", provider.address, "--patent", "US:11234567", "--json")
    )
    assert (record["size"], record["root"], record["covered"]) == (
        size,
        "0x" + bytes(root).hex(),
        1,
    )
    assert record["patents"] == ["0x" + pooled.hex()]
    assert record["verified"] == {"off_chain": True, "on_chain": True}
    assert record["proof"]["patent"] == "0x" + pooled.hex()

    out = refused(run, "licensing", "coverage", provider.address, "--patent", "US:99999999")
    assert "never pooled" in out
    out = refused(run, "licensing", "coverage", accounts[4].address)
    assert "holds no BPR" in out
    assert "OFFICE:NUMBER" in refused(
        run, "licensing", "coverage", provider.address, "--patent", "11234567"
    )
