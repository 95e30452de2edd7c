"""Deploy the suite (Council, Alliance, Congress) and write deployments/<network>.json.

    ape run deploy --network ethereum:local:foundry
    ape run deploy --network ethereum:sepolia:node --account deployer \\
        --seat 0xSeat1 --seat 0xSeat2 --seat 0xSeat3
"""

from __future__ import annotations

import click
from ape import chain, project
from ape.cli import ConnectedProviderCommand

from bpsa import manifest
from bpsa.cli_support import LOCAL_NETWORKS, clear_errors, current_network, resolve_account
from bpsa.deploy import Timing, deploy_suite, manifest_for
from bpsa.errors import InputError
from bpsa.suite import as_address

DEFAULT = Timing()


def deploy(account: str | None, seats: tuple[str, ...], timing: Timing) -> manifest.Manifest:
    network_name = current_network()
    deployer = resolve_account(account)
    if seats:
        seat_list = [as_address(s) for s in seats]
    elif network_name in LOCAL_NETWORKS:
        from ape import accounts

        seat_list = [a.address for a in accounts.test_accounts[:3]]
    else:
        raise InputError("--seat is required on a live network (give each council seat)")
    contracts = deploy_suite(project, deployer, seat_list, timing)
    result = manifest_for(chain, contracts, str(deployer.address))
    path = manifest.save(result)
    click.echo(f"Deployed the suite to {network_name} (chain {result.chain_id}):")
    for name, entry in result.contracts.items():
        click.echo(f"  {name:<9} {entry.address}  (block {entry.block})")
    click.echo(f"  council seats: {', '.join(seat_list)}")
    click.echo(f"Manifest written to {path}")
    return result


@click.command(cls=ConnectedProviderCommand)
@click.option("--account", help="Deployer: an `ape accounts` alias, or TEST::n on a local chain.")
@click.option("--seat", "seats", multiple=True, help="A council seat address (repeat per seat).")
@click.option("--voting-period", type=int, default=DEFAULT.voting_period, show_default=True)
@click.option("--execution-delay", type=int, default=DEFAULT.execution_delay, show_default=True)
@click.option("--grace-period", type=int, default=DEFAULT.grace_period, show_default=True)
@clear_errors
def cli(
    account: str | None,
    seats: tuple[str, ...],
    voting_period: int,
    execution_delay: int,
    grace_period: int,
) -> None:
    """Deploy Council, Alliance and Congress and write the manifest."""
    deploy(account, seats, Timing(voting_period, execution_delay, grace_period))
