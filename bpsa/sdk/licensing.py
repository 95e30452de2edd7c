"""A typed SDK over the licence desk: BPR and Licensing (tiers, per-patent licences,
device batches, licence claims).

Like `bpsa.sdk.pool`, every operation simulates its call before it sends it and raises the
`BpsaError` subclass `bpsa.sdk.reverts` maps the contract's refusal to (no tier price,
already holding a BPR, the minimum term not over, a listing withdrawn), explained with
what the chain says; nothing is sent when the call would revert. A payment approves
exactly what the call takes when the allowance is short, once the simulation shows that
every rule but the payment passed (and the balance covers it). The council's operations
(tiers, rates, grants, revocations, surcharge, device schedule, standard agreements) are
built as proposal calls (`call_*`), simulated as the council would make them.

Agreements: every licence carries the agreement document it was made under, by the digest
of its IPFS CID (`bpsa.core.cid`). `pin_agreement` stores a document as an IPFS file in a
content store (the daemon's `IpfsStore` or the embedded `LocalStore` of `bpsa.oracle.store`,
which the caller opens: the SDK does not import the oracle's layer) and gives its CID;
`agreement_cid` names an on-chain digest as a CID again. `convert` passes the digest of the
BPR agreement it read, so a change of terms between the read and the conversion makes the
conversion revert instead of binding the buyer to terms it never saw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bpsa.core import claims, codes, qr
from bpsa.core import coverage as cov
from bpsa.core.cid import cid_from_digest, digest_of
from bpsa.core.codes import BPS, AgreementKind, Kind, Status
from bpsa.core.devices import BatchRecord, DeviceTree
from bpsa.core.errors import BpsaError, InputError, ManifestError
from bpsa.core.errors import LicensingError as LicensingError  # re-exported from bpsa.core.errors
from bpsa.core.units import duration, units, when
from bpsa.sdk.alliance import Call, as_address
from bpsa.sdk.pool import Pool, sign_typed
from bpsa.sdk.reverts import (
    Explain,
    chain_time,
    proposal_call,
    reverts_as_errors,
    transact,
    transact_paying,
)

DESK_CONTRACTS = ("BPR", "Licensing")
BATCH_MAX = 10**9  # device_fee's count: a view's argument, checked before the call
FIELD_MAX, TERRITORY_MAX = 64, 32  # the String[64] and String[32] the contract takes


UINT_MAX = 2**256 - 1
NO_AGREEMENT = bytes(32)


class DocumentStore(Protocol):
    """What the SDK needs of a content store (`bpsa.oracle.store.IpfsStore` or
    `LocalStore`): store a document as an IPFS file (pinned), and name a digest's CID."""

    def put(self, data: bytes) -> str: ...

    def put_file(self, path: Path) -> str: ...

    def resolve(self, digest: bytes) -> str: ...


def pin_agreement(store: DocumentStore, document: Path | bytes) -> str:
    """Store an agreement document (a file, or its bytes) in `store`, pinned; its CID (what
    `ipfs add --cid-version 1` gives it). `digest_of(cid)` is what a contract takes."""
    if isinstance(document, Path):
        if not document.is_file():
            raise InputError(f"the agreement {document} is not a file")
        return store.put_file(document)
    if not document:
        raise InputError("the agreement document is empty")
    return store.put(document)


def agreement_digest(value: str, store: DocumentStore | None = None) -> bytes:
    """The digest of an agreement given as a file (pinned to `store` first) or as its CID
    (or 0x digest): the CLI's `--agreement FILE|CID`."""
    path = Path(value)
    if path.is_file():
        if store is None:
            raise InputError(f"{value} is a file: a content store is needed to pin it")
        return digest_of(pin_agreement(store, path))
    digest = digest_of(value)
    if digest == NO_AGREEMENT:
        raise InputError("the agreement digest is empty")
    return digest


def agreement_cid(digest: bytes, store: DocumentStore | None = None) -> str | None:
    """The CID of the agreement document with this on-chain digest (None for an empty one:
    no agreement named). The codec is read off the root block when `store` holds it (the
    digest rule in bpsa.core.cid); otherwise the raw reading, right for a document of up
    to 256 KiB."""
    if digest == NO_AGREEMENT:
        return None
    if store is not None:
        try:
            return store.resolve(digest)
        except BpsaError:
            pass
    return cid_from_digest(digest, "raw")


@dataclass(frozen=True)
class AgreementVersion:
    """One version of a standard agreement (version 0, digest empty: none set yet)."""

    kind: AgreementKind
    version: int
    digest: bytes

    @property
    def cid(self) -> str | None:
        return agreement_cid(self.digest)

    def describe(self) -> str:
        head = f"{codes.label(self.kind)} agreement"
        if self.version == 0:
            return f"{head}: none set"
        return f"{head} v{self.version}: {self.cid}"


def check_uint(value: int, what: str, low: int = 0, high: int = UINT_MAX) -> int:
    """`value` if it is a whole number in [low, high]; `InputError` naming `what` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(f"{what} must be a whole number from {low:,} to {high:,}, got {value!r}")
    return value


@dataclass(frozen=True)
class Schedule:
    """The published price list: the same for everyone in the same position."""

    tiers: dict[Kind, int]  # BPC locked for one BPR; 0: no conversion (grant only)
    large_enterprise_per_bps: int
    min_term: int
    surcharge_bps: int
    free_per_year: int
    low_rate: int
    volume_break: int
    high_rate: int
    annual_cap: int

    def lines(self) -> list[str]:
        out = ["BPR tiers (BPC locked for one BPR):"]
        for kind, price in self.tiers.items():
            extra = ""
            if kind == Kind.LARGE_ENTERPRISE:
                extra = f" + {units(self.large_enterprise_per_bps)} BPC per bp of market share"
            shown = f"{units(price)} BPC" if price else "no conversion (council grant)"
            out.append(f"  {codes.label(kind):<17} {shown}{extra}")
        out.append(f"minimum term {duration(self.min_term)}")
        out.append(f"non-member surcharge on per-patent licences {self.surcharge_bps / 100:g}%")
        cap = f"{units(self.annual_cap)} BPC" if self.annual_cap else "none"
        out.append(
            f"devices a maker a year: {self.free_per_year:,} free (active members only), "
            f"{units(self.low_rate)} BPC each up to {self.volume_break:,}, "
            f"{units(self.high_rate)} BPC beyond; cap {cap}; non-members pay the surcharge on top"
        )
        return out


@dataclass(frozen=True)
class Holding:
    holder: str
    holds_bpr: bool
    locked: int
    unlocks_at: int
    granted: bool
    agreement: bytes = NO_AGREEMENT  # the BPR agreement's digest it was made under

    def describe(self, now: int | None = None) -> str:
        """One line; `now` (the chain's time), when given, dates the unlock relative to it."""
        if not self.holds_bpr:
            return f"{self.holder}: no BPR"
        terms = f"; agreement {agreement_cid(self.agreement) or 'none'}"
        if self.granted:
            return f"{self.holder}: BPR granted by the council (nothing locked){terms}"
        return (
            f"{self.holder}: BPR, {units(self.locked)} BPC locked until "
            f"{when(self.unlocks_at, now)}{terms}"
        )


@dataclass(frozen=True)
class Snapshot:
    """The patents a BPR covered on its date: the Coverage log's first `size` leaves (root
    `root`), recorded when it was converted or granted at `date` (unix seconds); `patents`
    are the entry leaves of the stays open then, in the order they entered."""

    holder: str
    size: int
    root: bytes
    date: int
    patents: tuple[cov.Change, ...]

    def lines(self) -> list[str]:
        return [
            f"{self.holder}: BPR snapshot of {when(self.date)}",
            f"  coverage log size {self.size}, root 0x{self.root.hex()}",
            f"  {len(self.patents)} patent(s) covered",
        ]


@dataclass(frozen=True)
class CoverageVerdict:
    """A coverage proof checked off chain (`off_chain`, against the holder's recorded root)
    and by Licensing.covers (`on_chain`, None for an address holding no BPR now)."""

    off_chain: bool
    on_chain: bool | None


@dataclass(frozen=True)
class ListingView:
    listing: int
    patent: bytes
    lister: str
    price: int
    duration: int
    field_of_use: str
    territory: str
    active: bool  # not withdrawn
    tenure: int  # the patent's tenure it was made in
    open: bool  # it sells now: active, the patent pooled and still in that tenure
    agreement: bytes = NO_AGREEMENT  # its licences' agreement digest, fixed when listed

    def describe(self) -> str:
        state = "active" if self.open else "delisted" if not self.active else "ended"
        return (
            f"#{self.listing} [{state}] patent 0x{self.patent.hex()[:16]} {units(self.price)} BPC "
            f"for {duration(self.duration)}, {self.field_of_use!r} in "
            f"{self.territory!r}, by {self.lister}; agreement "
            f"{agreement_cid(self.agreement) or 'none'}"
        )


@dataclass(frozen=True)
class LicenceView:
    licence: int
    listing: int
    patent: bytes
    licensee: str
    start: int
    end: int
    agreement: bytes = NO_AGREEMENT  # the agreement digest it was made under

    @property
    def agreement_cid(self) -> str | None:
        return agreement_cid(self.agreement)


class LicenceDesk:
    """BPR and Licensing by manifest name, beside the collection's pool."""

    def __init__(self, contracts: dict[str, Any], pool: Pool, start_block: int = 0) -> None:
        missing = [name for name in DESK_CONTRACTS if name not in contracts]
        if missing:
            raise ManifestError(f"the deployment lacks {', '.join(missing)}: deploy licensing")
        self.bpr = contracts["BPR"]
        self.licensing = contracts["Licensing"]
        self.pool = pool
        self.alliance = pool.alliance
        self.bpc = pool.bpc
        self.start_block = start_block
        self._coverage = contracts.get("Coverage")  # deployments before issue 17 lack it

    # -- views --------------------------------------------------------------------

    def schedule(self) -> Schedule:
        s = self.licensing.device_schedule()
        return Schedule(
            tiers={kind: int(self.licensing.tier_price(int(kind))) for kind in Kind},
            large_enterprise_per_bps=int(self.licensing.large_enterprise_price_per_bps()),
            min_term=int(self.licensing.min_term()),
            surcharge_bps=int(self.licensing.surcharge_bps()),
            free_per_year=int(s.free_per_year),
            low_rate=int(s.low_rate),
            volume_break=int(s.volume_break),
            high_rate=int(s.high_rate),
            annual_cap=int(s.annual_cap),
        )

    def holding(self, who: str) -> Holding:
        holder = as_address(who)
        return Holding(
            holder=holder,
            holds_bpr=int(self.bpr.balanceOf(holder)) == 1,
            locked=int(self.licensing.locked(holder)),
            unlocks_at=int(self.licensing.unlocks_at(holder)),
            granted=bool(self.licensing.granted(holder)),
            agreement=bytes(self.licensing.bpr_agreement(holder)),
        )

    def standard_agreement(self, kind: AgreementKind) -> AgreementVersion:
        """The standard agreement of `kind` in force now (version 0: none set)."""
        version = int(self.licensing.agreement_version(int(kind)))
        return AgreementVersion(kind, version, bytes(self.licensing.agreement(int(kind), version)))

    def agreement_history(self, kind: AgreementKind) -> list[AgreementVersion]:
        """Every version of `kind`'s standard agreement, oldest first."""
        last = int(self.licensing.agreement_version(int(kind)))
        return [
            AgreementVersion(kind, v, bytes(self.licensing.agreement(int(kind), v)))
            for v in range(1, last + 1)
        ]

    # -- coverage snapshots (Coverage.vy, issue 17 point 5) -------------------------

    @property
    def coverage_contract(self) -> Any:
        if self._coverage is None:
            raise ManifestError("the deployment lacks Coverage: deploy the pool again")
        return self._coverage

    def coverage_log(self) -> cov.CoverageLog:
        """The pool's whole Coverage log, replayed from its CoverageLogged events."""
        from ape import chain

        head = int(chain.blocks.head.number)
        events = self.coverage_contract.CoverageLogged.range(self.start_block, head + 1)
        return cov.CoverageLog(
            cov.Change(int(e.index), bytes(e.patent), int(e.stay), bool(e.entering), int(e.at))
            for e in sorted(events, key=lambda e: int(e.index))
        )

    def coverage(self, who: str, log: cov.CoverageLog | None = None) -> Snapshot:
        """`who`'s BPR snapshot: Licensing.snapshot_of (refused with the mapped error for an
        address holding no BPR), its date from the conversion or grant that issued it, and
        the patents covered, replayed from the log's events (checked against the chain's
        root)."""
        from ape import chain

        holder = as_address(who)
        with reverts_as_errors("Licensing.snapshot_of", who=holder):
            size, root = self.licensing.snapshot_of(holder)
        log = log if log is not None else self.coverage_log()
        if len(log) < int(size) or log.root_at(int(size)) != bytes(root):
            raise ManifestError(
                "the Coverage events read do not give the root the chain records: read the "
                "logs from the pool's deployment block"
            )
        head = int(chain.blocks.head.number)
        issued = [
            e
            for event in (self.licensing.Converted, self.licensing.Granted)
            for e in event.range(self.start_block, head + 1)
            if str(e.holder) == holder
        ]
        last = max(issued, key=lambda e: (int(e.block_number), int(e.log_index)), default=None)
        date = 0 if last is None else int(chain.blocks[int(last.block_number)].timestamp)
        return Snapshot(holder, int(size), bytes(root), date, tuple(log.pooled_at(int(size))))

    def prove_covered(self, who: str, patent: bytes) -> cov.CoverageProof:
        """The proof that `who`'s BPR covered `patent` (a JSON-ready object a licensee
        keeps); `CoverageError` (bpsa.core.coverage.NotCovered) saying why when it did not."""
        log = self.coverage_log()
        snapshot = self.coverage(who, log)
        return log.prove(snapshot.size, bytes(patent))

    def verify_covered(self, who: str, proof: cov.CoverageProof) -> CoverageVerdict:
        """`proof` checked off chain against the roots the chain keeps (Coverage.root_at of
        its size and of its exit's, which never change) and, for a current holder, against
        the size its BPR recorded; and on chain by Licensing.covers (None for an address
        holding no BPR now: its record was cleared at release or revocation)."""
        holder = as_address(who)
        roots = self.coverage_contract
        root = bytes(roots.root_at(proof.size))
        exit_root = None if proof.exit_size is None else bytes(roots.root_at(proof.exit_size))
        off = cov.verify(proof, root, exit_root)
        if int(self.bpr.balanceOf(holder)) == 0:
            return CoverageVerdict(off_chain=off, on_chain=None)
        size = int(self.licensing.snapshot_of(holder)[0])
        on = bool(
            self.licensing.covers(
                holder, proof.patent, proof.entry, proof.entered_at, list(proof.entry_proof)
            )
        )
        return CoverageVerdict(off_chain=off and size == proof.size, on_chain=on)

    @staticmethod
    def _record(table: Any, kind: str, number: int, present: str) -> Any:
        """Record `number` of Licensing's `table` of `kind`s (listings, licences, batches),
        the id checked first; `LicensingError` if there is none (its `present` field, never
        zero in a record made, is zero). One rule for every record a caller names by id."""
        r = table(check_uint(number, f"a {kind} id"))
        if int(getattr(r, present)) == 0:
            raise LicensingError(f"no {kind} #{number}")
        return r

    def listing(self, listing: int) -> ListingView:
        r = self._record(self.licensing.listings, "listing", listing, "price")
        return ListingView(
            listing,
            bytes(r.patent),
            str(r.lister),
            int(r.price),
            int(r.duration),
            str(r.field_of_use),
            str(r.territory),
            bool(r.active),
            int(r.tenure),
            bool(self.licensing.is_open(listing)),
            bytes(r.agreement),
        )

    def listings(self) -> list[ListingView]:
        return [self.listing(i) for i in range(1, int(self.licensing.listing_count()) + 1)]

    def licence(self, licence: int) -> LicenceView:
        r = self._record(self.licensing.licences, "licence", licence, "end")
        return LicenceView(
            licence,
            int(r.listing),
            bytes(r.patent),
            str(r.licensee),
            int(r.start),
            int(r.end),
            bytes(r.agreement),
        )

    def batch(self, batch: int) -> BatchRecord:
        r = self._record(self.licensing.batches, "batch", batch, "count")
        return BatchRecord(
            batch,
            str(r.maker),
            bytes(r.product),
            bytes(r.root),
            int(r.count),
            int(r.registered_at),
            bytes(r.agreement),
        )

    def batch_of_root(self, root: bytes) -> int:
        """The id of the batch registered with `root` (newest first)."""
        for batch in range(int(self.licensing.batch_count()), 0, -1):
            if bytes(self.licensing.batches(batch).root) == root:
                return batch
        raise LicensingError(f"no batch with root 0x{root.hex()} was registered")

    def price_of(self, who: str) -> int:
        return int(self.licensing.price_of(as_address(who)))

    def surcharge_for(self, who: str, price: int) -> int:
        if self.alliance.is_active(as_address(who)):
            return 0
        return price * int(self.licensing.surcharge_bps()) // BPS

    def device_fee(self, maker: str, count: int) -> int:
        """What `maker` pays now for `count` more devices (a non-member's surcharge included)."""
        check_uint(count, "a device count", 1, BATCH_MAX)
        return int(self.licensing.device_fee(as_address(maker), count))

    # -- BPR holders ------------------------------------------------------------------

    def convert(self, sender: Any, agreement: bytes | None = None) -> Any:
        """Lock the sender's tier price (approving exactly that) for one BPR, under the BPR
        agreement whose digest is `agreement` (default: the one in force as read now); the
        conversion reverts if another is in force when it is mined."""
        who = sender.address
        if agreement is None:
            agreement = self.standard_agreement(AgreementKind.BPR).digest
        if len(agreement) != 32:
            raise InputError("the agreement digest must be 32 bytes")
        args = (agreement,) if agreement != NO_AGREEMENT else ()

        def explain(reason: str) -> str | None:
            if reason == "licensing: no tier price for this member kind":
                kind = codes.label(Kind(int(self.alliance.kind_of(who))))
                return f"a {kind} has no tier price: its BPR comes by council grant, if any"
            return None

        return self._paying(
            "Licensing.convert",
            self.licensing.convert,
            sender,
            lambda: self.price_of(who),
            "convert",
            *args,
            explain=explain,
        )

    def release(self, sender: Any) -> Any:
        def explain(reason: str) -> str | None:
            if reason == "licensing: minimum term not over":
                unlocks_at = int(self.licensing.unlocks_at(sender.address))
                return f"the minimum term runs until {when(unlocks_at, chain_time())}"
            return None

        return transact(
            "Licensing.release",
            self.licensing.release,
            sender=sender,
            explain=explain,
            who=sender.address,
        )

    # -- per-patent licences ------------------------------------------------------------

    def list_terms(
        self,
        sender: Any,
        patent: bytes,
        price: int,
        duration: int,
        field_of_use: str,
        territory: str,
        agreement: bytes | None = None,
    ) -> int:
        """List licence terms for a pooled patent (its contributor, or an agent holding the
        contributor's per-patent-licence mandate on the exchange); the id. `agreement`: the
        digest of the licence agreement's CID (`pin_agreement`), default the pool's standard
        per-patent agreement in force. Who may list is the contract's rule: a refusal comes
        back as its reason."""
        if agreement is not None and (len(agreement) != 32 or agreement == NO_AGREEMENT):
            raise InputError("the agreement digest must be 32 bytes and not all zero")
        extra = (agreement,) if agreement is not None else ()
        check_uint(price, "the price")
        check_uint(duration, "the duration")
        if len(field_of_use.encode()) > FIELD_MAX or len(territory.encode()) > TERRITORY_MAX:
            raise InputError(
                f"field of use is at most {FIELD_MAX} bytes, territory {TERRITORY_MAX}"
            )

        def explain(reason: str) -> str | None:
            if reason == "licensing: patent is not pooled":
                status = codes.label(self.pool.patent(patent).status)
                return f"the patent is {status}, not pooled"
            return None

        tx = transact(
            "Licensing.list_terms",
            self.licensing.list_terms,
            patent,
            price,
            duration,
            field_of_use,
            territory,
            *extra,
            sender=sender,
            explain=explain,
            who=sender.address,
        )
        return int(tx.events.filter(self.licensing.Listed)[0].listing)

    def delist(self, sender: Any, listing: int) -> Any:
        """Withdraw a listing: its lister, or the patent's current contributor."""
        view = self.listing(listing)

        def explain(reason: str) -> str | None:
            if reason == "licensing: no active listing":
                return f"listing #{listing} is already withdrawn"
            if reason == "licensing: only the lister or the patent's contributor delists":
                contributor = self.pool.patent(view.patent).contributor
                return (
                    f"only its lister {view.lister} or the patent's contributor {contributor} "
                    f"withdraws listing #{listing}"
                )
            return None

        return transact(
            "Licensing.delist", self.licensing.delist, listing, sender=sender, explain=explain
        )

    def buy(self, sender: Any, listing: int) -> int:
        """Buy a licence on a listing (price + any non-member surcharge); the licence id."""
        view = self.listing(listing)

        def explain(reason: str) -> str | None:
            if reason == "licensing: no active listing":
                return f"listing #{listing} was withdrawn"
            if reason == "licensing: patent is no longer pooled":
                status = codes.label(self.pool.patent(view.patent).status)
                return f"the listed patent is {status}, no longer pooled"
            if reason == "licensing: the listing ended when the patent changed hands":
                return f"listing #{listing} ended when the patent changed hands"
            return None

        def total() -> int:
            return view.price + self.surcharge_for(sender.address, view.price)

        tx = self._paying(
            "Licensing.buy", self.licensing.buy, sender, total, "buy", listing, explain=explain
        )
        return int(tx.events.filter(self.licensing.LicenceBought)[0].licence)

    # -- device batches -----------------------------------------------------------------

    def register_batch(self, sender: Any, product: bytes, tree: DeviceTree) -> int:
        """Register a production batch (paying its device fee); the batch id."""
        count = len(tree)
        if len(product) != 32 or product == bytes(32):
            raise InputError("the product id must be 32 bytes and not all zero")
        tx = self._paying(
            "Licensing.register_batch",
            self.licensing.register_batch,
            sender,
            lambda: self.device_fee(sender.address, count),
            "register the batch",
            product,
            tree.root,
            count,
        )
        return int(tx.events.filter(self.licensing.BatchRegistered)[0].batch)

    def device_payload(self, batch: int, tree: DeviceTree, serial: bytes) -> qr.DevicePayload:
        """The QR payload proving `serial` is in `batch` (whose tree is `tree`)."""
        view = self.batch(batch)
        if view.root != tree.root:
            raise LicensingError(f"batch #{batch} on chain has another root than this tree")
        if tree.index(serial) >= view.count:
            raise LicensingError(f"batch #{batch} paid for {view.count:,} devices, not this one")
        return qr.DevicePayload(
            self._chain_id(),
            str(self.licensing.address),
            batch,
            tree.index(serial),
            serial,
            tree.proof(serial),
        )

    # -- licence claims -----------------------------------------------------------------

    def domain(self) -> Any:
        return claims.domain(self._chain_id(), str(self.licensing.address))

    def sign_claim(self, signer: Any, claim: claims.LicenceClaim) -> qr.ClaimPayload:
        """The holder signs a claim with its ape account; the QR payload carrying it."""
        if as_address(claim.holder) != signer.address:
            raise InputError("only the claim's holder signs it")
        sig = sign_typed(signer, claim.typed(self.domain()))
        signature = sig.r + sig.s + bytes([sig.v])
        facts = claims.read_facts(self.licensing, claim)
        verdict = claims.verify(claim, signature, self.domain(), facts)
        if not verdict.holds:
            raise LicensingError(f"the claim would not hold: {verdict.why}")
        return qr.ClaimPayload(self._chain_id(), str(self.licensing.address), claim, signature)

    def cancel_claims(self, sender: Any, below_nonce: int) -> Any:
        check_uint(below_nonce, "the nonce")

        def explain(reason: str) -> str | None:
            if reason == "licensing: the nonce floor only rises":
                floor = int(self.licensing.claim_nonce_floor(sender.address))
                return f"the nonce floor only rises: it is {floor}"
            return None

        return transact(
            "Licensing.cancel_claims",
            self.licensing.cancel_claims,
            below_nonce,
            sender=sender,
            explain=explain,
        )

    def verify(self, text: str) -> qr.Verdict:
        """Answer a scanned QR payload: licensed or not, and why."""
        return qr.verify(text, self.licensing, self._chain_id())

    # -- council calls ---------------------------------------------------------------

    def _call(self, method: str, *args: Any, explain: Explain | None = None, **fields: str) -> Call:
        what = f"Licensing.{method}"
        return proposal_call(what, self.licensing, method, *args, explain=explain, **fields)

    def call_set_tier(self, kind: Kind, price: int) -> Call:
        return self._call("set_tier", int(kind), check_uint(price, "a tier price"))

    def call_set_large_enterprise_rate(self, price_per_bps: int) -> Call:
        return self._call("set_large_enterprise_rate", check_uint(price_per_bps, "the rate"))

    def call_set_min_term(self, seconds: int) -> Call:
        return self._call("set_min_term", check_uint(seconds, "the minimum term"))

    def call_grant(self, member: str) -> Call:
        who = as_address(member)
        return self._call("grant", who, who=who)

    def call_revoke(self, holder: str) -> Call:
        who = as_address(holder)

        def explain(reason: str) -> str | None:
            if reason == "licensing: only an expelled member's BPR is revoked":
                status = codes.label(Status(int(self.alliance.status_of(who))))
                return f"{who} is {status}: only an expelled member's BPR is revoked"
            return None

        return self._call("revoke", who, explain=explain, who=who)

    def call_set_surcharge(self, surcharge_bps: int) -> Call:
        return self._call("set_surcharge", check_uint(surcharge_bps, "the surcharge"))

    def call_set_agreement(self, kind: AgreementKind, digest: bytes) -> Call:
        """The council's call making `digest` (an agreement document's, `pin_agreement`)
        the next version of `kind`'s standard agreement."""
        if len(digest) != 32 or digest == NO_AGREEMENT:
            raise InputError("the agreement digest must be 32 bytes and not all zero")
        return self._call("set_agreement", int(AgreementKind(kind)), digest)

    def call_set_device_schedule(
        self, free_per_year: int, low_rate: int, volume_break: int, high_rate: int, cap: int
    ) -> Call:
        schedule = (free_per_year, low_rate, volume_break, high_rate, cap)
        if min(schedule) < 0:
            raise InputError("the device schedule cannot hold negative numbers")
        return self._call("set_device_schedule", schedule)

    # -- helpers ---------------------------------------------------------------------

    def _paying(
        self,
        what: str,
        method: Any,
        sender: Any,
        amount: Callable[[], int],
        action: str,
        *args: Any,
        explain: Explain | None = None,
    ) -> Any:
        """Send `method(*args)`, which takes BPC from the sender: simulated first, the
        exact amount approved when only the allowance is short (see `transact_paying`)."""

        def too_poor(balance: int, owed: int) -> LicensingError:
            return LicensingError(
                f"{sender.address} holds {units(balance)} BPC; {action} takes {units(owed)}"
            )

        return transact_paying(
            what,
            method,
            *args,
            sender=sender,
            token=self.bpc,
            spender=self.licensing.address,
            amount=amount,
            too_poor=too_poor,
            explain=explain,
            who=sender.address,
        )

    @staticmethod
    def _chain_id() -> int:
        from ape import chain

        return int(chain.chain_id)
