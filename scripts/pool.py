"""The pool's everyday operations, each one command (the council's are `admin propose`).

    ape run pool submit US 11234567 --document bafk... --account TEST::3
    ape run pool sign-certificate US 11234567 --document bafk... --owner 0x.. \\
        --expiry 2027-11-24 --nonce 1 --file cert.json --account TEST::12
    ape run pool attest cert.json --account TEST::12
    ape run pool certify US 11234567
    ape run pool rate US 11234567 82 50000 --account TEST::15
    ape run pool pay 10 --reference "licence 7" --account TEST::5
    ape run pool claim --account TEST::3
    ape run pool patents
    ape run pool nav

Every command takes --network (default: the local chain) and reads the deployment
from deployments/<network>.json. Amounts are whole units (BPC, or the valuation unit)
with up to 18 decimals. Bad input fails with one clear line and nothing is sent.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from ape.cli import ConnectedProviderCommand
from eth_utils.crypto import keccak

from bpsa import certificates as certs
from bpsa import codes
from bpsa.cid import cid_from_digest, digest_of
from bpsa.cli_support import clear_errors, load_suite, resolve_account
from bpsa.codes import Source
from bpsa.errors import InputError
from bpsa.pool import Pool, parse_units, sign_typed, units

account_opt = click.option(
    "--account", help="Signer: an `ape accounts` alias, or TEST::n on a local chain."
)


def _pool() -> Pool:
    pool: Pool = load_suite().pool
    return pool


def parse_time(text: str, what: str) -> int:
    """Unix seconds, or an ISO date (YYYY-MM-DD, midnight UTC)."""
    if text.isdigit():
        return int(text)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what} must be unix seconds or YYYY-MM-DD, got {text!r}") from None
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


@click.group()
def cli() -> None:
    """BPSA pool operations: submissions, certificates, ratings, royalties."""


@cli.command(cls=ConnectedProviderCommand)
@click.argument("office")
@click.argument("number")
@click.option("--document", required=True, help="The patent document's CID (or its 0x digest).")
@click.option(
    "--source", default="contributed", show_default=True, help="contributed or usage-right"
)
@click.option("--centre", default=None, help="The trusteeship centre managing it.")
@click.option("--right-ends", default=None, help="A usage right's end (unix or YYYY-MM-DD).")
@account_opt
@clear_errors
def submit(
    office: str,
    number: str,
    document: str,
    source: str,
    centre: str | None,
    right_ends: str | None,
    account: str | None,
) -> None:
    """Submit a patent (provider role)."""
    pool = _pool()
    sender = resolve_account(account)
    ends = parse_time(right_ends, "--right-ends") if right_ends else 0
    pool.submit(
        sender, office, number, digest_of(document), codes.parse_source(source), centre, ends
    )
    click.echo(f"{office} {number} submitted by {sender.address}; awaiting its certificate.")


@cli.command("sign-certificate", cls=ConnectedProviderCommand)
@click.argument("office")
@click.argument("number")
@click.option("--document", required=True, help="The patent document's CID (or its 0x digest).")
@click.option("--owner", required=True, help="The owner the office's register names.")
@click.option("--status", default="in-force", show_default=True)
@click.option("--expiry", required=True, help="Next maintenance-fee date (unix or YYYY-MM-DD).")
@click.option("--nonce", required=True, type=int)
@click.option(
    "--file",
    "path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The certificate file: created by the first oracle, each later one adds its signature.",
)
@account_opt
@clear_errors
def sign_certificate(
    office: str,
    number: str,
    document: str,
    owner: str,
    status: str,
    expiry: str,
    nonce: int,
    path: Path,
    account: str | None,
) -> None:
    """An oracle signs a certificate into a shared file."""
    pool = _pool()
    signer = resolve_account(account)
    cert = certs.Certificate(
        office,
        number,
        digest_of(document),
        owner,
        codes.parse_cert_status(status),
        parse_time(expiry, "--expiry"),
        nonce,
    )
    data: dict[str, Any] = {"certificate": certs.to_json(cert), "signatures": []}
    if path.exists():
        data = json.loads(path.read_text())
        if certs.from_json(data["certificate"]) != cert:
            raise InputError(f"{path} holds a different certificate; sign the same fields")
    if any(s["signer"] == signer.address for s in data["signatures"]):
        raise InputError(f"{signer.address} already signed {path}")
    sig = sign_typed(signer, cert.typed(pool.domain()))
    data["signatures"].append(
        {"signer": sig.signer, "v": sig.v, "r": sig.r.hex(), "s": sig.s.hex()}
    )
    path.write_text(json.dumps(data, indent=2) + "\n")
    click.echo(f"{signer.address} signed; {len(data['signatures'])} signature(s) in {path}.")


def read_certificate_file(path: Path) -> tuple[certs.Certificate, list[certs.Signature]]:
    try:
        data = json.loads(path.read_text())
        cert = certs.from_json(data["certificate"])
        sigs = [
            certs.Signature(s["signer"], int(s["v"]), bytes.fromhex(s["r"]), bytes.fromhex(s["s"]))
            for s in data["signatures"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path} is not a certificate file: {exc}") from None
    return cert, sigs


@cli.command(cls=ConnectedProviderCommand)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@account_opt
@clear_errors
def attest(path: Path, account: str | None) -> None:
    """Post a certificate file's certificate with its oracles' signatures."""
    pool = _pool()
    cert, sigs = read_certificate_file(path)
    tx = pool.attest(resolve_account(account), cert, sigs)
    click.echo(f"certificate for {cert.office} {cert.number} accepted ({tx.gas_used} gas).")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("office")
@click.argument("number")
@account_opt
@clear_errors
def certify(office: str, number: str, account: str | None) -> None:
    """Mark a submitted patent certified (its certificate must be on chain)."""
    pool = _pool()
    pool.certify(resolve_account(account), certs.patent_id(office, number))
    click.echo(f"{office} {number} is certified.")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("office")
@click.argument("number")
@click.argument("score", type=int)
@click.argument("valuation")
@account_opt
@clear_errors
def rate(office: str, number: str, score: int, valuation: str, account: str | None) -> None:
    """An expert rates (0-100) and values (in the valuation unit) a certified patent."""
    pool = _pool()
    patent = certs.patent_id(office, number)
    pool.rate(resolve_account(account), patent, score, parse_units(valuation, "VALUATION"))
    view = pool.patent(patent)
    click.echo(f"rated; {office} {number} is now {codes.label(view.status)}.")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("office")
@click.argument("number")
@account_opt
@clear_errors
def withdraw(office: str, number: str, account: str | None) -> None:
    """The contributor withdraws a patent not yet pooled."""
    pool = _pool()
    pool.withdraw(resolve_account(account), certs.patent_id(office, number))
    click.echo(f"{office} {number} withdrawn.")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("office")
@click.argument("number")
@account_opt
@clear_errors
def expire(office: str, number: str, account: str | None) -> None:
    """Expire a patent whose certificate no longer holds (anyone)."""
    pool = _pool()
    patent = certs.patent_id(office, number)
    lapse = codes.Lapse(int(pool.pool.lapse_of(patent)))
    pool.expire(resolve_account(account), patent)
    click.echo(f"{office} {number} expired ({codes.label(lapse)}); NAV {units(pool.nav())}.")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("amount")
@click.option("--reference", default="", help="What the fee is for (hashed into the event).")
@account_opt
@clear_errors
def pay(amount: str, reference: str, account: str | None) -> None:
    """Pay a fee in BPC into the pool's royalties."""
    pool = _pool()
    tx = pool.pay(resolve_account(account), parse_units(amount, "AMOUNT"), keccak(text=reference))
    click.echo(f"paid {amount} BPC into the royalties ({tx.gas_used} gas).")


@cli.command(cls=ConnectedProviderCommand)
@account_opt
@clear_errors
def claim(account: str | None) -> None:
    """Claim your royalties as a contributor or trusteeship centre."""
    pool = _pool()
    sender = resolve_account(account)
    amount = pool.claimable(sender.address)
    pool.claim(sender)
    click.echo(f"{sender.address} claimed {units(amount)} BPC.")


@cli.command(cls=ConnectedProviderCommand)
@clear_errors
def patents() -> None:
    """List every submitted patent with its status and rating."""
    pool = _pool()
    rows = pool.submissions()
    click.echo(f"{len(rows)} patent(s); {pool.pool.pooled_count()} pooled")
    for office, number, patent in rows:
        click.echo("  " + pool.patent(patent).describe(f"{office} {number}"))


@cli.command(cls=ConnectedProviderCommand)
@click.argument("office")
@click.argument("number")
@clear_errors
def patent(office: str, number: str) -> None:
    """Show one patent, its certificate and its royalty standing."""
    pool = _pool()
    view = pool.known(office, number)
    click.echo(view.describe(f"{office} {number}"))
    click.echo(f"  document  {cid_from_digest(view.document)}")
    owner, status, expiry, nonce = pool.certificates.certificate(view.patent, view.document)
    click.echo(
        f"  certificate: {codes.label(codes.CertStatus(int(status)))} owner={owner} "
        f"expiry={expiry} nonce={nonce}; lapse: "
        f"{codes.label(codes.Lapse(int(pool.pool.lapse_of(view.patent))))}"
    )
    if view.source == Source.USAGE_RIGHT:
        click.echo(f"  usage right ends {view.right_ends}")


@cli.command(cls=ConnectedProviderCommand)
@clear_errors
def nav() -> None:
    """The pool's NAV, value and supply."""
    pool = _pool()
    unit = pool.pool.valuation_unit()
    click.echo(
        f"{pool.pool.collection()}: NAV {units(pool.nav())} {unit} per BPC; pooled value "
        f"{units(int(pool.pool.pooled_value()))} {unit} over {pool.pool.pooled_count()} patent(s); "
        f"supply {units(pool.supply())} BPC"
    )
