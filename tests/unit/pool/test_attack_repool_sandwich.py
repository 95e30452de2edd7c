"""Issue 15, review (finding 4 follow-up): a member pools while its own patent is out, then
returns it, and takes the other holders' value.

A pooled patent pooled again mints nothing (finding 4): its value comes back to every
BPC outstanding. A member used that: it had its patent X leave at once (it transferred X at
the office to an affiliate, so the certificate named another owner and anyone could expire
X), had the council pool its patent Y at the NAV X's departure had lowered, then had the
affiliate submit X again and the council pool it: X's value came back to every holder,
Y's cheap BPC included. Contributing 2.0M USD of patents, the member and its affiliate
ended up holding a claim of 2.25M, while the other holder's 1.0M patent was worth 0.75M to
it (0.5M after X left, and X's return restored only half of it).

A patent pooled again now mints at NAV, like any pooling, to the fund (value no holder is
entitled to goes to the fund, as when every BPC was burned): the NAV is the same before and
after, so no one's claim rises on a return, and the contributor never mints twice.
"""

from collections.abc import Callable
from typing import Any

from bpsa.core.codes import PatentStatus, Role
from tests.fixtures.pool import PoolDriver
from tests.unit.pool.helpers import NUMBER, ONE, OTHER_NUMBER, attest

MILLION = 1_000_000 * ONE  # USD
Y_NUMBER = "5550001"


def claim(patent_pool: Any, bpc: Any, *holders: Any) -> int:
    """What the holders' BPC are worth together in pooled value (valuation units)."""
    held = sum(int(bpc.balanceOf(h)) for h in holders)
    return held * int(patent_pool.pooled_value()) // int(bpc.totalSupply())


def test_pool__member_pools_while_its_patent_is_out_then_returns_it__gains_nothing(
    driver: PoolDriver,
    patent_pool: Any,
    bpc: Any,
    fund: Any,
    pool_council: Any,
    provider: Any,
    provider2: Any,
    enterprise: Any,
    attacker: Any,
    grant: Callable[[Any, Role], Any],
) -> None:
    member, other_holder = provider, provider2
    affiliate = grant(enterprise, Role.PROVIDER)  # another member, a provider too
    x = driver.pooled(member, NUMBER, valuation=MILLION)
    driver.pooled(other_holder, OTHER_NUMBER, valuation=MILLION)
    y = driver.submit(member, Y_NUMBER)
    driver.certify(member, Y_NUMBER)
    driver.rate(y, 80, MILLION)
    assert claim(patent_pool, bpc, other_holder) == MILLION

    # X leaves at once: the office names the affiliate, and anyone expires X
    attest(driver, affiliate, NUMBER)
    patent_pool.expire(x, sender=attacker)
    assert claim(patent_pool, bpc, other_holder) == MILLION // 2
    # Y is pooled at the NAV X's departure lowered
    patent_pool.pool(y, sender=pool_council)
    # the affiliate brings X back
    driver.submit(affiliate, NUMBER)
    patent_pool.certify(x, sender=affiliate)
    driver.rate(x, 80, MILLION)
    patent_pool.pool(x, sender=pool_council)

    assert patent_pool.patents(x).status == PatentStatus.POOLED
    assert patent_pool.pooled_value() == 3 * MILLION
    # the member and its affiliate contributed 2.0M: their claim is at most that
    assert claim(patent_pool, bpc, member, affiliate) <= 2 * MILLION
    # and the other holder keeps what it had once X left
    assert claim(patent_pool, bpc, other_holder) >= MILLION // 2 - 1
    # X's return minted at NAV to the fund, nothing to its contributor
    assert bpc.balanceOf(affiliate) == 0
    assert MILLION - 1 <= claim(patent_pool, bpc, fund) <= MILLION  # NAV rounds against it
