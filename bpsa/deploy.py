"""Deploying the suite: one function that scripts, tests and benchmarks share.

Order: the council (seats given) first, then Alliance governed by the council, then
the member congress whose seats are Alliance's active members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bpsa.errors import InputError
from bpsa.manifest import Deployed, Manifest


@dataclass(frozen=True)
class Timing:
    """Proposal timing in seconds (Governance's voting period, delay and grace)."""

    voting_period: int = 3 * 24 * 3600
    execution_delay: int = 24 * 3600
    grace_period: int = 14 * 24 * 3600

    def check(self) -> None:
        if self.voting_period <= 0:
            raise InputError("voting period must be at least 1 second")
        if self.execution_delay < 0:
            raise InputError("execution delay cannot be negative")
        if self.grace_period <= 0:
            raise InputError("grace period must be at least 1 second")


# Manifest name -> contract type in contracts/.
CONTRACT_TYPES = {"Council": "Governance", "Alliance": "Alliance", "Congress": "Governance"}


def deploy_suite(
    project: Any, deployer: Any, council_seats: list[str], timing: Timing, **tx: Any
) -> dict[str, Any]:
    """Deploy Council, Alliance and Congress; returns them by manifest name.

    `project` is ape's project manager (`ape.project`); `tx` passes through to each
    deployment (e.g. `required_confirmations`)."""
    timing.check()
    seats = list(dict.fromkeys(str(s) for s in council_seats))
    if not seats:
        raise InputError("the council needs at least one seat")
    if len(seats) != len(council_seats):
        raise InputError("council seats must be distinct")
    zero = "0x" + "00" * 20
    times = (timing.voting_period, timing.execution_delay, timing.grace_period)
    council = project.Governance.deploy("council", seats, zero, *times, sender=deployer, **tx)
    alliance = project.Alliance.deploy(council.address, sender=deployer, **tx)
    congress = project.Governance.deploy(
        "congress", [], alliance.address, *times, sender=deployer, **tx
    )
    return {"Council": council, "Alliance": alliance, "Congress": congress}


def manifest_for(chain: Any, contracts: dict[str, Any], deployer: str) -> Manifest:
    """The manifest of freshly deployed contracts on ape's connected `chain`."""
    entries = {}
    for name, contract in contracts.items():
        receipt = chain.get_receipt(contract.txn_hash)
        entries[name] = Deployed(address=str(contract.address), block=int(receipt.block_number))
    network = chain.provider.network
    return Manifest(
        network=network.name,
        ecosystem=network.ecosystem.name,
        chain_id=int(chain.chain_id),
        deployer=deployer,
        contracts=entries,
    )
