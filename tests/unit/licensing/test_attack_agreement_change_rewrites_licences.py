"""Attack: the council changes a standard agreement to rewrite the terms of licences
already made (a BPR converted or granted, a device batch, a per-patent licence on a
listing that took the standard).

Invariant: a licence keeps the agreement in force when it was made: a BPR and a device
batch record the version, a listing copies the digest; a change binds only licences made
after it."""

from collections.abc import Callable
from typing import Any

from eth_utils.crypto import keccak

from bpsa.core import devices
from tests.fixtures.pool import PoolDriver
from tests.unit.licensing.helpers import (
    BPR_AGREEMENT,
    DEVICE_AGREEMENT,
    ONE,
    PER_PATENT_AGREEMENT,
    YEAR,
)

KINDS = (BPR_AGREEMENT, PER_PATENT_AGREEMENT, DEVICE_AGREEMENT)
OLD = {kind: keccak(b"old agreement %d" % kind) for kind in KINDS}
NEW = {kind: keccak(b"new agreement %d" % kind) for kind in KINDS}
PRICE = 10 * ONE


def test_set_agreement__after_licences_were_made__each_keeps_its_old_agreement(
    driver: PoolDriver,
    licensing: Any,
    pool_council: Any,
    provider: Any,
    enterprise: Any,
    centre: Any,
    convert_as: Callable[[Any], Any],
    pay_licensing: Callable[[Any, int], None],
) -> None:
    for kind in KINDS:
        licensing.set_agreement(kind, OLD[kind], sender=pool_council)
    patent = driver.pooled(provider)
    convert_as(provider)
    licensing.grant(centre, sender=pool_council)
    tree = devices.DeviceTree(devices.serials("PRD-A", 4))
    old_batch = licensing.register_batch(
        devices.product_id("PRD-A"), tree.root, 4, sender=enterprise
    ).return_value
    listing = licensing.list_terms(patent, PRICE, YEAR, "terminals", "CN", sender=provider)
    pay_licensing(enterprise, PRICE)
    licence = licensing.buy(listing.return_value, sender=enterprise).return_value

    for kind in KINDS:
        licensing.set_agreement(kind, NEW[kind], sender=pool_council)
    new_batch = licensing.register_batch(
        devices.product_id("PRD-B"), tree.root, 4, sender=enterprise
    )
    convert_as(enterprise)

    assert licensing.bpr_agreement(provider) == OLD[BPR_AGREEMENT]
    assert licensing.bpr_agreement(centre) == OLD[BPR_AGREEMENT]
    assert licensing.batches(old_batch).agreement == OLD[DEVICE_AGREEMENT]
    assert licensing.licences(licence).agreement == OLD[PER_PATENT_AGREEMENT]
    # the change binds the licences made after it
    assert licensing.bpr_agreement(enterprise) == NEW[BPR_AGREEMENT]
    assert licensing.batches(new_batch.return_value).agreement == NEW[DEVICE_AGREEMENT]
    assert new_batch.events.filter(licensing.BatchRegistered)[0].agreement_version == 2
