"""Licensing.set_agreement / agreement / agreement_version: the council sets the standard
agreement of each kind of licence (BPR, per-patent, device) as a new version; every version
is kept. The attacks are in test_attack_stranger_sets_agreement.py,
test_attack_agreement_changed_under_conversion.py, test_attack_listing_agreement_rewritten.py
and test_attack_agreement_change_rewrites_licences.py."""

from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.unit.licensing.helpers import (
    BPR_AGREEMENT,
    DEVICE_AGREEMENT,
    EMPTY_AGREEMENT,
    PER_PATENT_AGREEMENT,
    UNKNOWN_AGREEMENT_KIND,
)

FIRST, SECOND = keccak(b"agreement v1"), keccak(b"agreement v2")
EMPTY = bytes(32)


@pytest.mark.parametrize("kind", [BPR_AGREEMENT, PER_PATENT_AGREEMENT, DEVICE_AGREEMENT])
def test_set_agreement__by_the_council__adds_a_version_and_keeps_the_last(
    licensing: Any, pool_council: Any, kind: int
) -> None:
    assert licensing.agreement_version(kind) == 0
    assert licensing.agreement(kind, 0) == EMPTY

    first = licensing.set_agreement(kind, FIRST, sender=pool_council)
    second = licensing.set_agreement(kind, SECOND, sender=pool_council)

    assert (first.return_value, second.return_value) == (1, 2)
    assert licensing.agreement_version(kind) == 2
    assert licensing.agreement(kind, 1) == FIRST  # kept: licences made under it name it
    assert licensing.agreement(kind, 2) == SECOND
    assert second.events.filter(licensing.AgreementSet) == [
        licensing.AgreementSet(kind=kind, version=2, agreement=SECOND)
    ]
    others = {BPR_AGREEMENT, PER_PATENT_AGREEMENT, DEVICE_AGREEMENT} - {kind}
    assert all(licensing.agreement_version(other) == 0 for other in others)


def test_set_agreement__bpr__keeps_every_tier_price(licensing: Any, pool_council: Any) -> None:
    # the BPR version shares the tier words a conversion reads: a price must not move
    before = {kind: licensing.tier_price(int(kind)) for kind in Kind}

    licensing.set_agreement(BPR_AGREEMENT, FIRST, sender=pool_council)
    licensing.set_tier(int(Kind.SME), LICENSING.sme + 1, sender=pool_council)

    after = {kind: licensing.tier_price(int(kind)) for kind in Kind}
    assert after == before | {Kind.SME: LICENSING.sme + 1}
    assert licensing.agreement_version(BPR_AGREEMENT) == 1


@pytest.mark.parametrize("kind", [0, 4, 255])
def test_set_agreement__unknown_kind__reverts(licensing: Any, pool_council: Any, kind: int) -> None:
    with ape.reverts(UNKNOWN_AGREEMENT_KIND):
        licensing.set_agreement(kind, FIRST, sender=pool_council)


def test_set_agreement__empty_digest__reverts(licensing: Any, pool_council: Any) -> None:
    with ape.reverts(EMPTY_AGREEMENT):
        licensing.set_agreement(BPR_AGREEMENT, EMPTY, sender=pool_council)
