"""A typed SDK over a pool's patent families (Families.vy, issue 17).

Patents filed in several offices from one invention (a US patent and its EP counterpart)
share a family id, a bytes32. By convention it is the keccak-256 of the family's text:

    DOCDB:<family number>              the EPO's DOCDB (INPADOC simple) family, digits only
    PRIORITY:<office> <application>    without one: the priority application, e.g.
                                       "PRIORITY:US 17/123,456"

`family_id` derives it from that text (or from a bare DOCDB number, or takes a 0x id as
given), so everyone who knows the family number computes the same id. Its contributor of
record, its trusteeship centre under an accepted mandate in force, or the council for the
fund's patents sets a patent's family; every operation simulates first and raises the
`FamilyError` `bpsa.sdk.reverts` maps the refusal to.

A family's patents are read from the `FamilySet` logs (`Families.members`) or from the
query API (`GET /families/{family}`).
"""

from __future__ import annotations

from typing import Any

from bpsa.core.errors import InputError
from bpsa.core.families import ZERO_ID, family_id, family_text
from bpsa.sdk.alliance import Call
from bpsa.sdk.reverts import simulate, transact

__all__ = ["ZERO_ID", "Families", "family_id", "family_text"]


class Families:
    """One pool's Families contract."""

    def __init__(self, contract: Any, start_block: int = 0) -> None:
        self.contract = contract
        self.start_block = start_block  # its deployment block: logs start there

    def family_of(self, patent: bytes) -> bytes | None:
        """The patent's family id, or None."""
        found = bytes(self.contract.family_of(patent))
        return None if found == ZERO_ID else found

    def set(self, sender: Any, patent: bytes, family: bytes) -> Any:
        """Put the patent in `family` (its party: contributor, mandated centre, or the
        council for the fund's, which sends it as a proposal: `call_set`)."""
        if len(family) != 32 or family == ZERO_ID:
            raise InputError("a family id is 32 bytes and not all zero (clear it instead)")
        return transact(
            "Families.set_family",
            self.contract.set_family,
            patent,
            family,
            sender=sender,
            who=sender.address,
        )

    def clear(self, sender: Any, patent: bytes) -> Any:
        """Take the patent out of its family."""
        return transact(
            "Families.set_family",
            self.contract.set_family,
            patent,
            ZERO_ID,
            sender=sender,
            who=sender.address,
        )

    def call_set(self, patent: bytes, family: bytes, council: str) -> Call:
        """The council's call that sets (zero: clears) the family of one of the fund's
        patents, simulated as `council` (the pool's owner) would make it now."""
        if len(family) != 32:
            raise InputError("a family id is 32 bytes")
        handler = self.contract.set_family
        simulate("Families.set_family", handler, patent, family, sender=council, who="the fund")
        return (str(self.contract.address), bytes(handler.encode_input(patent, family)))

    def members(self, family: bytes) -> list[bytes]:
        """The patents in `family` now, in the order they joined it, from the logs."""
        from ape import chain

        head = int(chain.blocks.head.number)
        current: dict[bytes, bytes] = {}
        for log in self.contract.FamilySet.range(self.start_block, head + 1):
            patent = bytes(log.patent)
            current.pop(patent, None)  # a move re-joins at the end
            current[patent] = bytes(log.family)
        return [p for p, f in current.items() if f == bytes(family)]
