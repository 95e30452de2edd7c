"""The suite's events, by contract type: what the indexer decodes.

Read from the ABIs packaged with bpsa (`bpsa.core.abis`, regenerated after a contract
change by `ape compile && python -m bpsa.core.abis`), so the indexer decodes exactly the
events the off-chain processes call the contracts with. tests/indexer/test_event_table.py
checks them against ape's contract types, and tests/python/test_packaged_abis.py the
packaged file against the compiled contracts: a contract change that alters an event
fails a test instead of silently mis-decoding. Each event: (name, ((arg, abi type,
indexed), ...)). Tuples are written `(t1,t2)`; their field names are in TUPLE_FIELDS.
"""

from __future__ import annotations

from typing import Any

from bpsa.core.abis import load_abis
from bpsa.core.manifest import CONTRACT_TYPES

EventSpec = tuple[str, tuple[tuple[str, str, bool], ...]]


def _type(item: dict[str, Any]) -> str:
    if item["type"].startswith("tuple"):
        inner = ",".join(_type(c) for c in item["components"])
        return f"({inner}){item['type'][5:]}"
    return str(item["type"])


def _tables() -> tuple[dict[str, tuple[EventSpec, ...]], dict[str, tuple[str, ...]]]:
    abis = load_abis()
    events: dict[str, tuple[EventSpec, ...]] = {}
    fields: dict[str, tuple[str, ...]] = {}
    for name in sorted(set(CONTRACT_TYPES.values())):
        specs: list[EventSpec] = []
        for event in (e for e in abis[name] if e["type"] == "event"):
            inputs = event["inputs"]
            specs.append(
                (event["name"], tuple((i["name"], _type(i), bool(i["indexed"])) for i in inputs))
            )
            for i in inputs:
                if i["type"].startswith("tuple"):
                    key = f"{name}.{event['name']}.{i['name']}"
                    fields[key] = tuple(c["name"] for c in i["components"])
        events[name] = tuple(specs)
    return events, fields


EVENTS, TUPLE_FIELDS = _tables()
"""Contract type -> its events, in the ABI's order."""
# TUPLE_FIELDS: "Contract.Event.arg" -> the field names of a tuple (struct) argument.
