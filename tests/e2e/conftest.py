"""What the end-to-end CLI tests share: commands run in-process on the test session's chain."""

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from ape.cli import commands as ape_commands
from click import Command
from click.testing import CliRunner

from bpsa.core import manifest
from bpsa.core.codes import Kind, Role
from bpsa.sdk.deploy import PoolParams, deploy_pool, manifest_for
from scripts.admin import cli as admin_cli
from scripts.pool import cli as pool_cli
from tests.fixtures.suite import IDENTITY, application

Invoke = Callable[..., str]


def admit_members(
    chain: Any,
    accounts: Any,
    alliance: Any,
    council: Any,
    members: Sequence[tuple[int, Kind, Role | None]],
) -> Any:
    """Admits each (account index, kind, role) through the council, impersonated (funded
    for gas here), and grants the role where one is given. Returns the council's account."""
    chain.provider.set_balance(council.address, 10**18)
    as_council = accounts[council.address]
    for index, kind, role in members:
        alliance.apply(int(kind), IDENTITY, sender=accounts[index])
        alliance.admit(*application(alliance, accounts[index].address), sender=as_council)
        if role is not None:
            alliance.grant_role(accounts[index].address, int(role), sender=as_council)
    return as_council


# The CLI tests' usual pool members, SMEs by account index: a provider, two oracles and
# three experts (a quorum for certificates and ratings).
CAST: list[tuple[int, Role | None]] = [
    (3, Role.PROVIDER),
    (12, Role.ORACLE),
    (13, Role.ORACLE),
    (15, Role.EXPERT),
    (16, Role.EXPERT),
    (17, Role.EXPERT),
]


def council_pool(
    project: Any,
    chain: Any,
    accounts: Any,
    deployer: Any,
    alliance: Any,
    council: Any,
    members: Sequence[tuple[int, Role | None]],
) -> tuple[dict[str, Any], Any]:
    """A pool (default parameters) owned by the real council, with `members` (account
    index, role or None) admitted as SMEs through it (`admit_members`). Returns the pool's
    contracts by name and the council's impersonated account."""
    contracts = deploy_pool(project, deployer, alliance.address, council.address, PoolParams())
    sme = [(index, Kind.SME, role) for index, role in members]
    return contracts, admit_members(chain, accounts, alliance, council, sme)


def pool_or_admin(invoke: Invoke) -> Callable[..., str]:
    """`run(group, *args, ok=True)`: `ape run pool ...` when `group` is "pool", else
    `ape run admin ...`, through `invoke`."""

    def run(group: str, *args: str, ok: bool = True) -> str:
        return invoke(pool_cli if group == "pool" else admin_cli, *args, ok=ok)

    return run


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
