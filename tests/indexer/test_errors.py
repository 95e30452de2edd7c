"""The command line and the indexer's start-up: a clear error naming what is wrong,
beside the success path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpsa.api import db
from bpsa.api.indexer import Indexer, IndexerError, main
from bpsa.core.manifest import Deployed, Manifest

from .conftest import Scenario


@pytest.fixture
def manifest_file(suite_manifest: Manifest, tmp_path: Path) -> Path:
    path = tmp_path / "local.json"
    path.write_text(json.dumps(suite_manifest.to_json()))
    return path


def _run(
    capsys: pytest.CaptureFixture[str], manifest: Path, rpc: str, db: str, *more: str
) -> tuple[int, str, str]:
    """The indexer's CLI (quiet) on `manifest`, `rpc` and `db`: exit code, stdout, stderr."""
    code = main(["-q", "--manifest", str(manifest), "--rpc", rpc, "--db", db, *more])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli__once_over_the_deployed_suite__indexes_and_says_how_far(
    scenario: Scenario,
    manifest_file: Path,
    rpc_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    scenario.members()
    target = tmp_path / "index.sqlite"

    code, out, err = _run(capsys, manifest_file, rpc_url, str(target), "--once")

    assert (code, err) == (0, "")
    engine = db.connect(target)
    with Session(engine) as s:
        count = s.execute(select(func.count()).select_from(db.Event)).scalar()
    engine.dispose()
    assert out.startswith(f"indexed {count} events; cursor at block ")
    assert count


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no manifest file at"),
        ("{not json", "not valid JSON"),
        ('{"network": "local"}', "field 'ecosystem' must be a str"),
        (
            '{"network": "l", "ecosystem": "ethereum", "chain_id": 1, "deployer": "0x", '
            '"contracts": {"BPC": {"address": "0x12", "block": 0}}}',
            "contracts.BPC.address must be a 0x-prefixed 20-byte hex address",
        ),
        (
            '{"network": "l", "ecosystem": "ethereum", "chain_id": 1, "deployer": "0x", '
            '"contracts": {"Mint": {"address": "0x' + "11" * 20 + '", "block": 0}}}',
            "the manifest lists none of the indexed contracts",
        ),
    ],
    ids=["missing", "not-json", "field-missing", "bad-address", "nothing-indexed"],
)
def test_cli__bad_manifest__exit_2_naming_the_problem(
    content: str | None, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "manifest.json"
    if content is not None:
        path.write_text(content)

    code, out, err = _run(capsys, path, "http://127.0.0.1:9", ":memory:")

    assert code == 2 and out == ""
    assert err.startswith("indexer: error: ") and message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("mysql://db.example/bpsa", "unsupported database URL scheme 'mysql'"),
        ("postgresql://bpsa@127.0.0.1:9/bpsa", "cannot open database postgresql+psycopg://"),
        ("/no/such/directory/index.sqlite", "directory '/no/such/directory' does not exist"),
    ],
    ids=["scheme", "unreachable-postgres", "missing-directory"],
)
def test_cli__bad_database__exit_2_naming_the_problem(
    target: str, message: str, manifest_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, manifest_file, "http://127.0.0.1:9", target)

    assert code == 2 and message in err and "Traceback" not in err


def test_cli__database_password__never_printed(
    manifest_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_password = "postgresql://bpsa:s3cret@127.0.0.1:9/bpsa"
    code, _, err = _run(capsys, manifest_file, "http://127.0.0.1:9", with_password)

    assert code == 2 and "bpsa:***@" in err and "s3cret" not in err


@pytest.mark.parametrize(
    ("rpc", "message"),
    [
        ("http://127.0.0.1:9", "cannot reach the RPC at http://127.0.0.1:9"),
        ("ws://127.0.0.1:8545", "must start with http:// or https://"),
    ],
    ids=["unreachable", "not-http"],
)
def test_cli__bad_rpc__exit_2_naming_the_problem(
    rpc: str, message: str, manifest_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, manifest_file, rpc, str(tmp_path / "i.db"))

    assert code == 2 and message in err


def test_start__manifest_of_another_chain__refused(
    suite_manifest: Manifest, rpc_url: str, open_engine: Any, sqlite_target: str
) -> None:
    other = Manifest("mainnet", "ethereum", 1, suite_manifest.deployer, suite_manifest.contracts)
    indexer = Indexer(other, rpc_url, open_engine(sqlite_target))

    with pytest.raises(IndexerError, match=r"serves chain 31337 but the manifest .* chain 1"):
        indexer.start()
    indexer.rpc.close()


def test_start__database_of_another_deployment__refused(
    suite_manifest: Manifest, make_indexer: Any, rpc_url: str, open_engine: Any, sqlite_target: str
) -> None:
    make_indexer().start()
    moved = dict(suite_manifest.contracts)
    moved["BPC"] = Deployed("0x" + "22" * 20, 0)
    other = Manifest(suite_manifest.network, "ethereum", suite_manifest.chain_id, "0x", moved)
    indexer = Indexer(other, rpc_url, open_engine(sqlite_target))

    with pytest.raises(IndexerError, match="already indexes chain 31337 from another deployment"):
        indexer.start()
    indexer.rpc.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [({"confirmations": -1}, "confirmations"), ({"batch_blocks": 0}, "batch_blocks")],
)
def test_indexer__bad_option__refused(
    options: dict[str, int], message: str, suite_manifest: Manifest, open_engine: Any
) -> None:
    with pytest.raises(IndexerError, match=message):
        Indexer(suite_manifest, "http://127.0.0.1:9", open_engine(":memory:"), **options)
