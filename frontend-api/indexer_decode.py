"""Log decoding for the indexer: topic table, a fast path for static events, JSON forms.

Every suite event's signature hash is precomputed from `indexer_abi.EVENTS`. Events
whose data holds only static words (uintN, address, bytes32, bool) are decoded by
slicing the hex string; the few with strings or arrays go through eth_abi.

Values have one JSON form (what `events.args` stores): uints as decimal strings,
addresses/bytes32/bytes as lowercase 0x hex, bools, strings, lists, tuples as
objects. `from_json` turns that form into what the projection consumes (uints as
ints), so a live batch and a replay from the `events` table see the same input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_hash.auto import keccak

from bpsa.api.indexer_abi import EVENTS, TUPLE_FIELDS

_STATIC = ("uint", "int", "address", "bytes32", "bool")


def _is_static(abi_type: str) -> bool:
    return abi_type.startswith(_STATIC) and "[" not in abi_type and "(" not in abi_type


@dataclass(frozen=True)
class EventType:
    contract_type: str
    name: str
    args: tuple[tuple[str, str, bool], ...]
    topic0: str
    indexed: tuple[tuple[str, str], ...]
    data: tuple[tuple[str, str], ...]
    static_data: bool
    ints: tuple[str, ...]  # top-level (u)int arguments: ints in the projection

    @property
    def signature(self) -> str:
        return f"{self.name}({','.join(t for _, t, _ in self.args)})"


def _event_types() -> dict[str, dict[str, EventType]]:
    table: dict[str, dict[str, EventType]] = {}
    for contract_type, events in EVENTS.items():
        by_topic: dict[str, EventType] = {}
        for name, args in events:
            signature = f"{name}({','.join(t for _, t, _ in args)})"
            topic0 = "0x" + keccak(signature.encode()).hex()
            indexed = tuple((a, t) for a, t, i in args if i)
            data = tuple((a, t) for a, t, i in args if not i)
            by_topic[topic0] = EventType(
                contract_type,
                name,
                args,
                topic0,
                indexed,
                data,
                all(_is_static(t) for _, t in data),
                tuple(a for a, t, _ in args if t.startswith(("uint", "int")) and "[" not in t),
            )
        table[contract_type] = by_topic
    return table


EVENT_TYPES = _event_types()


class DecodeError(ValueError):
    pass


def _word(word: str, abi_type: str) -> Any:
    """One 32-byte word (64 lowercase hex chars) in its JSON form."""
    if abi_type.startswith("uint"):
        return str(int(word, 16))
    if abi_type == "address":
        return "0x" + word[24:]
    if abi_type == "bytes32":
        return "0x" + word
    if abi_type == "bool":
        return int(word, 16) != 0
    if abi_type.startswith("int"):
        value = int(word, 16)
        return str(value - (1 << 256) if value >> 255 else value)
    raise DecodeError(f"no word decoding for {abi_type}")


def _json_value(value: Any, abi_type: str, fields: tuple[str, ...] | None) -> Any:
    if abi_type.endswith("]"):
        inner = abi_type[: abi_type.rindex("[")]
        return [_json_value(v, inner, fields) for v in value]
    if abi_type.startswith("("):
        parts = _split_tuple(abi_type[1:-1])
        names = fields or tuple(str(i) for i in range(len(parts)))
        return {n: _json_value(v, t, None) for n, v, t in zip(names, value, parts, strict=True)}
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, str) and abi_type == "address":
        return value.lower()
    return value


def _split_tuple(inner: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


def decode_log(event: EventType, topics: list[str], data: str) -> dict[str, Any]:
    """A log's arguments in their JSON form, in ABI order."""
    if len(topics) != len(event.indexed) + 1:
        raise DecodeError(
            f"{event.signature}: expected {len(event.indexed) + 1} topics, got {len(topics)}"
        )
    out: dict[str, Any] = {}
    for (name, abi_type), topic in zip(event.indexed, topics[1:], strict=True):
        out[name] = _word(topic[2:].lower(), abi_type)
    if event.static_data:
        body = data[2:]
        if len(body) != 64 * len(event.data):
            raise DecodeError(f"{event.signature}: data of {len(body) // 2} bytes")
        for i, (name, abi_type) in enumerate(event.data):
            out[name] = _word(body[64 * i : 64 * i + 64], abi_type)
    else:
        try:
            values = abi_decode([t for _, t in event.data], bytes.fromhex(data[2:]))
        except Exception as exc:
            raise DecodeError(f"{event.signature}: undecodable data ({exc})") from None
        for (name, abi_type), value in zip(event.data, values, strict=True):
            fields = TUPLE_FIELDS.get(f"{event.contract_type}.{event.name}.{name}")
            out[name] = _json_value(value, abi_type, fields)
    return {name: out[name] for name, _, _ in event.args}


def from_json(event: EventType, args: dict[str, Any]) -> dict[str, Any]:
    """The JSON form with uint and int arguments as Python ints (top level only)."""
    out = dict(args)
    for name in event.ints:
        out[name] = int(out[name])
    return out
