"""Attack: a trusteeship centre earns a patent's revenue without a mandate in force.

Only a centre that accepted the contributor's offer earns, from its acceptance to the
mandate's end: not a nominee named at submission, not one offered terms it has not
accepted, not after either side ended it, not past its expiry (a fee the patent earns
alone; anyone may then end it, which stops the pool-wide share too), not after the patent
changed hands or left the registry. What it earned while the mandate held stays its own.
"""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core.codes import Removal
from tests.fixtures.pool import PoolDriver
from tests.unit.mandates.conftest import Fee
from tests.unit.mandates.helpers import BPC, NO_MANDATE, NUMBER, REFERENCE, SHARE, TERMS, ZERO

# Under PARAMS (contributors 70%, centres 10%, fund 20%) and the mandate's 10% share;
# the provider holds the 500 BPC its patent minted and hands the licensee the fees:
FEE = 100 * BPC  # a fee the patent earns alone (pay_for)
WIDE = 10 * BPC  # a pool-wide fee; the patent is the only one pooled
TO_FUND = 20 * BPC
WITH_CENTRE = (70 * BPC, 10 * BPC)  # (contributor, centre) of FEE under the mandate
ALONE = (80 * BPC, 0)  # without one, the contributor keeps the centre's part


def earned(royalties: Any, provider: Any, centre: Any) -> tuple[int, int]:
    return int(royalties.claimable(provider)), int(royalties.claimable(centre))


def test_attack__nominee_named_at_submission__earns_nothing(
    driver: PoolDriver, bpc: Any, royalties: Any, licensee: Any, provider: Any, centre: Any
) -> None:
    patent = driver.pooled(provider, NUMBER, score=80)  # no mandate: submit names a nominee
    nominated = driver.submit(provider, "33456789", centre=centre)
    driver.certify(provider, "33456789")
    driver.rate(nominated, 80)
    driver.pool.pool(nominated, sender=driver.council)
    bpc.transfer(licensee, 2 * FEE, sender=provider)
    bpc.approve(royalties, 2 * FEE, sender=licensee)

    royalties.pay(FEE, REFERENCE, sender=licensee)  # two patents of 80: half each
    tx = royalties.pay_for(nominated, FEE, REFERENCE, sender=licensee)

    assert patent != nominated
    assert royalties.claimable(centre) == 0
    assert royalties.centre_weight(centre) == 0
    assert royalties.claimable(provider) == 80 * BPC + ALONE[0]
    assert tx.events.filter(royalties.PatentRoyaltyPaid)[0].centre == ZERO


def test_attack__offer_not_accepted__earns_nothing(
    royalties: Any, provider: Any, centre: Any, offered: bytes, pay_for: Fee, pay: Fee
) -> None:
    pay(WIDE)
    tx = pay_for(FEE)

    assert earned(royalties, provider, centre) == (8 * BPC + ALONE[0], 0)
    event = tx.events.filter(royalties.PatentRoyaltyPaid)[0]
    assert (event.centre, event.to_centre, event.to_fund) == (ZERO, 0, TO_FUND)


def test_mandate__accepted__centre_earns_its_share_of_both_kinds_of_fee(
    royalties: Any, provider: Any, centre: Any, accepted: bytes, pay_for: Fee, pay: Fee
) -> None:
    pay(WIDE)
    tx = pay_for(FEE)

    assert earned(royalties, provider, centre) == (
        7 * BPC + WITH_CENTRE[0],
        1 * BPC + WITH_CENTRE[1],
    )
    event = tx.events.filter(royalties.PatentRoyaltyPaid)[0]
    assert (event.centre, event.to_centre, event.to_contributor) == (
        centre.address, WITH_CENTRE[1], WITH_CENTRE[0]
    )  # fmt: skip


@pytest.mark.parametrize("ender", ["provider", "centre"])
def test_attack__after_either_side_ends__earns_nothing_more_and_keeps_what_it_earned(
    mandates: Any,
    royalties: Any,
    provider: Any,
    centre: Any,
    accepted: bytes,
    pay_for: Fee,
    pay: Fee,
    ender: str,
) -> None:
    pay(WIDE)
    mandates.end_mandate(accepted, sender={"provider": provider, "centre": centre}[ender])

    pay(WIDE)
    pay_for(FEE)

    assert earned(royalties, provider, centre) == (7 * BPC + 8 * BPC + ALONE[0], 1 * BPC)
    assert royalties.centre_weight(centre) == royalties.delegated_weight(provider) == 0


def test_attack__past_its_expiry__a_fee_the_patent_earns_skips_the_centre(
    chain: Any,
    patent_pool: Any,
    mandates: Any,
    royalties: Any,
    provider: Any,
    centre: Any,
    outsider: Any,
    accepted: bytes,
    expiry: int,
    pay_for: Fee,
    pay: Fee,
) -> None:
    chain.pending_timestamp = expiry

    pay_for(FEE)

    assert earned(royalties, provider, centre) == ALONE
    assert patent_pool.ownership(accepted)[2] == ZERO
    assert patent_pool.payees(accepted)[2:] == (ZERO, 0)
    # anyone ends it: the pool-wide share goes back to the contributor
    mandates.end_mandate(accepted, sender=outsider)
    pay(WIDE)
    assert earned(royalties, provider, centre) == (ALONE[0] + 8 * BPC, 0)


def test_attack__past_its_expiry_at_pooling__the_weight_goes_to_the_contributor(
    chain: Any,
    driver: PoolDriver,
    royalties: Any,
    provider: Any,
    centre: Any,
    pay: Fee,
) -> None:
    patent = driver.submit(provider, "33456789")
    expiry = driver.mandate(patent, provider, centre, expiry=driver.now() + 100)
    chain.pending_timestamp = expiry
    driver.certify(provider, "33456789")
    driver.rate(patent, 80)

    driver.pool.pool(patent, sender=driver.council)

    assert royalties.centre_weight(centre) == 0
    assert driver.pool.patents(patent).centre == ZERO


def test_attack__after_a_change_of_hands__earns_nothing_and_the_offer_is_gone(
    patent_pool: Any,
    mandates: Any,
    royalties: Any,
    provider: Any,
    provider2: Any,
    centre: Any,
    accepted: bytes,
    expiry: int,
    pay_for: Fee,
    change_hands: Callable[[bytes], None],
) -> None:
    change_hands(accepted)

    pay_for(FEE)

    assert royalties.claimable(centre) == 0
    assert royalties.claimable(provider2) == ALONE[0]
    assert royalties.centre_weight(centre) == 0
    assert mandates.mandate_of(accepted)[4] == 0  # none in the buyer's tenure
    assert patent_pool.ownership(accepted)[2] == ZERO


def test_attack__after_leaving_the_registry__no_mandate_remains(
    patent_pool: Any,
    mandates: Any,
    royalties: Any,
    pool_council: Any,
    centre: Any,
    accepted: bytes,
) -> None:
    patent_pool.remove(accepted, int(Removal.REJECTED), sender=pool_council)

    assert royalties.centre_weight(centre) == 0
    assert mandates.mandate_of(accepted)[4] == 0
    assert patent_pool.patents(accepted).centre == ZERO


def test_attack__offer_accepted_after_a_change_of_hands__reverts(
    mandates: Any,
    centre: Any,
    offered: bytes,
    expiry: int,
    change_hands: Callable[[bytes], None],
) -> None:
    change_hands(offered)

    with ape.reverts(NO_MANDATE):
        mandates.accept_mandate(offered, TERMS, SHARE, expiry, sender=centre)
