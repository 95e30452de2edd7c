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
class Submission:
    """A Submitted event of PatentPool, with the block it was logged in."""

    patent: bytes
    office: str
    number: str
    document: bytes  # the sha2-256 digest of the document's CID
    contributor: str
    source: Source
    block: int

    @property
    def key(self) -> str:
        return f"{self.office} {self.number}"


@dataclass(frozen=True)
class Assessment:
    ok: bool
    reason: str
    certificate: certs.Certificate | None = None


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
    if record.status != CertStatus.IN_FORCE:
        status = record.status.name.lower().replace("_", "-")
        return Assessment(False, f"the office records {sub.key} as {status}")
    expiry = record.expiry_time()
    if expiry <= now:
        due = dt.datetime.fromtimestamp(expiry, dt.UTC).date().isoformat()
        return Assessment(False, f"{sub.key}'s maintenance fee fell due on {due}")
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
