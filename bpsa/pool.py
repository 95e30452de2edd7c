"""A typed SDK over one collection's pool: PatentPool, Certificates, BPC, Royalties, Fund.

Like `bpsa.suite`, every operation checks its input against the chain first and
raises a `BpsaError` subclass naming what is wrong (unknown patent, wrong state, not
an expert, nothing to claim) instead of sending a transaction that would revert.
Owner operations (pool, remove, parameters, split, fund payments) are built as
proposal calls for the council (`call_*`), as `Suite.call_*` are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NewType

from bpsa import certificates as certs
from bpsa import codes
from bpsa.codes import BPS, Lapse, PatentStatus, Removal, Role, Source
from bpsa.deploy import check_expert_threshold
from bpsa.errors import BpsaError, InputError, ManifestError
from bpsa.suite import Call, as_address, reverts_as_errors

Wei = NewType("Wei", int)  # BPC or valuation units, 18 decimals
ONE = 10**18
ZERO_ADDRESS = "0x" + "00" * 20
POOL_CONTRACTS = ("Certificates", "Fund", "BPC", "Royalties", "PatentPool")


class PoolError(BpsaError):
    """A pool operation does not fit the patent's state or the caller's roles."""


class CertificateError(BpsaError):
    """A certificate, batch or signature set the Certificates contract would refuse."""


def units(amount: int) -> str:
    """18-decimal fixed point as a plain decimal string (500000000000000000000 -> '500')."""
    text = format(Decimal(amount) / ONE, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def parse_units(text: str, what: str) -> Wei:
    """'500' or '12.5' (whole units) -> wei; refuses negatives and more than 18 decimals."""
    try:
        value = Decimal(text)
    except Exception:
        raise InputError(f"{what} must be a number, got {text!r}") from None
    if value < 0 or not value.is_finite():
        raise InputError(f"{what} must be a non-negative number, got {text!r}")
    wei = value * ONE
    if wei != wei.to_integral_value():
        raise InputError(f"{what} has more than 18 decimals: {text!r}")
    return Wei(int(wei))


def parse_time(text: str, what: str) -> int:
    """Unix seconds, or an ISO date (YYYY-MM-DD, midnight UTC)."""
    if text.isdigit():
        return int(text)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{what} must be unix seconds or YYYY-MM-DD, got {text!r}") from None
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def date_of(timestamp: int) -> str:
    """Unix seconds as an ISO date (UTC), for people."""
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date().isoformat()


GRACE_PERIOD_MAX = 365 * 86_400  # PatentPool's bound on the grace period for late fees

DURATION_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "y": 365 * 86_400}


def parse_duration(text: str, what: str = "DURATION") -> int:
    """Seconds from '3600', '90m', '12h', '30d' or '2y' (a year is 365 days)."""
    number, unit = (text[:-1], text[-1]) if text[-1:] in DURATION_UNITS else (text, "s")
    if not number.isdigit():
        raise InputError(f"{what} must be seconds or a whole number with s/m/h/d/y, got {text!r}")
    return int(number) * DURATION_UNITS[unit]


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

    def describe(self, key: str = "") -> str:
        head = key or "0x" + self.patent.hex()[:16]
        source = codes.label(self.source) if self.source else "-"
        rating = f"score={self.score} value={units(self.valuation)}" if self.rated_at else "unrated"
        return (
            f"{head:<22} {codes.label(self.status):<10} {source:<12} {rating} "
            f"contributor={self.contributor}"
        )


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
        self.start_block = start_block  # the pool's deployment block: logs start there

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

    def nav(self) -> int:
        return int(self.pool.nav())

    def supply(self) -> int:
        return int(self.bpc.totalSupply())

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
        if source in (Source.PURCHASED, Source.FILED):
            raise InputError("purchased and filed patents are submitted by a council proposal")
        if not self.alliance.has_role(sender.address, int(Role.PROVIDER)):
            raise PoolError(f"{sender.address} is not an active member with the provider role")
        self._check_submission(
            patent, office, number, document, source, centre, right_ends, sender.address
        )
        with reverts_as_errors("PatentPool.submit"):
            self.pool.submit(
                office,
                number,
                document,
                int(source),
                centre or ZERO_ADDRESS,
                right_ends,
                sender=sender,
            )
        return patent

    def _check_submission(
        self,
        patent: bytes,
        office: str,
        number: str,
        document: bytes,
        source: Source,
        centre: str | None,
        right_ends: int,
        contributor: str,
    ) -> None:
        if len(document) != 32 or document == bytes(32):
            raise InputError("the document digest must be 32 bytes and not all zero")
        status = self.patent(patent).status
        if status not in (
            PatentStatus.NONE,
            PatentStatus.REMOVED,
            PatentStatus.EXPIRED,
            PatentStatus.WITHDRAWN,
        ):
            raise PoolError(f"{office} {number} is already in the registry ({codes.label(status)})")
        if centre and not self.alliance.has_role(as_address(centre), int(Role.TRUSTEESHIP_CENTRE)):
            raise PoolError(f"{centre} is not an active trusteeship centre")
        if self.pool.is_seller_of_record(patent, contributor):
            raise PoolError(
                f"{contributor} sold {office} {number} on the exchange: it may submit it again "
                "once it buys it back, or once the council clears it (after the office names "
                "it owner again)"
            )
        if source == Source.USAGE_RIGHT and right_ends <= self._now():
            raise InputError("a usage right needs an end date in the future")
        if source != Source.USAGE_RIGHT and right_ends:
            raise InputError("only a usage right has an end date")

    def withdraw(self, sender: Any, patent: bytes) -> Any:
        view = self._require(
            patent, (PatentStatus.SUBMITTED, PatentStatus.CERTIFIED, PatentStatus.RATED), "withdraw"
        )
        if view.contributor != sender.address:
            raise PoolError(f"only the contributor {view.contributor} may withdraw it")
        with reverts_as_errors("PatentPool.withdraw"):
            return self.pool.withdraw(patent, sender=sender)

    # -- certificates -------------------------------------------------------------------

    def domain(self) -> Any:
        from ape import chain

        return certs.domain(int(chain.chain_id), str(self.certificates.address))

    def _check_signers(self, signatures: Iterable[certs.Signature]) -> list[Any]:
        sigs = list(signatures)
        threshold = int(self.certificates.threshold())
        if len(sigs) < threshold:
            raise CertificateError(f"{len(sigs)} signature(s) given; the threshold is {threshold}")
        for sig in sigs:
            if not self.alliance.has_role(sig.signer, int(Role.ORACLE)):
                raise CertificateError(f"{sig.signer} is not an active oracle")
        return certs.quorum(sigs)

    def attest(
        self, sender: Any, cert: certs.Certificate, signatures: Iterable[certs.Signature]
    ) -> Any:
        ordered = self._check_signers(signatures)
        last = int(self.certificates.certificate(cert.patent, cert.document)[3])
        if cert.nonce <= last:
            raise CertificateError(
                f"nonce {cert.nonce} is used: the last for this patent is {last}"
            )
        with reverts_as_errors("Certificates.attest"):
            return self.certificates.attest(cert.as_arg(), ordered, sender=sender)

    def attest_batch(
        self, sender: Any, tree: certs.MerkleTree, signatures: Iterable[certs.Signature]
    ) -> Any:
        ordered = self._check_signers(signatures)
        if int(self.certificates.roots(tree.root)):
            raise CertificateError(f"root 0x{tree.root.hex()} was already used")
        with reverts_as_errors("Certificates.attest_batch"):
            return self.certificates.attest_batch(tree.root, len(tree), ordered, sender=sender)

    def prove(self, sender: Any, cert: certs.Certificate, tree: certs.MerkleTree) -> Any:
        proof = tree.proof(cert.leaf())
        if not self.certificates.verify_proof(cert.as_arg(), tree.root, proof):
            raise CertificateError("the batch root is not accepted (or was revoked) on chain")
        with reverts_as_errors("Certificates.prove"):
            return self.certificates.prove(cert.as_arg(), tree.root, proof, sender=sender)

    def revoke(
        self,
        sender: Any,
        office: str,
        number: str,
        document: bytes,
        nonce: int,
        signatures: Iterable[certs.Signature],
    ) -> Any:
        ordered = self._check_signers(signatures)
        owner, status, _, last = self.certificates.certificate(
            certs.patent_id(office, number), document
        )
        if int(last) != nonce or int(owner, 16) == 0:
            raise CertificateError(
                f"no certificate {nonce} for {office} {number} and that document"
            )
        if int(status) == int(codes.CertStatus.REVOKED):
            raise CertificateError(f"certificate {nonce} of {office} {number} is already revoked")
        with reverts_as_errors("Certificates.revoke"):
            return self.certificates.revoke(office, number, document, nonce, ordered, sender=sender)

    def certify(self, sender: Any, patent: bytes) -> Any:
        self._require(patent, (PatentStatus.SUBMITTED,), "certify")
        lapse = Lapse(int(self.pool.lapse_of(patent)))
        if lapse != Lapse.NONE:
            raise CertificateError(f"the certificate does not hold: {codes.label(lapse)}")
        with reverts_as_errors("PatentPool.certify"):
            return self.pool.certify(patent, sender=sender)

    # -- experts ---------------------------------------------------------------------

    def rate(self, sender: Any, patent: bytes, score: int, valuation: int) -> Any:
        if not self.alliance.has_role(sender.address, int(Role.EXPERT)):
            raise PoolError(f"{sender.address} is not an active expert")
        view = self._require(
            patent, (PatentStatus.CERTIFIED, PatentStatus.RATED, PatentStatus.POOLED), "rate"
        )
        if view.contributor == sender.address:
            raise PoolError("an expert cannot rate its own patent")
        if not 0 <= score <= 100:
            raise InputError(f"score must be 0 to 100, got {score}")
        if not 0 < valuation <= 10**33:
            raise InputError("valuation must be positive and at most 10^33 (10^15 units)")
        due = view.rated_at + int(self.pool.rerate_interval())
        if view.rated_at and self._now() < due:
            raise PoolError(f"not due for re-rating until {due}")
        if any(str(b.expert) == sender.address for b in self.pool.ballots_of(patent)):
            raise PoolError(f"{sender.address} already rated this round")
        with reverts_as_errors("PatentPool.rate"):
            return self.pool.rate(patent, score, valuation, sender=sender)

    # -- anyone ------------------------------------------------------------------------

    def expire(self, sender: Any, patent: bytes) -> Any:
        view = self._require(
            patent, (PatentStatus.CERTIFIED, PatentStatus.RATED, PatentStatus.POOLED), "expire"
        )
        lapse = Lapse(int(self.pool.lapse_of(patent)))
        if lapse == Lapse.NONE:
            raise PoolError("its certificate is still in force")
        if lapse == Lapse.PAST_EXPIRY:
            expiry = int(self.certificates.certificate(patent, view.document)[2])
            until = expiry + int(self.pool.grace_period())
            if self._now() < until:
                raise PoolError(
                    f"its maintenance fee fell due on {date_of(expiry)}; the office takes it "
                    f"late until {date_of(until)} (the grace period): it may be expired then"
                )
        with reverts_as_errors("PatentPool.expire"):
            return self.pool.expire(patent, sender=sender)

    def remove_below_core(self, sender: Any, patent: bytes) -> Any:
        view = self._require(patent, (PatentStatus.POOLED,), "remove")
        core = int(self.pool.core_threshold())
        if view.score >= core:
            raise PoolError(f"its score {view.score} is not under the core threshold {core}")
        with reverts_as_errors("PatentPool.remove_below_core"):
            return self.pool.remove_below_core(patent, sender=sender)

    def pay(self, sender: Any, amount: int, reference: bytes) -> Any:
        """Pay a fee in BPC into the royalties (approves the exact amount first)."""
        if amount <= 0:
            raise InputError("the fee must be positive")
        balance = int(self.bpc.balanceOf(sender.address))
        if balance < amount:
            raise PoolError(
                f"{sender.address} holds {units(balance)} BPC, less than {units(amount)}"
            )
        if int(self.bpc.allowance(sender.address, self.royalties.address)) < amount:
            self.bpc.approve(self.royalties.address, amount, sender=sender)
        with reverts_as_errors("Royalties.pay"):
            return self.royalties.pay(amount, reference, sender=sender)

    def claimable(self, who: str) -> int:
        return int(self.royalties.claimable(as_address(who)))

    def claim(self, sender: Any) -> Any:
        if self.claimable(sender.address) == 0:
            raise PoolError(f"{sender.address} has no royalties to claim")
        with reverts_as_errors("Royalties.claim"):
            return self.royalties.claim(sender=sender)

    # -- council calls ---------------------------------------------------------------

    @staticmethod
    def _call(contract: Any, method: str, *args: Any) -> Call:
        return (str(contract.address), bytes(getattr(contract, method).encode_input(*args)))

    def call_pool(self, patent: bytes) -> Call:
        view = self._require(patent, (PatentStatus.RATED,), "pool")
        core = int(self.pool.core_threshold())
        if view.score < core:
            raise PoolError(f"its score {view.score} is under the core threshold {core}")
        return self._call(self.pool, "pool", patent)

    def call_remove(self, patent: bytes, reason: Removal) -> Call:
        self._require(
            patent,
            (
                PatentStatus.SUBMITTED,
                PatentStatus.CERTIFIED,
                PatentStatus.RATED,
                PatentStatus.POOLED,
            ),
            "remove",
        )
        return self._call(self.pool, "remove", patent, int(reason))

    def call_submit_for_fund(
        self, office: str, number: str, document: bytes, source: Source, centre: str | None = None
    ) -> Call:
        if source not in (Source.PURCHASED, Source.FILED):
            raise InputError("the council submits only purchased or filed patents for the fund")
        patent = certs.patent_id(office, number)
        self._check_submission(
            patent, office, number, document, source, centre, 0, str(self.fund.address)
        )
        return self._call(
            self.pool, "submit", office, number, document, int(source), centre or ZERO_ADDRESS, 0
        )

    def call_set_parameters(
        self, expert_threshold: int, core_threshold: int, interval: int
    ) -> Call:
        check_expert_threshold(expert_threshold)
        if not 0 <= core_threshold <= 100:
            raise InputError("core threshold must be 0 to 100")
        if not 0 <= interval <= 10 * 365 * 86400:
            raise InputError("re-rating interval must be 0 to ten years (in seconds)")
        return self._call(self.pool, "set_parameters", expert_threshold, core_threshold, interval)

    def call_set_grace_period(self, seconds: int) -> Call:
        """The grace period after a certificate's expiry before its patent may be expired."""
        if not 0 <= seconds <= GRACE_PERIOD_MAX:
            raise InputError("the grace period must be 0 to one year (365 days)")
        return self._call(self.pool, "set_grace_period", seconds)

    def call_clear_seller(self, patent: bytes, seller: str) -> Call:
        """Clear the patent's seller of record once the office names it owner again (the
        patent must have left the registry: while it is in, its holder may ride the
        certificate that names the seller)."""
        status = self.patent(patent).status
        if PatentStatus.SUBMITTED <= status <= PatentStatus.POOLED:
            raise PoolError(
                f"0x{bytes(patent).hex()} is {codes.label(status)}: "
                "clear its seller once it has left the registry"
            )
        if not self.pool.is_seller_of_record(patent, as_address(seller)):
            raise PoolError(f"{seller} is not the seller of record of 0x{bytes(patent).hex()}")
        return self._call(self.pool, "clear_seller", patent, as_address(seller))

    def call_set_oracle_threshold(self, threshold: int) -> Call:
        if not 1 <= threshold <= certs.MAX_SIGNATURES:
            raise InputError("oracle threshold must be 1 to 16")
        return self._call(self.certificates, "set_threshold", threshold)

    def call_set_split(self, contributor_bps: int, centre_bps: int, fund_bps: int) -> Call:
        shares = (contributor_bps, centre_bps, fund_bps)
        if min(shares) < 0 or sum(shares) != BPS:
            raise InputError(f"shares must be non-negative and add up to {BPS} bps, got {shares}")
        return self._call(self.royalties, "set_split", *shares)

    def call_fund_approve(self, spender: str, amount: int) -> Call:
        """The fund lets `spender` (a contract settling a purchase) take `amount` BPC."""
        if amount < 0:
            raise InputError("an allowance cannot be negative")
        return self._call(self.fund, "approve", self.bpc.address, as_address(spender), amount)

    def call_fund_claim(self) -> Call:
        """The fund collects its royalties (as contributor of purchased and filed patents)."""
        earned = self.claimable(str(self.fund.address))
        if earned == 0:
            raise PoolError("the fund has no royalties to claim")
        return self._call(self.fund, "claim", self.royalties.address)

    def call_fund_pay(self, to: str, amount: int, memo: bytes) -> Call:
        """The fund pays `amount` BPC to `to` (e.g. the seller of a patent it buys)."""
        balance = int(self.bpc.balanceOf(self.fund.address))
        if amount <= 0 or amount > balance:
            raise InputError(f"the fund holds {units(balance)} BPC; cannot pay {units(amount)}")
        return self._call(self.fund, "pay", self.bpc.address, as_address(to), amount, memo)

    # -- helpers ---------------------------------------------------------------------

    def _require(self, patent: bytes, allowed: tuple[PatentStatus, ...], action: str) -> PatentView:
        view = self.patent(patent)
        if view.status == PatentStatus.NONE:
            raise PoolError(f"cannot {action} 0x{bytes(patent).hex()}: unknown patent")
        if view.status not in allowed:
            wanted = " or ".join(codes.label(s) for s in allowed)
            raise PoolError(f"cannot {action} it: it is {codes.label(view.status)}, not {wanted}")
        return view

    @staticmethod
    def _now() -> int:
        from ape import chain

        return int(chain.pending_timestamp)


def sign_typed(account: Any, full: dict[str, Any]) -> certs.Signature:
    """Sign EIP-712 typed data with an ape account (test account, keystore, hardware)."""
    from eth_account.messages import encode_typed_data

    signature = account.sign_message(encode_typed_data(full_message=full))
    if signature is None:
        raise CertificateError(f"{account.address} declined to sign")
    # ape drops an r or s's leading zero bytes (one signature in 128): pad back to 32.
    r, s = bytes(signature.r).rjust(32, b"\0"), bytes(signature.s).rjust(32, b"\0")
    return certs.Signature(str(account.address), int(signature.v), r, s)
