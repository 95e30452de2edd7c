"""What an oracle node decides about one submission, as pure logic (no chain, no IPFS).

Given the submission as the pool logged it, its document's bytes (already checked
against their CID by the content store), the name in the contributor's identity
record and the office's record, `assess` either returns the certificate the node
will sign or refuses with a reason a person can act on. Every node running the same
inputs reaches the same certificate, field for field, so their signatures add up to
a quorum.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Source
from bpsa.oracle.feed import OfficeRecord


@dataclass(frozen=True)
class Checked:
    """A patent as a node checks it, new (`Submission`) or held (`Held`): its id, its
    office and number (`key`, how a node names it to people), document and contributor."""

    patent: bytes
    office: str
    number: str
    document: bytes  # the sha2-256 digest of the document's CID
    contributor: str

    @property
    def key(self) -> str:
        return f"{self.office} {self.number}"


@dataclass(frozen=True)
class Submission(Checked):
    """A Submitted event of PatentPool, with the block it was logged in."""

    source: Source
    block: int


@dataclass(frozen=True)
class Assessment:
    ok: bool
    reason: str
    certificate: certs.Certificate | None = None


def day_of(now: int) -> dt.date:
    """The UTC date of a chain time (unix seconds)."""
    return dt.datetime.fromtimestamp(now, dt.UTC).date()


def same_name(a: str, b: str) -> bool:
    """Names compared as an office and a KYC record would both write them: Unicode
    normalised, case and runs of spaces ignored."""

    def norm(text: str) -> str:
        folded = unicodedata.normalize("NFKC", text).casefold()
        return " ".join(unicodedata.normalize("NFKC", folded).split())

    return norm(a) == norm(b)


def check_document(sub: Submission, content: bytes) -> str | None:
    """Why the document does not belong to the submission, or None. A BPSA patent
    document (JSON naming office and number) must name the submitted key; any other
    format (a PDF of the grant, say) is accepted as the content the CID names."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or "office" not in data or "number" not in data:
        return None
    if (str(data["office"]), str(data["number"])) != (sub.office, sub.number):
        return f"the document describes {data['office']} {data['number']}, not {sub.key}"
    return None


def assess(
    sub: Submission,
    content: bytes,
    owner_name: str | None,
    record: OfficeRecord | None,
    now: int,
    nonce: int,
    others: Mapping[str, str | None] | None = None,
) -> Assessment:
    """The certificate to sign for `sub`, or the reason to refuse it.

    `owner_name`: the name in the contributor's identity record (None if it has none);
    `nonce`: the certificate nonce to use (the last on chain for this patent and
    document, plus one); `others`: the identity-record names of the other addresses an
    earlier certificate of this patent named (a member posing as the owner under the
    owner's name is refused when the owner held a certificate before)."""
    if sub.source == Source.USAGE_RIGHT:
        return Assessment(
            False,
            "a usage right's certificate names the owner abroad by address, which the office "
            "feed does not give: an oracle certifies it by hand (ape run pool sign-certificate)",
        )
    mismatch = check_document(sub, content)
    if mismatch:
        return Assessment(False, mismatch)
    if record is None:
        return Assessment(False, f"the office has no record of {sub.key}")
    standing = record.on(day_of(now))
    if standing.status != CertStatus.IN_FORCE:
        return Assessment(False, standing.reason)
    expiry = standing.expiry_time()
    if owner_name is None:
        return Assessment(False, f"the contributor {sub.contributor} has no identity record")
    if not same_name(owner_name, record.owner):
        return Assessment(
            False,
            f"the office names {record.owner!r} as owner, the contributor's identity record "
            f"names {owner_name!r}",
        )
    rivals = [a for a, name in (others or {}).items() if name and same_name(name, record.owner)]
    if rivals:
        return Assessment(
            False,
            f"two members answer to the owner's name {record.owner!r}: the contributor "
            f"{sub.contributor} and {', '.join(rivals)}, named by an earlier certificate of "
            f"{sub.key}; the council must resolve whose identity record is true",
        )
    certificate = certs.Certificate(
        sub.office,
        sub.number,
        sub.document,
        sub.contributor,
        CertStatus.IN_FORCE,
        expiry,
        nonce,
    )
    return Assessment(True, f"{sub.key} in force, owned by {record.owner}", certificate)


# -- renewals ------------------------------------------------------------------------------

LEAD = 90 * 86_400  # a node starts checking a certificate's renewal this long before expiry
RECHECK = 86_400  # and from then checks again this often (chain time)
SURVEY = 30 * 86_400  # and reads every held patent's record at least this often


@dataclass(frozen=True)
class Held(Checked):
    """A certified or pooled patent as a node re-checks it: its key and document, its
    contributor, and the certificate that holds for them on chain now."""

    status: CertStatus  # the on-chain certificate's
    expiry: int
    nonce: int


@dataclass(frozen=True)
class Renewal:
    """What a node does about a held patent now: sign `certificate` (None: nothing to
    sign), why, and when (chain time) to look at it again."""

    certificate: certs.Certificate | None
    reason: str
    next_check: int


def assess_renewal(
    held: Held,
    owner_name: str | None,
    record: OfficeRecord | None,
    now: int,
    lead: int = LEAD,
    recheck: int = RECHECK,
) -> Renewal:
    """The certificate that brings `held`'s on-chain certificate up to the office's record
    today, or why there is none. In force with a later due date (the fee paid, on time or
    late): a renewal to the next due date. Fee unpaid: a certificate saying so, expiring
    at its due date (the pool keeps the patent through its grace period). Lapsed, term
    ended or invalidated: a certificate saying so (anyone may then expire the patent).
    A certificate in force with no fee recorded yet: looked at again `lead` before its
    expiry (or within `SURVEY`, for an invalidation), then every `recheck`."""
    later = now + recheck
    if record is None:
        return Renewal(None, f"the office has no record of {held.key}", later)
    standing = record.on(day_of(now))
    expiry = standing.expiry_time()
    dated = standing.status in (CertStatus.IN_FORCE, CertStatus.FEE_UNPAID)
    if dated:  # a certificate that holds names the contributor: the office must too
        if owner_name is None:
            return Renewal(
                None,
                f"the contributor {held.contributor} has no identity record to match the "
                f"office's owner {record.owner!r} (the fund's patents, for one): no renewal; "
                "an oracle signs it by hand once the office records the assignment",
                later,
            )
        if not same_name(owner_name, record.owner):
            return Renewal(
                None,
                f"the office names {record.owner!r} as owner of {held.key}, not the "
                f"contributor {held.contributor} ({owner_name!r}): no renewal",
                later,
            )
    if standing.status == held.status and (expiry == held.expiry or not dated):
        if standing.status == CertStatus.IN_FORCE:  # nothing recorded yet: look again later
            reason = f"{held.key} in force until {standing.until}"
            return Renewal(None, reason, max(later, min(held.expiry - lead, now + SURVEY)))
        return Renewal(None, standing.reason, later)
    if standing.status == CertStatus.IN_FORCE and expiry < held.expiry:
        return Renewal(
            None, f"the office gives {held.key} an earlier due date than its certificate", later
        )
    certificate = certs.Certificate(
        held.office,
        held.number,
        held.document,
        held.contributor,
        standing.status,
        expiry,
        held.nonce + 1,
    )
    if standing.status == CertStatus.IN_FORCE:
        late = " (paid late)" if held.status == CertStatus.FEE_UNPAID else ""
        reason = f"{held.key} renewed{late}: in force until {standing.until}"
    else:
        reason = standing.reason
    return Renewal(certificate, reason, later)
