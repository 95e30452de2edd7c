"""Fixtures are split by concern into tests/fixtures/ (STYLE.md rule 12)."""

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
