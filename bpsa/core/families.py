"""Patent family ids (Families.vy): patents filed in several offices from one invention
share one, the keccak-256 of the family's canonical text:

    DOCDB:<family number>              the EPO's DOCDB (INPADOC simple) family, digits only
    PRIORITY:<office> <application>    without one: the priority application, e.g.
                                       "PRIORITY:US 17/123,456"

so everyone who knows the family number computes the same id (the SDK, the CLI and the
query API alike)."""

from __future__ import annotations

import re

from eth_utils.crypto import keccak

from bpsa.core.errors import InputError

ZERO_ID = bytes(32)
_HEX32 = re.compile(r"^0x[0-9a-fA-F]{64}$")
_DOCDB = re.compile(r"^\d{1,12}$")


def family_text(text: str) -> str:
    """The canonical text a family id hashes: `DOCDB:<digits>` or `PRIORITY:<OFFICE> <number>`
    (a bare number is a DOCDB family number). InputError for anything else."""
    given = text.strip()
    kind, _, rest = given.partition(":")
    if not rest:
        kind, rest = "DOCDB", given
    kind, rest = kind.strip().upper(), rest.strip()
    if kind in ("DOCDB", "INPADOC"):
        number = re.sub(r"[\s,.]", "", rest)
        if not _DOCDB.match(number):
            raise InputError(f"a DOCDB family number is 1 to 12 digits, got {rest!r}")
        return f"DOCDB:{int(number)}"
    if kind == "PRIORITY":
        office, _, number = rest.partition(" ")
        office, number = office.strip().upper(), " ".join(number.split())
        if not re.match(r"^[A-Z]{2,8}$", office) or not number:
            raise InputError(
                f"a priority application is 'PRIORITY:<office> <number>', got {given!r}"
            )
        return f"PRIORITY:{office} {number}"
    raise InputError(
        f"a family is 'DOCDB:<number>', 'PRIORITY:<office> <number>' or a 0x id, got {given!r}"
    )


def family_id(text: str) -> bytes:
    """The family id of `text` (see the module's docstring): a 0x id as given, else the
    keccak-256 of `family_text(text)`."""
    given = text.strip()
    if _HEX32.match(given):
        found = bytes.fromhex(given[2:])
        if found == ZERO_ID:
            raise InputError("the zero family id names no family (clear the family instead)")
        return found
    return keccak(text=family_text(given))
