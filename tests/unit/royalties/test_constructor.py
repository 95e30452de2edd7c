"""Royalties.__init__: token, pool, fund and council named, the first split set."""

from typing import Any

import ape
import pytest

from tests.fixtures.pool import PARAMS
from tests.unit.royalties.helpers import ZERO

SPLIT = (PARAMS.contributor_bps, PARAMS.centre_bps, PARAMS.fund_bps)


def test_constructor__deployed_pool__split_set_and_nothing_paid_yet(
    chain: Any, royalties: Any
) -> None:
    """Its wiring and owner: tests/unit/test_wiring.py."""
    assert (royalties.contributor_bps(), royalties.centre_bps(), royalties.fund_bps()) == SPLIT
    assert royalties.fees_in() == royalties.paid_to_fund() == royalties.claimed() == 0
    assert royalties.total_contributor_weight() == 0
    assert royalties.royalty_accumulator() == royalties.centre_accumulator() == 0
    events = chain.get_receipt(royalties.txn_hash).events
    assert events.filter(royalties.SplitSet) == [
        royalties.SplitSet(contributor_bps=7_000, centre_bps=1_000, fund_bps=2_000)
    ]


def test_constructor__deployer_is_not_the_council__council_owns(
    project: Any, deployer: Any, bpc: Any, patent_pool: Any, fund: Any, pool_council: Any
) -> None:
    royalties = project.Royalties.deploy(
        bpc, patent_pool, fund, pool_council, *SPLIT, sender=deployer
    )

    assert royalties.owner() == pool_council.address
    with ape.reverts("ownable: caller is not the owner"):
        royalties.set_split(*SPLIT, sender=deployer)


@pytest.mark.parametrize(
    ("zeroed", "reason"),
    [
        (0, "royalties: token is the zero address"),
        (1, "royalties: pool is the zero address"),
        (2, "royalties: fund is the zero address"),
        (3, "royalties: council is the zero address"),
    ],
)
def test_constructor__zero_address__reverts(
    project: Any,
    deployer: Any,
    bpc: Any,
    patent_pool: Any,
    fund: Any,
    pool_council: Any,
    zeroed: int,
    reason: str,
) -> None:
    addresses = [bpc.address, patent_pool.address, fund.address, pool_council.address]
    addresses[zeroed] = ZERO

    with ape.reverts(reason):
        project.Royalties.deploy(*addresses, *SPLIT, sender=deployer)


def test_constructor__shares_not_adding_up__reverts(
    project: Any, deployer: Any, bpc: Any, patent_pool: Any, fund: Any, pool_council: Any
) -> None:
    with ape.reverts("royalties: shares must add up to 10,000 basis points"):
        project.Royalties.deploy(
            bpc, patent_pool, fund, pool_council, 7_000, 1_000, 1_000, sender=deployer
        )
