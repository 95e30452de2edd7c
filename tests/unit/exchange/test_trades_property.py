"""Any sequence of trades on the exchange, with attackers, as a property against a small
model: funds are conserved (what a buyer pays is what the seller and the royalty split
receive, no BPC is created, none stays in the exchange), the patent has exactly one
contributor of record (the last buyer) with its royalty weight, an exclusive licence of
the same terms never has two holders at once, and nothing is sold or licensed without its
owner's consent (issue 15, finding 2).

The owner lists itself, or mandates the patent's trusteeship `centre` (a kind, a floor
price, an expiry) and the centre lists; the owner revokes at will. The model predicts, for
every listing and purchase, success or the exact revert reason: the centre listing without
a mandate in force for that kind (or from an earlier owner), below its floor or after its
expiry; a purchase after the mandate ended; an `attacker` (not a member) cancelling or
revoking. A listing that the chain accepts where the model sees no consent fails the test.
"""

from dataclasses import dataclass, field
from functools import partial
from typing import Any

import ape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.exchange import EXCHANGE
from tests.unit.exchange.helpers import (
    AGREEMENT,
    ALREADY_LISTED,
    ASSIGNMENT,
    BELOW_FLOOR,
    BPC,
    EXCLUSIVE_LICENCE,
    MANDATE_ENDED,
    MANDATE_EXPIRED,
    NOT_CANCELLER,
    NOT_GRANTOR,
    NOT_LISTER,
    NOT_REVOKER,
    TERMS_EXCLUSIVE,
    terms_key,
)

HOLDERS = ["provider", "provider2", "fund"]  # who may hold the patent (the provider role)
LICENSEES = ["enterprise", "provider2", "provider"]  # active members
TERRITORIES = ["CN", "JP"]
FIELD = "payment terminals"
DAY = 86400
KINDS = {"assign": ASSIGNMENT, "exclusive": EXCLUSIVE_LICENCE}

listers = st.sampled_from(["owner", "owner", "centre"])
assignments = st.tuples(st.just("assign"), st.sampled_from(HOLDERS), st.integers(1, 10**6), listers)
licences = st.tuples(
    st.just("exclusive"),
    st.sampled_from(LICENSEES),
    st.integers(1, 10**6),
    st.sampled_from(TERRITORIES),
    st.integers(1, 40).map(lambda days: days * DAY),
    listers,
)
mandates = st.tuples(
    st.just("mandate"),
    st.sampled_from(["assign", "exclusive"]),
    st.integers(1, 10**6),  # floor price
    st.integers(1, 20).map(lambda days: days * DAY),  # term
)
revocations = st.tuples(
    st.just("revoke"),
    st.sampled_from(["assign", "exclusive"]),
    st.sampled_from(["owner", "centre"]),
)
attacks = st.tuples(st.just("attack"), st.sampled_from(["list", "cancel", "revoke", "mandate"]))
# A listing left open (an assignment at a price, by the owner or the centre), bought later.
parks = st.tuples(st.just("park"), st.integers(1, 10**6), listers)
parked_buys = st.tuples(st.just("buy parked"), st.sampled_from(HOLDERS))
waits = st.tuples(st.just("wait"), st.integers(1, 30).map(lambda days: days * DAY))
trades = st.lists(
    st.one_of(assignments, licences, mandates, revocations, attacks, parks, parked_buys, waits),
    min_size=1,
    max_size=8,
)


@dataclass
class Mandate:
    floor: int
    expiry: int
    sales: int  # the assignments before it: a mandate ends when the patent changes hands


@dataclass
class Model:
    owner: str = "provider"
    sales: int = 0  # assignments so far (PatentPool's tenure moves with each)
    exclusive_ends: dict[str, int] = field(default_factory=dict)  # territory -> end
    licences: list[tuple[str, int]] = field(default_factory=list)  # territory, licence id
    mandates: dict[int, Mandate] = field(default_factory=dict)  # kind -> the centre's mandate
    parked: tuple[int, bool, int] | None = None  # an open assignment: id, by the centre, price

    def mandate_in_force(self, kind: int, now: int) -> Mandate | None:
        m = self.mandates.get(kind)
        return m if m is not None and m.sales == self.sales and now < m.expiry else None

    def mandate_refusal(self, kind: int, price: int, now: int, ended: str) -> str | None:
        """Why the centre's mandate of `kind` does not cover `price` now (`ended` when it
        gave none or the patent changed hands since), or None."""
        m = self.mandates.get(kind)
        if m is None or m.sales != self.sales:
            return ended
        if now >= m.expiry:
            return MANDATE_EXPIRED
        if price < m.floor:
            return BELOW_FLOOR
        return None

    def listing_refusal(self, kind: int, price: int, now: int) -> str | None:
        """Why the centre's listing of `kind` at `price` is refused now, or None."""
        if self.owner == "fund":
            return "exchange: only the council lists the fund's patents"
        return self.mandate_refusal(kind, price, now, NOT_LISTER)

    def purchase_refusal(self, price: int, now: int) -> str | None:
        """Why the centre's parked assignment listing cannot be bought now, or None (the
        owner has not changed meanwhile: a trade cancels a parked listing first)."""
        return self.mandate_refusal(ASSIGNMENT, price, now, MANDATE_ENDED)


@settings(
    max_examples=10,
    deadline=None,  # each example sends a few dozen transactions
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=trades)
def test_trades__any_sequence_with_attackers__conserve_funds_and_need_the_owners_consent(
    chain: Any,
    exchange: Any,
    licensing: Any,
    patent_pool: Any,
    royalties: Any,
    bpc: Any,
    fund: Any,
    fund_bpc: Any,
    pool_council: Any,
    actors: dict[str, Any],
    lot: bytes,
    steps: list[tuple[Any, ...]],
) -> None:
    parties = {**actors, "fund": fund}
    centre, attacker = actors["centre"], actors["attacker"]
    buy_and_check = partial(_buy_and_check, exchange, royalties, bpc, fund, pool_council, parties)
    snapshot = chain.snapshot()  # fixtures are set up once for all examples: undo each one
    try:
        model = Model()
        for name in ("provider", "provider2", "enterprise", "fund"):
            fund_bpc(parties[name], 10**6 * BPC)
        for step in steps:
            now = int(chain.pending_timestamp)
            owner = _as(parties, model.owner, pool_council)
            if step[0] == "wait":
                chain.pending_timestamp += step[1]
                chain.mine()
                continue
            if step[0] == "mandate":
                _, trade, floor, term = step
                kind = KINDS[trade]
                if model.owner == "fund":  # the fund's patents stay with the council's vote
                    with ape.reverts(NOT_GRANTOR):
                        exchange.grant_mandate(lot, centre, kind, floor, now + term, sender=owner)
                    continue
                chain.pending_timestamp = now
                exchange.grant_mandate(lot, centre, kind, floor, now + term, sender=owner)
                model.mandates[kind] = Mandate(floor, now + term, model.sales)
                continue
            if step[0] == "revoke":
                _, trade, by = step
                kind = KINDS[trade]
                sender = centre if by == "centre" else owner
                given_now = exchange.mandate(lot, centre, kind).floor_price != 0
                if not given_now or (by == "owner" and model.owner == "fund"):
                    with ape.reverts():
                        exchange.revoke_mandate(lot, centre, kind, sender=sender)
                    continue
                exchange.revoke_mandate(lot, centre, kind, sender=sender)
                model.mandates.pop(kind, None)
                if model.parked is not None and model.parked[1] and kind == ASSIGNMENT:
                    model.parked = None  # revoking cancels the agent's listing under it
                continue
            if step[0] == "attack":
                chain.pending_timestamp = now
                _attack(exchange, lot, step[1], attacker, centre, model, now)
                continue
            if model.parked is not None and step[0] in ("park", "assign", "exclusive"):
                # the owner cancels whatever is open, its centre's listing included
                exchange.cancel(model.parked[0], sender=owner)
                model.parked = None
                now = int(chain.pending_timestamp)  # the next block's, after the cancel
            if step[0] == "park":
                _, price, via = step
                by_centre = via == "centre" and model.owner != "fund"
                chain.pending_timestamp = now
                refusal = model.listing_refusal(ASSIGNMENT, price, now) if by_centre else None
                if refusal is not None:
                    with ape.reverts(refusal):
                        exchange.list_assignment(lot, price, sender=centre)
                    continue
                lister = centre if by_centre else owner
                listing = exchange.list_assignment(lot, price, sender=lister).return_value
                model.parked = (listing, by_centre, price)
                continue
            if step[0] == "buy parked":
                buyer = step[1]
                if model.parked is None or buyer == model.owner:
                    continue
                listing, by_centre, price = model.parked
                chain.pending_timestamp = now
                refusal = model.purchase_refusal(price, now) if by_centre else None
                if refusal is not None:
                    with ape.reverts(refusal):
                        exchange.buy(listing, sender=_as(parties, buyer, pool_council))
                    continue
                buy_and_check(listing, model.owner, buyer, price, exclusive=False)
                model.owner, model.parked = buyer, None
                model.sales += 1
                _check_holders(patent_pool, licensing, royalties, parties, lot, model)
                continue
            trade, buyer, price = step[0], step[1], step[2]
            via_centre = step[-1] == "centre" and model.owner != "fund"
            seller = model.owner
            if buyer == seller:
                continue
            if step[0] == "exclusive":
                _, _, _, territory, duration, _ = step
                if model.exclusive_ends.get(territory, 0) > now:
                    with ape.reverts(TERMS_EXCLUSIVE):
                        exchange.list_exclusive(
                            lot, price, duration, FIELD, territory, AGREEMENT, sender=owner
                        )
                    continue
            lister = centre if via_centre else owner
            chain.pending_timestamp = now
            refusal = model.listing_refusal(KINDS[trade], price, now) if via_centre else None
            if refusal is not None:
                with ape.reverts(refusal):
                    _list(exchange, lot, step, lister)
                continue
            listing = _list(exchange, lot, step, lister)
            exclusive = trade != "assign"
            licence = buy_and_check(listing.return_value, seller, buyer, price, exclusive=exclusive)
            if trade == "assign":
                model.owner = buyer  # every mandate the seller gave ends here
                model.sales += 1
            else:
                model.exclusive_ends[territory] = int(chain.blocks.head.timestamp) + duration
                model.licences.append((territory, licence))
            _check_holders(patent_pool, licensing, royalties, parties, lot, model)
            _check_mandates(exchange, lot, centre, model, int(chain.blocks.head.timestamp))
    finally:
        chain.restore(snapshot)


def _as(parties: dict[str, Any], name: str, council: Any) -> Any:
    """Who sends for `name`: the council lists and buys for the fund."""
    return council if name == "fund" else parties[name]


def _list(exchange: Any, lot: bytes, step: tuple[Any, ...], lister: Any) -> Any:
    if step[0] == "assign":
        return exchange.list_assignment(lot, step[2], sender=lister)
    _, _, price, territory, duration, _ = step
    return exchange.list_exclusive(lot, price, duration, FIELD, territory, AGREEMENT, sender=lister)


def _attack(
    exchange: Any, lot: bytes, what: str, attacker: Any, centre: Any, model: Model, now: int
) -> None:
    """A stranger (or the centre beyond its mandate) tries to take a patent or its listing."""
    if what == "list":
        # the centre lists the assignment for 1 wei: refused unless a mandate allows 1 wei
        reason = model.listing_refusal(ASSIGNMENT, 1, now)
        if model.parked is not None:
            reason = ALREADY_LISTED  # checked first: one open listing per patent
        if reason is None:
            return  # the owner did allow it: not an attack
        with ape.reverts(reason):
            exchange.list_assignment(lot, 1, sender=centre)
    elif what == "cancel":
        listing = exchange.open_listing(lot)
        if listing:
            with ape.reverts(NOT_CANCELLER):
                exchange.cancel(listing, sender=attacker)
    elif what == "revoke":
        if exchange.mandate(lot, centre, ASSIGNMENT).floor_price:
            with ape.reverts(NOT_REVOKER):
                exchange.revoke_mandate(lot, centre, ASSIGNMENT, sender=attacker)
    else:
        with ape.reverts(NOT_GRANTOR):  # a mandate to itself, from nobody
            exchange.grant_mandate(lot, attacker, ASSIGNMENT, 1, now + DAY, sender=attacker)


def _buy_and_check(
    exchange: Any,
    royalties: Any,
    bpc: Any,
    fund: Any,
    council: Any,
    parties: dict[str, Any],
    listing: int,
    seller: str,
    buyer: str,
    price: int,
    exclusive: bool,
) -> int:
    everyone = [*{p.address for p in parties.values()}, royalties.address, exchange.address]
    before = {a: bpc.balanceOf(a) for a in everyone}
    supply, fees = bpc.totalSupply(), royalties.fees_in()
    if buyer == "fund":
        fund.approve(bpc, exchange, price, sender=council)
        tx = exchange.buy_for_fund(listing, sender=council)
    else:
        bpc.approve(exchange, price, sender=parties[buyer])
        tx = exchange.buy(listing, sender=parties[buyer])
    after = {a: bpc.balanceOf(a) for a in everyone}

    # an exclusive licence's whole price goes to the patent (its seller claims its part)
    to_pool = price if exclusive else price * EXCHANGE.pool_share_bps // 10_000
    assert royalties.fees_in() - fees == to_pool
    assert bpc.totalSupply() == supply  # nothing minted or burned
    assert sum(after.values()) == sum(before.values())  # nothing created or lost
    assert after[exchange.address] == 0  # nothing stays in the exchange
    seller_gain = after[parties[seller].address] - before[parties[seller].address]
    buyer_paid = before[parties[buyer].address] - after[parties[buyer].address]
    royalties_gain = sum(
        after[a] - before[a]
        for a in everyone
        if a not in (parties[seller].address, parties[buyer].address)
    )
    # the buyer's BPC = the seller's + the royalty split's (the fund's share of it included)
    assert buyer_paid == seller_gain + royalties_gain
    if "fund" not in (buyer, seller):
        assert seller_gain == price - to_pool
    assert after[parties["centre"].address] == before[parties["centre"].address] or (
        "centre" in (buyer, seller)
    )  # an agent takes nothing from the price on chain
    return int(tx.return_value)


def _check_holders(
    patent_pool: Any,
    licensing: Any,
    royalties: Any,
    parties: dict[str, Any],
    lot: bytes,
    model: Model,
) -> None:
    assert patent_pool.patents(lot).contributor == parties[model.owner].address
    weights = {name: royalties.contributor_weight(parties[name]) for name in HOLDERS}
    assert weights == {name: 80 if name == model.owner else 0 for name in HOLDERS}
    for territory in TERRITORIES:
        licences = [licence for t, licence in model.licences if t == territory]
        assert sum(licensing.is_licensed(licence) for licence in licences) <= 1
        key = terms_key(lot, FIELD, territory)
        assert licensing.exclusive_ends(key) == model.exclusive_ends.get(territory, 0)


def _check_mandates(exchange: Any, lot: bytes, centre: Any, model: Model, now: int) -> None:
    """The chain's view of each mandate is the model's: none survives a change of owner.
    (Within an hour of its expiry the view's clock, the node's pending block, may differ.)"""
    for kind in (ASSIGNMENT, EXCLUSIVE_LICENCE):
        m = model.mandates.get(kind)
        if m is not None and m.sales == model.sales and abs(m.expiry - now) < 3600:
            continue
        in_force = model.mandate_in_force(kind, now) is not None
        assert exchange.mandate(lot, centre, kind).in_force == in_force, (kind, model)
