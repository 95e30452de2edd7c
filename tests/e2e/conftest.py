"""What the end-to-end CLI tests share: commands run in-process on the test session's chain."""

from collections.abc import Callable
from typing import Any

import pytest
from ape.cli import commands as ape_commands
from click import Command
from click.testing import CliRunner, Result

from bpsa.core import manifest
from bpsa.sdk.deploy import manifest_for

Invoke = Callable[..., Result]


@pytest.fixture
def invoker(chain, deployer, tmp_path, monkeypatch) -> Callable[[dict[str, Any]], Invoke]:
    """`invoker(contracts)`: saves `contracts` as the local deployment and returns
    `invoke(cli, *args)`, which runs a click command in-process and returns its result.

    The one seam: commands stay on the test session's chain instead of starting their own;
    parsing, checks, transactions and output are the real ones."""
    monkeypatch.setenv("BPSA_DEPLOYMENTS_DIR", str(tmp_path))
    monkeypatch.setattr(ape_commands, "parse_network", lambda ctx: None)
    runner = CliRunner()

    def deployed(contracts: dict[str, Any]) -> Invoke:
        manifest.save(manifest_for(chain, contracts, deployer.address))

        def invoke(cli: Command, *args: str) -> Result:
            return runner.invoke(cli, list(args), catch_exceptions=False)

        return invoke

    return deployed
