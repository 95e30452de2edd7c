"""What a hand-over of a council-owned deployment checks, shared by the unit tests."""

from collections.abc import Callable
from typing import Any

import ape

NOT_OWNER = "ownable: caller is not the owner"


def assert_follows_the_owner(
    owned: Any, call: Callable[..., Any], council: Any, successor: Any, reason: str = NOT_OWNER
) -> None:
    """The council hands `owned` to `successor`: `call(sender=...)` then reverts with `reason`
    from the old council and goes through from the successor."""
    owned.transfer_ownership(successor, sender=council)

    with ape.reverts(reason):
        call(sender=council)
    call(sender=successor)
