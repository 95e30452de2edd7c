"""Helpers shared by the Governance unit tests: proposal times, call hashes, logs.

The chain-time helpers (`at`, `mine_at`) are in tests/fixtures/suite.py."""

from typing import Any

from eth_abi.abi import encode
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from tests.fixtures.suite import Pass

ZERO = "0x" + "00" * 20
Calls = list[tuple[str, bytes]]


def vote_end(gov: Any, proposal_id: int) -> int:
    return int(gov.proposals(proposal_id).vote_end)


def eta(gov: Any, proposal_id: int) -> int:
    """First second at which a passed proposal is executable."""
    return vote_end(gov, proposal_id) + int(gov.execution_delay())


def expiry(gov: Any, proposal_id: int) -> int:
    """First second at which a passed proposal has expired."""
    return eta(gov, proposal_id) + int(gov.grace_period())


def calls_hash(calls: Calls) -> bytes:
    """keccak256(abi_encode(calls)) computed off-chain, independent of the contract."""
    return keccak(encode(["(address,bytes)[]"], [[(t, d) for t, d in calls]]))


def logged_calls(log: Any) -> Calls:
    """The calls of a ProposalCreated log, rebuilt as (checksummed target, data)."""
    return [(to_checksum_address(target), bytes(data)) for target, data in log.calls]


def queue(body: Pass, calls: Calls, description: str = "test") -> int:
    """Propose, vote yes with every seat and wait until executable; not executed."""
    proposal_id = body.propose(calls, description)
    body.vote_all(proposal_id)
    body.to_ready(proposal_id)
    return proposal_id


def proposed_before(
    council_pass: Pass, calls: Calls, body: Any, proposer: Any, motion: tuple[str, bytes]
) -> int:
    """Queue `calls` on the council, have `proposer` put `motion` to `body` (the council
    or the congress), then execute `calls`: the proposal returned predates their effect."""
    queued = queue(council_pass, calls)
    proposal = int(body.propose([motion], "motion", sender=proposer).return_value)
    council_pass.gov.execute(queued, calls, sender=council_pass.seats[0])
    return proposal


def same_block(chain: Any, *txs: tuple[Any, str, bytes]) -> list[Any]:
    """Mine (sender, target, calldata) transactions together in one block, in this order
    (titanoboa's chain runs them back to back in the pending block, then mines it).
    Returns the receipts (dicts as a node's), each checked to have succeeded."""
    receipts: list[Any] = chain.same_block(txs)
    assert len({r["blockNumber"] for r in receipts}) == 1
    assert [r["transactionIndex"] for r in receipts] == list(range(len(txs)))
    assert all(r["status"] == 1 for r in receipts)
    return receipts
