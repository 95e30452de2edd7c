"""Fixtures are split by concern into tests/fixtures/ (STYLE.md rule 12).

The suite has two layers. A test that needs a service (ape's anvil, the IPFS daemon, the
PostgreSQL server, or chains and daemons it starts itself) is marked `services`; every
other test (pure Python, and the titanoboa state machines, whose EVM runs in-process) is
marked `fast`: `make test-fast` runs those alone. A test needs a service when it asks for
one of SERVICE_FIXTURES (directly or through its fixtures), or when its module says so
with `pytestmark = pytest.mark.services` (it starts anvil, `ape run` or a daemon by hand).
"""

from typing import Any

import pytest

pytest_plugins = [
    "tests.fixtures.actors",
    "tests.fixtures.suite",
    "tests.fixtures.pool",
    "tests.fixtures.licensing",
    "tests.fixtures.infringements",
    "tests.fixtures.channels",
    "tests.fixtures.exchange",
    "tests.fixtures.swaps",
    "tests.fixtures.quiet_traces",
    "tests.fixtures.postgres",
]

SERVICE_FIXTURES = frozenset(
    {
        # ape's, each on the session's anvil
        "accounts",
        "chain",
        "compilers",
        "Contract",
        "networks",
        "project",
        # the project's (tests/fixtures/postgres.py, tests/oracle/conftest.py)
        "pg_server",
        "ipfs_api",
        "started_daemon",
    }
)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist's workers are not started by `ape test`, which sets ape's log level
    (WARNING unless `-v LEVEL` says otherwise): hand them the level it set."""
    from ape.logging import logger

    node.workerinput["ape_log_level"] = logger.level


def pytest_configure(config: pytest.Config) -> None:
    if level := getattr(config, "workerinput", {}).get("ape_log_level"):
        from ape.logging import logger

        logger.set_level(level)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        needs = SERVICE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        if needs or item.get_closest_marker("services"):
            item.add_marker(pytest.mark.services)
        else:
            item.add_marker(pytest.mark.fast)
