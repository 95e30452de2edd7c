"""A typed SDK over a pool's trusteeship mandates (Mandates.vy, issue 17).

The contributor of record offers a trusteeship centre a mandate for a patent (the digest
of the agreement's CID, the centre's share of the fees the patent earns alone, an
expiry); the centre accepts exactly those terms; either side ends it, anyone once it
expired. Every operation simulates its call first and raises the `MandateError` (or other
`BpsaError`) `bpsa.sdk.reverts` maps the refusal to; nothing is sent when it would revert.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bpsa.core import codes
from bpsa.core.codes import MandateState
from bpsa.core.errors import InputError, MandateError
from bpsa.core.units import when
from bpsa.sdk.alliance import Call, as_address
from bpsa.sdk.reverts import simulate, transact

ZERO_ADDRESS = "0x" + "00" * 20
BPS = codes.BPS


@dataclass(frozen=True)
class MandateView:
    """A patent's mandate or open offer in its current tenure (`state` NONE: neither)."""

    patent: bytes
    centre: str
    terms: bytes
    share_bps: int
    expiry: int
    state: MandateState

    def describe(self, key: str = "") -> str:
        head = key or "0x" + self.patent.hex()[:16]
        if self.state == MandateState.NONE:
            return f"{head}: no mandate or offer"
        return (
            f"{head}: {codes.label(self.state)} centre={self.centre} "
            f"share={self.share_bps / 100:g}% until {when(self.expiry)} "
            f"terms=0x{self.terms.hex()}"
        )


def check_terms(terms: bytes, share_bps: int, expiry: int) -> None:
    """The caller's own input: a 32-byte terms digest, a share in basis points, an expiry."""
    if len(terms) != 32 or terms == bytes(32):
        raise InputError("the terms digest must be 32 bytes and not all zero")
    if not 0 <= share_bps <= BPS:
        raise InputError(f"the share must be 0 to {BPS} basis points, not {share_bps}")
    if expiry <= 0 or expiry >= 2**64:
        raise InputError("the expiry must be a unix time after 1970 and before 2^64")


class Mandates:
    """One pool's Mandates contract."""

    def __init__(self, contract: Any) -> None:
        self.contract = contract

    def show(self, patent: bytes) -> MandateView:
        centre, terms, share, expiry, state = self.contract.mandate_of(patent)
        return MandateView(
            bytes(patent), str(centre), bytes(terms), int(share), int(expiry), MandateState(state)
        )

    def offer(
        self, sender: Any, patent: bytes, centre: str, terms: bytes, share_bps: int, expiry: int
    ) -> Any:
        """The contributor of record offers `centre` the mandate; returns the receipt."""
        check_terms(terms, share_bps, expiry)
        return transact(
            "Mandates.offer_mandate",
            self.contract.offer_mandate,
            patent,
            as_address(centre),
            terms,
            share_bps,
            expiry,
            sender=sender,
            who=sender.address,
        )

    def accept(self, sender: Any, patent: bytes, terms: bytes, share_bps: int, expiry: int) -> Any:
        """The offered centre accepts the terms it agreed to; refused with what the chain
        offers now when they differ (nothing is sent)."""
        check_terms(terms, share_bps, expiry)
        offered = self.show(patent)
        if offered.state == MandateState.OFFERED and (
            (offered.terms, offered.share_bps, offered.expiry) != (terms, share_bps, expiry)
        ):
            raise MandateError(
                "the offer on chain differs from the terms given: "
                + offered.describe()
                + "; accept only what you agreed to"
            )
        return transact(
            "Mandates.accept_mandate",
            self.contract.accept_mandate,
            patent,
            terms,
            share_bps,
            expiry,
            sender=sender,
            who=sender.address,
        )

    def call_offer(
        self, council: str, patent: bytes, centre: str, terms: bytes, share_bps: int, expiry: int
    ) -> Call:
        """The council's proposal call offering `centre` the mandate for a fund patent (the
        fund's patents are the council's to mandate), simulated as the council (`council`,
        the pool's owner) would make it when the proposal executes: an offer the contract
        would refuse is refused before anyone proposes it."""
        check_terms(terms, share_bps, expiry)
        args = (patent, as_address(centre), terms, share_bps, expiry)
        return self._council_call("Mandates.offer_mandate", "offer_mandate", council, *args)

    def call_end(self, council: str, patent: bytes) -> Call:
        """The council's proposal call ending a fund patent's mandate or offer."""
        return self._council_call("Mandates.end_mandate", "end_mandate", council, patent)

    def _council_call(self, what: str, method: str, council: str, *args: Any) -> Call:
        handler = getattr(self.contract, method)
        simulate(what, handler, *args, sender=council, who=council)
        return (str(self.contract.address), bytes(handler.encode_input(*args)))

    def end(self, sender: Any, patent: bytes) -> Any:
        """Ends the mandate or offer (either side; anyone once it expired)."""
        return transact(
            "Mandates.end_mandate",
            self.contract.end_mandate,
            patent,
            sender=sender,
            who=sender.address,
        )
