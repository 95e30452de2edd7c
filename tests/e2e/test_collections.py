"""Sibling collections end to end: the suite deployed on two chains (two anvils with
their own chain ids) as BPC and APC with `ape run deploy`, each manifest knowing the
other; an unknown collection is refused by name before anything is deployed."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from bpsa.core import manifest
from bpsa.sdk.localchain import Anvil

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.services  # two anvils of its own


def deploy(env: dict[str, str], network: str, settings: dict[str, str], *extra: str):
    command = ["ape", "run", "deploy", "--network", network]
    command += ["--provider-settings", json.dumps(settings), *extra]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_deploy__apc_sibling_of_local__both_manifests_know_both_collections(tmp_path):
    env = {**os.environ, "BPSA_DEPLOYMENTS_DIR": str(tmp_path)}
    with Anvil(31337) as main, Anvil(31338) as sibling:
        first = deploy(env, "ethereum:local:foundry", {"host": main.url})
        assert first.returncode == 0, first.stdout + first.stderr
        wrong = deploy(env, "ethereum:sibling:node", {"uri": sibling.url}, "--collection", "XPC")
        assert wrong.returncode != 0
        assert "no collection 'XPC': the collections are BPC, APC, DPC, QPC, GPC" in (
            wrong.stdout + wrong.stderr
        )
        assert not (tmp_path / "sibling.json").exists()

        second = deploy(
            env,
            "ethereum:sibling:node",
            {"uri": sibling.url},
            "--collection",
            "APC",
            "--sibling-of",
            "local",
        )

    assert second.returncode == 0, second.stdout + second.stderr
    bpc = manifest.load("local", tmp_path)
    apc = bpc.sibling("APC", tmp_path)
    assert (bpc.collection, bpc.chain_id, apc.collection, apc.chain_id) == (
        "BPC",
        31337,
        "APC",
        31338,
    )
    assert apc.sibling("BPC", tmp_path) == bpc
    assert "collection APC" in second.stdout
