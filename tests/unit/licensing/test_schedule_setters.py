"""The council's schedule setters (set_tier, set_large_enterprise_rate, set_min_term): each
refuses a value one above its cap, and anyone but the council, and the schedule stays as
published. What each value does is tested beside its setter (test_set_tier.py, ...)."""

from typing import Any

import ape
import pytest

from bpsa.core.codes import Kind
from tests.fixtures.licensing import LICENSING
from tests.unit.licensing.helpers import (
    MIN_TERM_MAX,
    NOT_OWNER,
    ONE,
    PRICE_ABOVE,
    RATE_ABOVE,
    RATE_MAX,
    TERM_ABOVE,
    TIER_MAX,
)

START_UP = int(Kind.START_UP)

# Each setter: its arguments before the value (the getter of what it sets takes them too),
# that getter, and the value published at deploy.
SETTERS: dict[str, tuple[tuple[int, ...], str, int]] = {
    "set_tier": ((START_UP,), "tier_price", LICENSING.start_up),
    "set_large_enterprise_rate": (
        (),
        "large_enterprise_price_per_bps",
        LICENSING.large_enterprise_per_bps,
    ),
    "set_min_term": ((), "min_term", LICENSING.min_term),
}


def assert_published(licensing: Any, setter: str) -> None:
    """What `setter` sets still holds the value published at deploy."""
    leading, getter, published = SETTERS[setter]
    assert getattr(licensing, getter)(*leading) == published


@pytest.mark.parametrize(
    ("setter", "value", "reason"),
    [
        pytest.param("set_tier", TIER_MAX + 1, PRICE_ABOVE, id="tier_one_wei_above_the_cap"),
        pytest.param(
            "set_large_enterprise_rate", RATE_MAX + 1, RATE_ABOVE, id="rate_one_wei_above_the_cap"
        ),
        pytest.param(
            "set_min_term", MIN_TERM_MAX + 1, TERM_ABOVE, id="term_one_second_above_ten_years"
        ),
    ],
)
def test_schedule_setter__value_above_its_cap__reverts(
    licensing: Any, pool_council: Any, setter: str, value: int, reason: str
) -> None:
    leading, _, _ = SETTERS[setter]

    with ape.reverts(reason):
        getattr(licensing, setter)(*leading, value, sender=pool_council)

    assert_published(licensing, setter)


@pytest.fixture
def caller(request: pytest.FixtureRequest, attacker: Any, provider: Any, enterprise: Any) -> Any:
    """The account a case names (`converted`: the provider, once it holds a BPR)."""
    if request.param == "converted":
        return request.getfixturevalue("converted")
    return {"attacker": attacker, "provider": provider, "enterprise": enterprise}[request.param]


@pytest.mark.parametrize(
    ("setter", "value", "caller"),
    [
        pytest.param("set_tier", 0, "attacker", id="tier-attacker"),
        pytest.param("set_tier", 1, "provider", id="tier-a_member_cutting_its_price"),
        pytest.param(
            "set_large_enterprise_rate", 0, "enterprise", id="rate-the_enterprise_cutting_its_price"
        ),
        pytest.param("set_large_enterprise_rate", ONE, "attacker", id="rate-attacker"),
        pytest.param("set_min_term", 0, "converted", id="term-a_holder_shortening_its_own_lock"),
        pytest.param("set_min_term", MIN_TERM_MAX, "attacker", id="term-attacker"),
    ],
    indirect=["caller"],
)
def test_schedule_setter__by_anyone_but_the_council__reverts(
    licensing: Any, setter: str, value: int, caller: Any
) -> None:
    leading, _, _ = SETTERS[setter]

    with ape.reverts(NOT_OWNER):
        getattr(licensing, setter)(*leading, value, sender=caller)

    assert_published(licensing, setter)
