"""Fixtures are split by concern into tests/fixtures/ (STYLE.md rule 12).

The suite has two layers. A test that needs a service (ape's anvil, the IPFS daemon, the
PostgreSQL server, or chains and daemons it starts itself) is marked `services`; every
other test is marked `fast`: `make test-fast` runs those alone. Fast tests are pure
Python, or run their contracts on titanoboa's in-process EVM: the state machines
(tests/stateful/) directly, and the contract unit tests and the access matrix
(tests/unit/, tests/access/) through tests/fixtures/titanoboa.py, which gives them
`project`, `accounts` and `chain` of their own. A test needs a service when it asks for
one of SERVICE_FIXTURES as ape's (directly or through its fixtures), or when its module
says so with `pytestmark = pytest.mark.services` (it starts anvil, `ape run` or a daemon
by hand).
"""

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.titanoboa import SHARED_FIXTURES

pytest_plugins = [
    *SHARED_FIXTURES,  # the deployments and actors (declared again by titanoboa's layers)
    "tests.fixtures.quiet_traces",
    "tests.fixtures.lean_rpc",
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
    from tests.fixtures.titanoboa import use_isolation

    use_isolation(config)
    if level := getattr(config, "workerinput", {}).get("ape_log_level"):
        from ape.logging import logger

        logger.set_level(level)
    if not hasattr(config, "workerinput"):  # once, before pytest-xdist's workers start
        compile_if_a_module_changed()


ROOT = Path(__file__).resolve().parents[1]


def compile_if_a_module_changed() -> None:
    """Recompiles the contracts when a module or an interface changed since the build.

    ape-config.yaml keeps the snake_case modules out of ape's sources (a module that
    `uses:` another's state cannot compile alone), so ape does not see a change to one:
    the deployables importing it would run from the old build. Their digest is kept
    beside the build (`.build/modules.sha256`); on a fresh build it is only written.
    """
    build = ROOT / ".build" / "__local__.json"
    stamp = ROOT / ".build" / "modules.sha256"
    contracts = ROOT / "contracts"
    sources = sorted(
        [p for p in contracts.glob("*.vy") if p.name[0].islower()]
        + list((contracts / "interfaces").glob("*.vyi"))
    )
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()
    if not build.exists() or (stamp.exists() and stamp.read_text() == digest):
        return
    fresh = not stamp.exists() and all(p.stat().st_mtime <= build.stat().st_mtime for p in sources)
    if not fresh:
        from ape import project

        project.load_contracts(use_cache=False)
    stamp.write_text(digest)


# The suite runs on pytest-xdist a whole file at a time (`--dist loadfile`), handed out in
# the order collected (`--no-loadscope-reorder`: xdist's own order, most tests first, put
# the files of one long test last, where a worker ran the twenty-year simulation alone
# for a minute after the other had finished). Longest first instead: a file's weight is its
# seconds below (each file's test time in `TEST_ARGS=--junitxml=... make test`, issue
# 16's fifth session: only their ratios matter), else SECONDS_PER_TEST for each of its
# tests (a `fast` test, pure Python or on titanoboa, about a twentieth of that).
LONG_FILES = {
    "tests/oracle/test_twenty_years.py": 76,
    "tests/e2e/test_demo.py": 66,
    "tests/api/test_schema.py": 61,
    "tests/oracle/test_committee.py": 38,
    "tests/stateful/test_sale_model.py": 37,
    "tests/stateful/test_governance_model.py": 33,
    "tests/stateful/test_licensing_model.py": 27,
    "tests/e2e/test_wheel.py": 26,
    "tests/indexer/test_restart_and_reorg.py": 25,
    "tests/e2e/test_licensing_cli.py": 24,
    "tests/sidechains/test_crash_chain.py": 22,
    "tests/stateful/test_pool_model.py": 22,
    "tests/e2e/test_collections.py": 22,
    "tests/api/test_page.py": 20,
    "tests/sidechains/test_engine.py": 19,
    "tests/access/test_access_matrix.py": 18,
    "tests/stateful/test_infringements_model.py": 15,
    "tests/sidechains/test_hub_chain.py": 14,
    "tests/oracle/test_store.py": 13,
    "tests/stateful/test_swaps_model.py": 11,
    "tests/stateful/test_channels_model.py": 11,
}
SECONDS_PER_TEST = 0.9
TITANOBOA = "tests.fixtures.titanoboa"  # the module whose fixtures make a titanoboa layer


def longest_first(items: list[pytest.Item], root: Path) -> list[pytest.Item]:
    """`items` with each file's tests together, in their order, the files by falling
    weight (ties: as collected)."""
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        path = item.path
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        files.setdefault(name, []).append(item)

    def weight(name: str) -> float:
        tests = files[name]
        fast = sum(1 for item in tests if item.get_closest_marker("fast"))
        return LONG_FILES.get(name, SECONDS_PER_TEST * (len(tests) - fast + fast / 20))

    ordered = sorted(files, key=weight, reverse=True)  # stable: ties keep their order
    return [item for name in ordered for item in files[name]]


def needs_services(item: pytest.Item) -> bool:
    """Whether `item` asks for one of SERVICE_FIXTURES as ape's (a titanoboa layer's
    `accounts`, `chain` and `project` need no service: tests/fixtures/titanoboa.py), or
    its module says it needs one."""
    if item.get_closest_marker("services"):
        return True
    chosen = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    for name in SERVICE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        definitions = chosen.get(name, ())
        if not definitions or definitions[-1].func.__module__ != TITANOBOA:
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if needs_services(item):
            item.add_marker(pytest.mark.services)
        else:
            item.add_marker(pytest.mark.fast)
    items[:] = longest_first(items, config.rootpath)
