"""Any sequence of trades on the exchange, as a property against a small model: funds are
conserved (what a buyer pays is what the seller and the royalty split receive, no BPC is
created, none stays in the exchange), the patent has exactly one contributor of record
(the last buyer) with its royalty weight, and an exclusive licence of the same terms never
has two holders at once."""

from dataclasses import dataclass, field
from typing import Any

import ape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fixtures.exchange import EXCHANGE
from tests.unit.exchange.helpers import BPC, TERMS_EXCLUSIVE, terms_key

HOLDERS = ["provider", "provider2", "fund"]  # who may hold the patent (the provider role)
LICENSEES = ["enterprise", "provider2", "provider"]  # active members
TERRITORIES = ["CN", "JP"]
FIELD = "payment terminals"
DAY = 86400

sales = st.tuples(st.just("assign"), st.sampled_from(HOLDERS), st.integers(1, 10**6))
licences = st.tuples(
    st.just("exclusive"),
    st.sampled_from(LICENSEES),
    st.integers(1, 10**6),
    st.sampled_from(TERRITORIES),
    st.integers(1, 40).map(lambda days: days * DAY),
)
waits = st.tuples(st.just("wait"), st.integers(1, 30).map(lambda days: days * DAY))
trades = st.lists(st.one_of(sales, licences, waits), min_size=1, max_size=6)


@dataclass
class Model:
    owner: str = "provider"
    exclusive_ends: dict[str, int] = field(default_factory=dict)  # territory -> end
    licences: list[tuple[str, int]] = field(default_factory=list)  # territory, licence id


@settings(
    max_examples=10,
    deadline=None,  # each example sends a few dozen transactions
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=trades)
def test_trades__any_sequence__conserve_funds_and_never_two_holders(
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
    snapshot = chain.snapshot()  # fixtures are set up once for all examples: undo each one
    try:
        model = Model()
        for name in ("provider", "provider2", "enterprise", "fund"):
            fund_bpc(parties[name], 10**6 * BPC)
        for step in steps:
            if step[0] == "wait":
                chain.pending_timestamp += step[1]
                chain.mine()
                continue
            seller = model.owner
            if step[0] == "assign":
                _, buyer, price = step
                if buyer == seller:
                    continue
                listing = exchange.list_assignment(
                    lot, price, sender=_as(parties, seller, pool_council)
                )
            else:
                _, buyer, price, territory, duration = step
                if buyer == seller:
                    continue
                now = int(chain.pending_timestamp)
                if model.exclusive_ends.get(territory, 0) > now:
                    with ape.reverts(TERMS_EXCLUSIVE):
                        exchange.list_exclusive(
                            lot,
                            price,
                            duration,
                            FIELD,
                            territory,
                            sender=_as(parties, seller, pool_council),
                        )
                    continue
                listing = exchange.list_exclusive(
                    lot,
                    price,
                    duration,
                    FIELD,
                    territory,
                    sender=_as(parties, seller, pool_council),
                )
            licence = _buy_and_check(
                exchange,
                royalties,
                bpc,
                fund,
                pool_council,
                parties,
                listing.return_value,
                seller,
                buyer,
                price,
            )
            if step[0] == "assign":
                model.owner = buyer
            else:
                model.exclusive_ends[territory] = int(chain.blocks.head.timestamp) + duration
                model.licences.append((territory, licence))
            _check_holders(patent_pool, licensing, royalties, parties, lot, model)
    finally:
        chain.restore(snapshot)


def _as(parties: dict[str, Any], name: str, council: Any) -> Any:
    """Who sends for `name`: the council lists and buys for the fund."""
    return council if name == "fund" else parties[name]


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

    to_pool = price * EXCHANGE.pool_share_bps // 10_000
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
