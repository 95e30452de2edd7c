"""Member kinds, statuses, roles and proposal states, as the contracts number them.

`contracts/codes.vy` and `contracts/Governance.vy` are the source of truth; a test
parses them and checks these tables against them.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import TypeVar

from bpsa.errors import InputError


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


_E = TypeVar("_E", Kind, Role, Vote)


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


def role_names(bits: int) -> list[str]:
    """The names of the role bits set in `bits`, lowest bit first."""
    return [r.name.lower().replace("_", "-") for r in Role if r.name and bits & r.value]


def label(member: IntEnum | IntFlag) -> str:
    """A human label: `Kind.LARGE_ENTERPRISE` -> `"large-enterprise"`."""
    return (member.name or str(int(member))).lower().replace("_", "-")
