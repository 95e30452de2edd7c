"""Alliance.set_market_share: the council sets a large enterprise's market share."""

from typing import Any

import pytest

from bpsa.core.codes import Kind, Status
from tests.fixtures.suite import Pass, calldata
from tests.unit.alliance.helpers import BringTo, CouncilRefuses, Events, status_id, statuses_except

MAX_BPS = 10_000


@pytest.mark.parametrize("bps", [1, 4_200, MAX_BPS])
def test_set_market_share__large_enterprise__records_share(
    alliance: Any, council_pass: Pass, alliance_events: Events, large_enterprise: Any, bps: int
) -> None:
    tx = council_pass.run([calldata(alliance, "set_market_share", large_enterprise.address, bps)])

    assert alliance.market_share_of(large_enterprise) == bps
    assert alliance_events(tx) == [
        alliance.MarketShareSet(member=large_enterprise.address, market_share_bps=bps)
    ]


def test_set_market_share__back_to_zero__clears_share(
    alliance: Any, council_pass: Pass, alliance_events: Events, large_enterprise: Any
) -> None:
    tx = council_pass.run(
        [
            calldata(alliance, "set_market_share", large_enterprise.address, 4_200),
            calldata(alliance, "set_market_share", large_enterprise.address, 0),
        ]
    )

    assert alliance.market_share_of(large_enterprise) == 0
    assert alliance_events(tx) == [
        alliance.MarketShareSet(member=large_enterprise.address, market_share_bps=4_200),
        alliance.MarketShareSet(member=large_enterprise.address, market_share_bps=0),
    ]


def test_set_market_share__suspended_large_enterprise__records_share(
    alliance: Any, council_pass: Pass, alliance_events: Events, large_enterprise: Any
) -> None:
    tx = council_pass.run(
        [
            calldata(alliance, "suspend", large_enterprise.address),
            calldata(alliance, "set_market_share", large_enterprise.address, 1_234),
        ]
    )

    assert alliance.status_of(large_enterprise) == Status.SUSPENDED
    assert alliance.market_share_of(large_enterprise) == 1_234
    assert alliance_events(tx) == [
        alliance.Suspended(member=large_enterprise.address),
        alliance.MarketShareSet(member=large_enterprise.address, market_share_bps=1_234),
    ]


@pytest.mark.parametrize("bps", [MAX_BPS + 1, 2**16 - 1])
def test_set_market_share__above_10000_bps__reverts(
    alliance: Any, council_refuses: CouncilRefuses, large_enterprise: Any, bps: int
) -> None:
    reason = "alliance: market share above 10000 bps"
    council_refuses(large_enterprise, "set_market_share", reason, bps)

    assert alliance.market_share_of(large_enterprise) == 0


@pytest.mark.parametrize(
    "kind", [k for k in Kind if k != Kind.LARGE_ENTERPRISE], ids=lambda k: k.name.lower()
)
def test_set_market_share__other_kind__reverts(
    alliance: Any, bring_to: BringTo, council_refuses: CouncilRefuses, outsider: Any, kind: Kind
) -> None:
    bring_to(outsider, Status.ACTIVE, kind)
    reason = "alliance: market share only for large enterprises"
    council_refuses(outsider, "set_market_share", reason, 100)

    assert alliance.market_share_of(outsider) == 0


@pytest.mark.parametrize("status", statuses_except(Status.ACTIVE, Status.SUSPENDED), ids=status_id)
def test_set_market_share__not_a_member__reverts(
    alliance: Any,
    bring_to: BringTo,
    council_refuses: CouncilRefuses,
    enterprise: Any,
    status: Status,
) -> None:
    bring_to(enterprise, status, Kind.LARGE_ENTERPRISE)
    council_refuses(enterprise, "set_market_share", "alliance: not a member", 100)

    assert alliance.market_share_of(enterprise) == 0
