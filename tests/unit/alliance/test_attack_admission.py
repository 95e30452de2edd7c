"""Issue 15, finding 11: an admission vote admits a different application.

A large enterprise applies; the council votes to admit that application, but before the
admission executes it rejects it (a second proposal, executed first). The enterprise
re-applies as a non-profit (a free BPR). The admission voted for the first application
must not admit the second one: it names the application (number, kind, identity).
"""

from typing import Any

import ape

from bpsa.core.codes import Kind, Status
from tests.fixtures.suite import IDENTITY, Pass, decide


def test_admit__application_replaced_after_the_vote__the_vote_admits_nothing_else(
    alliance: Any, council: Any, council_pass: Pass, council_seats: list[Any], attacker: Any
) -> None:
    alliance.apply(int(Kind.LARGE_ENTERPRISE), IDENTITY, sender=attacker)
    admit = [decide(alliance, "admit", attacker)]  # what the council reviewed
    admission = council_pass.propose(admit, "admit the enterprise (large, 12% share)")
    council_pass.vote_all(admission)
    council_pass.run([decide(alliance, "reject", attacker)], "reject it after all")
    alliance.apply(int(Kind.NON_PROFIT), IDENTITY, sender=attacker)  # a free BPR's kind

    with ape.reverts("alliance: not the pending application"):
        council.execute(admission, admit, sender=council_seats[0])

    assert alliance.status_of(attacker) == Status.APPLIED
    assert alliance.kind_of(attacker) == Kind.NON_PROFIT
    assert not alliance.is_active(attacker)
