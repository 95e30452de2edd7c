"""Certificates.set_threshold: the council sets M, the signatures every message needs."""

from typing import Any

import ape
import pytest

from tests.fixtures.pool import DOCUMENT
from tests.unit.certificates.conftest import Sign
from tests.unit.certificates.helpers import (
    BAD_THRESHOLD,
    NOT_OWNER,
    TOO_FEW,
    events,
    make,
    record,
)


def test_set_threshold__raised_to_three__two_signatures_no_longer_enough(
    certificates: Any, sign: Sign, oracles: list[Any], pool_council: Any, provider: Any
) -> None:
    tx = certificates.set_threshold(3, sender=pool_council)

    assert certificates.threshold() == 3
    assert events(tx, certificates) == [certificates.ThresholdSet(threshold=3)]
    cert = make(provider)
    with ape.reverts(TOO_FEW):
        certificates.attest(cert.as_arg(), sign.certificate(cert, oracles[:2]), sender=provider)
    certificates.attest(cert.as_arg(), sign.certificate(cert, oracles), sender=provider)
    assert certificates.certificate(cert.patent, DOCUMENT) == record(provider, cert)


def test_set_threshold__lowered_to_one__a_single_oracle_suffices(
    certificates: Any, sign: Sign, oracles: list[Any], pool_council: Any, provider: Any
) -> None:
    certificates.set_threshold(1, sender=pool_council)
    cert = make(provider)

    certificates.attest(cert.as_arg(), sign.certificate(cert, oracles[2:]), sender=provider)

    assert certificates.certificate(cert.patent, DOCUMENT) == record(provider, cert)


@pytest.mark.parametrize("threshold", [1, 16])
def test_set_threshold__at_bounds__set(
    certificates: Any, pool_council: Any, threshold: int
) -> None:
    certificates.set_threshold(threshold, sender=pool_council)

    assert certificates.threshold() == threshold


@pytest.mark.parametrize("threshold", [0, 17, 2**256 - 1])
def test_set_threshold__out_of_bounds__reverts(
    certificates: Any, pool_council: Any, threshold: int
) -> None:
    before = certificates.threshold()

    with ape.reverts(BAD_THRESHOLD):
        certificates.set_threshold(threshold, sender=pool_council)

    assert certificates.threshold() == before


@pytest.mark.parametrize("caller", ["attacker", "oracle"])
def test_set_threshold__caller_not_council__reverts(
    certificates: Any, attacker: Any, oracles: list[Any], caller: str
) -> None:
    sender = attacker if caller == "attacker" else oracles[0]

    with ape.reverts(NOT_OWNER):
        certificates.set_threshold(1, sender=sender)

    assert certificates.threshold() == 2


def test_set_threshold__after_ownership_transfer__old_council_reverts_new_sets(
    certificates: Any, pool_council: Any, outsider: Any
) -> None:
    certificates.transfer_ownership(outsider.address, sender=pool_council)

    with ape.reverts(NOT_OWNER):
        certificates.set_threshold(3, sender=pool_council)

    certificates.set_threshold(3, sender=outsider)
    assert certificates.threshold() == 3
