"""What the end-to-end CLI tests share: commands run in-process on the test session's chain."""

from collections.abc import Callable
from typing import Any

import pytest
from ape.cli import commands as ape_commands
from click import Command
from click.testing import CliRunner

from bpsa.core import manifest
from bpsa.sdk.deploy import manifest_for

Invoke = Callable[..., str]


@pytest.fixture
def invoker(chain, deployer, tmp_path, monkeypatch) -> Callable[[dict[str, Any]], Invoke]:
    """`invoker(contracts)`: saves `contracts` as the local deployment and returns
    `invoke(cli, *args, ok=True, code=None)`, which runs a click command in-process,
    checks its exit code (0 when `ok`, not 0 when not, exactly `code` when given) and
    returns its output.

    The one seam: commands stay on the test session's chain instead of starting their own;
    parsing, checks, transactions and output are the real ones."""
    monkeypatch.setenv("BPSA_DEPLOYMENTS_DIR", str(tmp_path))
    monkeypatch.setattr(ape_commands, "parse_network", lambda ctx: None)
    runner = CliRunner()

    def deployed(contracts: dict[str, Any]) -> Invoke:
        manifest.save(manifest_for(chain, contracts, deployer.address))

        def invoke(cli: Command, *args: str, ok: bool = True, code: int | None = None) -> str:
            result = runner.invoke(cli, list(args), catch_exceptions=False)
            if code is not None:
                assert result.exit_code == code, result.output
            else:
                assert (result.exit_code == 0) == ok, result.output
            return result.output

        return invoke

    return deployed
