"""The hub's layout (issue 16.4): the pure state machine imports no process pool and
nothing doing I/O, the payer's side (client, pay gate) never imports the hub's server
engine, and the receipt's EIP-712 digest is built in one module, from `bpsa.core.eip712`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVER = {
    "bpsa.sidechains.engine",
    "bpsa.sidechains.hub",
    "bpsa.sidechains.serve",
    "bpsa.sidechains.verifier",
    "bpsa.sidechains.wal",
    "bpsa.sidechains.watcher",
}
IO = {"asyncio", "sqlite3", "socket", "subprocess", "multiprocessing", "aiohttp", "psycopg"}


def imported_by(module: str) -> set[str]:
    """Every module loaded by importing `module` alone, in a fresh interpreter."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


@pytest.mark.parametrize("module", ["bpsa.sidechains.client", "bpsa.sidechains.paygate"])
def test_payers_side__imported_alone__loads_none_of_the_hubs_server(module):
    loaded = imported_by(module)

    assert module in loaded
    assert loaded & SERVER == set()
    assert "bpsa.sidechains.state" not in loaded  # the engine's machine is the hub's


def test_state_machine__imported_alone__no_pool_and_no_io():
    loaded = imported_by("bpsa.sidechains.state")

    assert "bpsa.sidechains.state" in loaded
    assert loaded & SERVER == set()
    assert loaded & IO == set()


def test_receipt_digest__built_in_one_module_from_eip712():
    sources = [*ROOT.glob("sidechains/*.py"), *ROOT.glob("bpsa/*.py")]
    sources += [*ROOT.glob("frontend-api/**/*.py")]
    builders = sorted(
        str(path.relative_to(ROOT))
        for path in sources
        if re.search(r"\bRECEIPT(_BATCH)?\.(digest|hash)\b", path.read_text())
    )

    assert builders == ["sidechains/messages.py"]
