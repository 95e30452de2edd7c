"""The licence desk's everyday operations, each one command (the council's are
`admin propose tier / grant-bpr / ...`).

    ape run licensing tiers
    ape run licensing agreements [--all]
    ape run licensing convert [--agreement CID] --account TEST::3
    ape run licensing holding 0xHolder
    ape run licensing coverage 0xHolder --patent US:11234567 --json
    ape run licensing release --account TEST::3
    ape run licensing list-terms US 11234567 5 --duration 365d \\
        --field "payment terminals" --territory CN [--agreement FILE|CID] --account TEST::3
    ape run licensing listings
    ape run licensing buy 1 --account TEST::19
    ape run licensing register-batch PHONE-X1 --sample 100000 --file batch.json --account TEST::5
    ape run licensing register-batch PHONE-X1 --serials serials.txt --file batch.json
    ape run licensing device-qr batch.json PHONE-X1-000000042 --png device.png
    ape run licensing claim-qr --subject PHONE-X1 --expiry 2027-06-30 --nonce 1 \\
        --svg claim.svg --account TEST::5
    ape run licensing verify-qr BPSA2D:...
    ape run licensing cancel-claims 2 --account TEST::5

Every command takes --network (default: the local chain) and reads the deployment
from deployments/<network>.json. Amounts are whole BPC with up to 18 decimals. Bad
input fails with one clear line and nothing is sent. `verify-qr` exits 0 when the code
is licensed and 3 when it is not (a readable answer, not an error). Every licence shown
names the CID of the agreement document it was made under; an agreement given as a FILE is
stored as an IPFS file and pinned first (the daemon at BPSA_IPFS_API, else the local store
in BPSA_STORE_DIR).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, cast

import click
from ape.cli import ConnectedProviderCommand

from bpsa.cli_support import agreement_of, clear_errors, file_opt, load_suite, resolve_account
from bpsa.core import qr
from bpsa.core.certificates import patent_id
from bpsa.core.cid import digest_of
from bpsa.core.claims import LicenceClaim
from bpsa.core.codes import AgreementKind
from bpsa.core.devices import batch_tree, product_id, serial_id
from bpsa.core.errors import InputError
from bpsa.core.units import parse_duration, parse_time, parse_units, units, when
from bpsa.sdk.alliance import as_address
from bpsa.sdk.licensing import LicenceDesk, agreement_cid
from bpsa.sdk.reverts import chain_time

NOT_LICENSED_EXIT = 3
SAMPLE_MAX = 10_000_000  # sample serials are built in memory

account_opt = click.option(
    "--account", help="Signer: an `ape accounts` alias, or TEST::n on a local chain."
)
png_opt = click.option(
    "--png", type=click.Path(dir_okay=False, path_type=Path), help="Write the QR code as PNG."
)
svg_opt = click.option(
    "--svg", type=click.Path(dir_okay=False, path_type=Path), help="Write the QR code as SVG."
)


def _desk() -> LicenceDesk:
    return cast(LicenceDesk, load_suite().desk)


def _named(digest: bytes) -> str:
    return agreement_cid(digest) or "none (no standard agreement was set)"


@click.group()
def cli() -> None:
    """BPSA licensing: BPR conversions, per-patent licences, device batches, QR codes."""


@cli.command(cls=ConnectedProviderCommand)
@clear_errors
def tiers() -> None:
    """The published price list: tier prices, minimum term, surcharge, device schedule."""
    for line in _desk().schedule().lines():
        click.echo(line)


@cli.command(cls=ConnectedProviderCommand)
@click.option("--all", "every", is_flag=True, help="Every version, not only the one in force.")
@clear_errors
def agreements(every: bool) -> None:
    """The pool's standard licence agreements (BPR, per-patent, device), by CID."""
    desk = _desk()
    for kind in AgreementKind:
        click.echo(desk.standard_agreement(kind).describe())
        if every:
            for version in desk.agreement_history(kind)[:-1]:
                click.echo(f"  earlier: {version.describe()}")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("address", required=False)
@account_opt
@clear_errors
def holding(address: str | None, account: str | None) -> None:
    """A member's BPR, its lock and what converting would cost it now."""
    desk = _desk()
    who = address or resolve_account(account).address
    click.echo(desk.holding(who).describe(chain_time()))
    price = desk.price_of(who)
    click.echo(f"  price to convert now: {units(price)} BPC" if price else "  no tier price")


def _patent_key(text: str) -> bytes:
    """OFFICE:NUMBER (US:11234567) as the pool's patent id."""
    office, colon, number = text.partition(":")
    if not colon or not office or not number:
        raise InputError(f"--patent must be OFFICE:NUMBER (e.g. US:11234567), got {text!r}")
    return patent_id(office.strip().upper(), number.strip().upper())


@cli.command(cls=ConnectedProviderCommand)
@click.argument("holder")
@click.option("--patent", help="OFFICE:NUMBER: print the proof that the BPR covered it.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for machines.")
@clear_errors
def coverage(holder: str, patent: str | None, as_json: bool) -> None:
    """A BPR's snapshot of the patents it covered on its date (the Coverage log's size and
    root), and with --patent the proof a licensee keeps (checked off chain and on chain)."""
    desk = _desk()
    log = desk.coverage_log()
    snapshot = desk.coverage(holder, log)
    proof = None if patent is None else log.prove(snapshot.size, _patent_key(patent))
    verdict = None if proof is None else desk.verify_covered(snapshot.holder, proof)
    if as_json:
        record: dict[str, Any] = {
            "holder": snapshot.holder,
            "date": when(snapshot.date),
            "timestamp": snapshot.date,
            "size": snapshot.size,
            "root": "0x" + snapshot.root.hex(),
            "covered": len(snapshot.patents),
            "patents": ["0x" + c.patent.hex() for c in snapshot.patents],
        }
        if proof is not None and verdict is not None:
            record["proof"] = proof.to_json()
            record["verified"] = {"off_chain": verdict.off_chain, "on_chain": verdict.on_chain}
        click.echo(json.dumps(record, indent=2))
        return
    for line in snapshot.lines():
        click.echo(line)
    if proof is not None and verdict is not None:
        click.echo(
            f"  {patent} covered: entry leaf {proof.entry} of {when(proof.entered_at)}"
            + ("" if proof.exit is None else f", left at leaf {proof.exit}")
        )
        click.echo(f"  verified off chain: {verdict.off_chain}, on chain: {verdict.on_chain}")
        click.echo(f"  proof: {json.dumps(proof.to_json())}")


@cli.command(cls=ConnectedProviderCommand)
@click.option(
    "--agreement",
    default=None,
    help="The CID of the BPR agreement you read (`agreements`): the conversion is refused "
    "if the council changed it since. Default: the one in force now.",
)
@account_opt
@clear_errors
def convert(agreement: str | None, account: str | None) -> None:
    """Lock your tier's BPC for one BPR (active members), under the BPR agreement."""
    desk = _desk()
    sender = resolve_account(account)
    tx = desk.convert(sender, digest_of(agreement) if agreement is not None else None)
    held = desk.holding(sender.address)
    until = when(held.unlocks_at, chain_time())
    click.echo(
        f"{sender.address} holds a BPR: {units(held.locked)} BPC locked until {until} under "
        f"agreement {_named(held.agreement)} ({tx.gas_used} gas)."
    )


@cli.command(cls=ConnectedProviderCommand)
@account_opt
@clear_errors
def release(account: str | None) -> None:
    """Return your BPR after the minimum term and get your BPC back."""
    desk = _desk()
    sender = resolve_account(account)
    locked = desk.holding(sender.address).locked
    desk.release(sender)
    click.echo(f"{sender.address} released its BPR; {units(locked)} BPC returned.")


@cli.command("list-terms", cls=ConnectedProviderCommand)
@click.argument("office")
@click.argument("number")
@click.argument("price")
@click.option("--duration", required=True, help="How long a licence lasts: 365d, 12h, seconds.")
@click.option("--field", "field_of_use", required=True, help="Field of use (<= 64 bytes).")
@click.option("--territory", required=True, help="Territory, e.g. CN or worldwide (<= 32 bytes).")
@click.option(
    "--agreement",
    default=None,
    help="The licence agreement: a FILE (stored as an IPFS file and pinned) or its CID. "
    "Default: the pool's standard per-patent agreement in force.",
)
@account_opt
@clear_errors
def list_terms(
    office: str,
    number: str,
    price: str,
    duration: str,
    field_of_use: str,
    territory: str,
    agreement: str | None,
    account: str | None,
) -> None:
    """List licence terms for a pooled patent: its contributor, or an agent (a trusteeship
    centre, a trading team) holding the contributor's per-patent-licence mandate on the
    exchange (Exchange.grant_mandate, kind 3) at the mandate's floor price or more."""
    desk = _desk()
    sender = resolve_account(account)
    patent = desk.pool.known(office, number).patent
    listing = desk.list_terms(
        sender,
        patent,
        parse_units(price, "PRICE"),
        parse_duration(duration, "--duration"),
        field_of_use,
        territory,
        agreement_of(agreement) if agreement is not None else None,
    )
    terms = _named(desk.listing(listing).agreement)
    click.echo(
        f"listing #{listing}: {office} {number} at {price} BPC. Its licences are made under "
        f"agreement {terms}."
    )


@cli.command(cls=ConnectedProviderCommand)
@click.argument("listing", type=int)
@account_opt
@clear_errors
def delist(listing: int, account: str | None) -> None:
    """Withdraw a listing: yours, or any of a patent you are the contributor of
    (licences already sold stay valid)."""
    _desk().delist(resolve_account(account), listing)
    click.echo(f"listing #{listing} withdrawn.")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("office", required=False)
@click.argument("number", required=False)
@clear_errors
def listings(office: str | None, number: str | None) -> None:
    """Every listing, open, ended or withdrawn (of one patent: OFFICE NUMBER)."""
    rows = _desk().listings()
    if office is not None:
        if number is None:
            raise InputError("give both OFFICE and NUMBER, or neither")
        rows = [r for r in rows if r.patent == patent_id(office, number)]
    click.echo(f"{len(rows)} listing(s)")
    for view in rows:
        click.echo("  " + view.describe())


@cli.command(cls=ConnectedProviderCommand)
@click.argument("listing", type=int)
@account_opt
@clear_errors
def buy(listing: int, account: str | None) -> None:
    """Buy a per-patent licence on a listing. A member's price goes to the licensed
    patent (its contributor and centre, less the fund's share); a non-member pays the
    surcharge on top and everything goes to the foundation's fund."""
    desk = _desk()
    sender = resolve_account(account)
    view = desk.listing(listing)
    member = desk.alliance.is_active(sender.address)
    surcharge = desk.surcharge_for(sender.address, view.price)
    licence = desk.licence(desk.buy(sender, listing))
    if member:
        paid = f"{units(view.price)} BPC to the licensed patent's contributor and centre"
    else:
        paid = (
            f"{units(view.price)} BPC + {units(surcharge)} BPC surcharge, all to the fund "
            "(the buyer is not a member)"
        )
    click.echo(
        f"licence #{licence.licence} to {licence.licensee}: {paid}; "
        f"valid {when(licence.start)} to {when(licence.end, chain_time())}; "
        f"agreement {_named(licence.agreement)}."
    )


@cli.command(cls=ConnectedProviderCommand)
@click.argument("licence", type=int)
@clear_errors
def licence(licence: int) -> None:
    """One per-patent licence and whether it is in force."""
    desk = _desk()
    view = desk.licence(licence)
    listing = desk.listing(view.listing)
    state = "in force" if desk.licensing.is_licensed(licence) else "ended"
    click.echo(
        f"licence #{licence} [{state}] patent 0x{view.patent.hex()} to {view.licensee}, "
        f"{when(view.start)} to {when(view.end, chain_time())}; {listing.field_of_use!r} in "
        f"{listing.territory!r}; agreement {_named(view.agreement)}"
    )


@cli.command("device-fee", cls=ConnectedProviderCommand)
@click.argument("count", type=int)
@click.option("--maker", default=None, help="The maker (default: --account).")
@account_opt
@clear_errors
def device_fee(count: int, maker: str | None, account: str | None) -> None:
    """What registering COUNT more devices costs a maker now."""
    desk = _desk()
    who = as_address(maker) if maker else resolve_account(account).address
    click.echo(f"{count:,} device(s) for {who}: {units(desk.device_fee(who, count))} BPC")


def _read_serials(path: Path) -> list[str]:
    try:
        lines = path.read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read serials from {path}: {exc}") from None
    texts = [line.strip() for line in lines if line.strip()]
    if not texts:
        raise InputError(f"{path} holds no serials (one per line)")
    if len(set(texts)) != len(texts):
        raise InputError(f"{path} lists a serial twice")
    return texts


def _batch_file(path: Path) -> tuple[int | None, str, list[str]]:
    """(batch id, or None if its registration was never confirmed; product; serials)."""
    try:
        data = json.loads(path.read_text())
        batch = None if data["batch"] is None else int(data["batch"])
        product, texts = str(data["product"]), data["serials"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path} is not a batch file: {exc}") from None
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        raise InputError(f"{path}: serials must be a list of texts")
    return batch, product, texts


@cli.command("register-batch", cls=ConnectedProviderCommand)
@click.argument("product")
@click.option(
    "--serials",
    "serials_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A text file of device serials, one per line.",
)
@click.option(
    "--sample",
    type=int,
    help="Or N sample serials <PRODUCT>-000000000 ... (demos; at most 10,000,000).",
)
@file_opt("Where to keep the batch (id, product, serials) for making device QR codes.")
@account_opt
@clear_errors
def register_batch(
    product: str,
    serials_path: Path | None,
    sample: int | None,
    path: Path,
    account: str | None,
) -> None:
    """Register a production batch of PRODUCT and pay its devices' fee."""
    if (serials_path is None) == (sample is None):
        raise InputError("give exactly one of --serials FILE or --sample N")
    if sample is not None and not 0 < sample <= SAMPLE_MAX:
        raise InputError(
            f"--sample must be 1 to {SAMPLE_MAX:,} (sample serials are built in memory)"
        )
    if path.exists():
        raise InputError(f"{path} exists; choose a new batch file")
    if not path.parent.is_dir() or not os.access(path.parent, os.W_OK):
        raise InputError(f"cannot write {path}: {path.parent} is not a writable folder")
    if sample is not None:
        texts = [f"{product}-{n:09d}" for n in range(sample)]
    else:
        assert serials_path is not None
        texts = _read_serials(serials_path)
    desk = _desk()
    sender = resolve_account(account)
    tree = batch_tree(texts, f"building the batch of {len(texts):,}")
    fee = desk.device_fee(sender.address, len(tree))
    # The serials are kept before anything is sent: a crash after the transaction
    # leaves a file that names the root, and `device-qr` needs the serials.
    record: dict[str, object] = {
        "batch": None,
        "product": product,
        "root": "0x" + tree.root.hex(),
        "serials": texts,
    }
    _write_atomically(path, record)
    try:
        batch = desk.register_batch(sender, product_id(product), tree)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _write_atomically(path, record | {"batch": batch})
    click.echo(
        f"batch #{batch}: {len(tree):,} {product} device(s), fee {units(fee)} BPC; "
        f"root 0x{tree.root.hex()}; agreement {_named(desk.batch(batch).agreement)}; "
        f"kept in {path}"
    )


def _write_atomically(path: Path, record: dict[str, object]) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(record) + "\n")
    os.replace(temporary, path)


def _emit(text: str, png: Path | None, svg: Path | None) -> None:
    click.echo(text)
    for path, kind in ((png, "png"), (svg, "svg")):
        if path is not None:
            qr.render(text, path, kind=kind)
            click.echo(f"QR code written to {path}", err=True)


@cli.command("device-qr", cls=ConnectedProviderCommand)
@click.argument("batch_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("serial")
@png_opt
@svg_opt
@clear_errors
def device_qr(batch_file: Path, serial: str, png: Path | None, svg: Path | None) -> None:
    """The QR payload proving device SERIAL is in a registered batch."""
    batch, _, texts = _batch_file(batch_file)
    if serial not in texts:
        raise InputError(f"serial {serial!r} is not in {batch_file}")
    tree = batch_tree(texts, "rebuilding the batch's tree")
    desk = _desk()
    if batch is None:  # the registration's confirmation was lost: find it by its root
        batch = desk.batch_of_root(tree.root)
    payload = desk.device_payload(batch, tree, serial_id(serial))
    _emit(qr.encode(payload), png, svg)


@cli.command("claim-qr", cls=ConnectedProviderCommand)
@click.option(
    "--licence", default=0, type=int, show_default=True, help="0: your BPR; else a licence id."
)
@click.option("--subject", required=True, help="What the claim covers: a product or device id.")
@click.option("--expiry", required=True, help="When the claim ends (unix or YYYY-MM-DD).")
@click.option("--nonce", required=True, type=int, help="Any number; cancel-claims voids lower.")
@png_opt
@svg_opt
@account_opt
@clear_errors
def claim_qr(
    licence: int,
    subject: str,
    expiry: str,
    nonce: int,
    png: Path | None,
    svg: Path | None,
    account: str | None,
) -> None:
    """Sign a licence claim as its holder and print its QR payload."""
    desk = _desk()
    signer = resolve_account(account)
    claim = LicenceClaim(
        holder=signer.address,
        licence=licence,
        subject=product_id(subject),
        expiry=parse_time(expiry, "--expiry"),
        nonce=nonce,
    )
    _emit(qr.encode(desk.sign_claim(signer, claim)), png, svg)


@cli.command("verify-qr", cls=ConnectedProviderCommand)
@click.argument("payload", required=False)
@file_opt("Read the scanned text from a file instead.", required=False, exists=True)
@clear_errors
def verify_qr(payload: str | None, path: Path | None) -> None:
    """Answer a scanned QR payload: LICENSED or NOT LICENSED, and why."""
    if (payload is None) == (path is None):
        raise InputError("give the scanned text or --file, not both or neither")
    text = payload if payload is not None else _read_text(path)
    verdict = _desk().verify(text)
    click.echo(f"{'LICENSED' if verdict.licensed else 'NOT LICENSED'}: {verdict.reason}")
    if not verdict.licensed:
        sys.exit(NOT_LICENSED_EXIT)


def _read_text(path: Any) -> str:
    try:
        return str(path.read_text())
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None


@cli.command("cancel-claims", cls=ConnectedProviderCommand)
@click.argument("below_nonce", type=int)
@account_opt
@clear_errors
def cancel_claims(below_nonce: int, account: str | None) -> None:
    """Void every claim you signed with a nonce below BELOW_NONCE."""
    sender = resolve_account(account)
    _desk().cancel_claims(sender, below_nonce)
    click.echo(f"claims by {sender.address} with a nonce below {below_nonce} no longer hold.")
