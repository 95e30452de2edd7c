"""PatentPool.__init__: one collection's registry, owned by the council."""

from typing import Any

import ape
import pytest

from tests.fixtures.pool import PARAMS
from tests.unit.pool.helpers import ZERO


@pytest.fixture
def pool_args(
    pool_alliance: Any, certificates: Any, bpc: Any, royalties: Any, fund: Any, pool_council: Any
) -> dict[str, Any]:
    """A PatentPool's constructor arguments, in order, wired to the session pool's contracts."""
    return {
        "collection": "APC",
        "valuation_unit": "EUR",
        "initial_nav": 50 * 10**18,
        "alliance": pool_alliance.address,
        "certificates": certificates.address,
        "bpc": bpc.address,
        "royalties": royalties.address,
        "fund": fund.address,
        "council": pool_council.address,
        "mandates": pool_council.address,  # any address: only its calls to set_centre count
        "coverage": pool_council.address,  # any address: called at pooling and leaving only
        "expert_threshold": 3,
        "core_threshold": 55,
        "rerate_interval": 1000,
    }


@pytest.fixture
def deploy(project: Any, deployer: Any, pool_args: dict[str, Any]) -> Any:
    """`deploy(**overrides)`: a PatentPool with `pool_args` unless overridden."""

    def _deploy(**overrides: Any) -> Any:
        return project.PatentPool.deploy(*{**pool_args, **overrides}.values(), sender=deployer)

    return _deploy


def test_constructor__valid_arguments__wires_contracts_and_parameters(
    chain: Any, deploy: Any, pool_args: dict[str, Any]
) -> None:
    pool = deploy()

    assert pool.owner() == pool_args["council"]
    assert (pool.collection(), pool.valuation_unit()) == ("APC", "EUR")
    assert pool.INITIAL_NAV() == 50 * 10**18
    assert pool.ALLIANCE() == pool_args["alliance"]
    assert pool.CERTIFICATES() == pool_args["certificates"]
    assert pool.BPC() == pool_args["bpc"]
    assert pool.ROYALTIES() == pool_args["royalties"]
    assert pool.FUND() == pool_args["fund"]
    assert pool.MANDATES() == pool_args["mandates"]
    assert pool.COVERAGE() == pool_args["coverage"]
    assert (pool.expert_threshold(), pool.core_threshold(), pool.rerate_interval()) == (3, 55, 1000)
    assert (pool.pooled_value(), pool.pooled_count()) == (0, 0)
    events = chain.get_receipt(pool.txn_hash).events
    assert events.filter(pool.ParametersSet) == [
        pool.ParametersSet(expert_threshold=3, core_threshold=55, rerate_interval=1000)
    ]


def test_constructor__session_pool__deployed_with_params(
    patent_pool: Any, pool_council: Any
) -> None:
    assert patent_pool.owner() == pool_council.address
    assert patent_pool.INITIAL_NAV() == PARAMS.initial_nav
    assert patent_pool.expert_threshold() == PARAMS.expert_threshold
    assert patent_pool.core_threshold() == PARAMS.core_threshold
    assert patent_pool.rerate_interval() == PARAMS.rerate_interval


def test_constructor__empty_valuation_unit__is_allowed(deploy: Any) -> None:
    assert deploy(valuation_unit="").valuation_unit() == ""


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"collection": ""}, "pool: empty collection name"),
        ({"initial_nav": 0}, "pool: initial NAV is zero"),
        ({"initial_nav": 10**15 - 1}, "pool: initial NAV below 0.001 unit per BPC"),
        ({"council": ZERO}, "pool: council is the zero address"),
        ({"fund": ZERO}, "pool: fund is the zero address"),
        ({"mandates": ZERO}, "pool: mandates is the zero address"),
        ({"expert_threshold": 0}, "pool: expert threshold must be odd, 3 to 15"),
        ({"expert_threshold": 17}, "pool: expert threshold must be odd, 3 to 15"),
        ({"core_threshold": 101}, "pool: core threshold above 100"),
        ({"rerate_interval": 10 * 365 * 86400 + 1}, "pool: re-rating interval above ten years"),
    ],
    ids=[
        "empty-collection",
        "zero-nav",
        "nav-below-minimum",
        "zero-council",
        "zero-fund",
        "zero-mandates",
        "no-expert",
        "17-experts",
        "core-101",
        "interval-too-long",
    ],
)
def test_constructor__invalid_argument__reverts(
    deploy: Any, overrides: dict[str, Any], reason: str
) -> None:
    with ape.reverts(reason):
        deploy(**overrides)
