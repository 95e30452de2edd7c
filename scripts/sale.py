"""The fund's sale of BPC at NAV, each one command (the council's part is `admin propose`).

    ape run sale terms
    ape run sale quote "1000 USDC"
    ape run sale buy "1000 USDC" --slippage-bps 50 --dry-run --account TEST::4
    ape run sale buy "1000 USDC" --slippage-bps 50 --account TEST::4
    ape run sale report-stale US 11234567 --account TEST::4
    ape run sale clear-stale US 11234567 --account TEST::4
    ape run sale write-off US 11234567 --account TEST::4
    ape run sale mint-test "5000 USDC" 0xInvestor          # local chains: the test token
    ape run admin propose enable-sale 0xToken --account TEST::0   # the council opens sales

Amounts of the payment token are typed with its decimals and may carry its symbol
("250.5 USDC"); values are in the pool's valuation unit. Every command takes --network
(default: the local chain). Bad input fails with one clear line and nothing is sent.
"""

from __future__ import annotations

import click
from ape.cli import ConnectedProviderCommand

from bpsa.cli_support import LOCAL_NETWORKS, clear_errors, current_network, load_suite
from bpsa.cli_support import resolve_account as resolve
from bpsa.core.certificates import patent_id
from bpsa.core.errors import InputError
from bpsa.core.units import units
from bpsa.sdk.alliance import as_address
from bpsa.sdk.sale import SaleDesk, parse_token_amount, token_amount

account_opt = click.option(
    "--account", help="Signer: an `ape accounts` alias, or TEST::n on a local chain."
)


def _desk() -> tuple[SaleDesk, str]:
    suite = load_suite()
    return suite.sale, str(suite.pool.pool.valuation_unit())


@click.group()
def cli() -> None:
    """Buy BPC from the fund at NAV for the council's stable token."""


@cli.command(cls=ConnectedProviderCommand)
@click.option("--buyer", default=None, help="Also show what this address may still buy.")
@clear_errors
def terms(buyer: str | None) -> None:
    """The sale's terms, the NAV and the fund's cash the NAV counts."""
    from ape import chain

    desk, unit = _desk()
    t = desk.terms()
    click.echo(t.describe(unit))
    treasury = desk.treasury()
    click.echo(
        f"NAV {units(int(desk.pool.nav()))} {unit} per BPC over assets "
        f"{units(int(desk.pool.assets()))} {unit} (pooled "
        f"{units(int(desk.pool.pooled_value()))} {unit}, fund's cash {units(treasury.cash)} "
        f"{unit}, spent on patents not yet pooled {units(treasury.committed)} {unit})"
    )
    if buyer:
        buyer = as_address(buyer)
        in_all, to_buyer = desk.room(buyer, int(chain.pending_timestamp))
        click.echo(
            f"this period: {units(in_all)} {unit} left in all, {units(to_buyer)} {unit} for {buyer}"
        )


@cli.command(cls=ConnectedProviderCommand)
@click.argument("amount")
@clear_errors
def quote(amount: str) -> None:
    """What AMOUNT of the payment token ('1000 USDC') buys now."""
    desk, unit = _desk()
    t = desk.terms()
    q = desk.quote(desk.parse(amount))
    click.echo(
        f"{token_amount(q.amount, t.decimals, t.symbol)} = {units(q.value)} {unit} -> "
        f"{units(q.bpc)} BPC at NAV {units(q.nav)} {unit}"
    )


@cli.command(cls=ConnectedProviderCommand)
@click.argument("amount")
@click.option(
    "--slippage-bps",
    type=int,
    default=0,
    show_default=True,
    help="Accept up to this many basis points fewer BPC than quoted (the NAV may move).",
)
@click.option("--dry-run", is_flag=True, help="Simulate only: check and quote, send nothing.")
@account_opt
@clear_errors
def buy(amount: str, slippage_bps: int, dry_run: bool, account: str | None) -> None:
    """Buy BPC for AMOUNT of the payment token ('1000 USDC'); a member only."""
    desk, unit = _desk()
    t = desk.terms()
    units_in = desk.parse(amount)
    sender = resolve(account)
    result = desk.buy(sender, units_in, slippage_bps, dry_run=dry_run)
    paid = token_amount(units_in, t.decimals, t.symbol)
    if dry_run:
        click.echo(
            f"dry run: {paid} would buy {units(result.bpc)} BPC at NAV {units(result.nav)} "
            f"{unit}; nothing sent"
        )
        return
    sold = result.events.filter(desk.sale.Sold)[0]
    click.echo(
        f"bought {units(int(sold.minted))} BPC for {paid} ({units(int(sold.value))} {unit}); "
        f"tx {result.txn_hash} ({result.gas_used} gas)"
    )


def _patent_command(name: str, help_text: str, method: str) -> None:
    @cli.command(name=name, cls=ConnectedProviderCommand, help=help_text)
    @click.argument("office")
    @click.argument("number")
    @account_opt
    @clear_errors
    def command(office: str, number: str, account: str | None) -> None:
        desk, _ = _desk()
        tx = getattr(desk, method)(resolve(account), patent_id(office, number))
        click.echo(f"{name} {office} {number}: done ({tx.gas_used} gas)")


_patent_command(
    "report-stale",
    "Halt sales: OFFICE NUMBER is pooled and its valuation stale (under re-rating, overdue, "
    "lapsed).",
    "report_stale",
)
_patent_command("clear-stale", "Lift a stale report once the valuation is current.", "clear_stale")
_patent_command(
    "write-off",
    "Write off the proceeds spent on OFFICE NUMBER, which left the registry unpooled.",
    "write_off",
)


@cli.command(name="mint-test", cls=ConnectedProviderCommand)
@click.argument("amount")
@click.argument("to")
@account_opt
@clear_errors
def mint_test(amount: str, to: str, account: str | None) -> None:
    """Mint AMOUNT of the local test stable token to TO (local chains only: deployer)."""
    if current_network() not in LOCAL_NETWORKS:
        raise InputError("mint-test mints the local test token: on a live network buy USDC")
    suite = load_suite()
    if "TestStable" not in suite.contracts:
        raise InputError("this deployment has no TestStable (deploy with a local network)")
    token = suite.contracts["TestStable"]
    symbol, decimals = str(token.symbol()), int(token.decimals())
    value = parse_token_amount(amount, decimals, symbol)
    to = as_address(to)
    tx = token.mint(to, value, sender=resolve(account or "TEST::0"))
    click.echo(f"minted {token_amount(value, decimals, symbol)} to {to} ({tx.gas_used} gas)")
