"""Who may call what, generated from the ABIs.

Every non-view function of Alliance and of Governance (both the council and the
congress) is privileged unless PUBLIC names it. Each privileged function must refuse
every caller but its owner with exactly the contract's access reason, so a function
added later is covered without editing this file, and a revert for any other reason
(a bad argument, a missing record) does not count as access control.
"""

import re
from typing import Any

import ape
import pytest
from ape import project
from ape.exceptions import ContractLogicError

# Suite instance (manifest name) -> contract type.
INSTANCES = {"Alliance": "Alliance", "Council": "Governance", "Congress": "Governance"}

# The functions callers other than the owner may call, by contract type. Each of them
# applies its own checks (Governance's propose and vote want a seat, cancel the proposer).
PUBLIC = {
    "Alliance": {"apply"},
    "Governance": {"propose", "vote", "execute", "cancel"},
}

# The revert reason of each contract type's access check.
ACCESS_REASON = {
    "Alliance": "ownable: caller is not the owner",
    "Governance": "governance: only through a proposal",
}

# The only caller that passes each instance's access check: Alliance is owned by the
# council, and a Governance body's privileged functions are called by itself (through
# one of its own executed proposals).
OWNER = {
    "Alliance": "council_contract",
    "Council": "council_contract",
    "Congress": "congress_contract",
}

# Every caller tried (conftest.py `callers`): EOAs with and without standing, and the
# suite's Governance contracts.
CALLERS = [
    "outsider",
    "attacker",
    "member_with_every_role",
    "council_seat_0",
    "council_seat_1",
    "council_seat_2",
    "council_contract",
    "congress_contract",
]


def _non_view_methods(contract_type: str) -> list[Any]:
    return list(getattr(project, contract_type).contract_type.mutable_methods)


def _privileged(instance: str) -> list[Any]:
    contract_type = INSTANCES[instance]
    return [m for m in _non_view_methods(contract_type) if m.name not in PUBLIC[contract_type]]


def _public(instance: str) -> list[Any]:
    contract_type = INSTANCES[instance]
    return [m for m in _non_view_methods(contract_type) if m.name in PUBLIC[contract_type]]


def sample_value(abi_type: Any, address: str) -> Any:
    """A well-formed value of an ABI type; every address is `address`."""
    kind = abi_type.type
    if array := re.fullmatch(r"(.+)\[(\d*)\]", kind):  # the last brackets are the outer array
        element = abi_type.model_copy(update={"type": array.group(1)})
        return [sample_value(element, address) for _ in range(int(array.group(2) or 1))]
    if kind == "tuple":
        return tuple(sample_value(c, address) for c in abi_type.components)
    if kind == "address":
        return address
    if kind == "bool":
        return True
    if re.fullmatch(r"u?int\d*", kind):
        return 1
    if kind == "bytes":
        return b"\x01"
    if bytes_n := re.fullmatch(r"bytes(\d+)", kind):
        return b"\x01" * int(bytes_n.group(1))
    if kind == "string":
        return "access matrix"
    raise NotImplementedError(f"no sample value for ABI type {kind!r}; add one here")


def _call(contract: Any, method: Any, sender: Any) -> Any:
    # Address arguments name the contract itself: a contract is a valid call target.
    args = [sample_value(i, contract.address) for i in method.inputs]
    return getattr(contract, method.name)(*args, sender=sender)


def _cases() -> list[Any]:
    return [
        pytest.param(instance, method, caller, id=f"{instance}.{method.name}-{caller}")
        for instance in INSTANCES
        for method in _privileged(instance)
        for caller in CALLERS
        if caller != OWNER[instance]
    ]


@pytest.mark.parametrize(("instance", "method", "caller"), _cases())
def test_privileged_function__caller_other_than_owner__reverts_with_access_reason(
    suite: dict[str, Any], callers: dict[str, Any], instance: str, method: Any, caller: str
) -> None:
    contract = suite[instance]

    with ape.reverts(ACCESS_REASON[INSTANCES[instance]]):
        _call(contract, method, callers[caller])


@pytest.mark.parametrize(
    ("instance", "method"),
    [
        pytest.param(instance, method, id=f"{instance}.{method.name}")
        for instance in INSTANCES
        for method in _privileged(instance)
    ],
)
def test_privileged_function__owner__passes_access_check(
    suite: dict[str, Any], callers: dict[str, Any], instance: str, method: Any
) -> None:
    # The control for the matrix: with the same arguments the owner gets past the access
    # check (it may still fail a later check), so the matrix's reverts are the caller's.
    try:
        _call(suite[instance], method, callers[OWNER[instance]])
    except ContractLogicError as err:
        assert err.revert_message != ACCESS_REASON[INSTANCES[instance]]


@pytest.mark.parametrize(
    ("instance", "method"),
    [
        pytest.param(instance, method, id=f"{instance}.{method.name}")
        for instance in INSTANCES
        for method in _public(instance)
    ],
)
def test_public_function__outsider__not_refused_by_access_check(
    suite: dict[str, Any], outsider: Any, instance: str, method: Any
) -> None:
    try:
        _call(suite[instance], method, outsider)
    except ContractLogicError as err:
        assert err.revert_message != ACCESS_REASON[INSTANCES[instance]]


@pytest.mark.parametrize("contract_type", sorted(PUBLIC))
def test_public_table__every_name__is_a_non_view_function_of_the_abi(contract_type: str) -> None:
    names = {m.name for m in _non_view_methods(contract_type)}

    assert PUBLIC[contract_type] <= names
    assert names - PUBLIC[contract_type], "no privileged function left to check"


def test_tables__every_contract_type__has_an_access_reason_and_an_owner() -> None:
    assert set(INSTANCES.values()) == set(PUBLIC) == set(ACCESS_REASON)
    assert set(OWNER) == set(INSTANCES)
    assert set(OWNER.values()) <= set(CALLERS)
