"""Fixtures for the Licensing unit tests (constants and helpers live in helpers.py).

Licensing and BPR come from tests/fixtures/licensing.py, over the session pool and
its alliance (tests/fixtures/pool.py), all owned by the EOA `pool_council`. Members
by kind: `provider` (start-up), `provider2` (SME), `enterprise` (large enterprise at
a 12.5% market share), `centre` and the oracles (non-profits), the experts
(individuals). `licensee`, `attacker` and `outsider` are not members.
"""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core.codes import Kind, Removal
from tests.fixtures.licensing import LICENSING
from tests.fixtures.pool import DAY, PoolDriver

PER_PATENT_LICENCE = 3  # Exchange's mandate kind for Licensing's per-patent listings
KEEPER = "22222222"  # provider2's patent that keeps value in the pool while another is out
MandateGranter = Callable[..., None]  # mandate_centre(floor, days=30)
PatentRemover = Callable[[bytes], None]  # take_out(patent)


@pytest.fixture
def members_by_kind(
    provider: Any, provider2: Any, enterprise: Any, centre: Any, experts: list[Any]
) -> dict[Kind, Any]:
    """One active member of each kind."""
    return {
        Kind.NON_PROFIT: centre,
        Kind.START_UP: provider,
        Kind.SME: provider2,
        Kind.LARGE_ENTERPRISE: enterprise,
        Kind.INDIVIDUAL: experts[0],
    }


@pytest.fixture
def pay_licensing(bpc: Any, licensing: Any, fund_bpc: Any) -> Callable[[Any, int], None]:
    """`pay_licensing(payer, amount)`: mints `payer` `amount` BPC and approves Licensing for
    it."""

    def _pay(payer: Any, amount: int) -> None:
        fund_bpc(payer, amount)
        bpc.approve(licensing, amount, sender=payer)

    return _pay


@pytest.fixture
def convert_as(licensing: Any, pay_licensing: Callable[[Any, int], None]) -> Callable[[Any], Any]:
    """`convert_as(member)`: mints `member` exactly its current price in BPC, approves
    Licensing for it and converts; returns the receipt."""

    def _convert(member: Any) -> Any:
        pay_licensing(member, licensing.price_of(member))
        return licensing.convert(sender=member)

    return _convert


@pytest.fixture
def converted(convert_as: Callable[[Any], Any], provider: Any) -> Any:
    """The start-up provider, holding a BPR it converted (20 BPC locked)."""
    convert_as(provider)
    return provider


@pytest.fixture
def granted(licensing: Any, pool_council: Any, centre: Any) -> Any:
    """The trusteeship centre (a non-profit), holding a BPR granted by the council."""
    licensing.grant(centre, sender=pool_council)
    return centre


@pytest.fixture
def holder(driver: PoolDriver, bpc: Any, licensing: Any, provider: Any) -> Any:
    """The start-up, holding a converted BPR over its one pooled patent (pooling it earned
    the BPC it locks)."""
    driver.pooled(provider)
    bpc.approve(licensing, LICENSING.start_up, sender=provider)
    licensing.convert(sender=provider)
    return provider


@pytest.fixture
def mandate_centre(
    chain: Any, exchange: Any, patent: bytes, provider: Any, centre: Any
) -> MandateGranter:
    """`mandate_centre(floor, days=30)`: the provider mandates the centre to list licences
    of the module's `patent` at `floor` or above, for `days` (a new grant replaces the last)."""

    def _mandate(floor: int, days: int = 30) -> None:
        expiry = int(chain.pending_timestamp) + days * DAY
        exchange.grant_mandate(patent, centre, PER_PATENT_LICENCE, floor, expiry, sender=provider)

    return _mandate


@pytest.fixture
def take_out(
    driver: PoolDriver, patent_pool: Any, pool_council: Any, provider2: Any
) -> PatentRemover:
    """`take_out(patent)`: the council removes the patent (transferred), provider2 pooling
    KEEPER first so the pool keeps value behind its BPC (an emptied pool is finding 6's)."""

    def _take_out(patent: bytes) -> None:
        driver.pooled(provider2, KEEPER)
        patent_pool.remove(patent, int(Removal.TRANSFERRED), sender=pool_council)

    return _take_out


@pytest.fixture
def exchange_stand_in(accounts: Any, licensing: Any, pool_council: Any) -> Any:
    """An account the council names as Licensing's exchange."""
    licensing.set_exchange(accounts[11], sender=pool_council)
    return accounts[11]
