"""Certificates.attest: one certificate signed by at least M oracles."""

from typing import Any

import ape
import pytest
from eth_utils.address import to_checksum_address

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus
from tests.fixtures.pool import DOCUMENT, PARAMS
from tests.unit.certificates.conftest import Sign
from tests.unit.certificates.helpers import (
    BAD_SIGNATURE,
    DUPLICATE,
    EXPIRY,
    HIGH_S,
    NONCE_USED,
    NOT_ORACLE,
    NUMBER,
    OFFICE,
    OTHER_DOCUMENT,
    TOO_FEW,
    UNORDERED,
    WRONG_SIGNATURE,
    ZERO,
    events,
    high_s_twin,
    make,
    record,
    unchecked,
)

PATENT = certs.patent_id(OFFICE, NUMBER)


# --- success -------------------------------------------------------------------------------


def test_attest__two_of_three_oracles__stores_record_and_logs_accepted(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    cert = make(provider, nonce=1)

    tx = certificates.attest(cert.as_arg(), sign.certificate(cert), sender=provider)

    assert certificates.certificate(PATENT, DOCUMENT) == record(provider, cert)
    assert events(tx, certificates) == [
        certificates.CertificateAccepted(
            patent=PATENT,
            owner=provider.address,
            document=DOCUMENT,
            status=int(CertStatus.IN_FORCE),
            expiry=EXPIRY,
            nonce=1,
        )
    ]


def test_attest__all_oracles_sign__accepted(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any
) -> None:
    cert = make(provider)

    certificates.attest(cert.as_arg(), sign.certificate(cert, oracles), sender=provider)

    assert certificates.certificate(PATENT, DOCUMENT) == record(provider, cert)


def test_attest__submitted_by_an_outsider__accepted(
    certificates: Any, sign: Sign, provider: Any, outsider: Any
) -> None:
    """Submitting is open: the signatures carry the authority, not the sender."""
    cert = make(provider)

    certificates.attest(cert.as_arg(), sign.certificate(cert), sender=outsider)

    assert certificates.certificate(PATENT, DOCUMENT) == record(provider, cert)


@pytest.mark.parametrize(
    "status",
    [CertStatus.IN_FORCE, CertStatus.PENDING, CertStatus.LAPSED, CertStatus.INVALIDATED],
    ids=lambda s: s.name,
)
def test_attest__each_office_status__recorded(
    certificates: Any, attest: Any, provider: Any, status: CertStatus
) -> None:
    cert = make(provider, status=status)

    attest(cert)

    assert certificates.certificate(PATENT, DOCUMENT)[1] == status


@pytest.mark.parametrize("status", [CertStatus.NONE, CertStatus.REVOKED], ids=lambda s: s.name)
def test_attest__status_none_or_revoked__reverts(
    certificates: Any, attest: Any, provider: Any, status: CertStatus
) -> None:
    with ape.reverts("certificates: status out of range"):
        attest(unchecked(make(provider), status=status))


def test_attest__status_above_revoked__reverts(
    certificates: Any, attest: Any, provider: Any
) -> None:
    with ape.reverts("certificates: status out of range"):
        attest(unchecked(make(provider), status=255))


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("owner", ZERO, "certificates: owner is the zero address"),
        ("document", bytes(32), "certificates: empty document digest"),
        ("expiry", 0, "certificates: expiry is zero"),
        ("nonce", 0, "certificates: nonce must be at least 1"),
    ],
    ids=["zero_owner", "zero_document", "zero_expiry", "zero_nonce"],
)
def test_attest__empty_field__reverts(
    certificates: Any, attest: Any, provider: Any, field: str, value: Any, reason: str
) -> None:
    with ape.reverts(reason):
        attest(unchecked(make(provider), **{field: value}))


# --- record packing ------------------------------------------------------------------------

MAX_OWNER = to_checksum_address("0x" + "ff" * 20)
MIN_OWNER = to_checksum_address("0x" + "00" * 19 + "01")


@pytest.mark.parametrize(
    ("owner", "status", "expiry", "nonce"),
    [
        (MAX_OWNER, CertStatus.INVALIDATED, 2**40 - 1, 2**48 - 1),
        (MIN_OWNER, CertStatus.IN_FORCE, 1, 1),
        (MAX_OWNER, CertStatus.IN_FORCE, 1, 2**48 - 1),
        (MIN_OWNER, CertStatus.INVALIDATED, 2**40 - 1, 1),
    ],
    ids=["all_max", "all_min", "max_owner_nonce", "max_expiry_status"],
)
def test_attest__extreme_field_values__record_round_trips(
    certificates: Any,
    attest: Any,
    owner: str,
    status: CertStatus,
    expiry: int,
    nonce: int,
) -> None:
    cert = make(owner, nonce=nonce, status=status, expiry=expiry)

    attest(cert)

    assert certificates.certificate(PATENT, DOCUMENT) == (owner, status, expiry, nonce)


def test_attest__max_nonce_recorded__no_later_certificate_fits(
    certificates: Any, attest: Any, provider: Any, provider2: Any
) -> None:
    attest(make(provider, nonce=2**48 - 1))

    with ape.reverts(NONCE_USED):
        attest(make(provider2, nonce=2**48 - 1))


# --- nonces --------------------------------------------------------------------------------


def test_attest__same_certificate_twice__reverts_nonce_used(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    cert = make(provider)
    signatures = sign.certificate(cert)
    certificates.attest(cert.as_arg(), signatures, sender=provider)

    with ape.reverts(NONCE_USED):
        certificates.attest(cert.as_arg(), signatures, sender=provider)


def test_attest__lower_nonce_after_higher__reverts_and_keeps_newer(
    certificates: Any, attest: Any, provider: Any, provider2: Any
) -> None:
    newer = make(provider2, nonce=5)
    attest(newer)

    with ape.reverts(NONCE_USED):
        attest(make(provider, nonce=4))

    assert certificates.certificate(PATENT, DOCUMENT) == record(provider2, newer)


def test_attest__same_nonce_other_content__reverts(
    certificates: Any, attest: Any, provider: Any, provider2: Any
) -> None:
    attest(make(provider, nonce=3))

    with ape.reverts(NONCE_USED):
        attest(make(provider2, nonce=3, status=CertStatus.LAPSED))


def test_attest__higher_nonce__replaces_record(
    certificates: Any, attest: Any, provider: Any, provider2: Any
) -> None:
    attest(make(provider, nonce=1))
    transferred = make(provider2, nonce=7, status=CertStatus.PENDING, expiry=EXPIRY + 1)

    attest(transferred)

    assert certificates.certificate(PATENT, DOCUMENT) == record(provider2, transferred)


def test_attest__other_document_same_patent__own_record_and_nonces(
    certificates: Any, attest: Any, provider: Any, provider2: Any
) -> None:
    first = make(provider, nonce=9)
    attest(first)
    other = make(provider2, nonce=1, document=OTHER_DOCUMENT)

    attest(other)

    assert certificates.certificate(PATENT, DOCUMENT) == record(provider, first)
    assert certificates.certificate(PATENT, OTHER_DOCUMENT) == record(provider2, other)


def test_attest__other_number__other_record(certificates: Any, attest: Any, provider: Any) -> None:
    attest(make(provider, number="11234568"))

    assert certificates.certificate(PATENT, DOCUMENT) == (ZERO, 0, 0, 0)
    assert certificates.certificate(certs.patent_id(OFFICE, "11234568"), DOCUMENT)[0] == (
        provider.address
    )


# --- signatures: count, order, duplicates --------------------------------------------------


@pytest.mark.parametrize("count", [0, PARAMS.oracle_threshold - 1])
def test_attest__fewer_signatures_than_threshold__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any, count: int
) -> None:
    cert = make(provider)

    with ape.reverts(TOO_FEW):
        certificates.attest(cert.as_arg(), sign.certificate(cert, oracles[:count]), sender=provider)


def test_attest__same_oracle_twice__reverts_duplicate(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any
) -> None:
    cert = make(provider)
    (one,) = sign.certificate(cert, oracles[:1])

    with ape.reverts(DUPLICATE):
        certificates.attest(cert.as_arg(), [one, one], sender=provider)


def test_attest__signers_descending__reverts_order(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    cert = make(provider)
    ascending = sign.certificate(cert)

    with ape.reverts(UNORDERED):
        certificates.attest(cert.as_arg(), ascending[::-1], sender=provider)

    certificates.attest(cert.as_arg(), ascending, sender=provider)
    assert certificates.certificate(PATENT, DOCUMENT)[3] == cert.nonce


def test_attest__extra_invalid_signature_beyond_threshold__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any
) -> None:
    """Every signature given must be valid, not just M of them."""
    cert = make(provider)
    signatures = sign.certificate(cert, [*oracles, provider])

    with ape.reverts(NOT_ORACLE):
        certificates.attest(cert.as_arg(), signatures, sender=provider)


# --- signatures: who signs -----------------------------------------------------------------


@pytest.fixture(params=["member_without_role", "outsider", "role_revoked", "suspended"])
def non_oracle(
    request: Any,
    pool_alliance: Any,
    pool_council: Any,
    oracles: list[Any],
    provider: Any,
    outsider: Any,
) -> Any:
    """Someone whose signature must not count: never an oracle, or no longer one."""
    if request.param == "member_without_role":
        return provider
    if request.param == "outsider":
        return outsider
    oracle = oracles[1]
    if request.param == "role_revoked":
        pool_alliance.revoke_role(oracle.address, 128, sender=pool_council)
    else:
        pool_alliance.suspend(oracle.address, sender=pool_council)
    return oracle


def test_attest__signed_by_a_non_oracle__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any, non_oracle: Any
) -> None:
    cert = make(provider)

    with ape.reverts(NOT_ORACLE):
        certificates.attest(
            cert.as_arg(), sign.certificate(cert, [oracles[0], non_oracle]), sender=provider
        )


def test_attest__signed_by_attacker_in_an_oracles_name__reverts(
    certificates: Any, sign: Sign, oracles: list[Any], provider: Any, attacker: Any
) -> None:
    cert = make(provider)
    (forged,) = sign.certificate(cert, [attacker])
    (genuine,) = sign.certificate(cert, [oracles[0]])
    impersonated = (oracles[1].address, *forged[1:])

    with ape.reverts(WRONG_SIGNATURE):
        certificates.attest(
            cert.as_arg(), certs.quorum(_as_sigs([genuine, impersonated])), sender=provider
        )


def _as_sigs(args: list[tuple[str, int, bytes, bytes]]) -> list[certs.Signature]:
    return [certs.Signature(*a) for a in args]


def test_attest__high_s_twin__reverts_then_original_accepted(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    cert = make(provider)
    signatures = sign.certificate(cert)
    twinned = [high_s_twin(signatures[0]), signatures[1]]

    with ape.reverts(HIGH_S):
        certificates.attest(cert.as_arg(), twinned, sender=provider)

    certificates.attest(cert.as_arg(), signatures, sender=provider)
    assert certificates.certificate(PATENT, DOCUMENT) == record(provider, cert)


def test_attest__v_not_27_or_28__reverts(certificates: Any, sign: Sign, provider: Any) -> None:
    cert = make(provider)
    first, second = sign.certificate(cert)

    with ape.reverts(BAD_SIGNATURE):
        certificates.attest(cert.as_arg(), [(first[0], 0, *first[2:]), second], sender=provider)


# --- signatures: what was signed -----------------------------------------------------------


def test_attest__signed_for_another_chain__reverts(
    certificates: Any, sign: Sign, provider: Any, elsewhere: Any
) -> None:
    cert = make(provider)

    with ape.reverts(WRONG_SIGNATURE):
        certificates.attest(
            cert.as_arg(), sign.certificate(cert, domain=elsewhere), sender=provider
        )


def test_attest__signed_for_another_deployment__reverts_there(
    chain: Any, certificates: Any, second_registry: Any, sign: Sign, provider: Any
) -> None:
    second = second_registry
    cert = make(provider)
    signatures = sign.certificate(cert)
    certificates.attest(cert.as_arg(), signatures, sender=provider)

    with ape.reverts(WRONG_SIGNATURE):
        second.attest(cert.as_arg(), signatures, sender=provider)

    # Signed for the second deployment, the same certificate is accepted there.
    own = sign.certificate(cert, domain=certs.domain(chain.chain_id, str(second.address)))
    second.attest(cert.as_arg(), own, sender=provider)
    assert second.certificate(PATENT, DOCUMENT) == record(provider, cert)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("owner", "attacker"),
        ("expiry", EXPIRY + 365 * 24 * 3600),
        ("status", CertStatus.PENDING),
        ("nonce", 2),
        ("number", "11234568"),
        ("office", "EP"),
        ("document", OTHER_DOCUMENT),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_attest__field_changed_after_signing__reverts(
    certificates: Any, sign: Sign, provider: Any, attacker: Any, field: str, value: Any
) -> None:
    signed = make(provider)
    tampered = unchecked(signed, **{field: attacker.address if value == "attacker" else value})

    with ape.reverts(WRONG_SIGNATURE):
        certificates.attest(tampered.as_arg(), sign.certificate(signed), sender=attacker)


def test_attest__revocation_signatures_as_certificate__reverts(
    certificates: Any, sign: Sign, provider: Any
) -> None:
    """Typed data keeps message kinds apart: a revocation's signatures never accept."""
    cert = make(provider)

    with ape.reverts(WRONG_SIGNATURE):
        certificates.attest(cert.as_arg(), sign.revocation(cert), sender=provider)
