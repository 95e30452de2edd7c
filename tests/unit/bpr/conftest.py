"""Fixtures for the BPR unit tests (revert reasons live in tests/unit/licensing/helpers.py).

BPR is the session licence token (tests/fixtures/licensing.py): only the session
Licensing mints and burns it. `licensing_sender` is that Licensing as an impersonated
sender, so a test reaches `mint` and `burn` directly; `bpr_holder` is the licensee
holding one BPR minted that way.
"""

from typing import Any

import pytest

from tests.fixtures.actors import impersonated


@pytest.fixture
def licensing_sender(accounts: Any, chain: Any, licensing: Any) -> Any:
    """The Licensing contract as an impersonated sender."""
    return impersonated(accounts, chain, licensing)


@pytest.fixture
def caller(request: pytest.FixtureRequest) -> Any:
    """Parametrised indirectly with an actor fixture's name: the account that calls."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def counterparty(request: pytest.FixtureRequest) -> Any:
    """Parametrised indirectly with an actor fixture's name: the spender or receiver named."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def bpr_holder(bpr: Any, licensing_sender: Any, licensee: Any) -> Any:
    """The licensee, holding one BPR minted by the (impersonated) Licensing."""
    bpr.mint(licensee, sender=licensing_sender)
    return licensee
