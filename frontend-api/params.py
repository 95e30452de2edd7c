"""Query and path parameters shared by the routers, bounded so that no value a client
sends can overflow a database integer (a 422 names the parameter instead)."""

from __future__ import annotations

from enum import IntEnum, IntFlag
from typing import Annotated, Literal

from fastapi import Path, Query

MAX_PAGE = 500
ID_MAX = 2**63 - 1
ADDRESS = r"^0x[0-9a-fA-F]{40}$"
HEX32 = r"^0x[0-9a-fA-F]{64}$"

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"Page size (at most {MAX_PAGE}).")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]
AddressQ = Annotated[str | None, Query(pattern=ADDRESS, description="A 0x address.")]
Hex32Q = Annotated[str | None, Query(pattern=HEX32, description="A 0x bytes32.")]
AddressP = Annotated[str, Path(pattern=ADDRESS, description="A 0x address.")]
Hex32P = Annotated[str, Path(pattern=HEX32, description="A 0x bytes32 id.")]
IdP = Annotated[int, Path(ge=0, le=ID_MAX, description="An id.")]
FAMILY = (
    "A patent family: its 0x id, or DOCDB:<family number> (the EPO's DOCDB family), or "
    "PRIORITY:<office> <application> (in a query parameter: a path cannot hold a '/')."
)
FAMILY_PATTERN = r"^(0x[0-9a-fA-F]{64}|DOCDB:[0-9]{1,12}|PRIORITY:[A-Za-z]{2,8} +\S.*)$"
FamilyQ = Annotated[str | None, Query(max_length=100, pattern=FAMILY_PATTERN, description=FAMILY)]
FamilyP = Annotated[str, Path(max_length=100, pattern=FAMILY_PATTERN, description=FAMILY)]

PatentStatusName = Literal[
    "submitted", "certified", "rated", "pooled", "removed", "expired", "withdrawn"
]
MemberStatusName = Literal["applied", "active", "suspended", "expelled", "rejected"]
KindName = Literal["non-profit", "start-up", "sme", "large-enterprise", "individual"]
RoleName = Literal[
    "provider",
    "demander",
    "trusteeship-centre",
    "rights-protection-centre",
    "regulator",
    "trading-team",
    "expert",
    "oracle",
]
CertStatusName = Literal["in-force", "pending", "lapsed", "invalidated", "fee-unpaid", "revoked"]
AgreementKindName = Literal["bpr", "per-patent", "device"]
CaseStatusName = Literal["filed", "authorised", "declined", "settled", "dismissed", "withdrawn"]


def code_of(enum: type[IntEnum] | type[IntFlag], name: str) -> int:
    return int(enum[name.upper().replace("-", "_")])
