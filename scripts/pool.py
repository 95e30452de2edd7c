"""The pool's everyday operations, each one command (the council's are `admin propose`).

    ape run pool submit US 11234567 --document bafk... --account TEST::3
    ape run pool submit US 11234567 --document-file grant.pdf --account TEST::3
    ape run pool sign-certificate US 11234567 --document bafk... --owner 0x.. \\
        --expiry 2027-11-24 --nonce 1 --file cert.json --account TEST::12
    ape run pool attest cert.json --account TEST::12
    ape run pool sign-batch certs.json --file batch.json --account TEST::12
    ape run pool attest-batch batch.json --account TEST::12
    ape run pool prove batch.json --account TEST::3
    ape run pool sign-revocation US 11234567 --document bafk... --nonce 1 \
        --file revoke.json --account TEST::12
    ape run pool revoke revoke.json --account TEST::12
    ape run pool certify US 11234567
    ape run pool rate US 11234567 82 50000 --reasoning review.pdf --account TEST::15
    ape run pool pay 10 --reference "licence 7" --account TEST::5
    ape run pool claim --account TEST::3
    ape run pool patents
    ape run pool nav
    ape run pool mandate offer US 11234567 --centre 0x.. --terms bafk... --share-bps 1000 \
        --expiry 2027-12-01 --account TEST::3
    ape run pool mandate accept US 11234567 --terms bafk... --share-bps 1000 \
        --expiry 2027-12-01 --account TEST::18
    ape run pool mandate end US 11234567 --account TEST::3
    ape run pool mandate show US 11234567
    ape run pool family set US 11234567 DOCDB:54321098 --account TEST::3
    ape run pool family set US 11234567 --from-feed --account TEST::3
    ape run pool family show US 11234567 [--json]

Every command takes --network (default: the local chain) and reads the deployment
from deployments/<network>.json. Amounts are whole units (BPC, or the valuation unit)
with up to 18 decimals. Bad input fails with one clear line and nothing is sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click
from ape.cli import ConnectedProviderCommand
from eth_utils.crypto import keccak

from bpsa.cli_support import clear_errors, file_opt, load_suite, resolve_account
from bpsa.core import certificates as certs
from bpsa.core import codes, eip712
from bpsa.core.cid import cid_from_digest, digest_of
from bpsa.core.codes import Source
from bpsa.core.errors import InputError
from bpsa.core.units import parse_time, parse_units, units, when
from bpsa.sdk.alliance import as_address
from bpsa.sdk.families import family_id
from bpsa.sdk.pool import Pool, iso_time, reasoning_digest, sign_typed
from bpsa.sdk.reverts import chain_time

F = TypeVar("F", bound=Callable[..., Any])

ACCOUNT_HELP = "Signer: an `ape accounts` alias, or TEST::n on a local chain."
account_opt = click.option("--account", help=ACCOUNT_HELP)


def document_cid(digest: bytes) -> str:
    """The CID of the document with this on-chain digest, read off its root block in the
    content store (the digest rule in bpsa.core.cid); both readings if it is not here."""
    from bpsa.oracle.store import ContentError, open_store

    try:
        return open_store(timeout=2.0).resolve(digest)
    except ContentError:
        raw, dag = cid_from_digest(digest, "raw"), cid_from_digest(digest, "dag-pb")
        return f"{raw} (one chunk) or {dag} (a file); not in the content store here"


def _pool() -> Pool:
    return cast(Pool, load_suite().pool)


@click.group()
def cli() -> None:
    """BPSA pool operations: submissions, certificates, ratings, royalties."""


def _over_patent(group: click.Group, name: str | None, signed: bool) -> Callable[[F], Any]:
    """`group.command` over a patent named by OFFICE NUMBER (the first two arguments; any
    other, declared below the decorator, follows), signed with --account unless not
    `signed`, reporting bad input as one clear line. One body for the top-level, mandate
    and family commands, so that all of them take a patent the same way."""

    def command(fn: F) -> Any:
        fn = click.argument("number")(fn)
        fn = click.argument("office")(fn)
        cmd = group.command(name, cls=ConnectedProviderCommand)(clear_errors(fn))
        if signed:  # last, as in every other command's --help
            cmd.params.append(click.Option(["--account"], help=ACCOUNT_HELP))
        return cmd

    return command


def patent_command(name: str | None = None, *, signed: bool = True) -> Callable[[F], Any]:
    """`cli.command` over a patent named by OFFICE NUMBER (`_over_patent`)."""
    return _over_patent(cli, name, signed)


@patent_command()
@click.option("--document", default=None, help="The patent document's CID (or its 0x digest).")
@click.option(
    "--document-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The document itself (any size): stored as an IPFS file (the daemon at "
    "BPSA_IPFS_API, else the local store in BPSA_STORE_DIR) and submitted by its CID.",
)
@click.option(
    "--source", default="contributed", show_default=True, help="contributed or usage-right"
)
@click.option(
    "--centre",
    default=None,
    help="A trusteeship centre to nominate (it earns and acts only under a mandate it "
    "accepts: `mandate offer`).",
)
@click.option("--right-ends", default=None, help="A usage right's end (unix or YYYY-MM-DD).")
def submit(
    office: str,
    number: str,
    document: str | None,
    document_file: Path | None,
    source: str,
    centre: str | None,
    right_ends: str | None,
    account: str | None,
) -> None:
    """Submit a patent (provider role)."""
    if (document is None) == (document_file is None):
        raise InputError("give the document by its CID (--document) or as a file (--document-file)")
    pool = _pool()
    sender = resolve_account(account)
    ends = parse_time(right_ends, "--right-ends") if right_ends else 0
    if document_file is not None:
        from bpsa.oracle.store import open_store

        document = open_store().put_file(document_file)
        click.echo(f"{document_file} stored as {document} ({document_file.stat().st_size} bytes)")
    assert document is not None  # dev: one of the two was given
    pool.submit(
        sender, office, number, digest_of(document), codes.parse_source(source), centre, ends
    )
    click.echo(f"{office} {number} submitted by {sender.address}; awaiting its certificate.")


@patent_command("sign-certificate")
@click.option("--document", required=True, help="The patent document's CID (or its 0x digest).")
@click.option("--owner", required=True, help="The owner the office's register names.")
@click.option("--status", default="in-force", show_default=True)
@click.option("--expiry", required=True, help="Next maintenance-fee date (unix or YYYY-MM-DD).")
@click.option("--nonce", required=True, type=int)
@file_opt("The certificate file: created by the first oracle, each later one adds its signature.")
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
        data = _read_json(path)
        if data.get("certificate") != certs.to_json(cert):
            raise InputError(f"{path} holds a different certificate; sign the same fields")
    _add_signature(data, sign_typed(signer, cert.typed(pool.domain())), path)


def read_certificate_file(path: Path) -> tuple[certs.Certificate, list[certs.Signature]]:
    data = _read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("certificate"), dict):
        raise InputError(f"{path} is not a certificate file (no certificate)")
    return certs.from_json(data["certificate"]), _signatures(data, path)


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


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None


def _signatures(data: dict[str, Any], path: Path) -> list[certs.Signature]:
    try:
        return [
            certs.Signature(s["signer"], int(s["v"]), bytes.fromhex(s["r"]), bytes.fromhex(s["s"]))
            for s in data.get("signatures", [])
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path} has a malformed signature: {exc}") from None


def _add_signature(data: dict[str, Any], sig: certs.Signature, path: Path) -> None:
    if any(s["signer"] == sig.signer for s in data.setdefault("signatures", [])):
        raise InputError(f"{sig.signer} already signed {path}")
    entry = {"signer": sig.signer, "v": sig.v, "r": sig.r.hex(), "s": sig.s.hex()}
    data["signatures"].append(entry)
    path.write_text(json.dumps(data, indent=2) + "\n")
    click.echo(f"{sig.signer} signed; {len(data['signatures'])} signature(s) in {path}.")


def read_batch_file(path: Path) -> tuple[list[certs.Certificate], certs.MerkleTree, list[Any]]:
    data = _read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("certificates"), list):
        raise InputError(f"{path} is not a batch file (no certificates list)")
    batch = [certs.from_json(c) for c in data["certificates"]]
    tree = certs.MerkleTree([c.leaf() for c in batch])
    if data.get("root") not in (None, "0x" + tree.root.hex()):
        raise InputError(f"{path}: its root does not match its certificates")
    return batch, tree, _signatures(data, path)


@cli.command("sign-batch", cls=ConnectedProviderCommand)
@click.argument("certificates", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@file_opt("The batch file: created by the first oracle, each later one adds its signature.")
@account_opt
@clear_errors
def sign_batch(certificates: Path, path: Path, account: str | None) -> None:
    """An oracle signs the Merkle root of a JSON list of certificates into a batch file."""
    pool = _pool()
    signer = resolve_account(account)
    listed = _read_json(certificates)
    if not isinstance(listed, list) or not listed:
        raise InputError(f"{certificates} must hold a non-empty JSON list of certificates")
    batch = [certs.from_json(c) for c in listed]
    tree = certs.MerkleTree([c.leaf() for c in batch])
    data: dict[str, Any] = {
        "root": "0x" + tree.root.hex(),
        "certificates": [certs.to_json(c) for c in batch],
        "signatures": [],
    }
    if path.exists():
        data = _read_json(path)
        if data.get("root") != "0x" + tree.root.hex():
            raise InputError(f"{path} holds a different batch; sign the same certificates")
    full = eip712.CERTIFICATE_BATCH.typed(pool.domain(), {"root": tree.root, "count": len(tree)})
    _add_signature(data, sign_typed(signer, full), path)


@cli.command("attest-batch", cls=ConnectedProviderCommand)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@account_opt
@clear_errors
def attest_batch(path: Path, account: str | None) -> None:
    """Post a batch file's root with its oracles' signatures."""
    pool = _pool()
    _, tree, sigs = read_batch_file(path)
    tx = pool.attest_batch(resolve_account(account), tree, sigs)
    click.echo(f"batch of {len(tree)} accepted: root 0x{tree.root.hex()} ({tx.gas_used} gas).")


@cli.command(cls=ConnectedProviderCommand)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--only", default=None, help="Prove one certificate: OFFICE/NUMBER.")
@click.option(
    "--chunk",
    default=100,
    show_default=True,
    type=click.IntRange(1, certs.MAX_MULTI_PROOF),
    help="Certificates per transaction (one multi-proof each).",
)
@account_opt
@clear_errors
def prove(path: Path, only: str | None, chunk: int, account: str | None) -> None:
    """Enter a batch's certificates (or one) in the registry: one certificate with its
    Merkle proof, many with multi-proofs, `--chunk` a transaction."""
    pool = _pool()
    sender = resolve_account(account)
    batch, tree, _ = read_batch_file(path)
    chosen = [c for c in batch if only is None or f"{c.office}/{c.number}" == only]
    if not chosen:
        raise InputError(f"{only} is not in {path}")
    if len(chosen) == 1:
        tx = pool.prove(sender, chosen[0], tree)
        click.echo(f"{chosen[0].office} {chosen[0].number} proven ({tx.gas_used} gas).")
        return
    for proven, tx in pool.prove_many(sender, chosen, tree, chunk):
        for cert in proven:
            click.echo(f"{cert.office} {cert.number} proven")
        click.echo(f"{len(proven)} certificates in one call ({tx.gas_used} gas).")


@patent_command("sign-revocation")
@click.option("--document", required=True, help="The document the certificate names.")
@click.option("--nonce", required=True, type=int, help="The revoked certificate's nonce.")
@file_opt("The revocation file: created by the first oracle, each later one adds its signature.")
def sign_revocation(
    office: str, number: str, document: str, nonce: int, path: Path, account: str | None
) -> None:
    """An oracle signs the revocation of a certificate into a shared file."""
    pool = _pool()
    signer = resolve_account(account)
    certs.check_key(office, number)
    digest = "0x" + digest_of(document).hex()
    revocation: dict[str, Any] = {"office": office, "number": number, "document": digest}
    revocation["nonce"] = nonce
    data: dict[str, Any] = {"revocation": revocation, "signatures": []}
    if path.exists():
        data = _read_json(path)
        if data.get("revocation") != revocation:
            raise InputError(f"{path} holds a different revocation; sign the same fields")
    full = eip712.REVOCATION.typed(pool.domain(), {**revocation, "document": digest_of(document)})
    _add_signature(data, sign_typed(signer, full), path)


@cli.command(cls=ConnectedProviderCommand)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@account_opt
@clear_errors
def revoke(path: Path, account: str | None) -> None:
    """Post a revocation file with its oracles' signatures."""
    pool = _pool()
    data = _read_json(path)
    try:
        rev = data["revocation"]
        office, number, nonce = str(rev["office"]), str(rev["number"]), int(rev["nonce"])
        document = bytes.fromhex(str(rev["document"]).removeprefix("0x"))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path} is not a revocation file: {exc}") from None
    pool.revoke(resolve_account(account), office, number, document, nonce, _signatures(data, path))
    click.echo(f"certificate {nonce} of {office} {number} revoked.")


def _act(
    action: Callable[[Pool, Any, bytes], Any], office: str, number: str, account: str | None
) -> Pool:
    """`action` (a Pool method taking the sender and a patent id) for OFFICE NUMBER, sent
    from --account; the pool, for what the command reports after it."""
    pool = _pool()
    action(pool, resolve_account(account), certs.patent_id(office, number))
    return pool


@patent_command("remove-below-core")
def remove_below_core(office: str, number: str, account: str | None) -> None:
    """Remove a pooled patent rated under the core threshold (anyone)."""
    pool = _act(Pool.remove_below_core, office, number, account)
    click.echo(f"{office} {number} removed; NAV {pool.nav()}.")


@patent_command()
def certify(office: str, number: str, account: str | None) -> None:
    """Mark a submitted patent certified (its certificate must be on chain)."""
    _act(Pool.certify, office, number, account)
    click.echo(f"{office} {number} is certified.")


@patent_command()
@click.argument("score", type=int)
@click.argument("valuation")
@click.option(
    "--reasoning",
    required=True,
    help="The expert's reasoning document: a file (stored as an IPFS file in the daemon at "
    "BPSA_IPFS_API, else the local store in BPSA_STORE_DIR), or the CID of one stored.",
)
def rate(
    office: str, number: str, score: int, valuation: str, reasoning: str, account: str | None
) -> None:
    """An expert rates (0-100) and values (in the valuation unit) a certified patent, with
    the document that gives its reasons."""
    pool = _pool()
    patent = certs.patent_id(office, number)
    store = None
    if Path(reasoning).is_file():
        from bpsa.oracle.store import open_store

        store = open_store()
    digest, cid = reasoning_digest(reasoning, store)
    before = pool.patent(patent).rounds
    pool.rate(resolve_account(account), patent, score, parse_units(valuation, "VALUATION"), digest)
    click.echo(f"reasoning {cid}")
    view = pool.patent(patent)
    if view.rounds == before:  # the round is still open
        ballots, quorum = len(pool.pool.ballots_of(patent)), int(pool.pool.expert_threshold())
        click.echo(
            f"ballot recorded; {office} {number} still {codes.label(view.status)}: "
            f"{ballots} of {quorum} ballots in this round."
        )
        return
    unit = pool.pool.valuation_unit()
    click.echo(
        f"rated; {office} {number} is now {codes.label(view.status)} "
        f"(median score {view.score}, value {units(view.valuation)} {unit}); "
        f"{pool.rating_due(patent).describe(chain_time())}."
    )


@patent_command()
def withdraw(office: str, number: str, account: str | None) -> None:
    """The contributor withdraws a patent not yet pooled."""
    _act(Pool.withdraw, office, number, account)
    click.echo(f"{office} {number} withdrawn.")


@patent_command()
def expire(office: str, number: str, account: str | None) -> None:
    """Expire a patent whose certificate no longer holds (anyone)."""
    pool = _pool()
    patent = certs.patent_id(office, number)
    lapse = codes.Lapse(int(pool.pool.lapse_of(patent)))
    pool.expire(resolve_account(account), patent)
    click.echo(f"{office} {number} expired ({codes.label(lapse)}); NAV {pool.nav()}.")


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
    unit, now = pool.valuation_unit(), chain_time()
    for office, number, patent in rows:
        view = pool.patent(patent)
        due = f"; {pool.rating_due(patent).describe(now)}" if view.rated_at else ""
        click.echo("  " + view.describe(f"{office} {number}", unit) + due)


@patent_command(signed=False)
def patent(office: str, number: str) -> None:
    """Show one patent, its certificate and its royalty standing."""
    pool = _pool()
    now = chain_time()
    view = pool.known(office, number)
    click.echo(view.describe(f"{office} {number}", pool.valuation_unit()))
    click.echo(f"  document  {document_cid(view.document)}")
    if view.rated_at:
        click.echo(f"  valuation {pool.rating_due(view.patent).describe(now)}")
    if pool.has_families:
        family = pool.families.family_of(view.patent)
        if family is not None:
            click.echo(f"  family    0x{family.hex()} (pool family show {office} {number})")
    owner, status, expiry, nonce = pool.certificates.certificate(view.patent, view.document)
    lapse = codes.Lapse(int(pool.pool.lapse_of(view.patent)))
    due = f"next fee due {when(int(expiry), now)}" if int(expiry) else "no expiry"
    click.echo(
        f"  certificate: {codes.label(codes.CertStatus(int(status)))} owner={owner} "
        f"{due} nonce={nonce}; lapse: {codes.label(lapse)}"
    )
    if lapse == codes.Lapse.PAST_EXPIRY:
        grace_ends = int(expiry) + int(pool.pool.grace_period())
        late = when(grace_ends, now)
        click.echo(f"  the office takes the fee late until {late} (grace period)")
    if view.source == Source.USAGE_RIGHT:
        click.echo(f"  usage right ends {when(view.right_ends, now)}")
    minted = int(pool.pool.minted_for(view.patent))
    if minted:
        click.echo(f"  minted {units(minted)} BPC at its first pooling (again: to the fund)")


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


@cli.group()
def mandate() -> None:
    """Trusteeship mandates: the contributor offers, the centre accepts, either ends."""


def mandate_command(name: str, *, signed: bool = True) -> Callable[[F], Any]:
    """`mandate.command` over a patent named by OFFICE NUMBER, as `patent_command`."""
    return _over_patent(mandate, name, signed)


def mandate_terms(f: F) -> F:
    """The terms a mandate names: its agreement's CID, the share and the expiry."""
    f = click.option("--expiry", required=True, help="When it ends (unix or YYYY-MM-DD).")(f)
    f = click.option(
        "--share-bps",
        required=True,
        type=int,
        help="The centre's part of the fees the patent earns alone, in basis points "
        "(at most the council's centre share).",
    )(f)
    return click.option(
        "--terms", required=True, help="The mandate agreement's CID (or its 0x digest)."
    )(f)


@mandate_command("offer")
@click.option("--centre", required=True, help="The trusteeship centre offered the mandate.")
@mandate_terms
def mandate_offer(
    office: str,
    number: str,
    centre: str,
    terms: str,
    share_bps: int,
    expiry: str,
    account: str | None,
) -> None:
    """Offer a trusteeship centre a mandate for your patent (its contributor of record)."""
    pool = _pool()
    sender = resolve_account(account)
    patent = pool.known(office, number).patent
    until = parse_time(expiry, "--expiry")
    centre = as_address(centre)
    pool.mandates.offer(sender, patent, centre, digest_of(terms), share_bps, until)
    click.echo(f"{office} {number}: mandate offered to {centre}; the centre accepts it to start.")


@mandate_command("accept")
@mandate_terms
def mandate_accept(
    office: str, number: str, terms: str, share_bps: int, expiry: str, account: str | None
) -> None:
    """Accept the mandate offered to you on the terms you agreed to (a trusteeship centre)."""
    pool = _pool()
    sender = resolve_account(account)
    patent = pool.known(office, number).patent
    until = parse_time(expiry, "--expiry")
    pool.mandates.accept(sender, patent, digest_of(terms), share_bps, until)
    click.echo(f"{office} {number}: mandate accepted by {sender.address} until {when(until)}.")


@mandate_command("end")
def mandate_end(office: str, number: str, account: str | None) -> None:
    """End a mandate or withdraw an offer (either side; anyone once it expired)."""
    pool = _pool()
    sender = resolve_account(account)
    patent = pool.known(office, number).patent
    pool.mandates.end(sender, patent)
    click.echo(f"{office} {number}: mandate ended by {sender.address}.")


@mandate_command("show", signed=False)
def mandate_show(office: str, number: str) -> None:
    """Show a patent's mandate or open offer."""
    pool = _pool()
    view = pool.mandates.show(pool.known(office, number).patent)
    click.echo(view.describe(f"{office} {number}"))


@cli.group()
def family() -> None:
    """Patent families: patents in several offices from one invention, shown together."""


def family_command(name: str, *, signed: bool = True) -> Callable[[F], Any]:
    """`family.command` over a patent named by OFFICE NUMBER, as `patent_command`."""
    return _over_patent(family, name, signed)


def feed_family(office: str, number: str, feed: Path | None) -> str:
    """The family the office feed records for (office, number) (the sample feed unless
    `feed` names another)."""
    from bpsa.oracle.feed import SAMPLE, LocalFeed

    path = feed or SAMPLE
    record = LocalFeed.load(path).lookup(office, number)
    if record is None:
        raise InputError(f"{office} {number} is not in the office feed {path}")
    if record.family is None:
        raise InputError(f"the office feed {path} records no family for {office} {number}")
    return record.family


@family_command("set")
@click.argument("family_text", metavar="FAMILY", required=False)
@click.option(
    "--from-feed",
    is_flag=True,
    help="Take the family the office feed records for the patent (see --feed).",
)
@click.option(
    "--feed",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The office feed (JSON or CSV; default: the sample feed).",
)
@click.option("--clear", is_flag=True, help="Take the patent out of its family.")
@click.option("--dry-run", is_flag=True, help="Simulate only: nothing is sent.")
def family_set(
    office: str,
    number: str,
    family_text: str | None,
    from_feed: bool,
    feed: Path | None,
    clear: bool,
    dry_run: bool,
    account: str | None,
) -> None:
    """Put your patent in a family: FAMILY is 'DOCDB:<number>' (the EPO's family number),
    'PRIORITY:<office> <number>' (the priority application) or a 0x id; the patent's
    contributor, its mandated centre (the council for the fund's: `admin propose
    family-set`)."""
    if sum((family_text is not None, from_feed, clear)) != 1:
        raise InputError("give one of FAMILY, --from-feed or --clear")
    pool = _pool()
    sender = resolve_account(account)
    patent = pool.known(office, number).patent
    families = pool.families
    if clear:
        new, text = bytes(32), "no family"
    else:
        text = feed_family(office, number, feed) if from_feed else str(family_text)
        new = family_id(text)
        text = f"family 0x{new.hex()} ({text})"
    if dry_run:
        from bpsa.sdk.reverts import simulate

        simulate(
            "Families.set_family",
            families.contract.set_family,
            patent,
            new,
            sender=sender,
            who=sender.address,
        )
        click.echo(f"{office} {number}: would be put in {text} by {sender.address} (dry run).")
        return
    if clear:
        families.clear(sender, patent)
    else:
        families.set(sender, patent, new)
    click.echo(f"{office} {number}: {text}, set by {sender.address}.")


@family_command("show", signed=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for machines.")
def family_show(office: str, number: str, as_json: bool) -> None:
    """Show a patent's family: every patent in it, with office, number, status, valuation
    and whether the valuation is stale."""
    pool = _pool()
    patent = pool.known(office, number).patent
    found = pool.families.family_of(patent)
    keys = {pid: (o, n) for o, n, pid in pool.submissions()}
    members = pool.families.members(found) if found is not None else []
    rows, dues, now = [], [], chain_time()
    for pid in members:
        view = pool.patent(pid)
        due = pool.rating_due(pid)
        dues.append(due.describe(now) if view.rated_at else "")
        member_office, member_number = keys.get(pid, ("?", "0x" + pid.hex()))
        rows.append(
            {
                "patent_id": "0x" + pid.hex(),
                "office": member_office,
                "number": member_number,
                "status": codes.label(view.status),
                "valuation": str(view.valuation) if view.rated_at else None,
                "rating_due": iso_time(due.due) if due.due else None,
                "stale": due.stale,
            }
        )
    if as_json:
        family_hex = "0x" + found.hex() if found is not None else None
        click.echo(json.dumps({"family": family_hex, "patents": rows}, indent=2))
        return
    if found is None:
        click.echo(f"{office} {number} is in no family.")
        return
    unit = pool.pool.valuation_unit()
    click.echo(f"family 0x{found.hex()}: {len(rows)} patent(s)")
    for row, due_text in zip(rows, dues, strict=True):
        value = f"{units(int(row['valuation']))} {unit}" if row["valuation"] else "unrated"
        click.echo(
            f"  {row['office']} {row['number']:<18} {row['status']:<10} {value:<22} {due_text}"
        )
