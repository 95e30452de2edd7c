"""Licences and their backing, as a property: whatever members convert, release, receive
by grant or lose by revocation, every BPR is a conversion or a grant, nobody holds more
than one, and the BPC Licensing holds is exactly the sum of the locks, each the price
its holder was quoted when it converted.

A Python model predicts every call's outcome (its return value or its revert reason)."""

from dataclasses import dataclass, field
from typing import Any

import ape
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import DAY, ENTERPRISE_SHARE_BPS
from tests.unit.licensing.helpers import (
    HOLDS_BPR,
    HOLDS_NO_BPR,
    NO_TIER,
    NOT_ACTIVE,
    NOTHING_TO_RELEASE,
    ONE,
    ONLY_NON_PROFITS,
    TERM_NOT_OVER,
)

# The actors by index: a start-up, the large enterprise, an individual and a non-profit.
KINDS = [Kind.START_UP, Kind.LARGE_ENTERPRISE, Kind.INDIVIDUAL, Kind.NON_PROFIT]
ENTERPRISE = KINDS.index(Kind.LARGE_ENTERPRISE)
STOCK = 5_000 * ONE  # more than any price the actions below can reach (1,500 BPC)
TERM_DAYS = LICENSING.min_term // DAY

who = st.integers(min_value=0, max_value=len(KINDS) - 1)
STEPS = {
    "convert": st.tuples(st.just("convert"), who),
    "release": st.tuples(st.just("release"), who),
    "wait": st.tuples(st.just("wait"), st.sampled_from([TERM_DAYS, 1, 15])),
    "grant": st.tuples(st.just("grant"), who),
    "expel_and_revoke": st.tuples(st.just("expel_and_revoke"), who),
    "set_tier": st.tuples(
        st.just("set_tier"), st.sampled_from(list(Kind)), st.sampled_from([0, 5, 40])
    ),
    "set_share": st.tuples(st.just("set_share"), st.sampled_from([0, 3_000, 10_000])),
}
# Weighted: conversions, releases and waits make the interesting histories; an expulsion
# ends an actor's part, so it comes rarely.
WEIGHTS = {"convert": 4, "release": 3, "wait": 3}
actions = st.lists(
    st.sampled_from([name for name in STEPS for _ in range(WEIGHTS.get(name, 1))]).flatmap(
        STEPS.__getitem__
    ),
    min_size=6,
    max_size=12,
)


@dataclass
class Model:
    tiers: dict[Kind, int] = field(
        default_factory=lambda: dict(zip(Kind, LICENSING.tiers(), strict=True))
    )
    share: int = ENTERPRISE_SHARE_BPS
    day: int = 0
    locks: dict[int, tuple[int, int]] = field(default_factory=dict)  # actor -> (lock, day)
    grants: set[int] = field(default_factory=set)
    expelled: set[int] = field(default_factory=set)

    def price(self, i: int) -> int:
        price = self.tiers[KINDS[i]]
        if KINDS[i] == Kind.LARGE_ENTERPRISE and price:
            price += self.share * LICENSING.large_enterprise_per_bps
        return price

    def holds(self, i: int) -> bool:
        return i in self.locks or i in self.grants

    def holder_or(self, k: int) -> int:
        """The k-th holder (mod their number), or actor k when nobody holds a BPR: aims
        releases and revocations at a holder whenever there is one (the refusals to a
        non-holder are unit tests of their own)."""
        holders = sorted({*self.locks, *self.grants})
        return holders[k % len(holders)] if holders else k


@pytest.fixture
def stocked_members(
    bpc: Any,
    licensing: Any,
    fund_bpc: Any,
    provider: Any,
    enterprise: Any,
    experts: list[Any],
    centre: Any,
) -> list[Any]:
    """The actors of KINDS, each with `STOCK` BPC and Licensing approved for all of it."""
    members = [provider, enterprise, experts[0], centre]
    for member in members:
        fund_bpc(member, STOCK)
        bpc.approve(licensing, 2**256 - 1, sender=member)
    return members


def _convert(licensing: Any, model: Model, i: int, member: Any) -> None:
    price = model.price(i)
    reason = (
        NOT_ACTIVE
        if i in model.expelled
        else HOLDS_BPR
        if model.holds(i)
        else NO_TIER
        if price == 0
        else None
    )
    if reason:
        with ape.reverts(reason):
            licensing.convert(sender=member)
        return
    assert licensing.convert(sender=member).return_value == price
    model.locks[i] = (price, model.day)


def _release(licensing: Any, model: Model, i: int, member: Any) -> None:
    if i not in model.locks:
        with ape.reverts(NOTHING_TO_RELEASE):
            licensing.release(sender=member)
    elif model.day - model.locks[i][1] < TERM_DAYS:
        with ape.reverts(TERM_NOT_OVER):
            licensing.release(sender=member)
    else:
        assert licensing.release(sender=member).return_value == model.locks.pop(i)[0]


def _grant(licensing: Any, council: Any, model: Model, i: int, member: Any) -> None:
    reason = (
        NOT_ACTIVE
        if i in model.expelled
        else ONLY_NON_PROFITS
        if KINDS[i] != Kind.NON_PROFIT
        else HOLDS_BPR
        if model.holds(i)
        else None
    )
    if reason:
        with ape.reverts(reason):
            licensing.grant(member, sender=council)
        return
    licensing.grant(member, sender=council)
    model.grants.add(i)


def _expel_and_revoke(
    licensing: Any, alliance: Any, council: Any, model: Model, i: int, member: Any
) -> None:
    if i not in model.expelled:
        alliance.expel(member, sender=council)
        model.expelled.add(i)
    if not model.holds(i):
        with ape.reverts(HOLDS_NO_BPR):
            licensing.revoke(member, sender=council)
        return
    tx = licensing.revoke(member, sender=council)
    returned = model.locks.pop(i)[0] if i in model.locks else 0
    model.grants.discard(i)
    assert [e.returned for e in tx.events.filter(licensing.Revoked)] == [returned]


@settings(
    max_examples=10,
    deadline=None,  # each example sends up to a few dozen transactions
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=actions)
@example(  # every path at least once: convert, early and due release, re-pricing, grant, revoke
    steps=[
        ("convert", 0),
        ("convert", 1),
        ("release", 0),
        ("set_tier", Kind.START_UP, 40),
        ("set_share", 10_000),
        ("wait", TERM_DAYS),
        ("release", 0),
        ("convert", 0),
        ("grant", 3),
        ("expel_and_revoke", 1),
        ("expel_and_revoke", 3),
        ("convert", 2),
    ]
)
def test_licensing__any_sequence_of_holdings__every_bpr_is_backed_and_single(
    chain: Any,
    bpc: Any,
    bpr: Any,
    licensing: Any,
    pool_alliance: Any,
    pool_council: Any,
    stocked_members: list[Any],
    steps: list[tuple[Any, ...]],
) -> None:
    snapshot = chain.snapshot()  # fixtures are set up once for all examples: undo each one
    try:
        model = Model()
        for step in steps:
            action, arg = step[0], step[1]
            if action == "convert":
                _convert(licensing, model, arg, stocked_members[arg])
            elif action == "release":
                i = model.holder_or(arg)
                _release(licensing, model, i, stocked_members[i])
            elif action == "wait":
                chain.pending_timestamp += arg * DAY
                model.day += arg
            elif action == "grant":
                _grant(licensing, pool_council, model, arg, stocked_members[arg])
            elif action == "expel_and_revoke":
                i = model.holder_or(arg)
                member = stocked_members[i]
                _expel_and_revoke(licensing, pool_alliance, pool_council, model, i, member)
            elif action == "set_tier":
                licensing.set_tier(int(arg), step[2] * ONE, sender=pool_council)
                model.tiers[arg] = step[2] * ONE
            elif action == "set_share" and ENTERPRISE not in model.expelled:
                pool_alliance.set_market_share(
                    stocked_members[ENTERPRISE], arg, sender=pool_council
                )
                model.share = arg
            # the two cheap invariants after every step
            assert bpr.totalSupply() == licensing.conversions() + licensing.grants()
            assert licensing.total_locked() == bpc.balanceOf(licensing)

        assert (licensing.conversions(), licensing.grants()) == (
            len(model.locks),
            len(model.grants),
        )
        locks = [licensing.locked(m) for m in stocked_members]
        assert locks == [model.locks.get(i, (0, 0))[0] for i in range(len(KINDS))]
        assert licensing.total_locked() == bpc.balanceOf(licensing) == sum(locks)
        assert [bpr.balanceOf(m) for m in stocked_members] == [
            int(model.holds(i)) for i in range(len(KINDS))
        ]
        assert [licensing.granted(m) for m in stocked_members] == [
            i in model.grants for i in range(len(KINDS))
        ]
        # nobody's BPC appeared or vanished: each holds its stock less its own lock
        assert [bpc.balanceOf(m) for m in stocked_members] == [STOCK - lock for lock in locks]
    finally:
        chain.restore(snapshot)
