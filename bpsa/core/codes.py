"""Member kinds, statuses, roles, proposal states and pool codes, as the contracts number them.

`contracts/codes.vy` and `contracts/Governance.vy` are the source of truth; a test
parses them and checks these tables against them.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import TypeVar

from bpsa.core.errors import InputError


class Kind(IntEnum):
    NON_PROFIT = 1
    START_UP = 2
    SME = 3
    LARGE_ENTERPRISE = 4
    INDIVIDUAL = 5


class Status(IntEnum):
    NONE = 0
    APPLIED = 1
    ACTIVE = 2
    SUSPENDED = 3
    EXPELLED = 4
    REJECTED = 5


class Role(IntFlag):
    PROVIDER = 1
    DEMANDER = 2
    TRUSTEESHIP_CENTRE = 4
    RIGHTS_PROTECTION_CENTRE = 8
    REGULATOR = 16
    TRADING_TEAM = 32
    EXPERT = 64
    ORACLE = 128


class ProposalState(IntEnum):
    NONE = 0
    VOTING = 1
    DEFEATED = 2
    QUEUED = 3
    READY = 4
    EXPIRED = 5
    EXECUTED = 6
    CANCELLED = 7


class Vote(IntEnum):
    NO = 0
    YES = 1
    ABSTAIN = 2


class PatentStatus(IntEnum):
    NONE = 0
    SUBMITTED = 1
    CERTIFIED = 2
    RATED = 3
    POOLED = 4
    REMOVED = 5
    EXPIRED = 6
    WITHDRAWN = 7


class Source(IntEnum):
    CONTRIBUTED = 1
    PURCHASED = 2
    FILED = 3
    USAGE_RIGHT = 4


class CertStatus(IntEnum):
    NONE = 0
    IN_FORCE = 1
    PENDING = 2
    LAPSED = 3
    INVALIDATED = 4
    FEE_UNPAID = 5  # a maintenance fee fell due unpaid; the office still takes it late
    REVOKED = 6


class Removal(IntEnum):
    BELOW_CORE = 1
    TRANSFERRED = 2
    SOLD = 3
    REJECTED = 4


class Lapse(IntEnum):
    NONE = 0
    NO_CERTIFICATE = 1
    NOT_IN_FORCE = 2
    PAST_EXPIRY = 3
    OWNER_CHANGED = 4
    RIGHT_ENDED = 5


class MandateState(IntEnum):
    """A trusteeship mandate's state (Mandates.mandate_of)."""

    NONE = 0
    OFFERED = 1
    IN_FORCE = 2
    EXPIRED = 3


class MandateEnd(IntEnum):
    """Why Mandates ended a mandate or offer (its MandateEnded event)."""

    BY_CONTRIBUTOR = 1
    BY_CENTRE = 2
    EXPIRED = 3
    CENTRE_LEFT = 4
    REPLACED = 5


class AgreementKind(IntEnum):
    """The kinds of licence the council sets a standard agreement for (Licensing's
    agreements module: `set_agreement(kind, digest)`, `agreement(kind, version)`)."""

    BPR = 1  # every tier's pool licence
    PER_PATENT = 2  # a per-patent listing that names no document of its own
    DEVICE = 3  # a device batch


class CaseStatus(IntEnum):
    NONE = 0
    FILED = 1
    AUTHORISED = 2
    DECLINED = 3
    SETTLED = 4
    DISMISSED = 5
    WITHDRAWN = 6


BPS = 10_000

_E = TypeVar("_E", Kind, Role, Vote, Source, Removal, CertStatus, AgreementKind)


def _lookup(enum: type[_E], text: str, what: str) -> _E:
    key = text.strip().upper().replace("-", "_").replace(" ", "_")
    try:
        return enum[key]
    except KeyError:
        names = ", ".join(m.name.lower().replace("_", "-") for m in enum if m.name)
        raise InputError(f"unknown {what} {text!r}; expected one of: {names}") from None


def parse_kind(text: str) -> Kind:
    """`"start-up"` -> `Kind.START_UP`; an unknown name raises `InputError` listing the names."""
    return _lookup(Kind, text, "member kind")


def parse_role(text: str) -> Role:
    """`"oracle"` -> `Role.ORACLE`; an unknown name raises `InputError` listing the names."""
    return _lookup(Role, text, "role")


def parse_vote(text: str) -> Vote:
    """`"yes"`, `"no"` or `"abstain"`."""
    return _lookup(Vote, text, "vote")


def parse_source(text: str) -> Source:
    """`"contributed"`, `"purchased"`, `"filed"` or `"usage-right"`."""
    return _lookup(Source, text, "patent source")


def parse_agreement_kind(text: str) -> AgreementKind:
    """`"bpr"`, `"per-patent"` or `"device"`."""
    return _lookup(AgreementKind, text, "agreement kind")


def parse_removal(text: str) -> Removal:
    """`"below-core"`, `"transferred"`, `"sold"` or `"rejected"`."""
    return _lookup(Removal, text, "removal reason")


def parse_cert_status(text: str) -> CertStatus:
    """`"in-force"`, `"pending"`, `"lapsed"`, `"invalidated"` or `"fee-unpaid"` (revoked is
    never attested)."""
    status = _lookup(CertStatus, text, "certificate status")
    if status in (CertStatus.NONE, CertStatus.REVOKED):
        raise InputError(f"certificate status {text!r} cannot be attested")
    return status


def role_names(bits: int) -> list[str]:
    """The names of the role bits set in `bits`, lowest bit first."""
    return [r.name.lower().replace("_", "-") for r in Role if r.name and bits & r.value]


def label(member: IntEnum | IntFlag) -> str:
    """A human label: `Kind.LARGE_ENTERPRISE` -> `"large-enterprise"`."""
    return (member.name or str(int(member))).lower().replace("_", "-")
