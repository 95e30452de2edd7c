"""ape isolates tests by fixture scope, keyed by fixture name: one name defined with two
scopes (a session `provider` and a folder's function `provider`) leaks chain state from
one test into the next. This keeps every fixture name to a single scope."""

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def _scope(decorator: ast.expr) -> str | None:
    """The scope of a `@pytest.fixture(...)` decorator, None if it is not one."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if not ast.unparse(target).endswith("fixture"):
        return None
    if isinstance(decorator, ast.Call):
        for keyword in decorator.keywords:
            if keyword.arg == "scope" and isinstance(keyword.value, ast.Constant):
                return str(keyword.value.value)
    return "function"


def test_fixtures__each_name__has_one_scope():
    scopes: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    scope = _scope(decorator)
                    if scope:
                        scopes[node.name].add((scope, str(path.relative_to(TESTS))))
    mixed = {
        name: sorted(where) for name, where in scopes.items() if len({s for s, _ in where}) > 1
    }
    assert not mixed, f"fixture names with more than one scope: {mixed}"
