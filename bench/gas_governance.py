"""Gas of membership and governance: apply, and admitting through a council proposal.

A three-seat council; the measured applicant is a start-up applying after one other
applicant, as every applicant but the alliance's very first does (the first also
pays to set the member counter from zero, 17k more). `vote` is the first vote on a
proposal (its tally slot goes from zero, the dearest case); `execute` runs one
`admit` call. `admit_via_council` adds up propose, three votes and execute.
"""

from __future__ import annotations

from typing import Any

from bench.common import Result
from bpsa.core.codes import Kind, Vote
from bpsa.sdk.alliance import Suite
from bpsa.sdk.deploy import Timing, deploy_suite

TIMING = Timing(voting_period=3600, execution_delay=600, grace_period=7200)


def run() -> dict[str, Result]:
    from ape import accounts, chain, project

    seats = list(accounts.test_accounts[:3])
    first: Any = accounts.test_accounts[4]
    applicant: Any = accounts.test_accounts[3]
    suite = Suite(deploy_suite(project, seats[0], [s.address for s in seats], TIMING))

    suite.apply(first, Kind.SME, bytes.fromhex("cd" * 32))
    apply_tx = suite.apply(applicant, Kind.START_UP, bytes.fromhex("ab" * 32))
    propose_tx = suite.council.propose(
        [suite.call_admit(applicant.address)], "admit", sender=seats[0]
    )
    proposal_id = int(propose_tx.return_value)
    votes = [suite.vote("council", seat, proposal_id, Vote.YES) for seat in seats]
    chain.pending_timestamp += TIMING.voting_period + TIMING.execution_delay
    chain.mine()
    execute_tx = suite.execute("council", seats[0], proposal_id)
    assert suite.alliance.is_active(applicant.address), "bench: admission did not take"

    total = propose_tx.gas_used + sum(v.gas_used for v in votes) + execute_tx.gas_used
    return {
        "gas.alliance.apply": Result(apply_tx.gas_used, "gas"),
        "gas.governance.propose": Result(propose_tx.gas_used, "gas"),
        "gas.governance.vote": Result(votes[0].gas_used, "gas"),
        "gas.governance.execute": Result(execute_tx.gas_used, "gas"),
        "gas.alliance.admit_via_council": Result(total, "gas"),
    }
