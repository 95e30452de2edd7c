"""Exchange.__init__: the council owns it, the share is bounded, and Royalties may pull
the pool's share of every sale."""

from typing import Any

import ape

from tests.fixtures.exchange import EXCHANGE
from tests.unit.exchange.helpers import SHARE_ABOVE, ZERO


def _deploy(project: Any, deployer: Any, pool: dict[str, Any], lic: Any, **over: Any) -> Any:
    args = {
        "alliance": pool["alliance"],
        "bpc": pool["BPC"],
        "pool": pool["PatentPool"],
        "licensing": lic,
        "royalties": pool["Royalties"],
        "fund": pool["Fund"],
        "council": pool["council"],
        "share": EXCHANGE.pool_share_bps,
    } | over
    return project.Exchange.deploy(*args.values(), sender=deployer)


def _pool(pool_contracts: dict[str, Any], pool_alliance: Any, pool_council: Any) -> dict[str, Any]:
    return {**pool_contracts, "alliance": pool_alliance, "council": pool_council}


def test_constructor__deployed__share_set_and_royalties_approved(
    exchange: Any, bpc: Any, royalties: Any
) -> None:
    """Its wiring and owner: tests/unit/test_wiring.py."""
    assert exchange.pool_share_bps() == EXCHANGE.pool_share_bps
    assert bpc.allowance(exchange, royalties) == 2**256 - 1
    assert exchange.listing_count() == 0


def test_constructor__zero_council_fund_or_share_above_the_whole__reverts(
    project: Any,
    deployer: Any,
    pool_contracts: dict[str, Any],
    pool_alliance: Any,
    pool_council: Any,
    licensing: Any,
) -> None:
    pool = _pool(pool_contracts, pool_alliance, pool_council)
    with ape.reverts("exchange: council is the zero address"):
        _deploy(project, deployer, pool, licensing, council=ZERO)
    with ape.reverts("exchange: fund is the zero address"):
        _deploy(project, deployer, pool, licensing, fund=ZERO)
    with ape.reverts(SHARE_ABOVE):
        _deploy(project, deployer, pool, licensing, share=10_001)
    assert _deploy(project, deployer, pool, licensing, share=10_000).pool_share_bps() == 10_000
