"""Issue 15, review of Licensing: a trusteeship centre whose role the council revoked still
listed per-patent licences of the patents it had been named for (it stays an active
member, and list_terms checked only membership). A centre lists only while it holds the
trusteeship-centre role; the contributor's own right to list does not depend on it."""

from typing import Any

import ape
import pytest

from bpsa.codes import Role
from tests.fixtures.pool import PoolDriver

YEAR = 365 * 24 * 3600
BPC = 10**18


@pytest.fixture
def patent(driver: PoolDriver, provider: Any, centre: Any) -> bytes:
    """The start-up's pooled patent, the non-profit centre its trusteeship centre."""
    return driver.pooled(provider, centre=centre)


def test_list_terms__centre_after_its_role_was_revoked__reverts(
    licensing: Any, pool_alliance: Any, pool_council: Any, patent: bytes, centre: Any
) -> None:
    pool_alliance.revoke_role(centre.address, int(Role.TRUSTEESHIP_CENTRE), sender=pool_council)
    assert pool_alliance.is_active(centre.address)

    with ape.reverts("licensing: the centre no longer holds the trusteeship-centre role"):
        licensing.list_terms(patent, 1, 50 * YEAR, "any", "worldwide", sender=centre)


def test_list_terms__centre_with_its_role__lists(
    licensing: Any, patent: bytes, centre: Any
) -> None:
    tx = licensing.list_terms(patent, BPC, YEAR, "any", "worldwide", sender=centre)

    assert tx.return_value == 1 and licensing.listings(1).lister == centre.address
