"""Constants and types shared by the Alliance unit tests (fixtures are in conftest.py)."""

from collections.abc import Callable
from typing import Any

import pytest

from bpsa.core.codes import Status

OTHER_IDENTITY = bytes.fromhex("22" * 32)
NOT_OWNER = "ownable: caller is not the owner"

# The council calls that take a fresh applicant to each status (after `apply`).
CALLS_TO_STATUS: dict[Status, list[str]] = {
    Status.NONE: [],
    Status.APPLIED: [],
    Status.ACTIVE: ["admit"],
    Status.SUSPENDED: ["admit", "suspend"],
    Status.EXPELLED: ["admit", "expel"],
    Status.REJECTED: ["reject"],
}

# The council calls that name the application they decide (number, kind, identity).
DECIDED_BY_APPLICATION = ("admit", "reject")

# `bring_to(actor, status, kind=Kind.START_UP) -> actor`
BringTo = Callable[..., Any]
# `council_refuses(actor, method, reason, *args) -> None`
CouncilRefuses = Callable[..., None]
# `alliance_events(tx) -> [the logs Alliance emitted]`
Events = Callable[[Any], list[Any]]


def status_id(status: Status) -> str:
    return status.name.lower()


def statuses_except(*allowed: Status) -> list[Status]:
    """Every status but `allowed`: the statuses a call must refuse."""
    return [s for s in Status if s not in allowed]


def for_each_status_but(*allowed: Status) -> pytest.MarkDecorator:
    """Parametrises the `startup_in` fixture over every status but `allowed`."""
    return pytest.mark.parametrize(
        "startup_in", statuses_except(*allowed), indirect=True, ids=status_id
    )
