"""`bpsa swap ...`: one party's side of a cross-collection swap, from the command line.

    # the start-up offers 10 BPC for 50 APC to the AI lab (writes offer.json)
    bpsa swap --manifest deployments/local.json --rpc BPC=http://127.0.0.1:8545 \\
        --rpc APC=http://127.0.0.1:8546 --account TEST::3 \\
        propose --give 10 --get 50 --to APC --counterparty 0xLab --out offer.json
    # the AI lab checks and countersigns it (its own manifest: the APC chain's)
    bpsa swap --manifest deployments/sibling.json ... --account TEST::4 accept offer.json
    # the start-up takes the countersignature; both run their coordinators
    bpsa swap ... --account TEST::3 take offer.json
    bpsa swap ... --account TEST::3 run        # and the lab: ... --account TEST::4 run
    bpsa swap ... status

Each party's book (the preimage, signatures, every step) is `.swaps/<address>.sqlite`
unless `--book` says otherwise. Keys: `TEST::n` on local chains, or `--keystore` with
the password in $BPSA_SWAP_PASSWORD.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from eth_account.signers.local import LocalAccount
from eth_utils.address import is_address, to_checksum_address

from bpsa.core import manifest as manifests
from bpsa.core.errors import BpsaError, InputError
from bpsa.core.manifest import Manifest
from bpsa.core.units import when
from bpsa.sidechains.swap import Document, SwapBook, SwapParty, connect

DEV_NODES = ("anvil", "hardhat")  # test accounts (a public mnemonic) only on these


@dataclass
class Context:
    party: SwapParty
    home: Manifest
    chain_ids: dict[str, int]


def _tokens(text: str, what: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{what} {text!r} is not a number of tokens") from None
    wei = value * 10**18
    if value <= 0 or wei != wei.to_integral_value():
        raise InputError(f"{what} must be a positive amount with at most 18 decimals")
    return int(wei)


def _account(spec: str | None, keystore: Path | None) -> LocalAccount:
    from bpsa.core.accounts import dev_account, key_from_keystore

    if keystore is not None:
        password = os.environ.get("BPSA_SWAP_PASSWORD")
        if password is None:
            raise InputError(f"set BPSA_SWAP_PASSWORD to the password of {keystore}")
        return key_from_keystore(keystore, password)
    if spec is None or not spec.startswith("TEST::") or not spec[6:].isdigit():
        raise InputError("give --account TEST::n (local chains) or --keystore PATH")
    return dev_account(int(spec[6:]))


@click.group()
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path), required=True)
@click.option("--rpc", "rpcs", multiple=True, help="SYMBOL=URL for each collection (repeat).")
@click.option("--account", help="TEST::n on a local chain.")
@click.option("--keystore", type=click.Path(path_type=Path), help="An ape keystore file.")
@click.option("--book", type=click.Path(path_type=Path), help="This party's swap book.")
@click.option("--margin", type=int, default=60, show_default=True, help="Seconds a tx may take.")
@click.option(
    "--confirmations",
    type=click.IntRange(min=0),
    default=12,
    show_default=True,
    help="Blocks deep the other leg's lock must be before this party acts on it (0 only "
    "on local chains, which never reorganise).",
)
@click.pass_context
def swap(
    ctx: click.Context,
    manifest_path: Path,
    rpcs: tuple[str, ...],
    account: str | None,
    keystore: Path | None,
    book: Path | None,
    margin: int,
    confirmations: int,
) -> None:
    """Swap tokens between collections' chains (hash-time-locked, no intermediary)."""
    try:
        home = manifests.load(manifest_path.stem, manifest_path.parent)
        urls: dict[str, str] = {}
        for entry in rpcs:
            symbol, _, url = entry.partition("=")
            if not url:
                raise InputError(f"--rpc {entry!r}: write SYMBOL=URL, e.g. APC=http://...")
            urls[symbol.upper()] = url
        known = {home.collection: home}
        for symbol in home.collections:
            if symbol in urls:
                known[symbol] = home.sibling(symbol, manifest_path.parent)
        signer = _account(account, keystore)
        chains = connect(known, urls)
        if keystore is None:
            for chain in chains.values():
                client = chain.client()
                if not client.lower().startswith(DEV_NODES):
                    raise InputError(
                        f"test accounts exist only on local dev chains, not on {client} "
                        f"(chain {chain.chain_id}): use --keystore"
                    )
        path = book or Path(".swaps") / f"{signer.address}.sqlite"
        party = SwapParty(signer, SwapBook(path), chains, margin, confirmations)
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None
    ctx.obj = Context(party, home, {s: m.chain_id for s, m in known.items()})


def _chain_of(context: Context, symbol: str) -> int:
    found = context.chain_ids.get(symbol.upper())
    if found is None:
        known = ", ".join(sorted(context.chain_ids))
        raise InputError(f"no connected collection {symbol!r} (connected: {known}; add --rpc)")
    return found


@swap.command()
@click.option("--give", required=True, help="Tokens of this chain's collection to give.")
@click.option("--get", "get_", required=True, help="Tokens of the other collection to get.")
@click.option("--to", "to", required=True, help="The other collection's symbol (e.g. APC).")
@click.option("--counterparty", required=True, help="The other party's address.")
@click.option("--window", type=int, default=3600, show_default=True, help="Seconds to answer.")
@click.option("--out", type=click.Path(path_type=Path), required=True)
@click.pass_obj
def propose(
    context: Context, give: str, get_: str, to: str, counterparty: str, window: int, out: Path
) -> None:
    """Offer a swap (as its initiator): writes the signed offer for the counterparty."""
    try:
        if not is_address(counterparty):
            raise InputError(f"counterparty {counterparty!r} is not an address")
        document = context.party.propose(
            (context.home.chain_id, _tokens(give, "--give")),
            (_chain_of(context, to), _tokens(get_, "--get")),
            str(to_checksum_address(counterparty)),
            window,
        )
        document.write(out)
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None
    intent = document.intent
    click.echo(f"offer {intent.struct_hash().hex()} written to {out}")
    give_until, get_until = when(intent.initiator.deadline), when(intent.responder.deadline)
    click.echo(f"  give {give} {context.home.collection} until {give_until}")
    click.echo(f"  get  {get_} {to.upper()} until {get_until}")


@swap.command()
@click.argument("document_path", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Default: the offer, updated.")
@click.pass_obj
def accept(context: Context, document_path: Path, out: Path | None) -> None:
    """Check an offer and countersign it (as its responder)."""
    try:
        answer = context.party.accept(Document.read(document_path))
        answer.write(out or document_path)
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"accepted {answer.intent.struct_hash().hex()}: written to {out or document_path}")


@swap.command()
@click.argument("document_path", type=click.Path(path_type=Path))
@click.pass_obj
def take(context: Context, document_path: Path) -> None:
    """Take the responder's countersignature (as the initiator)."""
    try:
        document = Document.read(document_path)
        context.party.take(document)
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"countersigned: {document.intent.struct_hash().hex()} is ready to run")


@swap.command()
@click.option("--once", is_flag=True, help="One step per open swap, then exit.")
@click.option("--poll", type=float, default=1.0, show_default=True)
@click.option("--timeout", type=float, default=None, help="Give up after this many seconds.")
@click.pass_obj
def run(context: Context, once: bool, poll: float, timeout: float | None) -> None:
    """Drive every open swap until it is done (locks, claims, refunds)."""
    party = context.party
    try:
        if once:
            for key in party.book.swap_keys("open"):
                action = party.step(key)
                click.echo(f"{key[:16]}  {action.do.value}: {action.why}")
            return
        states = party.run(poll=poll, timeout=timeout)
    except BpsaError as exc:
        raise click.ClickException(str(exc)) from None
    for key, state in states.items():
        click.echo(f"{key[:16]}  {state}: {party.book.get(key).note}")


@swap.command()
@click.pass_obj
def status(context: Context) -> None:
    """Every swap in this party's book, its state and its steps."""
    book = context.party.book
    for key in book.swap_keys():
        record = book.get(key)
        side = record.side.name.lower()
        click.echo(f"{key}  {side}  {record.state}  {record.note}")
        for action, why, tx in book.steps(key):
            click.echo(f"    {action}: {why}" + (f"  ({tx})" if tx else ""))
