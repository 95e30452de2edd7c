"""The indexer's catch-up through its command line (`python -m bpsa.api.indexer --once`),
run as a user runs it: in a pseudo-terminal it draws a bar of the blocks with their rate;
piped (as in logs, CI and this suite) or with CI set, it prints its one line and nothing
more."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bpsa.core.manifest import Manifest

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def command(suite_manifest: Manifest, rpc_url: str, chain: Any, tmp_path: Path) -> list[str]:
    """The catch-up of the whole chain, in about 20 batches (more than one: a bar)."""
    manifest = tmp_path / "local.json"
    manifest.write_text(json.dumps(suite_manifest.to_json()))
    batch = max(1, int(chain.blocks.head.number) // 20)
    return [
        sys.executable, "-m", "bpsa.api.indexer", "-q", "--once", "--manifest", str(manifest),
        "--rpc", rpc_url, "--db", str(tmp_path / "index.sqlite"), "--batch-blocks", str(batch),
    ]  # fmt: skip


def _environment(**more: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "BPSA_PROGRESS")}
    return env | {"COLUMNS": "120", "TERM": "xterm"} | more


def _in_terminal(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Exit code and everything written, with stdin, stdout and stderr a pseudo-terminal."""
    parent, child = pty.openpty()
    process = subprocess.Popen(command, stdin=child, stdout=child, stderr=child, env=env)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 65536)
        except OSError:  # EIO: the child's side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(parent)
    return process.wait(timeout=120), b"".join(chunks).decode(errors="replace")


def test_indexer_cli__catch_up_in_a_terminal__draws_blocks_and_rate(
    command: list[str], chain: Any
) -> None:
    head = int(chain.blocks.head.number)

    code, written = _in_terminal(command, _environment())

    text = ANSI.sub("", written)
    assert code == 0, text
    assert "indexing blocks" in text
    assert f"{head + 1}/{head + 1}" in text  # blocks 0 to the head
    assert re.search(r"[\d,.]+ blocks/s", text), text
    assert f"cursor at block {head}" in text


def test_indexer_cli__catch_up_in_a_terminal_under_ci__no_bar(command: list[str]) -> None:
    code, written = _in_terminal(command, _environment(CI="true"))

    assert code == 0, written
    assert re.fullmatch(r"indexed \d+ events; cursor at block \d+\r?\n", written), written


def test_indexer_cli__catch_up_piped__prints_its_line_and_nothing_else(
    command: list[str],
) -> None:
    done = subprocess.run(
        command, capture_output=True, text=True, env=_environment(), timeout=120, check=False
    )

    assert (done.returncode, done.stderr) == (0, "")
    assert re.fullmatch(r"indexed \d+ events; cursor at block \d+\n", done.stdout), done.stdout
