"""Deploy the suite and one collection's pool, and write deployments/<network>.json.

Council, Alliance and Congress, then Certificates, Fund, BPC, Royalties and
PatentPool, then BPR and Licensing (the default tier schedule), the patent Exchange
(named by the council in a later proposal: `ape run admin propose enable-exchange`),
then Infringements
(the case register), Channels (payment channels to the hub), Swaps (hash-time-locked
swaps with sibling collections) and the Sale desk (closed until the council names it and
a payment token: `ape run admin propose enable-sale 0xToken`), all governed by the
council (Swaps has no owner). On a local chain a test stable token standing for USDC
(TestStable, 6 decimals) is deployed too; on a live network the council names the real
one.

    ape run deploy --network ethereum:local:foundry
    ape run deploy --network ethereum:sibling:node --collection APC --sibling-of local
    ape run deploy --network ethereum:sepolia:node --account deployer \\
        --seat 0xSeat1 --seat 0xSeat2 --seat 0xSeat3
"""

from __future__ import annotations

import click
from ape import chain, project
from ape.cli import ConnectedProviderCommand

from bpsa.cli_support import LOCAL_NETWORKS, clear_errors, current_network, resolve_account
from bpsa.core import manifest
from bpsa.core.errors import InputError
from bpsa.sdk.alliance import as_address
from bpsa.sdk.collections import params_for
from bpsa.sdk.deploy import (
    ExchangeParams,
    InfringementParams,
    LicensingParams,
    PoolParams,
    Timing,
    deploy_channels,
    deploy_exchange,
    deploy_infringements,
    deploy_licensing,
    deploy_pool,
    deploy_sale,
    deploy_suite,
    deploy_swaps,
    deploy_test_stable,
    manifest_for,
)

DEFAULT = Timing()
POOL = PoolParams()


LOCAL_HUB = 18  # on a local chain, the channel hub is test account 18
# Swaps: the initiator's deadline lies an hour after the responder's (the responder's
# time to claim once the preimage is out); a leg locks with ten minutes left at least.
SWAP_SAFETY_MARGIN = 3_600
SWAP_MIN_LOCK_TIME = 600


def deploy(
    account: str | None,
    seats: tuple[str, ...],
    timing: Timing,
    params: PoolParams = POOL,
    hub: str | None = None,
    sibling_of: str | None = None,
) -> manifest.Manifest:
    network_name = current_network()
    deployer = resolve_account(account)
    if seats:
        seat_list = [as_address(s) for s in seats]
    elif network_name in LOCAL_NETWORKS:
        from ape import accounts

        seat_list = [a.address for a in accounts.test_accounts[:3]]
    else:
        raise InputError("--seat is required on a live network (give each council seat)")
    if hub:
        hub_address = as_address(hub)
    elif network_name in LOCAL_NETWORKS:
        from ape import accounts

        hub_address = str(accounts.test_accounts[LOCAL_HUB].address)
    else:
        raise InputError("--hub is required on a live network (the channel hub's address)")
    params.check()
    other = manifest.load(sibling_of) if sibling_of else None
    contracts = deploy_suite(project, deployer, seat_list, timing)
    council = str(contracts["Council"].address)
    alliance = str(contracts["Alliance"].address)
    contracts |= deploy_pool(project, deployer, alliance, council, params)
    contracts |= deploy_licensing(
        project, deployer, alliance, contracts, council, LicensingParams()
    )
    contracts |= deploy_exchange(
        project, deployer, alliance, contracts, contracts, council, ExchangeParams()
    )
    contracts |= deploy_infringements(
        project, deployer, alliance, contracts, council, InfringementParams()
    )
    contracts |= deploy_channels(project, deployer, contracts, hub_address, council)
    contracts |= deploy_swaps(project, deployer, SWAP_SAFETY_MARGIN, SWAP_MIN_LOCK_TIME)
    contracts |= deploy_sale(project, deployer, alliance, contracts, council)
    if network_name in LOCAL_NETWORKS:  # a stand-in for USDC; live networks name the real one
        contracts |= deploy_test_stable(project, deployer)
    result = manifest_for(chain, contracts, str(deployer.address), params.collection)
    if other is not None:  # each manifest learns where the other collection lives
        result = result.with_sibling(other.collection, other.network, other.chain_id)
        linked = other.with_sibling(result.collection, result.network, result.chain_id)
        manifest.save(linked)
    path = manifest.save(result)
    click.echo(f"Deployed the suite to {network_name} (chain {result.chain_id}):")
    for name, entry in result.contracts.items():
        click.echo(f"  {name:<12} {entry.address}  (block {entry.block})")
    click.echo(f"  council seats: {', '.join(seat_list)}")
    click.echo(
        f"  collection {params.collection}: oracles {params.oracle_threshold}-of-N, experts "
        f"{params.expert_threshold}, core threshold {params.core_threshold}, first NAV "
        f"{params.initial_nav / 10**18:g} {params.valuation_unit} per {params.token_symbol}"
    )
    click.echo(
        "  the exchange records sales once the council names it: "
        "ape run admin propose enable-exchange (PatentPool and Licensing in one proposal)"
    )
    click.echo(
        "  every licence carries its agreement once the council sets the standard ones: "
        "ape run admin propose agreements samples/agreements/bpr.txt "
        "samples/agreements/per-patent.txt samples/agreements/device.txt (sample texts: "
        "give your own; each is pinned to IPFS)"
    )
    click.echo(
        "  the sale desk sells BPC once the council names it and a payment token: "
        "ape run admin propose enable-sale 0xToken (locally the TestStable above)"
    )
    for symbol, sibling in result.collections.items():
        click.echo(f"  sibling collection {symbol}: {sibling.network} (chain {sibling.chain_id})")
    click.echo(f"Manifest written to {path}")
    return result


@click.command(cls=ConnectedProviderCommand)
@click.option("--account", help="Deployer: an `ape accounts` alias, or TEST::n on a local chain.")
@click.option("--seat", "seats", multiple=True, help="A council seat address (repeat per seat).")
@click.option("--voting-period", type=int, default=DEFAULT.voting_period, show_default=True)
@click.option("--execution-delay", type=int, default=DEFAULT.execution_delay, show_default=True)
@click.option("--grace-period", type=int, default=DEFAULT.grace_period, show_default=True)
@click.option("--oracle-threshold", type=int, default=POOL.oracle_threshold, show_default=True)
@click.option("--expert-threshold", type=int, default=POOL.expert_threshold, show_default=True)
@click.option("--core-threshold", type=int, default=POOL.core_threshold, show_default=True)
@click.option("--hub", default=None, help="The channel hub's address (local: test account 18).")
@click.option(
    "--collection",
    default=POOL.collection,
    show_default=True,
    help="The field's collection: BPC, APC, DPC, QPC or GPC (names the pool's token).",
)
@click.option(
    "--sibling-of",
    default=None,
    help="The network of a deployed collection to link with (both manifests learn of each other).",
)
@click.option(
    "--initial-nav",
    type=int,
    default=POOL.initial_nav // 10**18,
    show_default=True,
    help="Valuation units (USD) per BPC before anything is pooled.",
)
@clear_errors
def cli(
    account: str | None,
    seats: tuple[str, ...],
    voting_period: int,
    execution_delay: int,
    grace_period: int,
    oracle_threshold: int,
    expert_threshold: int,
    core_threshold: int,
    hub: str | None,
    collection: str,
    sibling_of: str | None,
    initial_nav: int,
) -> None:
    """Deploy the suite and one collection's pool and write the manifest."""
    params = PoolParams(
        oracle_threshold=oracle_threshold,
        expert_threshold=expert_threshold,
        core_threshold=core_threshold,
        initial_nav=initial_nav * 10**18,
    )
    timing = Timing(voting_period, execution_delay, grace_period)
    deploy(account, seats, timing, params_for(collection, params), hub, sibling_of)
