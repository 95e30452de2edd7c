"""The unit layer's session: the pool's sibling deployments made first, in one order."""

from typing import Any

import pytest


@pytest.fixture(scope="session", autouse=True)
def pool_deployments_first(exchange: Any, infringements: Any, licensing: Any) -> None:
    """Ape snapshots the chain per module and rebases a session fixture first asked for
    inside a module; a deployment made that way could be rolled back under a later
    module that still held its handle (`exchange: unknown patent` when an exchange module
    ran after an infringements one: `ape test tests/unit/exchange/test_grant_mandate.py
    tests/unit/infringements/test_dismiss.py tests/unit/exchange/test_buy.py -p
    no:xdist`). Deploying them once, before any module, keeps every module's snapshot on
    top of the same deployments. The pure tests of swaps and pool override it (no
    chain: they stay in `make test-fast`)."""


@pytest.fixture
def deployed(
    channels: Any,
    exchange: Any,
    fund: Any,
    infringements: Any,
    licensing: Any,
    patent_pool: Any,
    royalties: Any,
    bpc: Any,
    bpr: Any,
    pool_alliance: Any,
    hub: Any,
) -> dict[str, Any]:
    """The session's deployments (and the hub) by fixture name, for tests parametrised over
    them. Each is asked for by name, none looked up inside a test: titanoboa anchors a
    session fixture first set up inside a test under that test and then fails to unwind it
    ("No checkpoint N was found" at the session's teardown)."""
    return {
        "channels": channels,
        "exchange": exchange,
        "fund": fund,
        "infringements": infringements,
        "licensing": licensing,
        "patent_pool": patent_pool,
        "royalties": royalties,
        "bpc": bpc,
        "bpr": bpr,
        "pool_alliance": pool_alliance,
        "hub": hub,
    }


@pytest.fixture
def collection_addresses(
    pool_alliance: Any,
    bpc: Any,
    bpr: Any,
    patent_pool: Any,
    royalties: Any,
    fund: Any,
    pool_council: Any,
) -> dict[str, Any]:
    """The session collection's addresses by constructor argument name, for deploying
    another Licensing or Infringements over it."""
    return {
        "alliance": pool_alliance.address,
        "bpc": bpc.address,
        "bpr": bpr.address,
        "pool": patent_pool.address,
        "royalties": royalties.address,
        "fund": fund.address,
        "council": pool_council.address,
    }
