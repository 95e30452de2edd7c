"""Every revert reason a contract can give maps to an SDK exception with a clear message.

The reasons are read from the sources with Vyper's own parser (every `assert ..., "reason"`
and `raise "reason"` in `contracts/` and in the snekmate modules they import), so a new
assert in a contract fails here until `bpsa.sdk.reverts.REASONS` maps it.
"""

import re
from pathlib import Path

import pytest
import snekmate  # type: ignore[import-untyped]
from vyper.ast import nodes, parse_to_ast  # type: ignore[import-untyped]

from bpsa.core.errors import BpsaError, TransactionFailed
from bpsa.sdk.reverts import REASONS, refusal

CONTRACTS = Path(__file__).parents[2] / "contracts"
SNEKMATE = Path(next(iter(snekmate.__path__)))
IMPORT = re.compile(r"^\s*from\s+(\S+)\s+import\s+(\w+)", re.MULTILINE)


def parse(path: Path) -> nodes.Module:
    return parse_to_ast(path.read_text(), source_id=0, resolved_path=str(path))


def messages(tree: nodes.Module) -> list[nodes.VyperNode]:
    """The message of every `assert ..., message` and `raise message` in `tree`."""
    found = []
    for node in tree.get_descendants((nodes.Assert, nodes.Raise)):
        message = node.msg if isinstance(node, nodes.Assert) else node.exc
        if message is not None:
            found.append(message)
    return found


def reason_parameters(tree: nodes.Module) -> dict[str, int]:
    """Functions that assert with a reason their caller passes (`_require_status(who,
    status, reason)`): name -> the reason's argument position."""
    found = {}
    for function in tree.get_descendants(nodes.FunctionDef):
        names = [arg.arg for arg in function.args.args]
        for message in messages(function):
            if isinstance(message, nodes.Name) and message.id in names:
                found[function.name] = names.index(message.id)
    return found


def reasons_in(tree: nodes.Module, passed: dict[str, int]) -> set[str]:
    found = {str(m.value) for m in messages(tree) if isinstance(m, nodes.Str)}
    for call in tree.get_descendants(nodes.Call):
        name = getattr(call.func, "attr", None)
        if name in passed and len(call.args) > passed[name]:
            argument = call.args[passed[name]]
            if isinstance(argument, nodes.Str):
                found.add(str(argument.value))
    return found


def snekmate_imports(path: Path) -> list[Path]:
    """The snekmate modules `path` imports (absolutely, or relatively inside snekmate)."""
    found = []
    for package, name in IMPORT.findall(path.read_text()):
        if package.startswith("snekmate"):
            found.append(SNEKMATE.joinpath(*package.split(".")[1:], f"{name}.vy"))
        elif package.startswith(".") and SNEKMATE in path.parents:
            base = path.parent
            for _ in range(len(package) - len(package.lstrip(".")) - 1):
                base = base.parent
            inner = package.lstrip(".")
            found.append(base.joinpath(*(inner.split(".") if inner else []), f"{name}.vy"))
    return [module for module in found if module.exists()]  # .vyi interfaces hold no asserts


def all_reasons() -> dict[str, Path]:
    todo, trees = sorted(CONTRACTS.rglob("*.vy")), {}
    while todo:
        path = todo.pop()
        if path not in trees:
            trees[path] = parse(path)
            todo.extend(snekmate_imports(path))
    passed: dict[str, int] = {}
    for tree in trees.values():
        passed.update(reason_parameters(tree))
    reasons: dict[str, Path] = {}
    for path, tree in trees.items():
        for reason in reasons_in(tree, passed):
            reasons.setdefault(reason, path)
    return reasons


REASONS_IN_SOURCES = all_reasons()


def test_reasons__collected_from_contracts_and_snekmate__include_known_ones():
    """The collector itself works: our reasons, snekmate's, and those passed to a helper."""
    assert len(REASONS_IN_SOURCES) > 250
    assert "pool: patent already registered" in REASONS_IN_SOURCES
    assert "erc20: insufficient allowance" in REASONS_IN_SOURCES
    assert "ownable: caller is not the owner" in REASONS_IN_SOURCES
    assert "alliance: not a suspended member" in REASONS_IN_SOURCES  # passed to a helper


@pytest.mark.parametrize("reason", sorted(REASONS_IN_SOURCES))
def test_reason__in_contracts__maps_to_an_error_with_a_clear_message(reason):
    assert reason in REASONS, (
        f"{reason!r} ({REASONS_IN_SOURCES[reason].name}) has no entry in bpsa.sdk.reverts.REASONS"
    )
    entry = REASONS[reason]
    assert issubclass(entry.error, BpsaError) and entry.error is not TransactionFailed
    text = entry.text()  # formats with the default fields: no unknown placeholder
    prefix = reason.split(":")[0]
    assert not text.startswith(f"{prefix}:"), "the message is for people, not the raw reason"
    assert len(text.split()) >= 3, f"{text!r} is too short to say what was wrong"
    error = refusal("Contract.method", reason, who="0xabc")
    assert isinstance(error, entry.error) and reason in str(error)


def test_table__no_entry_for_a_reason_no_contract_gives():
    stale = sorted(set(REASONS) - set(REASONS_IN_SOURCES))
    assert not stale, f"entries for reasons no contract gives any more: {stale}"


def test_refusal__unknown_reason__is_transaction_failed_with_the_reason():
    error = refusal("Contract.method", "Transaction failed.")
    assert isinstance(error, TransactionFailed)
    assert str(error) == "Contract.method reverted: Transaction failed."


def test_refusal__explained__uses_the_explanation_and_keeps_the_class():
    error = refusal(
        "Licensing.release",
        "licensing: minimum term not over",
        lambda reason: "the minimum term runs until tomorrow",
    )
    assert type(error).__name__ == "LicensingError"
    assert str(error).startswith("the minimum term runs until tomorrow [Licensing.release:")
