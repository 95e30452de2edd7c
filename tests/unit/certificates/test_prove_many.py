"""Certificates.prove_many: many certificates of one accepted batch in one transaction,
each checked, stored and logged as `prove` does; every way to cheat refused by name."""

from collections.abc import Callable
from itertools import combinations
from typing import Any

import ape
import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus
from tests.fixtures.pool import DOCUMENT
from tests.unit.certificates.conftest import BadBatch, Batch, Sign, Superseded
from tests.unit.certificates.helpers import (
    BAD_MULTI_PROOF,
    FIELD_CHANGES,
    FLAG_COUNT,
    MERGE_COUNT,
    NO_CERTIFICATES,
    NONCE_USED,
    ROOT_REVOKED,
    UNKNOWN_ROOT,
    UNORDERED_LEAVES,
    ZERO,
    changed,
    events,
    make,
    multi_args,
    proven,
    record,
)


def _in_leaf_order(chosen: list[certs.Certificate]) -> list[certs.Certificate]:
    return sorted(chosen, key=lambda c: c.leaf())


def test_prove_many__whole_batch__every_record_stored_and_logged(
    certificates: Any, batch: Batch, outsider: Any
) -> None:
    """Anyone may prove; the whole tree needs no proof node."""
    args = multi_args(batch.tree, batch.certs)
    assert args[2] == []

    tx = certificates.prove_many(*args, sender=outsider)

    for cert in batch.certs:
        assert certificates.certificate(cert.patent, DOCUMENT) == record(cert.owner, cert)
    expected = [e for c in _in_leaf_order(batch.certs) for e in proven(certificates, c, batch.root)]
    assert events(tx, certificates) == expected


@pytest.mark.parametrize(
    "chosen",
    [s for k in (1, 2, 3, 4) for s in combinations(range(5), k)],
    ids=lambda s: "-".join(map(str, s)),
)
def test_prove_many__any_subset__stores_exactly_that_subset(
    certificates: Any, batch: Batch, provider: Any, chosen: tuple[int, ...]
) -> None:
    picked = [batch.certs[i] for i in chosen]

    certificates.prove_many(*multi_args(batch.tree, picked), sender=provider)

    for cert in batch.certs:
        expected = record(cert.owner, cert) if cert in picked else (ZERO, 0, 0, 0)
        assert certificates.certificate(cert.patent, DOCUMENT) == expected


def test_prove_many__single_leaf_tree__accepted(
    certificates: Any, accept_batch: Callable[..., Batch], provider: Any
) -> None:
    cert = make(provider)
    single = accept_batch([cert])

    certificates.prove_many(*multi_args(single.tree, [cert]), sender=provider)

    assert certificates.certificate(cert.patent, DOCUMENT) == record(provider, cert)


# --- attacks ------------------------------------------------------------------------------


def test_prove_many__certificate_not_in_the_root__reverts_and_stores_none(
    certificates: Any, batch: Batch, provider: Any
) -> None:
    """An outsider slipped in for a member, the member's proof kept."""
    member = batch.certs[1]
    outside = make(provider, nonce=1, number="99999999")
    picked = _in_leaf_order([batch.certs[0], member])
    args, root, proof, flags = multi_args(batch.tree, picked)
    args[picked.index(member)] = outside.as_arg()
    if picked.index(member) == 0 and outside.leaf() > picked[1].leaf():
        args.reverse()  # keep the order valid, so the proof is what fails

    with ape.reverts(BAD_MULTI_PROOF):
        certificates.prove_many(args, root, proof, flags, sender=provider)

    for cert in (*batch.certs, outside):
        assert certificates.certificate(cert.patent, DOCUMENT) == (ZERO, 0, 0, 0)


@FIELD_CHANGES
def test_prove_many__field_changed_from_the_batch__reverts(
    certificates: Any, batch: Batch, attacker: Any, field: str, value: Any
) -> None:
    """The tampered certificate alone with its member's multi-proof (one leaf, so no
    order to break): only the root can refuse it."""
    cert = batch.certs[2]
    _, root, proof, flags = multi_args(batch.tree, [cert])
    tampered = changed(cert, field, value, attacker)
    args = [tampered.as_arg()]

    with ape.reverts(BAD_MULTI_PROOF):
        certificates.prove_many(args, root, proof, flags, sender=attacker)


def test_prove_many__a_flag_flipped__reverts(
    certificates: Any, accept_batch: Callable[..., Batch], provider: Any
) -> None:
    """A flag and a proof node swapped for each other keep the counts right: the root fails."""
    batch = accept_batch([make(provider, number=f"2000000{i}") for i in range(8)])
    picked = _in_leaf_order(batch.certs)[2:5]
    args, root, proof, flags = multi_args(batch.tree, picked)
    first_merge, first_take = flags.index(True), flags.index(False)
    flags[first_merge], flags[first_take] = False, True

    with ape.reverts(BAD_MULTI_PROOF):
        certificates.prove_many(args, root, proof, flags, sender=provider)


def test_prove_many__unknown_root__reverts(
    certificates: Any, batch_certs: list[Any], provider: Any
) -> None:
    tree = certs.MerkleTree([c.leaf() for c in batch_certs])

    with ape.reverts(UNKNOWN_ROOT):
        certificates.prove_many(*multi_args(tree, batch_certs), sender=provider)


def test_prove_many__revoked_root__reverts_and_proven_records_stay(
    certificates: Any, sign: Sign, batch: Batch, provider: Any
) -> None:
    proven, pending = batch.certs[:2], batch.certs[2:]
    certificates.prove_many(*multi_args(batch.tree, proven), sender=provider)
    certificates.revoke_batch(batch.root, sign.batch_revocation(batch.root), sender=provider)

    with ape.reverts(ROOT_REVOKED):
        certificates.prove_many(*multi_args(batch.tree, pending), sender=provider)

    for cert in proven:
        assert certificates.certificate(cert.patent, DOCUMENT) == record(cert.owner, cert)
    for cert in pending:
        assert certificates.certificate(cert.patent, DOCUMENT) == (ZERO, 0, 0, 0)


def test_prove_many__one_nonce_already_used__reverts_whole_call(
    certificates: Any, batch: Batch, provider: Any
) -> None:
    """One certificate already proven on its own: the call that repeats it stores nothing."""
    done = batch.certs[3]
    certificates.prove(done.as_arg(), batch.root, batch.proof(done), sender=provider)

    with ape.reverts(NONCE_USED):
        certificates.prove_many(*multi_args(batch.tree, batch.certs), sender=provider)

    for cert in batch.certs:
        if cert != done:
            assert certificates.certificate(cert.patent, DOCUMENT) == (ZERO, 0, 0, 0)


def test_prove_many__newer_nonce_attested__reverts_and_keeps_newer(
    certificates: Any, batch: Batch, superseded: Superseded, provider: Any
) -> None:
    cert, newer = superseded

    with ape.reverts(NONCE_USED):
        certificates.prove_many(*multi_args(batch.tree, [cert]), sender=provider)

    assert certificates.certificate(cert.patent, DOCUMENT) == record(provider, newer)


def test_prove_many__same_certificate_twice__reverts_order(
    certificates: Any, batch: Batch, provider: Any
) -> None:
    """The duplicate takes the place of a real member (its leaf and proof node counts as
    for two distinct leaves): the strict order refuses it before any proof is run."""
    ordered = _in_leaf_order(batch.certs)
    args, root, proof, flags = multi_args(batch.tree, ordered[:2])
    args[1] = args[0]

    with ape.reverts(UNORDERED_LEAVES):
        certificates.prove_many(args, root, proof, flags, sender=provider)


def test_prove_many__certificates_out_of_leaf_order__reverts(
    certificates: Any, batch: Batch, provider: Any
) -> None:
    args, root, proof, flags = multi_args(batch.tree, batch.certs)

    with ape.reverts(UNORDERED_LEAVES):
        certificates.prove_many(args[::-1], root, proof, flags, sender=provider)


@pytest.mark.parametrize("change", ["flag_added", "flag_dropped", "proof_node_added"])
def test_prove_many__lengths_do_not_match__reverts(
    certificates: Any, batch: Batch, provider: Any, change: str
) -> None:
    args, root, proof, flags = multi_args(batch.tree, batch.certs[:2])
    if change == "flag_added":
        flags = [*flags, True]
    elif change == "flag_dropped":
        flags = flags[:-1]
    else:
        proof = [*proof, batch.root]

    with ape.reverts(FLAG_COUNT):
        certificates.prove_many(args, root, proof, flags, sender=provider)


def test_prove_many__flags_merge_too_often__reverts(
    certificates: Any, batch: Batch, provider: Any
) -> None:
    """Lengths right, but one merge too many would read past the nodes it has."""
    args, root, proof, flags = multi_args(batch.tree, batch.certs[:2])
    assert False in flags
    flags = [True] * len(flags)

    with ape.reverts(MERGE_COUNT):
        certificates.prove_many(args, root, proof, flags, sender=provider)


def test_prove_many__empty_call__reverts(certificates: Any, batch: Batch, provider: Any) -> None:
    """No certificates and the root as its own proof (snekmate would pass it as a no-op)."""
    with ape.reverts(NO_CERTIFICATES):
        certificates.prove_many([], batch.root, [batch.root], [], sender=provider)


def test_prove_many__certificate_with_status_out_of_range__reverts(
    certificates: Any, with_a_bad_leaf: BadBatch, provider: Any
) -> None:
    """A root says nothing about its leaves' fields: each is checked when stored."""
    good, bad, both = with_a_bad_leaf(status=CertStatus.REVOKED)

    with ape.reverts("certificates: status out of range"):
        certificates.prove_many(*multi_args(both.tree, [good, bad]), sender=provider)

    assert certificates.certificate(good.patent, DOCUMENT) == (ZERO, 0, 0, 0)


def test_prove_many__malformed_key__reverts_with_its_reason(
    certificates: Any, with_a_bad_leaf: BadBatch, provider: Any
) -> None:
    good, bad, both = with_a_bad_leaf(number="10000002x")

    with ape.reverts("patent_key: patent number may hold only 0-9, A-Z, '.', '/' and '-'"):
        certificates.prove_many(*multi_args(both.tree, [good, bad]), sender=provider)
