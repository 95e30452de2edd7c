"""BPR.__init__: the licence token names its only minter, Licensing, for good."""

from typing import Any

import ape

from tests.unit.licensing.helpers import ZERO


def test_constructor__session_deployment__bpr_and_licensing_name_each_other(
    bpr: Any, licensing: Any
) -> None:
    assert bpr.LICENSING() == licensing.address
    assert licensing.BPR() == bpr.address


def test_constructor__fresh_token__names_its_licensing_with_no_supply(
    project: Any, deployer: Any, outsider: Any
) -> None:
    token = project.BPR.deploy(outsider, sender=deployer)

    assert token.LICENSING() == outsider.address
    assert token.totalSupply() == 0


def test_constructor__zero_licensing__reverts(project: Any, deployer: Any) -> None:
    with ape.reverts("bpr: licensing is the zero address"):
        project.BPR.deploy(ZERO, sender=deployer)
