"""The session's deployments as their constructors left them: each names the contracts it
was deployed over and is owned by the council. What else a constructor sets (a window, a
split, a bond, a schedule, allowances) stays in each contract's test_constructor.py."""

from typing import Any

import pytest

# Each council-owned deployment by fixture name: its immutables' getters and the fixture each
# must name.
WIRING = {
    "channels": {"TOKEN": "bpc", "HUB": "hub", "ROYALTIES": "royalties"},
    "exchange": {"POOL": "patent_pool", "FUND": "fund"},
    "infringements": {
        "ALLIANCE": "pool_alliance",
        "BPC": "bpc",
        "POOL": "patent_pool",
        "ROYALTIES": "royalties",
        "FUND": "fund",
    },
    "licensing": {"ALLIANCE": "pool_alliance", "BPC": "bpc", "BPR": "bpr"},
    "royalties": {"BPC": "bpc", "POOL": "patent_pool", "FUND": "fund"},
}


@pytest.mark.parametrize(("name", "names"), list(WIRING.items()), ids=list(WIRING))
def test_constructor__session_deployment__names_its_contracts_and_the_council_owns_it(
    deployed: dict[str, Any], pool_council: Any, name: str, names: dict[str, str]
) -> None:
    contract = deployed[name]

    assert {getter: getattr(contract, getter)() for getter in names} == {
        getter: deployed[fixture].address for getter, fixture in names.items()
    }
    assert contract.owner() == pool_council.address


def test_constructor__session_deployment__the_pool_its_coverage_log_and_licensing_name_each_other(
    patent_pool: Any, coverage: Any, licensing: Any
) -> None:
    """Only the pool appends to its Coverage log, and Licensing reads the same log the pool
    writes (it takes it from the pool at deployment)."""
    assert (patent_pool.COVERAGE(), coverage.POOL(), licensing.COVERAGE()) == (
        coverage.address,
        patent_pool.address,
        coverage.address,
    )
