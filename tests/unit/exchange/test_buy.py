"""Exchange.buy: one transaction moves the price (the pool's share into Royalties, the rest
to the seller) and the registry's record: the contributor of record for an assignment,
Licensing's licence record for an exclusive licence. The patent's state is read again."""

from collections.abc import Callable
from typing import Any

import ape
import pytest

from bpsa.core import claims
from bpsa.core.codes import Lapse, Source
from tests.unit.exchange.conftest import Sell
from tests.unit.exchange.helpers import (
    AGREEMENT,
    ASSIGNMENT,
    BPC,
    CHANGED_HANDS,
    DURATION,
    EXCLUSIVE_LICENCE,
    FIELD,
    LAPSED,
    NO_ALLOWANCE,
    NO_OPEN_LISTING,
    NOT_ASSIGNEE,
    NOT_LICENSEE,
    OWN_LISTING,
    PRICE,
    REMOVED,
    SOLD,
    TERRITORY,
    TO_POOL,
    TO_SELLER,
    ZERO,
    terms_key,
)


def test_buy__assignment__pays_seller_and_pool_and_makes_the_buyer_contributor(
    exchange: Any,
    patent_pool: Any,
    lot: bytes,
    assignment: int,
    sell: Sell,
    provider: Any,
    provider2: Any,
) -> None:
    tx = sell(assignment, provider2)

    assert tx.return_value == 0
    record = patent_pool.patents(lot)
    assert (record.contributor, record.centre, record.source) == (
        provider2.address, ZERO, Source.CONTRIBUTED
    )  # fmt: skip
    assert exchange.listings(assignment).state == SOLD
    assert exchange.open_listing(lot) == 0
    sold = tx.events.filter(exchange.Sold)[0]
    assert (sold.buyer, sold.seller, sold.kind, sold.to_royalties, sold.to_seller) == (
        provider2.address, provider.address, ASSIGNMENT, TO_POOL, TO_SELLER
    )  # fmt: skip


def test_buy__assignment__moves_the_royalty_weight_and_ends_the_centre_mandate(
    exchange: Any,
    royalties: Any,
    assignment: int,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
) -> None:
    pay(provider2)
    assert (royalties.contributor_weight(provider), royalties.centre_weight(centre)) == (80, 80)

    exchange.buy(assignment, sender=provider2)

    assert royalties.contributor_weight(provider) == 0
    assert royalties.contributor_weight(provider2) == 80
    assert royalties.centre_weight(centre) == 0
    assert royalties.total_contributor_weight() == 80


def test_buy__assignment__the_patent_stays_in_force_on_the_certificate_naming_the_seller(
    exchange: Any,
    patent_pool: Any,
    lot: bytes,
    assignment: int,
    pay: Callable[..., None],
    provider2: Any,
) -> None:
    pay(provider2)

    exchange.buy(assignment, sender=provider2)

    assert patent_pool.lapse_of(lot) == Lapse.NONE


def test_buy__exclusive_licence__records_the_licence_for_the_buyer(
    exchange: Any,
    licensing: Any,
    patent_pool: Any,
    royalties: Any,
    centre: Any,
    lot: bytes,
    exclusive: int,
    sell: Sell,
    provider: Any,
    enterprise: Any,
) -> None:
    claimable = {a: royalties.claimable(a) for a in (provider, centre)}

    tx = sell(exclusive, enterprise, to_pool=PRICE)  # the whole price to the patent

    # its contributor (the seller) and its centre earn it, less the fund's share
    assert royalties.claimable(provider) - claimable[provider] == PRICE * 7_000 // 10_000
    assert royalties.claimable(centre) - claimable[centre] == PRICE * 1_000 // 10_000
    licence = tx.return_value
    assert licence == 1
    record = licensing.licences(licence)
    assert (record.listing, record.patent, record.licensee) == (
        0,
        lot,
        enterprise.address,
    )
    assert record.end - record.start == DURATION
    assert record.agreement == AGREEMENT  # the listing's agreement, carried to the licence
    assert licensing.is_licensed(licence)
    assert licensing.exclusive_ends(terms_key(lot)) == record.end
    assert patent_pool.patents(lot).contributor == provider.address  # no assignment
    sold = tx.events.filter(exchange.Sold)[0]
    assert (sold.kind, sold.licence) == (EXCLUSIVE_LICENCE, licence)


def test_buy__exclusive_licence__per_patent_terms_listed_since__reverts(
    exchange: Any,
    licensing: Any,
    lot: bytes,
    exclusive: int,
    pay: Callable[..., None],
    provider: Any,
    enterprise: Any,
) -> None:
    licensing.list_terms(lot, PRICE, DURATION, FIELD, TERRITORY, sender=provider)
    pay(enterprise)

    with ape.reverts("licensing: per-patent listings of these terms are active"):
        exchange.buy(exclusive, sender=enterprise)


def test_buy__sold_listing__reverts(
    exchange: Any, assignment: int, pay: Callable[..., None], provider2: Any
) -> None:
    pay(provider2, 2 * PRICE)
    exchange.buy(assignment, sender=provider2)

    with ape.reverts(NO_OPEN_LISTING):
        exchange.buy(assignment, sender=provider2)


def test_buy__unknown_listing__reverts(exchange: Any, provider2: Any) -> None:
    with ape.reverts(NO_OPEN_LISTING):
        exchange.buy(99, sender=provider2)


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        pytest.param("lapsed", LAPSED, id="patent_lapsed_after_listing"),
        pytest.param("removed", REMOVED, id="patent_removed_after_listing"),
        # the listing outlives the patent's first life: removed, then submitted and pooled by
        # provider2, the listing's seller (provider) no longer holds it
        pytest.param("pooled again", CHANGED_HANDS, id="patent_pooled_again_by_another_provider"),
    ],
)
def test_buy__patent_changed_after_listing__reverts(
    exchange: Any,
    assignment: int,
    pay: Callable[..., None],
    provider2: Any,
    patent_in: Callable[[str], bytes],
    state: str,
    reason: str,
) -> None:
    pay(provider2)
    patent_in(state)

    with ape.reverts(reason):
        exchange.buy(assignment, sender=provider2)


@pytest.mark.parametrize(
    ("listing", "buyer", "reason"),
    [
        pytest.param("exclusive", "provider", OWN_LISTING, id="seller_buys_its_own_listing"),
        pytest.param(
            "assignment",
            "enterprise",
            NOT_ASSIGNEE,
            id="assignment_by_a_member_without_the_provider_role",
        ),
        pytest.param("exclusive", "licensee", NOT_LICENSEE, id="exclusive_licence_by_a_non_member"),
    ],
)
def test_buy__buyer_the_listing_does_not_admit__reverts(
    exchange: Any,
    list_lot: Callable[[str], int],
    pay: Callable[..., None],
    actors: dict[str, Any],
    listing: str,
    buyer: str,
    reason: str,
) -> None:
    listed = list_lot(listing)
    pay(actors[buyer])

    with ape.reverts(reason):
        exchange.buy(listed, sender=actors[buyer])


def test_buy__without_allowance__reverts_and_changes_nothing(
    exchange: Any,
    patent_pool: Any,
    fund_bpc: Callable[..., None],
    lot: bytes,
    assignment: int,
    provider: Any,
    provider2: Any,
) -> None:
    fund_bpc(provider2, PRICE)

    with ape.reverts(NO_ALLOWANCE):
        exchange.buy(assignment, sender=provider2)

    assert patent_pool.patents(lot).contributor == provider.address
    assert exchange.open_listing(lot) == assignment


def test_buy__exclusive_licence__the_licensee_proves_it_with_a_signed_claim(
    chain: Any,
    exchange: Any,
    licensing: Any,
    exclusive: int,
    pay: Callable[..., None],
    provider: Any,
    enterprise: Any,
) -> None:
    # the licence's "code control" moves with the sale: its holder signs claims Licensing
    # (and bpsa.core.claims off chain) accepts, and the seller's claims on it fail
    pay(enterprise)
    licence = exchange.buy(exclusive, sender=enterprise).return_value
    dom = claims.domain(chain.chain_id, str(licensing.address))
    expiry = int(chain.pending_timestamp) + 3600

    def signed(holder: Any) -> tuple[Any, bytes]:
        claim = claims.LicenceClaim(str(holder.address), licence, b"\x07" * 32, expiry, 1)
        return claim.as_arg(), claims.sign(claim, dom, holder.private_key)

    assert licensing.verify_claim(*signed(enterprise))
    assert not licensing.verify_claim(*signed(provider))


def test_buy__assignment__fees_before_the_sale_stay_with_the_seller_and_later_go_to_the_buyer(
    exchange: Any,
    royalties: Any,
    bpc: Any,
    fund_bpc: Callable[..., None],
    assignment: int,
    pay: Callable[..., None],
    provider: Any,
    provider2: Any,
    centre: Any,
    licensee: Any,
) -> None:
    # A fee belongs to whoever held the right when it was earned. The lot (score 80, with
    # the centre) is the only pooled patent, so the whole 80% goes to its side.
    def fee(amount: int) -> None:
        fund_bpc(licensee, amount)
        bpc.approve(royalties, amount, sender=licensee)
        royalties.pay(amount, b"\x01" * 32, sender=licensee)

    before = {who: royalties.claimable(who) for who in (provider, provider2, centre)}
    fee(100 * BPC)
    pay(provider2)
    exchange.buy(assignment, sender=provider2)  # the pool's share of the price is a fee too
    fee(100 * BPC)

    earned = {who: royalties.claimable(who) - before[who] for who in before}
    # before the sale: 70 + 10; the price's 100 BPC share, paid while the seller held it: 70 + 10
    assert earned[provider] == 70 * BPC + TO_POOL * 7 // 10
    assert earned[centre] == 10 * BPC + TO_POOL // 10
    # after the sale the buyer holds it without a centre: the whole 80 BPC
    assert earned[provider2] == 80 * BPC
