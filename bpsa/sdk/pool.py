"""A typed SDK over one collection's pool: PatentPool, Certificates, BPC, Royalties, Fund.

Like `bpsa.sdk.alliance`, every operation simulates its call before it sends it and raises the
`BpsaError` subclass `bpsa.sdk.reverts` maps the contract's refusal to (unknown patent, wrong
state, not an expert, nothing to claim), explained with what the chain says; nothing is
sent when the call would revert. Owner operations (pool, remove, parameters, split, fund
payments) are built as proposal calls for the council (`call_*`), simulated as the
council would make them, as `Suite.call_*` are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from bpsa.core import certificates as certs
from bpsa.core import codes
from bpsa.core.cid import digest_of
from bpsa.core.codes import PatentStatus, Removal, Source
from bpsa.core.errors import (
    CertificateError as CertificateError,  # re-exported from bpsa.core.errors
)
from bpsa.core.errors import InputError, ManifestError
from bpsa.core.errors import PoolError as PoolError  # re-exported from bpsa.core.errors
from bpsa.core.units import Amount, units, when
from bpsa.sdk.alliance import Call, as_address
from bpsa.sdk.families import Families
from bpsa.sdk.mandates import Mandates
from bpsa.sdk.reverts import Explain, chain_time, proposal_call, transact, transact_paying

ZERO_ADDRESS = "0x" + "00" * 20
POOL_CONTRACTS = ("Certificates", "Fund", "BPC", "Royalties", "PatentPool")

# Reasons that say a patent is not in the status an operation needs: explained with its status.
PATENT_STATUS_REASONS = frozenset(
    {
        "pool: unknown patent",
        "pool: patent is not awaiting certification",
        "pool: patent is not certified",
        "pool: patent is not in the registry",
        "pool: patent is not pooled",
        "pool: patent is not rated",
        "pool: only a patent not yet pooled can be withdrawn",
    }
)
FEWER_SIGNATURES = "certificates: fewer signatures than the threshold"


@dataclass(frozen=True)
class PatentView:
    patent: bytes
    status: PatentStatus
    source: Source | None
    contributor: str
    centre: str
    document: bytes
    right_ends: int
    score: int
    valuation: int
    rated_at: int
    rounds: int

    def describe(self, key: str = "", unit: str = "") -> str:
        """One line; `unit`: the pool's valuation unit, printed after the value."""
        head = key or "0x" + self.patent.hex()[:16]
        source = codes.label(self.source) if self.source else "-"
        value = f"{units(self.valuation)} {unit}".rstrip()
        rating = f"score={self.score} value={value}" if self.rated_at else "unrated"
        return (
            f"{head:<22} {codes.label(self.status):<10} {source:<12} {rating} "
            f"contributor={self.contributor}"
        )


@dataclass(frozen=True)
class RatingDue:
    """When a patent's valuation falls due for re-rating (`PatentPool.rating_due`): its
    last settled rating + the council's re-rating interval now. `stale`: rated or pooled
    and past that date, as of the chain's latest block (experts may re-rate it)."""

    due: int  # unix seconds; 0: never rated
    stale: bool

    def describe(self, now: int | None = None) -> str:
        """ "stale since <date>" / "re-rating due <date>" (ISO-8601, UTC, and how far from
        `now`, the chain's time, when given), or "never rated"."""
        if not self.due:
            return "never rated"
        date = when(self.due, now)
        return f"stale since {date}" if self.stale else f"re-rating due {date}"


def iso_time(timestamp: int) -> str:
    """Unix seconds as ISO-8601 UTC to the second ("2027-01-31T12:00:00Z")."""
    import datetime as dt

    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ContentStore(Protocol):
    """What stores an expert's reasoning document: bpsa.oracle.store's stores (the IPFS
    daemon, or the local store), whose CIDs are the ones `ipfs add --cid-version 1` gives."""

    def put(self, data: bytes) -> str: ...

    def put_file(self, path: Path) -> str: ...


def reasoning_digest(source: str | Path, store: ContentStore | None = None) -> tuple[bytes, str]:
    """An expert's reasoning document as `rate` takes it: (the digest the pool logs, the
    CID). `source` is the document's file, stored (pinned) in `store` first, or the CID (or
    0x digest) of one already stored. InputError for a file with no store, or a text that
    is neither a file nor a CID."""
    path = Path(source)
    if isinstance(source, Path) or path.is_file():
        if not path.is_file():
            raise InputError(f"no reasoning document at {path}")
        if store is None:
            raise InputError("a reasoning file needs a content store to pin it in")
        cid = store.put_file(path)
        return digest_of(cid), cid
    text = str(source)
    digest = digest_of(text)  # InputError: neither a CID nor a 0x digest
    return digest, text


class Pool:
    """The pool contracts by manifest name."""

    def __init__(self, contracts: dict[str, Any], alliance: Any, start_block: int = 0) -> None:
        missing = [name for name in POOL_CONTRACTS if name not in contracts]
        if missing:
            raise ManifestError(f"the deployment lacks {', '.join(missing)}: deploy the pool")
        self.alliance = alliance
        self.certificates = contracts["Certificates"]
        self.fund = contracts["Fund"]
        self.bpc = contracts["BPC"]
        self.royalties = contracts["Royalties"]
        self.pool = contracts["PatentPool"]
        self._mandates = contracts.get("Mandates")  # deployments before issue 17 lack it
        self._families = contracts.get("Families")  # nor families
        self._unit: str | None = None  # the valuation unit, read once
        self.start_block = start_block  # the pool's deployment block: logs start there

    @property
    def mandates(self) -> Mandates:
        """The pool's trusteeship mandates (`bpsa.sdk.mandates`)."""
        if self._mandates is None:
            raise ManifestError("the deployment lacks Mandates: deploy the pool again")
        return Mandates(self._mandates)

    @property
    def has_families(self) -> bool:
        """Whether the deployment has a Families contract (deployed after issue 17)."""
        return self._families is not None

    @property
    def families(self) -> Families:
        """The pool's patent families (`bpsa.sdk.families`)."""
        if self._families is None:
            raise ManifestError("the deployment lacks Families: deploy the pool again")
        return Families(self._families, self.start_block)

    # -- views --------------------------------------------------------------------

    def patent(self, patent: bytes) -> PatentView:
        record = self.pool.patents(patent)
        status = PatentStatus(int(record.status))
        return PatentView(
            patent=bytes(patent),
            status=status,
            source=Source(int(record.source)) if record.source else None,
            contributor=str(record.contributor),
            centre=str(record.centre),
            document=bytes(record.document),
            right_ends=int(record.right_ends),
            score=int(record.score),
            valuation=int(record.valuation),
            rated_at=int(record.rated_at),
            rounds=int(record.rounds),
        )

    def rating_due(self, patent: bytes) -> RatingDue:
        """When the patent's valuation falls due for re-rating, and whether it is stale."""
        due, stale = self.pool.rating_due(patent)
        return RatingDue(int(due), bool(stale))

    def known(self, office: str, number: str) -> PatentView:
        """The patent at (office, number); `PoolError` if it was never submitted."""
        view = self.patent(certs.patent_id(office, number))
        if view.status == PatentStatus.NONE:
            raise PoolError(f"{office} {number} was never submitted to the pool")
        return view

    def submissions(self) -> list[tuple[str, str, bytes]]:
        """(office, number, id) of every submission, oldest first, from the Submitted logs."""
        from ape import chain

        head = int(chain.blocks.head.number)
        seen: dict[bytes, tuple[str, str, bytes]] = {}
        for log in self.pool.Submitted.range(self.start_block, head + 1):
            key = bytes(log.patent)
            seen.setdefault(key, (str(log.office), str(log.number), key))
        return list(seen.values())

    def valuation_unit(self) -> str:
        """The unit the experts value patents in (the council's: "USD" by default)."""
        if self._unit is None:
            self._unit = str(self.pool.valuation_unit())
        return self._unit

    def nav(self) -> Amount:
        """The net asset value of one BPC, in the valuation unit (an int with 18
        decimals that prints as `125 USD per BPC`)."""
        return Amount(int(self.pool.nav()), f"{self.valuation_unit()} per BPC")

    def supply(self) -> Amount:
        """BPC in circulation (an int with 18 decimals that prints as `500 BPC`)."""
        return Amount(int(self.bpc.totalSupply()), "BPC")

    # -- providers ------------------------------------------------------------------

    def submit(
        self,
        sender: Any,
        office: str,
        number: str,
        document: bytes,
        source: Source = Source.CONTRIBUTED,
        centre: str | None = None,
        right_ends: int = 0,
    ) -> bytes:
        """Submit a contributed patent or a usage right (the council submits the fund's
        through `call_submit_for_fund`). Returns the patent's id."""
        patent = certs.patent_id(office, number)
        transact(
            "PatentPool.submit",
            self.pool.submit,
            *self._submission(office, number, document, source, centre, right_ends),
            sender=sender,
            explain=self._explain_registered(patent, office, number),
            who=sender.address,
        )
        return patent

    @staticmethod
    def _submission(
        office: str,
        number: str,
        document: bytes,
        source: Source,
        centre: str | None,
        right_ends: int,
    ) -> tuple[Any, ...]:
        """`submit`'s arguments; the caller's own input checked (a digest's length, an
        address), the rest left to the contract."""
        if len(document) != 32 or document == bytes(32):
            raise InputError("the document digest must be 32 bytes and not all zero")
        if right_ends < 0:
            raise InputError("the end date cannot be negative")
        centre_address = as_address(centre) if centre else ZERO_ADDRESS
        return (office, number, document, int(source), centre_address, right_ends)

    def _explain_registered(self, patent: bytes, office: str, number: str) -> Explain:
        def explain(reason: str) -> str | None:
            if reason == "pool: patent already registered":
                status = codes.label(self.patent(patent).status)
                return f"{office} {number} is already in the registry ({status})"
            return None

        return explain

    def _on_patent(self, action: str, sender: Any, patent: bytes, **fields: str) -> Any:
        """`sender` sends PatentPool.`action`(patent) (withdraw, certify): simulated first,
        a refusal for the patent's status explained by its status now."""
        return transact(
            f"PatentPool.{action}",
            getattr(self.pool, action),
            patent,
            sender=sender,
            explain=self._explain_status(patent, action),
            **fields,
        )

    def withdraw(self, sender: Any, patent: bytes) -> Any:
        return self._on_patent("withdraw", sender, patent, who=sender.address)

    # -- certificates -------------------------------------------------------------------

    def domain(self) -> Any:
        from ape import chain

        return certs.domain(int(chain.chain_id), str(self.certificates.address))

    def _explain_signatures(self, given: int, then: Explain | None = None) -> Explain:
        """Explains too few signatures with the count and the threshold now."""

        def explain(reason: str) -> str | None:
            if reason == FEWER_SIGNATURES:
                threshold = int(self.certificates.threshold())
                return f"{given} signature(s) given; the threshold is {threshold}"
            return then(reason) if then else None

        return explain

    def attest(
        self, sender: Any, cert: certs.Certificate, signatures: Iterable[certs.Signature]
    ) -> Any:
        ordered = certs.quorum(list(signatures))

        def nonce_used(reason: str) -> str | None:
            if reason != "certificates: nonce already used":
                return None
            last = int(self.certificates.certificate(cert.patent, cert.document)[3])
            return f"nonce {cert.nonce} is used: the last for this patent is {last}"

        return transact(
            "Certificates.attest",
            self.certificates.attest,
            cert.as_arg(),
            ordered,
            sender=sender,
            explain=self._explain_signatures(len(ordered), nonce_used),
        )

    def attest_batch(
        self, sender: Any, tree: certs.MerkleTree, signatures: Iterable[certs.Signature]
    ) -> Any:
        ordered = certs.quorum(list(signatures))
        return transact(
            "Certificates.attest_batch",
            self.certificates.attest_batch,
            tree.root,
            len(tree),
            ordered,
            sender=sender,
            explain=self._explain_signatures(len(ordered)),
        )

    def prove(self, sender: Any, cert: certs.Certificate, tree: certs.MerkleTree) -> Any:
        proof = tree.proof(cert.leaf())
        return transact(
            "Certificates.prove",
            self.certificates.prove,
            cert.as_arg(),
            tree.root,
            proof,
            sender=sender,
        )

    def prove_many(
        self,
        sender: Any,
        chosen: Iterable[certs.Certificate],
        tree: certs.MerkleTree,
        chunk: int = 100,
    ) -> list[tuple[list[certs.Certificate], Any]]:
        """Enter `chosen` certificates of an accepted batch with multi-proofs, `chunk`
        at a time (1 to 255: a call of 100 costs about 3.5M gas), neighbours in the
        tree together. Returns each call's certificates and receipt; each call is
        simulated first, so a refused chunk raises before it is sent (the chunks before
        it stay entered)."""
        by_leaf = {c.leaf(): c for c in chosen}
        done = []
        for mp in certs.multiproof_chunks(tree, by_leaf, chunk):
            proven = [by_leaf[leaf] for leaf in mp.leaves]
            tx = transact(
                "Certificates.prove_many",
                self.certificates.prove_many,
                [c.as_arg() for c in proven],
                tree.root,
                mp.proof,
                mp.flags,
                sender=sender,
            )
            done.append((proven, tx))
        return done

    def revoke(
        self,
        sender: Any,
        office: str,
        number: str,
        document: bytes,
        nonce: int,
        signatures: Iterable[certs.Signature],
    ) -> Any:
        ordered = certs.quorum(list(signatures))

        def explain(reason: str) -> str | None:
            if reason == "certificates: no such certificate":
                return f"no certificate {nonce} for {office} {number} and that document"
            if reason == "certificates: already revoked":
                return f"certificate {nonce} of {office} {number} is already revoked"
            return None

        return transact(
            "Certificates.revoke",
            self.certificates.revoke,
            office,
            number,
            document,
            nonce,
            ordered,
            sender=sender,
            explain=self._explain_signatures(len(ordered), explain),
        )

    def certify(self, sender: Any, patent: bytes) -> Any:
        return self._on_patent("certify", sender, patent)

    # -- experts ---------------------------------------------------------------------

    def rate(self, sender: Any, patent: bytes, score: int, valuation: int, reasoning: bytes) -> Any:
        """An expert's ballot, with the digest of its reasoning document's CID
        (`reasoning_digest` stores a file and gives it)."""
        _non_negative(score, "score")
        _non_negative(valuation, "valuation")
        if len(reasoning) != 32:
            raise InputError("the reasoning digest must be 32 bytes (a CID's sha2-256 digest)")

        def explain(reason: str) -> str | None:
            if reason == "pool: not due for re-rating":
                due = self.rating_due(patent).due
                return f"not due for re-rating until {when(due, chain_time())}"
            return self._explain_status(patent, "rate")(reason)

        return transact(
            "PatentPool.rate",
            self.pool.rate,
            patent,
            score,
            valuation,
            reasoning,
            sender=sender,
            explain=explain,
            who=sender.address,
        )

    # -- anyone ------------------------------------------------------------------------

    def expire(self, sender: Any, patent: bytes) -> Any:
        def explain(reason: str) -> str | None:
            if reason == "pool: certificate expired; its grace period for late fees has not ended":
                document = self.patent(patent).document
                expiry = int(self.certificates.certificate(patent, document)[2])
                until = expiry + int(self.pool.grace_period())
                now = chain_time()
                return (
                    f"its maintenance fee fell due on {when(expiry, now)}; the office takes "
                    f"it late until {when(until, now)} (the grace period): it may be expired "
                    "then"
                )
            return self._explain_status(patent, "expire")(reason)

        return transact(
            "PatentPool.expire", self.pool.expire, patent, sender=sender, explain=explain
        )

    def remove_below_core(self, sender: Any, patent: bytes) -> Any:
        return transact(
            "PatentPool.remove_below_core",
            self.pool.remove_below_core,
            patent,
            sender=sender,
            explain=self._explain_score(patent, "remove"),
        )

    def pay(self, sender: Any, amount: int, reference: bytes) -> Any:
        """Pay a fee in BPC into the royalties (approving exactly the fee if the allowance
        is short)."""
        _non_negative(amount, "the fee")

        def too_poor(balance: int, owed: int) -> PoolError:
            return PoolError(
                f"{sender.address} holds {units(balance)} BPC, less than {units(owed)}"
            )

        return transact_paying(
            "Royalties.pay",
            self.royalties.pay,
            amount,
            reference,
            sender=sender,
            token=self.bpc,
            spender=self.royalties.address,
            amount=lambda: amount,
            too_poor=too_poor,
            who=sender.address,
        )

    def claimable(self, who: str) -> int:
        return int(self.royalties.claimable(as_address(who)))

    def claim(self, sender: Any) -> Any:
        return transact("Royalties.claim", self.royalties.claim, sender=sender, who=sender.address)

    # -- council calls ---------------------------------------------------------------

    def call_pool(self, patent: bytes) -> Call:
        explain = self._explain_score(patent, "pool")
        return proposal_call("PatentPool.pool", self.pool, "pool", patent, explain=explain)

    def call_remove(self, patent: bytes, reason: Removal) -> Call:
        return proposal_call(
            "PatentPool.remove",
            self.pool,
            "remove",
            patent,
            int(reason),
            explain=self._explain_status(patent, "remove"),
        )

    def call_submit_for_fund(
        self, office: str, number: str, document: bytes, source: Source, centre: str | None = None
    ) -> Call:
        patent = certs.patent_id(office, number)
        return proposal_call(
            "PatentPool.submit",
            self.pool,
            "submit",
            *self._submission(office, number, document, source, centre, 0),
            explain=self._explain_registered(patent, office, number),
            who="the fund",
        )

    def call_set_parameters(
        self, expert_threshold: int, core_threshold: int, interval: int
    ) -> Call:
        for value, what in (
            (expert_threshold, "expert threshold"),
            (core_threshold, "core threshold"),
            (interval, "re-rating interval"),
        ):
            _non_negative(value, what)
        return proposal_call(
            "PatentPool.set_parameters",
            self.pool,
            "set_parameters",
            expert_threshold,
            core_threshold,
            interval,
        )

    def call_set_grace_period(self, seconds: int) -> Call:
        """The grace period after a certificate's expiry before its patent may be expired."""
        _non_negative(seconds, "the grace period")
        return proposal_call("PatentPool.set_grace_period", self.pool, "set_grace_period", seconds)

    def call_clear_seller(self, patent: bytes, seller: str) -> Call:
        """Clear the patent's seller of record once the office names it owner again (the
        patent must have left the registry: while it is in, its holder may ride the
        certificate that names the seller)."""
        address = as_address(seller)

        def explain(reason: str) -> str | None:
            if reason == "pool: the patent is in the registry":
                status = codes.label(self.patent(patent).status)
                return (
                    f"0x{bytes(patent).hex()} is {status}: "
                    "clear its seller once it has left the registry"
                )
            if reason == "pool: not the seller of record of this patent":
                return f"{seller} is not the seller of record of 0x{bytes(patent).hex()}"
            return None

        return proposal_call(
            "PatentPool.clear_seller",
            self.pool,
            "clear_seller",
            patent,
            address,
            explain=explain,
        )

    def call_set_oracle_threshold(self, threshold: int) -> Call:
        _non_negative(threshold, "oracle threshold")
        return proposal_call(
            "Certificates.set_threshold", self.certificates, "set_threshold", threshold
        )

    def call_set_split(self, contributor_bps: int, centre_bps: int, fund_bps: int) -> Call:
        shares = (contributor_bps, centre_bps, fund_bps)
        if min(shares) < 0:
            raise InputError(f"shares cannot be negative, got {shares}")
        return proposal_call("Royalties.set_split", self.royalties, "set_split", *shares)

    def call_fund_approve(self, spender: str, amount: int) -> Call:
        """The fund lets `spender` (a contract settling a purchase) take `amount` BPC."""
        _non_negative(amount, "an allowance")
        return proposal_call(
            "Fund.approve", self.fund, "approve", self.bpc.address, as_address(spender), amount
        )

    def call_fund_claim(self) -> Call:
        """The fund collects its royalties (as contributor of purchased and filed patents)."""
        return proposal_call(
            "Fund.claim", self.fund, "claim", self.royalties.address, who="the fund"
        )

    def call_fund_pay(self, to: str, amount: int, memo: bytes) -> Call:
        """The fund pays `amount` BPC to `to` (e.g. the seller of a patent it buys)."""
        _non_negative(amount, "the amount")

        def explain(reason: str) -> str | None:
            if reason in ("fund: balance too low", "fund: amount is zero"):
                balance = int(self.bpc.balanceOf(self.fund.address))
                return f"the fund holds {units(balance)} BPC; cannot pay {units(amount)}"
            return None

        return proposal_call(
            "Fund.pay",
            self.fund,
            "pay",
            self.bpc.address,
            as_address(to),
            amount,
            memo,
            explain=explain,
        )

    # -- helpers ---------------------------------------------------------------------

    def _explain_status(self, patent: bytes, action: str) -> Explain:
        """Explains a status refusal with the patent's status now."""

        def explain(reason: str) -> str | None:
            if reason not in PATENT_STATUS_REASONS:
                return None
            status = self.patent(patent).status
            if status == PatentStatus.NONE:
                return f"cannot {action} 0x{bytes(patent).hex()}: unknown patent"
            return f"cannot {action} it: it is {codes.label(status)}"

        return explain

    def _explain_score(self, patent: bytes, action: str) -> Explain:
        """Explains a core-threshold refusal with the score and the threshold now."""

        def explain(reason: str) -> str | None:
            if reason == "pool: rating under the core threshold":
                score, core = self.patent(patent).score, int(self.pool.core_threshold())
                return f"its score {score} is under the core threshold {core}"
            if reason == "pool: rating is not under the core threshold":
                score, core = self.patent(patent).score, int(self.pool.core_threshold())
                return f"its score {score} is not under the core threshold {core}"
            return self._explain_status(patent, action)(reason)

        return explain


def _non_negative(value: int, what: str) -> None:
    """The caller's number must be a whole, non-negative one (a uint); its bounds are the
    contract's to check."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{what} must be a whole non-negative number, got {value!r}")


def sign_typed(account: Any, full: dict[str, Any]) -> certs.Signature:
    """Sign EIP-712 typed data with an ape account (test account, keystore, hardware)."""
    from eth_account.messages import encode_typed_data

    signature = account.sign_message(encode_typed_data(full_message=full))
    if signature is None:
        raise CertificateError(f"{account.address} declined to sign")
    # ape drops an r or s's leading zero bytes (one signature in 128): pad back to 32.
    r, s = bytes(signature.r).rjust(32, b"\0"), bytes(signature.s).rjust(32, b"\0")
    return certs.Signature(str(account.address), int(signature.v), r, s)
