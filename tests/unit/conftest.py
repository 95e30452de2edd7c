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
