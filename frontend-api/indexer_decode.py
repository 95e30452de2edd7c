"""Log decoding for the indexer: topic table, a fast path for static events, JSON forms.

Every suite event's signature hash is precomputed from `indexer_abi.EVENTS`, with a
reader for its logs (`EventType.read`): events whose data holds only static words
(uintN, address, bytes32, bool) are read by slicing the hex string at offsets worked
out once per event; the few with strings or arrays go through eth_abi. A reader gives
both forms below in one pass.

Values have one JSON form (what `events.args` stores): uints as decimal strings,
addresses/bytes32/bytes as lowercase 0x hex, bools, strings, lists, tuples as
objects. `from_json` turns that form into what the projection consumes (uints as
ints), so a live batch and a replay from the `events` table see the same input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_abi.abi import decode as abi_decode
from eth_hash.auto import keccak

from bpsa.api.indexer_abi import EVENTS, TUPLE_FIELDS

_STATIC = ("uint", "int", "address", "bytes32", "bool")

# The JSON form of a log's arguments, and the projection's (the same with uints as ints).
Args = dict[str, Any]
Spec = tuple[tuple[str, str, bool], ...]  # ((argument, ABI type, indexed), ...)
Reader = Callable[[list[str], str], tuple[Args, Args]]


class DecodeError(ValueError):
    pass


def _is_static(abi_type: str) -> bool:
    return abi_type.startswith(_STATIC) and "[" not in abi_type and "(" not in abi_type


@dataclass(frozen=True)
class EventType:
    contract_type: str
    name: str
    args: Spec
    topic0: str
    indexed: tuple[tuple[str, str], ...]
    data: tuple[tuple[str, str], ...]
    static_data: bool
    ints: tuple[str, ...]  # top-level (u)int arguments: ints in the projection
    # (topics, data) -> (JSON form, projection form): worked out once for this event
    read: Reader = field(compare=False, repr=False)

    @property
    def signature(self) -> str:
        return signature_of(self.name, self.args)


def signature_of(name: str, args: Spec) -> str:
    """The ABI signature, `Transfer(address,address,uint256)`: what topic 0 hashes."""
    return f"{name}({','.join(t for _, t, _ in args)})"


def _event_types() -> dict[str, dict[str, EventType]]:
    table: dict[str, dict[str, EventType]] = {}
    for contract_type, events in EVENTS.items():
        by_topic: dict[str, EventType] = {}
        for name, args in events:
            topic0 = "0x" + keccak(signature_of(name, args).encode()).hex()
            data = tuple((a, t) for a, t, i in args if not i)
            static = all(_is_static(t) for _, t in data)
            by_topic[topic0] = EventType(
                contract_type,
                name,
                args,
                topic0,
                tuple((a, t) for a, t, i in args if i),
                data,
                static,
                _ints(args),
                (_static_reader if static else _dynamic_reader)(contract_type, name, args),
            )
        table[contract_type] = by_topic
    return table


# How a static word reads: its kind, by ABI type.
_UINT, _INT, _ADDRESS, _BYTES32, _BOOL = range(5)


def _kind(abi_type: str) -> int:
    if abi_type.startswith("uint"):
        return _UINT
    if abi_type.startswith("int"):
        return _INT
    if abi_type == "address":
        return _ADDRESS
    if abi_type == "bytes32":
        return _BYTES32
    if abi_type == "bool":
        return _BOOL
    raise DecodeError(f"no word decoding for {abi_type}")


def _ints(args: Spec) -> tuple[str, ...]:
    return tuple(a for a, t, _ in args if t.startswith(("uint", "int")) and "[" not in t)


def _static_reader(contract_type: str, name: str, args: Spec) -> Reader:
    """A log of an event whose topics and data are all 32-byte words, read by slicing
    its hex text (no ABI decoder): each argument's place and kind are worked out here,
    once per event type."""
    indexed = [a for a, _, i in args if i]
    data = [a for a, _, i in args if not i]
    topic_count, size = len(indexed) + 1, 64 * len(data)
    # (name, topic number or None, offset in the data's hex, kind), in ABI order
    plan = tuple(
        (
            arg,
            indexed.index(arg) + 1 if is_indexed else None,
            0 if is_indexed else 64 * data.index(arg),
            _kind(abi_type),
        )
        for arg, abi_type, is_indexed in args
    )
    signature = signature_of(name, args)

    def read(topics: list[str], data: str) -> tuple[Args, Args]:
        if len(topics) != topic_count:
            raise DecodeError(f"{signature}: expected {topic_count} topics, got {len(topics)}")
        body = data[2:].lower()
        if len(body) != size:
            raise DecodeError(f"{signature}: data of {len(body) // 2} bytes")
        shown: Args = {}
        args: Args = {}
        for name, topic, at, kind in plan:
            word = body[at : at + 64] if topic is None else topics[topic][2:].lower()
            if kind == _UINT:
                number = int(word, 16)
                shown[name], args[name] = str(number), number
            elif kind == _ADDRESS:
                shown[name] = args[name] = "0x" + word[24:]
            elif kind == _BYTES32:
                shown[name] = args[name] = "0x" + word
            elif kind == _BOOL:
                shown[name] = args[name] = int(word, 16) != 0
            else:
                number = int(word, 16)
                number = number - (1 << 256) if number >> 255 else number
                shown[name], args[name] = str(number), number
        return shown, args

    return read


def _dynamic_reader(contract_type: str, name: str, args: Spec) -> Reader:
    """A log with strings, arrays or tuples in its data: through eth_abi."""
    indexed = [(a, _kind(t)) for a, t, i in args if i]
    data = [(a, t, TUPLE_FIELDS.get(f"{contract_type}.{name}.{a}")) for a, t, i in args if not i]
    types = [t for _, t, _ in data]
    order, ints = [a for a, _, _ in args], _ints(args)
    signature = signature_of(name, args)

    def read(topics: list[str], hex_data: str) -> tuple[Args, Args]:
        if len(topics) != len(indexed) + 1:
            raise DecodeError(f"{signature}: expected {len(indexed) + 1} topics, got {len(topics)}")
        out: Args = {}
        for (arg, kind), topic in zip(indexed, topics[1:], strict=True):
            out[arg] = _word(topic[2:].lower(), kind)
        try:
            values = abi_decode(types, bytes.fromhex(hex_data[2:]))
        except Exception as exc:
            raise DecodeError(f"{signature}: undecodable data ({exc})") from None
        for (arg, abi_type, names), value in zip(data, values, strict=True):
            out[arg] = _json_value(value, abi_type, names)
        shown = {arg: out[arg] for arg in order}
        projected = dict(shown)
        for arg in ints:
            projected[arg] = int(projected[arg])
        return shown, projected

    return read


def _word(word: str, kind: int) -> Any:
    """One 32-byte word (64 lowercase hex chars) in its JSON form."""
    if kind == _UINT:
        return str(int(word, 16))
    if kind == _ADDRESS:
        return "0x" + word[24:]
    if kind == _BYTES32:
        return "0x" + word
    if kind == _BOOL:
        return int(word, 16) != 0
    value = int(word, 16)
    return str(value - (1 << 256) if value >> 255 else value)


EVENT_TYPES = _event_types()


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
    return event.read(topics, data)[0]


def from_json(event: EventType, args: dict[str, Any]) -> dict[str, Any]:
    """The JSON form with uint and int arguments as Python ints (top level only)."""
    out = dict(args)
    for name in event.ints:
        out[name] = int(out[name])
    return out
