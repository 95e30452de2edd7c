"""The indexer's event table (frontend-api/indexer_abi.py) against the compiled contracts:
a contract change that alters an event fails here instead of mis-decoding silently."""

from __future__ import annotations

from typing import Any

import pytest
from eth_hash.auto import keccak

from bpsa.api.indexer_abi import EVENTS, TUPLE_FIELDS
from bpsa.api.indexer_decode import EVENT_TYPES
from bpsa.core.manifest import CONTRACT_TYPES


def _abi_type(item: Any) -> str:
    if item.type.startswith("tuple"):
        inner = ",".join(_abi_type(c) for c in item.components)
        return f"({inner}){item.type[5:]}"
    return str(item.type)


@pytest.mark.parametrize("contract_type", sorted(set(CONTRACT_TYPES.values())))
def test_event_table__compiled_contract__lists_exactly_its_events(
    project: Any, contract_type: str
) -> None:
    abi = getattr(project, contract_type).contract_type.abi
    compiled = {
        e.name: tuple((i.name, _abi_type(i), bool(i.indexed)) for i in e.inputs)
        for e in abi
        if e.type == "event"
    }

    assert dict(EVENTS[contract_type]) == compiled
    for event in abi:
        if event.type != "event":
            continue
        for item in event.inputs:
            if item.type.startswith("tuple"):
                key = f"{contract_type}.{event.name}.{item.name}"
                assert TUPLE_FIELDS[key] == tuple(c.name for c in item.components)


def test_event_table__topics__are_the_hashes_of_the_compiled_signatures(project: Any) -> None:
    for contract_type, by_topic in EVENT_TYPES.items():
        events = getattr(project, contract_type).contract_type.events
        for topic, event in by_topic.items():
            signature = events[event.name].selector  # "Name(type,...)" as ape derives it
            assert (event.signature, topic) == (signature, "0x" + keccak(signature.encode()).hex())
