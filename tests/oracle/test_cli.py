"""`bpsa-oracle` (bpsa.oracle.cli), run in-process with click's CliRunner on TOML
configurations written to a temporary directory, against anvil.

A module-scoped deployment over the session pool, Licensing and Infringements: a
university (a new member, provider) whose identity record in the store names it as
the office feed's owner of US 11234567, which it submitted, and of nothing else (it
also submitted US 10000001, which the feed lacks); the provider's US 11876543 pooled
and US 11223344 certified; the rights-protection centre holds BPC for bonds.

What must hold: each command does its one job and prints what it did; a bad
configuration ends in one line naming the problem and exit code 1.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bpsa.core import certificates as certs
from bpsa.core.accounts import dev_account
from bpsa.core.cid import digest_of
from bpsa.core.codes import Kind, PatentStatus, Role, Source
from bpsa.oracle.cli import cli
from bpsa.oracle.store import LocalStore
from bpsa.sdk.deploy import manifest_for
from tests.fixtures.infringements import INFRINGEMENTS
from tests.fixtures.pool import PoolDriver
from tests.fixtures.suite import application

pytestmark = pytest.mark.filterwarnings("ignore:The log with transaction hash:UserWarning")

UNIVERSITY = "Zhejiang University"
SIGNED = ("US", "11234567")  # the university's, in the feed: nodes sign it
UNLISTED = ("US", "10000001")  # the university's, not in the feed: nodes refuse it
POOLED = ("US", "11876543")  # the provider's, pooled
RATEABLE = ("US", "11223344")  # the provider's, certified
REASONING_CID = (
    "bafkreicxnd5anxqhcyp5gygfp4yycuopjt2ctnxh7vvtffgkkdkawtwj3u"  # a reasoning document
)
ENVIRONMENT = (
    "BPSA_ORACLE_RPC",
    "BPSA_ORACLE_MANIFEST",
    "BPSA_ORACLE_FEED",
    "BPSA_ORACLE_BOARD",
    "BPSA_ORACLE_CONFIRMATIONS",
    "BPSA_IPFS_API",
    "BPSA_STORE_DIR",
)


@pytest.fixture(scope="module")
def oracle_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory of the processes' files: store, feed, manifest."""
    return tmp_path_factory.mktemp("oracle-cli")


@pytest.fixture(scope="module")
def deployment(
    chain: Any,
    deployer: Any,
    pool_council: Any,
    pool_alliance: Any,
    oracle_contracts: dict[str, Any],
    walker: PoolDriver,
    protection_centre: Any,
    provider: Any,
    university: Any,
    patent_pool: Any,
    bpc: Any,
    accounts: Any,
    oracle_files: Path,
) -> dict[str, Any]:
    store = LocalStore(oracle_files / "store")
    identity = store.put(json.dumps({"name": UNIVERSITY, "sample": True}).encode())
    pool_alliance.apply(int(Kind.NON_PROFIT), digest_of(identity), sender=university)
    pool_alliance.admit(*application(pool_alliance, university), sender=pool_council)
    pool_alliance.grant_role(university, int(Role.PROVIDER), sender=pool_council)
    zero = "0x" + "00" * 20
    for office, number in (SIGNED, UNLISTED):
        document = json.dumps({"office": office, "number": number}).encode()
        patent_pool.submit(
            office,
            number,
            digest_of(store.put(document)),
            int(Source.CONTRIBUTED),
            zero,
            0,
            sender=university,
        )
    walker.pooled(provider, POOLED[1])
    walker.submit(provider, RATEABLE[1])
    walker.certify(provider, RATEABLE[1])
    chain.provider.set_balance(patent_pool.address, 10**18)
    bpc.mint(protection_centre, 4 * INFRINGEMENTS.bond, sender=accounts[patent_pool.address])
    feed = oracle_files / "feed.json"
    record = {"office": "US", "number": SIGNED[1], "status": "in-force", "owner": UNIVERSITY,
              "next_maintenance": "2090-01-31", "expires": "2095-06-30", "title": "A"}  # fmt: skip
    feed.write_text(json.dumps([record]))
    manifest = oracle_files / "local.json"
    manifest.write_text(
        json.dumps(manifest_for(chain, oracle_contracts, deployer.address).to_json())
    )
    return {"store": store.directory, "feed": feed, "manifest": manifest}


@pytest.fixture(autouse=True)
def no_oracle_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The configuration files alone decide (`make test` sets BPSA_IPFS_API)."""
    for variable in ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def write_config(chain: Any, deployment: dict[str, Any], tmp_path: Path) -> Any:
    """`write_config(name, role_section, **overrides)`: a TOML file for one process; an
    override of None leaves that section out."""

    def _write(name: str, role: str, role_body: dict[str, Any], **sections: Any) -> Path:
        body: dict[str, Any] = {
            "chain": {"rpc": chain.provider.uri, "manifest": str(deployment["manifest"])},
            "store": {"directory": str(deployment["store"])},
            "feed": {"path": str(deployment["feed"])},
            "board": {"path": str(tmp_path / "board.sqlite")},
            role: role_body,
        }
        body.update(sections)
        path = tmp_path / f"{name}.toml"
        path.write_text(toml(body))
        return path

    return _write


def toml(sections: dict[str, Any]) -> str:
    lines = []
    for section, values in sections.items():
        if values is None:
            continue
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def node_config(write_config: Any, index: int, name: str) -> Path:
    path: Path = write_config(name, "node", {"name": name, "test_account": index})
    return path


def patent_status(patent_pool: Any, key: tuple[str, str]) -> PatentStatus:
    return PatentStatus(int(patent_pool.patents(certs.patent_id(*key)).status))


# --- certify, aggregate, status ----------------------------------------------------------


def test_certify_once__submissions_on_chain__signs_the_feeds_refuses_the_unlisted(
    write_config, patent_pool
):
    result = run("certify", "--config", node_config(write_config, 12, "node1"), "--once")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"node node1 ({dev_account(12).address}) on chain 31337, acting on blocks 0 deep",
        "Stats(scanned=4, signed=1, refused=1, skipped=2, deferred=0, batches_signed=0, renewed=0)",
    ]
    assert patent_status(patent_pool, SIGNED) == PatentStatus.SUBMITTED  # one signature


def test_certify_twice_then_aggregate_once__quorum__certified_on_chain(write_config, patent_pool):
    for index, name in ((12, "node1"), (13, "node2")):
        assert (
            run("certify", "--config", node_config(write_config, index, name), "--once").exit_code
            == 0
        )
    config = write_config("aggregator", "aggregator", {"test_account": 11})

    result = run("aggregate", "--config", config, "--once")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"aggregator ({dev_account(11).address}) on chain 31337"
    assert lines[1].startswith(
        "Posted(single=1, batched=0, found=0, certified=1, batches_proposed=0, gas="
    )
    assert patent_status(patent_pool, SIGNED) == PatentStatus.CERTIFIED


def test_aggregate_once__one_signature_of_two__posts_nothing(write_config, patent_pool):
    run("certify", "--config", node_config(write_config, 12, "node1"), "--once")

    result = run(
        "aggregate", "--config", write_config("agg", "aggregator", {"test_account": 11}), "--once"
    )

    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "Posted(single=0, batched=0, found=0, certified=0, batches_proposed=0, gas=0)"
    )
    assert patent_status(patent_pool, SIGNED) == PatentStatus.SUBMITTED


def test_status__after_two_nodes_and_the_aggregator__counts_refusals_and_posts(
    write_config, tmp_path
):
    for index, name in ((12, "node1"), (13, "node2")):
        run("certify", "--config", node_config(write_config, index, name), "--once")
    run("aggregate", "--config", write_config("agg", "aggregator", {"test_account": 11}), "--once")

    result = run("status", "--board", tmp_path / "board.sqlite")

    assert result.exit_code == 0, result.output
    refusal = "refused US 10000001: the office has no record of US 10000001"
    assert result.output.splitlines() == [
        "node1: refused 1, signed 1, skipped 2",
        "node2: refused 1, signed 1, skipped 2",
        f"  node1 {refusal}",
        f"  node2 {refusal}",
        "1 certificate(s) posted",
    ]


def test_status_held__after_certification__each_node_lists_the_patent_it_keeps(
    write_config, tmp_path
):
    for index, name in ((12, "node1"), (13, "node2")):
        run("certify", "--config", node_config(write_config, index, name), "--once")
    run("aggregate", "--config", write_config("agg", "aggregator", {"test_account": 11}), "--once")

    result = run("status", "--board", tmp_path / "board.sqlite", "--held")

    assert result.exit_code == 0, result.output
    kept = [line for line in result.output.splitlines() if " keeps " in line]
    assert sorted(line.split(", next look ")[0] for line in kept) == [
        f"  {node} keeps {office} {number}"
        for node in ("node1", "node2")
        for office, number in sorted((SIGNED, UNLISTED, POOLED, RATEABLE))
    ]
    # each with its next look as a UTC date and what the node found last
    signed = next(line for line in kept if line.startswith(f"  node1 keeps US {SIGNED[1]}"))
    assert re.fullmatch(
        rf"  node1 keeps US {SIGNED[1]}, next look \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC: "
        "awaits a certificate",
        signed,
    )


def test_status__empty_board__nothing_posted(tmp_path):
    from bpsa.oracle.board import Board

    Board(tmp_path / "board.sqlite").close()

    result = run("status", "--board", tmp_path / "board.sqlite")

    assert (result.exit_code, result.output) == (0, "0 certificate(s) posted\n")


def test_certify__account_not_an_oracle__one_line_exit_1(write_config):
    config = write_config("node9", "node", {"name": "node9", "test_account": 3})

    result = run("certify", "--config", config, "--once")

    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {dev_account(3).address} is not an active oracle in the alliance\n"
    )


# --- monitor -------------------------------------------------------------------------


def observations_file(tmp_path: Path, *rows: dict[str, Any]) -> Path:
    path = tmp_path / "scans.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


UNLICENSED = {"id": "listing-1", "kind": "listing", "seller": "Acme Phones Ltd",
              "product": "AX-1", "patents": [list(POOLED)]}  # fmt: skip


def test_monitor__unlicensed_listing__prints_the_case_then_nothing_on_a_rerun(
    write_config, tmp_path, infringements
):
    config = write_config("centre", "monitor", {"test_account": 10})
    scans = observations_file(tmp_path, UNLICENSED)
    args = (
        "monitor",
        "--config",
        config,
        "--observations",
        scans,
        "--log",
        tmp_path / "log.sqlite",
    )

    first, again = run(*args), run(*args)

    assert first.exit_code == 0, first.output
    assert first.output == (
        "listing-1: UNLICENSED: Acme Phones Ltd shows no BPR and no per-patent licence; case(s) 1\n"
    )
    assert (again.exit_code, again.output) == (0, "")
    assert infringements.case_count() == 1


def test_monitor__observation_malformed__one_line_exit_1(write_config, tmp_path):
    config = write_config("centre", "monitor", {"test_account": 10})
    scans = observations_file(tmp_path, {**UNLICENSED, "kind": "advert"})

    result = run(
        "monitor", "--config", config, "--observations", scans, "--log", tmp_path / "l.sqlite"
    )

    assert result.exit_code == 1
    assert result.output == f"Error: {scans}:1: kind 'advert' is not one of device, listing\n"


# --- valuations ----------------------------------------------------------------------


def test_valuations__reviewed_file__one_outcome_line_per_row_of_this_expert(
    write_config, tmp_path, patent_pool
):
    expert, other = dev_account(15).address, dev_account(16).address
    reviewed = tmp_path / "reviewed.csv"
    reviewed.write_text(
        "office,number,expert,score,valuation,reviewed_by,reasoning\n"
        f"US,11223344,{expert},82,76000,board 2026-11,{REASONING_CID}\n"
        f"US,11223344,{other},74,64000,board 2026-11,{REASONING_CID}\n"
        f"US,10000001,{expert},60,1000,board 2026-11,{REASONING_CID}\n"
    )
    config = write_config("expert1", "expert", {"test_account": 15})

    result = run("valuations", "--config", config, "--file", reviewed)

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "US 11223344: rated 82, valued 76000",
        "US 10000001: skipped: submitted, not open for rating",
    ]
    assert len(patent_pool.ballots_of(certs.patent_id(*RATEABLE))) == 1


def test_valuations__malformed_file__one_line_exit_1(write_config, tmp_path):
    reviewed = tmp_path / "reviewed.csv"
    reviewed.write_text(
        "office,number,expert,score,valuation,reviewed_by,reasoning\n"
        f"US,11223344,0x1,200,1,b,{REASONING_CID}\n"
    )
    config = write_config("expert1", "expert", {"test_account": 15})

    result = run("valuations", "--config", config, "--file", reviewed)

    assert result.exit_code == 1
    assert result.output == f"Error: {reviewed}:2: score must be 0 to 100, got 200\n"


# --- bad configurations ----------------------------------------------------------------


def test_monitor__config_without_the_role_section__one_line_exit_1(write_config, tmp_path):
    config = write_config("centre", "node", {"test_account": 10})  # a [node], no [monitor]
    scans = observations_file(tmp_path, UNLICENSED)

    result = run(
        "monitor", "--config", config, "--observations", scans, "--log", tmp_path / "l.sqlite"
    )

    assert result.exit_code == 1
    assert result.output == f"Error: {config} has no [monitor] section\n"


@pytest.mark.parametrize(
    ("sections", "missing"),
    [
        ({"chain": {"manifest": "local.json"}}, "[chain] rpc (or $BPSA_ORACLE_RPC)"),
        ({"chain": None}, "[chain] rpc (or $BPSA_ORACLE_RPC)"),
        (
            {"chain": {"rpc": "http://127.0.0.1:8545"}},
            "[chain] manifest (or $BPSA_ORACLE_MANIFEST)",
        ),
        ({"feed": {}}, "[feed] path (or $BPSA_ORACLE_FEED)"),
    ],
    ids=["no-rpc", "no-chain-section", "no-manifest", "no-feed-path"],
)
def test_certify__config_missing_a_key__one_line_naming_it_exit_1(write_config, sections, missing):
    config = write_config("node1", "node", {"name": "node1", "test_account": 12}, **sections)

    result = run("certify", "--config", config, "--once")

    assert result.exit_code == 1
    assert result.output == f"Error: {config}: set {missing}\n"


def test_aggregate__config_without_an_account__one_line_exit_1(write_config):
    config = write_config("agg", "aggregator", {"name": "aggregator"})

    result = run("aggregate", "--config", config, "--once")

    assert result.exit_code == 1
    assert result.output == "Error: [aggregator] needs keystore (+ password_env) or test_account\n"


def test_certify__config_not_toml__one_line_exit_1(tmp_path):
    config = tmp_path / "node1.toml"
    config.write_text("[chain\nrpc = http://127.0.0.1:8545\n")

    result = run("certify", "--config", config, "--once")

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot read the oracle configuration {config}: ")
    assert len(result.output.splitlines()) == 1


def test_certify__manifest_unreadable__one_line_exit_1(write_config, tmp_path):
    absent = tmp_path / "absent.json"
    config = write_config(
        "node1",
        "node",
        {"name": "node1", "test_account": 12},
        chain={"rpc": "http://x:1", "manifest": str(absent)},
    )

    result = run("certify", "--config", config, "--once")

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot read the deployment manifest {absent}: ")
    assert len(result.output.splitlines()) == 1


def test_certify__config_not_utf8__one_line_exit_1(tmp_path):
    config = tmp_path / "node1.toml"
    config.write_bytes("# r\u00e9seau de test\n[node]\ntest_account = 12\n".encode("latin-1"))

    result = run("certify", "--config", config, "--once")

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot read the oracle configuration {config}: ")


def test_valuations__config_without_a_feed__pushes(write_config, tmp_path):
    reviewed = tmp_path / "reviewed.csv"
    reviewed.write_text("office,number,expert,score,valuation,reviewed_by\n")
    config = write_config("expert1", "expert", {"test_account": 15}, feed=None)

    result = run("valuations", "--config", config, "--file", reviewed)

    assert (result.exit_code, result.output) == (0, "")


def test_certify__confirmations_set__node_acts_on_blocks_that_deep(write_config):
    config = write_config("node1", "node", {"name": "node1", "test_account": 12})
    config.write_text(config.read_text().replace("[chain]", "[chain]\nconfirmations = 3", 1))

    result = run("certify", "--config", config, "--once")

    assert result.exit_code == 0, result.output
    assert "acting on blocks 3 deep" in result.output.splitlines()[0]


@pytest.mark.parametrize("depth", ['"twelve"', "-1"])
def test_certify__confirmations_not_a_count__one_line_exit_1(write_config, depth):
    config = write_config("node1", "node", {"name": "node1", "test_account": 12})
    config.write_text(config.read_text().replace("[chain]", f"[chain]\nconfirmations = {depth}", 1))

    result = run("certify", "--config", config, "--once")

    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {config}: [chain] confirmations")
