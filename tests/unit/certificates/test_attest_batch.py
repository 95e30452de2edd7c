"""Certificates.attest_batch: the Merkle root of many certificates signed by M oracles."""

from typing import Any

import ape
import pytest
from eth_utils.crypto import keccak

from tests.fixtures.pool import DOCUMENT, PARAMS
from tests.unit.certificates.conftest import BATCH_SIZE, Batch, Sign
from tests.unit.certificates.helpers import (
    DUPLICATE,
    NOT_ORACLE,
    ROOT_STATE_ACCEPTED,
    ROOT_STATE_UNKNOWN,
    ROOT_USED,
    TOO_FEW,
    UNORDERED,
    WRONG_SIGNATURE,
    ZERO,
    events,
    high_s_twin,
)

ROOT = keccak(b"a batch root")


def test_attest_batch__two_oracles__root_accepted_and_signers_logged(
    certificates: Any, batch: Batch, oracles: list[Any]
) -> None:
    signers = sorted((o.address for o in oracles[:2]), key=lambda a: int(a, 16))

    assert certificates.roots(batch.root) == ROOT_STATE_ACCEPTED
    assert events(batch.tx, certificates) == [
        certificates.BatchAccepted(root=batch.root, count=BATCH_SIZE, signers=signers)
    ]


def test_attest_batch__accepted__writes_no_record_until_proven(
    certificates: Any, batch: Batch
) -> None:
    for cert in batch.certs:
        assert certificates.certificate(cert.patent, DOCUMENT) == (ZERO, 0, 0, 0)


def test_attest_batch__all_oracles__every_signer_logged_ascending(
    certificates: Any, sign: Sign, oracles: list[Any], outsider: Any
) -> None:
    signatures = sign.batch(ROOT, 3, oracles)

    tx = certificates.attest_batch(ROOT, 3, signatures, sender=outsider)

    assert events(tx, certificates) == [
        certificates.BatchAccepted(root=ROOT, count=3, signers=[s[0] for s in signatures])
    ]
    assert [int(s[0], 16) for s in signatures] == sorted(int(o.address, 16) for o in oracles)


def test_attest_batch__count_is_informational__any_positive_count_accepted(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    count = 2**32 - 1

    certificates.attest_batch(ROOT, count, sign.batch(ROOT, count), sender=provider)

    assert certificates.roots(ROOT) == ROOT_STATE_ACCEPTED


def test_attest_batch__empty_root__reverts(certificates: Any, sign: Sign, provider: Any) -> None:
    with ape.reverts("certificates: empty root"):
        certificates.attest_batch(bytes(32), 1, sign.batch(bytes(32), 1), sender=provider)


def test_attest_batch__zero_count__reverts(certificates: Any, sign: Sign, provider: Any) -> None:
    with ape.reverts("certificates: empty batch"):
        certificates.attest_batch(ROOT, 0, sign.batch(ROOT, 0), sender=provider)

    assert certificates.roots(ROOT) == ROOT_STATE_UNKNOWN


def test_attest_batch__same_root_twice__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    with ape.reverts(ROOT_USED):
        certificates.attest_batch(
            batch.root, BATCH_SIZE, sign.batch(batch.root, BATCH_SIZE), sender=provider
        )


def test_attest_batch__same_root_other_count__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    with ape.reverts(ROOT_USED):
        certificates.attest_batch(batch.root, 1, sign.batch(batch.root, 1), sender=provider)


def test_attest_batch__revoked_root_again__reverts(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    certificates.revoke_batch(batch.root, sign.batch_revocation(batch.root), sender=provider)

    with ape.reverts(ROOT_USED):
        certificates.attest_batch(
            batch.root, BATCH_SIZE, sign.batch(batch.root, BATCH_SIZE), sender=provider
        )


@pytest.mark.parametrize("count", [0, PARAMS.oracle_threshold - 1])
def test_attest_batch__fewer_signatures_than_threshold__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any, count: int
) -> None:
    with ape.reverts(TOO_FEW):
        certificates.attest_batch(ROOT, 1, sign.batch(ROOT, 1, oracles[:count]), sender=provider)


def test_attest_batch__same_oracle_twice__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any
) -> None:
    (one,) = sign.batch(ROOT, 1, oracles[:1])

    with ape.reverts(DUPLICATE):
        certificates.attest_batch(ROOT, 1, [one, one], sender=provider)


def test_attest_batch__signers_descending__reverts(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    with ape.reverts(UNORDERED):
        certificates.attest_batch(ROOT, 1, sign.batch(ROOT, 1)[::-1], sender=provider)


def test_attest_batch__signed_by_a_member_without_oracle_role__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any
) -> None:
    with ape.reverts(NOT_ORACLE):
        certificates.attest_batch(
            ROOT, 1, sign.batch(ROOT, 1, [oracles[0], provider]), sender=provider
        )


def test_attest_batch__signed_by_a_suspended_oracle__reverts(
    certificates: Any,
    sign: Sign,
    pool_alliance: Any,
    pool_council: Any,
    oracles: list[Any],
    provider: Any,
) -> None:
    signatures = sign.batch(ROOT, 1)
    pool_alliance.suspend(oracles[0].address, sender=pool_council)

    with ape.reverts(NOT_ORACLE):
        certificates.attest_batch(ROOT, 1, signatures, sender=provider)


def test_attest_batch__high_s_twin__reverts(certificates: Any, sign: Sign, provider: Any) -> None:
    first, second = sign.batch(ROOT, 1)

    with ape.reverts("ecdsa: invalid signature `s` value"):
        certificates.attest_batch(ROOT, 1, [first, high_s_twin(second)], sender=provider)


def test_attest_batch__count_changed_after_signing__reverts(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    with ape.reverts(WRONG_SIGNATURE):
        certificates.attest_batch(ROOT, 2, sign.batch(ROOT, 1), sender=provider)


def test_attest_batch__root_changed_after_signing__reverts(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    with ape.reverts(WRONG_SIGNATURE):
        certificates.attest_batch(keccak(ROOT), 1, sign.batch(ROOT, 1), sender=provider)


def test_attest_batch__signed_for_another_chain__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any, elsewhere: Any
) -> None:
    signatures = sign.batch(ROOT, 1, oracles, domain=elsewhere)

    with ape.reverts(WRONG_SIGNATURE):
        certificates.attest_batch(ROOT, 1, signatures, sender=provider)


def test_attest_batch__signed_for_another_deployment__reverts_there(
    certificates: Any, second_registry: Any, sign: Sign, provider: Any
) -> None:
    signatures = sign.batch(ROOT, 1)
    certificates.attest_batch(ROOT, 1, signatures, sender=provider)

    with ape.reverts(WRONG_SIGNATURE):
        second_registry.attest_batch(ROOT, 1, signatures, sender=provider)


def test_attest_batch__batch_revocation_signatures__reverts(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    with ape.reverts(WRONG_SIGNATURE):
        certificates.attest_batch(ROOT, 1, sign.batch_revocation(ROOT), sender=provider)
