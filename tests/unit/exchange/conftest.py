"""Fixtures for the Exchange unit tests (constants and helpers live in helpers.py).

The Exchange comes from tests/fixtures/exchange.py over the session pool and licence
desk, all owned by the EOA `pool_council`. The seller is `provider` (a start-up), whose
patent NUMBER is lot once per module with the trusteeship `centre`; `provider2` (an
SME with the provider role) buys assignments, `enterprise` (a large enterprise without
it) exclusive licences; `licensee`, `attacker` and `outsider` are not members.
"""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core import certificates as certs
from bpsa.core.codes import CertStatus, Removal, Source
from tests.fixtures.pool import PoolDriver
from tests.unit.exchange.helpers import (
    AGREEMENT,
    ASSIGNMENT,
    DURATION,
    FIELD,
    MANDATE_TERM,
    NUMBER,
    PATENT,
    PRICE,
    TERRITORY,
    TO_POOL,
    YEAR,
)


@pytest.fixture(scope="module")
def lot(
    walker: PoolDriver, exchange: Any, provider: Any, centre: Any, actors: dict[str, Any]
) -> bytes:
    """The provider's patent NUMBER, lot with the trusteeship centre (score 80, 500 BPC
    to the provider). Six transactions, once per module (ape's module snapshot)."""
    patent = walker.pooled(provider, NUMBER, centre=centre)
    assert patent == PATENT
    return bytes(patent)


@pytest.fixture
def list_lot(exchange: Any, lot: bytes, provider: Any) -> Callable[[str], int]:
    """`list_lot(kind)`: the provider lists its patent at PRICE, its assignment ("assignment")
    or an exclusive licence of FIELD, TERRITORY and DURATION ("exclusive"); the listing."""

    def _list(kind: str) -> int:
        if kind == "assignment":
            tx = exchange.list_assignment(lot, PRICE, sender=provider)
        else:
            tx = exchange.list_exclusive(
                lot, PRICE, DURATION, FIELD, TERRITORY, AGREEMENT, sender=provider
            )
        return int(tx.return_value)

    return _list


@pytest.fixture
def assignment(list_lot: Callable[[str], int]) -> int:
    """The provider's listing of its patent's assignment at PRICE."""
    return list_lot("assignment")


@pytest.fixture
def exclusive(list_lot: Callable[[str], int]) -> int:
    """The provider's listing of an exclusive licence (FIELD, TERRITORY, DURATION) at PRICE."""
    return list_lot("exclusive")


@pytest.fixture
def mandate(chain: Any, exchange: Any, lot: bytes, provider: Any, centre: Any) -> int:
    """The provider mandates the centre to sell the assignment at PRICE or more for
    MANDATE_TERM. Returns the mandate's expiry."""
    expiry = int(chain.pending_timestamp) + MANDATE_TERM
    exchange.grant_mandate(lot, centre, ASSIGNMENT, PRICE, expiry, sender=provider)
    return expiry


@pytest.fixture
def agent_listing(exchange: Any, lot: bytes, centre: Any, mandate: int) -> int:
    """The centre's listing of the assignment at PRICE under the provider's `mandate`."""
    return int(exchange.list_assignment(lot, PRICE, sender=centre).return_value)


@pytest.fixture
def pay(bpc: Any, exchange: Any, fund_bpc: Any) -> Callable[[Any, int], None]:
    """`pay(buyer, amount)`: mints `buyer` `amount` BPC and approves the exchange for it."""

    def _pay(buyer: Any, amount: int = PRICE) -> None:
        fund_bpc(buyer, amount)
        bpc.approve(exchange, amount, sender=buyer)

    return _pay


Sell = Callable[..., Any]


@pytest.fixture
def sell(bpc: Any, exchange: Any, royalties: Any, pay: Callable[..., None], provider: Any) -> Sell:
    """`sell(listing, buyer, to_pool=TO_POOL)`: pays `buyer` the PRICE and buys the
    provider's `listing`; checks the buyer spent it all, the provider got PRICE - `to_pool`
    and Royalties `to_pool`. Returns the buy receipt."""

    def _sell(listing: int, buyer: Any, to_pool: int = TO_POOL) -> Any:
        pay(buyer)
        seller_before, fees_before = bpc.balanceOf(provider), royalties.fees_in()

        tx = exchange.buy(listing, sender=buyer)

        assert bpc.balanceOf(buyer) == 0
        assert bpc.balanceOf(provider) - seller_before == PRICE - to_pool
        assert royalties.fees_in() - fees_before == to_pool
        return tx

    return _sell


@pytest.fixture(scope="module")
def actors(
    provider: Any,
    provider2: Any,
    centre: Any,
    enterprise: Any,
    pool_council: Any,
    attacker: Any,
    licensee: Any,
) -> dict[str, Any]:
    """The actors by fixture name, for tests parametrized by caller. Set up with the module
    (`lot` asks for it): a session fixture first set up inside a test breaks the chain
    snapshots' order, and the test's changes outlive it."""
    return {
        "provider": provider,
        "provider2": provider2,
        "centre": centre,
        "enterprise": enterprise,
        "pool_council": pool_council,
        "attacker": attacker,
        "licensee": licensee,
    }


@pytest.fixture
def new_life(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, lot: bytes
) -> Callable[[Any], None]:
    """`new_life(who)`: the lot leaves the pool and `who` pools it again (a new life, a new
    tenure)."""

    def _again(who: Any) -> None:
        driver.pooled(who, "22345678")  # pooled value behind the outstanding BPC meanwhile
        patent_pool.remove(lot, int(Removal.TRANSFERRED), sender=pool_council)
        driver.nonce = 10  # the module's certificate used nonce 1
        driver.submit(who, NUMBER)
        driver.certify(who, NUMBER)
        driver.rate(lot, 80)
        patent_pool.pool(lot, sender=pool_council)

    return _again


@pytest.fixture
def patent_in(
    chain: Any,
    driver: PoolDriver,
    patent_pool: Any,
    pool_council: Any,
    lot: bytes,
    provider: Any,
    provider2: Any,
    new_life: Callable[[Any], None],
) -> Callable[[str], bytes]:
    """`patent_in(state)`: a patent of the provider's in `state`, for the exchange to refuse
    or to take: "unknown" (never submitted); "submitted" (and certified, not pooled yet);
    "withdrawn"; "usage right" (contracted from an owner outside the alliance, pooled); or
    the lot "removed" from the pool, its certificate "lapsed", "expired" (past its term and
    grace period), or "pooled again" by provider2 (`new_life`)."""

    def _bring(state: str) -> bytes:
        if state == "unknown":
            return bytes(certs.patent_id("US", "99999999"))
        if state in ("submitted", "withdrawn"):
            patent = driver.submit(provider, "22345678")
            if state == "submitted":
                driver.certify(provider, "22345678")
            else:
                patent_pool.withdraw(patent, sender=provider)
            return bytes(patent)
        if state == "usage right":
            number, owner = "33456789", "0x" + "ab" * 20
            ends = driver.now() + 2 * YEAR
            patent = driver.submit(provider, number, source=Source.USAGE_RIGHT, right_ends=ends)
            driver.attest(driver.certificate("US", number, owner), sender=provider)
            patent_pool.certify(patent, sender=provider)
            driver.rate(patent, 80)
            patent_pool.pool(patent, sender=pool_council)
            return bytes(patent)
        if state == "removed":
            patent_pool.remove(lot, int(Removal.TRANSFERRED), sender=pool_council)
        elif state == "expired":
            chain.pending_timestamp += YEAR + 182 * 86_400  # past the expiry and its grace
            chain.mine()
            patent_pool.expire(lot, sender=provider)
        elif state == "lapsed":
            lapsed = driver.certificate(
                "US",
                NUMBER,
                provider,
                status=CertStatus.LAPSED,
                nonce=driver.next_nonce("US", NUMBER),
            )
            driver.attest(lapsed, sender=provider)
        else:
            assert state == "pooled again", state
            new_life(provider2)
        return lot

    return _bring


@pytest.fixture
def fund_patent(driver: PoolDriver, patent_pool: Any, fund: Any, pool_council: Any) -> bytes:
    """A patent the council purchased for the fund ("22345678"), certified and pooled."""
    patent = driver.submit(None, "22345678", source=Source.PURCHASED)
    driver.certify(pool_council, "22345678", owner=fund)
    driver.rate(patent, 80)
    patent_pool.pool(patent, sender=pool_council)
    return bytes(patent)
