"""Attack: a stranger (a member, a lister, a licensee) sets the pool's standard agreement,
so later licences are made under terms the council never chose.

Invariant: only Licensing's owner (the council, through a governance proposal) sets a
standard agreement; a refused attempt leaves every version as it was."""

from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from tests.unit.licensing.helpers import (
    BPR_AGREEMENT,
    DEVICE_AGREEMENT,
    NOT_OWNER,
    PER_PATENT_AGREEMENT,
)

STANDARD, FORGED = keccak(b"the council's agreement"), keccak(b"the attacker's agreement")


@pytest.mark.parametrize("who", ["attacker", "provider", "enterprise", "licensee"])
@pytest.mark.parametrize("kind", [BPR_AGREEMENT, PER_PATENT_AGREEMENT, DEVICE_AGREEMENT])
def test_set_agreement__by_anyone_but_the_council__reverts_and_changes_nothing(
    request: Any, licensing: Any, pool_council: Any, who: str, kind: int
) -> None:
    licensing.set_agreement(kind, STANDARD, sender=pool_council)
    stranger = request.getfixturevalue(who)

    with ape.reverts(NOT_OWNER):
        licensing.set_agreement(kind, FORGED, sender=stranger)

    assert licensing.agreement_version(kind) == 1
    assert licensing.agreement(kind, 1) == STANDARD
    assert licensing.agreement(kind, 2) == bytes(32)
