"""The unit layer: the contracts on titanoboa (tests/fixtures/titanoboa.py), through the
fixtures the rest of the suite knows (`project`, `accounts`, `chain` and every deployment
of tests/fixtures/), declared again here for this layer."""

from typing import Any

import pytest

from tests.fixtures.titanoboa import declare_layer

declare_layer(globals())


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
