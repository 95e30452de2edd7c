"""`python -m bpsa.api`: a bad configuration fails at once with one clear line (exit 2),
naming what is wrong; /health says whether the node and the database answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bpsa.api.app import create_app

from .conftest import World

ROOT = Path(__file__).resolve().parents[2]


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bpsa.api", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip


def test_serve__missing_manifest__exit_2_naming_the_file(tmp_path):
    done = serve("--manifest", str(tmp_path / "nowhere.json"), "--db", str(tmp_path / "i.db"))

    assert done.returncode == 2
    assert "cannot read the deployment manifest" in done.stderr
    assert "nowhere.json" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--rpc", "ftp://node", "rpc_url"),
        ("--db", "mysql://db", "unsupported database URL scheme"),
        ("--workers", "0", "--workers must be 1 to 64"),
        ("--hub", "0x1234", "hub"),
    ],
)
def test_serve__bad_option__exit_2_saying_which(api_world: World, tmp_path, option, value, says):
    args = {"--manifest": str(api_world.manifest_path), "--db": str(tmp_path / "index.db")}
    args[option] = value

    done = serve(*[part for pair in args.items() for part in pair])

    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr


def test_health__node_and_database_answer__ok_with_the_indexed_block(client, chain):
    body = client.get("/health").json()

    assert (body["status"], body["node"], body["database"]) == ("ok", "ok", "ok")
    assert body["indexed_block"] is not None and body["indexed_block"] <= body["block"]
    assert body["chain_id"] == chain.chain_id


def test_health__node_unreachable__degraded_naming_the_node(api_world: World):
    with TestClient(create_app(api_world.settings(rpc_url="http://127.0.0.1:9"))) as offline:
        body = offline.get("/health").json()

    assert (body["status"], body["node"], body["block"]) == ("degraded", "unreachable", None)
    assert body["database"] == "ok"
